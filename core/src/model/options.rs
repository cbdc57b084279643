//! A model's configuration and one call's options, read from the JSON the bindings pass, with
//! every unknown or mistyped option refused (`invalid_argument`, `details.option`).

use super::limiter::TokenBucket;
use super::retry::RetryPolicy;
use crate::chat::message::{parse_openai, Message};
use crate::guard::options::{invalid, Options};
use crate::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// The wire formats Bridle speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// OpenAI Chat Completions, and every server that speaks it (`openai`).
    OpenAi,
    /// Anthropic Messages (`anthropic`).
    Anthropic,
    /// Google Gemini `generateContent` (`gemini`).
    Gemini,
    /// The built-in scripted model (`scripted`).
    Scripted,
}

impl Provider {
    /// The provider's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::Anthropic => "anthropic",
            Provider::Gemini => "gemini",
            Provider::Scripted => "scripted",
        }
    }

    /// The provider called `name`.
    pub fn from_name(name: &str) -> Result<Provider> {
        match name {
            "openai" => Ok(Provider::OpenAi),
            "anthropic" => Ok(Provider::Anthropic),
            "gemini" => Ok(Provider::Gemini),
            "scripted" => Ok(Provider::Scripted),
            _ => Err(Error::new(ErrorKind::InvalidArgument, format!("unknown provider '{name}'"))),
        }
    }

    /// The API's address when the options give no `baseURL` (the version is part of it, as in
    /// the Vercel AI SDK).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::OpenAi => "https://api.openai.com/v1",
            Provider::Anthropic => "https://api.anthropic.com/v1",
            Provider::Gemini => "https://generativelanguage.googleapis.com/v1beta",
            Provider::Scripted => "",
        }
    }

    /// The environment variable the Node entry reads the API key from.
    pub fn api_key_variable(self) -> Option<&'static str> {
        match self {
            Provider::OpenAi => Some("OPENAI_API_KEY"),
            Provider::Anthropic => Some("ANTHROPIC_API_KEY"),
            Provider::Gemini => Some("GEMINI_API_KEY"),
            Provider::Scripted => None,
        }
    }
}

/// Azure OpenAI's deployment-style addresses (`/openai/deployments/{deployment}/chat/completions?api-version=`).
#[derive(Debug, Clone, PartialEq)]
pub struct Azure {
    /// The `api-version` query parameter.
    pub api_version: String,
    /// The deployment name (the model name when not given).
    pub deployment: Option<String>,
}

/// A model's configuration (the options of `openai()`, `anthropic()`, `gemini()`,
/// `scripted()`).
#[derive(Debug, Clone)]
pub struct ModelConfig {
    /// The wire format.
    pub provider: Provider,
    /// The model's name, as the provider knows it.
    pub model: String,
    /// The API key, if any (local servers need none).
    pub api_key: Option<String>,
    /// The API's address, without a trailing slash.
    pub base_url: String,
    /// Headers sent with every request (lowercase names).
    pub headers: Map<String, Value>,
    /// Azure OpenAI addressing, when set.
    pub azure: Option<Azure>,
    /// `anthropic-version` (default `2023-06-01`).
    pub anthropic_version: String,
    /// Whether OpenAI streams ask for usage (`stream_options.include_usage`, default true).
    pub stream_usage: bool,
    /// Per-attempt timeout in ms (default 600000): to the response headers and between
    /// stream chunks for streams, to the whole body otherwise.
    pub timeout_ms: f64,
    /// How failed calls are retried.
    pub retry: RetryPolicy,
    /// At most this many calls in flight (`None`: no limit).
    pub max_concurrency: Option<u32>,
    /// The request-rate limiter, when `rateLimit` is set.
    pub rate_limit: Option<TokenBucket>,
    /// Call options applied under every call's own.
    pub defaults: Map<String, Value>,
}

/// The longest wait a JavaScript timer can hold (2^31 - 1 ms, about 24.8 days): timeouts and
/// waits are capped there rather than wrapping to nothing.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

const MODEL_OPTIONS: &[&str] = &[
    "model",
    "apiKey",
    "baseURL",
    "headers",
    "organization",
    "project",
    "azure",
    "anthropicVersion",
    "streamUsage",
    "timeout",
    "maxRetries",
    "retry",
    "maxConcurrency",
    "rateLimit",
    "defaults",
];

impl ModelConfig {
    /// Reads the options of a model of `provider` (scripted models read theirs in
    /// [`super::scripted`], all but `responses` being these).
    pub fn from_value(provider: Provider, value: &Value, extra: &[&str]) -> Result<ModelConfig> {
        let known: Vec<&str> = MODEL_OPTIONS.iter().chain(extra).copied().collect();
        let options = Options::new("options", value, &known)?;
        let model = match options.string("model")? {
            Some(model) if !model.trim().is_empty() => model.to_owned(),
            Some(_) => return Err(invalid("options.model", "option 'model' must not be empty".into())),
            None if provider == Provider::Scripted => "scripted".to_owned(),
            None => return Err(invalid("options.model", format!("{}() needs the 'model' option", provider.as_str()))),
        };
        let api_key = options.string("apiKey")?.filter(|key| !key.is_empty()).map(str::to_owned);
        if let Some(key) = &api_key {
            check_header_value("options.apiKey", "apiKey", key)?;
        }
        let base_url = options.string("baseURL")?.map(|url| url.trim_end_matches('/').to_owned());
        if let Some(url) = &base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(invalid("options.baseURL", format!("baseURL must be an absolute http(s) URL, not '{url}'")));
            }
        }
        if api_key.is_none() && base_url.is_none() && provider != Provider::Scripted {
            let variable = provider.api_key_variable().unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Auth,
                format!("no API key for {}: pass the 'apiKey' option or set {variable}", provider.as_str()),
            )
            .with_detail("provider", provider.as_str()));
        }
        let mut headers = Map::new();
        if let Some(value) = options.value("headers") {
            headers = header_map("options.headers", value)?;
        }
        for (option, header) in [("organization", "openai-organization"), ("project", "openai-project")] {
            if let Some(value) = options.string(option)? {
                headers.insert(header.to_owned(), value.into());
            }
        }
        let azure = match options.value("azure") {
            Some(value) => {
                let azure = Options::new("options.azure", value, &["apiVersion", "deployment"])?;
                Some(Azure {
                    api_version: azure
                        .string("apiVersion")?
                        .ok_or_else(|| invalid("options.azure.apiVersion", "azure needs 'apiVersion'".into()))?
                        .to_owned(),
                    deployment: azure.string("deployment")?.map(str::to_owned),
                })
            }
            None => None,
        };
        if azure.is_some() && base_url.is_none() {
            return Err(invalid("options.baseURL", "azure needs 'baseURL' (https://<resource>.openai.azure.com)".into()));
        }
        let mut retry = RetryPolicy::default();
        if let Some(max) = options.count("maxRetries", 100)? {
            retry.max_retries = max as u32;
        }
        if let Some(value) = options.value("retry") {
            read_retry(&mut retry, value)?;
        }
        let rate_limit = match options.value("rateLimit") {
            Some(value) => {
                let limit = Options::new("options.rateLimit", value, &["requests", "interval", "burst"])?;
                let requests = limit
                    .number("requests", f64::MIN_POSITIVE, 1e9)?
                    .ok_or_else(|| invalid("options.rateLimit.requests", "rateLimit needs 'requests'".into()))?;
                let interval = limit.number("interval", 1.0, 1e12)?.unwrap_or(1000.0);
                let burst = limit.number("burst", 1.0, 1e9)?.unwrap_or(requests.max(1.0));
                Some(TokenBucket::new(requests, interval, burst))
            }
            None => None,
        };
        let defaults = match options.value("defaults") {
            Some(Value::Object(map)) => {
                if map.contains_key("messages") {
                    return Err(invalid("options.defaults.messages", "defaults cannot hold messages".into()));
                }
                map.clone()
            }
            Some(_) => return Err(invalid("options.defaults", "option 'defaults' must be an object".into())),
            None => Map::new(),
        };
        Ok(ModelConfig {
            provider,
            model,
            api_key,
            base_url: base_url.unwrap_or_else(|| provider.default_base_url().to_owned()),
            headers,
            azure,
            anthropic_version: options.string("anthropicVersion")?.unwrap_or("2023-06-01").to_owned(),
            stream_usage: options.bool("streamUsage")?.unwrap_or(true),
            timeout_ms: options.number("timeout", 1.0, MAX_TIMER_MS)?.unwrap_or(600_000.0),
            retry,
            max_concurrency: options.count("maxConcurrency", 1 << 20)?.map(|n| n.max(1) as u32),
            rate_limit,
            defaults,
        })
    }
}

fn read_retry(retry: &mut RetryPolicy, value: &Value) -> Result<()> {
    let options = Options::new(
        "options.retry",
        value,
        &["maxRetries", "initialDelay", "maxDelay", "factor", "jitter", "maxRetryAfter"],
    )?;
    if let Some(max) = options.count("maxRetries", 100)? {
        retry.max_retries = max as u32;
    }
    if let Some(ms) = options.number("initialDelay", 0.0, 1e9)? {
        retry.initial_delay_ms = ms;
    }
    if let Some(ms) = options.number("maxDelay", 0.0, 1e9)? {
        retry.max_delay_ms = ms;
    }
    if let Some(factor) = options.number("factor", 1.0, 100.0)? {
        retry.factor = factor;
    }
    if let Some(jitter) = options.number("jitter", 0.0, 1.0)? {
        retry.jitter = jitter;
    }
    if let Some(ms) = options.number("maxRetryAfter", 0.0, MAX_TIMER_MS)? {
        retry.max_retry_after_ms = ms;
    }
    Ok(())
}

/// HTTP header values are visible ASCII, spaces and tabs: anything else (a line break from a
/// key file, a non-ASCII character) would fail in the HTTP client, so it is refused here.
fn check_header_value(path: &str, what: &str, text: &str) -> Result<()> {
    match text.chars().find(|&c| !(c == '\t' || (' '..='~').contains(&c))) {
        Some(c) => Err(invalid(path, format!("{what} holds {c:?}, which an HTTP header cannot carry"))),
        None => Ok(()),
    }
}

/// Headers given as an object of strings, with lowercase names.
fn header_map(path: &str, value: &Value) -> Result<Map<String, Value>> {
    let Value::Object(map) = value else {
        return Err(invalid(path, format!("option '{path}' must be an object of strings")));
    };
    let mut headers = Map::new();
    for (name, value) in map {
        let Some(text) = value.as_str() else {
            return Err(invalid(&format!("{path}.{name}"), format!("header '{name}' must be a string")));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
            return Err(invalid(&format!("{path}.{name}"), format!("'{name}' is not a header name")));
        }
        check_header_value(&format!("{path}.{name}"), &format!("header '{name}'"), text)?;
        headers.insert(name.to_ascii_lowercase(), text.into());
    }
    Ok(headers)
}

/// A tool the model may call.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    /// Its name (`^[a-zA-Z0-9_-]{1,64}$`, the rule all three providers share).
    pub name: String,
    /// What it does, for the model.
    pub description: Option<String>,
    /// The JSON Schema of its arguments (an object schema).
    pub parameters: Value,
    /// OpenAI's strict mode for this tool.
    pub strict: Option<bool>,
}

/// Which tools the model may or must call.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolChoice {
    /// The model decides (`auto`).
    Auto,
    /// No tool (`none`).
    None,
    /// Some tool (`required`).
    Required,
    /// This tool (`{ name }`).
    Tool(String),
}

/// Structured output: what the answer must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// JSON matching a schema (`{ schema, name?, description?, strict? }`).
    Schema {
        /// The JSON Schema.
        schema: Value,
        /// The schema's name for the provider (default `output`).
        name: String,
        /// What the output is, for the model.
        description: Option<String>,
        /// OpenAI's strict mode (default false).
        strict: bool,
    },
    /// Any JSON object (`"json"`).
    Json,
}

/// The options of one `generate` or `stream` call.
#[derive(Debug, Clone)]
pub struct CallOptions {
    /// The conversation.
    pub messages: Vec<Message>,
    /// The tools on offer.
    pub tools: Vec<ToolSpec>,
    /// Which tool the model may or must call.
    pub tool_choice: Option<ToolChoice>,
    /// Whether the model may call several tools at once.
    pub parallel_tool_calls: Option<bool>,
    /// Structured output.
    pub output: Option<Output>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Most answer tokens.
    pub max_tokens: Option<u64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Top-k sampling (Anthropic, Gemini).
    pub top_k: Option<u64>,
    /// Stop sequences.
    pub stop: Vec<String>,
    /// Sampling seed (OpenAI, Gemini).
    pub seed: Option<i64>,
    /// Presence penalty (OpenAI, Gemini).
    pub presence_penalty: Option<f64>,
    /// Frequency penalty (OpenAI, Gemini).
    pub frequency_penalty: Option<f64>,
    /// Provider fields merged into the request body as they are (deeply, over Bridle's).
    pub raw: Map<String, Value>,
    /// Headers for this call.
    pub headers: Map<String, Value>,
    /// This call's per-attempt timeout in ms, when set.
    pub timeout_ms: Option<f64>,
    /// This call's retry count, when set.
    pub max_retries: Option<u32>,
}

const CALL_OPTIONS: &[&str] = &[
    "messages",
    "system",
    "prompt",
    "tools",
    "toolChoice",
    "parallelToolCalls",
    "output",
    "temperature",
    "maxTokens",
    "topP",
    "topK",
    "stop",
    "seed",
    "presencePenalty",
    "frequencyPenalty",
    "raw",
    "headers",
    "timeout",
    "maxRetries",
];

impl CallOptions {
    /// Reads a call's options over the model's `defaults`.
    pub fn from_value(value: &Value, defaults: &Map<String, Value>) -> Result<CallOptions> {
        let merged;
        let value = if defaults.is_empty() {
            value
        } else {
            let Value::Object(own) = value else {
                return Err(invalid("call", "call options must be an object".into()));
            };
            let mut map = defaults.clone();
            map.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
            merged = Value::Object(map);
            &merged
        };
        let options = Options::new("call", value, CALL_OPTIONS)?;
        let mut messages = match options.value("messages") {
            Some(list) => parse_openai(list)?,
            None => Vec::new(),
        };
        if let Some(prompt) = options.string("prompt")? {
            messages.push(Message::user(prompt));
        }
        if let Some(system) = options.string("system")? {
            messages.insert(0, Message::system(system));
        }
        if messages.is_empty() {
            return Err(invalid("call.messages", "a model call needs 'messages' (or 'prompt')".into()));
        }
        let tools = match options.value("tools") {
            Some(value) => read_tools(value)?,
            None => Vec::new(),
        };
        let tool_choice = match options.value("toolChoice") {
            Some(Value::String(choice)) => Some(match choice.as_str() {
                "auto" => ToolChoice::Auto,
                "none" => ToolChoice::None,
                "required" => ToolChoice::Required,
                other => {
                    return Err(invalid(
                        "call.toolChoice",
                        format!("toolChoice '{other}' is not auto, none, required or {{ name }}"),
                    ))
                }
            }),
            Some(value @ Value::Object(_)) => {
                let choice = Options::new("call.toolChoice", value, &["name"])?;
                let name = choice
                    .string("name")?
                    .ok_or_else(|| invalid("call.toolChoice.name", "toolChoice needs 'name'".into()))?;
                if !tools.iter().any(|tool| tool.name == name) {
                    return Err(invalid(
                        "call.toolChoice.name",
                        format!("toolChoice names '{name}', which is not among the tools"),
                    ));
                }
                Some(ToolChoice::Tool(name.to_owned()))
            }
            Some(_) => return Err(invalid("call.toolChoice", "toolChoice must be a string or { name }".into())),
            None => None,
        };
        let output = match options.value("output") {
            Some(Value::String(kind)) if kind == "json" => Some(Output::Json),
            Some(Value::String(kind)) if kind == "text" => None,
            Some(value @ Value::Object(_)) => {
                let output = Options::new("call.output", value, &["schema", "name", "description", "strict"])?;
                let schema = output
                    .value("schema")
                    .filter(|schema| schema.is_object())
                    .ok_or_else(|| invalid("call.output.schema", "output needs 'schema', a JSON Schema object".into()))?
                    .clone();
                let name = output.string("name")?.unwrap_or("output").to_owned();
                check_tool_name("call.output.name", &name)?;
                Some(Output::Schema {
                    schema,
                    name,
                    description: output.string("description")?.map(str::to_owned),
                    strict: output.bool("strict")?.unwrap_or(false),
                })
            }
            Some(_) => return Err(invalid("call.output", "output must be 'json', 'text' or { schema }".into())),
            None => None,
        };
        let stop = options.strings("stop")?.unwrap_or_default().into_iter().map(str::to_owned).collect();
        let raw = match options.value("raw") {
            Some(Value::Object(map)) => map.clone(),
            Some(_) => return Err(invalid("call.raw", "option 'raw' must be an object".into())),
            None => Map::new(),
        };
        let headers = match options.value("headers") {
            Some(value) => header_map("call.headers", value)?,
            None => Map::new(),
        };
        let seed = match options.value("seed") {
            Some(value) => {
                Some(value.as_i64().ok_or_else(|| invalid("call.seed", "option 'seed' must be an integer".into()))?)
            }
            None => None,
        };
        Ok(CallOptions {
            messages,
            tools,
            tool_choice,
            parallel_tool_calls: options.bool("parallelToolCalls")?,
            output,
            temperature: options.number("temperature", 0.0, 2.0)?,
            max_tokens: options.count("maxTokens", u32::MAX as u64)?.map(|n| n as u64),
            top_p: options.number("topP", 0.0, 1.0)?,
            top_k: options.count("topK", 1 << 20)?.map(|n| n as u64),
            stop,
            seed,
            presence_penalty: options.number("presencePenalty", -2.0, 2.0)?,
            frequency_penalty: options.number("frequencyPenalty", -2.0, 2.0)?,
            raw,
            headers,
            timeout_ms: options.number("timeout", 1.0, MAX_TIMER_MS)?,
            max_retries: options.count("maxRetries", 100)?.map(|n| n as u32),
        })
    }

    /// The call as a JSON record (what a scripted model keeps of each call).
    pub fn to_json_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("messages".into(), crate::chat::message::to_openai(&self.messages));
        if !self.tools.is_empty() {
            let tools = self
                .tools
                .iter()
                .map(|tool| {
                    let mut t = Map::new();
                    t.insert("name".into(), tool.name.clone().into());
                    if let Some(description) = &tool.description {
                        t.insert("description".into(), description.clone().into());
                    }
                    t.insert("parameters".into(), tool.parameters.clone());
                    Value::Object(t)
                })
                .collect();
            object.insert("tools".into(), Value::Array(tools));
        }
        if let Some(choice) = &self.tool_choice {
            let value = match choice {
                ToolChoice::Auto => "auto".into(),
                ToolChoice::None => "none".into(),
                ToolChoice::Required => "required".into(),
                ToolChoice::Tool(name) => serde_json::json!({ "name": name }),
            };
            object.insert("toolChoice".into(), value);
        }
        match &self.output {
            Some(Output::Json) => {
                object.insert("output".into(), "json".into());
            }
            Some(Output::Schema { schema, name, .. }) => {
                object.insert("output".into(), serde_json::json!({"schema": schema, "name": name}));
            }
            None => {}
        }
        let numbers = [
            ("temperature", self.temperature),
            ("topP", self.top_p),
            ("presencePenalty", self.presence_penalty),
            ("frequencyPenalty", self.frequency_penalty),
        ];
        for (name, value) in numbers {
            if let Some(value) = value {
                object.insert(name.into(), value.into());
            }
        }
        if let Some(max) = self.max_tokens {
            object.insert("maxTokens".into(), max.into());
        }
        if let Some(k) = self.top_k {
            object.insert("topK".into(), k.into());
        }
        if let Some(seed) = self.seed {
            object.insert("seed".into(), seed.into());
        }
        if !self.stop.is_empty() {
            object.insert("stop".into(), self.stop.clone().into());
        }
        Value::Object(object)
    }
}

fn check_tool_name(path: &str, name: &str) -> Result<()> {
    let ok =
        !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(path, format!("tool name '{name}' must be 1 to 64 letters, digits, '_' or '-'")))
    }
}

/// Tools as `[{ name, description?, parameters?, strict? }]` (OpenAI's `{ type: 'function',
/// function: {...} }` too) or as an object of `name: { description?, parameters? }`.
fn read_tools(value: &Value) -> Result<Vec<ToolSpec>> {
    let entries: Vec<(Option<&str>, &Value)> = match value {
        Value::Array(items) => items.iter().map(|item| (None, item)).collect(),
        Value::Object(map) => map.iter().map(|(name, item)| (Some(name.as_str()), item)).collect(),
        _ => return Err(invalid("call.tools", "tools must be an array or an object".into())),
    };
    let mut tools: Vec<ToolSpec> = Vec::with_capacity(entries.len());
    for (index, (key, item)) in entries.into_iter().enumerate() {
        let path = match key {
            Some(name) => format!("call.tools.{name}"),
            None => format!("call.tools.{index}"),
        };
        let item = match item.get("function") {
            Some(function) if item.get("type").and_then(Value::as_str) == Some("function") => function,
            _ => item,
        };
        let spec = Options::new(&path, item, &["name", "description", "parameters", "inputSchema", "strict", "type"])?;
        let name = match (key, spec.string("name")?) {
            (Some(name), _) | (None, Some(name)) => name,
            (None, None) => return Err(invalid(&path, "a tool needs a 'name'".into())),
        };
        check_tool_name(&path, name)?;
        if tools.iter().any(|tool| tool.name == name) {
            return Err(invalid(&path, format!("two tools are named '{name}'")));
        }
        let parameters = spec.value("parameters").or_else(|| spec.value("inputSchema")).cloned();
        let parameters = match parameters {
            Some(schema @ Value::Object(_)) => schema,
            Some(_) => return Err(invalid(&path, format!("the parameters of tool '{name}' must be a JSON Schema object"))),
            None => serde_json::json!({"type": "object", "properties": {}}),
        };
        tools.push(ToolSpec {
            name: name.to_owned(),
            description: spec.string("description")?.map(str::to_owned),
            parameters,
            strict: spec.bool("strict")?,
        });
    }
    Ok(tools)
}

/// Sets `key` in a request body when the option has a value.
pub fn put<T: Into<Value>>(body: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        body.insert(key.to_owned(), value.into());
    }
}

/// Merges `patch` into `target` deeply (objects merge; anything else replaces), for `raw`.
pub fn merge_raw(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(more)) => merge_raw(existing, more),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}
