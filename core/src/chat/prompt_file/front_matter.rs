//! YAML front matter between `---` lines at the top of a prompt file, read into JSON.

use crate::error::{Error, ErrorKind, Location, Result};
use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// A source split into its front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split<'a> {
    /// The YAML text between the `---` lines, and its byte offset in the source.
    pub front_matter: Option<(&'a str, usize)>,
    /// The body: everything after the closing `---` line, or the whole source without one.
    pub body: &'a str,
}

fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// After `---` at `at`: the end of a run of whitespace holding a line break, the position
/// just after its first line break and just after its last one.
fn dashes_line(source: &str, at: usize) -> Option<(usize, usize)> {
    let rest = source.get(at..)?;
    if !rest.starts_with("---") {
        return None;
    }
    let mut first = None;
    let mut last = None;
    for (i, c) in rest[3..].char_indices() {
        if !is_js_space(c) {
            break;
        }
        let end = at + 3 + i + c.len_utf8();
        if c == '\n' || c == '\r' {
            if first.is_none() {
                // `\r\n` is one line break.
                first = Some(if c == '\r' && source[end..].starts_with('\n') { end + 1 } else { end });
            }
            last = Some(end);
        }
    }
    Some((first?, last?))
}

/// Splits `source` as Dotprompt does (`^---\s*\n([\s\S]*?)\n---\s*\n([\s\S]*)$`): the front
/// matter is the shortest text ending at a line of `---` followed by a line break.
pub(crate) fn split(source: &str) -> Split<'_> {
    let Some((start, _)) = dashes_line(source, 0) else {
        return Split { front_matter: None, body: source };
    };
    let bytes = source.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            let after = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
            if let Some((_, body)) = dashes_line(source, after) {
                return Split { front_matter: Some((&source[start..i], start)), body: &source[body..] };
            }
            // A lone `\r` before `\n---` also ends the front matter at the `\n`.
        }
        i += 1;
    }
    Split { front_matter: None, body: source }
}

/// Reads the YAML `text` (found at byte `offset` of `source`) into JSON: a mapping, or `null`
/// for an empty text. Errors are `prompt_syntax` with their place in `source`.
pub(crate) fn parse_yaml(text: &str, offset: usize, source: &str) -> Result<Value> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        let marker = e.marker();
        // The marker counts characters; turn it into a byte offset in the source.
        let byte = text.char_indices().nth(marker.index()).map_or(text.len(), |(b, _)| b);
        let location = Location::in_source(source, offset + byte);
        Error::new(ErrorKind::PromptSyntax, format!("the front matter is not valid YAML: {} at {location}", e.info()))
            .with_location(location)
            .with_excerpt(source)
    })?;
    let syntax = |message: &str| {
        Error::new(ErrorKind::PromptSyntax, message.to_owned()).with_location(Location::in_source(source, offset))
    };
    match docs.len() {
        0 => Ok(Value::Null),
        1 => yaml_to_json(&docs[0]).map_err(|m| syntax(&m)),
        _ => Err(syntax("the front matter holds more than one YAML document")),
    }
}

fn key_text(key: &Yaml) -> std::result::Result<String, String> {
    Ok(match key {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(n) => n.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => "null".to_owned(),
        other => return Err(format!("a mapping key in the front matter is not a scalar ({other:?})")),
    })
}

/// One YAML node as JSON (YAML 1.2 core schema).
pub(crate) fn yaml_to_json(node: &Yaml) -> std::result::Result<Value, String> {
    Ok(match node {
        Yaml::Null | Yaml::BadValue => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(n) => Value::Number((*n).into()),
        Yaml::Real(text) => {
            let n = node.as_f64().or_else(|| text.parse().ok()).ok_or_else(|| format!("'{text}' is not a number"))?;
            // JSON has no infinities or NaN: keep them as JavaScript prints them.
            Number::from_f64(n).map_or_else(|| Value::String(js_number_name(n)), Value::Number)
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect::<std::result::Result<_, _>>()?),
        Yaml::Hash(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                out.insert(key_text(key)?, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) => return Err("the front matter uses an unresolved YAML alias".to_owned()),
    })
}

fn js_number_name(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n > 0.0 {
        "Infinity".to_owned()
    } else {
        "-Infinity".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let s = split("---\na: 1\n---\nbody\n");
        assert_eq!(s.front_matter, Some(("a: 1", 4)));
        assert_eq!(s.body, "body\n");
        let s = split("---\r\na: 1\r\n---\r\n");
        assert_eq!(s.front_matter.map(|f| f.0), Some("a: 1"));
        assert_eq!(s.body, "");
        assert_eq!(split("---\na: 1\n---").front_matter, None);
        assert_eq!(split("hello\n---\n").front_matter, None);
        assert_eq!(split("---\n\n---\nx").front_matter.map(|f| f.0), Some(""));
    }

    #[test]
    fn yaml_errors_have_locations() {
        let source = "---\nmodel: a\nconfig: [1, 2\n---\nbody";
        let split = split(source);
        let (text, offset) = split.front_matter.unwrap();
        let e = parse_yaml(text, offset, source).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PromptSyntax);
        let loc = e.location().unwrap();
        assert!(loc.line >= 3, "{loc:?} {}", e.message());
    }
}
