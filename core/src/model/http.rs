//! The HTTP side of a model call, as data: the request to send, and an HTTP failure turned
//! into a typed [`Error`] the same way for every provider.

use super::options::Provider;
use super::retry::retry_after_ms;
use crate::{Error, ErrorKind};
use serde_json::{json, Map, Value};

/// A request for the binding to send.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The full URL.
    pub url: String,
    /// Headers, lowercase names.
    pub headers: Map<String, Value>,
    /// The JSON body.
    pub body: String,
}

impl HttpRequest {
    /// `{url, method: 'POST', headers, body}`, the shape `fetch` takes.
    pub fn to_json_value(&self) -> Value {
        json!({"url": self.url, "method": "POST", "headers": self.headers, "body": self.body})
    }
}

/// What the provider said in an error body: its message and its own code or type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderError {
    /// The provider's message.
    pub message: Option<String>,
    /// The provider's code or type (`rate_limit_exceeded`, `overloaded_error`, `RESOURCE_EXHAUSTED`).
    pub code: Option<String>,
    /// A retry delay the body gave (Gemini's `RetryInfo.retryDelay`), in ms.
    pub retry_after_ms: Option<f64>,
}

/// Reads the error body of any of the three providers: OpenAI `{error: {message, type,
/// code}}`, Anthropic `{type: 'error', error: {type, message}}`, Gemini `{error: {code,
/// message, status, details}}` (some servers answer an array of those).
pub fn provider_error(body: &[u8]) -> ProviderError {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body).trim().chars().take(500).collect::<String>();
        return ProviderError { message: (!text.is_empty()).then_some(text), ..ProviderError::default() };
    };
    let value = match value {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    };
    let error = value.get("error").unwrap_or(&value);
    let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_owned);
    let message = text("message").or_else(|| error.as_str().map(str::to_owned));
    let code = text("code").or_else(|| text("status")).or_else(|| text("type"));
    let retry_after_ms = error.get("details").and_then(Value::as_array).and_then(|details| {
        details.iter().find_map(|detail| {
            let delay = detail.get("retryDelay")?.as_str()?;
            delay.strip_suffix('s')?.parse::<f64>().ok().map(|seconds| seconds * 1000.0)
        })
    });
    ProviderError { message, code, retry_after_ms }
}

/// Phrases the three providers (and the usual compatible servers) use for an over-long prompt.
const CONTEXT_PHRASES: &[&str] = &[
    "context length",
    "context_length",
    "context window",
    "prompt is too long",
    "too many tokens",
    "maximum number of tokens",
    "input token count",
    "reduce the length",
];

/// The typed error for an HTTP status that is not a success.
///
/// 401 and 403 are `auth`; 408 `timeout`; 409 and 5xx `server`; 429 `rate_limit`; a 400-class
/// answer that says the prompt is too long is `context_length`, one flagged by the content
/// filter `content_filter`, any other 4xx `bad_request`. `details` holds `provider`, `status`,
/// `providerCode`, `requestId`, `retryAfter` (ms) and `shouldRetry` where they are known.
pub fn status_error(provider: Provider, status: u16, headers: &Map<String, Value>, body: &[u8], now_ms: f64) -> Error {
    let said = provider_error(body);
    let message = said.message.clone().unwrap_or_default();
    let lower = message.to_ascii_lowercase();
    let code = said.code.clone().unwrap_or_default();
    let kind = match status {
        401 | 403 => ErrorKind::Auth,
        408 => ErrorKind::Timeout,
        409 => ErrorKind::Server,
        429 => ErrorKind::RateLimit,
        500..=599 => ErrorKind::Server,
        400..=499 => {
            if code == "context_length_exceeded" || CONTEXT_PHRASES.iter().any(|phrase| lower.contains(phrase)) {
                ErrorKind::ContextLength
            } else if matches!(code.as_str(), "content_filter" | "content_policy_violation") {
                ErrorKind::ContentFilter
            } else if lower.contains("api key not valid") || code == "authentication_error" || code == "UNAUTHENTICATED" {
                ErrorKind::Auth
            } else {
                ErrorKind::BadRequest
            }
        }
        _ => ErrorKind::BadResponse,
    };
    let text = if message.is_empty() { "(no message)" } else { message.as_str() };
    let mut error = Error::new(kind, format!("{} answered HTTP {status}: {text}", provider.as_str()))
        .with_detail("provider", provider.as_str())
        .with_detail("status", status);
    if let Some(code) = said.code {
        error = error.with_detail("providerCode", code);
    }
    if let Some(id) = ["x-request-id", "request-id"].iter().find_map(|name| headers.get(*name).and_then(Value::as_str)) {
        error = error.with_detail("requestId", id);
    }
    if let Some(after) = retry_after_ms(headers, now_ms).or(said.retry_after_ms) {
        error = error.with_detail("retryAfter", after);
    }
    let should_retry = match headers.get("x-should-retry").and_then(Value::as_str) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        // A spent quota does not come back by waiting a second.
        _ if code == "insufficient_quota" => Some(false),
        _ => None,
    };
    if let Some(should_retry) = should_retry {
        error = error.with_detail("shouldRetry", should_retry);
    }
    error
}

/// A `bad_response` error: the provider's answer is not in its documented format.
pub fn bad_response(provider: Provider, message: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::BadResponse, format!("{} sent an answer Bridle cannot read: {message}", provider.as_str()))
        .with_detail("provider", provider.as_str())
}

/// Parses one stream event's data, or says it is not JSON (keeping the data).
pub fn parse_event(provider: Provider, data: &str) -> Result<Value, Error> {
    serde_json::from_str(data)
        .map_err(|error| bad_response(provider, format!("a stream event is not JSON ({error})")).with_detail("data", data))
}

/// Parses a JSON body, or says it is not JSON.
pub fn parse_body(provider: Provider, body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|error| {
        let start = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        bad_response(provider, format!("the body is not JSON ({error})")).with_detail("body", start)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(provider: Provider, status: u16, body: &str) -> Error {
        status_error(provider, status, &Map::new(), body.as_bytes(), 0.0)
    }

    #[test]
    fn statuses_and_bodies_map_to_kinds() {
        let openai = r#"{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#;
        assert_eq!(classify(Provider::OpenAi, 400, openai).kind(), ErrorKind::ContextLength);
        let anthropic = r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#;
        assert_eq!(classify(Provider::Anthropic, 400, anthropic).kind(), ErrorKind::ContextLength);
        let overloaded = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        let error = classify(Provider::Anthropic, 529, overloaded);
        assert_eq!(error.kind(), ErrorKind::Server);
        assert_eq!(error.details()["providerCode"], "overloaded_error");
        let gemini = r#"{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}"#;
        let error = classify(Provider::Gemini, 429, gemini);
        assert_eq!(error.kind(), ErrorKind::RateLimit);
        assert_eq!(error.details()["retryAfter"], 7000.0);
        let key = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#;
        assert_eq!(classify(Provider::Gemini, 400, key).kind(), ErrorKind::Auth);
        let filter = r#"{"error":{"message":"flagged","type":"invalid_request_error","code":"content_policy_violation"}}"#;
        assert_eq!(classify(Provider::OpenAi, 400, filter).kind(), ErrorKind::ContentFilter);
        let quota = r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#;
        assert_eq!(classify(Provider::OpenAi, 429, quota).details()["shouldRetry"], false);
        assert_eq!(classify(Provider::OpenAi, 401, "").kind(), ErrorKind::Auth);
        assert_eq!(classify(Provider::OpenAi, 408, "").kind(), ErrorKind::Timeout);
        assert_eq!(classify(Provider::OpenAi, 409, "").kind(), ErrorKind::Server);
        assert_eq!(classify(Provider::OpenAi, 404, "<html>not found</html>").kind(), ErrorKind::BadRequest);
        assert!(classify(Provider::OpenAi, 404, "<html>not found</html>").message().contains("not found"));
    }
}
