//! The built-in HTTP client the facade uses when no `fetch` is given: one request and its
//! streamed body, cancellable at any point (the facade calls `cancel` when the call's
//! `AbortSignal` fires or its timeout passes). Bytes only: the core reads them.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::{Mutex, Notify};

/// One client for the process, so connections (and TLS sessions) are reused across calls.
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent(concat!("bridle/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

/// A failed exchange, as the core's JSON error (`network` or `aborted`), so the facade types it
/// as it types every other error.
fn failure(code: &str, message: String) -> napi::Error {
    let error = bridle::Error::new(bridle::ErrorKind::from_code(code).unwrap_or(bridle::ErrorKind::Network), message);
    napi::Error::new(napi::Status::GenericFailure, error.to_json())
}

/// The status line and headers of a response.
#[napi(object)]
pub struct HttpHead {
    /// The HTTP status.
    pub status: u32,
    /// The headers as JSON, lowercase names (repeated headers joined with `, `).
    pub headers: String,
}

/// One HTTP exchange: `send`, then `read` until it gives `null`; `cancel` at any time.
#[napi]
pub struct HttpExchange {
    response: Arc<Mutex<Option<reqwest::Response>>>,
    cancelled: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

#[napi]
impl HttpExchange {
    /// A new, unsent exchange.
    #[napi(constructor)]
    pub fn new() -> HttpExchange {
        HttpExchange { response: Arc::default(), cancelled: Arc::default(), wake: Arc::default() }
    }

    /// Sends a POST with `headers` (a JSON object of strings) and `body`; resolves when the
    /// response headers have come.
    #[napi]
    pub async fn send(&self, url: String, headers: String, body: String) -> napi::Result<HttpHead> {
        let headers: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&headers).map_err(|e| failure("internal", format!("bad headers: {e}")))?;
        let mut request = client().post(&url).body(body);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str().unwrap_or_default());
        }
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(failure("aborted", "the request was cancelled".into()));
        }
        let response = tokio::select! {
            response = request.send() => response.map_err(|e| failure("network", describe(&e)))?,
            _ = self.wake.notified() => return Err(failure("aborted", "the request was cancelled".into())),
        };
        let mut map = serde_json::Map::new();
        for (name, value) in response.headers() {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            match map.get_mut(name.as_str()) {
                Some(serde_json::Value::String(existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&value);
                }
                _ => {
                    map.insert(name.as_str().to_owned(), value.into());
                }
            }
        }
        let status = response.status().as_u16() as u32;
        *self.response.lock().await = Some(response);
        Ok(HttpHead { status, headers: serde_json::Value::Object(map).to_string() })
    }

    /// The next chunk of the body, or `null` at its end.
    #[napi]
    pub async fn read(&self) -> napi::Result<Option<Buffer>> {
        let mut slot = self.response.lock().await;
        // A cancelled exchange is an abort, never a body that ended.
        if self.cancelled.load(Ordering::SeqCst) {
            *slot = None;
            return Err(failure("aborted", "the request was cancelled".into()));
        }
        let Some(response) = slot.as_mut() else { return Ok(None) };
        if self.cancelled.load(Ordering::SeqCst) {
            *slot = None;
            return Err(failure("aborted", "the request was cancelled".into()));
        }
        let chunk = tokio::select! {
            chunk = response.chunk() => chunk.map_err(|e| failure("network", describe(&e)))?,
            _ = self.wake.notified() => {
                *slot = None;
                return Err(failure("aborted", "the request was cancelled".into()));
            }
        };
        match chunk {
            Some(bytes) => Ok(Some(bytes.to_vec().into())),
            None => {
                *slot = None;
                Ok(None)
            }
        }
    }

    /// Cancels the exchange: a pending `send` or `read` rejects, and the connection is dropped.
    #[napi]
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        // A stored permit wakes a `send` or `read` that has not started waiting yet.
        self.wake.notify_one();
        self.wake.notify_waiters();
        if let Ok(mut slot) = self.response.try_lock() {
            *slot = None;
        }
    }
}

impl Default for HttpExchange {
    fn default() -> HttpExchange {
        HttpExchange::new()
    }
}

/// The error and its causes in one line (reqwest's own message hides the cause).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
