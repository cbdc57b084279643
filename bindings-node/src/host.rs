//! Calls out of a render into JavaScript (Mustache lambdas, Handlebars helpers and function
//! values) and back in (a block helper rendering its blocks with `options.fn`).
//!
//! The facade hands `renderWithHost` one JavaScript function that answers every call (it
//! never throws: it catches the user's exception, keeps it, and answers `e`). While a call
//! runs, its `Blocks` is registered under a token; `renderBlock(token, ...)` renders through
//! it. Only the innermost call's blocks may render, which is what makes the raw pointer below
//! the only live use of the `&mut dyn Blocks` it came from.

use crate::error::boundary;
use crate::thread::THREAD;
use bridle::template::host::{Blocks, Host, HostCall, HostValue};
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::Function;
use napi_derive::napi;
use std::cell::{Cell, RefCell};

type ActiveBlocks = *mut (dyn Blocks + 'static);

thread_local! {
    /// The blocks of the calls in progress, innermost last, with their tokens.
    static ACTIVE: RefCell<Vec<(u32, ActiveBlocks)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(1) };
}

/// Removes a call's blocks from [`ACTIVE`] when the call ends, however it ends.
struct Registered;

impl Drop for Registered {
    fn drop(&mut self) {
        ACTIVE.with(|active| active.borrow_mut().pop());
    }
}

fn register(blocks: &mut dyn Blocks) -> (u32, Registered) {
    let token = NEXT_TOKEN.with(|next| {
        let token = next.get();
        next.set(token.wrapping_add(1).max(1));
        token
    });
    let pointer: *mut (dyn Blocks + '_) = blocks;
    // SAFETY: only the lifetime is erased. The pointer is used by `render_block` only while it
    // is in ACTIVE, which `Registered` ends before the borrow it came from ends.
    let pointer: ActiveBlocks = unsafe { std::mem::transmute(pointer) };
    ACTIVE.with(|active| active.borrow_mut().push((token, pointer)));
    (token, Registered)
}

struct JsHost<'a, 'scope> {
    answer: &'a Function<'scope, String, String>,
}

impl Host for JsHost<'_, '_> {
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> bridle::Result<HostValue> {
        let (token, registered) = register(blocks);
        let response = self.answer.call(call.to_json(token));
        drop(registered);
        let response = response
            .map_err(|e| Error::new(ErrorKind::Internal, format!("the host function failed: {}", e.reason)))?;
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
        let innermost = ACTIVE.with(|active| active.borrow().last().copied());
        let pointer = match innermost {
            Some((live, pointer)) if live == token => pointer,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "a helper's options.fn or options.inverse was called after the helper returned, or while another helper ran",
                ))
            }
        };
        // SAFETY: `pointer` is the innermost call's blocks, registered for the duration of
        // that call, which is suspended in JavaScript now; nothing else uses it meanwhile.
        let blocks = unsafe { &mut *pointer };
        blocks.render_json(&mut JsHost { answer: &host }, inverse, context.as_deref(), data.as_deref())
    })
}
