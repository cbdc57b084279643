//! OpenAI Chat Completions (`POST {baseURL}/chat/completions`), also spoken by Azure OpenAI,
//! Ollama, vLLM, llama.cpp's server, LM Studio, OpenRouter, Groq and Together.

use super::completion::{Accumulator, Completion, FinishReason, StreamEvent, ToolCall, Usage};
use super::http::{bad_response, parse_event, HttpRequest};
use super::options::{merge_raw, put, CallOptions, ModelConfig, Output, Provider, ToolChoice};
use super::sse::SseEvent;
use crate::chat::message::to_openai;
use crate::{Error, Result};
use serde_json::{json, Map, Value};

const PROVIDER: Provider = Provider::OpenAi;

/// Models that take `max_completion_tokens` and refuse `max_tokens` (the reasoning models).
fn uses_max_completion_tokens(model: &str) -> bool {
    let model = model.rsplit('/').next().unwrap_or(model);
    ["o1", "o3", "o4", "gpt-5"].iter().any(|prefix| model.starts_with(prefix))
}

/// The request for `call`.
pub fn build(config: &ModelConfig, call: &CallOptions, stream: bool, warnings: &mut Vec<String>) -> Result<HttpRequest> {
    let mut body = Map::new();
    body.insert("model".into(), config.model.clone().into());
    body.insert("messages".into(), to_openai(&call.messages));
    if !call.tools.is_empty() {
        let tools = call
            .tools
            .iter()
            .map(|tool| {
                let mut function = Map::new();
                function.insert("name".into(), tool.name.clone().into());
                if let Some(description) = &tool.description {
                    function.insert("description".into(), description.clone().into());
                }
                function.insert("parameters".into(), tool.parameters.clone());
                if let Some(strict) = tool.strict {
                    function.insert("strict".into(), strict.into());
                }
                json!({"type": "function", "function": function})
            })
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    let has_tools = !call.tools.is_empty();
    if (call.tool_choice.is_some() || call.parallel_tool_calls.is_some()) && !has_tools {
        warnings.push("openai: toolChoice and parallelToolCalls need tools, so they were not sent".into());
    }
    if let Some(choice) = call.tool_choice.as_ref().filter(|_| has_tools) {
        let value = match choice {
            ToolChoice::Auto => json!("auto"),
            ToolChoice::None => json!("none"),
            ToolChoice::Required => json!("required"),
            ToolChoice::Tool(name) => json!({"type": "function", "function": {"name": name}}),
        };
        body.insert("tool_choice".into(), value);
    }
    if let Some(parallel) = call.parallel_tool_calls.filter(|_| has_tools) {
        body.insert("parallel_tool_calls".into(), parallel.into());
    }
    match &call.output {
        Some(Output::Schema { schema, name, description, strict }) => {
            let mut format = Map::new();
            format.insert("name".into(), name.clone().into());
            if let Some(description) = description {
                format.insert("description".into(), description.clone().into());
            }
            format.insert("schema".into(), schema.clone());
            format.insert("strict".into(), (*strict).into());
            body.insert("response_format".into(), json!({"type": "json_schema", "json_schema": format}));
        }
        Some(Output::Json) => {
            body.insert("response_format".into(), json!({"type": "json_object"}));
        }
        None => {}
    }
    // OpenAI and Azure take max_completion_tokens (reasoning models refuse max_tokens); compatible
    // servers mostly know only max_tokens.
    let openai_itself = config.azure.is_some() || config.base_url == Provider::OpenAi.default_base_url();
    let max_tokens_key =
        if openai_itself || uses_max_completion_tokens(&config.model) { "max_completion_tokens" } else { "max_tokens" };
    put(&mut body, "temperature", call.temperature);
    put(&mut body, max_tokens_key, call.max_tokens);
    put(&mut body, "top_p", call.top_p);
    if call.top_k.is_some() {
        warnings.push(
            "openai: topK is not part of Chat Completions and was not sent (use raw for servers that take top_k)".into(),
        );
    }
    put(&mut body, "stop", (!call.stop.is_empty()).then(|| call.stop.clone()));
    put(&mut body, "seed", call.seed);
    put(&mut body, "presence_penalty", call.presence_penalty);
    put(&mut body, "frequency_penalty", call.frequency_penalty);
    if stream {
        body.insert("stream".into(), true.into());
        if config.stream_usage {
            body.insert("stream_options".into(), json!({"include_usage": true}));
        }
    }
    merge_raw(&mut body, &call.raw);
    let mut headers = Map::new();
    headers.insert("content-type".into(), "application/json".into());
    if stream {
        headers.insert("accept".into(), "text/event-stream".into());
    }
    let url = match &config.azure {
        Some(azure) => {
            let deployment = azure.deployment.as_deref().unwrap_or(&config.model);
            if let Some(key) = &config.api_key {
                headers.insert("api-key".into(), key.clone().into());
            }
            format!(
                "{}/openai/deployments/{}/chat/completions?api-version={}",
                config.base_url,
                encode_component(deployment),
                encode_component(&azure.api_version)
            )
        }
        None => {
            if let Some(key) = &config.api_key {
                headers.insert("authorization".into(), format!("Bearer {key}").into());
            }
            format!("{}/chat/completions", config.base_url)
        }
    };
    headers.extend(config.headers.clone());
    headers.extend(call.headers.clone());
    Ok(HttpRequest { url, headers, body: Value::Object(body).to_string() })
}

/// Percent-encodes a URL path segment or query value.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn finish_reason(reason: Option<&str>) -> FinishReason {
    match reason {
        Some("stop") => FinishReason::Stop,
        Some("length") => FinishReason::Length,
        Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
        Some("content_filter") => FinishReason::ContentFilter,
        Some(_) => FinishReason::Other,
        None => FinishReason::Unknown,
    }
}

fn usage(value: &Value) -> Usage {
    let count = |v: &Value, key: &str| v.get(key).and_then(Value::as_u64);
    Usage {
        input_tokens: count(value, "prompt_tokens"),
        output_tokens: count(value, "completion_tokens"),
        cached_input_tokens: value.get("prompt_tokens_details").and_then(|d| count(d, "cached_tokens")),
        reasoning_tokens: value.get("completion_tokens_details").and_then(|d| count(d, "reasoning_tokens")),
    }
}

/// Reasoning text as compatible servers send it (`reasoning_content`: DeepSeek, vLLM;
/// `reasoning`: Ollama, OpenRouter).
fn reasoning(message: &Value) -> Option<&str> {
    let text = |key: &str| message.get(key).and_then(Value::as_str);
    text("reasoning_content").or_else(|| text("reasoning"))
}

/// The completion in a non-streamed response body.
pub fn parse(body: Value) -> Result<Completion> {
    let choice = body
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|choices| choices.first())
        .ok_or_else(|| bad_response(PROVIDER, "no 'choices' in the response"))?;
    let message = choice.get("message").ok_or_else(|| bad_response(PROVIDER, "the choice has no 'message'"))?;
    let mut completion = Completion::new();
    completion.text = match message.get("content") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts.iter().filter_map(|part| part.get("text").and_then(Value::as_str)).collect(),
        _ => String::new(),
    };
    completion.reasoning = reasoning(message).filter(|text| !text.is_empty()).map(str::to_owned);
    if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
        for (index, call) in calls.iter().enumerate() {
            let function = call.get("function").ok_or_else(|| bad_response(PROVIDER, "a tool call has no 'function'"))?;
            let name = function
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad_response(PROVIDER, "a tool call has no name"))?;
            let arguments = match function.get("arguments") {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => String::new(),
                // Some servers send the arguments as an object.
                Some(other) => other.to_string(),
            };
            let id = call.get("id").and_then(Value::as_str).map_or_else(|| format!("call_{index}"), str::to_owned);
            completion.tool_calls.push(ToolCall { id, name: name.to_owned(), arguments });
        }
    }
    let refused = message.get("refusal").and_then(Value::as_str).is_some_and(|text| !text.is_empty());
    completion.finish_reason = if refused {
        FinishReason::ContentFilter
    } else {
        finish_reason(choice.get("finish_reason").and_then(Value::as_str))
    };
    if refused && completion.text.is_empty() {
        completion.text = message["refusal"].as_str().unwrap_or_default().to_owned();
    }
    completion.usage = body.get("usage").map(usage).unwrap_or_default();
    completion.id = body.get("id").and_then(Value::as_str).map(str::to_owned);
    completion.model = body.get("model").and_then(Value::as_str).map(str::to_owned);
    completion.raw = Some(body);
    Ok(completion)
}

/// The state of a streamed answer: which tool-call index each of OpenAI's `index`es is.
#[derive(Debug, Default)]
pub struct Stream {
    finish: Option<FinishReason>,
    usage: Usage,
}

impl Stream {
    /// Decodes one SSE event.
    pub fn event(&mut self, event: &SseEvent, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) -> Result<()> {
        if event.data == "[DONE]" {
            self.end(acc, out);
            return Ok(());
        }
        let chunk: Value = parse_event(PROVIDER, &event.data)?;
        if let Some(error) = chunk.get("error").filter(|e| !e.is_null()) {
            return Err(stream_error(error));
        }
        // Azure's first chunk (prompt filter results) has an empty id and model.
        let text_of = |key: &str| chunk.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
        if acc.completion.id.is_none() {
            acc.completion.id = text_of("id");
        }
        if acc.completion.model.is_none() {
            acc.completion.model = text_of("model");
        }
        if let Some(value) = chunk.get("usage").filter(|u| u.is_object()) {
            self.usage = usage(value);
        }
        // With `n > 1` each chunk carries one choice; the answer is choice 0.
        let first = |c: &Vec<Value>| c.iter().find(|c| c.get("index").and_then(Value::as_u64).unwrap_or(0) == 0).cloned();
        let Some(choice) = chunk.get("choices").and_then(Value::as_array).and_then(first) else {
            return Ok(());
        };
        if let Some(delta) = choice.get("delta") {
            if let Some(text) = reasoning(delta).filter(|t| !t.is_empty()) {
                acc.record(StreamEvent::ReasoningDelta(text.to_owned()), out);
            }
            if let Some(text) = delta.get("content").and_then(Value::as_str).filter(|t| !t.is_empty()) {
                acc.record(StreamEvent::TextDelta(text.to_owned()), out);
            }
            if let Some(text) = delta.get("refusal").and_then(Value::as_str).filter(|t| !t.is_empty()) {
                self.finish = Some(FinishReason::ContentFilter);
                acc.record(StreamEvent::TextDelta(text.to_owned()), out);
            }
            for call in delta.get("tool_calls").and_then(Value::as_array).into_iter().flatten() {
                let index = call.get("index").and_then(Value::as_u64).map_or(acc.call_count(), |i| i as usize);
                if index > acc.call_count() + 64 {
                    return Err(bad_response(PROVIDER, format!("tool call index {index} skips ahead")));
                }
                let function = call.get("function");
                let text = |v: Option<&Value>, key: &str| {
                    v.and_then(|v| v.get(key)).and_then(Value::as_str).unwrap_or("").to_owned()
                };
                let id = call.get("id").and_then(Value::as_str).map_or_else(|| format!("call_{index}"), str::to_owned);
                let arguments = match function.and_then(|f| f.get("arguments")) {
                    Some(Value::String(text)) => text.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                // A new call makes the one before it complete (OpenAI sends calls in order).
                if index > 0 && index >= acc.call_count() {
                    acc.close_call(index - 1, out);
                }
                acc.call_delta(index, &id, &text(function, "name"), &arguments, out);
            }
        }
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str).filter(|r| !r.is_empty()) {
            self.finish.get_or_insert(finish_reason(Some(reason)));
            acc.close_calls(out);
        }
        Ok(())
    }

    fn end(&mut self, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) {
        acc.finish(self.finish.unwrap_or(FinishReason::Unknown), self.usage, out);
    }

    /// The byte stream ended: a stream that sent its finish reason but no `[DONE]` (some
    /// compatible servers) is complete; one that sent neither broke off.
    pub fn close(&mut self, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) -> bool {
        if self.finish.is_some() {
            self.end(acc, out);
        }
        acc.finished
    }
}

/// An error sent inside the stream (`data: {"error": {...}}`).
fn stream_error(error: &Value) -> Error {
    let body = json!({ "error": error }).to_string();
    let status = match error.get("code").and_then(Value::as_u64) {
        Some(code @ 400..=599) => code as u16,
        _ => match error.get("type").and_then(Value::as_str) {
            Some("rate_limit_exceeded" | "rate_limit_error") => 429,
            Some("invalid_request_error") => 400,
            _ => 500,
        },
    };
    super::http::status_error(PROVIDER, status, &Map::new(), body.as_bytes(), 0.0).with_detail("inStream", true)
}
