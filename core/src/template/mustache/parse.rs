//! Mustache source → a tree of nodes, with the spec's standalone-line rules and set delimiters.
//!
//! A tag that may stand alone (section open/close, inverted, comment, partial, set delimiter,
//! block, parent) and is the only non-blank thing on its line removes the whole line,
//! newline included; a standalone partial or parent keeps the line's indentation to indent
//! every line of what it includes.

use crate::error::{Error, ErrorKind, Location, LocationCursor, Result};

/// How deep sections, blocks and parents may nest in a source.
pub(crate) const MAX_NESTING: usize = 512;

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

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String),
    Variable { name: Name, escape: bool, at: Location },
    Section { name: Name, inverted: bool, children: Vec<Node>, at: Location },
    /// `{{>name}}`, or `{{>*name}}` (dynamic: the partial's name is looked up in the data).
    Partial { name: String, dynamic: bool, indent: String, at: Location },
    /// `{{$name}}…{{/name}}`: a block with default content, overridable by a parent's caller.
    Block { name: String, children: Vec<Node> },
    /// `{{<name}}…{{/name}}`: renders partial `name` with the blocks given inside.
    Parent { name: String, dynamic: bool, indent: String, blocks: Vec<Node>, at: Location },
}

/// What an open section-like tag is waiting for.
struct Open {
    kind: OpenKind,
    name: String,
    at: Location,
    children: Vec<Node>,
}

enum OpenKind {
    Section { inverted: bool },
    Block,
    Parent { dynamic: bool, indent: String },
}

pub(crate) fn parse(source: &str) -> Result<Vec<Node>> {
    let mut parser = Parser {
        source,
        open: "{{".to_owned(),
        close: "}}".to_owned(),
        stack: Vec::new(),
        cursor: LocationCursor::new(),
        cursor_at: 0,
    };
    parser.run()
}

struct Parser<'s> {
    source: &'s str,
    open: String,
    close: String,
    stack: Vec<Open>,
    /// Tags are met in source order, so their locations come from one forward walk.
    cursor: LocationCursor,
    cursor_at: usize,
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
        let mut root: Vec<Node> = Vec::new();
        let mut pos = 0;
        loop {
            let Some(found) = source[pos..].find(self.open.as_str()) else {
                push_text(self.children(&mut root), &source[pos..]);
                break;
            };
            let tag_start = pos + found;
            let (kind, content, tag_end) = self.read_tag(tag_start)?;
            let standalone_capable = matches!(kind, '#' | '^' | '/' | '!' | '>' | '=' | '$' | '<');
            // Standalone: only blanks between the line's start and the tag, and between the tag
            // and "\n", "\r\n" or the end. Both scans cover blanks only, so a long line with
            // many tags stays linear.
            let bytes = source.as_bytes();
            let mut line_start = tag_start;
            while line_start > pos && matches!(bytes[line_start - 1], b' ' | b'\t') {
                line_start -= 1;
            }
            let starts_line = line_start == 0 || bytes[line_start - 1] == b'\n';
            let mut blank_end = tag_end;
            while blank_end < bytes.len() && matches!(bytes[blank_end], b' ' | b'\t') {
                blank_end += 1;
            }
            let after_end = match (bytes.get(blank_end), bytes.get(blank_end + 1)) {
                (None, _) => Some(blank_end),
                (Some(b'\n'), _) => Some(blank_end + 1),
                (Some(b'\r'), Some(b'\n')) => Some(blank_end + 2),
                _ => None,
            };
            let standalone = standalone_capable && starts_line && after_end.is_some();
            let before = &source[line_start..tag_start];
            let (text_end, next) = match after_end {
                Some(end) if standalone => (line_start, end),
                _ => (tag_start, tag_end),
            };
            push_text(self.children(&mut root), &source[pos..text_end]);
            let indent = if standalone { before.to_owned() } else { String::new() };
            self.tag(&mut root, kind, content.trim(), indent, tag_start)?;
            pos = next;
        }
        if let Some(open) = self.stack.last() {
            return Err(Error::new(ErrorKind::TemplateSyntax, format!("unclosed section '{}'", open.name))
                .with_location(open.at));
        }
        Ok(root)
    }

    fn children<'a>(&'a mut self, root: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
        match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => root,
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

    fn tag(&mut self, root: &mut Vec<Node>, kind: char, content: &str, indent: String, start: usize) -> Result<()> {
        let at = self.location(start);
        let node = match kind {
            '!' => return Ok(()),
            '=' => {
                let parts: Vec<&str> = content.split_whitespace().collect();
                let [open, close] = parts[..] else {
                    return Err(self.syntax_error(start, format!("bad delimiter change '{content}': expected two delimiters")));
                };
                self.open = open.to_owned();
                self.close = close.to_owned();
                return Ok(());
            }
            '#' | '^' | '$' | '<' => {
                self.check_name(content, start)?;
                let (kind, name) = match kind {
                    '#' => (OpenKind::Section { inverted: false }, content),
                    '^' => (OpenKind::Section { inverted: true }, content),
                    '$' => (OpenKind::Block, content),
                    _ => match content.strip_prefix('*') {
                        Some(name) => (OpenKind::Parent { dynamic: true, indent }, name.trim()),
                        None => (OpenKind::Parent { dynamic: false, indent }, content),
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
                self.stack.push(Open { kind, name: name.to_owned(), at, children: Vec::new() });
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
                    OpenKind::Section { inverted } => {
                        Node::Section { name: Name::parse(&open.name), inverted, children: open.children, at: open.at }
                    }
                    OpenKind::Block => Node::Block { name: open.name, children: open.children },
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

fn push_text(nodes: &mut Vec<Node>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Text(last)) = nodes.last_mut() {
        last.push_str(text);
    } else {
        nodes.push(Node::Text(text.to_owned()));
    }
}
