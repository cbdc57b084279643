//! Calls out of a render into JavaScript (Mustache lambdas, Handlebars helpers and function
//! values) and back in (a block helper rendering its blocks with `options.fn`).
//!
//! The facade hands `renderWithHost` one JavaScript function that answers every call (it
//! never throws: it catches the user's exception, keeps it, and answers `e`). While a call
//! runs, its `Blocks` is registered (`bindings-common/active_blocks.rs`) and
//! `renderBlock(token, ...)` renders through it.

use crate::active_blocks::{register, with_innermost};
use crate::error::boundary;
use crate::thread::THREAD;
use bridle::template::host::{Blocks, Host, HostCall, HostValue};
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::Function;
use napi_derive::napi;

struct JsHost<'a, 'scope> {
    answer: &'a Function<'scope, String, String>,
}

impl Host for JsHost<'_, '_> {
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> bridle::Result<HostValue> {
        let (token, registered) = register(blocks);
        let response = self.answer.call(call.to_json(token));
        drop(registered);
        let response =
            response.map_err(|e| Error::new(ErrorKind::Internal, format!("the host function failed: {}", e.reason)))?;
        HostValue::from_response(&response, call)
    }
}

/// Renders a template with its data as JSON, calling `host` for every lambda, helper and
/// function value (see `bridle::template::host`); `private_data` is Handlebars' initial
/// `@data` as JSON.
#[napi(js_name = "renderWithHost")]
pub fn render_with_host(
    handle: u32,
    data: String,
    host: Function<String, String>,
    private_data: Option<String>,
) -> napi::Result<String> {
    boundary(|| {
        let template = THREAD.with(|thread| thread.template(handle))?;
        template.render_json_with_host(&data, private_data.as_deref(), &mut JsHost { answer: &host })
    })
}

/// Renders a block of the helper call `token` (the innermost in progress): its body, or its
/// `{{else}}` part when `inverse`, with a context and data given as JSON; `host` answers the
/// calls the block makes.
#[napi(js_name = "renderBlock")]
pub fn render_block(
    token: u32,
    inverse: bool,
    context: Option<String>,
    data: Option<String>,
    host: Function<String, String>,
) -> napi::Result<String> {
    boundary(|| {
        with_innermost(token, |blocks| {
            blocks.render_json(&mut JsHost { answer: &host }, inverse, context.as_deref(), data.as_deref())
        })
    })
}
