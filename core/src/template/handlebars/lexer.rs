//! The Handlebars tokenizer: a hand-written copy of the jison lexer of handlebars.js 4.7
//! (`handlebars.l`), state for state and rule for rule, so that odd inputs tokenize the same.
//!
//! States: text (`INITIAL`), inside a tag (`mu`), after an escaping backslash (`emu`) and
//! inside a raw block (`raw`, nestable). The first rule that matches wins, as in jison.

/// The kinds of token the parser sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    Content,
    Comment,
    OpenRawBlock,
    CloseRawBlock,
    EndRawBlock,
    OpenBlock,
    OpenDecoratorBlock,
    OpenPartial,
    OpenPartialBlock,
    OpenEndBlock,
    Inverse,
    OpenInverse,
    OpenInverseChain,
    Open,
    OpenUnescaped,
    OpenDecorator,
    OpenSexpr,
    CloseSexpr,
    Equals,
    Id,
    Sep,
    CloseUnescaped,
    Close,
    Str,
    Data,
    Bool,
    Undefined,
    Null,
    Number,
    OpenBlockParams,
    CloseBlockParams,
    Invalid,
    Eof,
}

impl Tok {
    /// How a token is named in messages.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Tok::Content => "text",
            Tok::Comment => "a comment",
            Tok::OpenRawBlock => "'{{{{'",
            Tok::CloseRawBlock => "'}}}}'",
            Tok::EndRawBlock => "the end of a raw block",
            Tok::OpenBlock => "'{{#'",
            Tok::OpenDecoratorBlock => "'{{#*'",
            Tok::OpenPartial => "'{{>'",
            Tok::OpenPartialBlock => "'{{#>'",
            Tok::OpenEndBlock => "'{{/'",
            Tok::Inverse => "'{{else}}'",
            Tok::OpenInverse => "'{{^'",
            Tok::OpenInverseChain => "'{{else'",
            Tok::Open => "'{{'",
            Tok::OpenUnescaped => "'{{{'",
            Tok::OpenDecorator => "'{{*'",
            Tok::OpenSexpr => "'('",
            Tok::CloseSexpr => "')'",
            Tok::Equals => "'='",
            Tok::Id => "a name",
            Tok::Sep => "a path separator",
            Tok::CloseUnescaped => "'}}}'",
            Tok::Close => "'}}'",
            Tok::Str => "a string",
            Tok::Data => "'@'",
            Tok::Bool => "a boolean",
            Tok::Undefined => "'undefined'",
            Tok::Null => "'null'",
            Tok::Number => "a number",
            Tok::OpenBlockParams => "'as |'",
            Tok::CloseBlockParams => "'|'",
            Tok::Invalid => "an unexpected character",
            Tok::Eof => "the end of the template",
        }
    }
}

/// One token: its kind, its byte span in the source, and for strings, bracketed names and the
/// name of a raw block's end, the value when it differs from the source text.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: Option<Box<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Mu,
    Emu,
    Raw,
}

/// A lexical error: where, and what went wrong.
pub(super) struct LexError {
    pub(super) at: usize,
    pub(super) message: String,
}

/// JavaScript's `\s`.
pub(super) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// A character allowed in an ID: anything but whitespace and ``!"#%&'()*+,./;<=>@[\]^`{|}~``.
fn is_id_char(c: char) -> bool {
    !(is_js_space(c) || (c.is_ascii() && b"!\"#%&'()*+,./;<=>@[\\]^`{|}~".contains(&(c as u8))))
}

fn char_at(src: &str, at: usize) -> Option<char> {
    src.get(at..).and_then(|rest| rest.chars().next())
}

/// The first occurrence of `pattern` at or after byte `from`.
fn find(bytes: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    let first = pattern[0];
    let mut at = from;
    while at + pattern.len() <= bytes.len() {
        let offset = bytes[at..bytes.len() + 1 - pattern.len()].iter().position(|&b| b == first)?;
        at += offset;
        if bytes[at..].starts_with(pattern) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The end of a run of JavaScript whitespace starting at `at`.
fn skip_space(src: &str, mut at: usize) -> usize {
    while let Some(c) = char_at(src, at) {
        if !is_js_space(c) {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// Whether the character at `at` satisfies a lookahead class: one of `chars` or whitespace.
fn lookahead(src: &str, at: usize, chars: &[u8]) -> bool {
    match char_at(src, at) {
        Some(c) => is_js_space(c) || (c.is_ascii() && chars.contains(&(c as u8))),
        None => false,
    }
}

/// Tokenizes `src` completely; the last token is [`Tok::Eof`].
pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::with_capacity(src.len() / 8 + 4);
    let mut states = vec![State::Initial];
    let mut at = 0;
    let push = |tokens: &mut Vec<Token>, kind, start, end| tokens.push(Token { kind, start, end, value: None });
    loop {
        let state = *states.last().unwrap_or(&State::Initial);
        match state {
            State::Initial => {
                if at >= bytes.len() {
                    push(&mut tokens, Tok::Eof, at, at);
                    return Ok(tokens);
                }
                match find(bytes, at, b"{{") {
                    Some(open) => {
                        let text = &bytes[at..open];
                        let content_end = if text.ends_with(b"\\\\") {
                            states.push(State::Mu);
                            open - 1
                        } else if text.ends_with(b"\\") {
                            states.push(State::Emu);
                            open - 1
                        } else {
                            states.push(State::Mu);
                            open
                        };
                        if content_end > at {
                            push(&mut tokens, Tok::Content, at, content_end);
                        }
                        at = open;
                    }
                    None => {
                        push(&mut tokens, Tok::Content, at, bytes.len());
                        at = bytes.len();
                    }
                }
            }
            State::Emu => {
                // At least the two characters of "{{", then up to the next "{{", "\{{", "\\{{" or the end.
                let min = at + 2;
                let end = match find(bytes, min, b"{{") {
                    Some(open) => {
                        if open >= min + 2 && &bytes[open - 2..open] == b"\\\\" {
                            open - 2
                        } else if open > min && bytes[open - 1] == b'\\' {
                            open - 1
                        } else {
                            open
                        }
                    }
                    None => bytes.len(),
                };
                push(&mut tokens, Tok::Content, at, end);
                states.pop();
                at = end;
            }
            State::Raw => {
                let rest = &bytes[at..];
                if rest.starts_with(b"{{{{") && rest.get(4).is_some_and(|&c| c != b'/') {
                    push(&mut tokens, Tok::Content, at, at + 4);
                    states.push(State::Raw);
                    at += 4;
                    continue;
                }
                if rest.starts_with(b"{{{{/") {
                    let name_start = at + 5;
                    let mut name_end = name_start;
                    while let Some(c) = char_at(src, name_end).filter(|&c| is_id_char(c)) {
                        name_end += c.len_utf8();
                    }
                    if name_end > name_start && bytes[name_end..].starts_with(b"}}}}") {
                        states.pop();
                        let end = name_end + 4;
                        if states.last() == Some(&State::Raw) {
                            push(&mut tokens, Tok::Content, at, end);
                        } else {
                            tokens.push(Token {
                                kind: Tok::EndRawBlock,
                                start: at,
                                end,
                                value: Some(src[name_start..name_end].into()),
                            });
                        }
                        at = end;
                        continue;
                    }
                }
                let next = at + char_at(src, at).map_or(1, char::len_utf8);
                match find(bytes, next, b"{{{{") {
                    Some(open) => {
                        push(&mut tokens, Tok::Content, at, open);
                        at = open;
                    }
                    None => {
                        return Err(LexError {
                            at,
                            message: "unclosed raw block: expected '{{{{/name}}}}' before the end of the template"
                                .to_owned(),
                        })
                    }
                }
            }
            State::Mu => {
                if at >= bytes.len() {
                    push(&mut tokens, Tok::Eof, at, at);
                    return Ok(tokens);
                }
                at = lex_mu(src, at, &mut tokens, &mut states)?;
            }
        }
    }
}

/// One rule of the `mu` state at `at`; returns the position after it.
fn lex_mu(src: &str, at: usize, tokens: &mut Vec<Token>, states: &mut Vec<State>) -> Result<usize, LexError> {
    let bytes = src.as_bytes();
    let rest = &bytes[at..];
    let mut token = |kind, len: usize| {
        tokens.push(Token { kind, start: at, end: at + len, value: None });
        at + len
    };
    match rest[0] {
        b'(' => return Ok(token(Tok::OpenSexpr, 1)),
        b')' => return Ok(token(Tok::CloseSexpr, 1)),
        _ => {}
    }
    if rest.starts_with(b"{{{{") {
        return Ok(token(Tok::OpenRawBlock, 4));
    }
    if rest.starts_with(b"}}}}") {
        states.pop();
        states.push(State::Raw);
        return Ok(token(Tok::CloseRawBlock, 4));
    }
    if rest.starts_with(b"{{") {
        let k = if rest.get(2) == Some(&b'~') { 3 } else { 2 };
        let after = &rest[k..];
        let first = after.first().copied();
        match first {
            Some(b'>') => return Ok(token(Tok::OpenPartial, k + 1)),
            Some(b'#') => {
                return Ok(match after.get(1) {
                    Some(b'>') => token(Tok::OpenPartialBlock, k + 2),
                    Some(b'*') => token(Tok::OpenDecoratorBlock, k + 2),
                    _ => token(Tok::OpenBlock, k + 1),
                })
            }
            Some(b'/') => return Ok(token(Tok::OpenEndBlock, k + 1)),
            Some(b'^') => {
                let mut j = skip_space(src, at + k + 1);
                if bytes.get(j) == Some(&b'~') {
                    j += 1;
                }
                if bytes[j..].starts_with(b"}}") {
                    states.pop();
                    return Ok(token(Tok::Inverse, j + 2 - at));
                }
                // `{{else}}` cannot start with '^', so `{{^` is an open inverse.
                return Ok(token(Tok::OpenInverse, k + 1));
            }
            _ => {}
        }
        let word = skip_space(src, at + k);
        if bytes[word..].starts_with(b"else") {
            let mut j = skip_space(src, word + 4);
            if bytes.get(j) == Some(&b'~') {
                j += 1;
            }
            if bytes[j..].starts_with(b"}}") {
                states.pop();
                return Ok(token(Tok::Inverse, j + 2 - at));
            }
            let boundary = bytes.get(word + 4).is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'));
            if boundary {
                return Ok(token(Tok::OpenInverseChain, word + 4 - at));
            }
        }
        match first {
            Some(b'{') => return Ok(token(Tok::OpenUnescaped, k + 1)),
            Some(b'&') => return Ok(token(Tok::Open, k + 1)),
            Some(b'!') => {
                let end = if after.get(1..3) == Some(b"--") {
                    // `[\s\S]*?--~?}}` from the start of the tag.
                    let mut search = at;
                    loop {
                        let Some(dashes) = find(bytes, search, b"--") else {
                            return Err(LexError {
                                at,
                                message: "unclosed comment: expected '--}}' after '{{!--'".to_owned(),
                            });
                        };
                        let tail = &bytes[dashes + 2..];
                        if tail.starts_with(b"}}") {
                            break dashes + 4;
                        }
                        if tail.starts_with(b"~}}") {
                            break dashes + 5;
                        }
                        search = dashes + 1;
                    }
                } else {
                    match find(bytes, at + k + 1, b"}}") {
                        Some(close) => close + 2,
                        None => {
                            return Err(LexError { at, message: "unclosed comment: expected '}}' after '{{!'".to_owned() })
                        }
                    }
                };
                states.pop();
                return Ok(token(Tok::Comment, end - at));
            }
            Some(b'*') => return Ok(token(Tok::OpenDecorator, k + 1)),
            _ => return Ok(token(Tok::Open, k)),
        }
    }
    match rest[0] {
        b'=' => return Ok(token(Tok::Equals, 1)),
        b'.' if rest.starts_with(b"..") => return Ok(token(Tok::Id, 2)),
        b'.' if lookahead(src, at + 1, b"=~}/.)|") => return Ok(token(Tok::Id, 1)),
        b'.' | b'/' => return Ok(token(Tok::Sep, 1)),
        _ => {}
    }
    let c = char_at(src, at).unwrap_or('\0');
    if is_js_space(c) {
        return Ok(skip_space(src, at));
    }
    if rest.starts_with(b"}}}") || rest.starts_with(b"}~}}") {
        states.pop();
        let len = if rest[1] == b'~' { 4 } else { 3 };
        return Ok(token(Tok::CloseUnescaped, len));
    }
    if rest.starts_with(b"}}") || rest.starts_with(b"~}}") {
        states.pop();
        let len = if rest[0] == b'~' { 3 } else { 2 };
        return Ok(token(Tok::Close, len));
    }
    if c == '"' || c == '\'' {
        if let Some(end) = quoted_end(bytes, at, c as u8) {
            let inner = &src[at + 1..end - 1];
            let escaped = if c == '"' { "\\\"" } else { "\\'" };
            let value: Box<str> = inner.replace(escaped, &src[at..at + 1]).into();
            tokens.push(Token { kind: Tok::Str, start: at, end, value: Some(value) });
            return Ok(end);
        }
    }
    if c == '@' {
        return Ok(token(Tok::Data, 1));
    }
    for (word, kind) in [("true", Tok::Bool), ("false", Tok::Bool), ("undefined", Tok::Undefined), ("null", Tok::Null)] {
        if rest.starts_with(word.as_bytes()) && lookahead(src, at + word.len(), b"~})") {
            return Ok(token(kind, word.len()));
        }
    }
    if let Some(len) = number_len(rest) {
        if lookahead(src, at + len, b"~})") {
            return Ok(token(Tok::Number, len));
        }
    }
    if rest.starts_with(b"as") {
        let j = skip_space(src, at + 2);
        if j > at + 2 && bytes.get(j) == Some(&b'|') {
            return Ok(token(Tok::OpenBlockParams, j + 1 - at));
        }
    }
    if c == '|' {
        return Ok(token(Tok::CloseBlockParams, 1));
    }
    if is_id_char(c) {
        let mut end = at;
        while let Some(c) = char_at(src, end).filter(|&c| is_id_char(c)) {
            end += c.len_utf8();
        }
        // At the end of the input the lookahead fails and handlebars.js sees an invalid
        // character; both fail to parse, but "expected '}}'" is the better message.
        if lookahead(src, end, b"=~}/.)|") || end == bytes.len() {
            return Ok(token(Tok::Id, end - at));
        }
    }
    if c == '[' {
        if let Some(end) = quoted_end_bracket(bytes, at) {
            let text = &src[at..end];
            let mut value = String::with_capacity(text.len());
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\\' && matches!(chars.peek(), Some('\\' | ']')) {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
            tokens.push(Token { kind: Tok::Id, start: at, end, value: Some(value.into()) });
            return Ok(end);
        }
    }
    Ok(token(Tok::Invalid, c.len_utf8()))
}

/// The end (after the closing quote) of `"(\\"|[^"])*"` at `at`, with the regex's
/// backtracking: an escaped quote closes the string when no plain quote follows.
fn quoted_end(bytes: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut i = at + 1;
    let mut last_escaped = None;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&quote) {
            last_escaped = Some(i + 1);
            i += 2;
        } else if bytes[i] == quote {
            return Some(i + 1);
        } else {
            i += 1;
        }
    }
    last_escaped.map(|quote_at| quote_at + 1)
}

/// The end of `\[(\\\]|[^\]])*\]` at `at`, backtracking like [`quoted_end`].
fn quoted_end_bracket(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    let mut last_escaped = None;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b']') {
            last_escaped = Some(i + 1);
            i += 2;
        } else if bytes[i] == b']' {
            return Some(i + 1);
        } else {
            i += 1;
        }
    }
    last_escaped.map(|close| close + 1)
}

/// The length of `-?[0-9]+(\.[0-9]+)?` at the start of `rest`, if it matches. Both the long
/// and the short form are tried, as the regex's backtracking would, by the caller's lookahead
/// check on the long form only: a '.' after the digits never satisfies the lookahead.
fn number_len(rest: &[u8]) -> Option<usize> {
    let mut i = usize::from(rest.first() == Some(&b'-'));
    let digits = rest[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    i += digits;
    if rest.get(i) == Some(&b'.') {
        let fraction = rest[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction > 0 {
            i += 1 + fraction;
        }
    }
    Some(i)
}
