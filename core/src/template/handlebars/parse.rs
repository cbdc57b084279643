//! Tokens → the Handlebars syntax tree, following the grammar of handlebars.js 4.7
//! (`handlebars.yy`) and its AST helpers (`compiler/helpers.js`): paths are validated as
//! `preparePath` does, blocks are assembled as `prepareBlock` does (inverse chains and their
//! strip flags included), so that whitespace control sees the same tree.

use super::lexer::{tokenize, Tok, Token};
use crate::error::{Error, ErrorKind};
use std::ops::Range;

/// How deep blocks and subexpressions may nest in a source.
pub(crate) const MAX_NESTING: usize = 512;

/// `~` on the inside of a tag's opening (`open`) or closing (`close`) braces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Strip {
    pub(super) open: bool,
    pub(super) close: bool,
}

#[derive(Debug)]
pub(super) struct Program {
    pub(super) body: Vec<Stmt>,
    pub(super) block_params: Vec<Box<str>>,
    /// The inverse of a block holding only an `{{else if}}` block.
    pub(super) chained: bool,
}

#[derive(Debug)]
pub(super) enum Stmt {
    /// Text: the source range as written (`original`) and what is left of it after whitespace
    /// control (`value`, a sub-range).
    Content {
        original: Range<usize>,
        value: Range<usize>,
        left_stripped: bool,
        right_stripped: bool,
    },
    Comment {
        strip: Strip,
    },
    Mustache(Box<Mustache>),
    Block(Box<Block>),
    Partial(Box<Partial>),
}

#[derive(Debug)]
pub(super) struct Mustache {
    pub(super) sexpr: Box<Sexpr>,
    pub(super) escaped: bool,
    pub(super) decorator: bool,
    pub(super) strip: Strip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// `{{#x}}`, `{{^x}}` and chained `{{else x}}`.
    Normal,
    /// `{{{{x}}}}…{{{{/x}}}}`.
    Raw,
    /// `{{#*x}}…{{/x}}`.
    Decorator,
    /// `{{#> x}}…{{/x}}`: `sexpr.path` is the partial's name.
    Partial,
}

#[derive(Debug)]
pub(super) struct Block {
    pub(super) kind: BlockKind,
    pub(super) sexpr: Box<Sexpr>,
    /// As in handlebars.js: for `{{^x}}body{{/x}}` the body is the inverse and there is no program.
    pub(super) program: Option<Program>,
    pub(super) inverse: Option<Program>,
    pub(super) open_strip: Strip,
    pub(super) inverse_strip: Strip,
    pub(super) close_strip: Strip,
}

#[derive(Debug)]
pub(super) struct Partial {
    /// The name in `path`, the context and hash as parameters.
    pub(super) sexpr: Box<Sexpr>,
    pub(super) strip: Strip,
    /// The indentation of a standalone partial, set by whitespace control.
    pub(super) indent: String,
}

/// A helper name with parameters and hash: the body of a mustache, block, partial or `( )`.
#[derive(Debug)]
pub(super) struct Sexpr {
    pub(super) path: Expr,
    pub(super) params: Vec<Expr>,
    pub(super) hash: Vec<(Box<str>, Expr)>,
    pub(super) at: usize,
}

#[derive(Debug)]
pub(super) enum Expr {
    Path(PathExpr),
    Sub(Box<Sexpr>),
    Str(Box<str>),
    Num(f64),
    Bool(bool),
    Undefined,
    Null,
}

#[derive(Debug)]
pub(super) struct PathExpr {
    pub(super) data: bool,
    /// The number of leading `..` segments.
    pub(super) depth: u32,
    /// The segments after `this`, `.` and `..`, brackets removed.
    pub(super) parts: Vec<Box<str>>,
    /// The path as written (without brackets), `@` included: `../foo/bar`.
    pub(super) original: Box<str>,
    pub(super) at: usize,
}

impl Expr {
    /// The text handlebars.js compares to a closing tag's name (`path.original`).
    pub(super) fn original(&self) -> Option<String> {
        match self {
            Expr::Path(path) => Some(path.original.to_string()),
            Expr::Str(text) => Some(text.to_string()),
            Expr::Num(n) => Some(js_number(*n)),
            Expr::Bool(b) => Some(b.to_string()),
            Expr::Undefined => Some("undefined".to_owned()),
            Expr::Null => Some("null".to_owned()),
            Expr::Sub(_) => None,
        }
    }
}

/// A number as JavaScript's `String(n)` writes it.
pub(super) fn js_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{}", n as i128);
    }
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    ryu_js::Buffer::new().format(n).to_owned()
}

/// A parse error at byte `at` of the source being parsed (located by the caller).
#[derive(Debug)]
pub(super) struct ParseError {
    pub(super) at: usize,
    pub(super) kind: ErrorKind,
    pub(super) message: String,
    pub(super) details: Vec<(&'static str, String)>,
}

impl ParseError {
    fn syntax(at: usize, message: impl Into<String>) -> ParseError {
        ParseError { at, kind: ErrorKind::TemplateSyntax, message: message.into(), details: Vec::new() }
    }

    pub(super) fn into_error(self, locate: impl FnOnce(usize) -> crate::error::Location) -> Error {
        let mut error = Error::new(self.kind, self.message).with_location(locate(self.at));
        for (key, value) in self.details {
            error = error.with_detail(key, value);
        }
        error
    }
}

type PResult<T> = std::result::Result<T, ParseError>;

/// Parses a whole source into its root program.
pub(super) fn parse(src: &str) -> PResult<Program> {
    let tokens = tokenize(src).map_err(|e| ParseError::syntax(e.at, e.message))?;
    let mut parser = Parser { src, tokens, pos: 0, nesting: 0 };
    let program = parser.program(Vec::new())?;
    let token = parser.peek();
    match token.kind {
        Tok::Eof => Ok(program),
        Tok::OpenEndBlock => {
            let name = parser.tag_name_after(parser.pos);
            Err(ParseError::syntax(token.start, format!("'{{{{/{name}}}}}' closes a block that was never opened")))
        }
        Tok::Inverse | Tok::OpenInverseChain => {
            Err(ParseError::syntax(token.start, "'{{else}}' (or '{{^}}') outside of a block"))
        }
        kind => Err(ParseError::syntax(token.start, format!("unexpected {}", kind.describe()))),
    }
}

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    nesting: usize,
}

/// What an open block tag holds.
struct OpenTag {
    sexpr: Box<Sexpr>,
    block_params: Vec<Box<str>>,
    strip: Strip,
    start: usize,
}

/// `inverseAndProgram` / `inverseChain` of the grammar.
struct InverseAndProgram {
    strip: Strip,
    program: Program,
    chain: bool,
}

impl<'s> Parser<'s> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_kind(&self, ahead: usize) -> Tok {
        self.tokens.get(self.pos + ahead).map_or(Tok::Eof, |t| t.kind)
    }

    fn next(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn text(&self, token: &Token) -> &'s str {
        &self.src[token.start..token.end]
    }

    fn value<'t>(&'t self, token: &'t Token) -> &'t str {
        token.value.as_deref().unwrap_or(&self.src[token.start..token.end])
    }

    /// The name after a `{{/` at token index `index`, for messages.
    fn tag_name_after(&self, index: usize) -> String {
        self.tokens
            .get(index + 1)
            .filter(|t| matches!(t.kind, Tok::Id | Tok::Str | Tok::Data))
            .map(|t| self.value(t).to_owned())
            .unwrap_or_default()
    }

    #[inline(never)]
    fn unexpected(&self, expected: &str) -> ParseError {
        let token = self.peek();
        let found = match token.kind {
            Tok::Eof => "the end of the template".to_owned(),
            Tok::Invalid => format!("'{}'", self.text(token)),
            kind => kind.describe().to_owned(),
        };
        ParseError::syntax(token.start, format!("expected {expected}, found {found}"))
    }

    #[inline(never)]
    fn expect(&mut self, kind: Tok, expected: &str) -> PResult<Token> {
        if self.peek().kind == kind {
            Ok(self.next())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn nest(&mut self, at: usize) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ParseError {
                at,
                kind: ErrorKind::LimitExceeded,
                message: format!("blocks and subexpressions nest deeper than {MAX_NESTING} levels"),
                details: vec![("limit", "nesting".to_owned())],
            });
        }
        Ok(())
    }

    fn program(&mut self, block_params: Vec<Box<str>>) -> PResult<Program> {
        let mut body = Vec::new();
        loop {
            let token = self.peek();
            match token.kind {
                Tok::Content => {
                    let range = token.start..token.end;
                    self.next();
                    body.push(Stmt::Content {
                        original: range.clone(),
                        value: range,
                        left_stripped: false,
                        right_stripped: false,
                    });
                }
                Tok::Comment => {
                    let text = self.text(token);
                    let strip = strip_flags(text, text);
                    self.next();
                    body.push(Stmt::Comment { strip });
                }
                Tok::Open | Tok::OpenUnescaped | Tok::OpenDecorator => body.push(self.mustache()?),
                Tok::OpenBlock | Tok::OpenDecoratorBlock | Tok::OpenInverse => body.push(self.block()?),
                Tok::OpenPartial => body.push(self.partial()?),
                Tok::OpenPartialBlock => body.push(self.partial_block()?),
                Tok::OpenRawBlock => body.push(self.raw_block()?),
                _ => break,
            }
        }
        Ok(Program { body, block_params, chained: false })
    }

    #[inline(never)]
    fn mustache(&mut self) -> PResult<Stmt> {
        let open = self.next();
        let open_text = self.text(&open);
        let sexpr = self.sexpr_body(open.start)?;
        let close = if open.kind == Tok::OpenUnescaped {
            self.expect(Tok::CloseUnescaped, "'}}}' to close the tag")?
        } else {
            self.expect(Tok::Close, "'}}' to close the tag")?
        };
        let flag = open_text.as_bytes().get(3).or(open_text.as_bytes().get(2)).copied();
        let escaped = !matches!(flag, Some(b'{' | b'&'));
        Ok(Stmt::Mustache(Box::new(Mustache {
            sexpr,
            escaped,
            decorator: open.kind == Tok::OpenDecorator,
            strip: strip_flags(open_text, self.text(&close)),
        })))
    }

    /// `helperName param* hash?`
    fn sexpr_body(&mut self, at: usize) -> PResult<Box<Sexpr>> {
        let path = self.helper_name()?;
        self.sexpr_rest(path, at)
    }

    /// `param* hash?` after the name `path`, built in place on the heap (subexpressions
    /// recurse through here, so its frame stays small).
    fn sexpr_rest(&mut self, path: Expr, at: usize) -> PResult<Box<Sexpr>> {
        let mut sexpr = Box::new(Sexpr { path, params: Vec::new(), hash: Vec::new(), at });
        loop {
            let kind = self.peek_kind(0);
            if kind == Tok::Id && self.peek_kind(1) == Tok::Equals {
                break;
            }
            if !matches!(
                kind,
                Tok::Id | Tok::Data | Tok::Str | Tok::Number | Tok::Bool | Tok::Undefined | Tok::Null | Tok::OpenSexpr
            ) {
                break;
            }
            let param = self.param()?;
            sexpr.params.push(param);
        }
        while self.peek_kind(0) == Tok::Id && self.peek_kind(1) == Tok::Equals {
            let key = self.hash_key();
            let value = self.param()?;
            sexpr.hash.push((key, value));
        }
        Ok(sexpr)
    }

    /// `ID =`: the key of a hash pair.
    #[inline(never)]
    fn hash_key(&mut self) -> Box<str> {
        let key = self.next();
        let key = strip_brackets(self.value(&key)).into();
        self.next();
        key
    }

    fn param(&mut self) -> PResult<Expr> {
        if self.peek_kind(0) == Tok::OpenSexpr {
            let start = self.peek().start;
            self.pos += 1;
            self.nest(start)?;
            let sexpr = self.sexpr_body(start)?;
            self.expect(Tok::CloseSexpr, "')' to close the subexpression")?;
            self.nesting -= 1;
            return Ok(Expr::Sub(sexpr));
        }
        self.helper_name()
    }

    #[inline(never)]
    fn helper_name(&mut self) -> PResult<Expr> {
        let token = self.peek().clone();
        let expr = match token.kind {
            Tok::Id => return self.path(false, token.start).map(Expr::Path),
            Tok::Data => {
                self.next();
                return self.path(true, token.start).map(Expr::Path);
            }
            Tok::Str => Expr::Str(self.value(&token).into()),
            Tok::Number => Expr::Num(self.text(&token).parse().unwrap_or(f64::NAN)),
            Tok::Bool => Expr::Bool(self.text(&token) == "true"),
            Tok::Undefined => Expr::Undefined,
            Tok::Null => Expr::Null,
            _ => return Err(self.unexpected("a name, a path or a literal")),
        };
        self.next();
        Ok(expr)
    }

    /// `pathSegments`, then `preparePath`.
    #[inline(never)]
    fn path(&mut self, data: bool, at: usize) -> PResult<PathExpr> {
        let mut original = String::from(if data { "@" } else { "" });
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut separator: Option<&str> = None;
        loop {
            let token = self.expect(Tok::Id, "a name")?;
            let raw = self.value(&token);
            let part = strip_brackets(raw);
            let literal = part.len() != raw.len();
            if let Some(separator) = separator {
                original.push_str(separator);
            }
            original.push_str(part);
            if !literal && matches!(part, ".." | "." | "this") {
                if !parts.is_empty() {
                    return Err(ParseError::syntax(at, format!("invalid path '{original}': '{part}' must come first")));
                }
                if part == ".." {
                    depth += 1;
                }
            } else {
                parts.push(part.into());
            }
            if self.peek_kind(0) != Tok::Sep {
                break;
            }
            let sep = self.next();
            separator = Some(self.text(&sep));
        }
        Ok(PathExpr { data, depth, parts, original: original.into(), at })
    }

    #[inline(never)]
    fn block_params(&mut self) -> PResult<Vec<Box<str>>> {
        let mut names = Vec::new();
        if self.peek_kind(0) == Tok::OpenBlockParams {
            self.next();
            while self.peek_kind(0) == Tok::Id {
                let token = self.next();
                names.push(self.value(&token).into());
            }
            if names.is_empty() {
                return Err(self.unexpected("a block parameter name"));
            }
            self.expect(Tok::CloseBlockParams, "'|' to close the block parameters")?;
        }
        Ok(names)
    }

    /// An open tag after its opening token: `helperName param* hash? blockParams? CLOSE`.
    #[inline(never)]
    fn open_tag(&mut self, open: &Token, params_allowed: bool) -> PResult<OpenTag> {
        let sexpr = self.sexpr_body(open.start)?;
        let block_params = if params_allowed { self.block_params()? } else { Vec::new() };
        let close = self.expect(Tok::Close, "'}}' to close the tag")?;
        Ok(OpenTag { sexpr, block_params, strip: strip_flags(self.text(open), self.text(&close)), start: open.start })
    }

    /// `closeBlock`: `{{/name}}`, checked against the open tag's name.
    #[inline(never)]
    fn close_block(&mut self, open: &OpenTag) -> PResult<Strip> {
        let open_name = open.sexpr.path.original();
        if self.peek_kind(0) != Tok::OpenEndBlock {
            let name = open_name.clone().unwrap_or_default();
            if self.peek_kind(0) == Tok::Eof {
                return Err(ParseError::syntax(
                    open.start,
                    format!("unclosed block '{name}': expected '{{{{/{name}}}}}' before the end of the template"),
                ));
            }
            return Err(self.unexpected(&format!("'{{{{/{name}}}}}' to close the block '{name}'")));
        }
        let end = self.next();
        let close_at = self.peek().start;
        let name = self.helper_name()?;
        let close = self.expect(Tok::Close, "'}}' to close the tag")?;
        let close_name = name.original().unwrap_or_default();
        if open_name.as_deref() != Some(close_name.as_str()) {
            let open_name = open_name.unwrap_or_default();
            return Err(ParseError::syntax(
                close_at,
                format!("'{close_name}' doesn't match '{open_name}': expected '{{{{/{open_name}}}}}'"),
            ));
        }
        Ok(strip_flags(self.text(&end), self.text(&close)))
    }

    #[inline(never)]
    fn block(&mut self) -> PResult<Stmt> {
        let open = self.next();
        self.nest(open.start)?;
        let tag = Box::new(self.open_tag(&open, true)?);
        let decorator = open.kind == Tok::OpenDecoratorBlock;
        let inverted = open.kind == Tok::OpenInverse;
        let program = self.program(tag.block_params.clone())?;
        let inverse = match self.peek_kind(0) {
            Tok::OpenInverseChain if !inverted => Some(self.inverse_chain()?),
            Tok::Inverse => {
                let token = self.next();
                let text = self.text(&token);
                let strip = strip_flags(text, text);
                Some(InverseAndProgram { strip, program: self.program(Vec::new())?, chain: false })
            }
            _ => None,
        };
        if decorator && inverse.is_some() {
            return Err(ParseError::syntax(open.start, "unexpected '{{else}}' in a decorator block"));
        }
        let close = self.close_block(&tag)?;
        self.nesting -= 1;
        let kind = if decorator { BlockKind::Decorator } else { BlockKind::Normal };
        Ok(Stmt::Block(prepare_block(kind, tag, program, inverse, Some(close), inverted)))
    }

    /// `openInverseChain program inverseChain?`, assembled as grammar rule 19 does.
    #[inline(never)]
    fn inverse_chain(&mut self) -> PResult<InverseAndProgram> {
        let open = self.next();
        self.nest(open.start)?;
        let tag = Box::new(self.open_tag(&open, true)?);
        let strip = tag.strip;
        let program = self.program(tag.block_params.clone())?;
        let nested = match self.peek_kind(0) {
            Tok::OpenInverseChain => Some(self.inverse_chain()?),
            Tok::Inverse => {
                let token = self.next();
                let text = self.text(&token);
                let strip = strip_flags(text, text);
                Some(InverseAndProgram { strip, program: self.program(Vec::new())?, chain: false })
            }
            _ => None,
        };
        self.nesting -= 1;
        let close = nested.as_ref().map(|n| n.strip);
        let block = prepare_block(BlockKind::Normal, tag, program, nested, close, false);
        Ok(InverseAndProgram {
            strip,
            program: Program { body: vec![Stmt::Block(block)], block_params: Vec::new(), chained: true },
            chain: true,
        })
    }

    #[inline(never)]
    fn partial(&mut self) -> PResult<Stmt> {
        let open = self.next();
        let sexpr = self.partial_tag(&open)?;
        let close = self.expect(Tok::Close, "'}}' to close the partial")?;
        Ok(Stmt::Partial(Box::new(Partial {
            sexpr,
            strip: strip_flags(self.text(&open), self.text(&close)),
            indent: String::new(),
        })))
    }

    /// `partialName param* hash?`, at most one parameter.
    fn partial_tag(&mut self, open: &Token) -> PResult<Box<Sexpr>> {
        let sexpr = if self.peek_kind(0) == Tok::OpenSexpr {
            let paren = self.next();
            self.nest(paren.start)?;
            let name = self.sexpr_body(paren.start)?;
            self.expect(Tok::CloseSexpr, "')' to close the subexpression")?;
            self.nesting -= 1;
            self.sexpr_rest(Expr::Sub(name), open.start)?
        } else {
            self.sexpr_body(open.start)?
        };
        if sexpr.params.len() > 1 {
            return Err(ParseError::syntax(
                open.start,
                format!("a partial takes at most one context argument, not {}", sexpr.params.len()),
            ));
        }
        Ok(sexpr)
    }

    #[inline(never)]
    fn partial_block(&mut self) -> PResult<Stmt> {
        let open = self.next();
        self.nest(open.start)?;
        let sexpr = self.partial_tag(&open)?;
        let close = self.expect(Tok::Close, "'}}' to close the partial block")?;
        let tag = OpenTag {
            sexpr,
            block_params: Vec::new(),
            strip: strip_flags(self.text(&open), self.text(&close)),
            start: open.start,
        };
        let program = self.program(Vec::new())?;
        if let Expr::Sub(_) = tag.sexpr.path {
            return Err(ParseError::syntax(open.start, "a partial block cannot have a dynamic partial name"));
        }
        let close = self.close_block(&tag)?;
        self.nesting -= 1;
        Ok(Stmt::Block(Box::new(Block {
            kind: BlockKind::Partial,
            sexpr: tag.sexpr,
            program: Some(program),
            inverse: None,
            open_strip: tag.strip,
            inverse_strip: Strip::default(),
            close_strip: close,
        })))
    }

    #[inline(never)]
    fn raw_block(&mut self) -> PResult<Stmt> {
        let open = self.next();
        let sexpr = self.sexpr_body(open.start)?;
        self.expect(Tok::CloseRawBlock, "'}}}}' to close the raw block tag")?;
        let mut body = Vec::new();
        while self.peek_kind(0) == Tok::Content {
            let token = self.next();
            let range = token.start..token.end;
            body.push(Stmt::Content { original: range.clone(), value: range, left_stripped: false, right_stripped: false });
        }
        let end = self.expect(Tok::EndRawBlock, "'{{{{/name}}}}' to end the raw block")?;
        let open_name = sexpr.path.original().unwrap_or_default();
        let close_name = end.value.as_deref().unwrap_or_default();
        if open_name != close_name {
            return Err(ParseError::syntax(
                end.start,
                format!("'{close_name}' doesn't match '{open_name}': expected '{{{{{{{{/{open_name}}}}}}}}}'"),
            ));
        }
        Ok(Stmt::Block(Box::new(Block {
            kind: BlockKind::Raw,
            sexpr,
            program: Some(Program { body, block_params: Vec::new(), chained: false }),
            inverse: None,
            open_strip: Strip::default(),
            inverse_strip: Strip::default(),
            close_strip: Strip::default(),
        })))
    }
}

/// `prepareBlock` of handlebars.js.
#[inline(never)]
#[allow(clippy::boxed_local)]
fn prepare_block(
    kind: BlockKind,
    open: Box<OpenTag>,
    mut program: Program,
    inverse_and_program: Option<InverseAndProgram>,
    close: Option<Strip>,
    inverted: bool,
) -> Box<Block> {
    let open = *open;
    program.block_params = open.block_params;
    let (mut inverse, inverse_strip) = match inverse_and_program {
        Some(mut iap) => {
            if iap.chain {
                if let Some(Stmt::Block(first)) = iap.program.body.first_mut() {
                    first.close_strip = close.unwrap_or_default();
                }
            }
            (Some(iap.program), iap.strip)
        }
        None => (None, Strip::default()),
    };
    let mut program = Some(program);
    if inverted {
        std::mem::swap(&mut program, &mut inverse);
    }
    Box::new(Block {
        kind,
        sexpr: open.sexpr,
        program,
        inverse,
        open_strip: open.strip,
        inverse_strip,
        close_strip: close.unwrap_or_default(),
    })
}

/// `stripFlags(open, close)`: a `~` right after the opening braces, right before the closing.
fn strip_flags(open: &str, close: &str) -> Strip {
    let close = close.as_bytes();
    Strip { open: open.as_bytes().get(2) == Some(&b'~'), close: close.len() >= 3 && close[close.len() - 3] == b'~' }
}

/// `yy.id`: `[literal]` without its brackets (unless it spans lines, as JavaScript's `.` won't).
fn strip_brackets(token: &str) -> &str {
    if token.len() >= 2
        && token.starts_with('[')
        && token.ends_with(']')
        && !token.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
    {
        &token[1..token.len() - 1]
    } else {
        token
    }
}

/// Converts a parse error to a crate error located in `src`.
pub(super) fn error_in(src: &str, error: ParseError) -> Error {
    error.into_error(|at| crate::error::Location::in_source(src, at))
}
