//! `bridle::model` for JavaScript: models and their calls by handle. Every call is one
//! `bridle::model::wire` function; the HTTP itself is in `http.rs`.

use crate::error::boundary;
use bridle::handles::Handles;
use bridle::model::{wire, Call, Model};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static MODELS: RefCell<Handles<Rc<RefCell<Model>>>> = const { RefCell::new(Handles::new()) };
    static CALLS: RefCell<Handles<Rc<RefCell<Call>>>> = const { RefCell::new(Handles::new()) };
}

fn model(handle: u32) -> bridle::Result<Rc<RefCell<Model>>> {
    MODELS.with(|table| table.borrow().live(handle, "model"))
}

fn call(handle: u32) -> bridle::Result<Rc<RefCell<Call>>> {
    CALLS.with(|table| table.borrow().live(handle, "model call"))
}

/// A model of `provider` with options (JSON); returns its handle.
#[napi(js_name = "modelNew")]
pub fn model_new(provider: String, options: String) -> napi::Result<u32> {
    boundary(|| {
        let model = wire::model_new(&provider, &options)?;
        Ok(MODELS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(model)))))
    })
}

/// `{provider, model, timeout, maxConcurrency}` as JSON.
#[napi(js_name = "modelInfo")]
pub fn model_info(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(model(handle)?.borrow().info_json()))
}

/// Takes a rate-limit token at `now` (ms); the wait before sending.
#[napi(js_name = "modelReserve")]
pub fn model_reserve(handle: u32, now: f64) -> napi::Result<f64> {
    boundary(|| Ok(model(handle)?.borrow_mut().reserve(now)))
}

/// The calls a scripted model has received, as JSON.
#[napi(js_name = "modelCalls")]
pub fn model_calls(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(model(handle)?.borrow().calls_json()))
}

/// Frees a model.
#[napi(js_name = "modelFree")]
pub fn model_free(handle: u32) {
    MODELS.with(|table| table.borrow_mut().remove(handle));
}

/// Opens a call with options (JSON); returns its handle.
#[napi(js_name = "callOpen")]
pub fn call_open(model_handle: u32, options: String, stream: bool) -> napi::Result<u32> {
    boundary(|| {
        let call = wire::call_open(&model(model_handle)?.borrow(), &options, stream)?;
        Ok(CALLS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(call)))))
    })
}

/// `{timeout, stream, warnings}` as JSON.
#[napi(js_name = "callInfo")]
pub fn call_info(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(call(handle)?.borrow().info_json()))
}

/// Starts an attempt: the request to send, or the scripted delay (JSON).
#[napi(js_name = "callAttempt")]
pub fn call_attempt(model_handle: u32, handle: u32) -> napi::Result<String> {
    boundary(|| wire::call_attempt(&mut model(model_handle)?.borrow_mut(), &mut call(handle)?.borrow_mut()))
}

/// Reads a whole response: the completion (JSON) or the typed error.
#[napi(js_name = "callResponse")]
pub fn call_response(handle: u32, status: u32, headers: String, body: Uint8Array, now: f64) -> napi::Result<String> {
    boundary(|| wire::call_response(&mut call(handle)?.borrow_mut(), status.min(999) as u16, &headers, &body, now))
}

/// Feeds stream bytes; the events (JSON array).
#[napi(js_name = "callPush")]
pub fn call_push(handle: u32, bytes: Uint8Array) -> napi::Result<String> {
    boundary(|| wire::call_push(&mut call(handle)?.borrow_mut(), &bytes))
}

/// Ends a stream: `{events, completion}` (JSON).
#[napi(js_name = "callEnd")]
pub fn call_end(handle: u32) -> napi::Result<String> {
    boundary(|| wire::call_end(&mut call(handle)?.borrow_mut()))
}

/// The scripted completion of this attempt (JSON).
#[napi(js_name = "callScripted")]
pub fn call_scripted(handle: u32) -> napi::Result<String> {
    boundary(|| wire::call_scripted(&mut call(handle)?.borrow_mut()))
}

/// The scripted stream steps of this attempt (JSON).
#[napi(js_name = "callScriptedSteps")]
pub fn call_scripted_steps(handle: u32) -> napi::Result<String> {
    boundary(|| wire::call_scripted_steps(&mut call(handle)?.borrow_mut()))
}

/// The wait before the next attempt, or -1 to give up.
#[napi(js_name = "callRetryDelay")]
pub fn call_retry_delay(handle: u32, attempt: u32, error: String, random: f64) -> napi::Result<f64> {
    boundary(|| wire::call_retry_delay(&call(handle)?.borrow(), attempt, &error, random))
}

/// Frees a call.
#[napi(js_name = "callFree")]
pub fn call_free(handle: u32) {
    CALLS.with(|table| table.borrow_mut().remove(handle));
}
