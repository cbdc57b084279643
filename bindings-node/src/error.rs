//! Core errors and panics to JavaScript. Every exported function runs its body inside
//! [`boundary`], so no panic unwinds into Node: it becomes an error with code `internal`.
//! The message is the core's JSON error object, which the facade turns into the matching
//! `BridleError` subclass (exactly as with the wasm binding).

use bridle::{Error, ErrorKind};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps each panic's description for [`boundary`] instead of printing it to stderr: the
/// description reaches JavaScript as the error's message.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let description = bridle::error::describe_panic(info);
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(description));
    }));
}

/// The message of the JavaScript error thrown for `error`: the core's JSON error object.
pub(crate) fn to_message(error: &Error) -> String {
    error.to_json()
}

fn to_js(error: Error) -> napi::Error {
    napi::Error::new(napi::Status::GenericFailure, to_message(&error))
}

/// Runs `body`, turning a panic into an [`ErrorKind::Internal`] error.
pub(crate) fn catch_panic<T>(body: impl FnOnce() -> bridle::Result<T>) -> bridle::Result<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        let description =
            LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_else(|| "internal error (panic)".to_owned());
        Err(Error::new(ErrorKind::Internal, description))
    })
}

/// Runs `body`, turning a core error or a panic into a JavaScript exception.
pub(crate) fn boundary<T>(body: impl FnOnce() -> bridle::Result<T>) -> napi::Result<T> {
    catch_panic(body).map_err(to_js)
}
