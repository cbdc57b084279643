//! Mustache source → a tree of nodes, with the spec's standalone-line rules and set delimiters.
//!
//! A tag that may stand alone (section open/close, inverted, comment, partial, set delimiter,
//! block, parent) and is the only non-blank thing on its line removes the whole line,
//! newline included; a standalone partial or parent keeps the line's indentation to indent
//! every line of what it includes.

use crate::error::{Error, ErrorKind, Location, Result};

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
    let mut parser = Parser { source, open: "{{".to_owned(), close: "}}".to_owned(), stack: Vec::new() };
    parser.run()
}

struct Parser<'s> {
    source: &'s str,
    open: String,
    close: String,
    stack: Vec<Open>,
}

impl<'s> Parser<'s> {
    fn syntax_error(&self, at: usize, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::TemplateSyntax, message).with_location(Location::in_source(self.source, at))
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
            let line_start = source[..tag_start].rfind('\n').map_or(0, |i| i + 1);
            let before = &source[line_start..tag_start];
            let after_end = source[tag_end..].find('\n').map_or(source.len(), |i| tag_end + i + 1);
            let after = &source[tag_end..after_end];
            // After the tag, blanks then "\n", "\r\n" or the end of the source.
            let rest = after.strip_suffix('\n').map_or(after, |r| r.strip_suffix('\r').unwrap_or(r));
            let blank = |text: &str| text.chars().all(|c| c == ' ' || c == '\t');
            let standalone = standalone_capable && blank(before) && blank(rest);
            let (text_end, next) = if standalone { (line_start.max(pos), after_end) } else { (tag_start, tag_end) };
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
    fn read_tag(&self, start: usize) -> Result<(char, &'s str, usize)> {
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
        let at = Location::in_source(self.source, start);
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

    fn check_name(&self, name: &str, start: usize) -> Result<()> {
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
