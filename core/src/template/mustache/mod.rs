//! Mustache templates, to the mustache spec (v1.4): interpolation, sections, inverted
//! sections, comments, partials (with standalone indentation), set delimiters, and the
//! optional inheritance (`{{<parent}}`/`{{$block}}`, with its whitespace rules), dynamic names
//! (`{{>*name}}`) and lambdas (functions in the data, called through the render's [`Host`]).
//!
//! Values print as mustache.js prints them (`String(value)`); section values are tested for
//! JavaScript truthiness, with an empty list false. HTML escaping is off unless asked for
//! (prompts are not HTML); with it, `& < > "` are escaped as the spec requires.

mod parse;
mod render;

use crate::error::Result;
use crate::template::host::Host;
use crate::template::Escape;
use parse::Node;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// A compiled Mustache template with its partials.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    nodes: Vec<Node>,
    partials: HashMap<String, Vec<Node>>,
}

impl Compiled {
    pub(crate) fn compile(source: &str, partials: &[(String, String)]) -> Result<Compiled> {
        let nodes = parse::parse(Arc::from(source), parse::OPEN, parse::CLOSE)?;
        let mut compiled = HashMap::with_capacity(partials.len());
        for (name, partial) in partials {
            let nodes = parse::parse(Arc::from(partial.as_str()), parse::OPEN, parse::CLOSE)
                .map_err(|e| e.with_detail("in_partial", name.as_str()).with_excerpt(partial))?;
            compiled.insert(name.clone(), nodes);
        }
        Ok(Compiled { nodes, partials: compiled })
    }

    /// The first segment of every name the template and its partials read, in order of first
    /// use, each once: every top-level input it may read, except what the templates that
    /// lambdas return read (unknowable before the render).
    pub(crate) fn variables(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect(&self.nodes, &mut names);
        let mut partial_names: Vec<&String> = self.partials.keys().collect();
        partial_names.sort();
        for name in partial_names {
            collect(&self.partials[name], &mut names);
        }
        names
    }

    pub(crate) fn render(
        &self,
        data: &Value,
        escape: Escape,
        strict: bool,
        max_output: usize,
        host: &mut dyn Host,
    ) -> Result<String> {
        render::Renderer::new(self, escape, strict, max_output, host).render(data)
    }
}

fn collect(nodes: &[Node], names: &mut Vec<String>) {
    fn add(names: &mut Vec<String>, first: Option<&str>) {
        if let Some(first) = first {
            if !names.iter().any(|known| known == first) {
                names.push(first.to_owned());
            }
        }
    }
    for node in nodes {
        match node {
            Node::Text { .. } => {}
            Node::Variable { name, .. } => add(names, name.segments.first().map(String::as_str)),
            Node::Section { name, children, .. } => {
                add(names, name.segments.first().map(String::as_str));
                collect(children, names);
            }
            Node::Partial { name, dynamic, .. } => {
                if *dynamic {
                    add(names, name.split('.').next());
                }
            }
            Node::Block { children, .. } => collect(children, names),
            Node::Parent { name, dynamic, blocks, .. } => {
                if *dynamic {
                    add(names, name.split('.').next());
                }
                collect(blocks, names);
            }
        }
    }
}

#[cfg(test)]
mod tests;
