//! The compiled form a render walks, and the lowering from the syntax tree to it: texts are
//! merged, calls are classified once as handlebars.js's compiler does (`simple`, `ambiguous`
//! or `helper`, known helpers, block parameters resolved to their frame), and every node
//! that can fail carries its source location.
//!
//! The syntax tree's nodes are passed along boxed, and taken apart in small functions kept
//! out of line, so that the recursion over nested blocks and subexpressions (up to the
//! nesting limit) keeps small stack frames.
#![allow(clippy::boxed_local)]

use super::parse::{self, BlockKind, Expr as PExpr, PathExpr, Program, Sexpr, Stmt};
use super::Config;
use crate::error::{Error, ErrorKind, Location, Result};
use serde_json::Value;

/// A location in one of the sources: the template (`source` 0) or a partial.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loc {
    pub(crate) at: Location,
    pub(crate) source: u32,
}

/// A program: a block's body, an `{{else}}`, a partial, or the template.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prog {
    pub(crate) nodes: Vec<Node>,
    /// `{{#*inline "name"}}` partials defined directly in this program, in source order.
    pub(crate) inline: Vec<(Box<str>, Prog)>,
    /// One statement (comments and stripped text included): handlebars.js then returns that
    /// statement's value as it is, not as a string.
    pub(crate) simple: bool,
    /// How many block parameters (`as |a b|`) the program declares: a helper's
    /// `options.blockParams`.
    pub(crate) block_params: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(Box<str>),
    /// `{{x}}`, `{{{x}}}`, `{{helper args}}`.
    Output(Box<Call>),
    Block(Box<BlockNode>),
    Partial(Box<PartialNode>),
}

#[derive(Debug, Clone)]
pub(crate) struct BlockNode {
    pub(crate) call: Call,
    pub(crate) program: Option<Prog>,
    pub(crate) inverse: Option<Prog>,
}

#[derive(Debug, Clone)]
pub(crate) struct PartialNode {
    pub(crate) name: PartialName,
    /// The context argument; `None` for the current context.
    pub(crate) context: Option<Expr>,
    pub(crate) hash: Hash,
    /// The indentation of a standalone partial, added to every line it outputs.
    pub(crate) indent: Box<str>,
    /// The body of a partial block (`{{#> name}}…{{/name}}`), its `@partial-block`.
    pub(crate) block: Option<Prog>,
    pub(crate) loc: Loc,
}

#[derive(Debug, Clone)]
pub(crate) enum PartialName {
    Static(Box<str>),
    /// `{{> (expression)}}`.
    Dynamic(Box<Call>),
}

/// A helper call, a value lookup, or both until the data says which (handlebars.js's
/// ambiguous mustaches).
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) target: Target,
    pub(crate) params: Box<[Expr]>,
    pub(crate) hash: Hash,
    /// The name used (`options.name`): the helper's name or the path as written.
    pub(crate) name: Box<str>,
    pub(crate) loc: Loc,
    /// For an output: whether its value is HTML-escaped (a `{{ }}` tag with `escape: html`).
    pub(crate) escape: bool,
    /// For an output: whether its value always becomes text (a `{{ }}` tag, escaped or not).
    /// Only `{{{ }}}` and `{{& }}` hand primitives on as they are (see `Renderer::emit`).
    pub(crate) text: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    If,
    Unless,
    Each,
    With,
    Lookup,
    Log,
    HelperMissing,
    BlockHelperMissing,
}

impl Builtin {
    pub(crate) fn from_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "if" => Builtin::If,
            "unless" => Builtin::Unless,
            "each" => Builtin::Each,
            "with" => Builtin::With,
            "lookup" => Builtin::Lookup,
            "log" => Builtin::Log,
            "helperMissing" => Builtin::HelperMissing,
            "blockHelperMissing" => Builtin::BlockHelperMissing,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Target {
    Builtin(Builtin),
    /// A helper the caller registered.
    Host(Box<str>),
    /// A path, called if it holds a function, else its value (`simple`: no options).
    Simple(Path),
    /// A name that may be a helper: a function in the data is called with options; a missing
    /// value goes to `helperMissing`.
    Ambiguous(Path),
    /// A helper call by a name that is no helper: a function in the data, else `helperMissing`.
    Missing(Path),
}

/// Hash arguments: `key=value` pairs in source order.
pub(crate) type Hash = Box<[(Box<str>, Expr)]>;

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Literal(Value),
    Undefined,
    Path(Path),
    Call(Box<Call>),
}

#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub(crate) base: Base,
    /// The segments to look up from the base.
    pub(crate) parts: Box<[Segment]>,
    /// `strict` applies to the last segment (a name in helper position).
    pub(crate) strict: bool,
    /// `a && a.b` rather than `a != null ? a.b : a`: a falsy step ends the lookup.
    pub(crate) falsy: bool,
    pub(crate) original: Box<str>,
    pub(crate) loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The context `depth` levels up (`../`).
    Context(u32),
    /// `compat`: the first segment from the nearest context that has it.
    Compat,
    /// `@` data, `depth` frames up; the first segment is the data name.
    Data(u32),
    /// A block parameter: frame `depth` up, value `index`.
    BlockParam(u32, u32),
}

#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub(crate) name: Box<str>,
    /// The array index the name spells, if it is one (`0`, `12`, not `01`).
    pub(crate) index: Option<usize>,
}

impl Segment {
    fn new(name: &str) -> Segment {
        Segment { name: name.into(), index: array_index(name) }
    }
}

/// The index a property key denotes on an array: a canonical decimal below 2^32 - 1.
pub(crate) fn array_index(name: &str) -> Option<usize> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) || (bytes.len() > 1 && bytes[0] == b'0')
    {
        return None;
    }
    let n: u64 = name.parse().ok()?;
    (n < u32::MAX as u64).then_some(n as usize)
}

/// Byte offsets → [`Location`]s, from checkpoints every few hundred bytes.
pub(crate) struct Locator<'s> {
    src: &'s str,
    /// (byte, line, UTF-16 offset, UTF-16 offset of the line start)
    checkpoints: Vec<(usize, u32, usize, usize)>,
}

impl<'s> Locator<'s> {
    const STEP: usize = 256;

    pub(crate) fn new(src: &'s str) -> Locator<'s> {
        let mut checkpoints = vec![(0, 1, 0, 0)];
        let (mut line, mut utf16, mut line_start) = (1u32, 0usize, 0usize);
        let mut next = Self::STEP;
        for (i, c) in src.char_indices() {
            if i >= next {
                checkpoints.push((i, line, utf16, line_start));
                next = i + Self::STEP;
            }
            utf16 += c.len_utf16();
            if c == '\n' {
                line += 1;
                line_start = utf16;
            }
        }
        Locator { src, checkpoints }
    }

    pub(crate) fn locate(&self, byte: usize) -> Location {
        let mut byte = byte.min(self.src.len());
        while !self.src.is_char_boundary(byte) {
            byte -= 1;
        }
        let index = self.checkpoints.partition_point(|c| c.0 <= byte).saturating_sub(1);
        let (start, mut line, mut utf16, mut line_start) = self.checkpoints[index];
        for c in self.src[start..byte].chars() {
            utf16 += c.len_utf16();
            if c == '\n' {
                line += 1;
                line_start = utf16;
            }
        }
        Location { line, column: (utf16 - line_start + 1) as u32, offset: utf16, byte_offset: byte }
    }
}

/// Lowers one source's syntax tree.
pub(crate) struct Lower<'c> {
    src: &'c str,
    source: u32,
    locator: Locator<'c>,
    config: &'c Config,
    /// The declared block parameters of the programs being lowered, innermost last.
    block_params: Vec<Vec<Box<str>>>,
    /// Whether the source reads `@` data.
    pub(crate) uses_data: bool,
}

impl<'c> Lower<'c> {
    pub(crate) fn new(src: &'c str, source: u32, config: &'c Config) -> Lower<'c> {
        Lower { src, source, locator: Locator::new(src), config, block_params: Vec::new(), uses_data: false }
    }

    fn loc(&self, at: usize) -> Loc {
        Loc { at: self.locator.locate(at), source: self.source }
    }

    #[inline(never)]
    fn error(&self, at: usize, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::new(kind, message).with_location(self.loc(at).at)
    }

    pub(crate) fn program(&mut self, program: Program) -> Result<Prog> {
        let block_params = program.block_params.len() as u32;
        self.block_params.push(program.block_params);
        let mut prog = Prog { simple: program.body.len() == 1, block_params, ..Prog::default() };
        let mut text = String::new();
        for stmt in program.body {
            let node = match stmt {
                Stmt::Content { value, .. } => {
                    text.push_str(&self.src[value]);
                    continue;
                }
                Stmt::Comment { .. } => continue,
                Stmt::Mustache(mustache) => self.mustache(mustache)?,
                Stmt::Block(block) => match block.kind {
                    BlockKind::Decorator => {
                        let inline = self.inline_partial(block)?;
                        prog.inline.push(inline);
                        continue;
                    }
                    BlockKind::Partial => self.partial_block(block)?,
                    BlockKind::Normal | BlockKind::Raw => self.block(block)?,
                },
                Stmt::Partial(partial) => self.partial_stmt(partial, &mut text)?,
            };
            flush(&mut text, &mut prog.nodes);
            prog.nodes.push(node);
        }
        flush(&mut text, &mut prog.nodes);
        self.block_params.pop();
        Ok(prog)
    }

    #[inline(never)]
    fn partial_stmt(&mut self, partial: Box<parse::Partial>, text: &mut String) -> Result<Node> {
        let parse::Partial { sexpr, mut indent, .. } = *partial;
        if self.config.prevent_indent && !indent.is_empty() {
            text.push_str(&indent);
            indent.clear();
        }
        self.partial(sexpr, indent, None)
    }

    #[inline(never)]
    fn partial_block(&mut self, block: Box<parse::Block>) -> Result<Node> {
        let parse::Block { sexpr, program, .. } = *block;
        self.partial(sexpr, String::new(), program)
    }

    #[inline(never)]
    fn mustache(&mut self, mustache: Box<parse::Mustache>) -> Result<Node> {
        if mustache.decorator {
            return Err(self.unsupported_decorator(&mustache.sexpr));
        }
        let escape = mustache.escaped && self.config.escape_html;
        let mut call = self.call(mustache.sexpr, Kind::Mustache)?;
        call.escape = escape;
        call.text = mustache.escaped;
        Ok(Node::Output(call))
    }

    /// A block: its programs first (the recursion), then its call, so that no call is held
    /// on the stack while the nested programs are lowered.
    #[inline(never)]
    fn block(&mut self, mut block: Box<parse::Block>) -> Result<Node> {
        let program = match block.program.take() {
            Some(p) => Some(self.program(p)?),
            None => None,
        };
        let inverse = match block.inverse.take() {
            Some(p) => Some(self.program(p)?),
            None => None,
        };
        self.finish_block(block, program, inverse)
    }

    #[inline(never)]
    fn finish_block(&mut self, block: Box<parse::Block>, program: Option<Prog>, inverse: Option<Prog>) -> Result<Node> {
        let call = *self.call(block.sexpr, Kind::Block)?;
        Ok(Node::Block(Box::new(BlockNode { call, program, inverse })))
    }

    #[inline(never)]
    fn unsupported_decorator(&self, sexpr: &Sexpr) -> Error {
        let name = sexpr.path.original().unwrap_or_default();
        self.error(
            sexpr.at,
            ErrorKind::TemplateSyntax,
            format!("unsupported decorator '{name}': only '{{{{#*inline \"name\"}}}}' blocks are supported"),
        )
        .with_detail("decorator", name)
    }

    #[inline(never)]
    fn inline_partial(&mut self, block: Box<parse::Block>) -> Result<(Box<str>, Prog)> {
        let block = *block;
        let name = block.sexpr.path.original().unwrap_or_default();
        if name != "inline" {
            return Err(self.unsupported_decorator(&block.sexpr));
        }
        let partial_name = match block.sexpr.params.first() {
            Some(PExpr::Str(text)) => text.clone(),
            Some(PExpr::Num(n)) => parse::js_number(*n).into(),
            _ => {
                return Err(self.error(
                    block.sexpr.at,
                    ErrorKind::TemplateSyntax,
                    "an inline partial needs its name as a string: {{#*inline \"name\"}}",
                ))
            }
        };
        let body = match block.program {
            Some(program) => self.program(program)?,
            None => Prog::default(),
        };
        Ok((partial_name, body))
    }

    #[inline(never)]
    fn partial(&mut self, sexpr: Box<Sexpr>, indent: String, block: Option<Program>) -> Result<Node> {
        let sexpr = *sexpr;
        let loc = self.loc(sexpr.at);
        let name = match sexpr.path {
            PExpr::Sub(sub) => PartialName::Dynamic(self.call(sub, Kind::Sub)?),
            other => PartialName::Static(other.original().unwrap_or_default().into()),
        };
        let context = sexpr.params.into_iter().next().map(|e| self.expr(e)).transpose()?;
        let hash = self.hash(sexpr.hash)?;
        let block = block.map(|p| self.program(p)).transpose()?;
        Ok(Node::Partial(Box::new(PartialNode { name, context, hash, indent: indent.into(), block, loc })))
    }

    fn hash(&mut self, hash: Vec<(Box<str>, PExpr)>) -> Result<Hash> {
        hash.into_iter().map(|(key, value)| Ok((key, self.expr(value)?))).collect()
    }

    fn expr(&mut self, expr: PExpr) -> Result<Expr> {
        match expr {
            PExpr::Sub(sexpr) => Ok(Expr::Call(self.call(sexpr, Kind::Sub)?)),
            other => Ok(self.leaf(other)),
        }
    }

    #[inline(never)]
    fn leaf(&mut self, expr: PExpr) -> Expr {
        match expr {
            PExpr::Path(path) => Expr::Path(self.path(path, false, false)),
            PExpr::Sub(_) => Expr::Undefined,
            PExpr::Str(text) => Expr::Literal(Value::String(text.into())),
            PExpr::Num(n) => Expr::Literal(number_value(n)),
            PExpr::Bool(b) => Expr::Literal(Value::Bool(b)),
            PExpr::Null => Expr::Literal(Value::Null),
            PExpr::Undefined => Expr::Undefined,
        }
    }

    /// `[depth, index]` of the innermost program declaring block parameter `name`.
    fn block_param(&self, name: &str) -> Option<(u32, u32)> {
        self.block_params
            .iter()
            .rev()
            .enumerate()
            .find_map(|(depth, params)| params.iter().position(|p| &**p == name).map(|index| (depth as u32, index as u32)))
    }

    #[inline(never)]
    fn path(&mut self, path: PathExpr, strict: bool, falsy: bool) -> Path {
        let loc = self.loc(path.at);
        let scoped = is_scoped(&path.original);
        let block_param =
            if path.depth == 0 && !scoped { path.parts.first().and_then(|first| self.block_param(first)) } else { None };
        let (base, skip, strict, falsy) = if let Some((depth, index)) = block_param {
            (Base::BlockParam(depth, index), 1, false, false)
        } else if path.parts.is_empty() {
            (Base::Context(path.depth), 0, strict, falsy)
        } else if path.data {
            self.uses_data = true;
            (Base::Data(path.depth), 0, strict, true)
        } else if self.config.compat && !scoped && path.depth == 0 {
            (Base::Compat, 0, strict, falsy)
        } else {
            (Base::Context(path.depth), 0, strict, falsy)
        };
        let parts = path.parts[skip..].iter().map(|p| Segment::new(p)).collect();
        Path { base, parts, strict, falsy, original: path.original, loc }
    }

    /// Lowers a mustache, block or subexpression: its arguments (which may recurse), then
    /// its classification.
    fn call(&mut self, mut sexpr: Box<Sexpr>, kind: Kind) -> Result<Box<Call>> {
        let mut params = Vec::with_capacity(sexpr.params.len());
        for param in std::mem::take(&mut sexpr.params) {
            let param = self.expr(param)?;
            params.push(param);
        }
        let mut hash = Vec::with_capacity(sexpr.hash.len());
        for (key, value) in std::mem::take(&mut sexpr.hash) {
            let value = self.expr(value)?;
            hash.push((key, value));
        }
        self.classify(sexpr, params.into(), hash.into(), kind)
    }

    /// Classifies a call as handlebars.js's compiler does.
    #[inline(never)]
    fn classify(&mut self, sexpr: Box<Sexpr>, params: Box<[Expr]>, hash: Hash, kind: Kind) -> Result<Box<Call>> {
        let sexpr = *sexpr;
        let loc = self.loc(sexpr.at);
        // transformLiteralToPath: a literal in helper position is a name.
        let path = match sexpr.path {
            PExpr::Path(path) => path,
            PExpr::Sub(_) => unreachable_sub(),
            literal => {
                let original: Box<str> = literal.original().unwrap_or_default().into();
                PathExpr { data: false, depth: 0, parts: vec![original.clone()], original, at: sexpr.at }
            }
        };
        let scoped = is_scoped(&path.original);
        let simple = path.parts.len() == 1 && !scoped && path.depth == 0;
        let is_block_param = simple && self.block_param(&path.parts[0]).is_some();
        let mut helper = !is_block_param && (kind == Kind::Sub || !params.is_empty() || !hash.is_empty());
        let mut eligible = !is_block_param && (helper || simple);
        let first = path.parts.first().map(|p| p.to_string());
        let builtin = first.as_deref().and_then(Builtin::from_name);
        let registered = first.as_deref().is_some_and(|name| self.config.helpers.iter().any(|h| h == name));
        if eligible && !helper {
            if builtin.is_some() || registered {
                helper = true;
            } else if self.config.known_helpers_only {
                eligible = false;
            }
        }
        let name: Box<str> = path.original.clone();
        let target = if helper {
            let helper_name: Box<str> = first.clone().unwrap_or_default().into();
            match (builtin, registered) {
                (_, true) if builtin.is_some() || simple => Target::Host(helper_name),
                (Some(builtin), _) => Target::Builtin(builtin),
                _ => {
                    if self.config.known_helpers_only {
                        return Err(self
                            .error(
                                path.at,
                                ErrorKind::TemplateSyntax,
                                format!(
                                    "unknown helper '{}': knownHelpersOnly allows only the built-in and registered helpers",
                                    path.original
                                ),
                            )
                            .with_detail("helper", &*path.original));
                    }
                    Target::Missing(self.path(path, true, true))
                }
            }
        } else if eligible {
            Target::Ambiguous(self.path(path, true, false))
        } else {
            Target::Simple(self.path(path, true, false))
        };
        let name = match &target {
            Target::Builtin(_) | Target::Host(_) => first.unwrap_or_default().into(),
            _ => name,
        };
        Ok(Box::new(Call { target, params, hash, name, loc, escape: false, text: false }))
    }
}

fn unreachable_sub() -> PathExpr {
    // The grammar has no subexpression in helper position; a parse never builds one.
    PathExpr { data: false, depth: 0, parts: Vec::new(), original: "".into(), at: 0 }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mustache,
    Block,
    Sub,
}

/// `scopedId`: `/^\.|this\b/`.
fn is_scoped(original: &str) -> bool {
    if original.starts_with('.') {
        return true;
    }
    original
        .match_indices("this")
        .any(|(i, _)| original[i + 4..].chars().next().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_')))
}

fn flush(text: &mut String, nodes: &mut Vec<Node>) {
    if !text.is_empty() {
        nodes.push(Node::Text(std::mem::take(text).into()));
    }
}

/// A number literal as a JSON value: integral values as integers, so they print and travel
/// as JavaScript would show them.
fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
