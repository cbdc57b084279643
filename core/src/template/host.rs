//! Calls out of a render into the caller's code: Mustache lambdas and Handlebars function
//! values (functions the caller put in the data) and Handlebars helpers registered at
//! compile time. The core has no functions of its own to call; a binding implements [`Host`]
//! over JavaScript functions, and a block helper may render its blocks back through
//! [`Blocks`] while it runs.
//!
//! A function in the data travels as an object with one key, [`FUNCTION_KEY`], whose value
//! is the host's number for it: `{"\u0000fn": 3}`. Engines ask [`function_id`] before treating a
//! value as data.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// The key of the one-key object that stands for a function in the data.
pub const FUNCTION_KEY: &str = "\u{0}fn";

/// The host's number for the function `value` stands for, if it stands for one.
pub fn function_id(value: &Value) -> Option<u32> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get(FUNCTION_KEY)?.as_u64().and_then(|id| u32::try_from(id).ok()),
        _ => None,
    }
}

/// What a render calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee<'a> {
    /// A function found in the data, by the host's number for it ([`function_id`]).
    Function(u32),
    /// A helper registered at compile time, by name.
    Helper(&'a str),
}

/// One call out of a render.
#[derive(Debug, Clone, Copy)]
pub struct HostCall<'a> {
    /// The function or helper called.
    pub callee: Callee<'a>,
    /// The name the template used for it (a helper's name, or a lambda's path), for messages
    /// and for Handlebars' `options.name`.
    pub name: &'a str,
    /// The context the call happens in (JavaScript's `this`).
    pub this: &'a Value,
    /// Positional arguments: for a Mustache section lambda, the section's raw text.
    pub args: &'a [Value],
    /// Handlebars hash arguments (`key=value`), empty elsewhere.
    pub hash: &'a Map<String, Value>,
    /// Handlebars private data in scope (`root`, `index`, `key`, `first`, `last`, and what
    /// block helpers added), empty elsewhere.
    pub data: &'a Map<String, Value>,
    /// Whether the call is a block (`{{#helper}}…{{/helper}}`), so [`Blocks::render`] with
    /// `inverse: false` renders its body.
    pub block: bool,
    /// Whether the block has an `{{else}}` part.
    pub inverse: bool,
}

/// What a call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum HostValue {
    /// A value; the engine prints it (and HTML-escapes it when escaping is on).
    Value(Value),
    /// Text that is already safe (Handlebars' `SafeString`): never escaped.
    Safe(String),
    /// JavaScript's `undefined`: prints nothing, and is a missing value.
    Undefined,
}

/// Renders the blocks of the block helper being called, with a new context, while the helper
/// runs. Only valid during the [`Host::call`] it was handed to.
pub trait Blocks {
    /// Renders the block's body (`inverse: false`) or its `{{else}}` part (`inverse: true`)
    /// with `context` as `this` (the current context when `None`) and `data` merged over the
    /// private data in scope (for `@index` and friends and `blockParams`). An absent part
    /// renders as the empty string.
    fn render(&mut self, inverse: bool, context: Option<Value>, data: Option<Map<String, Value>>) -> Result<String>;
}

/// The caller's side of calls out of a render.
pub trait Host {
    /// Makes `call`. A call that fails in the caller's code returns an error (a binding keeps
    /// the original exception to rethrow it), which ends the render.
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> Result<HostValue>;
}

/// The host of a render that was given no functions: any call is an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn call(&mut self, call: &HostCall<'_>, _blocks: &mut dyn Blocks) -> Result<HostValue> {
        let what = match call.callee {
            Callee::Function(_) => "a function value",
            Callee::Helper(_) => "a helper",
        };
        Err(Error::new(ErrorKind::TemplateRender, format!("'{}' is {what}, but this render cannot call functions", call.name))
            .with_detail("name", call.name))
    }
}

/// A [`Blocks`] for calls that have none (lambdas, helpers called without a block).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBlocks;

impl Blocks for NoBlocks {
    fn render(&mut self, _inverse: bool, _context: Option<Value>, _data: Option<Map<String, Value>>) -> Result<String> {
        Ok(String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn function_markers_are_one_key_objects() {
        assert_eq!(function_id(&json!({"\u{0}fn": 3})), Some(3));
        assert_eq!(function_id(&json!({"\u{0}fn": 3, "x": 1})), None);
        assert_eq!(function_id(&json!({"fn": 3})), None);
        assert_eq!(function_id(&json!({"\u{0}fn": -1})), None);
        assert_eq!(function_id(&json!("x")), None);
    }

    #[test]
    fn no_host_refuses_calls() {
        let this = json!({});
        let empty = Map::new();
        let call = HostCall {
            callee: Callee::Helper("shout"),
            name: "shout",
            this: &this,
            args: &[],
            hash: &empty,
            data: &empty,
            block: false,
            inverse: false,
        };
        let err = NoHost.call(&call, &mut NoBlocks).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TemplateRender);
        assert!(err.message().contains("'shout' is a helper"), "{}", err.message());
    }
}
