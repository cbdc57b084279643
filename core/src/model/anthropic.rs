//! Anthropic Messages (`POST {baseURL}/messages`). Structured output forces a tool whose input
//! schema is the output schema (Anthropic's documented way to get JSON); its input is the
//! answer's text, streamed as text deltas.

use super::completion::{Accumulator, Completion, FinishReason, StreamEvent, ToolCall, Usage};
use super::http::{bad_response, parse_event, status_error, HttpRequest};
use super::options::{merge_raw, put, CallOptions, ModelConfig, Output, Provider, ToolChoice};
use super::sse::SseEvent;
use crate::chat::message::to_anthropic;
use crate::guard::options::invalid;
use crate::{Error, Result};
use serde_json::{json, Map, Value};

const PROVIDER: Provider = Provider::Anthropic;

/// `max_tokens` when the call sets none (Anthropic requires one; the Vercel AI SDK's default).
pub const DEFAULT_MAX_TOKENS: u64 = 4096;

/// How a forced output tool's input maps back to the answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputTool {
    /// The tool's name (`None`: no structured output).
    pub name: Option<String>,
    /// Whether a non-object schema was wrapped as `{ value }` (tool inputs must be objects).
    pub wrapped: bool,
}

/// The request for `call`, and how to read its output tool.
pub fn build(
    config: &ModelConfig,
    call: &CallOptions,
    stream: bool,
    warnings: &mut Vec<String>,
) -> Result<(HttpRequest, OutputTool)> {
    let converted = to_anthropic(&call.messages)?;
    let Value::Object(mut body) = converted else { unreachable!("to_anthropic returns an object") };
    let messages = body.remove("messages").unwrap_or_default();
    let system = body.remove("system");
    let mut body = Map::new();
    body.insert("model".into(), config.model.clone().into());
    body.insert("max_tokens".into(), call.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS).into());
    body.insert("messages".into(), messages);
    if let Some(system) = system {
        body.insert("system".into(), system);
    }
    let mut tools: Vec<Value> = call
        .tools
        .iter()
        .map(|tool| {
            let mut t = Map::new();
            t.insert("name".into(), tool.name.clone().into());
            if let Some(description) = &tool.description {
                t.insert("description".into(), description.clone().into());
            }
            t.insert("input_schema".into(), object_schema(&tool.parameters));
            Value::Object(t)
        })
        .collect();
    let mut tool_choice = call.tool_choice.as_ref().map(|choice| match choice {
        ToolChoice::Auto => json!({"type": "auto"}),
        ToolChoice::None => json!({"type": "none"}),
        ToolChoice::Required => json!({"type": "any"}),
        ToolChoice::Tool(name) => json!({"type": "tool", "name": name}),
    });
    let mut output_tool = OutputTool::default();
    if let Some(output) = &call.output {
        let (name, description, schema) = match output {
            Output::Schema { schema, name, description, .. } => (name.clone(), description.clone(), schema.clone()),
            Output::Json => ("output".to_owned(), None, json!({"type": "object"})),
        };
        if call.tools.iter().any(|tool| tool.name == name) {
            return Err(invalid("call.output.name", format!("output name '{name}' is also a tool's name")));
        }
        let wrapped = schema.get("type").and_then(Value::as_str) != Some("object");
        let input_schema =
            if wrapped { json!({"type": "object", "properties": {"value": schema}, "required": ["value"]}) } else { schema };
        let description =
            description.unwrap_or_else(|| "Respond by calling this tool with your answer as its input.".to_owned());
        tools.push(json!({"name": name, "description": description, "input_schema": input_schema}));
        if call.tool_choice.is_some() {
            warnings.push("anthropic: structured output forces its own tool, so toolChoice was not sent".into());
        }
        tool_choice = Some(json!({"type": "tool", "name": name}));
        output_tool = OutputTool { name: Some(name), wrapped };
    }
    if call.parallel_tool_calls == Some(false) && !tools.is_empty() {
        let choice = tool_choice.get_or_insert_with(|| json!({"type": "auto"}));
        // `none` takes no other field.
        if choice["type"] != "none" {
            choice["disable_parallel_tool_use"] = true.into();
        }
    }
    if !tools.is_empty() {
        body.insert("tools".into(), Value::Array(tools));
    }
    if let Some(choice) = tool_choice {
        body.insert("tool_choice".into(), choice);
    }
    if let Some(temperature) = call.temperature {
        if temperature > 1.0 {
            return Err(invalid(
                "call.temperature",
                format!("anthropic takes a temperature from 0 to 1, not {temperature}"),
            ));
        }
        body.insert("temperature".into(), temperature.into());
    }
    put(&mut body, "top_p", call.top_p);
    put(&mut body, "top_k", call.top_k);
    put(&mut body, "stop_sequences", (!call.stop.is_empty()).then(|| call.stop.clone()));
    for (name, set) in [
        ("seed", call.seed.is_some()),
        ("presencePenalty", call.presence_penalty.is_some()),
        ("frequencyPenalty", call.frequency_penalty.is_some()),
    ] {
        if set {
            warnings.push(format!("anthropic: {name} is not part of the Messages API and was not sent"));
        }
    }
    if stream {
        body.insert("stream".into(), true.into());
    }
    merge_raw(&mut body, &call.raw);
    let mut headers = Map::new();
    headers.insert("content-type".into(), "application/json".into());
    headers.insert("anthropic-version".into(), config.anthropic_version.clone().into());
    if let Some(key) = &config.api_key {
        headers.insert("x-api-key".into(), key.clone().into());
    }
    if stream {
        headers.insert("accept".into(), "text/event-stream".into());
    }
    headers.extend(config.headers.clone());
    headers.extend(call.headers.clone());
    let url = format!("{}/messages", config.base_url);
    Ok((HttpRequest { url, headers, body: Value::Object(body).to_string() }, output_tool))
}

/// Anthropic wants `input_schema` to be an object schema with `type: "object"`.
fn object_schema(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(map) = &mut schema {
        map.entry("type").or_insert_with(|| "object".into());
    }
    schema
}

fn finish_reason(reason: Option<&str>) -> FinishReason {
    match reason {
        Some("end_turn" | "stop_sequence") => FinishReason::Stop,
        Some("max_tokens" | "model_context_window_exceeded") => FinishReason::Length,
        Some("tool_use") => FinishReason::ToolCalls,
        Some("refusal") => FinishReason::ContentFilter,
        Some(_) => FinishReason::Other,
        None => FinishReason::Unknown,
    }
}

fn read_usage(value: &Value, usage: &mut Usage) {
    let count = |key: &str| value.get(key).and_then(Value::as_u64);
    if let Some(input) = count("input_tokens") {
        // Prompt tokens in all, as OpenAI and Gemini count them: Anthropic reports cache reads
        // and writes apart from `input_tokens`.
        let cached = count("cache_read_input_tokens").unwrap_or(0);
        usage.input_tokens = Some(input + cached + count("cache_creation_input_tokens").unwrap_or(0));
        if count("cache_read_input_tokens").is_some() {
            usage.cached_input_tokens = Some(cached);
        }
    }
    if let Some(output) = count("output_tokens") {
        usage.output_tokens = Some(output);
    }
}

/// The output tool's input as the answer's text.
fn output_text(input: &Value, output: &OutputTool) -> String {
    let value = if output.wrapped { input.get("value").unwrap_or(&Value::Null) } else { input };
    value.to_string()
}

/// The completion in a non-streamed response body.
pub fn parse(body: Value, output: &OutputTool) -> Result<Completion> {
    let content = body
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_response(PROVIDER, "no 'content' in the response"))?;
    let mut completion = Completion::new();
    let mut reasoning = String::new();
    let mut answered_by_tool = false;
    for block in content {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => completion.text.push_str(block.get("text").and_then(Value::as_str).unwrap_or_default()),
            Some("thinking") => reasoning.push_str(block.get("thinking").and_then(Value::as_str).unwrap_or_default()),
            Some("tool_use") => {
                let name = block
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad_response(PROVIDER, "a tool_use block has no name"))?;
                let input = block.get("input").cloned().unwrap_or_else(|| json!({}));
                if output.name.as_deref() == Some(name) {
                    completion.text = output_text(&input, output);
                    answered_by_tool = true;
                    continue;
                }
                let id = block.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                completion.tool_calls.push(ToolCall { id, name: name.to_owned(), arguments: input.to_string() });
            }
            _ => {}
        }
    }
    if !reasoning.is_empty() {
        completion.reasoning = Some(reasoning);
    }
    completion.finish_reason = finish_reason(body.get("stop_reason").and_then(Value::as_str));
    if answered_by_tool && completion.tool_calls.is_empty() && completion.finish_reason == FinishReason::ToolCalls {
        completion.finish_reason = FinishReason::Stop;
    }
    if let Some(usage) = body.get("usage") {
        read_usage(usage, &mut completion.usage);
    }
    completion.id = body.get("id").and_then(Value::as_str).map(str::to_owned);
    completion.model = body.get("model").and_then(Value::as_str).map(str::to_owned);
    completion.raw = Some(body);
    Ok(completion)
}

/// What each content block of a streamed answer is.
#[derive(Debug, Clone)]
enum Block {
    Text,
    Thinking,
    /// A tool call: its position among the calls.
    Tool(usize),
    /// The output tool: its input arrives as the answer's text.
    Output,
    Other,
}

/// The state of a streamed answer.
#[derive(Debug, Default)]
pub struct Stream {
    output: OutputTool,
    blocks: Vec<Block>,
    finish: Option<FinishReason>,
    usage: Usage,
    answered_by_tool: bool,
    /// For a wrapped output: the raw input JSON, unwrapped at the end.
    output_json: String,
}

impl Stream {
    /// A stream whose output tool (if any) is `output`.
    pub fn new(output: OutputTool) -> Stream {
        Stream { output, ..Stream::default() }
    }

    /// A fresh stream with the same output tool, for a retry.
    pub fn restarted(&self) -> Stream {
        Stream::new(self.output.clone())
    }

    /// The output tool the call forced, if any.
    pub fn output_tool(&self) -> &OutputTool {
        &self.output
    }

    /// Decodes one SSE event.
    pub fn event(&mut self, event: &SseEvent, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) -> Result<()> {
        if event.event == "ping" {
            return Ok(());
        }
        let data: Value = parse_event(PROVIDER, &event.data)?;
        let kind = data.get("type").and_then(Value::as_str).unwrap_or(event.event.as_str());
        match kind {
            "message_start" => {
                let message = &data["message"];
                acc.completion.id = message.get("id").and_then(Value::as_str).map(str::to_owned);
                acc.completion.model = message.get("model").and_then(Value::as_str).map(str::to_owned);
                if let Some(usage) = message.get("usage") {
                    read_usage(usage, &mut self.usage);
                }
            }
            "content_block_start" => {
                let index = block_index(&data)?;
                let block = &data["content_block"];
                let kind = match block.get("type").and_then(Value::as_str) {
                    Some("text") => Block::Text,
                    Some("thinking") => Block::Thinking,
                    Some("tool_use") => {
                        let name = block.get("name").and_then(Value::as_str).unwrap_or_default();
                        if self.output.name.as_deref() == Some(name) {
                            self.answered_by_tool = true;
                            Block::Output
                        } else {
                            let call = acc.call_count();
                            let id = block.get("id").and_then(Value::as_str).unwrap_or_default();
                            acc.call_delta(call, id, name, "", out);
                            Block::Tool(call)
                        }
                    }
                    _ => Block::Other,
                };
                if index > self.blocks.len() + 1024 {
                    return Err(bad_response(PROVIDER, format!("content block index {index} skips ahead")));
                }
                self.blocks.resize(self.blocks.len().max(index + 1), Block::Other);
                self.blocks[index] = kind;
            }
            "content_block_delta" => {
                let index = block_index(&data)?;
                let delta = &data["delta"];
                let text = |key: &str| delta.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
                match (self.blocks.get(index), delta.get("type").and_then(Value::as_str)) {
                    (Some(Block::Text), Some("text_delta")) => acc.record(StreamEvent::TextDelta(text("text")), out),
                    (Some(Block::Thinking), Some("thinking_delta")) => {
                        acc.record(StreamEvent::ReasoningDelta(text("thinking")), out)
                    }
                    (Some(Block::Tool(call)), Some("input_json_delta")) => {
                        let call = *call;
                        acc.call_delta(call, "", "", &text("partial_json"), out);
                    }
                    (Some(Block::Output), Some("input_json_delta")) => {
                        let piece = text("partial_json");
                        if self.output.wrapped {
                            self.output_json.push_str(&piece);
                        } else if !piece.is_empty() {
                            acc.record(StreamEvent::TextDelta(piece), out);
                        }
                    }
                    (None, _) => {
                        return Err(bad_response(PROVIDER, format!("a delta for block {index}, which never started")))
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                let index = block_index(&data)?;
                match self.blocks.get(index) {
                    Some(Block::Tool(call)) => {
                        let call = *call;
                        acc.close_call(call, out);
                    }
                    Some(Block::Output) if self.output.wrapped => {
                        let input = super::completion::parse_arguments(&self.output_json);
                        let text = output_text(&input, &self.output);
                        acc.record(StreamEvent::TextDelta(text), out);
                    }
                    _ => {}
                }
            }
            "message_delta" => {
                if let Some(reason) = data["delta"].get("stop_reason").and_then(Value::as_str) {
                    self.finish = Some(finish_reason(Some(reason)));
                }
                if let Some(usage) = data.get("usage") {
                    read_usage(usage, &mut self.usage);
                }
            }
            "message_stop" => self.end(acc, out),
            "error" => return Err(stream_error(&data)),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) {
        let mut finish_reason = self.finish.unwrap_or(FinishReason::Unknown);
        if self.answered_by_tool && acc.call_count() == 0 && finish_reason == FinishReason::ToolCalls {
            finish_reason = FinishReason::Stop;
        }
        acc.finish(finish_reason, self.usage, out);
    }

    /// The byte stream ended; whether the answer was complete (`message_stop` seen).
    pub fn close(&mut self, acc: &mut Accumulator, _out: &mut Vec<StreamEvent>) -> bool {
        acc.finished
    }
}

fn block_index(data: &Value) -> Result<usize> {
    data.get("index")
        .and_then(Value::as_u64)
        .map(|i| i as usize)
        .ok_or_else(|| bad_response(PROVIDER, "a content block event has no index"))
}

/// An `event: error` in the stream (`{type: 'error', error: {type, message}}`), typed as the
/// same error over HTTP would be.
fn stream_error(data: &Value) -> Error {
    let status = match data["error"].get("type").and_then(Value::as_str) {
        Some("overloaded_error") => 529,
        Some("rate_limit_error") => 429,
        Some("authentication_error") => 401,
        Some("permission_error") => 403,
        Some("invalid_request_error") => 400,
        Some("not_found_error") => 404,
        _ => 500,
    };
    status_error(PROVIDER, status, &Map::new(), data.to_string().as_bytes(), 0.0).with_detail("inStream", true)
}
