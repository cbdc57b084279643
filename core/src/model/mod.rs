//! Calling models, without doing I/O: the core builds each provider's request, reads its
//! response and its stream, types its errors and decides retries and waits; the bindings send
//! the bytes (their own HTTP client, `fetch`, or a user's `fetch`) and sleep.
//!
//! Providers: OpenAI Chat Completions and every compatible server ([`openai`]), Anthropic
//! Messages ([`anthropic`]), Google Gemini ([`gemini`]) and the built-in [`scripted`] model.
//! One call, whatever the provider:
//!
//! ```
//! use bridle::model::{Model, Attempt, Provider};
//! use serde_json::json;
//!
//! let mut model = Model::new(Provider::OpenAi, &json!({"model": "gpt-4o-mini", "apiKey": "sk-test"}))?;
//! let mut call = model.open(&json!({"messages": [{"role": "user", "content": "Hi"}], "temperature": 0.2}), true)?;
//! let Attempt::Http(request) = model.attempt(&mut call)? else { unreachable!() };
//! assert_eq!(request.url, "https://api.openai.com/v1/chat/completions");
//! assert_eq!(request.headers["authorization"], "Bearer sk-test");
//! let body: serde_json::Value = serde_json::from_str(&request.body)?;
//! assert_eq!(body["stream_options"], json!({"include_usage": true}));
//!
//! // The binding sends it and feeds the stream back, cut wherever the network cut it.
//! let mut events = call.push(b"data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\nda")?;
//! events.extend(call.push(b"ta: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")?);
//! let (_, completion) = call.end()?;
//! assert_eq!(events.len(), 3); // two text deltas and the finish
//! assert_eq!(completion["text"], "Hello");
//! assert_eq!(completion["finishReason"], "stop");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod anthropic;
pub mod call;
pub mod completion;
pub mod gemini;
pub mod http;
pub mod limiter;
pub mod openai;
pub mod options;
pub mod retry;
pub mod scripted;
pub mod sse;
pub mod wire;

pub use call::{Attempt, Call, Model};
pub use completion::{Completion, FinishReason, StreamEvent, ToolCall, Usage};
pub use options::Provider;

use crate::{Error, ErrorKind};
use serde_json::Value;

/// Rebuilds an error from its JSON form (`{code, message, details}`, as [`Error::to_json`]
/// writes it): how errors that JavaScript holds come back to the retry policy.
pub fn error_from_json(value: &Value) -> Error {
    let code = value.get("code").and_then(Value::as_str).unwrap_or("internal");
    let kind = ErrorKind::from_code(code).unwrap_or(ErrorKind::Internal);
    let message = value.get("message").and_then(Value::as_str).unwrap_or_default();
    let mut error = Error::new(kind, message);
    if let Some(Value::Object(details)) = value.get("details") {
        for (key, detail) in details {
            error = error.with_detail(key, detail.clone());
        }
    }
    error
}
