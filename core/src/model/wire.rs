//! The model API as the bindings call it: JSON text in and out, so both bindings stay thin
//! and identical.

use super::call::{Attempt, Call, Model};
use super::completion::StreamEvent;
use super::options::Provider;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

fn parse(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|error| Error::new(ErrorKind::InvalidArgument, format!("{what} is not JSON: {error}")))
}

/// A model of provider `provider` (`openai`, `anthropic`, `gemini`, `scripted`) with options
/// as JSON.
pub fn model_new(provider: &str, options: &str) -> Result<Model> {
    Model::new(Provider::from_name(provider)?, &parse("model options", options)?)
}

/// Opens a call (`stream` or generate) with options as JSON.
pub fn call_open(model: &Model, options: &str, stream: bool) -> Result<Call> {
    model.open(&parse("call options", options)?, stream)
}

/// Starts an attempt: `{"request": {url, method, headers, body}}` or `{"scripted": {"delay": ms}}`.
pub fn call_attempt(model: &mut Model, call: &mut Call) -> Result<String> {
    Ok(match model.attempt(call)? {
        Attempt::Http(request) => json!({ "request": request.to_json_value() }).to_string(),
        Attempt::Scripted { delay_ms } => json!({ "scripted": { "delay": delay_ms } }).to_string(),
    })
}

/// Reads a whole response (`headers` as a JSON object of lowercase names): the completion as
/// JSON, or the typed error.
pub fn call_response(call: &mut Call, status: u16, headers: &str, body: &[u8], now_ms: f64) -> Result<String> {
    let headers = match parse("headers", headers)? {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Ok(call.response(status, &headers, body, now_ms)?.to_string())
}

fn events_json(events: &[StreamEvent]) -> Value {
    Value::Array(events.iter().map(StreamEvent::to_json_value).collect())
}

/// Feeds stream bytes: the events as a JSON array.
pub fn call_push(call: &mut Call, bytes: &[u8]) -> Result<String> {
    Ok(events_json(&call.push(bytes)?).to_string())
}

/// Ends a stream: `{"events": [...], "completion": {...}}`.
pub fn call_end(call: &mut Call) -> Result<String> {
    let (events, completion) = call.end()?;
    Ok(json!({"events": events_json(&events), "completion": completion}).to_string())
}

/// The wait before the next attempt after attempt `attempt` failed with `error` (JSON
/// `{code, message, details}`), or -1 to give up.
pub fn call_retry_delay(call: &Call, attempt: u32, error: &str, random: f64) -> Result<f64> {
    let error = super::error_from_json(&parse("error", error)?);
    Ok(call.retry_delay(attempt, &error, random).unwrap_or(-1.0))
}

/// The scripted answer of this attempt, as completion JSON (generate).
pub fn call_scripted(call: &mut Call) -> Result<String> {
    Ok(call.scripted()?.to_string())
}

/// The scripted answer of this attempt as stream steps (`[{delay, events, error?}]`).
pub fn call_scripted_steps(call: &mut Call) -> Result<String> {
    Ok(call.scripted_steps()?.to_string())
}
