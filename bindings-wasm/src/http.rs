//! The built-in HTTP transport: gloo-net's binding of the global `fetch` (never `window`), so it
//! works in pages, Web Workers, Cloudflare Workers, Vercel's edge runtime and Node. One request
//! and its streamed body, cancelled through the `AbortSignal` the facade passes (mirrors the
//! Node binding's `HttpExchange`). Bytes only: the core reads them.

use gloo_net::http::{Headers, RequestBuilder};
use js_sys::{Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortSignal, ReadableStreamDefaultReader};

/// A failed exchange as the core's JSON error, so the facade types it as every other error.
fn failure(code: &str, message: String) -> JsValue {
    let kind = bridle::ErrorKind::from_code(code).unwrap_or(bridle::ErrorKind::Network);
    JsError::new(&bridle::Error::new(kind, message).to_json()).into()
}

fn describe(value: &JsValue) -> String {
    value.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{value:?}"), |error| String::from(error.message()))
}

/// One HTTP exchange: `send`, then `read` until it gives `undefined`; `cancel` at any time.
#[wasm_bindgen]
pub struct HttpExchange {
    reader: Rc<RefCell<Option<ReadableStreamDefaultReader>>>,
}

#[wasm_bindgen]
impl HttpExchange {
    /// A new, unsent exchange.
    #[wasm_bindgen(constructor)]
    pub fn new() -> HttpExchange {
        HttpExchange { reader: Rc::default() }
    }

    /// Sends a POST with `headers` (a JSON object of strings) and `body`, cancelled by
    /// `signal`; resolves to `{status, headers}` (headers as JSON) when the response headers
    /// have come.
    pub fn send(&self, url: String, headers: String, body: String, signal: Option<AbortSignal>) -> Promise {
        let reader = self.reader.clone();
        future_to_promise(async move {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&headers).map_err(|e| failure("internal", format!("bad headers: {e}")))?;
            let request_headers = Headers::new();
            for (name, value) in &map {
                request_headers.append(name, value.as_str().unwrap_or_default());
            }
            let request = RequestBuilder::new(&url)
                .method(gloo_net::http::Method::POST)
                .headers(request_headers)
                .abort_signal(signal.as_ref())
                .body(body)
                .map_err(|e| failure("network", e.to_string()))?;
            let response = request.send().await.map_err(|e| match e {
                gloo_net::Error::JsError(js) if js.name == "AbortError" => failure("aborted", js.message),
                other => failure("network", other.to_string()),
            })?;
            let mut out = serde_json::Map::new();
            for (name, value) in response.headers().entries() {
                out.insert(name.to_ascii_lowercase(), value.into());
            }
            if let Some(stream) = response.body() {
                *reader.borrow_mut() = Some(stream.get_reader().unchecked_into());
            }
            let head = js_sys::Object::new();
            Reflect::set(&head, &"status".into(), &response.status().into())?;
            Reflect::set(&head, &"headers".into(), &serde_json::Value::Object(out).to_string().into())?;
            Ok(head.into())
        })
    }

    /// The next chunk of the body (a `Uint8Array`), or `undefined` at its end.
    pub fn read(&self) -> Promise {
        let reader = self.reader.borrow().clone();
        let slot = self.reader.clone();
        future_to_promise(async move {
            let Some(reader) = reader else { return Ok(JsValue::UNDEFINED) };
            let result = JsFuture::from(reader.read()).await.map_err(|e| {
                let code =
                    if Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("AbortError") {
                        "aborted"
                    } else {
                        "network"
                    };
                failure(code, describe(&e))
            })?;
            if Reflect::get(&result, &"done".into())?.is_truthy() {
                *slot.borrow_mut() = None;
                return Ok(JsValue::UNDEFINED);
            }
            let value: Uint8Array = Reflect::get(&result, &"value".into())?.unchecked_into();
            Ok(value.into())
        })
    }

    /// Stops reading the body and lets the connection go.
    pub fn cancel(&self) {
        if let Some(reader) = self.reader.borrow_mut().take() {
            // Awaited so that its rejection (a body already broken or aborted) is handled.
            let cancelled = reader.cancel();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(cancelled).await;
            });
        }
    }
}

impl Default for HttpExchange {
    fn default() -> HttpExchange {
        HttpExchange::new()
    }
}
