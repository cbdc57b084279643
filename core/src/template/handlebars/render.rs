//! Rendering the compiled tree against JSON data: the runtime of handlebars.js 4.7 (contexts
//! and `../` depths, block parameters, `@` data frames, inline partials and partial blocks,
//! the built-in helpers) as a tree walk that borrows from the data and writes one `String`.
//!
//! Everything a program needs lives in small frames on the Rust stack, linked upwards:
//! [`Depths`] (the contexts `../` reaches), [`Params`] (block parameters, one frame per
//! program run, as handlebars.js pushes them), [`Data`] (`@index` and friends) and
//! [`Inline`] (inline partials in scope). A program run captures the frames in force where
//! it was created, as the closures of handlebars.js do.

use super::ir::{Base, BlockNode, Builtin, Call, Expr, Loc, Node, PartialName, PartialNode, Path, Prog, Segment, Target};
use super::value::{js_add, js_keys, loose_eq, segment_of, truthy, write_val, JsVal, Prim, Val};
use super::Compiled;
use crate::error::{Error, ErrorKind, Result};
use crate::template::host::{function_id, Blocks, Callee, Host, HostCall, HostValue};
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// How deep programs (blocks, partials, subexpressions) may nest while rendering.
pub(crate) const MAX_DEPTH: usize = 256;

/// JavaScript's `undefined` as a context (a distinct address from a `null` in the data).
static UNDEFINED: Value = Value::Null;
/// handlebars.js's `nullContext`: `this` for helpers when the context is null or undefined.
static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));
/// An empty hash.
static EMPTY_MAP: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// A statement's or a program's value, as handlebars.js's generated code sees it.
#[derive(Debug)]
pub(crate) enum Ret {
    /// A string, already written to the output.
    Str,
    /// A number or boolean, not written yet: JavaScript's `+` would add it to a neighbour.
    Prim(Prim),
    /// `null` or `undefined`.
    Null,
}

/// One statement of a program whose value is being replayed.
struct Event {
    /// An ambiguous block: outside the runs of `+`-joined appends.
    breaks: bool,
    operand: Operand,
}

impl Event {
    fn new(breaks: bool, value: Ret, start: usize, end: usize) -> Event {
        let operand = match value {
            Ret::Str => Operand::Text(start, end),
            Ret::Prim(prim) => Operand::Prim(prim),
            Ret::Null => Operand::Null,
        };
        Event { breaks, operand }
    }
}

enum Operand {
    /// Output already written, by range.
    Text(usize, usize),
    Prim(Prim),
    Null,
}

/// The value of a program's generated code: `buffer = A + B; …; buffer += C + D; …;
/// return buffer + E + F` (or `return A + B` with no ambiguous block), where an ambiguous
/// block does `if (v != null) buffer += v`.
fn replay(events: &[Event], out: &str) -> JsVal {
    fn value(operand: &Operand, out: &str) -> Option<JsVal> {
        match operand {
            Operand::Text(start, end) => Some(JsVal::Str(out[*start..*end].to_owned())),
            Operand::Prim(prim) => Some(JsVal::Prim(prim.clone())),
            Operand::Null => None,
        }
    }
    let empty = || JsVal::Str(String::new());
    let mut buffer: Option<JsVal> = None;
    let mut run: Vec<JsVal> = Vec::new();
    let mut lead = true;
    for event in events {
        let operand = value(&event.operand, out);
        if !event.breaks {
            run.push(operand.unwrap_or_else(empty));
            continue;
        }
        let joined = run.drain(..).reduce(js_add);
        if lead {
            buffer = Some(joined.unwrap_or_else(empty));
            lead = false;
        } else if let Some(joined) = joined {
            buffer = Some(js_add(buffer.take().unwrap_or_else(empty), joined));
        }
        if let Some(operand) = operand {
            buffer = Some(js_add(buffer.take().unwrap_or_else(empty), operand));
        }
    }
    if lead {
        return run.into_iter().reduce(js_add).unwrap_or_else(empty);
    }
    run.into_iter().fold(buffer.unwrap_or_else(empty), js_add)
}

/// The frames a program closes over.
#[derive(Clone, Copy, Default)]
struct Env<'a> {
    depths: Option<&'a Depths<'a>>,
    params: Option<&'a Params<'a>>,
}

/// `depths`: the current context, then the ones `../` reaches.
struct Depths<'a> {
    ctx: &'a Value,
    up: Option<&'a Depths<'a>>,
}

/// One program run's block parameters (`as |item index|`).
struct Params<'a> {
    vals: &'a [Val<'a>],
    up: Option<&'a Params<'a>>,
}

#[derive(Clone, Copy)]
struct Scope<'a> {
    ctx: &'a Value,
    env: Env<'a>,
    data: &'a Data<'a>,
    partials: Option<&'a Inline<'a>>,
}

/// A frame of `@` data; a name is looked up from the innermost frame outwards.
struct Data<'a> {
    up: Option<&'a Data<'a>>,
    kind: DataKind<'a>,
}

enum DataKind<'a> {
    Root(&'a Value),
    Iter { index: usize, key: Key<'a>, first: bool, last: bool },
    Custom(&'a Map<String, Value>),
    PartialBlock(Option<&'a PartialBlock<'a>>),
}

#[derive(Clone, Copy)]
enum Key<'a> {
    Index(usize),
    Name(&'a str),
}

/// The block of a `{{#> partial}}…{{/partial}}` call, as `@partial-block`.
struct PartialBlock<'a> {
    prog: &'a Prog,
    env: Env<'a>,
    partials: Option<&'a Inline<'a>>,
    /// The `@partial-block` in force where the call was made, restored while this one renders.
    outer: Option<&'a PartialBlock<'a>>,
}

/// The inline partials of one program, with the frames they close over.
struct Inline<'a> {
    defs: &'a [(Box<str>, Prog)],
    env: Env<'a>,
    up: Option<&'a Inline<'a>>,
}

impl<'a> Data<'a> {
    fn get(&self, name: &str) -> Option<Val<'a>> {
        let mut frame = self;
        loop {
            let found = match (&frame.kind, name) {
                (DataKind::Root(root), "root") => Some(Val::Ref(root)),
                (DataKind::Iter { index, .. }, "index") => Some(Val::Int(*index as i64)),
                (DataKind::Iter { key: Key::Index(index), .. }, "key") => Some(Val::Int(*index as i64)),
                (DataKind::Iter { key: Key::Name(key), .. }, "key") => Some(Val::Str(key)),
                (DataKind::Iter { first, .. }, "first") => Some(Val::Bool(*first)),
                (DataKind::Iter { last, .. }, "last") => Some(Val::Bool(*last)),
                (DataKind::Custom(map), _) => map.get(name).map(Val::Ref),
                (DataKind::PartialBlock(block), "partial-block") => {
                    Some(if block.is_some() { Val::Bool(true) } else { Val::Undef })
                }
                _ => None,
            };
            if found.is_some() {
                return found;
            }
            frame = frame.up?;
        }
    }

    fn partial_block(&self) -> Option<&'a PartialBlock<'a>> {
        let mut frame = self;
        loop {
            if let DataKind::PartialBlock(block) = frame.kind {
                return block;
            }
            frame = frame.up?;
        }
    }
}

/// `this` for a helper: the context, or an empty object for null and undefined.
fn this_of(ctx: &Value) -> &Value {
    if ctx.is_null() {
        &EMPTY
    } else {
        ctx
    }
}

pub(crate) struct Renderer<'t, 'h> {
    c: &'t Compiled,
    pub(crate) out: String,
    depth: usize,
    steps: usize,
    max_steps: usize,
    /// Taken while a call is out in the host.
    host: Option<&'h mut dyn Host>,
    /// The `@data` map of the last call out, reused by the next.
    data_cache: Map<String, Value>,
}

impl<'t, 'h> Renderer<'t, 'h> {
    pub(crate) fn new(c: &'t Compiled, host: &'h mut dyn Host) -> Self {
        let max_steps = c.config.max_output.max(1 << 20);
        Renderer {
            c,
            out: String::with_capacity(c.text_bytes),
            depth: 0,
            steps: 0,
            max_steps,
            host: Some(host),
            data_cache: Map::new(),
        }
    }

    /// Renders with `data` as the context and `private` as the first `@data` frame (over
    /// `@root`, as handlebars.js's `template(context, { data })` does).
    pub(crate) fn render(&mut self, data: &Value, private: Option<&Map<String, Value>>) -> Result<()> {
        let root = Data { up: None, kind: DataKind::Root(data) };
        let given;
        let frame = match private {
            Some(map) => {
                given = Data { up: Some(&root), kind: DataKind::Custom(map) };
                &given
            }
            None => &root,
        };
        let loc = Loc { at: crate::error::Location::in_source("", 0), source: 0 };
        let value = self.invoke(&self.c.root, data, Env::default(), frame, &[], None, &loc)?;
        self.settle(value);
        Ok(())
    }

    /// Writes a program's value if it is still a primitive (`'' + value`).
    fn settle(&mut self, value: Ret) {
        if let Ret::Prim(prim) = value {
            prim.write(&mut self.out);
        }
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>, loc: &Loc) -> Error {
        self.c.error_at(Error::new(kind, message), loc)
    }

    #[inline(never)]
    fn missing_variable(&self, path: &Path) -> Error {
        self.error(ErrorKind::MissingVariable, format!("missing value for '{}'", path.original), &path.loc)
            .with_detail("variable", &*path.original)
    }

    fn enter(&mut self, loc: &Loc) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self
                .error(ErrorKind::LimitExceeded, format!("blocks and partials nest deeper than {MAX_DEPTH} levels"), loc)
                .with_detail("limit", "depth"));
        }
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(self
                .error(
                    ErrorKind::LimitExceeded,
                    format!("the render ran more than {} blocks, partials and subexpressions", self.max_steps),
                    loc,
                )
                .with_detail("limit", "steps"));
        }
        self.depth += 1;
        Ok(())
    }

    #[inline(never)]
    fn check_output(&self) -> Result<()> {
        if self.out.len() > self.c.config.max_output {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("the output grew past {} bytes (the maxOutputBytes option)", self.c.config.max_output),
            )
            .with_detail("limit", "output_bytes"));
        }
        Ok(())
    }

    /// Runs `prog` with `ctx`, as a program created in `creation` (handlebars.js's
    /// `wrapProgram`): the context is pushed on the depths unless it is the current one, and
    /// a frame of block parameters is pushed.
    #[allow(clippy::too_many_arguments)]
    fn invoke<'a>(
        &mut self,
        prog: &'a Prog,
        ctx: &'a Value,
        creation: Env<'a>,
        data: &'a Data<'a>,
        vals: &'a [Val<'a>],
        partials: Option<&'a Inline<'a>>,
        loc: &Loc,
    ) -> Result<Ret>
    where
        't: 'a,
    {
        self.enter(loc)?;
        let node;
        let depths = match creation.depths {
            // `context != depths[0] && !(context === nullContext && depths[0] === null)`
            Some(head)
                if loose_eq(head.ctx, ctx)
                    || (std::ptr::eq(ctx, &*EMPTY) && head.ctx.is_null() && !std::ptr::eq(head.ctx, &UNDEFINED)) =>
            {
                head
            }
            up => {
                node = Depths { ctx, up };
                &node
            }
        };
        let params = Params { vals, up: creation.params };
        let scope = Scope { ctx, env: Env { depths: Some(depths), params: Some(&params) }, data, partials };
        let result = if prog.inline.is_empty() {
            self.nodes(prog, &scope)
        } else {
            let inline = Inline { defs: &prog.inline, env: creation, up: partials };
            self.nodes(prog, &Scope { partials: Some(&inline), ..scope })
        };
        self.depth -= 1;
        result
    }

    /// Runs a program's statements and returns its value. handlebars.js compiles a program to
    /// JavaScript that joins consecutive outputs with `+`, so unescaped numbers and booleans
    /// next to each other are added, not concatenated (`{{{a}}}{{{b}}}` with 1 and 2 is "3"),
    /// and a program that outputs one such value hands it to the helper as it is. Everything
    /// is written as it comes; a primitive that starts a run of outputs is remembered, and
    /// only if another primitive or an ambiguous block meets it are the statements recorded
    /// and the generated code's arithmetic replayed at the end.
    fn nodes<'a>(&mut self, prog: &'a Prog, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let start = self.out.len();
        // Whether no ambiguous block was met yet, where the current run of `+`-joined outputs
        // started and how many outputs it has.
        let mut lead = true;
        let mut run_begin = start;
        let mut run_len = 0usize;
        // A primitive that began the current run, written at the given position.
        let mut pending: Option<(Prim, usize)> = None;
        let mut events: Option<Vec<Event>> = None;
        for node in &prog.nodes {
            let before = self.out.len();
            let (breaks, value) = match node {
                Node::Text(text) => {
                    self.out.push_str(text);
                    (false, Ret::Str)
                }
                Node::Output(call) => {
                    let value = self.call(call, scope)?;
                    (false, self.emit(value, call.escape, call.text))
                }
                Node::Block(block) => (matches!(block.call.target, Target::Ambiguous(_)), self.block(block, scope)?),
                Node::Partial(partial) => (false, self.partial(partial, scope)?),
            };
            self.check_output()?;
            if prog.simple && breaks {
                // `if (value != null) return value; else return '';`
                return Ok(if let Ret::Prim(_) = value { value } else { Ret::Str });
            }
            if let Some(events) = &mut events {
                events.push(Event::new(breaks, value, before, self.out.len()));
                continue;
            }
            let meets = breaks || matches!(value, Ret::Prim(_));
            if let Some((prim, _)) = pending.take_if(|_| meets) {
                // Two primitives may meet: record the program from its start (all text so far,
                // then the primitive, which began the current run) and replay it at the end.
                let mut recorded = Vec::with_capacity(8);
                if !lead {
                    recorded.push(Event { breaks: false, operand: Operand::Text(start, run_begin) });
                    recorded.push(Event { breaks: true, operand: Operand::Null });
                }
                recorded.push(Event { breaks: false, operand: Operand::Prim(prim) });
                recorded.push(Event::new(breaks, value, before, self.out.len()));
                events = Some(recorded);
                continue;
            }
            match value {
                Ret::Prim(prim) if !breaks => {
                    prim.write(&mut self.out);
                    if run_len == 0 {
                        pending = Some((prim, before));
                    }
                    run_len += 1;
                }
                _ if breaks => {
                    if let Ret::Prim(prim) = value {
                        prim.write(&mut self.out);
                    }
                    lead = false;
                    run_begin = self.out.len();
                    run_len = 0;
                }
                _ => {
                    pending = None;
                    run_len += 1;
                }
            }
        }
        if let Some(events) = events {
            return Ok(self.replay_into(&events, start));
        }
        match pending {
            // The program output one primitive and nothing else: its value is that primitive.
            Some((prim, at)) if lead && run_len == 1 => {
                self.out.truncate(at);
                Ok(Ret::Prim(prim))
            }
            _ => Ok(Ret::Str),
        }
    }

    /// Replaces the output since `start` with the replayed value of the program.
    #[inline(never)]
    fn replay_into(&mut self, events: &[Event], start: usize) -> Ret {
        let value = replay(events, &self.out);
        self.out.truncate(start);
        match value {
            JsVal::Str(text) => {
                self.out.push_str(&text);
                Ret::Str
            }
            JsVal::Prim(prim) => Ret::Prim(prim),
        }
    }

    /// An output's value: written, unless it is a primitive from a `{{{ }}}` tag. handlebars.js
    /// appends such primitives with `+`, so `{{{a}}}{{{b}}}` with 1 and 2 is `3`; a `{{ }}` tag
    /// goes through `escapeExpression`, which makes text. Bridle keeps that for `{{ }}` also
    /// when escaping is off (its default: handlebars.js's `noEscape` would add `{{a}}{{b}}` up,
    /// which no prompt author means).
    fn emit(&mut self, value: Val<'_>, escape: bool, text: bool) -> Ret {
        if !text {
            match &value {
                Val::Undef => return Ret::Null,
                Val::Int(n) => return Ret::Prim(Prim::Num((*n).into())),
                Val::Bool(b) => return Ret::Prim(Prim::Bool(*b)),
                _ => match value.value() {
                    Some(Value::Null) => return Ret::Null,
                    Some(value) => {
                        if let Some(prim) = Prim::of(value) {
                            return Ret::Prim(prim);
                        }
                    }
                    None => {}
                },
            }
        }
        write_val(&mut self.out, &value, escape);
        Ret::Str
    }

    /// Writes a program's value when a string is needed (`ret + fn()`).
    fn as_string(&mut self, value: Ret) -> Ret {
        self.settle(value);
        Ret::Str
    }

    /// Runs `prog` (if there is one) with `ctx` in the current frames.
    fn run<'a>(
        &mut self,
        prog: Option<&'a Prog>,
        ctx: &'a Value,
        scope: &Scope<'a>,
        vals: &'a [Val<'a>],
        loc: &Loc,
    ) -> Result<Ret>
    where
        't: 'a,
    {
        match prog {
            Some(prog) => self.invoke(prog, ctx, scope.env, scope.data, vals, scope.partials, loc),
            None => Ok(Ret::Str),
        }
    }

    // ---------------------------------------------------------------- values

    fn eval<'a>(&mut self, expr: &'a Expr, scope: &Scope<'a>) -> Result<Val<'a>>
    where
        't: 'a,
    {
        match expr {
            Expr::Literal(Value::Bool(b)) => Ok(Val::Bool(*b)),
            Expr::Literal(value) => Ok(Val::Ref(value)),
            Expr::Undefined => Ok(Val::Undef),
            Expr::Path(path) => self.path(path, scope),
            Expr::Call(call) => {
                self.enter(&call.loc)?;
                let result = self.call(call, scope);
                self.depth -= 1;
                result
            }
        }
    }

    #[inline(never)]
    fn eval_hash<'a>(&mut self, hash: &'a [(Box<str>, Expr)], scope: &Scope<'a>) -> Result<Map<String, Value>>
    where
        't: 'a,
    {
        let mut map = Map::new();
        for (key, expr) in hash {
            let value = self.eval(expr, scope)?.into_value();
            map.insert(key.to_string(), value);
        }
        Ok(map)
    }

    /// Resolves a path as handlebars.js's compiled lookups do.
    fn path<'a>(&mut self, path: &'a Path, scope: &Scope<'a>) -> Result<Val<'a>>
    where
        't: 'a,
    {
        let config = &self.c.config;
        let checked = config.strict || config.assume_objects;
        let mut parts: &[Segment] = &path.parts;
        let mut current = match path.base {
            Base::Context(0) => Val::Ref(scope.ctx),
            Base::Context(depth) => {
                let mut depths = scope.env.depths;
                for _ in 0..depth {
                    depths = depths.and_then(|d| d.up);
                }
                depths.map_or(Val::Undef, |d| Val::Ref(d.ctx))
            }
            Base::Compat => {
                let first = &parts[0];
                // With `strict`, a lone name is then checked as a key of what was found.
                if !(config.strict && path.strict && parts.len() == 1) {
                    parts = &parts[1..];
                }
                let mut found = Val::Undef;
                let mut depths = scope.env.depths;
                // `depths[i] && lookupProperty(depths[i], name)`: a falsy context is itself the result.
                while let Some(d) = depths {
                    let value = if truthy(d.ctx) { Val::Ref(d.ctx).child(first) } else { Val::Ref(d.ctx) };
                    if !value.is_nullish() {
                        found = value;
                        break;
                    }
                    depths = d.up;
                }
                found
            }
            Base::Data(depth) => {
                let mut frame = Some(scope.data);
                for _ in 0..depth {
                    frame = frame.and_then(|f| f.up);
                }
                let first = &parts[0];
                parts = &parts[1..];
                match frame {
                    Some(frame) => {
                        let value = frame.get(&first.name);
                        if config.strict && path.strict && parts.is_empty() && value.is_none() {
                            return Err(self.missing_variable(path));
                        }
                        value.unwrap_or(Val::Undef)
                    }
                    None if checked => return Err(self.missing_variable(path)),
                    None => return Ok(Val::Undef),
                }
            }
            Base::BlockParam(depth, index) => {
                let mut params = scope.env.params;
                for _ in 0..depth {
                    params = params.and_then(|p| p.up);
                }
                params.and_then(|p| p.vals.get(index as usize)).cloned().unwrap_or(Val::Undef)
            }
        };
        let last = parts.len().wrapping_sub(1);
        for (i, segment) in parts.iter().enumerate() {
            if checked {
                if i == last && path.strict && config.strict {
                    if !current.has(segment) {
                        return Err(self.missing_variable(path));
                    }
                } else if current.is_nullish() {
                    return Err(self.missing_variable(path));
                }
            } else if path.falsy {
                if !current.truthy() {
                    return Ok(current);
                }
            } else if current.is_nullish() {
                return Ok(Val::Undef);
            }
            current = current.child(segment);
        }
        Ok(current)
    }

    /// A mustache or subexpression: its value.
    fn call<'a>(&mut self, call: &'a Call, scope: &Scope<'a>) -> Result<Val<'a>>
    where
        't: 'a,
    {
        match &call.target {
            Target::Ambiguous(path) => {
                let value = self.path(path, scope)?;
                if let Some(id) = value.function() {
                    return self.host_call(Callee::Function(id), &call.name, call, scope, None, None);
                }
                if value.is_nullish() {
                    return self.helper_missing(call, scope, None, 0);
                }
                Ok(value)
            }
            Target::Simple(path) => {
                let value = self.path(path, scope)?;
                match value.function() {
                    Some(id) => self.lambda(id, &call.name, scope, &call.loc),
                    None => Ok(value),
                }
            }
            Target::Missing(path) => self.missing(path, call, scope, None),
            Target::Host(name) => self.host_call(Callee::Helper(name), name, call, scope, None, None),
            Target::Builtin(builtin) => self.builtin_value(*builtin, call, scope),
        }
    }

    /// A helper call by a name that is no helper: a function in the data, else `helperMissing`.
    #[inline(never)]
    fn missing<'a>(
        &mut self,
        path: &'a Path,
        call: &'a Call,
        scope: &Scope<'a>,
        block: Option<&'a BlockNode>,
    ) -> Result<Val<'a>>
    where
        't: 'a,
    {
        let value = self.path(path, scope)?;
        if let Some(id) = value.function() {
            return self.host_call(Callee::Function(id), &call.name, call, scope, block, None);
        }
        if value.truthy() || self.c.config.strict {
            return Err(self
                .error(
                    ErrorKind::TemplateRender,
                    format!("'{}' is not a helper: it is a value of the data, not a function", call.name),
                    &call.loc,
                )
                .with_detail("helper", &*call.name));
        }
        self.helper_missing(call, scope, block, call.params.len())
    }

    /// `helperMissing`: the caller's if registered; else nothing for a bare name, an error
    /// for a call with arguments.
    #[inline(never)]
    fn helper_missing<'a>(
        &mut self,
        call: &'a Call,
        scope: &Scope<'a>,
        block: Option<&'a BlockNode>,
        params: usize,
    ) -> Result<Val<'a>>
    where
        't: 'a,
    {
        if self.c.config.helper_missing {
            return self.host_call(Callee::Helper("helperMissing"), &call.name, call, scope, block, None);
        }
        if params > 0 {
            return Err(self
                .error(ErrorKind::TemplateRender, format!("missing helper '{}'", call.name), &call.loc)
                .with_detail("helper", &*call.name));
        }
        Ok(Val::Undef)
    }

    /// Calls a function found in the data with no arguments (handlebars.js's `lambda`).
    #[inline(never)]
    fn lambda<'a>(&mut self, id: u32, name: &str, scope: &Scope<'a>, loc: &Loc) -> Result<Val<'a>>
    where
        't: 'a,
    {
        self.host_invoke(Callee::Function(id), name, &[], &EMPTY_MAP, scope, None, loc)
    }

    /// A value that may be a function (`if`, `with` and `each` call those first).
    fn resolve_function<'a>(&mut self, value: Val<'a>, expr: &Expr, scope: &Scope<'a>, loc: &Loc) -> Result<Val<'a>>
    where
        't: 'a,
    {
        match value.function() {
            Some(id) => {
                let name = match expr {
                    Expr::Path(path) => &*path.original,
                    _ => "",
                };
                self.lambda(id, name, scope, loc)
            }
            None => Ok(value),
        }
    }

    // ---------------------------------------------------------------- host

    #[inline(never)]
    fn host_call<'a>(
        &mut self,
        callee: Callee<'_>,
        name: &str,
        call: &'a Call,
        scope: &Scope<'a>,
        block: Option<&'a BlockNode>,
        first: Option<Val<'a>>,
    ) -> Result<Val<'a>>
    where
        't: 'a,
    {
        let mut args = Vec::with_capacity(call.params.len() + usize::from(first.is_some()));
        if let Some(first) = first {
            args.push(first.into_argument());
        }
        for param in call.params.iter() {
            args.push(self.eval(param, scope)?.into_argument());
        }
        if call.hash.is_empty() {
            return self.host_invoke(callee, name, &args, &EMPTY_MAP, scope, block, &call.loc);
        }
        let mut hash = Map::new();
        for (key, expr) in call.hash.iter() {
            hash.insert(key.to_string(), self.eval(expr, scope)?.into_argument());
        }
        self.host_invoke(callee, name, &args, &hash, scope, block, &call.loc)
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn host_invoke<'a>(
        &mut self,
        callee: Callee<'_>,
        name: &str,
        args: &[Value],
        hash: &Map<String, Value>,
        scope: &Scope<'a>,
        block: Option<&'a BlockNode>,
        loc: &Loc,
    ) -> Result<Val<'a>>
    where
        't: 'a,
    {
        let data = if self.c.data_on(loc) { self.data_map(scope.data) } else { Map::new() };
        // A block rendered during a call gets a renderer of its own (see `HostBlocks`), so the
        // host is never out when a call is made here.
        let Some(host) = self.host.take() else {
            return Err(self
                .error(ErrorKind::Internal, format!("the host was busy when '{name}' was called"), loc)
                .with_detail("name", name));
        };
        let call = HostCall {
            callee,
            name,
            this: this_of(scope.ctx),
            args,
            hash,
            data: &data,
            block: block.is_some(),
            inverse: block.is_some_and(|b| b.inverse.is_some()),
            block_params: block.and_then(|b| b.program.as_ref()).map_or(0, |p| p.block_params),
        };
        let result = {
            let mut blocks = HostBlocks { r: &mut *self, scope: *scope, block, loc };
            host.call(&call, &mut blocks)
        };
        self.host = Some(host);
        self.data_cache = data;
        let value = match result {
            Ok(value) => value,
            Err(error) if error.location().is_none() => return Err(self.c.error_at(error, loc)),
            Err(error) => return Err(error),
        };
        Ok(match value {
            HostValue::Value(value) => Val::from_value(value),
            HostValue::Safe(text) => Val::Safe(text.into()),
            HostValue::Undefined => Val::Undef,
        })
    }

    /// The private data a helper sees: `index`, `key`, `first`, `last` and what block helpers
    /// added. `root` is left out: it is the data the render was given, which the caller has.
    /// The map of the previous call is reused when it has the same keys in the same order
    /// (the usual case in a loop), so that a call costs no allocation for it.
    #[inline(never)]
    fn data_map(&mut self, frame: &Data<'_>) -> Map<String, Value> {
        fn collect<'f>(entries: &mut Vec<(&'f str, Value)>, frame: &'f Data<'_>) {
            if let Some(up) = frame.up {
                collect(entries, up);
            }
            let mut set = |key: &'f str, value: Value| match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            };
            match &frame.kind {
                DataKind::Iter { index, key, first, last } => {
                    set("index", Value::from(*index));
                    set(
                        "key",
                        match key {
                            Key::Index(index) => Value::from(*index),
                            Key::Name(name) => Value::from(*name),
                        },
                    );
                    set("first", Value::Bool(*first));
                    set("last", Value::Bool(*last));
                }
                DataKind::Custom(custom) => {
                    for (key, value) in custom.iter() {
                        set(key, value.clone());
                    }
                }
                DataKind::Root(_) | DataKind::PartialBlock(_) => {}
            }
        }
        let mut entries = Vec::new();
        collect(&mut entries, frame);
        let mut map = std::mem::take(&mut self.data_cache);
        let same_keys = map.len() == entries.len() && map.keys().zip(&entries).all(|(k, (e, _))| k == e);
        if same_keys {
            for ((_, slot), (_, value)) in map.iter_mut().zip(entries) {
                *slot = value;
            }
        } else {
            map.clear();
            for (key, value) in entries {
                map.insert(key.to_owned(), value);
            }
        }
        map
    }

    // ---------------------------------------------------------------- blocks

    fn block<'a>(&mut self, block: &'a BlockNode, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let call = &block.call;
        let value = match &call.target {
            Target::Builtin(builtin) => return self.builtin_block(*builtin, block, scope),
            Target::Host(name) => self.host_call(Callee::Helper(name), name, call, scope, Some(block), None)?,
            Target::Missing(path) => self.missing(path, call, scope, Some(block))?,
            Target::Ambiguous(path) => {
                let value = self.path(path, scope)?;
                let value = if let Some(id) = value.function() {
                    self.host_call(Callee::Function(id), &call.name, call, scope, Some(block), None)?
                } else if value.is_nullish() {
                    self.helper_missing(call, scope, Some(block), 0)?
                } else {
                    value
                };
                return self.block_helper_missing(value, block, scope);
            }
            Target::Simple(path) => {
                let value = self.path(path, scope)?;
                let value = match value.function() {
                    Some(id) => self.lambda(id, &call.name, scope, &call.loc)?,
                    None => value,
                };
                return self.block_helper_missing(value, block, scope);
            }
        };
        Ok(self.emit(value, false, false))
    }

    /// A section on a value (`{{#name}}` where `name` is no helper): true renders the block,
    /// false, null and empty lists the inverse, a list each item, another value the block
    /// with that value as the context.
    #[inline(never)]
    fn block_helper_missing<'a>(&mut self, value: Val<'a>, block: &'a BlockNode, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let loc = &block.call.loc;
        if self.c.config.block_helper_missing {
            let args = [value.into_value()];
            let result = self.host_invoke(
                Callee::Helper("blockHelperMissing"),
                &block.call.name,
                &args,
                &EMPTY_MAP,
                scope,
                Some(block),
                loc,
            )?;
            return Ok(self.emit(result, false, false));
        }
        // `blockHelperMissing.call(depth0, …)`: `this` is the context itself, even null or undefined.
        let this = scope.ctx;
        match &value {
            Val::Bool(true) | Val::Ref(Value::Bool(true)) => self.run(block.program.as_ref(), this, scope, &[], loc),
            Val::Bool(false) | Val::Ref(Value::Bool(false)) => self.run(block.inverse.as_ref(), this, scope, &[], loc),
            _ if value.is_nullish() => self.run(block.inverse.as_ref(), this, scope, &[], loc),
            _ => match value.value() {
                Some(Value::Array(items)) if items.is_empty() => self.run(block.inverse.as_ref(), this, scope, &[], loc),
                Some(array @ Value::Array(_)) => self.each(array, block, scope),
                Some(context) => self.run(block.program.as_ref(), context, scope, &[], loc),
                None => {
                    let context = value.to_value();
                    self.run(block.program.as_ref(), &context, scope, &[], loc)
                }
            },
        }
    }

    #[inline(never)]
    fn arity(&self, call: &Call, expected: usize) -> Result<()> {
        if call.params.len() != expected {
            return Err(self
                .error(
                    ErrorKind::TemplateRender,
                    format!(
                        "#{} requires exactly {} argument{}",
                        call.name,
                        if expected == 1 { "one" } else { "two" },
                        if expected == 1 { "" } else { "s" }
                    ),
                    &call.loc,
                )
                .with_detail("helper", &*call.name));
        }
        Ok(())
    }

    fn builtin_block<'a>(&mut self, builtin: Builtin, block: &'a BlockNode, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let call = &block.call;
        let loc = &call.loc;
        match builtin {
            Builtin::If | Builtin::Unless => {
                let mut condition = self.condition(call, scope)?;
                if builtin == Builtin::Unless {
                    condition = !condition;
                }
                let prog = if condition { block.program.as_ref() } else { block.inverse.as_ref() };
                self.run(prog, this_of(scope.ctx), scope, &[], loc)
            }
            Builtin::With => {
                self.arity(call, 1)?;
                let value = self.eval(&call.params[0], scope)?;
                let value = self.resolve_function(value, &call.params[0], scope, loc)?;
                self.eval_hash(&call.hash, scope)?;
                if value.is_empty() {
                    return self.run(block.inverse.as_ref(), this_of(scope.ctx), scope, &[], loc);
                }
                let holder;
                let context = match value.value() {
                    Some(context) => context,
                    None => {
                        holder = value.to_value();
                        &holder
                    }
                };
                let vals = [Val::Ref(context)];
                self.run(block.program.as_ref(), context, scope, &vals, loc)
            }
            Builtin::Each => {
                if call.params.is_empty() {
                    return Err(self
                        .error(ErrorKind::TemplateRender, "#each needs something to iterate over", loc)
                        .with_detail("helper", "each"));
                }
                let value = self.eval(&call.params[0], scope)?;
                let value = self.resolve_function(value, &call.params[0], scope, loc)?;
                for param in call.params[1..].iter() {
                    self.eval(param, scope)?;
                }
                self.eval_hash(&call.hash, scope)?;
                match value.value() {
                    Some(value) => self.each(value, block, scope),
                    None => self.run(block.inverse.as_ref(), this_of(scope.ctx), scope, &[], loc),
                }
            }
            Builtin::Lookup | Builtin::Log => {
                let value = self.builtin_value(builtin, call, scope)?;
                Ok(self.emit(value, false, false))
            }
            Builtin::HelperMissing | Builtin::BlockHelperMissing => Err(self.not_callable(call)),
        }
    }

    #[inline(never)]
    fn not_callable(&self, call: &Call) -> Error {
        self.error(ErrorKind::TemplateRender, format!("'{}' cannot be called from a template", call.name), &call.loc)
            .with_detail("helper", &*call.name)
    }

    /// The `if` helper's test: truthy, and not an empty list (`includeZero=true` lets 0 pass).
    #[inline(never)]
    fn condition<'a>(&mut self, call: &'a Call, scope: &Scope<'a>) -> Result<bool>
    where
        't: 'a,
    {
        self.arity(call, 1)?;
        let value = self.eval(&call.params[0], scope)?;
        let value = self.resolve_function(value, &call.params[0], scope, &call.loc)?;
        let mut include_zero = false;
        for (key, expr) in call.hash.iter() {
            let value = self.eval(expr, scope)?;
            if &**key == "includeZero" {
                include_zero = value.truthy();
            }
        }
        Ok(!((!include_zero && !value.truthy()) || value.is_empty()))
    }

    /// The `each` helper over `value`: items of a list, values of an object (in JavaScript's
    /// key order), with `@index`, `@key`, `@first`, `@last` and `as |item key|`.
    #[inline(never)]
    fn each<'a>(&mut self, value: &'a Value, block: &'a BlockNode, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let loc = &block.call.loc;
        let data_on = self.c.data_on(loc);
        let mut count = 0;
        match value {
            Value::Array(items) => {
                let len = items.len();
                for (index, item) in items.iter().enumerate() {
                    if let Some(prog) = block.program.as_ref() {
                        let frame = Data {
                            up: Some(scope.data),
                            kind: DataKind::Iter {
                                index,
                                key: Key::Index(index),
                                first: index == 0,
                                last: index + 1 == len,
                            },
                        };
                        let vals = [Val::Ref(item), Val::Int(index as i64)];
                        let data = if data_on { &frame } else { scope.data };
                        let value = self.invoke(prog, item, scope.env, data, &vals, scope.partials, loc)?;
                        self.settle(value);
                    }
                    count += 1;
                }
            }
            Value::Object(map) if function_id(value).is_none() => {
                let keys = js_keys(map);
                let len = keys.len();
                for (index, (key, item)) in keys.into_iter().enumerate() {
                    if let Some(prog) = block.program.as_ref() {
                        let frame = Data {
                            up: Some(scope.data),
                            kind: DataKind::Iter { index, key: Key::Name(key), first: index == 0, last: index + 1 == len },
                        };
                        let vals = [Val::Ref(item), Val::Str(key)];
                        let data = if data_on { &frame } else { scope.data };
                        let value = self.invoke(prog, item, scope.env, data, &vals, scope.partials, loc)?;
                        self.settle(value);
                    }
                    count += 1;
                }
            }
            _ => {}
        }
        if count == 0 {
            return self.run(block.inverse.as_ref(), this_of(scope.ctx), scope, &[], loc);
        }
        Ok(Ret::Str)
    }

    /// `lookup` and `log`, and the block-only helpers used without a block.
    #[inline(never)]
    fn builtin_value<'a>(&mut self, builtin: Builtin, call: &'a Call, scope: &Scope<'a>) -> Result<Val<'a>>
    where
        't: 'a,
    {
        match builtin {
            Builtin::Lookup => {
                let mut params = Vec::with_capacity(call.params.len());
                for param in call.params.iter() {
                    params.push(self.eval(param, scope)?);
                }
                self.eval_hash(&call.hash, scope)?;
                let mut params = params.into_iter();
                let Some(object) = params.next() else {
                    return Err(self.arity(call, 2).unwrap_err());
                };
                if !object.truthy() {
                    return Ok(object);
                }
                let (Some(field), None) = (params.next(), params.next()) else {
                    return Err(self.arity(call, 2).unwrap_err());
                };
                Ok(object.child(&segment_of(&field)))
            }
            Builtin::Log => {
                for param in call.params.iter() {
                    self.eval(param, scope)?;
                }
                self.eval_hash(&call.hash, scope)?;
                Ok(Val::Undef)
            }
            Builtin::If | Builtin::Unless | Builtin::Each | Builtin::With => Err(self
                .error(
                    ErrorKind::TemplateRender,
                    format!("the '{}' helper needs a block: {{{{#{}}}}}", call.name, call.name),
                    &call.loc,
                )
                .with_detail("helper", &*call.name)),
            Builtin::HelperMissing | Builtin::BlockHelperMissing => Err(self.not_callable(call)),
        }
    }

    // ---------------------------------------------------------------- partials

    #[inline(never)]
    fn partial<'a>(&mut self, node: &'a PartialNode, scope: &Scope<'a>) -> Result<Ret>
    where
        't: 'a,
    {
        let name = self.partial_name(node, scope)?;
        let name: &str = &name;
        let context = self.partial_context(node, scope)?;
        let ctx: &Value = match &context {
            PartialContext::Ref(value) => value,
            PartialContext::Owned(value) => value,
        };

        let closure = node.block.as_ref().map(|block| PartialBlock {
            prog: block,
            env: scope.env,
            partials: scope.partials,
            outer: scope.data.partial_block(),
        });
        let frame;
        let data = match &closure {
            Some(closure) => {
                frame = Data { up: Some(scope.data), kind: DataKind::PartialBlock(Some(closure)) };
                &frame
            }
            None => scope.data,
        };

        enum Found<'x> {
            /// A partial given as a source: its own template, seeing the block's inline partials.
            Global(&'x Prog),
            /// An inline partial: a program of the template that defines it.
            Inline(&'x Prog, Env<'x>),
            Block(&'x PartialBlock<'x>),
        }
        let found = if name == "@partial-block" {
            // Found in `options.data`, which handlebars.js passes only where data is on.
            scope.data.partial_block().filter(|_| self.c.data_on(&node.loc)).map(Found::Block)
        } else {
            find_inline(scope.partials, name)
                .map(|(prog, env)| Found::Inline(prog, env))
                .or_else(|| self.c.partials.get(name).map(Found::Global))
        };
        let found = match (found, &closure) {
            (Some(found), _) => found,
            (None, Some(closure)) => Found::Block(closure),
            (None, None) => {
                return Err(self
                    .error(ErrorKind::TemplateRender, format!("missing partial '{name}'"), &node.loc)
                    .with_detail("partial", name));
            }
        };

        let start = self.out.len();
        let value = match found {
            Found::Global(prog) => {
                let depths = if self.c.config.compat { scope.env.depths } else { None };
                let env = Env { depths, params: None };
                let block_inline = closure.as_ref().filter(|c| !c.prog.inline.is_empty());
                let inline;
                let partials = match block_inline {
                    Some(closure) => {
                        inline = Inline { defs: &closure.prog.inline, env: scope.env, up: scope.partials };
                        Some(&inline)
                    }
                    None => scope.partials,
                };
                let value = self.invoke(prog, ctx, env, data, &[], partials, &node.loc)?;
                self.as_string(value)
            }
            Found::Inline(prog, env) => self.invoke(prog, ctx, env, data, &[], scope.partials, &node.loc)?,
            Found::Block(block) => {
                let frame = Data { up: Some(data), kind: DataKind::PartialBlock(block.outer) };
                self.invoke(block.prog, ctx, block.env, &frame, &[], block.partials, &node.loc)?
            }
        };
        if node.indent.is_empty() {
            return Ok(value);
        }
        self.settle(value);
        self.indent(start, &node.indent);
        Ok(Ret::Str)
    }

    /// Indents every line output since `start`, but for an empty last one.
    #[inline(never)]
    fn indent(&mut self, start: usize, indent: &str) {
        let rendered = self.out.split_off(start);
        let mut lines = rendered.split('\n').peekable();
        let mut first = true;
        while let Some(line) = lines.next() {
            if !first {
                self.out.push('\n');
            }
            first = false;
            if !(line.is_empty() && lines.peek().is_none()) {
                self.out.push_str(indent);
            }
            self.out.push_str(line);
        }
    }
}

/// A partial's context: the current one, its argument, or a new object with the hash.
enum PartialContext<'a> {
    Ref(&'a Value),
    Owned(Value),
}

impl<'t, 'h> Renderer<'t, 'h> {
    #[inline(never)]
    fn partial_name<'a>(&mut self, node: &'a PartialNode, scope: &Scope<'a>) -> Result<std::borrow::Cow<'a, str>>
    where
        't: 'a,
    {
        Ok(match &node.name {
            PartialName::Static(name) => std::borrow::Cow::Borrowed(name),
            PartialName::Dynamic(call) => {
                self.enter(&call.loc)?;
                let value = self.call(call, scope);
                self.depth -= 1;
                std::borrow::Cow::Owned(value?.to_js_string())
            }
        })
    }

    /// `{{> name context key=value}}`: the context (the current one without an argument,
    /// undefined under `explicitPartialContext`), with the hash merged into a copy.
    #[inline(never)]
    fn partial_context<'a>(&mut self, node: &'a PartialNode, scope: &Scope<'a>) -> Result<PartialContext<'a>>
    where
        't: 'a,
    {
        let context = match &node.context {
            Some(expr) => self.eval(expr, scope)?,
            None if self.c.config.explicit_partial_context => Val::Undef,
            None => Val::Ref(scope.ctx),
        };
        if !node.hash.is_empty() {
            let mut map = own_properties(&context);
            for (key, expr) in node.hash.iter() {
                let value = self.eval(expr, scope)?.into_value();
                map.insert(key.to_string(), value);
            }
            return Ok(PartialContext::Owned(Value::Object(map)));
        }
        Ok(match context {
            Val::Ref(value) => PartialContext::Ref(value),
            Val::Undef => PartialContext::Ref(&UNDEFINED),
            Val::Owned(value) => PartialContext::Owned(*value),
            other => PartialContext::Owned(other.to_value()),
        })
    }
}

/// The innermost inline partial named `name` (the last definition in a program wins).
fn find_inline<'a>(mut scope: Option<&'a Inline<'a>>, name: &str) -> Option<(&'a Prog, Env<'a>)> {
    while let Some(inline) = scope {
        if let Some((_, prog)) = inline.defs.iter().rev().find(|(defined, _)| &**defined == name) {
            return Some((prog, inline.env));
        }
        scope = inline.up;
    }
    None
}

/// `Utils.extend({}, context)`: the own enumerable properties of a partial's context, to
/// which its hash is added.
fn own_properties(context: &Val<'_>) -> Map<String, Value> {
    let mut map = Map::new();
    match context.value() {
        Some(Value::Object(object)) => {
            for (key, value) in object {
                map.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                map.insert(i.to_string(), item.clone());
            }
        }
        Some(Value::String(text)) => {
            for (i, unit) in text.encode_utf16().enumerate() {
                map.insert(i.to_string(), Value::String(String::from_utf16_lossy(&[unit])));
            }
        }
        _ => {
            if let Val::Str(text) = context {
                for (i, unit) in text.encode_utf16().enumerate() {
                    map.insert(i.to_string(), Value::String(String::from_utf16_lossy(&[unit])));
                }
            }
        }
    }
    map
}

/// The blocks of a helper being called, rendered back through the renderer.
struct HostBlocks<'r, 't, 'h, 'a> {
    r: &'r mut Renderer<'t, 'h>,
    scope: Scope<'a>,
    block: Option<&'a BlockNode>,
    loc: &'r Loc,
}

impl<'t: 'a, 'a> Blocks for HostBlocks<'_, 't, '_, 'a> {
    fn render(
        &mut self,
        host: &mut dyn Host,
        inverse: bool,
        context: Option<Value>,
        data: Option<Map<String, Value>>,
    ) -> Result<String> {
        let Some(block) = self.block else {
            return Ok(String::new());
        };
        let Some(prog) = (if inverse { block.inverse.as_ref() } else { block.program.as_ref() }) else {
            return Ok(String::new());
        };
        let mut data = data;
        let params = match data.as_mut().and_then(|map| map.remove("blockParams")) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let vals: Vec<Val<'_>> = params.iter().map(Val::Ref).collect();
        let ctx: &Value = context.as_ref().unwrap_or(self.scope.ctx);
        let frame;
        let data = match &data {
            Some(map) => {
                frame = Data { up: Some(self.scope.data), kind: DataKind::Custom(map) };
                &frame
            }
            None => self.scope.data,
        };
        // A renderer of its own, on the host this call was given, so helpers inside the block
        // can be called while the outer helper runs; it shares the depth and the step count.
        let mut inner = Renderer {
            c: self.r.c,
            out: String::new(),
            depth: self.r.depth,
            steps: self.r.steps,
            max_steps: self.r.max_steps,
            host: Some(host),
            data_cache: Map::new(),
        };
        let result = inner.invoke(prog, ctx, self.scope.env, data, &vals, self.scope.partials, self.loc);
        let result = result.map(|value| inner.settle(value));
        self.r.steps = inner.steps;
        result.map(|()| inner.out)
    }
}
