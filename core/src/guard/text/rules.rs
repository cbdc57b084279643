//! [`TextScanner`]: banned terms, user term lists, regular expressions, length limits and
//! allowed scripts.

use super::scripts::{language_scripts, script_index, script_of, COMMON, INHERITED, SCRIPTS};
use super::terms::{Term, TermMatcher};
use super::{check_kind, Fold, FULL};
use crate::guard::options::{invalid, Options};
use crate::guard::{trailing_token_start, Finding, Scanner};
use crate::{Error, ErrorKind, Result};
use aho_corasick::AhoCorasick;
use serde_json::Value;
use std::borrow::Cow;

/// The longest regex pattern accepted, in bytes.
pub const MAX_PATTERN_BYTES: usize = 4096;
/// The most terms (banned and listed together) accepted.
pub const MAX_TERMS: usize = 100_000;
/// The longest term accepted, in bytes.
pub const MAX_TERM_BYTES: usize = 1024;
/// The compiled-size limit handed to regex-lite for each pattern, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// regex-lite's nesting limit for each pattern.
const REGEX_NEST_LIMIT: u32 = 64;
/// How far back streaming holds text when there are regex rules.
const REGEX_HOLD_BYTES: usize = 1024;

/// Text rules for input (or any) text. Built from options by [`TextScanner::from_options`];
/// findings have `scanner: "text"`. See the [module docs](super) for the options.
#[derive(Debug)]
pub struct TextScanner {
    terms: TermMatcher,
    /// Kind of each term group, and whether it is a banned term (vs a listed entity).
    kinds: Vec<Cow<'static, str>>,
    regexes: Vec<RegexRule>,
    max_chars: Option<usize>,
    max_bytes: Option<usize>,
    max_lines: Option<usize>,
    min_chars: Option<usize>,
    /// Allowed scripts by index, when there is a script rule.
    scripts: Option<Vec<bool>>,
}

#[derive(Debug)]
struct RegexRule {
    regex: regex_lite::Regex,
    kind: Cow<'static, str>,
    name: Option<String>,
    /// A literal every match contains: when the text lacks it the regex is not run.
    required: Option<AhoCorasick>,
}

const KNOWN: &[&str] = &["banned", "terms", "regex", "maxChars", "maxBytes", "maxLines", "minChars", "scripts", "languages"];

fn fold_of(options: &Options, default_whole: bool) -> Result<(Fold, bool)> {
    let case_sensitive = options.bool("caseSensitive")?.unwrap_or(false);
    let accents = options.bool("foldAccents")?.unwrap_or(true);
    let whole = options.bool("wholeWords")?.unwrap_or(default_whole);
    Ok((Fold { case: !case_sensitive, accents }, whole))
}

fn list<'a>(options: &Options<'a>, name: &str) -> Result<&'a [Value]> {
    match options.value(name) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => {
            Err(invalid(&format!("{}.{name}", options.path()), format!("option '{}.{name}' must be a list", options.path())))
        }
    }
}

impl TextScanner {
    /// Compiles the text rules from `options` (read at the path `text`); bad options give
    /// `invalid_argument` errors with `details.option`.
    pub fn from_options(options: &Value) -> Result<TextScanner> {
        Self::from_options_at("text", options)
    }

    pub(crate) fn from_options_at(path: &str, value: &Value) -> Result<TextScanner> {
        let options = Options::new(path, value, KNOWN)?;
        let mut kinds: Vec<Cow<'static, str>> = Vec::new();
        let mut kind_index = |kind: Cow<'static, str>| match kinds.iter().position(|k| *k == kind) {
            Some(i) => i,
            None => {
                kinds.push(kind);
                kinds.len() - 1
            }
        };
        let mut terms: Vec<Term> = Vec::new();
        let add_term = |terms: &mut Vec<Term>, at: &str, text: &str, group: usize, fold: Fold, whole_words: bool| {
            if text.len() > MAX_TERM_BYTES {
                return Err(invalid(at, format!("option '{at}' holds a term longer than {MAX_TERM_BYTES} bytes")));
            }
            if terms.len() == MAX_TERMS {
                return Err(invalid(at, format!("option '{at}' takes the terms past {MAX_TERMS}")));
            }
            terms.push(Term { group, text: text.to_owned(), fold, whole_words });
            Ok(())
        };
        for (i, item) in list(&options, "banned")?.iter().enumerate() {
            let at = format!("{path}.banned[{i}]");
            match item {
                Value::String(term) => {
                    let group = kind_index(Cow::Borrowed("BANNED_TERM"));
                    add_term(&mut terms, &at, term, group, FULL, true)?;
                }
                Value::Object(_) => {
                    let entry = Options::new(&at, item, &["terms", "kind", "wholeWords", "caseSensitive", "foldAccents"])?;
                    let kind = entry.string("kind")?.map_or(Ok(Cow::Borrowed("BANNED_TERM")), |k| check_kind(&at, k))?;
                    let group = kind_index(kind);
                    let (fold, whole) = fold_of(&entry, true)?;
                    let values =
                        entry.strings("terms")?.ok_or_else(|| invalid(&at, format!("option '{at}.terms' is required")))?;
                    for term in values {
                        add_term(&mut terms, &at, term, group, fold, whole)?;
                    }
                }
                _ => return Err(invalid(&at, format!("option '{at}' must be a string or an object with terms"))),
            }
        }
        for (i, item) in list(&options, "terms")?.iter().enumerate() {
            let at = format!("{path}.terms[{i}]");
            let entry = Options::new(&at, item, &["kind", "values", "wholeWords", "caseSensitive", "foldAccents"])?;
            let kind = check_kind(
                &at,
                entry.string("kind")?.ok_or_else(|| invalid(&at, format!("option '{at}.kind' is required")))?,
            )?;
            let group = kind_index(kind);
            let (fold, whole) = fold_of(&entry, true)?;
            let values =
                entry.strings("values")?.ok_or_else(|| invalid(&at, format!("option '{at}.values' is required")))?;
            for term in values {
                add_term(&mut terms, &at, term, group, fold, whole)?;
            }
        }
        let terms = TermMatcher::new(terms).map_err(|index| {
            invalid(&format!("{path}.banned"), format!("term {index} of '{path}' is empty once case and accents are folded"))
        })?;

        let mut regexes = Vec::new();
        for (i, item) in list(&options, "regex")?.iter().enumerate() {
            let at = format!("{path}.regex[{i}]");
            let (pattern, kind, flags, name) = match item {
                Value::String(pattern) => (pattern.as_str(), Cow::Borrowed("REGEX_MATCH"), "", None),
                _ => {
                    let entry = Options::new(&at, item, &["pattern", "kind", "flags", "name"])?;
                    let pattern = entry
                        .string("pattern")?
                        .ok_or_else(|| invalid(&at, format!("option '{at}.pattern' is required")))?;
                    let kind = entry.string("kind")?.map_or(Ok(Cow::Borrowed("REGEX_MATCH")), |k| check_kind(&at, k))?;
                    (pattern, kind, entry.string("flags")?.unwrap_or(""), entry.string("name")?.map(str::to_owned))
                }
            };
            regexes.push(compile_regex(&at, pattern, flags, kind, name)?);
        }

        let max_chars = options.count("maxChars", u32::MAX.into())?;
        let max_bytes = options.count("maxBytes", u32::MAX.into())?;
        let max_lines = options.count("maxLines", u32::MAX.into())?;
        let min_chars = options.count("minChars", u32::MAX.into())?;

        let mut scripts = None;
        if let Some(names) = options.strings("scripts")? {
            let allowed = scripts.get_or_insert_with(|| vec![false; SCRIPTS.len()]);
            for name in names {
                let index = script_index(name).ok_or_else(|| {
                    let at = format!("{path}.scripts");
                    invalid(&at, format!("option '{at}' names unknown script '{name}' (known: {})", SCRIPTS.join(", ")))
                })?;
                allowed[index as usize] = true;
            }
        }
        if let Some(codes) = options.strings("languages")? {
            let allowed = scripts.get_or_insert_with(|| vec![false; SCRIPTS.len()]);
            for code in codes {
                let names = language_scripts(code).ok_or_else(|| {
                    let at = format!("{path}.languages");
                    invalid(
                        &at,
                        format!("option '{at}' names unknown language '{code}' (ISO 639-1 codes such as en, ru, ja)"),
                    )
                })?;
                for name in names {
                    allowed[script_index(name).expect("language scripts are in the table") as usize] = true;
                }
            }
        }
        if let Some(allowed) = &mut scripts {
            allowed[COMMON as usize] = true;
            allowed[INHERITED as usize] = true;
        }
        Ok(TextScanner { terms, kinds, regexes, max_chars, max_bytes, max_lines, min_chars, scripts })
    }

    fn scan_lengths(&self, text: &str, out: &mut Vec<Finding>) {
        let too_long = |start: usize, limit: &str, max: usize, actual: usize| {
            Finding::new("text", "TOO_LONG", start, text.len())
                .with_detail("limit", limit)
                .with_detail("max", max)
                .with_detail("actual", actual)
        };
        if self.max_chars.is_some() || self.min_chars.is_some() {
            let count = text.chars().count();
            if let Some(max) = self.max_chars.filter(|&max| count > max) {
                let start = text.char_indices().nth(max).map_or(text.len(), |(at, _)| at);
                out.push(too_long(start, "maxChars", max, count));
            }
            if let Some(min) = self.min_chars.filter(|&min| count < min) {
                // An empty text is reported as an empty span at 0: there is nothing to cover.
                out.push(
                    Finding::new("text", "TOO_SHORT", 0, text.len())
                        .with_detail("limit", "minChars")
                        .with_detail("min", min)
                        .with_detail("actual", count),
                );
            }
        }
        if let Some(max) = self.max_bytes.filter(|&max| text.len() > max) {
            let start = (0..=max).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            out.push(too_long(start, "maxBytes", max, text.len()));
        }
        if let Some(max) = self.max_lines {
            let newlines = text.bytes().filter(|&b| b == b'\n').count();
            let lines = newlines + usize::from(!text.is_empty() && !text.ends_with('\n'));
            if lines > max {
                // The overflow starts at the beginning of line max + 1.
                let start =
                    if max == 0 { 0 } else { text.match_indices('\n').nth(max - 1).map_or(text.len(), |(at, _)| at + 1) };
                out.push(too_long(start, "maxLines", max, lines));
            }
        }
    }

    fn scan_scripts(&self, allowed: &[bool], text: &str, out: &mut Vec<Finding>) {
        if allowed[2] && text.is_ascii() {
            // ASCII is Latin and Common only.
            return;
        }
        // A run of one disallowed script; Common and Inherited characters inside it join it,
        // trailing ones do not (except marks right after its letters).
        let mut run: Option<(u8, usize, usize)> = None;
        let mut flush = |run: &mut Option<(u8, usize, usize)>| {
            if let Some((script, start, end)) = run.take() {
                out.push(
                    Finding::new("text", "DISALLOWED_SCRIPT", start, end).with_detail("script", SCRIPTS[script as usize]),
                );
            }
        };
        let mut last_in_run = false;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII letters are Latin and the rest Common.
            let b = bytes[at];
            if b < 0x80 && (allowed[2] || !b.is_ascii_alphabetic()) {
                if b.is_ascii_alphabetic() {
                    flush(&mut run);
                }
                last_in_run = false;
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().expect("char boundary");
            let script = script_of(c);
            let end = at + c.len_utf8();
            if script == INHERITED || script == COMMON {
                if script == INHERITED && last_in_run {
                    if let Some(r) = &mut run {
                        r.2 = end;
                    }
                } else {
                    last_in_run = false;
                }
            } else if run.is_some_and(|r| r.0 == script) {
                run.as_mut().expect("run").2 = end;
                last_in_run = true;
            } else {
                flush(&mut run);
                last_in_run = !allowed[script as usize];
                if last_in_run {
                    run = Some((script, at, end));
                }
            }
            at = end;
        }
        flush(&mut run);
    }
}

/// Compiles one regex rule with regex-lite (a Pike VM: linear in the text, no backtracking).
fn compile_regex(at: &str, pattern: &str, flags: &str, kind: Cow<'static, str>, name: Option<String>) -> Result<RegexRule> {
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(invalid(
            &format!("{at}.pattern"),
            format!("option '{at}.pattern' is longer than {MAX_PATTERN_BYTES} bytes"),
        ));
    }
    let mut builder = regex_lite::RegexBuilder::new(pattern);
    builder.size_limit(REGEX_SIZE_LIMIT).nest_limit(REGEX_NEST_LIMIT);
    let mut insensitive = false;
    for flag in flags.chars() {
        match flag {
            'i' => {
                insensitive = true;
                builder.case_insensitive(true);
            }
            'm' => {
                builder.multi_line(true);
            }
            's' => {
                builder.dot_matches_new_line(true);
            }
            _ => {
                let path = format!("{at}.flags");
                return Err(invalid(&path, format!("option '{path}' has unknown flag '{flag}' (known: i, m, s)")));
            }
        }
    }
    let regex = builder.build().map_err(|error| {
        let path = format!("{at}.pattern");
        // regex-lite names its limits only in the message (checked by the tests).
        let limit = match error.to_string().as_str() {
            "compiled regex exceeded size limit" => Some(("regex_size", format!("{} KiB compiled", REGEX_SIZE_LIMIT >> 10))),
            "pattern has too much nesting" => Some(("regex_nesting", format!("{REGEX_NEST_LIMIT} levels of nesting"))),
            _ => None,
        };
        match limit {
            Some((limit, bound)) => Error::new(
                ErrorKind::LimitExceeded,
                format!("option '{path}' is a regular expression past the limit of {bound}"),
            )
            .with_detail("option", path)
            .with_detail("limit", limit),
            None => invalid(&path, format!("option '{path}' is not a valid regular expression: {error}"))
                .with_detail("error", error.to_string()),
        }
    })?;
    let required = required_literal(pattern, insensitive).map(|literal| {
        AhoCorasick::builder().ascii_case_insensitive(insensitive).build([literal]).expect("one short literal")
    });
    Ok(RegexRule { regex, kind, name, required })
}

/// A literal of at least 3 bytes that every match of `pattern` contains, found among the
/// pattern's top-level pieces (outside groups and classes, not under an optional quantifier);
/// `None` when the pattern has a top-level alternation or inline flags, or no such literal.
pub(crate) fn required_literal(pattern: &str, insensitive: bool) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut best = String::new();
    let mut run = String::new();
    let end_run = |run: &mut String, best: &mut String| {
        if run.len() > best.len() {
            *best = std::mem::take(run);
        }
        run.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let literal = match c {
            '|' => return None,
            '(' => {
                // Inline flags such as (?i) change the rest of the pattern.
                if chars.get(i + 1) == Some(&'?') {
                    let mut j = i + 2;
                    while j < chars.len() && (chars[j].is_ascii_alphabetic() || chars[j] == '-') {
                        j += 1;
                    }
                    if chars.get(j) == Some(&')') {
                        return None;
                    }
                }
                end_run(&mut run, &mut best);
                i = skip_group(&chars, i)?;
                continue;
            }
            '[' => {
                end_run(&mut run, &mut best);
                i = skip_class(&chars, i)?;
                continue;
            }
            '\\' => match chars.get(i + 1) {
                Some(&e) if !e.is_alphanumeric() && e != '<' && e != '>' => {
                    i += 1;
                    Some(e)
                }
                _ => {
                    i += 2;
                    end_run(&mut run, &mut best);
                    continue;
                }
            },
            '.' | '^' | '$' | ')' | ']' => None,
            '{' => {
                // A counted repetition: skip its bounds.
                end_run(&mut run, &mut best);
                i = chars[i..].iter().position(|&c| c == '}').map(|at| i + at + 1)?;
                continue;
            }
            '?' | '*' => None,
            '+' => None,
            c if c.is_whitespace() || c.is_control() => Some(c),
            c => Some(c),
        };
        match literal {
            Some(l) if !insensitive || l.is_ascii() => {
                // A literal followed by an optional quantifier is not required.
                if matches!(chars.get(i + 1), Some('?' | '*' | '{')) {
                    end_run(&mut run, &mut best);
                } else {
                    run.push(l);
                }
            }
            _ => end_run(&mut run, &mut best),
        }
        i += 1;
    }
    end_run(&mut run, &mut best);
    (best.len() >= 3).then_some(best)
}

fn skip_class(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    let mut depth = 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_group(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => {
                i = skip_class(chars, i)?;
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

impl Scanner for TextScanner {
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        self.terms.find(text, |m| {
            let term = &self.terms.terms()[m.term];
            out.push(
                Finding::new("text", self.kinds[term.group].clone(), m.start, m.end).with_detail("term", term.text.as_str()),
            );
        });
        for rule in &self.regexes {
            if rule.required.as_ref().is_some_and(|literal| !literal.is_match(text)) {
                continue;
            }
            for m in rule.regex.find_iter(text) {
                if m.start() == m.end() || !text.is_char_boundary(m.start()) || !text.is_char_boundary(m.end()) {
                    continue;
                }
                let mut finding = Finding::new("text", rule.kind.clone(), m.start(), m.end());
                if let Some(name) = &rule.name {
                    finding = finding.with_detail("name", name.as_str());
                }
                out.push(finding);
            }
        }
        self.scan_lengths(text, out);
        if let Some(allowed) = &self.scripts {
            self.scan_scripts(allowed, text, out);
        }
    }

    fn pending_from(&self, text: &str) -> usize {
        let mut from = trailing_token_start(text).min(self.terms.pending_from(text));
        if !self.regexes.is_empty() {
            let line = text.rfind('\n').map_or(0, |at| at + 1);
            let window =
                (0..=text.len().saturating_sub(REGEX_HOLD_BYTES)).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            from = from.min(line.max(window));
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals() {
        assert_eq!(required_literal(r"\bPROJ-\d{4}\b", false).as_deref(), Some("PROJ-"));
        assert_eq!(required_literal(r"confidential(ly)?", false).as_deref(), Some("confidential"));
        assert_eq!(required_literal(r"colou?r", false).as_deref(), Some("colo"));
        assert_eq!(required_literal(r"abc|def", false), None);
        assert_eq!(required_literal(r"(?i)secret", false), None);
        assert_eq!(required_literal(r"(?:x|y)secret[a-z]+", false).as_deref(), Some("secret"));
        assert_eq!(required_literal(r"a\.b\.c", false).as_deref(), Some("a.b.c"));
        assert_eq!(required_literal(r"ab*", false), None);
        assert_eq!(required_literal(r"xyz+", false).as_deref(), Some("xyz"));
        assert_eq!(required_literal(r"ä{2}bcd", true).as_deref(), Some("bcd"));
    }

    #[test]
    fn regex_limits_are_typed() {
        let kind = || Cow::Borrowed("X");
        // Within 4 KiB of pattern, counted repetition blows past the compiled size limit.
        let error = compile_regex("regex[0]", r"(?:a{1000}){1000}", "", kind(), None).err().unwrap();
        assert_eq!(error.kind(), ErrorKind::LimitExceeded, "{error}");
        assert_eq!(error.details()["limit"], "regex_size");
        assert_eq!(error.details()["option"], "regex[0].pattern");
        let error =
            compile_regex("regex[0]", &format!("{}a{}", "(".repeat(80), ")".repeat(80)), "", kind(), None).err().unwrap();
        assert_eq!(error.kind(), ErrorKind::LimitExceeded, "{error}");
        assert_eq!(error.details()["limit"], "regex_nesting");
        let error = compile_regex("regex[0]", "(a", "", kind(), None).err().unwrap();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        let error = compile_regex("regex[0]", &"a".repeat(MAX_PATTERN_BYTES + 1), "", kind(), None).err().unwrap();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn pending() {
        let scanner = TextScanner::from_options(&json!({"banned": ["top secret"]})).unwrap();
        assert_eq!(scanner.pending_from("this is top sec"), 6);
        assert_eq!(scanner.pending_from("done. "), 0);
        let scanner = TextScanner::from_options(&json!({"regex": ["a b"]})).unwrap();
        assert_eq!(scanner.pending_from("line one\nline two"), 9);
        let scanner = TextScanner::from_options(&json!({"maxChars": 3})).unwrap();
        assert_eq!(scanner.pending_from("line one"), 5);
    }
}
