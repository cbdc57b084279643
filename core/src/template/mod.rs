//! Prompt templates: compile a source once in one of the supported syntaxes, then render it
//! many times with data.
//!
//! ```
//! use bridle::{Template, TemplateOptions};
//! use serde_json::json;
//!
//! let template = Template::compile("Hello {name}, you have {count} messages.", &TemplateOptions::default())?;
//! assert_eq!(template.variables(), ["name", "count"]);
//! assert_eq!(template.render(&json!({"name": "Ada", "count": 3}))?, "Hello Ada, you have 3 messages.");
//! # Ok::<(), bridle::Error>(())
//! ```
//!
//! Values are rendered the way LangChain.js renders them: a string as it is, anything else as
//! the compact JSON that `JSON.stringify` would produce (`false`, `null`, `[1,2]`,
//! `{"a":1}`, `1e+21`).

mod fstring;
#[cfg(feature = "handlebars")]
mod handlebars;
pub mod host;
#[cfg(feature = "jinja")]
mod jinja;
#[cfg(feature = "mustache")]
mod mustache;
pub mod packed;
mod slots;
pub mod spotlight;

use host::{Host, NoHost};

use slots::{scan_utf16_slots, scan_utf16_slots_up_to, unpack_bytes, unpack_utf8, Span};

pub use slots::{decode_utf16_slots, encode_utf16_slots, read_call, Slot, Slot16, CALL_HEADER_UNITS};

use crate::error::{Error, ErrorKind, Location, Result};
use serde_json::Value;
use std::str::FromStr;

/// A template syntax.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Syntax {
    /// LangChain.js f-strings: `{name}`, with `{{` and `}}` for literal braces.
    #[default]
    FString,
    /// Mustache, to the mustache spec (with the optional inheritance and dynamic names).
    Mustache,
    /// Jinja (on minijinja), configured as Hugging Face transformers renders chat templates.
    Jinja,
    /// Handlebars, as handlebars.js 4.7 renders it, with helpers the caller registers.
    Handlebars,
}

impl Syntax {
    /// The syntax's canonical name, as accepted by [`Syntax::from_str`].
    pub fn name(self) -> &'static str {
        match self {
            Syntax::FString => "fstring",
            Syntax::Mustache => "mustache",
            Syntax::Jinja => "jinja",
            Syntax::Handlebars => "handlebars",
        }
    }
}

impl FromStr for Syntax {
    type Err = Error;

    /// Parses a syntax name: `fstring` (or LangChain's spelling `f-string`).
    fn from_str(name: &str) -> Result<Syntax> {
        match name {
            "fstring" | "f-string" => Ok(Syntax::FString),
            "mustache" => Ok(Syntax::Mustache),
            "jinja" | "jinja2" => Ok(Syntax::Jinja),
            "handlebars" | "hbs" => Ok(Syntax::Handlebars),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("unknown template syntax '{name}' (expected 'fstring', 'mustache', 'handlebars' or 'jinja')"),
            )
            .with_detail("syntax", name)),
        }
    }
}

/// Options for [`Template::compile`].
#[non_exhaustive]
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// The syntax of the source; f-string by default.
    pub syntax: Syntax,
    /// Named partials (Mustache `{{>name}}`), as sources.
    pub partials: Vec<(String, String)>,
    /// How interpolated values are escaped; none by default (prompts are not HTML).
    pub escape: Escape,
    /// Whether reading a name the data does not hold is an error rather than empty output
    /// (f-strings always treat it as an error).
    pub strict: bool,
    /// The time Jinja's `strftime_now` formats, in seconds since the Unix epoch (UTC). The
    /// core has no clock: without it `strftime_now` is an error.
    pub now: Option<i64>,
    /// The largest output a Mustache or Jinja render may produce before it stops with a
    /// `limit_exceeded` error; [`DEFAULT_MAX_OUTPUT_BYTES`] when `None`.
    pub max_output_bytes: Option<usize>,
    /// The names of the Handlebars helpers the caller registers; a render calls them through
    /// its [`Host`].
    pub helpers: Vec<String>,
    /// Handlebars compile options.
    pub handlebars: HandlebarsOptions,
    /// How Jinja treats the whitespace around tags.
    pub jinja_whitespace: JinjaWhitespace,
    /// Untrusted variables and how they are marked ([`spotlight`]).
    pub spotlight: Option<spotlight::Spotlight>,
}

/// How Jinja treats the whitespace around tags and at the end of the source.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JinjaWhitespace {
    /// As transformers renders chat templates: `trim_blocks` and `lstrip_blocks`, and a
    /// single trailing newline of the source dropped.
    #[default]
    ChatTemplate,
    /// Jinja2's own defaults (tags keep the whitespace around them) with
    /// `keep_trailing_newline`, as Prompty renders.
    Plain,
}

/// handlebars.js compile options that change what a template means.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlebarsOptions {
    /// Mustache-style recursive lookup: a name missing from the context is looked up in the
    /// enclosing contexts.
    pub compat: bool,
    /// Standalone partials are not indented.
    pub prevent_indent: bool,
    /// A partial sees only the context it is given (`{{> p ctx}}`), never the caller's.
    pub explicit_partial_context: bool,
    /// Standalone tags keep their lines.
    pub ignore_standalone: bool,
    /// Only registered and built-in helpers may be called.
    pub known_helpers_only: bool,
    /// Paths into missing objects are errors (`strict` without the error for a missing last
    /// segment).
    pub assume_objects: bool,
    /// Whether `@` data (`@index`, `@root`...) is tracked; on by default.
    pub data: bool,
}

impl Default for HandlebarsOptions {
    fn default() -> Self {
        HandlebarsOptions {
            compat: false,
            prevent_indent: false,
            explicit_partial_context: false,
            ignore_standalone: false,
            known_helpers_only: false,
            assume_objects: false,
            data: true,
        }
    }
}

/// A spotlit template asked to render through a slot path, which cannot mark values.
fn spotlit_fast_path() -> Error {
    Error::new(
        ErrorKind::Unsupported,
        "a template with untrusted variables renders from its data as a value (render), not from slots",
    )
}

/// The default output limit of a Mustache or Jinja render: 64 MiB.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 64 << 20;

impl TemplateOptions {
    /// Options for `syntax`, everything else default.
    pub fn new(syntax: Syntax) -> TemplateOptions {
        TemplateOptions { syntax, ..TemplateOptions::default() }
    }

    /// Options from the JSON object the JavaScript facade sends:
    /// `{"syntax": "mustache", "partials": {"name": "source"}, "escape": "html", "strict": true}`,
    /// every key optional. Unknown keys and wrong types are `invalid_argument` errors.
    pub fn from_json(json: &str) -> Result<TemplateOptions> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidArgument, message);
        let value: Value = serde_json::from_str(json).map_err(|e| invalid(format!("template options are not JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(invalid("template options must be an object".to_owned()));
        };
        let mut options = TemplateOptions::default();
        let mut untrusted: Option<Value> = None;
        let mut spotlight: Option<Value> = None;
        for (key, value) in map {
            match (key.as_str(), value) {
                ("untrusted", value) => untrusted = Some(value),
                ("spotlight", value) => spotlight = Some(value),
                ("syntax", Value::String(name)) => options.syntax = name.parse()?,
                ("partials", Value::Object(partials)) => {
                    for (name, source) in partials {
                        let Value::String(source) = source else {
                            return Err(invalid(format!("partial '{name}' must be a string of template source")));
                        };
                        options.partials.push((name, source));
                    }
                }
                ("escape", Value::String(escape)) => {
                    options.escape = match escape.as_str() {
                        "none" => Escape::None,
                        "html" => Escape::Html,
                        other => return Err(invalid(format!("escape must be 'none' or 'html', not '{other}'"))),
                    }
                }
                ("strict", Value::Bool(strict)) => options.strict = strict,
                ("now", Value::Number(now)) if now.as_i64().is_some() => options.now = now.as_i64(),
                ("maxOutputBytes", Value::Number(limit)) if limit.as_u64().is_some() => {
                    options.max_output_bytes = limit.as_u64().map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                }
                ("helpers", Value::Array(names)) => {
                    for name in names {
                        let Value::String(name) = name else {
                            return Err(invalid("helpers must be a list of helper names".to_owned()));
                        };
                        options.helpers.push(name);
                    }
                }
                ("handlebars", Value::Object(flags)) => {
                    for (flag, value) in flags {
                        let Value::Bool(on) = value else {
                            return Err(invalid(format!("handlebars option '{flag}' must be a boolean")));
                        };
                        let field = match flag.as_str() {
                            "compat" => &mut options.handlebars.compat,
                            "preventIndent" => &mut options.handlebars.prevent_indent,
                            "explicitPartialContext" => &mut options.handlebars.explicit_partial_context,
                            "ignoreStandalone" => &mut options.handlebars.ignore_standalone,
                            "knownHelpersOnly" => &mut options.handlebars.known_helpers_only,
                            "assumeObjects" => &mut options.handlebars.assume_objects,
                            "data" => &mut options.handlebars.data,
                            _ => return Err(invalid(format!("unknown handlebars option '{flag}'"))),
                        };
                        *field = on;
                    }
                }
                (
                    "syntax" | "partials" | "escape" | "strict" | "now" | "maxOutputBytes" | "helpers" | "handlebars",
                    other,
                ) => {
                    return Err(invalid(format!("template option '{key}' has the wrong type ({})", json_type_name(&other))))
                }
                _ => return Err(invalid(format!("unknown template option '{key}'"))),
            }
        }
        options.spotlight = match (untrusted, spotlight) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(invalid("template option 'spotlight' needs 'untrusted' (the variable names)".to_owned()))
            }
            (Some(variables), how) => {
                let mut spec = match how {
                    None => serde_json::Map::new(),
                    Some(Value::String(mode)) => [("mode".to_owned(), Value::String(mode))].into_iter().collect(),
                    Some(Value::Object(map)) => map,
                    Some(_) => {
                        return Err(invalid("template option 'spotlight' must be a mode name or an object".to_owned()))
                    }
                };
                spec.insert("variables".to_owned(), variables);
                Some(spotlight::Spotlight::from_json(&Value::Object(spec))?)
            }
        };
        Ok(options)
    }
}

/// How interpolated values are escaped.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escape {
    /// Inserted as they are.
    #[default]
    None,
    /// HTML-escaped (`& < > "`), as Mustache does by default outside prompts.
    Html,
}

/// A compiled template: parse once, render many times. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Template {
    syntax: Syntax,
    engine: Engine,
    /// Untrusted variables to mark, when the options name some.
    spotlight: Option<Box<spotlight::Spotlight>>,
    /// Kept for the excerpts of render errors.
    source: Box<str>,
}

#[derive(Debug, Clone)]
enum Engine {
    FString(Parsed),
    #[cfg(feature = "mustache")]
    Mustache {
        compiled: Box<mustache::Compiled>,
        variables: Vec<String>,
        escape: Escape,
        strict: bool,
        limit: usize,
    },
    #[cfg(feature = "jinja")]
    Jinja(Box<jinja::Compiled>),
    #[cfg(feature = "handlebars")]
    Handlebars {
        compiled: Box<handlebars::Compiled>,
        variables: Vec<String>,
    },
}

/// A source split into literal text and variable references, ready to render.
#[derive(Debug, Clone, Default)]
struct Parsed {
    parts: Vec<Part>,
    /// The length of all literal text in bytes and in UTF-16 units, to size outputs.
    literal_bytes: usize,
    literal_units: usize,
    /// Literal text not yet made a part: adjacent literals (around `{{`, say) become one part,
    /// so rendering copies less often, and building it stays linear.
    pending: String,
    /// Input names in order of first use, each once.
    variables: Vec<String>,
    /// Where each variable is first used, parallel to `variables`.
    first_use: Vec<Location>,
}

/// One piece of an output rendered from UTF-16 slots.
enum Piece<'a> {
    /// Literal template text, as UTF-8 and as UTF-16.
    Literal(&'a str, &'a [u16]),
    /// A value's units.
    Value(&'a [u16]),
}

#[derive(Debug, Clone)]
enum Part {
    /// Literal text, kept as UTF-8 and as UTF-16 so either render copies it as it is.
    Literal(Box<str>, Box<[u16]>),
    /// An index into [`Parsed::variables`].
    Variable(usize),
}

impl Parsed {
    fn push_literal(&mut self, text: &str) {
        self.literal_bytes += text.len();
        self.pending.push_str(text);
    }

    fn flush_literal(&mut self) {
        if !self.pending.is_empty() {
            let text = std::mem::take(&mut self.pending);
            let units: Box<[u16]> = text.encode_utf16().collect();
            self.literal_units += units.len();
            self.parts.push(Part::Literal(text.into_boxed_str(), units));
        }
    }

    /// Ends the parse: flushes the last literal.
    fn finish(mut self) -> Parsed {
        self.flush_literal();
        self.pending = String::new();
        self
    }

    fn push_variable(&mut self, name: &str, at: Location) {
        self.flush_literal();
        let index = match self.variables.iter().position(|known| known == name) {
            Some(index) => index,
            None => {
                self.variables.push(name.to_owned());
                self.first_use.push(at);
                self.variables.len() - 1
            }
        };
        self.parts.push(Part::Variable(index));
    }
}

impl Template {
    /// Compiles `source`. Syntax errors carry the [`Location`] of the offending character.
    pub fn compile(source: &str, options: &TemplateOptions) -> Result<Template> {
        Template::compile_engine(source, options).map_err(|e| e.with_excerpt(source))
    }

    fn compile_engine(source: &str, options: &TemplateOptions) -> Result<Template> {
        let engine = match options.syntax {
            Syntax::FString => Engine::FString(fstring::parse(source)?.finish()),
            #[cfg(feature = "mustache")]
            Syntax::Mustache => {
                let compiled = mustache::Compiled::compile(source, &options.partials)?;
                let variables = compiled.variables();
                Engine::Mustache {
                    compiled: Box::new(compiled),
                    variables,
                    escape: options.escape,
                    strict: options.strict,
                    limit: options.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES),
                }
            }
            #[cfg(feature = "jinja")]
            Syntax::Jinja => {
                let now = options.now.unwrap_or(jinja::NO_CLOCK);
                let limit = options.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES);
                Engine::Jinja(Box::new(jinja::Compiled::compile(
                    source,
                    &options.partials,
                    options.strict,
                    options.jinja_whitespace,
                    now,
                    limit,
                )?))
            }
            #[cfg(feature = "handlebars")]
            Syntax::Handlebars => {
                let compiled = handlebars::Compiled::compile(source, options)?;
                let variables = compiled.variables();
                Engine::Handlebars { compiled: Box::new(compiled), variables }
            }
            #[allow(unreachable_patterns)]
            syntax => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("this build of Bridle was made without the '{}' template engine", syntax.name()),
                )
                .with_detail("syntax", syntax.name()))
            }
        };
        Ok(Template {
            syntax: options.syntax,
            engine,
            spotlight: options.spotlight.clone().map(Box::new),
            source: source.into(),
        })
    }

    /// The syntax this template was compiled from.
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The names of the inputs the template reads, in order of first use, each once.
    pub fn variables(&self) -> &[String] {
        match &self.engine {
            Engine::FString(parsed) => &parsed.variables,
            #[cfg(feature = "mustache")]
            Engine::Mustache { variables, .. } => variables,
            #[cfg(feature = "handlebars")]
            Engine::Handlebars { variables, .. } => variables,
            #[cfg(feature = "jinja")]
            Engine::Jinja(compiled) => compiled.variables(),
        }
    }

    /// Renders with `data`: for an f-string a JSON object holding every variable (strings are
    /// inserted as they are; other values as `JSON.stringify` would write them); for Mustache
    /// any JSON value, the root context.
    pub fn render(&self, data: &Value) -> Result<String> {
        self.render_with_host(data, &mut NoHost)
    }

    /// [`Template::render`] for data that may hold functions ([`host::FUNCTION_KEY`]) and
    /// templates that call helpers: `host` makes the calls.
    pub fn render_with_host(&self, data: &Value, host: &mut dyn Host) -> Result<String> {
        self.render_value(data, None, host).map_err(|e| self.excerpt(e))
    }

    /// [`Template::render_with_host`] with Handlebars private data: `private` is the first
    /// `@data` frame (`@name` reads `private["name"]`), as handlebars.js's
    /// `template(context, { data })` gives it. Other syntaxes have no private data: giving
    /// some is an `invalid_argument` error.
    pub fn render_with_private_data(
        &self,
        data: &Value,
        private: &serde_json::Map<String, Value>,
        host: &mut dyn Host,
    ) -> Result<String> {
        self.render_value(data, Some(private), host).map_err(|e| self.excerpt(e))
    }

    /// [`Template::render_with_host`] with the data (and optional private data, see
    /// [`Template::render_with_private_data`]) as JSON text, as the bindings get them.
    pub fn render_json_with_host(&self, data: &str, private: Option<&str>, host: &mut dyn Host) -> Result<String> {
        let data = parse_json_value(data)?;
        match private.map(parse_json_value).transpose()? {
            None => self.render_with_host(&data, host),
            Some(Value::Object(private)) => self.render_with_private_data(&data, &private, host),
            Some(_) => Err(Error::new(ErrorKind::InvalidArgument, "private data (@data) must be an object")),
        }
    }

    /// Adds an excerpt of this template's source to an error that points into it.
    fn excerpt(&self, error: Error) -> Error {
        error.with_excerpt(&self.source)
    }

    fn render_value(
        &self,
        data: &Value,
        private: Option<&serde_json::Map<String, Value>>,
        host: &mut dyn Host,
    ) -> Result<String> {
        match &self.spotlight {
            Some(spotlight) => Ok(spotlight.finish(&self.render_engine(&spotlight.prepare(data), private, host)?).text),
            None => self.render_engine(data, private, host),
        }
    }

    /// Renders with `data`, marking the untrusted variables' values as the `spotlight`
    /// option says, and reports where each untrusted value landed. Without the option the
    /// text is the plain render and there are no spans.
    pub fn render_spotlit(&self, data: &Value) -> Result<spotlight::Spotlit> {
        self.render_spotlit_with_host(data, &mut NoHost)
    }

    /// [`Template::render_spotlit`] through a [`Host`] (functions in the data, helpers).
    pub fn render_spotlit_with_host(&self, data: &Value, host: &mut dyn Host) -> Result<spotlight::Spotlit> {
        let result = match &self.spotlight {
            Some(spotlight) => self.render_engine(&spotlight.prepare(data), None, host).map(|out| spotlight.finish(&out)),
            None => self.render_engine(data, None, host).map(|text| spotlight::Spotlit { text, spans: Vec::new() }),
        };
        result.map_err(|e| self.excerpt(e))
    }

    /// [`Template::render_spotlit`] with the data as JSON text, as the bindings get it.
    pub fn render_spotlit_json(&self, data: &str) -> Result<spotlight::Spotlit> {
        self.render_spotlit(&parse_json_value(data)?)
    }

    /// Whether the options mark untrusted variables (then renders must go through the data
    /// as a value, not the slot fast paths).
    pub fn is_spotlit(&self) -> bool {
        self.spotlight.is_some()
    }

    #[cfg_attr(not(any(feature = "mustache", feature = "handlebars")), allow(unused_variables))]
    fn render_engine(
        &self,
        data: &Value,
        private: Option<&serde_json::Map<String, Value>>,
        host: &mut dyn Host,
    ) -> Result<String> {
        if private.is_some() && self.syntax != Syntax::Handlebars {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("private data (@data) is a Handlebars option, not a {} one", self.syntax.name()),
            ));
        }
        let parsed = match &self.engine {
            Engine::FString(parsed) => parsed,
            #[cfg(feature = "mustache")]
            Engine::Mustache { compiled, escape, strict, limit, .. } => {
                return compiled.render(data, *escape, *strict, *limit, host)
            }
            #[cfg(feature = "jinja")]
            Engine::Jinja(compiled) => return compiled.render(data),
            #[cfg(feature = "handlebars")]
            Engine::Handlebars { compiled, .. } => return compiled.render(data, private, host),
        };
        let Value::Object(map) = data else {
            return Err(Error::new(
                ErrorKind::InvalidData,
                format!("template data must be an object, not {}", json_type_name(data)),
            ));
        };
        let mut out = String::new();
        self.render_with(
            parsed,
            |index| match map.get(&parsed.variables[index]) {
                None => Slot::Missing,
                Some(Value::String(text)) => Slot::Text(text),
                Some(value) => Slot::Value(value),
            },
            &mut out,
        )?;
        Ok(out)
    }

    /// Renders with one value per variable, in the order of [`Template::variables`].
    pub fn render_slots(&self, slots: &[Slot<'_>]) -> Result<String> {
        let mut out = String::new();
        self.render_slots_into(slots, &mut out)?;
        Ok(out)
    }

    /// [`Template::render_slots`], appending to `out`, so a caller rendering many times can
    /// reuse one buffer. On error `out` may hold part of the output.
    pub fn render_slots_into(&self, slots: &[Slot<'_>], out: &mut String) -> Result<()> {
        self.render_slots_inner(slots, out).map_err(|e| self.excerpt(e))
    }

    fn render_slots_inner(&self, slots: &[Slot<'_>], out: &mut String) -> Result<()> {
        if self.spotlight.is_some() {
            return Err(spotlit_fast_path());
        }
        let variables = self.variables();
        if slots.len() != variables.len() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("expected {} template values (one per variable), got {}", variables.len(), slots.len()),
            ));
        }
        match &self.engine {
            Engine::FString(parsed) => self.render_with(parsed, |index| slots[index], out),
            #[allow(unreachable_patterns)]
            _ => {
                let mut data = serde_json::Map::new();
                for (name, slot) in variables.iter().zip(slots) {
                    let value = match *slot {
                        Slot::Missing => continue,
                        Slot::Text(text) => Value::String(text.to_owned()),
                        Slot::Json(json) => parse_json_value(json)?,
                        Slot::Value(value) => value.clone(),
                    };
                    data.insert(name.clone(), value);
                }
                out.push_str(&self.render(&Value::Object(data))?);
                Ok(())
            }
        }
    }

    /// The data of a UTF-16 slot call, for the engines that walk data: an object of the
    /// variables' values, or the root given in one extra slot. Generic over the engine's value
    /// type, so Jinja's values are built straight from the JSON text.
    fn data_from_utf16<V: SlotValue>(&self, encoded: &[u16]) -> Result<V> {
        let variables = self.variables();
        let mut spans = vec![Span::MISSING; variables.len() + 1];
        let count = scan_utf16_slots_up_to(encoded, &mut spans)?;
        if count == variables.len() + 1 {
            let root = spans[variables.len()];
            let units = encoded
                .get(root.start..root.end)
                .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "malformed template values: a missing root"))?;
            if root.packed {
                return packed::decode(&unpack_bytes(units, root.utf8_bytes.unwrap_or(0)));
            }
            let text = slot_text(units, root)?;
            return if root.json { V::from_json(&text) } else { Ok(V::from_text(text)) };
        }
        if count != variables.len() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("expected {} template values (one per variable), got {count}", variables.len()),
            ));
        }
        let mut entries = Vec::with_capacity(variables.len());
        for (name, span) in variables.iter().zip(&spans) {
            let Some(units) = encoded.get(span.start..span.end) else { continue };
            let value = if span.packed {
                packed::decode(&unpack_bytes(units, span.utf8_bytes.unwrap_or(0)))?
            } else {
                let text = slot_text(units, *span)?;
                if span.json {
                    V::from_json(&text)?
                } else {
                    V::from_text(text)
                }
            };
            entries.push((name.as_str(), value));
        }
        Ok(V::object(entries))
    }

    /// Whether a render may read any name of the data, not only [`Template::variables`] (a
    /// Handlebars template that passes its root on as a value: `..`, `@root`, `this`; a Jinja
    /// template with a slice): then a caller that sends only the variables' values must send
    /// the whole data (as the root slot).
    pub fn reads_whole_data(&self) -> bool {
        match &self.engine {
            #[cfg(feature = "handlebars")]
            Engine::Handlebars { compiled, .. } => compiled.reads_whole_root(),
            #[cfg(feature = "jinja")]
            Engine::Jinja(compiled) => compiled.reads_whole_data(),
            _ => false,
        }
    }

    /// Whether [`Template::render_utf16_to_utf8`] is this template's cheaper render: engines
    /// that walk data render UTF-8 internally; f-strings copy UTF-16 values as they are.
    pub fn renders_utf8(&self) -> bool {
        !matches!(self.engine, Engine::FString(_))
    }

    /// Renders from UTF-16 slots with an engine that walks data.
    fn render_data_from_utf16(&self, encoded: &[u16]) -> Result<String> {
        match &self.engine {
            #[cfg(feature = "jinja")]
            Engine::Jinja(compiled) => compiled.render_value(self.data_from_utf16(encoded)?),
            _ => self.render(&self.data_from_utf16::<Value>(encoded)?),
        }
    }

    /// [`Template::render_utf16`] with UTF-8 output (bytes that are valid UTF-8 when it
    /// returns `Ok(true)`), transcoding values as they are copied, for callers whose cheapest
    /// way back to a JavaScript string is a UTF-8 decoder. Returns `Ok(false)` (and leaves
    /// `out` partial) if a value holds a lone surrogate, which UTF-8 cannot carry: render with
    /// [`Template::render_utf16`] then, which keeps it.
    pub fn render_utf16_to_utf8(&self, encoded: &[u16], out: &mut Vec<u8>) -> Result<bool> {
        self.render_utf16_to_utf8_inner(encoded, out).map_err(|e| self.excerpt(e))
    }

    #[allow(irrefutable_let_patterns)] // without the engines that walk data, only f-strings are left
    fn render_utf16_to_utf8_inner(&self, encoded: &[u16], out: &mut Vec<u8>) -> Result<bool> {
        if self.spotlight.is_some() {
            return Err(spotlit_fast_path());
        }
        let Engine::FString(parsed) = &self.engine else {
            out.extend_from_slice(self.render_data_from_utf16(encoded)?.as_bytes());
            return Ok(true);
        };
        out.reserve(parsed.literal_bytes + 3 * encoded.len());
        self.render_pieces(parsed, encoded, |piece| match piece {
            Piece::Literal(text, _) => {
                out.extend_from_slice(text.as_bytes());
                true
            }
            Piece::Value(units) => push_utf16_as_utf8(units, out),
        })
    }

    /// Renders from values in the UTF-16 slot form ([`decode_utf16_slots`]) to UTF-16 units
    /// appended to `out`: the calling convention of the JavaScript bindings, which pass the
    /// values the template reads, in JavaScript's own string units, and get units back.
    /// Strings cross untouched, lone surrogates included.
    pub fn render_utf16(&self, encoded: &[u16], out: &mut Vec<u16>) -> Result<()> {
        self.render_utf16_inner(encoded, out).map_err(|e| self.excerpt(e))
    }

    #[allow(irrefutable_let_patterns)]
    fn render_utf16_inner(&self, encoded: &[u16], out: &mut Vec<u16>) -> Result<()> {
        if self.spotlight.is_some() {
            return Err(spotlit_fast_path());
        }
        let Engine::FString(parsed) = &self.engine else {
            let text = self.render_data_from_utf16(encoded)?;
            push_str_as_utf16(&text, out);
            return Ok(());
        };
        out.reserve(parsed.literal_units + encoded.len());
        self.render_pieces(parsed, encoded, |piece| {
            match piece {
                Piece::Literal(_, units) | Piece::Value(units) => out.extend_from_slice(units),
            }
            true
        })?;
        Ok(())
    }

    /// Walks the output of a render from UTF-16 slots piece by piece, handing each to `emit`,
    /// which returns `false` to stop (then this returns `Ok(false)`).
    fn render_pieces<'t>(
        &self,
        parsed: &'t Parsed,
        encoded: &'t [u16],
        mut emit: impl FnMut(Piece<'t>) -> bool,
    ) -> Result<bool> {
        // The common case, few variables, works from spans on the stack.
        const INLINE: usize = 16;
        let mut inline = [Span::MISSING; INLINE];
        let mut spilled = Vec::new();
        let spans: &mut [Span] = if parsed.variables.len() <= INLINE {
            &mut inline[..parsed.variables.len()]
        } else {
            spilled.resize(parsed.variables.len(), Span::MISSING);
            &mut spilled
        };
        scan_utf16_slots(encoded, spans)?;
        for part in &parsed.parts {
            let piece = match part {
                Part::Literal(text, units) => Piece::Literal(text, units),
                Part::Variable(index) => {
                    let span = spans[*index];
                    if span.utf8_bytes.is_some() {
                        return Err(Error::new(
                            ErrorKind::InvalidArgument,
                            "malformed template values: f-strings take UTF-16 values only",
                        ));
                    }
                    match encoded.get(span.start..span.end) {
                        Some(units) => Piece::Value(units),
                        None => return Err(missing(parsed, *index)),
                    }
                }
            };
            if !emit(piece) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn render_with<'a>(&self, parsed: &Parsed, value_of: impl Fn(usize) -> Slot<'a>, out: &mut String) -> Result<()> {
        out.reserve(parsed.literal_bytes + 16 * parsed.variables.len());
        for part in &parsed.parts {
            match part {
                Part::Literal(text, _) => out.push_str(text),
                Part::Variable(index) => {
                    if !value_of(*index).write_to(out) {
                        return Err(missing(parsed, *index));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A value type an engine walks, built from template values as they cross the boundary.
pub(crate) trait SlotValue: Sized {
    /// A string value.
    fn from_text(text: String) -> Self;
    /// A value from the JSON text `JSON.stringify` wrote.
    fn from_json(json: &str) -> Result<Self>;
    /// An object (the variables' values, or a packed object).
    fn object(entries: Vec<(&str, Self)>) -> Self;
    /// `null`.
    fn null() -> Self;
    /// A boolean.
    fn bool(value: bool) -> Self;
    /// An integer.
    fn integer(value: i64) -> Self;
    /// A list.
    fn list(items: Vec<Self>) -> Self;
    /// A number that is not known to be integral: an integer if it is one in range (as
    /// `serde_json` reads the number's JSON text), else a float.
    fn number(value: f64) -> Self {
        if value.fract() == 0.0 && (-9_223_372_036_854_775_808.0..18_446_744_073_709_551_616.0).contains(&value) {
            // Past 2^53 JavaScript writes the shortest digits that round-trip (2 ** 60 is
            // "1152921504606847000"), and that integer is what the JSON text would have given.
            if value.abs() > 9_007_199_254_740_992.0 {
                let digits = format!("{value}");
                if let Ok(integer) = digits.parse::<i64>() {
                    return Self::integer(integer);
                }
                if let Ok(integer) = digits.parse::<u64>() {
                    return Self::unsigned(integer);
                }
                // Past the integers (-2^63 is written "-9223372036854776000"): a float, as
                // serde_json reads that text.
                return Self::float(value);
            }
            return if value < 9_223_372_036_854_775_808.0 {
                Self::integer(value as i64)
            } else {
                Self::unsigned(value as u64)
            };
        }
        Self::float(value)
    }
    /// An unsigned integer past `i64`.
    fn unsigned(value: u64) -> Self;
    /// A float.
    fn float(value: f64) -> Self;
}

impl SlotValue for Value {
    fn from_text(text: String) -> Self {
        Value::String(text)
    }

    fn from_json(json: &str) -> Result<Self> {
        parse_json_value(json)
    }

    fn object(entries: Vec<(&str, Self)>) -> Self {
        Value::Object(entries.into_iter().map(|(name, value)| (name.to_owned(), value)).collect())
    }

    fn null() -> Self {
        Value::Null
    }

    fn bool(value: bool) -> Self {
        Value::Bool(value)
    }

    fn integer(value: i64) -> Self {
        Value::from(value)
    }

    fn unsigned(value: u64) -> Self {
        Value::from(value)
    }

    fn float(value: f64) -> Self {
        serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
    }

    fn list(items: Vec<Self>) -> Self {
        Value::Array(items)
    }
}

/// The error for an f-string variable without a value, at its first use.
fn missing(parsed: &Parsed, index: usize) -> Error {
    let name = &parsed.variables[index];
    let hint = fstring::missing_name_hint(name);
    Error::new(ErrorKind::MissingVariable, format!("missing value for variable '{name}'{hint}"))
        .with_location(parsed.first_use[index])
        .with_detail("variable", name.as_str())
}

/// A JSON value from the text `JSON.stringify` wrote.
pub(crate) fn parse_json_value(json: &str) -> Result<Value> {
    crate::json::from_js_json(json)
        .map_err(|e| Error::new(ErrorKind::InvalidData, format!("a template value is not valid JSON: {e}")).with_source(e))
}

/// Appends `text` as UTF-16, ASCII bytes widened directly.
pub fn push_str_as_utf16(text: &str, out: &mut Vec<u16>) {
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        // ASCII runs, eight bytes at a time while no high bit is set.
        let mut ascii = start;
        while let Some(chunk) = bytes.get(ascii..ascii + 8) {
            let word = u64::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
            if word & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            ascii += 8;
        }
        while ascii < bytes.len() && bytes[ascii].is_ascii() {
            ascii += 1;
        }
        out.extend(bytes[start..ascii].iter().map(|&b| u16::from(b)));
        if ascii == bytes.len() {
            break;
        }
        // Up to the next ASCII byte (a character boundary), the slow way.
        let next = bytes[ascii..].iter().position(u8::is_ascii).map_or(bytes.len(), |p| ascii + p);
        out.extend(text[ascii..next].encode_utf16());
        start = next;
    }
}

/// Appends UTF-8 `text` as Latin-1 bytes (one per character) to `out`; `false` (with `out`
/// partly written) at the first character past U+00FF. JavaScript engines store such strings
/// one byte per character, so creating one from Latin-1 is a plain copy.
pub fn push_utf8_as_latin1(text: &str, out: &mut Vec<u8>) -> bool {
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte < 0x80 {
            out.push(byte);
            i += 1;
        } else if (byte == 0xc2 || byte == 0xc3) && i + 1 < bytes.len() {
            out.push(((byte & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
            i += 2;
        } else {
            return false;
        }
    }
    true
}

/// A slot's text, from UTF-16 units or packed UTF-8.
fn slot_text(units: &[u16], span: Span) -> Result<String> {
    match span.utf8_bytes {
        Some(bytes) => unpack_utf8(units, bytes),
        None => Ok(utf16_to_string(units)),
    }
}

/// `String::from_utf16_lossy`, fast on the ASCII that JSON text and prompts are mostly made of.
fn utf16_to_string(units: &[u16]) -> String {
    let mut bytes = Vec::with_capacity(units.len());
    if push_utf16_as_utf8(units, &mut bytes) {
        // Well-formed by construction; the check is one fast pass.
        if let Ok(text) = String::from_utf8(bytes) {
            return text;
        }
    }
    String::from_utf16_lossy(units)
}

/// Appends `units` as UTF-8; `false` at a lone surrogate. ASCII, the common case, is one
/// comparison and one byte per unit.
fn push_utf16_as_utf8(units: &[u16], out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < units.len() {
        let unit = units[i];
        i += 1;
        let code = match unit {
            0..=0x7f => {
                out.push(unit as u8);
                continue;
            }
            0xd800..=0xdbff => match units.get(i) {
                Some(&low @ 0xdc00..=0xdfff) => {
                    i += 1;
                    0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00)
                }
                _ => return false,
            },
            0xdc00..=0xdfff => return false,
            _ => u32::from(unit),
        };
        // A valid scalar value by construction (surrogates were paired or rejected above).
        let mut buffer = [0u8; 4];
        out.extend_from_slice(char::from_u32(code).unwrap_or('\u{fffd}').encode_utf8(&mut buffer).as_bytes());
    }
    true
}

/// The JSON type of `value` as JavaScript users would name it, for messages.
pub(crate) fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fstring(source: &str) -> Template {
        Template::compile(source, &TemplateOptions::default()).unwrap()
    }

    #[test]
    fn renders_strings_raw_and_other_values_as_js_json() {
        let template = fstring("{a}|{b}|{c}|{d}|{e}|{f}");
        let data = json!({"a": "x\"y", "b": false, "c": null, "d": [1, 2], "e": {"k": "v"}, "f": 0.5});
        assert_eq!(template.render(&data).unwrap(), r#"x"y|false|null|[1,2]|{"k":"v"}|0.5"#);
    }

    #[test]
    fn numbers_from_javascript_are_what_their_json_text_gives() {
        let number = <Value as SlotValue>::number;
        assert_eq!(number(2f64.powi(60)), json!(1152921504606847000i64));
        assert_eq!(number(-(2f64.powi(60))), json!(-1152921504606847000i64));
        assert_eq!(number(2f64.powi(63)), json!(9223372036854776000u64));
        assert_eq!(number(-(2f64.powi(63))), json!(-9.223372036854776e18));
        assert_eq!(number(9007199254740992.0), json!(9007199254740992i64));
        assert_eq!(number(1.5), json!(1.5));
        assert_eq!(number(1e21), json!(1e21));
    }

    #[test]
    fn variables_are_listed_once_in_order_of_first_use() {
        assert_eq!(fstring("{b}{a}{b}{c}{a}").variables(), ["b", "a", "c"]);
    }

    #[test]
    fn missing_variable_names_it_and_points_at_first_use() {
        let err = fstring("Hi\n  { name }!").render(&json!({"name": "x"})).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingVariable);
        assert_eq!(err.details()["variable"], " name ");
        assert!(err.message().contains("spaces inside the braces"), "{}", err.message());
        let at = err.location().unwrap();
        assert_eq!((at.line, at.column), (2, 3));
    }

    #[test]
    fn data_must_be_an_object() {
        let err = fstring("x").render(&json!([1])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }

    #[test]
    fn slots_must_match_variables() {
        let template = fstring("{a}{b}");
        let err = template.render_slots(&[Slot::Text("x")]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let out = template.render_slots(&[Slot::Text("x"), Slot::Json("[1]")]).unwrap();
        assert_eq!(out, "x[1]");
    }

    #[test]
    fn utf16_render_matches_utf8_render_and_keeps_lone_surrogates() {
        let template = fstring("Hi {a}, {{ {b} }}: {c}!");
        let encoded = encode_utf16_slots([Some((false, "Zoë 😀")), Some((true, "[1,2]")), Some((false, ""))]);
        let mut out = Vec::new();
        template.render_utf16(&encoded, &mut out).unwrap();
        assert_eq!(String::from_utf16(&out).unwrap(), "Hi Zoë 😀, { [1,2] }: !");
        let mut text = Vec::new();
        assert!(template.render_utf16_to_utf8(&encoded, &mut text).unwrap());
        assert_eq!(String::from_utf8(text).unwrap(), "Hi Zoë 😀, { [1,2] }: !");
        let mut lone = vec![b's' as u16, 1, 0, 0xd83d];
        lone.extend(encode_utf16_slots([Some((false, "b")), Some((false, "c"))]));
        out.clear();
        template.render_utf16(&lone, &mut out).unwrap();
        assert_eq!(out[3], 0xd83d);
        assert!(!template.render_utf16_to_utf8(&lone, &mut Vec::new()).unwrap());
        let low_first = encode_utf16_slots([Some((false, "\u{e000}")), Some((false, "b")), Some((false, "c"))]);
        let mut bytes = Vec::new();
        assert!(template.render_utf16_to_utf8(&low_first, &mut bytes).unwrap());
        assert_eq!(String::from_utf8(bytes).unwrap(), "Hi \u{e000}, { b }: c!");
        let missing = encode_utf16_slots([Some((false, "a")), None, Some((false, "c"))]);
        let err = template.render_utf16(&missing, &mut out).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingVariable);
        assert_eq!(err.details()["variable"], "b");
    }

    #[test]
    fn utf16_render_with_many_variables_takes_the_general_path() {
        let source: String = (0..20).map(|i| format!("{{v{i}}}")).collect();
        let template = fstring(&source);
        let values: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let encoded = encode_utf16_slots(values.iter().map(|v| Some((false, v.as_str()))));
        let mut out = Vec::new();
        template.render_utf16(&encoded, &mut out).unwrap();
        assert_eq!(String::from_utf16(&out).unwrap(), values.concat());
        let mut with_missing: Vec<Option<(bool, &str)>> = values.iter().map(|v| Some((false, v.as_str()))).collect();
        with_missing[17] = None;
        let err = template.render_utf16(&encode_utf16_slots(with_missing), &mut out).unwrap_err();
        assert_eq!(err.details()["variable"], "v17");
    }

    #[test]
    fn options_from_json() {
        let options = TemplateOptions::from_json(
            r#"{"syntax":"mustache","partials":{"p":"x"},"escape":"html","strict":true,"maxOutputBytes":10}"#,
        )
        .unwrap();
        assert_eq!(options.max_output_bytes, Some(10));
        assert_eq!(options.syntax, Syntax::Mustache);
        assert_eq!(options.partials, [("p".to_owned(), "x".to_owned())]);
        assert_eq!(options.escape, Escape::Html);
        assert!(options.strict);
        for bad in
            [r#"[]"#, r#"{"sintax":"x"}"#, r#"{"escape":"xml"}"#, r#"{"strict":"yes"}"#, r#"{"partials":{"p":1}}"#, "{"]
        {
            assert_eq!(TemplateOptions::from_json(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad}");
        }
        let options =
            TemplateOptions::from_json(r#"{"syntax":"handlebars","helpers":["a"],"handlebars":{"compat":true}}"#).unwrap();
        assert_eq!(
            (options.syntax, options.helpers, options.handlebars.compat),
            (Syntax::Handlebars, vec!["a".to_owned()], true)
        );
        assert_eq!(
            TemplateOptions::from_json(r#"{"handlebars":{"nope":true}}"#).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn mustache_through_utf16_slots() {
        let mut options = TemplateOptions::new(Syntax::Mustache);
        options.partials.push(("item".to_owned(), "<{{.}}>".to_owned()));
        let template = Template::compile("{{#list}}{{>item}}{{/list}} {{name}}", &options).unwrap();
        assert_eq!(template.variables(), ["list", "name"]);
        let encoded = encode_utf16_slots([Some((true, "[1,\"é\"]")), Some((false, "Zoë"))]);
        let mut out = Vec::new();
        template.render_utf16(&encoded, &mut out).unwrap();
        assert_eq!(String::from_utf16(&out).unwrap(), "<1><é> Zoë");
    }

    #[test]
    fn packed_utf8_slots_reach_data_walking_engines_only() {
        // 'J', 7 bytes of UTF-8 packed two per unit in the platform's byte order.
        let json = "[\"é\",1]".as_bytes();
        let mut encoded = vec![b'J' as u16, json.len() as u16, 0];
        encoded.extend(json.chunks(2).map(|pair| u16::from_ne_bytes([pair[0], *pair.get(1).unwrap_or(&0)])));
        let template = Template::compile("{{#v}}<{{.}}>{{/v}}", &TemplateOptions::new(Syntax::Mustache)).unwrap();
        let mut out = Vec::new();
        template.render_utf16(&encoded, &mut out).unwrap();
        assert_eq!(String::from_utf16(&out).unwrap(), "<é><1>");
        let err = fstring("{v}").render_utf16(&encoded, &mut out).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn latin1_output_is_one_byte_per_character_up_to_u_00ff() {
        let mut out = Vec::new();
        assert!(push_utf8_as_latin1("Café naïve ÿ\u{80}", &mut out));
        assert_eq!(out, b"Caf\xe9 na\xefve \xff\x80");
        assert!(!push_utf8_as_latin1("Ā", &mut Vec::new()));
        assert!(!push_utf8_as_latin1("😀", &mut Vec::new()));
    }

    #[test]
    fn syntax_names() {
        assert_eq!("f-string".parse::<Syntax>().unwrap(), Syntax::FString);
        assert_eq!("handlebars".parse::<Syntax>().unwrap(), Syntax::Handlebars);
        assert_eq!("jinja".parse::<Syntax>().unwrap(), Syntax::Jinja);
        assert_eq!("mustache".parse::<Syntax>().unwrap(), Syntax::Mustache);
        assert_eq!("liquid".parse::<Syntax>().unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}
