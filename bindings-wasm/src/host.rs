//! Calls out of a render into JavaScript (Mustache lambdas, Handlebars helpers and function
//! values) and back in (a block helper rendering its blocks with `options.fn`). Mirrors the
//! Node binding's `host.rs`.
//!
//! The facade hands `renderWithHost` one JavaScript function that answers every call (it
//! never throws: it catches the user's exception, keeps it, and answers `e`). While a call
//! runs, its `Blocks` is registered (`bindings-common/active_blocks.rs`) and
//! `renderBlock(token, ...)` renders through it.

use crate::error::to_js;
use crate::template::template;
use crate::active_blocks::{register, with_innermost};
use bridle::template::host::{Blocks, Host, HostCall, HostValue};
use bridle::{Error, ErrorKind};
use wasm_bindgen::prelude::*;

struct JsHost<'a> {
    answer: &'a js_sys::Function,
}

impl Host for JsHost<'_> {
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> bridle::Result<HostValue> {
        let (token, registered) = register(blocks);
        let response = self.answer.call1(&JsValue::UNDEFINED, &JsValue::from_str(&call.to_json(token)));
        drop(registered);
        let response = response
            .ok()
            .and_then(|value| value.as_string())
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the host function failed"))?;
        HostValue::from_response(&response, call)
    }
}

/// Renders a template with its data as JSON, calling `host` for every lambda, helper and
/// function value (see `bridle::template::host`); `private_data` is Handlebars' initial
/// `@data` as JSON.
#[wasm_bindgen(js_name = renderWithHost)]
pub fn render_with_host(
    handle: u32,
    data: &str,
    host: &js_sys::Function,
    private_data: Option<String>,
) -> Result<String, JsError> {
    let template = template(handle)?;
    template.render_json_with_host(data, private_data.as_deref(), &mut JsHost { answer: host }).map_err(to_js)
}

/// Renders a block of the helper call `token` (the innermost in progress): its body, or its
/// `{{else}}` part when `inverse`, with a context and data given as JSON; `host` answers the
/// calls the block makes.
#[wasm_bindgen(js_name = renderBlock)]
pub fn render_block(
    token: u32,
    inverse: bool,
    context: Option<String>,
    data: Option<String>,
    host: &js_sys::Function,
) -> Result<String, JsError> {
    with_innermost(token, |blocks| {
        blocks.render_json(&mut JsHost { answer: host }, inverse, context.as_deref(), data.as_deref())
    })
    .map_err(to_js)
}
