//! Rendering a parsed Mustache tree against JSON data, with a context stack, partials,
//! inheritance blocks, standalone indentation, lambdas (through the [`Host`]) and limits.

use super::parse::{self, Name, Node, Raw};
use super::Compiled;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::template::host::{function_id, Callee, Host, HostCall, HostValue, NoBlocks};
use crate::template::Escape;
use serde_json::{Map, Value};
use std::sync::Arc;

/// How deep sections, partials and lambda outputs may nest before rendering stops with an
/// error.
pub(crate) const MAX_DEPTH: usize = 256;

pub(crate) struct Renderer<'t, 'h> {
    compiled: &'t Compiled,
    host: &'h mut dyn Host,
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
type Blocks<'n> = Vec<&'n [Node]>;

impl<'t, 'h> Renderer<'t, 'h> {
    pub(crate) fn new(
        compiled: &'t Compiled,
        escape: Escape,
        strict: bool,
        max_output: usize,
        host: &'h mut dyn Host,
    ) -> Self {
        Renderer { compiled, host, escape, strict, max_output, out: String::new(), depth: 0, at_line_start: true }
    }

    pub(crate) fn render(mut self, data: &Value) -> Result<String> {
        let mut stack = vec![data];
        self.nodes(&self.compiled.nodes, &mut stack, "", &Vec::new())?;
        Ok(self.out)
    }

    fn nodes<'n, 'v>(
        &mut self,
        nodes: &'n [Node],
        stack: &mut Vec<&'v Value>,
        indent: &str,
        blocks: &Blocks<'n>,
    ) -> Result<()>
    where
        't: 'n,
    {
        for node in nodes {
            match node {
                Node::Text { text, .. } => self.text(text, indent),
                Node::Variable { name, escape, at } => {
                    let value = self.lookup(stack, name, *at)?;
                    if let Some(id) = value.and_then(function_id) {
                        self.interpolate_lambda(id, name, *escape, *at, stack, indent, blocks)?;
                    } else {
                        let mut text = String::new();
                        if let Some(value) = value {
                            display(value, &mut text);
                        }
                        self.value(&text, *escape, indent);
                    }
                }
                Node::Section { name, inverted, children, at, raw } => {
                    let value = self.lookup(stack, name, *at)?;
                    if let Some(id) = value.and_then(function_id) {
                        // A function is true: an inverted section over one renders nothing.
                        if !*inverted {
                            self.section_lambda(id, name, raw, *at, stack, indent, blocks)?;
                        }
                        continue;
                    }
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
                Node::Block { name, children, indent: own, .. } => {
                    let chosen = blocks.iter().find_map(|defined| find_block(defined, name)).unwrap_or(children);
                    match own.as_deref() {
                        // A standalone block: what it expands to is indented as its place is.
                        Some(own) if !own.is_empty() => {
                            let indent = format!("{indent}{own}");
                            self.at_line_start = true;
                            self.nodes(chosen, stack, &indent, blocks)?;
                        }
                        _ => self.nodes(chosen, stack, indent, blocks)?,
                    }
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
            self.check_output()?;
        }
        Ok(())
    }

    fn check_output(&self) -> Result<()> {
        if self.out.len() > self.max_output {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("the output grew past {} bytes (the maxOutputBytes option)", self.max_output),
            )
            .with_detail("limit", "output_bytes"));
        }
        Ok(())
    }

    /// `{{lambda}}`: calls the function with no arguments, renders what it returns as a template
    /// (default delimiters) against the current context, and interpolates that, escaped as the
    /// tag says unless the host marked it safe.
    #[allow(clippy::too_many_arguments)]
    fn interpolate_lambda<'n, 'v>(
        &mut self,
        id: u32,
        name: &Name,
        escape: bool,
        at: Location,
        stack: &mut Vec<&'v Value>,
        indent: &str,
        blocks: &Blocks<'n>,
    ) -> Result<()> {
        let dotted = name.dotted();
        let (source, safe) = self.call(id, &dotted, stack, None, at)?;
        let nodes = lambda_template(source, (parse::OPEN, parse::CLOSE), &dotted, at)?;
        // Rendered in place to count against the output limit, then taken back to be escaped.
        let mark = self.out.len();
        let line_start = self.at_line_start;
        self.nested(at, |r| r.nodes(&nodes, stack, "", blocks)).map_err(|e| in_lambda_output(e, at))?;
        let rendered = self.out.split_off(mark);
        self.at_line_start = line_start;
        self.value(&rendered, escape && !safe, indent);
        Ok(())
    }

    /// `{{#lambda}}raw{{/lambda}}`: calls the function with the section's raw text and renders
    /// what it returns as a template (the section's delimiters) in place of the section.
    #[allow(clippy::too_many_arguments)]
    fn section_lambda<'n, 'v>(
        &mut self,
        id: u32,
        name: &Name,
        raw: &Raw,
        at: Location,
        stack: &mut Vec<&'v Value>,
        indent: &str,
        blocks: &Blocks<'n>,
    ) -> Result<()> {
        let dotted = name.dotted();
        let (source, _) = self.call(id, &dotted, stack, Some(raw.text()), at)?;
        let nodes = lambda_template(source, raw.delimiters(), &dotted, at)?;
        self.nested(at, |r| r.nodes(&nodes, stack, indent, blocks)).map_err(|e| in_lambda_output(e, at))
    }

    /// Calls function `id` with the current context as `this` (and `section`, the raw text of a
    /// section, as its one argument): the text it returns, and whether it is marked safe.
    fn call(
        &mut self,
        id: u32,
        name: &str,
        stack: &[&Value],
        section: Option<&str>,
        at: Location,
    ) -> Result<(String, bool)> {
        let this = stack.last().copied().unwrap_or(&Value::Null);
        let args: Vec<Value> = section.map(|text| Value::String(text.to_owned())).into_iter().collect();
        let empty = Map::new();
        let call = HostCall {
            callee: Callee::Function(id),
            name,
            this,
            args: &args,
            hash: &empty,
            data: &empty,
            block: section.is_some(),
            inverse: false,
            block_params: 0,
        };
        let returned = self.host.call(&call, &mut NoBlocks).map_err(|e| match e.location() {
            // The call's own failure: point at the tag (keeping the rest, which a binding may
            // use to rethrow the original exception).
            None => e.with_location(at),
            Some(_) => e,
        })?;
        Ok(match returned {
            HostValue::Value(Value::String(text)) => (text, false),
            HostValue::Value(value) => {
                let mut text = String::new();
                display(&value, &mut text);
                (text, false)
            }
            HostValue::Safe(text) => (text, true),
            HostValue::Undefined => (String::new(), false),
        })
    }

    fn nested(&mut self, at: Location, body: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("sections, partials and lambda outputs nest deeper than {MAX_DEPTH} levels"),
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

/// Parses what lambda `name` (at `at`) returned, as a template with `delimiters`.
fn lambda_template(source: String, delimiters: (&str, &str), name: &str, at: Location) -> Result<Vec<Node>> {
    parse::parse(Arc::from(source), delimiters.0, delimiters.1).map_err(|e| {
        let within = e.location().map(|l| format!(" ({l} of that text)")).unwrap_or_default();
        let error = match e.kind() {
            ErrorKind::TemplateSyntax => Error::new(
                ErrorKind::TemplateSyntax,
                format!("the template returned by lambda '{name}' does not parse: {}{within}", e.message()),
            ),
            kind => Error::new(kind, format!("in the template returned by lambda '{name}': {}{within}", e.message())),
        };
        let error = e.details().iter().fold(error, |error, (key, value)| error.with_detail(key, value.clone()));
        error.with_location(at).with_detail("lambda", name)
    })
}

/// An error from rendering a lambda's output: one that points into that output points at the
/// lambda's tag instead, the output being no source the caller has.
fn in_lambda_output(error: Error, at: Location) -> Error {
    match error.location() {
        Some(_) => error.with_location(at),
        None => error,
    }
}

fn find_block<'n>(nodes: &'n [Node], name: &str) -> Option<&'n [Node]> {
    nodes.iter().find_map(|node| match node {
        Node::Block { name: defined, children, .. } if defined == name => Some(children.as_slice()),
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
        // A function's marker object has no keys to read.
        Value::Object(_) if function_id(value).is_some() => None,
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
