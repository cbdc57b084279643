//! `bridle::model` for JavaScript: models and their calls by handle (mirrors the Node
//! binding). Every call is one `bridle::model::wire` function; the HTTP is in `http.rs`.

use crate::error::to_js;
use bridle::handles::Handles;
use bridle::model::{wire, Call, Model};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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
#[wasm_bindgen(js_name = modelNew)]
pub fn model_new(provider: &str, options: &str) -> Result<u32, JsError> {
    catch(|| {
        let model = wire::model_new(provider, options)?;
        Ok(MODELS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(model)))))
    })
}

/// `{provider, model, timeout, maxConcurrency}` as JSON.
#[wasm_bindgen(js_name = modelInfo)]
pub fn model_info(handle: u32) -> Result<String, JsError> {
    catch(|| Ok(model(handle)?.borrow().info_json()))
}

/// Takes a rate-limit token at `now` (ms); the wait before sending.
#[wasm_bindgen(js_name = modelReserve)]
pub fn model_reserve(handle: u32, now: f64) -> Result<f64, JsError> {
    catch(|| Ok(model(handle)?.borrow_mut().reserve(now)))
}

/// The calls a scripted model has received, as JSON.
#[wasm_bindgen(js_name = modelCalls)]
pub fn model_calls(handle: u32) -> Result<String, JsError> {
    catch(|| Ok(model(handle)?.borrow().calls_json()))
}

/// Frees a model.
#[wasm_bindgen(js_name = modelFree)]
pub fn model_free(handle: u32) {
    MODELS.with(|table| table.borrow_mut().remove(handle));
}

/// Opens a call with options (JSON); returns its handle.
#[wasm_bindgen(js_name = callOpen)]
pub fn call_open(model_handle: u32, options: &str, stream: bool) -> Result<u32, JsError> {
    catch(|| {
        let call = wire::call_open(&model(model_handle)?.borrow(), options, stream)?;
        Ok(CALLS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(call)))))
    })
}

/// `{timeout, stream, warnings}` as JSON.
#[wasm_bindgen(js_name = callInfo)]
pub fn call_info(handle: u32) -> Result<String, JsError> {
    catch(|| Ok(call(handle)?.borrow().info_json()))
}

/// Starts an attempt: the request to send, or the scripted delay (JSON).
#[wasm_bindgen(js_name = callAttempt)]
pub fn call_attempt(model_handle: u32, handle: u32) -> Result<String, JsError> {
    catch(|| wire::call_attempt(&mut model(model_handle)?.borrow_mut(), &mut call(handle)?.borrow_mut()))
}

/// Reads a whole response: the completion (JSON) or the typed error.
#[wasm_bindgen(js_name = callResponse)]
pub fn call_response(handle: u32, status: u32, headers: &str, body: &[u8], now: f64) -> Result<String, JsError> {
    catch(|| wire::call_response(&mut call(handle)?.borrow_mut(), status.min(999) as u16, headers, body, now))
}

/// Feeds stream bytes; the events (JSON array).
#[wasm_bindgen(js_name = callPush)]
pub fn call_push(handle: u32, bytes: &[u8]) -> Result<String, JsError> {
    catch(|| wire::call_push(&mut call(handle)?.borrow_mut(), bytes))
}

/// Ends a stream: `{events, completion}` (JSON).
#[wasm_bindgen(js_name = callEnd)]
pub fn call_end(handle: u32) -> Result<String, JsError> {
    catch(|| wire::call_end(&mut call(handle)?.borrow_mut()))
}

/// The scripted completion of this attempt (JSON).
#[wasm_bindgen(js_name = callScripted)]
pub fn call_scripted(handle: u32) -> Result<String, JsError> {
    catch(|| wire::call_scripted(&mut call(handle)?.borrow_mut()))
}

/// The scripted stream steps of this attempt (JSON).
#[wasm_bindgen(js_name = callScriptedSteps)]
pub fn call_scripted_steps(handle: u32) -> Result<String, JsError> {
    catch(|| wire::call_scripted_steps(&mut call(handle)?.borrow_mut()))
}

/// The wait before the next attempt, or -1 to give up.
#[wasm_bindgen(js_name = callRetryDelay)]
pub fn call_retry_delay(handle: u32, attempt: u32, error: &str, random: f64) -> Result<f64, JsError> {
    catch(|| wire::call_retry_delay(&call(handle)?.borrow(), attempt, error, random))
}

/// Frees a call.
#[wasm_bindgen(js_name = callFree)]
pub fn call_free(handle: u32) {
    CALLS.with(|table| table.borrow_mut().remove(handle));
}

/// Runs `body`, turning a core error into a JavaScript exception.
fn catch<T>(body: impl FnOnce() -> bridle::Result<T>) -> Result<T, JsError> {
    body().map_err(to_js)
}
