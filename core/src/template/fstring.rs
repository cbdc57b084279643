//! LangChain.js f-string templates: `{name}` inserts a variable, `{{` and `}}` are literal
//! braces.
//!
//! The parse mirrors `parseFString` in `@langchain/core` (itself Python's `Formatter` loop):
//! - `{{` → `{` and `}}` → `}`, checked before anything else at each position;
//! - `{` starts a variable whose name is *everything* up to the next `}`, taken verbatim:
//!   no trimming, no format spec, no attribute access (`{ a }` names ` a `, `{a.b}` names
//!   `a.b`, `{}` names the empty string);
//! - a `{` with no `}` after it is an "unclosed" error, a `}` that is not part of `}}` and
//!   does not close a variable is a "single `}`" error; both carry the brace's location.

use super::Parsed;
use crate::error::{Error, ErrorKind, LocationCursor, Result};

/// Parses `source` into literal text and variable references.
pub(super) fn parse(source: &str) -> Result<Parsed> {
    let bytes = source.as_bytes();
    let mut parsed = Parsed::default();
    // Locations are tracked incrementally, so the whole parse stays one pass.
    let mut cursor = LocationCursor::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'{', Some(b'{')) => {
                parsed.push_literal("{");
                cursor.advance("{{");
                i += 2;
            }
            (b'}', Some(b'}')) => {
                parsed.push_literal("}");
                cursor.advance("}}");
                i += 2;
            }
            (b'{', _) => {
                let Some(close) = find(bytes, i + 1, |b| b == b'}') else {
                    return Err(Error::new(
                        ErrorKind::TemplateSyntax,
                        "unclosed '{' in f-string template: no '}' ends the variable that starts here \
                         (write '{{' for a literal brace)",
                    )
                    .with_location(cursor.location())
                    .with_detail("reason", "unclosed_brace"));
                };
                let at = cursor.location();
                parsed.push_variable(&source[i + 1..close], at);
                cursor.advance(&source[i..=close]);
                i = close + 1;
            }
            (b'}', _) => {
                return Err(Error::new(
                    ErrorKind::TemplateSyntax,
                    "single '}' in f-string template (write '}}' for a literal brace)",
                )
                .with_location(cursor.location())
                .with_detail("reason", "single_closing_brace"));
            }
            _ => {
                let end = find(bytes, i, |b| b == b'{' || b == b'}').unwrap_or(bytes.len());
                // Braces are ASCII, so `i` and `end` are character boundaries.
                let text = &source[i..end];
                parsed.push_literal(text);
                cursor.advance(text);
                i = end;
            }
        }
    }
    Ok(parsed)
}

fn find(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    bytes[from..].iter().position(|&b| wanted(b)).map(|p| from + p)
}

/// A hint appended to a missing-variable message when the name looks like something other
/// f-string dialects accept but LangChain's does not.
pub(super) fn missing_name_hint(name: &str) -> &'static str {
    if name.is_empty() {
        " ('{}' names the empty string; f-strings here have no positional fields)"
    } else if name.trim() != name {
        " (spaces inside the braces are part of the name)"
    } else if name.contains([':', '!', '.', '[']) {
        " (format specs, conversions, attributes and indexes are not supported: the braces hold one name)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Part;

    fn parts(source: &str) -> Vec<String> {
        let parsed = parse(source).unwrap().finish();
        parsed
            .parts
            .iter()
            .map(|part| match part {
                Part::Literal(text, _) => format!("L:{text}"),
                Part::Variable(index) => format!("V:{}", parsed.variables[*index]),
            })
            .collect()
    }

    #[test]
    fn literal_braces_merge_into_text() {
        assert_eq!(parts("{{pre{foo}post}}"), ["L:{pre", "V:foo", "L:post}"]);
        assert_eq!(parts("}}{{"), ["L:}{"]);
        assert_eq!(parts(""), Vec::<String>::new());
    }

    #[test]
    fn names_are_taken_verbatim() {
        assert_eq!(parts("{ a }{a.b}{}{a{b}"), ["V: a ", "V:a.b", "V:", "V:a{b"]);
    }

    #[test]
    fn errors_point_at_the_brace() {
        let err = parse("ok\nab {x").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TemplateSyntax);
        let at = err.location().unwrap();
        assert_eq!((at.line, at.column, at.offset), (2, 4, 6));
        let err = parse("é}").unwrap_err();
        assert_eq!(err.location().unwrap().column, 2);
        assert_eq!(err.details()["reason"], "single_closing_brace");
    }
}
