//! Rendering a parsed Mustache tree against JSON data, with a context stack, partials,
//! inheritance blocks, standalone-partial indentation and limits.

use super::parse::{Name, Node};
use super::Compiled;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::template::Escape;
use serde_json::Value;

/// How deep sections and partials may nest before rendering stops with an error.
pub(crate) const MAX_DEPTH: usize = 256;

pub(crate) struct Renderer<'t> {
    compiled: &'t Compiled,
    escape: Escape,
    strict: bool,
    max_output: usize,
    out: String,
    depth: usize,
    /// Whether the output is at the start of a line, where an indented partial adds its indent.
    at_line_start: bool,
}

/// Block overrides in force, innermost parent call last; the first definition found from the
/// outermost caller inward wins.
type Blocks<'t> = Vec<&'t [Node]>;

impl<'t> Renderer<'t> {
    pub(crate) fn new(compiled: &'t Compiled, escape: Escape, strict: bool, max_output: usize) -> Self {
        Renderer { compiled, escape, strict, max_output, out: String::new(), depth: 0, at_line_start: true }
    }

    pub(crate) fn render(mut self, data: &'t Value) -> Result<String> {
        let mut stack = vec![data];
        self.nodes(&self.compiled.nodes, &mut stack, "", &Vec::new())?;
        Ok(self.out)
    }

    fn nodes<'v>(&mut self, nodes: &'t [Node], stack: &mut Vec<&'v Value>, indent: &str, blocks: &Blocks<'t>) -> Result<()>
    where
        't: 'v,
    {
        for node in nodes {
            match node {
                Node::Text(text) => self.text(text, indent),
                Node::Variable { name, escape, at } => {
                    let value = self.lookup(stack, name, *at)?;
                    let mut text = String::new();
                    if let Some(value) = value {
                        display(value, &mut text);
                    }
                    self.value(&text, *escape, indent);
                }
                Node::Section { name, inverted, children, at } => {
                    let value = self.lookup(stack, name, *at)?;
                    let truthy = value.is_some_and(truthy);
                    if *inverted {
                        if !truthy {
                            self.nested(*at, |r| r.nodes(children, stack, indent, blocks))?;
                        }
                    } else if let Some(value) = value.filter(|_| truthy) {
                        match value {
                            Value::Array(items) => {
                                for item in items {
                                    stack.push(item);
                                    let result = self.nested(*at, |r| r.nodes(children, stack, indent, blocks));
                                    stack.pop();
                                    result?;
                                }
                            }
                            _ => {
                                stack.push(value);
                                let result = self.nested(*at, |r| r.nodes(children, stack, indent, blocks));
                                stack.pop();
                                result?;
                            }
                        }
                    }
                }
                Node::Partial { name, dynamic, indent: own, at } => {
                    let Some(name) = self.partial_name(stack, name, *dynamic) else { continue };
                    let Some(partial) = self.compiled.partials.get(&name) else { continue };
                    let indent = format!("{indent}{own}");
                    if !own.is_empty() {
                        self.at_line_start = true;
                    }
                    self.nested(*at, |r| r.nodes(partial, stack, &indent, blocks))?;
                }
                Node::Block { name, children } => {
                    let chosen = blocks.iter().find_map(|defined| find_block(defined, name)).unwrap_or(children);
                    self.nodes(chosen, stack, indent, blocks)?;
                }
                Node::Parent { name, dynamic, indent: own, blocks: given, at } => {
                    let Some(name) = self.partial_name(stack, name, *dynamic) else { continue };
                    let Some(partial) = self.compiled.partials.get(&name) else { continue };
                    let indent = format!("{indent}{own}");
                    if !own.is_empty() {
                        self.at_line_start = true;
                    }
                    // Outer callers' definitions come first, so they win over this call's.
                    let mut inner = blocks.clone();
                    inner.push(given);
                    self.nested(*at, |r| r.nodes(partial, stack, &indent, &inner))?;
                }
            }
            if self.out.len() > self.max_output {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    format!("the output grew past {} bytes (the maxOutputBytes option)", self.max_output),
                )
                .with_detail("limit", "output_bytes"));
            }
        }
        Ok(())
    }

    fn nested(&mut self, at: Location, body: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("sections and partials nest deeper than {MAX_DEPTH} levels"),
            )
            .with_location(at)
            .with_detail("limit", "depth"));
        }
        self.depth += 1;
        let result = body(self);
        self.depth -= 1;
        result
    }

    fn partial_name(&self, stack: &[&Value], name: &str, dynamic: bool) -> Option<String> {
        if !dynamic {
            return Some(name.to_owned());
        }
        match lookup(stack, &Name { segments: name.split('.').map(str::to_owned).collect() })? {
            Value::String(name) => Some(name.clone()),
            _ => None,
        }
    }

    fn lookup<'v>(&self, stack: &[&'v Value], name: &Name, at: Location) -> Result<Option<&'v Value>> {
        let value = lookup(stack, name);
        if value.is_none() && self.strict {
            return Err(Error::new(ErrorKind::MissingVariable, format!("missing value for '{}'", name.dotted()))
                .with_location(at)
                .with_detail("variable", name.dotted()));
        }
        Ok(value)
    }

    /// Template text: with an indent, each line that starts here gets it first.
    fn text(&mut self, text: &str, indent: &str) {
        if indent.is_empty() {
            self.out.push_str(text);
        } else {
            for line in text.split_inclusive('\n') {
                if self.at_line_start {
                    self.out.push_str(indent);
                }
                self.out.push_str(line);
                self.at_line_start = line.ends_with('\n');
            }
            return;
        }
        if !text.is_empty() {
            self.at_line_start = text.ends_with('\n');
        }
    }

    /// An interpolated value: indented if it starts a line, never inside.
    fn value(&mut self, text: &str, escape: bool, indent: &str) {
        if self.at_line_start && !indent.is_empty() {
            self.out.push_str(indent);
        }
        self.at_line_start = false;
        if escape && self.escape == Escape::Html {
            escape_html(text, &mut self.out);
        } else {
            self.out.push_str(text);
        }
    }
}

fn find_block<'t>(nodes: &'t [Node], name: &str) -> Option<&'t Vec<Node>> {
    nodes.iter().find_map(|node| match node {
        Node::Block { name: defined, children } if defined == name => Some(children),
        _ => None,
    })
}

/// Resolves `name` against the context stack: the first segment in the innermost context
/// that has it, the rest strictly inside that value (a broken chain does not fall back).
pub(crate) fn lookup<'v>(stack: &[&'v Value], name: &Name) -> Option<&'v Value> {
    let Some((first, rest)) = name.segments.split_first() else {
        return stack.last().copied();
    };
    let mut value = stack.iter().rev().find_map(|context| child(context, first))?;
    for segment in rest {
        value = child(value, segment)?;
    }
    Some(value)
}

fn child<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|index| items.get(index)),
        _ => None,
    }
}

/// JavaScript truthiness, as mustache.js tests section values; an empty list is false too.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(text) => !text.is_empty(),
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// A value as mustache.js prints it (`String(value)`): `null` as nothing, numbers as
/// JavaScript writes them, lists joined with commas, objects as `[object Object]`.
pub(crate) fn display(value: &Value, out: &mut String) {
    match value {
        Value::Null => {}
        Value::String(text) => out.push_str(text),
        Value::Bool(_) | Value::Number(_) => crate::json::write_js_json(out, value),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                display(item, out);
            }
        }
        Value::Object(_) => out.push_str("[object Object]"),
    }
}

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
