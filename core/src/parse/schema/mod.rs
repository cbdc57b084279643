//! JSON Schema validation (drafts 2020-12 and 07): compile once, validate many.
//!
//! ```
//! use bridle::parse::schema::{Schema, SchemaOptions};
//! use serde_json::json;
//!
//! let schema = Schema::compile(&json!({
//!     "type": "object",
//!     "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
//!     "required": ["name"],
//!     "additionalProperties": false
//! }), &SchemaOptions::default())?;
//! assert!(schema.is_valid(&json!({"name": "Ada", "age": 36})));
//! let violations = schema.validate(&json!({"age": -1, "extra": true}));
//! let found: Vec<(&str, &str)> = violations.iter().map(|v| (v.path.as_str(), v.message.as_str())).collect();
//! assert_eq!(found, [
//!     ("", "must have required property 'name'"),
//!     ("", "must NOT have additional property 'extra'"),
//!     ("/age", "must be >= 0"),
//! ]);
//! # Ok::<(), bridle::Error>(())
//! ```
//!
//! Written by hand rather than taken from a crate so that the WebAssembly module stays small
//! and so that the compiled schema can be walked (streaming validation checks a document
//! while it arrives). The draft comes from `$schema` (2019-09 is read as 2020-12, drafts
//! 04/06 as 07), or when there is none from [`SchemaOptions::draft`] (2020-12 by default).
//!
//! What differs from the specification, knowingly:
//! - `pattern` is run by the `regex-lite` crate: ECMA-262's `\d`, `\w` (ASCII-only) and `\cX` are
//!   translated, but look-around and backreferences are refused at compile time.
//! - Nothing is fetched: a `$ref` to another document works only when that document is given
//!   in [`SchemaOptions::resources`]; the meta-schemas are not built in.
//! - Formats are asserted by default ([`SchemaOptions::formats`]); `idn-*`, `iri*` and
//!   `uri-template` are not known, so they pass, as unknown formats do.
//! - `$vocabulary` is not read (every vocabulary is on), `contentMediaType`,
//!   `contentEncoding` and `contentSchema` are annotations only, and 2019-09's
//!   `$recursiveRef` is not known.
//! - An instance is followed at most 512 levels deep, and at most 1536 subschemas may be in
//!   evaluation at once; past either a `depth` violation is reported, so the stack stays
//!   bounded. A chain of in-place `$ref`s that loops is refused at compile time.

mod borrowed;
mod compile;
mod format;
mod instance;
pub(crate) mod node;
mod pattern;
pub(crate) mod stream;
mod uri;
mod validate;

#[cfg(test)]
mod tests;

use crate::error::{Error, ErrorKind, Location, Result};
use instance::Instance;
use node::{Node, NodeId};
use serde_json::{Map, Value};
use validate::{Path, Validator};

/// A JSON Schema draft, for [`SchemaOptions::draft`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Draft {
    /// Draft 7 (`http://json-schema.org/draft-07/schema#`): `items` arrays with
    /// `additionalItems`, `dependencies`, and `$ref` overriding its sibling keywords.
    Draft7,
    /// Draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`): `prefixItems`,
    /// `$defs`, `dependentRequired`/`dependentSchemas`, `unevaluated*`.
    Draft2020_12,
}

/// How a schema is compiled.
#[derive(Debug, Clone)]
pub struct SchemaOptions {
    /// Whether `format` is asserted (`true`, the default) or only an annotation, as 2020-12
    /// specifies without the format-assertion vocabulary. Structured output wants it checked.
    pub formats: bool,
    /// The draft of a schema without `$schema` (`None`: 2020-12). A `$schema` naming a
    /// known draft always wins, as the specification says.
    pub draft: Option<Draft>,
    /// Other schema documents, by absolute URI, that `$ref`s may name (`"$ref":
    /// "https://example.com/address.json#/$defs/street"`). Nothing is ever fetched.
    pub resources: Vec<(String, Value)>,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        SchemaOptions { formats: true, draft: None, resources: Vec::new() }
    }
}

impl SchemaOptions {
    /// Options from JSON text, as the bindings receive them: `{"formats": bool, "draft":
    /// "2020-12" | "07", "resources": {uri: schema}}`, all optional.
    pub fn from_json(text: &str) -> Result<SchemaOptions> {
        let invalid = |message: String, option: &str| Error::new(ErrorKind::InvalidArgument, message).with_detail("option", option);
        let value: Value = serde_json::from_str(text).map_err(|e| invalid(format!("schema options are not JSON: {e}"), ""))?;
        let Value::Object(map) = value else { return Err(invalid("schema options must be an object".into(), "")) };
        let mut options = SchemaOptions::default();
        for (name, value) in map {
            match name.as_str() {
                "formats" => options.formats = value.as_bool().ok_or_else(|| invalid("options.formats must be a boolean".into(), "formats"))?,
                "draft" => {
                    options.draft = Some(match value.as_str() {
                        Some("2020-12") => Draft::Draft2020_12,
                        Some("07" | "7" | "draft-07") => Draft::Draft7,
                        _ => return Err(invalid("options.draft must be '2020-12' or '07'".into(), "draft")),
                    })
                }
                "resources" => {
                    let Value::Object(resources) = value else { return Err(invalid("options.resources must be an object of URI → schema".into(), "resources")) };
                    options.resources = resources.into_iter().collect();
                }
                _ => return Err(invalid(format!("unknown schema option '{name}'"), &name)),
            }
        }
        Ok(options)
    }
}

impl Schema {
    /// [`Schema::compile`] from JSON text, with options as JSON ([`SchemaOptions::from_json`]),
    /// as the bindings receive them.
    pub fn compile_json(schema: &str, options: &str) -> Result<Schema> {
        let value: Value = serde_json::from_str(schema)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("the schema is not JSON: {e}")))?;
        Schema::compile(&value, &SchemaOptions::from_json(options)?)
    }

    /// The violations of a value given as JSON text (from `JSON.stringify`), as JSON. Read
    /// as [`Schema::validate_text_json`] does, without building a `Value`.
    pub fn validate_value_json(&self, value: &str) -> Result<String> {
        let not_json = |message: String| Error::new(ErrorKind::InvalidData, format!("the value is not JSON: {message}"));
        if value.len() > borrowed::MAX_TEXT {
            let value: Value = serde_json::from_str(value).map_err(|e| not_json(e.to_string()))?;
            return Ok(violations_json(&self.validate(&value)));
        }
        borrowed::with_root(value, |root| match root {
            Ok(root) => Ok(violations_json(&self.validate_instance(root))),
            Err(e) => Err(not_json(e.describe(value))),
        })
    }

    /// Parses JSON text and returns its violations as JSON; text that is not JSON is a
    /// `json_parse` error at its place.
    ///
    /// Unlike [`Schema::validate_json`] no `Value` is built: the validator walks a document
    /// that borrows from `text`. The syntax is `serde_json`'s (same errors at the same
    /// places) but for two things `JSON.parse` allows: escaped lone surrogates (read as
    /// U+FFFD) and nesting past 128 levels.
    pub fn validate_text_json(&self, text: &str) -> Result<String> {
        Ok(violations_json(&self.validate_text(text)?))
    }

    /// Whether JSON text is valid ([`Schema::validate_text_json`] without the report,
    /// stopping at the first failure); text that is not JSON is a `json_parse` error.
    pub fn is_valid_json(&self, text: &str) -> Result<bool> {
        if text.len() > borrowed::MAX_TEXT {
            return Ok(self.validate_json(text)?.1.is_empty());
        }
        borrowed::with_root(text, |root| match root {
            Ok(root) => Ok(Validator::new(self, false).node(self.root(), root, &Path::ROOT, None)),
            Err(e) => Err(located_json_error(text, e.message(), e.offset(text))),
        })
    }

    /// The violations of JSON text, read without building a `Value`.
    fn validate_text(&self, text: &str) -> Result<Vec<Violation>> {
        if text.len() > borrowed::MAX_TEXT {
            return Ok(self.validate_json(text)?.1);
        }
        borrowed::with_root(text, |root| match root {
            Ok(root) => Ok(self.validate_instance(root)),
            Err(e) => Err(located_json_error(text, e.message(), e.offset(text))),
        })
    }
}

/// The violations as a JSON array of `{path, keyword, message, schemaPath}` (`[]` when valid),
/// as the bindings return them.
pub fn violations_json(violations: &[Violation]) -> String {
    if violations.is_empty() {
        return "[]".to_owned();
    }
    // Written out directly (as `Value`s the maps alone cost more than validating did); the
    // same text serde_json writes for `Violation::to_json`s.
    let mut out = String::with_capacity(violations.iter().map(|v| v.path.len() + v.message.len() + v.schema_path.len() + 64).sum());
    for (i, v) in violations.iter().enumerate() {
        out.push_str(if i == 0 { "[{\"path\":" } else { ",{\"path\":" });
        crate::json::write_js_string(&mut out, &v.path);
        out.push_str(",\"keyword\":");
        crate::json::write_js_string(&mut out, &v.keyword);
        out.push_str(",\"message\":");
        crate::json::write_js_string(&mut out, &v.message);
        out.push_str(",\"schemaPath\":");
        crate::json::write_js_string(&mut out, &v.schema_path);
        out.push('}');
    }
    out.push(']');
    out
}

/// One way in which an instance fails a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where in the instance, as a JSON Pointer (RFC 6901; `""` is the root). For keywords
    /// about an object as a whole (`required`, `additionalProperties`) it is the object.
    pub path: String,
    /// The keyword that failed: `type`, `required`, `maxLength`, ... (`false` for a `false`
    /// schema, `depth` where the instance nests past the limit).
    pub keyword: String,
    /// What is wrong, in ajv's words: `must be string, got number`.
    pub message: String,
    /// Where the keyword is in the schema, as a JSON Pointer (`/properties/age/minimum`).
    pub schema_path: String,
}

impl Violation {
    /// The violation as a JSON object `{path, keyword, message, schemaPath}`, the shape the
    /// bindings and `details.errors` of a `schema` error use.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("path".into(), self.path.clone().into());
        object.insert("keyword".into(), self.keyword.clone().into());
        object.insert("message".into(), self.message.clone().into());
        object.insert("schemaPath".into(), self.schema_path.clone().into());
        Value::Object(object)
    }
}

/// A compiled JSON Schema. Compiling resolves every `$ref` and compiles every pattern once;
/// validating allocates nothing while the instance is valid.
#[derive(Debug, Clone)]
pub struct Schema {
    nodes: Vec<Node>,
    /// Per schema resource, its `$dynamicAnchor`s (see [`node::Logic::dynamic_anchor`]).
    dynamic_anchors: Vec<node::DynamicAnchors>,
    /// Whether any `$dynamicRef` is dynamic, so that validation tracks the dynamic scope.
    dynamic: bool,
}

impl Schema {
    /// Compiles `schema`. A schema that is not valid JSON Schema (a keyword of the wrong
    /// type, a `$ref` that names nothing given, a `pattern` the regex engine refuses, a
    /// `$ref` cycle that never descends into the instance) is an `invalid_argument` error
    /// whose `details.schemaPath` points at the culprit. Unknown keywords are ignored.
    pub fn compile(schema: &Value, options: &SchemaOptions) -> Result<Schema> {
        let compiled = compile::compile(schema, options)?;
        let dynamic = compiled.nodes.iter().any(|n| n.logic.as_ref().is_some_and(|l| l.dynamic_anchor.is_some()));
        Ok(Schema { nodes: compiled.nodes, dynamic_anchors: compiled.dynamic_anchors, dynamic })
    }

    /// Every violation of the schema by `instance`, in document order; empty when valid.
    ///
    /// Under `anyOf`, `oneOf` and `not` only the combinator's own violation is reported (the
    /// branches' failures are not: they are expected). The instance is followed at most 512
    /// levels deep; deeper, a `depth` violation is reported instead.
    pub fn validate(&self, instance: &Value) -> Vec<Violation> {
        self.validate_instance(instance)
    }

    fn validate_instance<'i, I: Instance<'i>>(&self, instance: I) -> Vec<Violation> {
        let mut validator = Validator::new(self, true);
        validator.node(self.root(), instance, &Path::ROOT, None);
        validator.finish()
    }

    /// Whether `instance` is valid: [`Schema::validate`] without the report, stopping at the
    /// first failure.
    pub fn is_valid(&self, instance: &Value) -> bool {
        Validator::new(self, false).node(self.root(), instance, &Path::ROOT, None)
    }

    /// Parses `text` as JSON and validates it. Text that is not JSON is a `json_parse` error
    /// located at the fault. To validate without the `Value`, which costs most of the time,
    /// see [`Schema::validate_text_json`] and [`Schema::is_valid_json`].
    pub fn validate_json(&self, text: &str) -> Result<(Value, Vec<Violation>)> {
        let value: Value = serde_json::from_str(text).map_err(|e| json_error(text, &e))?;
        let violations = self.validate(&value);
        Ok((value, violations))
    }

    /// `Ok` when `instance` is valid, otherwise a `schema` error whose `details.errors` lists
    /// the violations (as [`Violation::to_json`]); the message names the first.
    pub fn check(&self, instance: &Value) -> Result<()> {
        if self.is_valid(instance) {
            return Ok(());
        }
        let violations = self.validate(instance);
        let first = violations.first().map_or_else(String::new, |v| {
            let at = if v.path.is_empty() { "the value".to_owned() } else { format!("'{}'", v.path) };
            format!(": {at} {}", v.message)
        });
        let more = if violations.len() > 1 { format!(" (and {} more)", violations.len() - 1) } else { String::new() };
        let errors: Vec<Value> = violations.iter().map(Violation::to_json).collect();
        Err(Error::new(ErrorKind::Schema, format!("the value does not match the schema{first}{more}")).with_detail("errors", errors))
    }

    /// The root node, where walks start.
    pub(crate) fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// The node `id` (of this schema: ids are not shared between schemas).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }
}

/// A serde_json syntax error as a located `json_parse` error (serde_json counts columns in
/// bytes, so the byte offset is rebuilt from its line and column).
fn json_error(text: &str, error: &serde_json::Error) -> Error {
    let line_start: usize = text.split_inclusive('\n').take(error.line().saturating_sub(1)).map(str::len).sum();
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    located_json_error(text, message, line_start + error.column().saturating_sub(1))
}

/// A `json_parse` error at byte `offset` of `text` (moved back to a character boundary), with
/// `details.found`, the character there, as the other JSON parsers' errors have it.
fn located_json_error(text: &str, message: &str, offset: usize) -> Error {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut error =
        Error::new(ErrorKind::JsonParse, format!("invalid JSON: {message}")).with_location(Location::in_source(text, offset)).with_excerpt(text);
    if let Some(found) = text[offset..].chars().next() {
        error = error.with_detail("found", found.to_string());
    }
    error
}
