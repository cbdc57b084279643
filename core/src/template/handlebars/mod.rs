//! Handlebars templates, as handlebars.js 4.7 renders them, without generating code: a
//! hand-written lexer and parser ([`lexer`], [`parse`]) that follow handlebars.js's grammar,
//! its whitespace control ([`whitespace`]), a lowering to a tree where every call is
//! classified once ([`ir`]), and a tree-walking renderer ([`render`]) that borrows from the
//! data. Helpers the caller registers, and functions found in the data, are called through
//! the render's [`Host`].

mod ir;
mod lexer;
mod parse;
mod render;
mod value;
mod whitespace;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::template::host::Host;
use crate::template::{Escape, TemplateOptions, DEFAULT_MAX_OUTPUT_BYTES};
use ir::{Base, Builtin, Call, Expr, Loc, Lower, Node, PartialName, Path, Prog, Target};
use serde_json::Value;
use std::collections::HashMap;

/// The compile options a render needs.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) escape_html: bool,
    pub(crate) strict: bool,
    pub(crate) assume_objects: bool,
    pub(crate) compat: bool,
    pub(crate) known_helpers_only: bool,
    pub(crate) prevent_indent: bool,
    pub(crate) explicit_partial_context: bool,
    pub(crate) ignore_standalone: bool,
    pub(crate) data: bool,
    pub(crate) helpers: Vec<String>,
    /// The caller registered `helperMissing` / `blockHelperMissing` hooks.
    pub(crate) helper_missing: bool,
    pub(crate) block_helper_missing: bool,
    pub(crate) max_output: usize,
}

impl Config {
    fn new(options: &TemplateOptions) -> Config {
        let hbs = &options.handlebars;
        let registered = |name: &str| options.helpers.iter().any(|h| h == name);
        Config {
            escape_html: options.escape == Escape::Html,
            strict: options.strict,
            assume_objects: hbs.assume_objects,
            compat: hbs.compat,
            known_helpers_only: hbs.known_helpers_only,
            prevent_indent: hbs.prevent_indent,
            explicit_partial_context: hbs.explicit_partial_context,
            ignore_standalone: hbs.ignore_standalone,
            data: hbs.data,
            helpers: options.helpers.clone(),
            helper_missing: registered("helperMissing"),
            block_helper_missing: registered("blockHelperMissing"),
            max_output: options.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES),
        }
    }
}

/// A compiled Handlebars template with its partials and the names of its helpers.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    root: Prog,
    partials: HashMap<String, Prog>,
    /// The partials' names and sources, for errors located in them (source `i + 1`).
    sources: Vec<(String, Box<str>)>,
    config: Config,
    /// Per source (template, then partials): whether handlebars.js would pass `@` data along
    /// in it: the `data` option, or the template or that source reads `@` names.
    data_on: Vec<bool>,
    variables: Vec<String>,
    /// Whether the template may read the root object as a whole (see [`Compiled::reads_whole_root`]).
    whole_root: bool,
    /// The template's text length, to size the output.
    text_bytes: usize,
}

impl Compiled {
    pub(crate) fn compile(source: &str, options: &TemplateOptions) -> Result<Compiled> {
        let config = Config::new(options);
        let (root, root_data) = compile_source(source, 0, &config)?;
        let mut data_on = vec![config.data || root_data];
        let mut partials = HashMap::with_capacity(options.partials.len());
        let mut sources = Vec::with_capacity(options.partials.len());
        for (i, (name, partial)) in options.partials.iter().enumerate() {
            let id = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let (prog, data) = compile_source(partial, id, &config)
                .map_err(|e| e.with_detail("in_partial", name.as_str()).with_excerpt(partial))?;
            data_on.push(config.data || root_data || data);
            partials.insert(name.clone(), prog);
            sources.push((name.clone(), partial.as_str().into()));
        }
        let text_bytes = text_len(&root.nodes).min(1 << 20);
        let mut compiled =
            Compiled { root, partials, sources, data_on, config, variables: Vec::new(), whole_root: false, text_bytes };
        (compiled.variables, compiled.whole_root) = Variables::collect(&compiled, options);
        Ok(compiled)
    }

    /// The top-level input names the template and its partials read, in order of first use.
    pub(crate) fn variables(&self) -> Vec<String> {
        self.variables.clone()
    }

    /// Whether the template may read the root object as a whole rather than by the names in
    /// [`Compiled::variables`]: it iterates it (`{{#each this}}`), looks a computed key up in
    /// it, passes it to a helper or under another name to a partial (`{{> p parent=..}}`). A
    /// caller that sends only the variables' values must then send the whole root.
    pub(crate) fn reads_whole_root(&self) -> bool {
        self.whole_root
    }

    pub(crate) fn render(
        &self,
        data: &Value,
        private: Option<&serde_json::Map<String, Value>>,
        host: &mut dyn Host,
    ) -> Result<String> {
        let mut renderer = render::Renderer::new(self, host);
        renderer.render(data, private)?;
        Ok(renderer.out)
    }

    /// Whether `@` data is passed along in the source of `loc`.
    pub(crate) fn data_on(&self, loc: &Loc) -> bool {
        self.data_on.get(loc.source as usize).copied().unwrap_or(true)
    }

    /// `error` at `loc`, with the partial it is in (and an excerpt of it) when it is in one.
    pub(crate) fn error_at(&self, error: Error, loc: &Loc) -> Error {
        let error = error.with_location(loc.at);
        match loc.source.checked_sub(1).and_then(|i| self.sources.get(i as usize)) {
            Some((name, source)) => error.with_detail("in_partial", name.as_str()).with_excerpt(source),
            None => error,
        }
    }
}

/// Parses, applies whitespace control and lowers one source; also says whether it reads `@` data.
fn compile_source(src: &str, id: u32, config: &Config) -> Result<(Prog, bool)> {
    let mut program = parse::parse(src).map_err(|e| parse::error_in(src, e))?;
    whitespace::apply(src, &mut program, config.ignore_standalone);
    let mut lower = Lower::new(src, id, config);
    let prog = lower.program(program)?;
    Ok((prog, lower.uses_data))
}

fn text_len(nodes: &[Node]) -> usize {
    nodes.iter().map(|n| if let Node::Text(text) = n { text.len() } else { 16 }).sum()
}

/// The names a template reads from its root data: every name looked up where the context may
/// be the root (the template's top level, `{{#if}}` and `{{else}}` bodies, bodies of the
/// caller's block helpers, partials called there with the current context), every first
/// segment of a `../` path and of `@root.x` (as `x`), and under `compat` every name.
struct Variables<'c> {
    compiled: &'c Compiled,
    explicit: bool,
    names: Vec<String>,
    /// Partials by name: analysed as root (`Some(true)`), as not root (`Some(false)`).
    seen: HashMap<&'c str, bool>,
    queue: Vec<(&'c str, bool)>,
    dynamic: bool,
    /// The root object itself may be read in ways no list of names covers.
    whole_root: bool,
}

impl<'c> Variables<'c> {
    fn collect(compiled: &'c Compiled, options: &'c TemplateOptions) -> (Vec<String>, bool) {
        let mut vars = Variables {
            compiled,
            explicit: compiled.config.explicit_partial_context,
            names: Vec::new(),
            seen: HashMap::new(),
            queue: Vec::new(),
            dynamic: false,
            whole_root: false,
        };
        vars.prog(&compiled.root, true);
        vars.drain();
        if vars.dynamic {
            for (name, _) in &options.partials {
                if !vars.seen.contains_key(name.as_str()) {
                    vars.partial_body(name, true);
                    vars.drain();
                }
            }
        }
        (vars.names, vars.whole_root)
    }

    /// Analyses the partials met so far, in the order they were met.
    fn drain(&mut self) {
        let mut next = 0;
        while let Some(&(name, root)) = self.queue.get(next) {
            next += 1;
            self.partial_body(name, root);
        }
        self.queue.clear();
    }

    fn partial_body(&mut self, name: &'c str, root: bool) {
        match self.seen.get(name) {
            Some(true) => return,
            Some(false) if !root => return,
            _ => {}
        }
        let Some(prog) = self.compiled.partials.get(name) else { return };
        self.seen.insert(name, root);
        self.prog(prog, root);
    }

    fn add(&mut self, name: &str) {
        if !self.names.iter().any(|known| known == name) {
            self.names.push(name.to_owned());
        }
    }

    fn prog(&mut self, prog: &'c Prog, root: bool) {
        for (_, body) in &prog.inline {
            self.prog(body, root);
        }
        for node in &prog.nodes {
            match node {
                Node::Text(_) => {}
                Node::Output(call) => self.call(call, root),
                Node::Block(block) => {
                    self.call(&block.call, root);
                    let first_param = block.call.params.first();
                    let body_root = match &block.call.target {
                        Target::Builtin(Builtin::Each) => {
                            // Iterating the root walks all its keys.
                            self.whole_root |= first_param.is_some_and(|p| root_ish(p, root));
                            false
                        }
                        Target::Builtin(Builtin::With) => {
                            let on_root = first_param.is_some_and(|p| root_ish(p, root));
                            // The root under a block parameter's name (`as |item|`): any key may be read.
                            self.whole_root |= on_root && block.program.as_ref().is_some_and(|p| p.block_params > 0);
                            on_root
                        }
                        // A section on the root itself (`{{#..}}`) renders with it as the context.
                        Target::Simple(path) | Target::Ambiguous(path) if path.parts.is_empty() => {
                            root || path_root_ish(path, root)
                        }
                        _ => root,
                    };
                    if let Some(program) = &block.program {
                        self.prog(program, body_root);
                    }
                    if let Some(inverse) = &block.inverse {
                        self.prog(inverse, root);
                    }
                }
                Node::Partial(partial) => {
                    if let PartialName::Dynamic(call) = &partial.name {
                        self.dynamic = true;
                        self.call(call, root);
                    }
                    if let Some(context) = &partial.context {
                        self.expr(context, root);
                    }
                    for (_, value) in partial.hash.iter() {
                        self.expr(value, root);
                        // The root under another name (`{{> p parent=..}}`): any key may be read.
                        self.whole_root |= root_ish(value, root);
                    }
                    let same_context = match &partial.context {
                        None => !self.explicit && root,
                        Some(context) => root_ish(context, root),
                    };
                    if let Some(block) = &partial.block {
                        self.prog(block, root);
                    }
                    if let PartialName::Static(name) = &partial.name {
                        if self.compiled.partials.contains_key(&**name) {
                            self.queue.push((name, same_context));
                        }
                    }
                }
            }
        }
    }

    fn call(&mut self, call: &'c Call, root: bool) {
        match &call.target {
            Target::Simple(path) | Target::Ambiguous(path) | Target::Missing(path) => self.path(path, root),
            Target::Builtin(Builtin::Lookup) => match &call.params[..] {
                [first, Expr::Literal(Value::String(key))] if root_ish(first, root) => self.add(key),
                // A key computed at render time, on the root.
                [first, ..] if root_ish(first, root) => self.whole_root = true,
                _ => {}
            },
            Target::Host(_) => {
                // A helper given the root may read any of it (`{{json this}}`).
                self.whole_root |= call.params.iter().chain(call.hash.iter().map(|(_, v)| v)).any(|p| root_ish(p, root));
            }
            _ => {}
        }
        for param in call.params.iter() {
            self.expr(param, root);
        }
        for (_, value) in call.hash.iter() {
            self.expr(value, root);
        }
    }

    fn expr(&mut self, expr: &'c Expr, root: bool) {
        match expr {
            Expr::Path(path) => self.path(path, root),
            Expr::Call(call) => self.call(call, root),
            Expr::Literal(_) | Expr::Undefined => {}
        }
    }

    fn path(&mut self, path: &Path, root: bool) {
        let first = path.parts.first().map(|s| &*s.name);
        match (path.base, first) {
            (Base::Context(0), Some(first)) if root => self.add(first),
            (Base::Context(depth), Some(first)) if depth > 0 => self.add(first),
            (Base::Compat, Some(first)) => self.add(first),
            (Base::Data(_), Some("root")) => {
                if let Some(second) = path.parts.get(1) {
                    self.add(&second.name);
                }
            }
            _ => {}
        }
    }
}

/// Whether an expression may be the root object itself: `this` where the context may be the
/// root, `..` and its like (conservatively), `@root`.
fn root_ish(expr: &Expr, root: bool) -> bool {
    matches!(expr, Expr::Path(path) if path_root_ish(path, root))
}

fn path_root_ish(path: &Path, root: bool) -> bool {
    match path.base {
        Base::Context(0) => root && path.parts.is_empty(),
        Base::Context(_) => path.parts.is_empty(),
        Base::Data(_) => path.parts.len() == 1 && &*path.parts[0].name == "root",
        Base::Compat | Base::BlockParam(..) => false,
    }
}
