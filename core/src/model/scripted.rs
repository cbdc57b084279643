//! The scripted model: a deterministic stand-in for a provider that replays a list of replies
//! (text, tool calls, streamed chunks, errors, delays) through the same calls, retries and
//! events as a real one. For demos without a key and for tests.
//!
//! A reply is a string (the answer's text) or an object:
//! `{ text?, chunks?, object?, toolCalls?, reasoning?, finishReason?, usage?, error?, delay?, chunkDelay? }`.
//! `chunks` are the stream's text deltas (their concatenation is the text); without them a
//! stream sends the text word by word. `error` (`{ code, message?, retryAfter?, status?,
//! shouldRetry? }`) fails the call with that typed error, after the chunks when there are some
//! (a stream that breaks off). `delay` waits before the answer, `chunkDelay` between chunks (ms).

use super::completion::{Accumulator, Completion, FinishReason, StreamEvent, ToolCall, Usage};
use crate::guard::options::{invalid, Options};
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Value};

/// One scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    text: String,
    chunks: Option<Vec<String>>,
    reasoning: Option<String>,
    tool_calls: Vec<(Option<String>, String, String)>,
    finish_reason: Option<FinishReason>,
    usage: Option<(Option<u64>, Option<u64>)>,
    /// The error as `{code, message, details}`.
    error: Option<Value>,
    /// Wait before the answer, in ms.
    pub delay_ms: f64,
    chunk_delay_ms: f64,
}

/// The options a scripted model takes besides the common ones.
pub const SCRIPTED_OPTIONS: &[&str] = &["responses", "loop"];

/// A scripted model's replies, where it is in them, and the calls it has received.
#[derive(Debug, Clone)]
pub struct Script {
    replies: Vec<Reply>,
    next: usize,
    looped: bool,
    calls: Vec<Value>,
    call_ids: usize,
}

impl Script {
    /// Reads `responses` (and `loop`: start again after the last reply) from the options.
    pub fn from_options(options: &Value) -> Result<Script> {
        let replies = match options.get("responses") {
            Some(Value::Array(items)) => {
                items.iter().enumerate().map(|(i, item)| read_reply(i, item)).collect::<Result<Vec<_>>>()?
            }
            Some(_) => return Err(invalid("options.responses", "responses must be an array of replies".into())),
            None => Vec::new(),
        };
        let looped = options.get("loop").and_then(Value::as_bool).unwrap_or(false);
        if looped && replies.is_empty() {
            return Err(invalid("options.loop", "loop needs at least one reply".into()));
        }
        Ok(Script { replies, next: 0, looped, calls: Vec::new(), call_ids: 0 })
    }

    /// Takes the next reply for a call whose options are `call` (kept for [`Script::calls_json`]).
    pub fn next(&mut self, call: Value) -> Result<Reply> {
        self.calls.push(call);
        if self.next >= self.replies.len() {
            if !self.looped || self.replies.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "the scripted model has no reply left for call {} ({} scripted)",
                        self.calls.len(),
                        self.replies.len()
                    ),
                )
                .with_detail("calls", self.calls.len()));
            }
            self.next = 0;
        }
        let mut reply = self.replies[self.next].clone();
        self.next += 1;
        for call in &mut reply.tool_calls {
            if call.0.is_none() {
                self.call_ids += 1;
                call.0 = Some(format!("call_{}", self.call_ids));
            }
        }
        Ok(reply)
    }

    /// The calls received so far, as `[{ messages, tools?, toolChoice?, output?, ... }]`.
    pub fn calls_json(&self) -> String {
        Value::Array(self.calls.clone()).to_string()
    }
}

fn read_reply(index: usize, item: &Value) -> Result<Reply> {
    let path = format!("options.responses.{index}");
    let mut reply = Reply {
        text: String::new(),
        chunks: None,
        reasoning: None,
        tool_calls: Vec::new(),
        finish_reason: None,
        usage: None,
        error: None,
        delay_ms: 0.0,
        chunk_delay_ms: 0.0,
    };
    if let Value::String(text) = item {
        reply.text = text.clone();
        return Ok(reply);
    }
    let known =
        ["text", "chunks", "object", "toolCalls", "reasoning", "finishReason", "usage", "error", "delay", "chunkDelay"];
    let options = Options::new(&path, item, &known)?;
    if let Some(text) = options.string("text")? {
        reply.text = text.to_owned();
    }
    if let Some(object) = options.value("object") {
        reply.text = object.to_string();
    }
    if let Some(chunks) = options.strings("chunks")? {
        let joined: String = chunks.concat();
        if options.value("text").is_some() || options.value("object").is_some() {
            if joined != reply.text {
                return Err(invalid(&format!("{path}.chunks"), "the chunks must add up to the reply's text".into()));
            }
        } else {
            reply.text = joined;
        }
        reply.chunks = Some(chunks.into_iter().map(str::to_owned).collect());
    }
    reply.reasoning = options.string("reasoning")?.map(str::to_owned);
    if let Some(Value::Array(calls)) = options.value("toolCalls") {
        for (i, call) in calls.iter().enumerate() {
            let call_path = format!("{path}.toolCalls.{i}");
            let spec = Options::new(&call_path, call, &["id", "name", "input", "arguments"])?;
            let name =
                spec.string("name")?.ok_or_else(|| invalid(&call_path, "a scripted tool call needs a 'name'".into()))?;
            let arguments = match (spec.string("arguments")?, spec.value("input")) {
                (Some(text), _) => text.to_owned(),
                (None, Some(input)) => input.to_string(),
                (None, None) => "{}".to_owned(),
            };
            reply.tool_calls.push((spec.string("id")?.map(str::to_owned), name.to_owned(), arguments));
        }
    } else if options.value("toolCalls").is_some() {
        return Err(invalid(&format!("{path}.toolCalls"), "toolCalls must be an array".into()));
    }
    if let Some(name) = options.string("finishReason")? {
        reply.finish_reason = Some(
            FinishReason::from_name(name)
                .ok_or_else(|| invalid(&format!("{path}.finishReason"), format!("unknown finish reason '{name}'")))?,
        );
    }
    if let Some(value) = options.value("usage") {
        let usage_path = format!("{path}.usage");
        let usage = Options::new(&usage_path, value, &["inputTokens", "outputTokens"])?;
        reply.usage = Some((
            usage.count("inputTokens", u32::MAX as u64)?.map(|n| n as u64),
            usage.count("outputTokens", u32::MAX as u64)?.map(|n| n as u64),
        ));
    }
    if let Some(value) = options.value("error") {
        let error = read_error(&format!("{path}.error"), value)?;
        reply.error = Some(serde_json::from_str(&error.to_json()).unwrap_or(Value::Null));
    }
    reply.delay_ms = options.number("delay", 0.0, 1e9)?.unwrap_or(0.0);
    reply.chunk_delay_ms = options.number("chunkDelay", 0.0, 1e9)?.unwrap_or(0.0);
    Ok(reply)
}

fn read_error(path: &str, value: &Value) -> Result<Error> {
    let options = Options::new(path, value, &["code", "message", "retryAfter", "status", "shouldRetry"])?;
    let code = options.string("code")?.ok_or_else(|| invalid(path, "a scripted error needs a 'code'".into()))?;
    let kind = ErrorKind::from_code(code)
        .ok_or_else(|| invalid(&format!("{path}.code"), format!("unknown error code '{code}'")))?;
    let message = options.string("message")?.map_or_else(|| format!("scripted {code} error"), str::to_owned);
    let mut error = Error::new(kind, message).with_detail("provider", "scripted");
    if let Some(after) = options.number("retryAfter", 0.0, 1e10)? {
        error = error.with_detail("retryAfter", after);
    }
    if let Some(status) = options.count("status", 599)? {
        error = error.with_detail("status", status);
    }
    if let Some(should) = options.bool("shouldRetry")? {
        error = error.with_detail("shouldRetry", should);
    }
    Ok(error)
}

/// A rough token count for scripted usage: one token per four characters, rounded up.
fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

impl Reply {
    fn usage(&self, prompt_chars: &str) -> Usage {
        let (input, output) = self.usage.unwrap_or((None, None));
        Usage {
            input_tokens: Some(input.unwrap_or_else(|| estimate_tokens(prompt_chars))),
            output_tokens: Some(output.unwrap_or_else(|| estimate_tokens(&self.text))),
            cached_input_tokens: None,
            reasoning_tokens: None,
        }
    }

    fn finish_reason(&self) -> FinishReason {
        self.finish_reason.unwrap_or(if self.tool_calls.is_empty() { FinishReason::Stop } else { FinishReason::ToolCalls })
    }

    fn tool_calls(&self) -> Vec<ToolCall> {
        self.tool_calls
            .iter()
            .map(|(id, name, arguments)| ToolCall {
                id: id.clone().unwrap_or_default(),
                name: name.clone(),
                arguments: arguments.clone(),
            })
            .collect()
    }

    /// The reply as a whole answer (or its error).
    pub fn completion(&self, prompt: &str) -> Result<Completion> {
        if let Some(error) = &self.error {
            return Err(super::error_from_json(error));
        }
        let mut completion = Completion::new();
        completion.text = self.text.clone();
        completion.reasoning = self.reasoning.clone();
        completion.tool_calls = self.tool_calls();
        completion.finish_reason = self.finish_reason();
        completion.usage = self.usage(prompt);
        completion.model = Some("scripted".into());
        Ok(completion)
    }

    /// The reply as stream steps `[{ delay, events, error? }]`, recorded into `acc`.
    pub fn steps(&self, prompt: &str, acc: &mut Accumulator) -> Vec<Value> {
        let mut steps = Vec::new();
        let mut events = Vec::new();
        if let Some(reasoning) = &self.reasoning {
            acc.record(StreamEvent::ReasoningDelta(reasoning.clone()), &mut events);
        }
        let chunks = self.chunks.clone().unwrap_or_else(|| words(&self.text));
        let mut delay = self.delay_ms;
        for (i, chunk) in chunks.into_iter().enumerate() {
            if i > 0 {
                steps.push(step(delay, &mut events));
                delay = self.chunk_delay_ms;
            }
            acc.record(StreamEvent::TextDelta(chunk), &mut events);
        }
        if let Some(error) = &self.error {
            let mut last = step(delay, &mut events);
            last["error"] = error.clone();
            steps.push(last);
            return steps;
        }
        for (index, call) in self.tool_calls().into_iter().enumerate() {
            acc.call_delta(index, &call.id, &call.name, &call.arguments, &mut events);
            acc.close_call(index, &mut events);
        }
        acc.record(StreamEvent::Finish { finish_reason: self.finish_reason(), usage: self.usage(prompt) }, &mut events);
        acc.completion.model = Some("scripted".into());
        steps.push(step(delay, &mut events));
        steps
    }
}

fn step(delay: f64, events: &mut Vec<StreamEvent>) -> Value {
    let events: Vec<Value> = events.drain(..).map(|event| event.to_json_value()).collect();
    json!({"delay": delay, "events": events})
}

/// Text cut after each run of whitespace: "a b  c" → "a ", "b  ", "c".
fn words(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            pieces.push(text[start..i].to_owned());
            start = i;
            in_space = false;
        }
    }
    if start < text.len() {
        pieces.push(text[start..].to_owned());
    }
    pieces
}
