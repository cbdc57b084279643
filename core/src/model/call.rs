//! A model and its calls as sans-I/O state machines: the core builds each request, reads each
//! response or stream chunk, and decides every retry and wait; the binding only sends bytes
//! and sleeps. That split is what makes both backends behave the same.

use super::completion::{Accumulator, Completion, StreamEvent};
use super::http::{parse_body, status_error, HttpRequest};
use super::limiter::TokenBucket;
use super::options::{CallOptions, ModelConfig, Output, Provider};
use super::retry::RetryPolicy;
use super::scripted::{Reply, Script, SCRIPTED_OPTIONS};
use super::sse::SseDecoder;
use super::{anthropic, gemini, openai};
use crate::parse::repair::extract_json;
use crate::parse::schema::{violations_json, Schema, SchemaOptions};
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

/// A configured model: its options, its rate limiter and (scripted) its script.
#[derive(Debug)]
pub struct Model {
    /// The options it was made with.
    pub config: ModelConfig,
    limiter: Option<TokenBucket>,
    script: Option<Script>,
}

/// What one attempt of a call does.
#[derive(Debug)]
pub enum Attempt<'a> {
    /// Send this request.
    Http(&'a HttpRequest),
    /// Wait this long (ms), then take the scripted answer.
    Scripted {
        /// The reply's delay.
        delay_ms: f64,
    },
}

impl Model {
    /// A model of `provider` with `options` (see [`ModelConfig`]; scripted models also take
    /// `responses` and `loop`).
    pub fn new(provider: Provider, options: &Value) -> Result<Model> {
        let extra: &[&str] = if provider == Provider::Scripted { SCRIPTED_OPTIONS } else { &[] };
        let mut config = ModelConfig::from_value(provider, options, extra)?;
        let script = (provider == Provider::Scripted).then(|| Script::from_options(options)).transpose()?;
        let limiter = config.rate_limit.take();
        Ok(Model { config, limiter, script })
    }

    /// `{provider, model, timeout, maxConcurrency}` for the binding.
    pub fn info_json(&self) -> String {
        json!({
            "provider": self.config.provider.as_str(),
            "model": self.config.model,
            "timeout": self.config.timeout_ms,
            "maxConcurrency": self.config.max_concurrency,
        })
        .to_string()
    }

    /// Takes a rate-limit token at `now_ms`; the wait before sending (0 without a limit).
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        self.limiter.as_mut().map_or(0.0, |bucket| bucket.reserve(now_ms))
    }

    /// The calls a scripted model has received (`[]` for the others).
    pub fn calls_json(&self) -> String {
        self.script.as_ref().map_or_else(|| "[]".to_owned(), Script::calls_json)
    }

    /// Opens a call with `options` (a `generate` when `stream` is false).
    pub fn open(&self, options: &Value, stream: bool) -> Result<Call> {
        let call = CallOptions::from_value(options, &self.config.defaults)?;
        let mut warnings = Vec::new();
        let config = &self.config;
        let (request, output_tool) = match config.provider {
            Provider::OpenAi => (Some(openai::build(config, &call, stream, &mut warnings)?), Default::default()),
            Provider::Anthropic => {
                let (request, tool) = anthropic::build(config, &call, stream, &mut warnings)?;
                (Some(request), tool)
            }
            Provider::Gemini => (Some(gemini::build(config, &call, stream, &mut warnings)?), Default::default()),
            Provider::Scripted => (None, Default::default()),
        };
        let schema = match &call.output {
            Some(Output::Schema { schema, .. }) => Some(Schema::compile(schema, &SchemaOptions::default())?),
            _ => None,
        };
        let decoder = match config.provider {
            Provider::OpenAi => StreamState::OpenAi(Default::default()),
            Provider::Anthropic => StreamState::Anthropic(anthropic::Stream::new(output_tool.clone())),
            Provider::Gemini => StreamState::Gemini(Default::default()),
            Provider::Scripted => StreamState::Scripted,
        };
        let mut retry = config.retry.clone();
        if let Some(max) = call.max_retries {
            retry.max_retries = max;
        }
        let prompt =
            call.messages.iter().filter_map(|m| m.content.as_ref()).map(|c| c.text()).collect::<Vec<_>>().join("\n");
        Ok(Call {
            provider: config.provider,
            stream,
            record: (config.provider == Provider::Scripted).then(|| call.to_json_value()),
            request,
            wants_output: call.output.is_some(),
            schema,
            warnings,
            timeout_ms: call.timeout_ms.unwrap_or(config.timeout_ms),
            retry,
            sse: SseDecoder::new(),
            acc: Accumulator::default(),
            fresh: decoder.fresh(),
            decoder,
            reply: None,
            prompt,
            failed: None,
        })
    }

    /// Starts the next attempt of `call`: the request to send, or (scripted) the next reply.
    pub fn attempt<'a>(&mut self, call: &'a mut Call) -> Result<Attempt<'a>> {
        call.sse = SseDecoder::new();
        call.acc = Accumulator::default();
        call.failed = None;
        call.decoder = call.fresh.fresh();
        if let Some(script) = &mut self.script {
            let reply = script.next(call.record.clone().unwrap_or(Value::Null))?;
            let delay_ms = reply.delay_ms;
            call.reply = Some(reply);
            return Ok(Attempt::Scripted { delay_ms });
        }
        match &call.request {
            Some(request) => Ok(Attempt::Http(request)),
            None => Err(Error::new(ErrorKind::Internal, "a call without a request")),
        }
    }
}

/// A provider's stream decoder.
#[derive(Debug)]
enum StreamState {
    OpenAi(openai::Stream),
    Anthropic(anthropic::Stream),
    Gemini(gemini::Stream),
    Scripted,
}

impl StreamState {
    /// A new decoder of the same kind, for the next attempt.
    fn fresh(&self) -> StreamState {
        match self {
            StreamState::OpenAi(_) => StreamState::OpenAi(Default::default()),
            StreamState::Anthropic(stream) => StreamState::Anthropic(stream.restarted()),
            StreamState::Gemini(_) => StreamState::Gemini(Default::default()),
            StreamState::Scripted => StreamState::Scripted,
        }
    }
}

/// One `generate` or `stream` call, across its attempts.
#[derive(Debug)]
pub struct Call {
    provider: Provider,
    stream: bool,
    /// What a scripted model records of the call.
    record: Option<Value>,
    request: Option<HttpRequest>,
    wants_output: bool,
    schema: Option<Schema>,
    warnings: Vec<String>,
    timeout_ms: f64,
    retry: RetryPolicy,
    sse: SseDecoder,
    acc: Accumulator,
    decoder: StreamState,
    fresh: StreamState,
    reply: Option<Reply>,
    /// The prompt's text, for scripted usage estimates.
    prompt: String,
    /// A stream error held back until the events before it were handed out.
    failed: Option<Error>,
}

impl Call {
    /// `{timeout, stream, warnings}` for the binding.
    pub fn info_json(&self) -> String {
        json!({"timeout": self.timeout_ms, "stream": self.stream, "warnings": self.warnings}).to_string()
    }

    /// The wait in ms before the next attempt after attempt `attempt` (1-based) failed with
    /// `error`, or `None` to give up (see [`RetryPolicy::delay`]).
    pub fn retry_delay(&self, attempt: u32, error: &Error, random: f64) -> Option<f64> {
        self.retry.delay(attempt, error, random)
    }

    /// Reads a whole response: a typed error for a failure status; for a success, the
    /// completion (generate) or, for a stream that was answered with a plain body, `bad_response`.
    pub fn response(&mut self, status: u16, headers: &Map<String, Value>, body: &[u8], now_ms: f64) -> Result<Value> {
        if !(200..300).contains(&status) {
            return Err(status_error(self.provider, status, headers, body, now_ms));
        }
        let body = parse_body(self.provider, body)?;
        let completion = match &self.decoder {
            StreamState::OpenAi(_) => openai::parse(body)?,
            StreamState::Anthropic(stream) => anthropic::parse(body, stream.output_tool())?,
            StreamState::Gemini(_) => gemini::parse(body)?,
            StreamState::Scripted => return Err(Error::new(ErrorKind::Internal, "a scripted call has no HTTP response")),
        };
        self.finish(completion)
    }

    /// Feeds stream bytes; the events they complete. An error in the stream comes after the
    /// events before it (on the next call when this one has events to hand out).
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<StreamEvent>> {
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        let mut out = Vec::new();
        for event in self.sse.push(bytes) {
            if self.acc.finished {
                break;
            }
            let decoded = match &mut self.decoder {
                StreamState::OpenAi(stream) => stream.event(&event, &mut self.acc, &mut out),
                StreamState::Anthropic(stream) => stream.event(&event, &mut self.acc, &mut out),
                StreamState::Gemini(stream) => stream.event(&event, &mut self.acc, &mut out),
                StreamState::Scripted => Ok(()),
            };
            if let Err(error) = decoded {
                if out.is_empty() {
                    return Err(error);
                }
                self.failed = Some(error);
                break;
            }
        }
        if self.sse.overflowed() && self.failed.is_none() && !self.acc.finished {
            let error = Error::new(
                ErrorKind::LimitExceeded,
                format!(
                    "a {} stream event grew past {} MiB without ending",
                    self.provider.as_str(),
                    super::sse::MAX_EVENT_BYTES >> 20
                ),
            )
            .with_detail("limit", "stream_buffer")
            .with_detail("provider", self.provider.as_str())
            .with_detail("text", self.acc.completion.text.clone());
            if out.is_empty() {
                return Err(error);
            }
            self.failed = Some(error);
        }
        Ok(out)
    }

    /// Ends the stream: the events its end completes, and the completion; or `bad_response`
    /// when the stream stopped before the answer was complete (with `details.text`, what came).
    pub fn end(&mut self) -> Result<(Vec<StreamEvent>, Value)> {
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        let mut out = Vec::new();
        self.sse.finish();
        let complete = match &mut self.decoder {
            StreamState::OpenAi(stream) => stream.close(&mut self.acc, &mut out),
            StreamState::Anthropic(stream) => stream.close(&mut self.acc, &mut out),
            StreamState::Gemini(stream) => stream.close(&mut self.acc, &mut out),
            StreamState::Scripted => self.acc.finished,
        };
        let acc = std::mem::take(&mut self.acc);
        if !complete {
            let partial = acc.into_completion();
            return Err(Error::new(
                ErrorKind::BadResponse,
                format!("the {} stream ended before the answer was complete", self.provider.as_str()),
            )
            .with_detail("provider", self.provider.as_str())
            .with_detail("text", partial.text));
        }
        Ok((out, self.finish(acc.into_completion())?))
    }

    /// The scripted answer of this attempt (generate).
    pub fn scripted(&mut self) -> Result<Value> {
        let reply = self.reply.as_ref().ok_or_else(|| Error::new(ErrorKind::Internal, "no scripted reply drawn"))?;
        let completion = reply.completion(&self.prompt)?;
        self.finish(completion)
    }

    /// The scripted answer of this attempt as stream steps `[{ delay, events, error? }]`; the
    /// completion then comes from [`Call::end`].
    pub fn scripted_steps(&mut self) -> Result<Value> {
        let reply = self.reply.as_ref().ok_or_else(|| Error::new(ErrorKind::Internal, "no scripted reply drawn"))?;
        Ok(Value::Array(reply.steps(&self.prompt, &mut self.acc)))
    }

    /// The completion as JSON, with `object` (structured output, parsed and checked against
    /// the schema) and `warnings`. Output that is not JSON is `json_parse`, output that breaks
    /// the schema is `schema`; both keep the completion in `details.completion`.
    fn finish(&self, completion: Completion) -> Result<Value> {
        let mut value = completion.to_json_value();
        if self.wants_output && completion.tool_calls.is_empty() {
            let object = match extract_json(&completion.text) {
                Ok(repaired) => serde_json::from_str::<Value>(&repaired.json).unwrap_or(Value::Null),
                Err(error) => {
                    let truncated = completion.finish_reason == super::completion::FinishReason::Length;
                    let message = if truncated {
                        "the model's output is not JSON: it ran out of tokens (finishReason 'length')".to_owned()
                    } else {
                        format!("the model's output is not JSON: {}", error.message())
                    };
                    return Err(Error::new(ErrorKind::JsonParse, message).with_detail("completion", value));
                }
            };
            if let Some(schema) = &self.schema {
                let violations = schema.validate(&object);
                if !violations.is_empty() {
                    let errors: Value = serde_json::from_str(&violations_json(&violations)).unwrap_or(Value::Null);
                    let first =
                        errors.get(0).and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or("").to_owned();
                    return Err(Error::new(
                        ErrorKind::Schema,
                        format!("the model's output does not match the schema: {first}"),
                    )
                    .with_detail("errors", errors)
                    .with_detail("completion", value));
                }
            }
            value["object"] = object;
        }
        if !self.warnings.is_empty() {
            value["warnings"] = json!(self.warnings);
        }
        Ok(value)
    }
}
