//! Core errors to JavaScript: an `Error` whose message is the core's JSON error object, which
//! the facade turns into the matching `BridleError` subclass (as the Node binding does).

use wasm_bindgen::JsError;

pub(crate) fn to_js(error: bridle::Error) -> JsError {
    JsError::new(&error.to_json())
}
