//! Mustache source → a tree of nodes, with the spec's standalone-line rules and set delimiters.
//!
//! A tag that may stand alone (section open/close, inverted, comment, partial, set delimiter,
//! block, parent) and is the only non-blank thing on its line removes the whole line,
//! newline included; a standalone partial or parent keeps the line's indentation to indent
//! every line of what it includes.
//!
//! Inheritance adds pairs of tags that stand alone together on one line:
//! `{{<parent}}{{/parent}}`, `{{<parent}}{{$block}}` and `{{/block}}{{/parent}}` remove
//! their line like a standalone tag; `{{$block}}{{/block}}` removes the blanks before it but
//! keeps the line's newline. A block whose opening tag stands alone (by itself or in a pair) is
//! *standalone*: its content is dedented by the content's common indentation, and where it is
//! expanded, whatever content is chosen for it is indented by that indentation (or, when the
//! content has none, by the blanks before the opening tag).

use crate::error::{Error, ErrorKind, Location, LocationCursor, Result};
use std::sync::Arc;

/// How deep sections, blocks and parents may nest in a source.
pub(crate) const MAX_NESTING: usize = 512;

/// The default delimiters.
pub(crate) const OPEN: &str = "{{";
pub(crate) const CLOSE: &str = "}}";

/// A name as written in a tag: `.` (the current context) or dot-separated segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    /// Empty for `.`, the implicit iterator.
    pub(crate) segments: Vec<String>,
}

impl Name {
    fn parse(text: &str) -> Name {
        if text == "." {
            Name { segments: Vec::new() }
        } else {
            Name { segments: text.split('.').map(str::to_owned).collect() }
        }
    }

    pub(crate) fn dotted(&self) -> String {
        if self.segments.is_empty() {
            ".".to_owned()
        } else {
            self.segments.join(".")
        }
    }
}

/// The unrendered source between a section's tags, which a lambda section receives, and the
/// delimiters in force at its opening tag, with which the lambda's result is parsed.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    source: Arc<str>,
    start: usize,
    end: usize,
    /// `None` for the default `{{ }}`.
    delimiters: Option<Box<(String, String)>>,
}

impl Raw {
    pub(crate) fn text(&self) -> &str {
        &self.source[self.start..self.end]
    }

    pub(crate) fn delimiters(&self) -> (&str, &str) {
        match &self.delimiters {
            Some(pair) => (&pair.0, &pair.1),
            None => (OPEN, CLOSE),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// Template text. `line_start` says whether it begins a line of the source (so that a
    /// standalone block's dedent applies to its first line too).
    Text {
        text: String,
        line_start: bool,
    },
    Variable {
        name: Name,
        escape: bool,
        at: Location,
    },
    Section {
        name: Name,
        inverted: bool,
        children: Vec<Node>,
        at: Location,
        raw: Raw,
    },
    /// `{{>name}}`, or `{{>*name}}` (dynamic: the partial's name is looked up in the data).
    Partial {
        name: String,
        dynamic: bool,
        indent: String,
        at: Location,
    },
    /// `{{$name}}…{{/name}}`: a block with default content, overridable by a parent's caller.
    /// `indent` is `Some` for a standalone block: the indentation of the place it is expanded
    /// at, given to every line of the content chosen for it. `dedent` is what was taken off the
    /// start of its content's lines (only while parsing).
    Block {
        name: String,
        children: Vec<Node>,
        indent: Option<String>,
        dedent: String,
    },
    /// `{{<name}}…{{/name}}`: renders partial `name` with the blocks given inside.
    Parent {
        name: String,
        dynamic: bool,
        indent: String,
        blocks: Vec<Node>,
        at: Location,
    },
}

/// What an open section-like tag is waiting for.
struct Open {
    kind: OpenKind,
    name: String,
    at: Location,
    children: Vec<Node>,
    /// Where its content starts: a section's raw text right after the tag, a standalone
    /// block's content on the next line.
    body: usize,
}

enum OpenKind {
    Section {
        inverted: bool,
        delimiters: Option<Box<(String, String)>>,
    },
    /// `standalone`: the blanks before a standalone opening tag.
    Block {
        standalone: Option<String>,
    },
    Parent {
        dynamic: bool,
        indent: String,
    },
}

/// One tag as the parser met it.
struct Tag<'s> {
    kind: char,
    content: &'s str,
    start: usize,
    end: usize,
    /// The blanks before it on its line when it stands alone (by itself or in a pair).
    standalone: Option<&'s str>,
    /// Where the content it opens starts (for opening tags).
    body_start: usize,
    /// Where the content it closes ends (for closing tags).
    body_end: usize,
}

/// Parses `source` with `open` and `close` as the delimiters at its start.
pub(crate) fn parse(source: Arc<str>, open: &str, close: &str) -> Result<Vec<Node>> {
    let mut parser = Parser {
        source: &source,
        shared: &source,
        open: open.to_owned(),
        close: close.to_owned(),
        stack: Vec::new(),
        cursor: LocationCursor::new(),
        cursor_at: 0,
        dedents: false,
    };
    let mut nodes = parser.run()?;
    if parser.dedents {
        dedent(&mut nodes, "");
    }
    Ok(nodes)
}

struct Parser<'s> {
    source: &'s str,
    shared: &'s Arc<str>,
    open: String,
    close: String,
    stack: Vec<Open>,
    /// Tags are met in source order, so their locations come from one forward walk.
    cursor: LocationCursor,
    cursor_at: usize,
    /// Whether some standalone block has content to dedent.
    dedents: bool,
}

/// After `from`, blanks then a newline (`\n` or `\r\n`) or the end: the position after them.
fn line_end(bytes: &[u8], from: usize) -> Option<usize> {
    let blank_end = skip_blanks(bytes, from);
    match (bytes.get(blank_end), bytes.get(blank_end + 1)) {
        (None, _) => Some(blank_end),
        (Some(b'\n'), _) => Some(blank_end + 1),
        (Some(b'\r'), Some(b'\n')) => Some(blank_end + 2),
        _ => None,
    }
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

impl<'s> Parser<'s> {
    fn location(&mut self, at: usize) -> Location {
        if at < self.cursor_at {
            return Location::in_source(self.source, at);
        }
        self.cursor.advance(&self.source[self.cursor_at..at]);
        self.cursor_at = at;
        self.cursor.location()
    }

    fn syntax_error(&mut self, at: usize, message: impl Into<String>) -> Error {
        let location = self.location(at);
        Error::new(ErrorKind::TemplateSyntax, message).with_location(location)
    }

    fn run(&mut self) -> Result<Vec<Node>> {
        let source = self.source;
        let bytes = source.as_bytes();
        let mut root: Vec<Node> = Vec::new();
        let mut pos = 0;
        loop {
            let Some(found) = source[pos..].find(self.open.as_str()) else {
                self.text(&mut root, pos, source.len());
                break;
            };
            let tag_start = pos + found;
            let (kind, content, tag_end) = self.read_tag(tag_start)?;
            // Standalone: only blanks between the line's start and the tag, and between the tag
            // and "\n", "\r\n" or the end. Both scans cover blanks only, so a long line with
            // many tags stays linear.
            let mut line_start = tag_start;
            while line_start > pos && matches!(bytes[line_start - 1], b' ' | b'\t') {
                line_start -= 1;
            }
            let starts_line = line_start == 0 || bytes[line_start - 1] == b'\n';
            let standalone_capable = matches!(kind, '#' | '^' | '/' | '!' | '>' | '=' | '$' | '<');
            let before = &source[line_start..tag_start];
            if standalone_capable && starts_line {
                if let Some(after) = line_end(bytes, tag_end) {
                    self.text(&mut root, pos, line_start);
                    let tag = Tag {
                        kind,
                        content,
                        start: tag_start,
                        end: tag_end,
                        standalone: Some(before),
                        body_start: after,
                        body_end: line_start,
                    };
                    self.tag(&mut root, tag)?;
                    pos = after;
                    continue;
                }
                if let Some(next) = self.pair(&mut root, pos, (kind, content, tag_start, tag_end), line_start)? {
                    pos = next;
                    continue;
                }
            }
            self.text(&mut root, pos, tag_start);
            let (start, end) = (tag_start, tag_end);
            let tag = Tag { kind, content, start, end, standalone: None, body_start: end, body_end: start };
            self.tag(&mut root, tag)?;
            pos = tag_end;
        }
        if let Some(open) = self.stack.last() {
            return Err(
                Error::new(ErrorKind::TemplateSyntax, format!("unclosed section '{}'", open.name)).with_location(open.at)
            );
        }
        Ok(root)
    }

    /// The inheritance tags that stand alone in pairs, the first at `first` starting a line
    /// after blanks only: parses both and returns where parsing goes on, or `None` when `first`
    /// does not start such a pair.
    fn pair(
        &mut self,
        root: &mut Vec<Node>,
        pos: usize,
        first: (char, &'s str, usize, usize),
        line_start: usize,
    ) -> Result<Option<usize>> {
        let (kind, content, start, end) = first;
        if !matches!(kind, '<' | '$' | '/') || !self.source[end..].starts_with(self.open.as_str()) {
            return Ok(None);
        }
        // A second tag that does not read is an error the main loop reports in its turn.
        let Ok((kind2, content2, end2)) = self.read_tag(end) else { return Ok(None) };
        let fits = match (kind, kind2) {
            ('<', '/') | ('$', '/') | ('<', '$') => true,
            ('/', '/') => {
                let n = self.stack.len();
                n >= 2
                    && matches!(self.stack[n - 1].kind, OpenKind::Block { .. })
                    && matches!(self.stack[n - 2].kind, OpenKind::Parent { .. })
            }
            _ => false,
        };
        let bytes = self.source.as_bytes();
        let Some(after) = line_end(bytes, end2).filter(|_| fits) else { return Ok(None) };
        let before = &self.source[line_start..start];
        self.text(root, pos, line_start);
        let (body_start, body_end) = (after, line_start);
        let mut first = Tag { kind, content, start, end, standalone: Some(before), body_start, body_end };
        let mut second =
            Tag { kind: kind2, content: content2, start: end, end: end2, standalone: Some(""), body_start, body_end };
        if kind == '$' {
            // `{{$block}}{{/block}}`: an empty block expanded at the line's indentation; the
            // line's newline stays.
            let blank_end = skip_blanks(bytes, end2);
            first.body_start = end;
            second.body_end = end;
            self.tag(root, first)?;
            self.tag(root, second)?;
            return Ok(Some(blank_end));
        }
        self.tag(root, first)?;
        self.tag(root, second)?;
        Ok(Some(after))
    }

    fn children<'a>(&'a mut self, root: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
        match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => root,
        }
    }

    /// Adds the source text from `start` to `end`.
    fn text(&mut self, root: &mut Vec<Node>, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let source = self.source;
        let line_start = start == 0 || source.as_bytes()[start - 1] == b'\n';
        let text = &source[start..end];
        let nodes = self.children(root);
        if let Some(Node::Text { text: last, .. }) = nodes.last_mut() {
            // Only tags that leave nothing (comments, delimiter changes) separate two texts;
            // merged, a line that began after such a tag still begins after the blanks before it.
            last.push_str(text);
        } else {
            nodes.push(Node::Text { text: text.to_owned(), line_start });
        }
    }

    /// Reads the tag at `start`: its kind character (`'n'` for a plain variable), its
    /// content, and the position after it.
    fn read_tag(&mut self, start: usize) -> Result<(char, &'s str, usize)> {
        let source: &'s str = self.source;
        let inner = start + self.open.len();
        let first = source[inner..].chars().next();
        let (kind, content_start, terminator) = match first {
            Some('{') => ('{', inner + 1, format!("}}{}", self.close)),
            Some('=') => ('=', inner + 1, format!("={}", self.close)),
            Some(c @ ('&' | '#' | '^' | '/' | '!' | '>' | '$' | '<')) => (c, inner + 1, self.close.clone()),
            _ => ('n', inner, self.close.clone()),
        };
        let Some(length) = source[content_start..].find(terminator.as_str()) else {
            return Err(self.syntax_error(start, format!("unclosed tag: no '{}' after '{}'", terminator, self.open)));
        };
        Ok((kind, &source[content_start..content_start + length], content_start + length + terminator.len()))
    }

    fn tag(&mut self, root: &mut Vec<Node>, tag: Tag<'s>) -> Result<()> {
        let Tag { kind, start, .. } = tag;
        let content = tag.content.trim();
        let at = self.location(start);
        let indent = tag.standalone.unwrap_or("").to_owned();
        let node = match kind {
            '!' => return Ok(()),
            '=' => {
                let parts: Vec<&str> = content.split_whitespace().collect();
                let [open, close] = parts[..] else {
                    return Err(
                        self.syntax_error(start, format!("bad delimiter change '{content}': expected two delimiters"))
                    );
                };
                self.open = open.to_owned();
                self.close = close.to_owned();
                return Ok(());
            }
            '#' | '^' | '$' | '<' => {
                self.check_name(content, start)?;
                let (kind, name, body) = match kind {
                    '#' | '^' => {
                        let delimiters = (self.open != OPEN || self.close != CLOSE)
                            .then(|| Box::new((self.open.clone(), self.close.clone())));
                        (OpenKind::Section { inverted: kind == '^', delimiters }, content, tag.end)
                    }
                    '$' => (OpenKind::Block { standalone: tag.standalone.map(str::to_owned) }, content, tag.body_start),
                    _ => match content.strip_prefix('*') {
                        Some(name) => (OpenKind::Parent { dynamic: true, indent }, name.trim(), tag.end),
                        None => (OpenKind::Parent { dynamic: false, indent }, content, tag.end),
                    },
                };
                if self.stack.len() >= MAX_NESTING {
                    // Deeper trees would also be deeper to drop and to render, recursively.
                    return Err(Error::new(
                        ErrorKind::LimitExceeded,
                        format!("sections nest deeper than {MAX_NESTING} levels"),
                    )
                    .with_location(at)
                    .with_detail("limit", "nesting"));
                }
                self.stack.push(Open { kind, name: name.to_owned(), at, children: Vec::new(), body });
                return Ok(());
            }
            '/' => {
                let Some(open) = self.stack.pop() else {
                    return Err(self.syntax_error(start, format!("closing tag '{content}' closes no section")));
                };
                if open.name != content.trim_start_matches('*').trim() {
                    return Err(self.syntax_error(
                        start,
                        format!("closing tag '{content}' does not match the open section '{}'", open.name),
                    ));
                }
                match open.kind {
                    OpenKind::Section { inverted, delimiters } => Node::Section {
                        name: Name::parse(&open.name),
                        inverted,
                        children: open.children,
                        at: open.at,
                        raw: Raw { source: self.shared.clone(), start: open.body, end: start, delimiters },
                    },
                    OpenKind::Block { standalone: None } => {
                        Node::Block { name: open.name, children: open.children, indent: None, dedent: String::new() }
                    }
                    OpenKind::Block { standalone: Some(before) } => {
                        let body = &self.source[open.body..tag.body_end.max(open.body)];
                        let dedent = common_indent(body).to_owned();
                        self.dedents |= !dedent.is_empty();
                        let indent = if dedent.is_empty() { before } else { dedent.clone() };
                        Node::Block { name: open.name, children: open.children, indent: Some(indent), dedent }
                    }
                    OpenKind::Parent { dynamic, indent } => Node::Parent {
                        name: open.name,
                        dynamic,
                        indent,
                        // Inside a parent tag only blocks count; anything else is ignored.
                        blocks: open.children.into_iter().filter(|n| matches!(n, Node::Block { .. })).collect(),
                        at: open.at,
                    },
                }
            }
            '>' => {
                let (dynamic, name) = match content.strip_prefix('*') {
                    Some(name) => (true, name.trim()),
                    None => (false, content),
                };
                Node::Partial { name: name.to_owned(), dynamic, indent, at }
            }
            _ => {
                self.check_name(content, start)?;
                Node::Variable { name: Name::parse(content), escape: kind == 'n', at }
            }
        };
        self.children(root).push(node);
        Ok(())
    }

    fn check_name(&mut self, name: &str, start: usize) -> Result<()> {
        if name.is_empty() {
            return Err(self.syntax_error(start, "empty tag name"));
        }
        Ok(())
    }
}

/// The blanks that start every line of `text` that is not blank.
fn common_indent(text: &str) -> &str {
    let mut common: Option<&str> = None;
    for line in text.split('\n') {
        let rest = line.trim_start_matches([' ', '\t']);
        if rest.is_empty() || rest == "\r" {
            continue;
        }
        let indent = &line[..line.len() - rest.len()];
        common = Some(match common {
            None => indent,
            Some(known) => &known[..shared_prefix(known, indent)],
        });
    }
    common.unwrap_or("")
}

/// How many leading bytes `a` and `b` share.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// Takes `strip` (blanks) off the start of every source line in `nodes`, except inside
/// standalone blocks, which take off their own (longer) indentation; the indentation of
/// standalone partials, parents and blocks loses it too. A blank line loses what it has of it.
fn dedent(nodes: &mut [Node], strip: &str) {
    for node in nodes {
        match node {
            Node::Text { text, line_start } => {
                if !strip.is_empty() {
                    let mut out = String::with_capacity(text.len());
                    for (i, line) in text.split_inclusive('\n').enumerate() {
                        let cut = if i > 0 || *line_start { shared_prefix(line, strip) } else { 0 };
                        out.push_str(&line[cut..]);
                    }
                    *text = out;
                }
            }
            Node::Variable { .. } => {}
            Node::Section { children, .. } => dedent(children, strip),
            Node::Partial { indent, .. } => {
                indent.drain(..shared_prefix(indent, strip));
            }
            Node::Parent { indent, blocks, .. } => {
                indent.drain(..shared_prefix(indent, strip));
                dedent(blocks, strip);
            }
            Node::Block { children, indent, dedent: own, .. } => {
                if let Some(indent) = indent {
                    indent.drain(..shared_prefix(indent, strip));
                }
                // A standalone block's own indentation starts with the enclosing one, being
                // common to fewer lines; with no lines of its own it has none.
                let inner = if own.is_empty() { strip } else { own.as_str() };
                dedent(children, inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_indent_skips_blank_lines() {
        assert_eq!(common_indent("    one\n\n  \n    two\n"), "    ");
        assert_eq!(common_indent("  one\n\ttwo"), "");
        assert_eq!(common_indent("\n \n"), "");
        assert_eq!(common_indent("  a\r\n    b\r\n"), "  ");
    }

    #[test]
    fn sections_keep_their_raw_text_and_delimiters() {
        let nodes = parse(Arc::from("{{=<% %>=}}<%#a%>x <%b%>\n<%/a%>"), OPEN, CLOSE).unwrap();
        let Node::Section { raw, .. } = &nodes[0] else { panic!("{nodes:?}") };
        assert_eq!(raw.text(), "x <%b%>\n");
        assert_eq!(raw.delimiters(), ("<%", "%>"));
    }
}
