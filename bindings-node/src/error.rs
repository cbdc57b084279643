//! Core errors and panics to JavaScript. Every exported function runs its body inside
//! [`boundary`], so no panic unwinds into Node: it becomes an error with code `internal`.
//! The message is the core's JSON error object, which the facade turns into the matching
//! `BridleError` subclass (exactly as with the wasm binding).

use bridle::{Error, ErrorKind};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub(crate) fn to_js(error: Error) -> napi::Error {
    napi::Error::new(napi::Status::GenericFailure, error.to_json())
}

/// Runs `body`, turning a core error or a panic into a JavaScript exception.
pub(crate) fn boundary<T>(body: impl FnOnce() -> bridle::Result<T>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result.map_err(to_js),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_owned());
            Err(to_js(Error::new(ErrorKind::Internal, format!("internal error (panic): {message}"))))
        }
    }
}
