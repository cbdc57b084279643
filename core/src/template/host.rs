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

/// The key of the one-key object that stands for JavaScript's `undefined` in a call's
/// arguments and hash (JSON has no `undefined`; a helper can tell it from `null`).
pub const UNDEFINED_KEY: &str = "\u{0}undefined";

/// The value that stands for `undefined` in a call's arguments: `{"\u0000undefined": true}`.
pub fn undefined() -> Value {
    let mut map = Map::new();
    map.insert(UNDEFINED_KEY.to_owned(), Value::Bool(true));
    Value::Object(map)
}

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
    /// How many block parameters the block declares (`{{#each xs as |x i|}}`: 2).
    pub block_params: u32,
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
    /// private data in scope (for `@index` and friends; a `blockParams` list in it gives the
    /// block's parameters). An absent part renders as the empty string. `host` makes the calls
    /// the block itself makes (helpers inside the block).
    fn render(
        &mut self,
        host: &mut dyn Host,
        inverse: bool,
        context: Option<Value>,
        data: Option<Map<String, Value>>,
    ) -> Result<String>;
}

impl dyn Blocks + '_ {
    /// [`Blocks::render`] with the context and data given as JSON text, as a JavaScript host
    /// sends them.
    pub fn render_json(
        &mut self,
        host: &mut dyn Host,
        inverse: bool,
        context: Option<&str>,
        data: Option<&str>,
    ) -> Result<String> {
        let context = context.map(parse_json).transpose()?;
        let data = match data.map(parse_json).transpose()? {
            None => None,
            Some(Value::Object(map)) => Some(map),
            Some(_) => return Err(Error::new(ErrorKind::InvalidArgument, "options.data must be an object")),
        };
        self.render(host, inverse, context, data)
    }
}

fn parse_json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(ErrorKind::InvalidData, format!("a value given to a block is not valid JSON: {e}")).with_source(e)
    })
}

/// The caller's side of calls out of a render.
pub trait Host {
    /// Makes `call`. A call that fails in the caller's code returns an error (a binding keeps
    /// the original exception to rethrow it), which ends the render.
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> Result<HostValue>;
}

impl HostCall<'_> {
    /// The call as the JSON object a JavaScript host reads: `{"helper": name}` or
    /// `{"function": id}`, then `name`, `this`, `args`, `hash`, `data`, `block`, `inverse`,
    /// and `token`, the number of the [`Blocks`] that render this call's blocks.
    pub fn to_json(&self, token: u32) -> String {
        let mut out = String::with_capacity(64);
        match self.callee {
            Callee::Helper(name) => {
                out.push_str("{\"helper\":");
                push_json(&mut out, &Value::String(name.to_owned()));
            }
            Callee::Function(id) => {
                out.push_str("{\"function\":");
                out.push_str(&id.to_string());
            }
        }
        out.push_str(",\"name\":");
        push_json(&mut out, &Value::String(self.name.to_owned()));
        out.push_str(",\"this\":");
        push_json(&mut out, self.this);
        out.push_str(",\"args\":[");
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json(&mut out, arg);
        }
        out.push_str("],\"hash\":");
        push_map(&mut out, self.hash);
        out.push_str(",\"data\":");
        push_map(&mut out, self.data);
        out.push_str(&format!(
            ",\"block\":{},\"inverse\":{},\"blockParams\":{},\"token\":{token}}}",
            self.block, self.inverse, self.block_params
        ));
        out
    }
}

fn push_json(out: &mut String, value: &Value) {
    crate::json::write_js_json(out, value);
}

fn push_map(out: &mut String, map: &Map<String, Value>) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json(out, &Value::String(key.clone()));
        out.push(':');
        push_json(out, value);
    }
    out.push('}');
}

impl HostValue {
    /// Reads a JavaScript host's answer: `v` and the value's JSON, `s` and safe text, `u`
    /// for `undefined`, or `e` and the message of the exception the call threw (an error
    /// naming `call`).
    pub fn from_response(response: &str, call: &HostCall<'_>) -> Result<HostValue> {
        let (tag, rest) = response.split_at(response.chars().next().map_or(0, char::len_utf8));
        match tag {
            "v" => serde_json::from_str(rest).map(HostValue::Value).map_err(|e| {
                Error::new(ErrorKind::Internal, format!("a host answered with malformed JSON: {e}")).with_source(e)
            }),
            "s" => Ok(HostValue::Safe(rest.to_owned())),
            "u" => Ok(HostValue::Undefined),
            "e" => {
                let (what, key) = match call.callee {
                    Callee::Helper(_) => ("helper", "helper"),
                    Callee::Function(_) => ("function", "function"),
                };
                Err(Error::new(ErrorKind::TemplateRender, format!("{what} '{}' threw: {rest}", call.name))
                    .with_detail(key, call.name)
                    .with_detail("thrown", true))
            }
            _ => Err(Error::new(ErrorKind::Internal, "a host answered with an unknown tag")),
        }
    }
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
        Err(Error::new(
            ErrorKind::TemplateRender,
            format!("'{}' is {what}, but this render cannot call functions", call.name),
        )
        .with_detail("name", call.name))
    }
}

/// A [`Blocks`] for calls that have none (lambdas, helpers called without a block).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBlocks;

impl Blocks for NoBlocks {
    fn render(
        &mut self,
        _host: &mut dyn Host,
        _inverse: bool,
        _context: Option<Value>,
        _data: Option<Map<String, Value>>,
    ) -> Result<String> {
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
    fn calls_travel_as_json_and_answers_come_back_tagged() {
        let this = json!({"a": [1, "x"]});
        let hash = json!({"k": true}).as_object().unwrap().clone();
        let data = json!({"index": 2}).as_object().unwrap().clone();
        let args = [json!("t\"xt"), json!(1.5)];
        let call = HostCall {
            callee: Callee::Helper("up"),
            name: "up",
            this: &this,
            args: &args,
            hash: &hash,
            data: &data,
            block: true,
            inverse: false,
            block_params: 0,
        };
        let request: Value = serde_json::from_str(&call.to_json(7)).unwrap();
        assert_eq!(
            request,
            json!({"helper": "up", "name": "up", "this": this, "args": args, "hash": {"k": true},
                   "data": {"index": 2}, "block": true, "inverse": false, "blockParams": 0, "token": 7})
        );
        assert_eq!(HostValue::from_response("v[1]", &call).unwrap(), HostValue::Value(json!([1])));
        assert_eq!(HostValue::from_response("s<b>", &call).unwrap(), HostValue::Safe("<b>".to_owned()));
        assert_eq!(HostValue::from_response("u", &call).unwrap(), HostValue::Undefined);
        let err = HostValue::from_response("eboom", &call).unwrap_err();
        assert_eq!((err.kind(), err.message()), (ErrorKind::TemplateRender, "helper 'up' threw: boom"));
        assert_eq!(HostValue::from_response("", &call).unwrap_err().kind(), ErrorKind::Internal);
        assert_eq!(HostValue::from_response("v{", &call).unwrap_err().kind(), ErrorKind::Internal);
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
            block_params: 0,
        };
        let err = NoHost.call(&call, &mut NoBlocks).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TemplateRender);
        assert!(err.message().contains("'shout' is a helper"), "{}", err.message());
    }
}
