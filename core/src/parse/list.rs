//! Lists and `key: value` lines as models write them: numbered (`1.`, `1)`, `(1)`), bulleted
//! (`-`, `*`, `+`, `•`), or comma-separated on one line; and fields such as `Answer: yes`.
//!
//! ```
//! use bridle::parse::list::{parse_list, parse_fields};
//!
//! assert_eq!(parse_list("Here are three:\n1. Alpha\n2) Beta\n   continued\n3. Gamma"), ["Alpha", "Beta continued", "Gamma"]);
//! assert_eq!(parse_list("red, green and blue"), ["red", "green", "blue"]);
//! let fields = parse_fields("Answer: yes\nConfidence: 0.9\nnotes: none");
//! assert_eq!(fields, [("Answer".to_owned(), "yes".to_owned()), ("Confidence".to_owned(), "0.9".to_owned()), ("notes".to_owned(), "none".to_owned())]);
//! ```

/// The items of a list in `text`. Lines that start with a number or a bullet start items; lines
/// indented under an item continue it (joined with a space); prose before the first item and
/// after a blank line that ends the list is left out. Without such lines, a single line (or a
/// text without line breaks) is split at commas and a final "and"/"or". Markdown emphasis
/// around a whole item (`**x**`) is removed.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut in_list = false;
    let mut ended = false;
    for line in text.lines() {
        if let Some(item) = item_text(line) {
            if ended {
                // A second list after prose: keep reading, models often split lists by headers.
                ended = false;
            }
            items.push(clean(item));
            in_list = true;
        } else if in_list && !ended {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                ended = true;
            } else if line.starts_with([' ', '\t']) {
                let last = items.last_mut().expect("in a list");
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(trimmed);
            } else {
                ended = true;
            }
        }
    }
    if !items.is_empty() {
        return items;
    }
    let line = text.trim();
    if line.is_empty() {
        return items;
    }
    // One line: comma-separated, with "x, y and z" / "x or y".
    let line = line.strip_suffix('.').unwrap_or(line);
    let mut parts: Vec<&str> = line.split([',', ';']).collect();
    if let Some(last) = parts.pop() {
        let last = last.trim();
        let split = [" and ", " or ", " & "].iter().find_map(|word| last.rsplit_once(word));
        match split {
            Some((a, b)) if !parts.is_empty() || !a.trim().is_empty() => {
                parts.push(a);
                parts.push(b);
            }
            _ => parts.push(last),
        }
    }
    parts
        .into_iter()
        .map(|part| {
            let part = part.trim();
            let part = part.strip_prefix("and ").or_else(|| part.strip_prefix("or ")).unwrap_or(part);
            clean(part)
        })
        .filter(|part| !part.is_empty())
        .collect()
}

/// The text of a list item line, or `None` if the line does not start an item.
fn item_text(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    // Items of a list may be indented a little, not as much as a continuation.
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    for bullet in ["- ", "* ", "+ ", "• ", "– ", "— "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            // A checkbox "- [ ] x" is an item too.
            let rest = rest.strip_prefix("[ ] ").or_else(|| rest.strip_prefix("[x] ")).unwrap_or(rest);
            return Some(rest);
        }
    }
    let (open, rest) = match trimmed.strip_prefix('(') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let letters = if digits == 0 { rest.bytes().take_while(u8::is_ascii_lowercase).count().min(1) } else { 0 };
    let marker = digits + letters;
    if marker == 0 || digits > 3 {
        return None;
    }
    let after = &rest[marker..];
    let rest = if open {
        after.strip_prefix(')')?
    } else if letters > 0 {
        // "a)" only: "a." would match ordinary words at a line start.
        after.strip_prefix(')')?
    } else {
        after.strip_prefix('.').or_else(|| after.strip_prefix(')'))?
    };
    rest.strip_prefix(' ').or_else(|| rest.strip_prefix('\t')).map(str::trim_start)
}

/// An item without surrounding whitespace and Markdown emphasis.
fn clean(item: &str) -> String {
    let mut item = item.trim();
    for mark in ["**", "__", "*", "_", "`"] {
        if item.len() > 2 * mark.len() && item.starts_with(mark) && item.ends_with(mark) {
            item = &item[mark.len()..item.len() - mark.len()];
        }
    }
    item.trim().to_owned()
}

/// `key: value` lines, in order: a line whose text before the first `:` is a short label (at
/// most 6 words, no sentence punctuation) starts a field; following lines that are not fields
/// continue its value (joined with a newline). Markdown bold around labels (`**Answer:**`) and
/// list bullets before them are removed. Lines before the first field are left out.
pub fn parse_fields(text: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        match field(line) {
            Some((key, value)) => fields.push((key, value.to_owned())),
            None => {
                if let Some((_, value)) = fields.last_mut() {
                    let more = line.trim();
                    if !more.is_empty() {
                        if !value.is_empty() {
                            value.push('\n');
                        }
                        value.push_str(more);
                    }
                }
            }
        }
    }
    for (_, value) in &mut fields {
        let trimmed = value.trim_end();
        value.truncate(trimmed.len());
    }
    fields
}

fn field(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    let trimmed = ["- ", "* ", "• "].iter().find_map(|b| trimmed.strip_prefix(b)).unwrap_or(trimmed);
    let (label, value) = trimmed.split_once(':')?;
    // "**Answer:** yes" puts the colon inside the bold.
    let (label, value) = match (label.strip_prefix("**"), value.strip_prefix("**")) {
        (Some(label), Some(value)) => (label, value),
        _ => (label.trim_matches('*'), value),
    };
    let label = label.trim();
    if label.is_empty() || label.split_whitespace().count() > 6 || label.contains(['.', '?', '!', '"', '{', '[', '<', '/']) {
        return None;
    }
    // "http://..." and times like "10:30" are not fields.
    let clock = label.ends_with(|c: char| c.is_ascii_digit()) && value.starts_with(|c: char| c.is_ascii_digit());
    if value.starts_with("//") || clock {
        return None;
    }
    Some((label.to_owned(), value.trim()))
}

/// [`parse_list`] as a JSON array, for the bindings.
pub fn parse_list_json(text: &str) -> String {
    serde_json::Value::from(parse_list(text)).to_string()
}

/// [`parse_fields`] as a JSON array of `[key, value]` pairs (keys may repeat), for the bindings.
pub fn parse_fields_json(text: &str) -> String {
    let pairs: Vec<serde_json::Value> = parse_fields(text).into_iter().map(|(k, v)| serde_json::json!([k, v])).collect();
    serde_json::Value::Array(pairs).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_bulleted_and_inline_lists() {
        assert_eq!(parse_list("1. a\n2. b\n10. c"), ["a", "b", "c"]);
        assert_eq!(parse_list("(1) a\n(2) b"), ["a", "b"]);
        assert_eq!(parse_list("a) first\nb) second"), ["first", "second"]);
        assert_eq!(
            parse_list("Ideas:\n- **Bold** one\n* two\n+ three\n• four\n- [ ] task"),
            ["**Bold** one", "two", "three", "four", "task"]
        );
        assert_eq!(parse_list("- **whole**\n- `code`"), ["whole", "code"]);
        assert_eq!(parse_list("Steps:\n1. Mix\n   the flour\n2. Bake\n\nEnjoy!"), ["Mix the flour", "Bake"]);
        assert_eq!(parse_list("apples, pears, and plums."), ["apples", "pears", "plums"]);
        assert_eq!(parse_list("tea or coffee"), ["tea", "coffee"]);
        assert_eq!(parse_list("just one"), ["just one"]);
        assert_eq!(parse_list("  \n "), Vec::<String>::new());
        // Years and versions at a line start are not list items.
        assert_eq!(parse_list("2024. A year.\n3.14 is pi"), ["2024. A year.\n3.14 is pi"]);
    }

    #[test]
    fn fields() {
        let text = "Here is my answer.\n**Answer:** yes\n- Reason: it fits\n  and it is cheap\nSee https://x.y/z for more\nAt 10:30 we met\nScore: 7";
        let fields = parse_fields(text);
        assert_eq!(
            fields,
            [
                ("Answer".to_owned(), "yes".to_owned()),
                ("Reason".to_owned(), "it fits\nand it is cheap\nSee https://x.y/z for more\nAt 10:30 we met".to_owned()),
                ("Score".to_owned(), "7".to_owned())
            ]
        );
    }
}
