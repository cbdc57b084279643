//! Panics in the wasm module. The module is built with `panic = "abort"`, so a panic traps;
//! the hook keeps its description for the facade, which reports it as `BridleError` with code
//! `internal`, restores the exported `__stack_pointer`, and carries on with the same instance.

use std::sync::Mutex;
use wasm_bindgen::prelude::*;

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(bridle::error::describe_panic(info));
        }
    }));
}

/// The message of the last panic, once; `undefined` if none happened since the last call.
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}

/// Panics on purpose, so tests can prove that a panic becomes an `internal` error and that
/// the module stays usable afterwards.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic(message: &str) {
    panic!("{message}");
}
