//! What a model call returns, the same for every provider: a [`Completion`], and while
//! streaming, [`StreamEvent`]s.

use serde_json::{json, Map, Value};

/// Why the model stopped, in the Vercel AI SDK's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// It finished its answer, or hit a stop sequence (`stop`).
    Stop,
    /// It ran out of output tokens (`length`).
    Length,
    /// It asked for tools to be called (`tool-calls`).
    ToolCalls,
    /// The provider filtered the answer or the model refused (`content-filter`).
    ContentFilter,
    /// The provider reported an error in the answer (`error`).
    Error,
    /// Any other reason the provider gave (`other`).
    Other,
    /// The provider gave no reason (`unknown`).
    Unknown,
}

impl FinishReason {
    /// The reason's name in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ToolCalls => "tool-calls",
            FinishReason::ContentFilter => "content-filter",
            FinishReason::Error => "error",
            FinishReason::Other => "other",
            FinishReason::Unknown => "unknown",
        }
    }

    /// The reason named `name` (one of [`FinishReason::as_str`]'s names).
    pub fn from_name(name: &str) -> Option<FinishReason> {
        [
            FinishReason::Stop,
            FinishReason::Length,
            FinishReason::ToolCalls,
            FinishReason::ContentFilter,
            FinishReason::Error,
            FinishReason::Other,
            FinishReason::Unknown,
        ]
        .into_iter()
        .find(|reason| reason.as_str() == name)
    }
}

/// Tokens a call used, as far as the provider reported them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Prompt tokens.
    pub input_tokens: Option<u64>,
    /// Answer tokens (reasoning included).
    pub output_tokens: Option<u64>,
    /// Prompt tokens read from the provider's cache.
    pub cached_input_tokens: Option<u64>,
    /// Answer tokens spent on reasoning.
    pub reasoning_tokens: Option<u64>,
}

impl Usage {
    /// `{inputTokens, outputTokens, totalTokens, cachedInputTokens?, reasoningTokens?}`; unknown
    /// counts are `null`.
    pub fn to_json(&self) -> Value {
        let total = match (self.input_tokens, self.output_tokens) {
            (Some(input), Some(output)) => Some(input + output),
            _ => None,
        };
        let mut object = Map::new();
        object.insert("inputTokens".into(), json!(self.input_tokens));
        object.insert("outputTokens".into(), json!(self.output_tokens));
        object.insert("totalTokens".into(), json!(total));
        if let Some(cached) = self.cached_input_tokens {
            object.insert("cachedInputTokens".into(), cached.into());
        }
        if let Some(reasoning) = self.reasoning_tokens {
            object.insert("reasoningTokens".into(), reasoning.into());
        }
        Value::Object(object)
    }
}

/// A tool call the model asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    /// The call's id, which the tool result must quote (made up as `call_<n>` when the
    /// provider gives none, as Gemini may).
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments as the model wrote them (JSON text).
    pub arguments: String,
}

impl ToolCall {
    /// `{id, name, arguments, input}`: `input` is the arguments parsed (repaired if need be),
    /// or `null` when they are not JSON.
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "arguments": self.arguments, "input": parse_arguments(&self.arguments)})
    }
}

/// Tool-call arguments as a value: empty text is `{}`; text that is not JSON is repaired if it
/// can be, else `null`.
pub fn parse_arguments(arguments: &str) -> Value {
    if arguments.trim().is_empty() {
        return Value::Object(Map::new());
    }
    serde_json::from_str(arguments).unwrap_or_else(|_| {
        crate::parse::repair::repair_json(arguments)
            .ok()
            .and_then(|repaired| serde_json::from_str(&repaired.json).ok())
            .unwrap_or(Value::Null)
    })
}

/// The answer of one model call.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The answer's text (for structured output through a forced tool, the tool's input).
    pub text: String,
    /// Reasoning text the provider returned (thinking blocks, `reasoning_content`), if any.
    pub reasoning: Option<String>,
    /// The tool calls asked for, in order.
    pub tool_calls: Vec<ToolCall>,
    /// Why the model stopped.
    pub finish_reason: FinishReason,
    /// What the call used.
    pub usage: Usage,
    /// The provider's id for the answer.
    pub id: Option<String>,
    /// The model that answered, as the provider names it.
    pub model: Option<String>,
    /// The provider's response body (non-streaming calls).
    pub raw: Option<Value>,
}

impl Completion {
    /// An empty completion, to be filled in.
    pub fn new() -> Completion {
        Completion {
            text: String::new(),
            reasoning: None,
            tool_calls: Vec::new(),
            finish_reason: FinishReason::Unknown,
            usage: Usage::default(),
            id: None,
            model: None,
            raw: None,
        }
    }

    /// The answer as an assistant message in Bridle's (OpenAI's) message format, ready to
    /// append to the conversation.
    pub fn message(&self) -> Value {
        let mut message = Map::new();
        message.insert("role".into(), "assistant".into());
        message.insert("content".into(), self.text.clone().into());
        if !self.tool_calls.is_empty() {
            let calls = self
                .tool_calls
                .iter()
                .map(|call| json!({"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}))
                .collect();
            message.insert("tool_calls".into(), Value::Array(calls));
        }
        Value::Object(message)
    }

    /// The completion as JSON for JavaScript: `{text, toolCalls, finishReason, usage, message,
    /// id, model, reasoning?, raw?}`.
    pub fn to_json_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("text".into(), self.text.clone().into());
        object.insert("toolCalls".into(), Value::Array(self.tool_calls.iter().map(ToolCall::to_json).collect()));
        object.insert("finishReason".into(), self.finish_reason.as_str().into());
        object.insert("usage".into(), self.usage.to_json());
        object.insert("message".into(), self.message());
        object.insert("id".into(), json!(self.id));
        object.insert("model".into(), json!(self.model));
        if let Some(reasoning) = &self.reasoning {
            object.insert("reasoning".into(), reasoning.clone().into());
        }
        if let Some(raw) = &self.raw {
            object.insert("raw".into(), raw.clone());
        }
        Value::Object(object)
    }
}

impl Default for Completion {
    fn default() -> Completion {
        Completion::new()
    }
}

/// One step of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// More answer text.
    TextDelta(String),
    /// More reasoning text.
    ReasoningDelta(String),
    /// More of a tool call: its position among the calls, and the new part of its arguments
    /// (the id and name come with the first delta of each call).
    ToolCallDelta {
        /// The call's position in the answer (0-based).
        index: usize,
        /// The call's id.
        id: String,
        /// The tool's name.
        name: String,
        /// The new part of the arguments.
        arguments_delta: String,
    },
    /// A tool call is complete.
    ToolCall(ToolCall),
    /// The answer is complete.
    Finish {
        /// Why the model stopped.
        finish_reason: FinishReason,
        /// What the call used.
        usage: Usage,
    },
}

impl StreamEvent {
    /// The event as JSON for JavaScript, `{type: 'text-delta' | 'reasoning-delta' |
    /// 'tool-call-delta' | 'tool-call' | 'finish', ...}`.
    pub fn to_json_value(&self) -> Value {
        match self {
            StreamEvent::TextDelta(text) => json!({"type": "text-delta", "text": text}),
            StreamEvent::ReasoningDelta(text) => json!({"type": "reasoning-delta", "text": text}),
            StreamEvent::ToolCallDelta { index, id, name, arguments_delta } => json!({
                "type": "tool-call-delta", "index": index, "id": id, "name": name, "argumentsDelta": arguments_delta
            }),
            StreamEvent::ToolCall(call) => json!({"type": "tool-call", "toolCall": call.to_json()}),
            StreamEvent::Finish { finish_reason, usage } => {
                json!({"type": "finish", "finishReason": finish_reason.as_str(), "usage": usage.to_json()})
            }
        }
    }
}

/// Collects stream events into the [`Completion`] they add up to (what every provider's
/// stream decoder keeps while it decodes).
#[derive(Debug, Default)]
pub struct Accumulator {
    /// What the stream has said so far.
    pub completion: Completion,
    reasoning: String,
    /// Tool calls being assembled: id, name, arguments so far.
    partial_calls: Vec<ToolCall>,
    /// Whether each partial call has been announced complete.
    done_calls: Vec<bool>,
    /// Whether the stream has finished.
    pub finished: bool,
}

impl Accumulator {
    /// Records `event` and hands it on.
    pub fn record(&mut self, event: StreamEvent, out: &mut Vec<StreamEvent>) {
        match &event {
            StreamEvent::TextDelta(text) => self.completion.text.push_str(text),
            StreamEvent::ReasoningDelta(text) => self.reasoning.push_str(text),
            StreamEvent::ToolCallDelta { index, id, name, arguments_delta } => {
                while self.partial_calls.len() <= *index {
                    self.partial_calls.push(ToolCall { id: String::new(), name: String::new(), arguments: String::new() });
                    self.done_calls.push(false);
                }
                let call = &mut self.partial_calls[*index];
                if call.id.is_empty() {
                    call.id = id.clone();
                }
                if call.name.is_empty() {
                    call.name = name.clone();
                }
                call.arguments.push_str(arguments_delta);
            }
            StreamEvent::ToolCall(_) => {}
            StreamEvent::Finish { finish_reason, usage } => {
                self.completion.finish_reason = *finish_reason;
                self.completion.usage = *usage;
                self.finished = true;
            }
        }
        out.push(event);
    }

    /// A tool-call delta for call `index` (see [`StreamEvent::ToolCallDelta`]).
    pub fn call_delta(&mut self, index: usize, id: &str, name: &str, arguments_delta: &str, out: &mut Vec<StreamEvent>) {
        let event = StreamEvent::ToolCallDelta {
            index,
            id: id.to_owned(),
            name: name.to_owned(),
            arguments_delta: arguments_delta.to_owned(),
        };
        self.record(event, out);
    }

    /// Announces call `index` complete (once).
    pub fn close_call(&mut self, index: usize, out: &mut Vec<StreamEvent>) {
        if index < self.partial_calls.len() && !self.done_calls[index] {
            self.done_calls[index] = true;
            // A call without arguments has empty ones, which as JSON are `{}` (in what is
            // announced; the accumulated text is left alone).
            let mut call = self.partial_calls[index].clone();
            if call.arguments.trim().is_empty() {
                call.arguments = "{}".to_owned();
            }
            self.record(StreamEvent::ToolCall(call), out);
        }
    }

    /// Announces every call not yet complete.
    pub fn close_calls(&mut self, out: &mut Vec<StreamEvent>) {
        for index in 0..self.partial_calls.len() {
            self.close_call(index, out);
        }
    }

    /// Ends the answer, once: every call still open is announced, then the finish.
    pub fn finish(&mut self, finish_reason: FinishReason, usage: Usage, out: &mut Vec<StreamEvent>) {
        if self.finished {
            return;
        }
        self.close_calls(out);
        self.record(StreamEvent::Finish { finish_reason, usage }, out);
    }

    /// The number of tool calls begun.
    pub fn call_count(&self) -> usize {
        self.partial_calls.len()
    }

    /// The completion the stream added up to.
    pub fn into_completion(mut self) -> Completion {
        for call in &mut self.partial_calls {
            if call.arguments.trim().is_empty() {
                call.arguments = "{}".to_owned();
            }
        }
        self.completion.tool_calls = self.partial_calls;
        if !self.reasoning.is_empty() {
            self.completion.reasoning = Some(self.reasoning);
        }
        self.completion
    }
}
