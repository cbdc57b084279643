//! The chat message model, in OpenAI's chat-completions format, with validation and lossless
//! conversions to and from Anthropic Messages ([`to_anthropic`], [`from_anthropic`]) and
//! Gemini `generateContent` ([`to_gemini`], [`from_gemini`]).
//!
//! ```
//! use bridle::chat::message::{parse_openai, to_anthropic, from_anthropic, to_openai};
//! use serde_json::json;
//!
//! let messages = parse_openai(&json!([
//!     {"role": "system", "content": "Be brief."},
//!     {"role": "user", "content": "Weather in Paris?"},
//!     {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
//!         "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}]},
//!     {"role": "tool", "tool_call_id": "call_1", "content": "18C, sunny"},
//! ]))?;
//! let anthropic = to_anthropic(&messages)?;
//! assert_eq!(anthropic["system"], "Be brief.");
//! assert_eq!(anthropic["messages"][1]["content"][0]["input"], json!({"city": "Paris"}));
//! assert_eq!(from_anthropic(&anthropic)?, messages);
//! assert_eq!(to_openai(&messages)[3]["tool_call_id"], "call_1");
//! # Ok::<(), bridle::Error>(())
//! ```
//!
//! Messages are plain data: nothing here parses text into messages, so the text of a message
//! can never become another message or change a role. `docs/messages.md` describes the
//! rules and every normalisation the conversions make.

mod anthropic;
mod gemini;

pub use anthropic::{from_anthropic, to_anthropic};
pub use gemini::{from_gemini, to_gemini};

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Who speaks a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Instructions from the application (`system`).
    System,
    /// Instructions from the developer (`developer`), OpenAI's newer name for `system`.
    Developer,
    /// The end user (`user`).
    User,
    /// The model (`assistant`).
    Assistant,
    /// The result of a tool call (`tool`), answering an assistant's `tool_calls` entry.
    Tool,
}

impl Role {
    /// The role's name in OpenAI's format.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::Developer => "developer",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }

    /// Whether this is an instruction role (`system` or `developer`).
    pub fn is_instruction(self) -> bool {
        matches!(self, Role::System | Role::Developer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    /// Parses an OpenAI role name; anything else is an `invalid_message` error with
    /// `details.role`.
    fn from_str(name: &str) -> Result<Role> {
        match name {
            "system" => Ok(Role::System),
            "developer" => Ok(Role::Developer),
            "user" => Ok(Role::User),
            "assistant" => Ok(Role::Assistant),
            "tool" => Ok(Role::Tool),
            _ => Err(Error::new(
                ErrorKind::InvalidMessage,
                format!("unknown role '{name}' (expected system, developer, user, assistant or tool)"),
            )
            .with_detail("role", name)),
        }
    }
}

/// A message's content: one string, or a list of parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Plain text (`"content": "..."`).
    Text(String),
    /// Typed parts (`"content": [{"type": "text", ...}, ...]`).
    Parts(Vec<ContentPart>),
}

impl Content {
    /// All the text of the content: the string, or the text parts joined with nothing
    /// between them (other parts are skipped).
    pub fn text(&self) -> String {
        match self {
            Content::Text(text) => text.clone(),
            Content::Parts(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    ContentPart::Text(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Whether the content holds only text (a string, or text parts only).
    pub fn is_text_only(&self) -> bool {
        match self {
            Content::Text(_) => true,
            Content::Parts(parts) => parts.iter().all(|part| matches!(part, ContentPart::Text(_))),
        }
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Content {
        Content::Text(text.to_owned())
    }
}

impl From<String> for Content {
    fn from(text: String) -> Content {
        Content::Text(text)
    }
}

/// One part of a message's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentPart {
    /// `{"type": "text", "text": "..."}`.
    Text(String),
    /// `{"type": "image_url", "image_url": {"url": "...", "detail": "low"}}`; the URL may be a
    /// `data:` URL holding base64 bytes.
    Image {
        /// An `http(s)` URL or a `data:<mime>;base64,<data>` URL.
        url: String,
        /// OpenAI's `detail` (`auto`, `low`, `high`), if given.
        detail: Option<String>,
    },
    /// `{"type": "input_audio", "input_audio": {"data": "<base64>", "format": "wav"}}`.
    Audio {
        /// The audio bytes, base64.
        data: String,
        /// The format: `wav` or `mp3`.
        format: String,
    },
    /// `{"type": "file", "file": {"file_data": "data:...", "file_id": "...", "filename": "..."}}`;
    /// at least one of `file_data` and `file_id`.
    File {
        /// The file as a `data:<mime>;base64,<data>` URL.
        file_data: Option<String>,
        /// The id of an uploaded file.
        file_id: Option<String>,
        /// The file's name.
        filename: Option<String>,
    },
}

impl ContentPart {
    /// The part's `type` in OpenAI's format.
    pub fn type_name(&self) -> &'static str {
        match self {
            ContentPart::Text(_) => "text",
            ContentPart::Image { .. } => "image_url",
            ContentPart::Audio { .. } => "input_audio",
            ContentPart::File { .. } => "file",
        }
    }
}

/// A function call the assistant asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// The call's id, which the `tool` message answering it repeats as `tool_call_id`.
    pub id: String,
    /// The function's name.
    pub name: String,
    /// The arguments, as JSON text (normally an object), exactly as the model wrote them.
    pub arguments: String,
}

/// One chat message in OpenAI's chat-completions format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Who speaks.
    pub role: Role,
    /// The content; may be `None` only for an assistant message with tool calls.
    pub content: Option<Content>,
    /// An optional participant name (`name`).
    pub name: Option<String>,
    /// The assistant's tool calls (`tool_calls`); empty for every other role.
    pub tool_calls: Vec<ToolCall>,
    /// For a `tool` message, the id of the call it answers (`tool_call_id`).
    pub tool_call_id: Option<String>,
}

impl Message {
    /// A message of `role` with text `content`.
    pub fn new(role: Role, content: impl Into<Content>) -> Message {
        Message { role, content: Some(content.into()), name: None, tool_calls: Vec::new(), tool_call_id: None }
    }

    /// A `system` message.
    pub fn system(content: impl Into<Content>) -> Message {
        Message::new(Role::System, content)
    }

    /// A `developer` message.
    pub fn developer(content: impl Into<Content>) -> Message {
        Message::new(Role::Developer, content)
    }

    /// A `user` message.
    pub fn user(content: impl Into<Content>) -> Message {
        Message::new(Role::User, content)
    }

    /// An `assistant` message.
    pub fn assistant(content: impl Into<Content>) -> Message {
        Message::new(Role::Assistant, content)
    }

    /// An `assistant` message that only calls tools.
    pub fn tool_calls(calls: Vec<ToolCall>) -> Message {
        Message { role: Role::Assistant, content: None, name: None, tool_calls: calls, tool_call_id: None }
    }

    /// A `tool` message: the result of the call `tool_call_id`.
    pub fn tool(tool_call_id: impl Into<String>, content: impl Into<Content>) -> Message {
        Message { tool_call_id: Some(tool_call_id.into()), ..Message::new(Role::Tool, content) }
    }

    /// Parses one message from OpenAI's JSON. This checks the message's own shape only; see
    /// [`parse_openai`] for a whole list, which also runs [`validate`].
    pub fn from_openai(value: &Value) -> Result<Message> {
        parse_message(value, None)
    }

    /// The message as OpenAI's JSON: `role`, then `content` (absent when `None`), `name`,
    /// `tool_calls`, `tool_call_id` when present.
    pub fn to_openai(&self) -> Value {
        let mut object = Map::new();
        object.insert("role".into(), self.role.as_str().into());
        if let Some(content) = &self.content {
            object.insert("content".into(), content_to_openai(content));
        }
        if let Some(name) = &self.name {
            object.insert("name".into(), name.as_str().into());
        }
        if !self.tool_calls.is_empty() {
            let calls = self
                .tool_calls
                .iter()
                .map(|call| {
                    let mut function = Map::new();
                    function.insert("name".into(), call.name.as_str().into());
                    function.insert("arguments".into(), call.arguments.as_str().into());
                    let mut object = Map::new();
                    object.insert("id".into(), call.id.as_str().into());
                    object.insert("type".into(), "function".into());
                    object.insert("function".into(), Value::Object(function));
                    Value::Object(object)
                })
                .collect();
            object.insert("tool_calls".into(), Value::Array(calls));
        }
        if let Some(id) = &self.tool_call_id {
            object.insert("tool_call_id".into(), id.as_str().into());
        }
        Value::Object(object)
    }
}

/// Parses a list of messages in OpenAI's JSON format (an array of message objects) and
/// [`validate`]s it.
///
/// Errors are `invalid_message` with `details.index`, the position of the bad message; a
/// value that is not an array is `invalid_data`. Keys whose value is `null` are ignored (API
/// responses carry `"refusal": null` and the like); any other unknown key is an error, so
/// nothing is dropped silently.
pub fn parse_openai(value: &Value) -> Result<Vec<Message>> {
    let Value::Array(items) = value else {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("a message list must be an array, not {}", type_name(value)),
        ));
    };
    let messages = items.iter().enumerate().map(|(i, item)| parse_message(item, Some(i))).collect::<Result<Vec<_>>>()?;
    validate(&messages)?;
    Ok(messages)
}

/// The messages as OpenAI's JSON: an array of [`Message::to_openai`] objects.
pub fn to_openai(messages: &[Message]) -> Value {
    Value::Array(messages.iter().map(Message::to_openai).collect())
}

/// Checks a message list against OpenAI's rules (which the provider conversions rely on):
///
/// - `system`, `developer`, `user` and `tool` messages have content; an `assistant` message
///   has content or tool calls;
/// - only `user` content may hold images, audio and files: the other roles take text only;
/// - only `assistant` messages have `tool_calls`, and only `tool` messages a `tool_call_id`
///   (which they must have); tool call ids and function names are not empty, and ids are
///   unique in the list;
/// - a `tool` message answers a call of the assistant message before it (with only other
///   tool results between them), once;
/// - every tool call is answered before the next message that is not a tool result: an
///   assistant turn with calls followed by a `user` (or any other) turn is an error. Calls
///   still unanswered at the end of the list are accepted: the caller is about to run them.
///
/// Errors are `invalid_message` with `details.index`.
pub fn validate(messages: &[Message]) -> Result<()> {
    let mut seen_ids: HashSet<&str> = HashSet::new();
    // The calls of the last assistant message that are still waiting for a result, and where.
    let mut pending: Vec<&str> = Vec::new();
    let mut pending_at = 0;
    for (index, message) in messages.iter().enumerate() {
        check_shape(message, Some(index))?;
        match message.role {
            Role::Tool => {
                let id = message.tool_call_id.as_deref().unwrap_or_default();
                match pending.iter().position(|p| *p == id) {
                    Some(at) => {
                        pending.remove(at);
                    }
                    None if seen_ids.contains(id) => {
                        return Err(invalid(
                            Some(index),
                            format!("the tool call '{id}' is answered twice, or not right after the assistant message that made it"),
                        )
                        .with_detail("tool_call_id", id))
                    }
                    None => {
                        return Err(invalid(
                            Some(index),
                            format!("tool result for '{id}' has no earlier assistant tool call with that id"),
                        )
                        .with_detail("tool_call_id", id))
                    }
                }
            }
            _ => {
                if !pending.is_empty() {
                    return Err(invalid(
                        Some(index),
                        format!(
                            "a {} message follows the tool call(s) {} of message {pending_at} before their results",
                            message.role,
                            quoted_list(&pending)
                        ),
                    )
                    .with_detail("tool_call_id", pending[0]));
                }
                if !message.tool_calls.is_empty() {
                    for call in &message.tool_calls {
                        if !seen_ids.insert(call.id.as_str()) {
                            return Err(invalid(Some(index), format!("the tool call id '{}' is used twice", call.id))
                                .with_detail("tool_call_id", call.id.as_str()));
                        }
                        pending.push(call.id.as_str());
                    }
                    pending_at = index;
                }
            }
        }
    }
    Ok(())
}

/// The checks of one message on its own (see [`validate`]).
fn check_shape(message: &Message, index: Option<usize>) -> Result<()> {
    let role = message.role;
    match (&message.content, role) {
        (None, Role::Assistant) if message.tool_calls.is_empty() => {
            return Err(invalid(index, "an assistant message needs content or tool_calls"));
        }
        (None, Role::Assistant) => {}
        (None, _) => return Err(invalid(index, format!("a {role} message needs content"))),
        (Some(content), _) => {
            if role != Role::User {
                if let Content::Parts(parts) = content {
                    if let Some(part) = parts.iter().find(|part| !matches!(part, ContentPart::Text(_))) {
                        return Err(invalid(
                            index,
                            format!("a {role} message may hold text parts only, not '{}'", part.type_name()),
                        ));
                    }
                }
            }
            if let Content::Parts(parts) = content {
                for part in parts {
                    if let ContentPart::File { file_data: None, file_id: None, .. } = part {
                        return Err(invalid(index, "a file part needs file_data or file_id"));
                    }
                }
            }
        }
    }
    if !message.tool_calls.is_empty() && role != Role::Assistant {
        return Err(invalid(index, format!("a {role} message cannot have tool_calls")));
    }
    for call in &message.tool_calls {
        if call.id.is_empty() {
            return Err(invalid(index, "a tool call needs a non-empty id"));
        }
        if call.name.is_empty() {
            return Err(invalid(index, format!("the tool call '{}' needs a function name", call.id)));
        }
    }
    match (&message.tool_call_id, role) {
        (None, Role::Tool) => Err(invalid(index, "a tool message needs a tool_call_id")),
        (Some(_), Role::Tool) | (None, _) => Ok(()),
        (Some(_), _) => Err(invalid(index, format!("a {role} message cannot have a tool_call_id"))),
    }
}

fn parse_message(value: &Value, index: Option<usize>) -> Result<Message> {
    let Value::Object(object) = value else {
        return Err(invalid(index, format!("a message must be an object, not {}", type_name(value))));
    };
    let role = match object.get("role") {
        Some(Value::String(name)) => name.parse::<Role>().map_err(|e| with_index(e, index))?,
        Some(other) => return Err(invalid(index, format!("role must be a string, not {}", type_name(other)))),
        None => return Err(invalid(index, "a message needs a role")),
    };
    let mut message = Message { role, content: None, name: None, tool_calls: Vec::new(), tool_call_id: None };
    for (key, value) in object {
        if value.is_null() {
            continue;
        }
        match key.as_str() {
            "role" => {}
            "content" => message.content = Some(parse_content(value, index)?),
            "name" => message.name = Some(string_field(value, "name", index)?),
            "tool_call_id" => message.tool_call_id = Some(string_field(value, "tool_call_id", index)?),
            "tool_calls" => {
                let Value::Array(calls) = value else {
                    return Err(invalid(index, "tool_calls must be an array"));
                };
                if calls.is_empty() {
                    return Err(invalid(index, "tool_calls must not be empty (leave it out instead)"));
                }
                message.tool_calls = calls.iter().map(|call| parse_tool_call(call, index)).collect::<Result<_>>()?;
            }
            other => {
                return Err(invalid(index, format!("unknown message field '{other}'")).with_detail("field", other));
            }
        }
    }
    check_shape(&message, index)?;
    Ok(message)
}

fn parse_tool_call(value: &Value, index: Option<usize>) -> Result<ToolCall> {
    let Value::Object(object) = value else {
        return Err(invalid(index, "a tool call must be an object"));
    };
    match object.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(kind)) if kind == "function" => {}
        Some(other) => return Err(invalid(index, format!("tool call type must be 'function', not {other}"))),
    }
    let id = string_field(object.get("id").unwrap_or(&Value::Null), "tool call id", index)?;
    let Some(Value::Object(function)) = object.get("function") else {
        return Err(invalid(index, format!("the tool call '{id}' needs a function object")));
    };
    let name = string_field(function.get("name").unwrap_or(&Value::Null), "function name", index)?;
    let arguments = match function.get("arguments") {
        Some(Value::String(arguments)) => arguments.clone(),
        Some(_) => {
            return Err(invalid(index, format!("the arguments of tool call '{id}' must be a string of JSON, not a JSON value")))
        }
        None => return Err(invalid(index, format!("the tool call '{id}' needs arguments"))),
    };
    Ok(ToolCall { id, name, arguments })
}

fn parse_content(value: &Value, index: Option<usize>) -> Result<Content> {
    match value {
        Value::String(text) => Ok(Content::Text(text.clone())),
        Value::Array(parts) => {
            Ok(Content::Parts(parts.iter().map(|part| parse_part(part, index)).collect::<Result<_>>()?))
        }
        other => Err(invalid(index, format!("content must be a string or an array of parts, not {}", type_name(other)))),
    }
}

fn parse_part(value: &Value, index: Option<usize>) -> Result<ContentPart> {
    let Value::Object(object) = value else {
        return Err(invalid(index, format!("a content part must be an object, not {}", type_name(value))));
    };
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        _ => return Err(invalid(index, "a content part needs a string type")),
    };
    let field = |name: &str| -> Result<&Map<String, Value>> {
        match object.get(name) {
            Some(Value::Object(inner)) => Ok(inner),
            _ => Err(invalid(index, format!("a {kind} part needs an object '{name}'"))),
        }
    };
    let optional = |inner: &Map<String, Value>, name: &str| -> Result<Option<String>> {
        match inner.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => string_field(value, name, index).map(Some),
        }
    };
    match kind {
        "text" => Ok(ContentPart::Text(string_field(object.get("text").unwrap_or(&Value::Null), "text", index)?)),
        "image_url" => {
            // OpenAI also accepts the URL as a bare string.
            if let Some(Value::String(url)) = object.get("image_url") {
                return Ok(ContentPart::Image { url: url.clone(), detail: None });
            }
            let inner = field("image_url")?;
            let url = string_field(inner.get("url").unwrap_or(&Value::Null), "url", index)?;
            Ok(ContentPart::Image { url, detail: optional(inner, "detail")? })
        }
        "input_audio" => {
            let inner = field("input_audio")?;
            Ok(ContentPart::Audio {
                data: string_field(inner.get("data").unwrap_or(&Value::Null), "data", index)?,
                format: string_field(inner.get("format").unwrap_or(&Value::Null), "format", index)?,
            })
        }
        "file" => {
            let inner = field("file")?;
            let part = ContentPart::File {
                file_data: optional(inner, "file_data")?,
                file_id: optional(inner, "file_id")?,
                filename: optional(inner, "filename")?,
            };
            Ok(part)
        }
        other => Err(invalid(index, format!("unknown content part type '{other}'")).with_detail("type", other)),
    }
}

fn content_to_openai(content: &Content) -> Value {
    match content {
        Content::Text(text) => text.as_str().into(),
        Content::Parts(parts) => Value::Array(parts.iter().map(part_to_openai).collect()),
    }
}

fn part_to_openai(part: &ContentPart) -> Value {
    let mut object = Map::new();
    object.insert("type".into(), part.type_name().into());
    let mut inner = Map::new();
    match part {
        ContentPart::Text(text) => {
            object.insert("text".into(), text.as_str().into());
            return Value::Object(object);
        }
        ContentPart::Image { url, detail } => {
            inner.insert("url".into(), url.as_str().into());
            if let Some(detail) = detail {
                inner.insert("detail".into(), detail.as_str().into());
            }
        }
        ContentPart::Audio { data, format } => {
            inner.insert("data".into(), data.as_str().into());
            inner.insert("format".into(), format.as_str().into());
        }
        ContentPart::File { file_data, file_id, filename } => {
            for (key, value) in [("file_data", file_data), ("file_id", file_id), ("filename", filename)] {
                if let Some(value) = value {
                    inner.insert(key.into(), value.as_str().into());
                }
            }
        }
    }
    object.insert(part.type_name().into(), Value::Object(inner));
    Value::Object(object)
}

// ---- helpers shared with the provider modules ----

/// An `invalid_message` error, with `details.index` when there is a position.
pub(crate) fn invalid(index: Option<usize>, message: impl Into<String>) -> Error {
    let message = message.into();
    match index {
        Some(index) => {
            Error::new(ErrorKind::InvalidMessage, format!("message {index}: {message}")).with_detail("index", index)
        }
        None => Error::new(ErrorKind::InvalidMessage, message),
    }
}

fn with_index(error: Error, index: Option<usize>) -> Error {
    match index {
        Some(index) => {
            let mut out = Error::new(error.kind(), format!("message {index}: {}", error.message())).with_detail("index", index);
            for (key, value) in error.details() {
                out = out.with_detail(key, value.clone());
            }
            out
        }
        None => error,
    }
}

pub(crate) fn string_field(value: &Value, name: &str, index: Option<usize>) -> Result<String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Null => Err(invalid(index, format!("'{name}' is missing"))),
        other => Err(invalid(index, format!("'{name}' must be a string, not {}", type_name(other)))),
    }
}

/// The JSON type of a value as JavaScript users name it, for messages (shared with templates).
pub(crate) use crate::template::json_type_name as type_name;

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|item| format!("'{item}'")).collect::<Vec<_>>().join(", ")
}

/// Splits a `data:<mime>;base64,<data>` URL into its MIME type and data.
pub(crate) fn split_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (head, data) = rest.split_once(',')?;
    let mime = head.strip_suffix(";base64")?;
    Some((mime, data))
}

/// A `data:` URL for base64 `data` of type `mime`.
pub(crate) fn data_url(mime: &str, data: &str) -> String {
    format!("data:{mime};base64,{data}")
}

/// A tool call's arguments as the JSON object the providers take: `""` stands for `{}`.
pub(crate) fn arguments_object(call: &ToolCall, index: usize) -> Result<Value> {
    if call.arguments.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_str::<Value>(&call.arguments) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(invalid(
            Some(index),
            format!("the arguments of tool call '{}' are not a JSON object, which this provider requires", call.id),
        )
        .with_detail("tool_call_id", call.id.as_str())),
    }
}

/// The text of a provider's text block, refusing empty text (which Anthropic and Gemini both
/// reject).
pub(crate) fn non_empty<'a>(text: &'a str, index: usize, provider: &str) -> Result<&'a str> {
    if text.is_empty() {
        Err(invalid(Some(index), format!("{provider} does not accept empty text")))
    } else {
        Ok(text)
    }
}

/// A provider's text blocks of a message back as content: one block is a string, several are
/// text parts, none is `None`.
pub(crate) fn texts_to_content(mut texts: Vec<String>) -> Option<Content> {
    match texts.len() {
        0 => None,
        1 => texts.pop().map(Content::Text),
        _ => Some(Content::Parts(texts.into_iter().map(ContentPart::Text).collect())),
    }
}

/// One message-list operation by name, on JSON text, as the bindings call it: `normalize`
/// (parse and validate OpenAI messages, and write them back in canonical form),
/// `toAnthropic`, `fromAnthropic`, `toGemini`, `fromGemini`. The result is JSON text: OpenAI
/// messages, or the provider's request fields.
pub fn convert_messages_json(operation: &str, input: &str) -> Result<String> {
    let input: Value = serde_json::from_str(input).map_err(|e| {
        Error::new(ErrorKind::InvalidData, format!("the messages are not JSON: {e}")).with_source(e)
    })?;
    let output = match operation {
        "normalize" => to_openai(&parse_openai(&input)?),
        "toAnthropic" => to_anthropic(&parse_openai(&input)?)?,
        "toGemini" => to_gemini(&parse_openai(&input)?)?,
        "fromAnthropic" => to_openai(&from_anthropic(&input)?),
        "fromGemini" => to_openai(&from_gemini(&input)?),
        other => {
            return Err(Error::new(ErrorKind::InvalidArgument, format!("unknown message operation '{other}'"))
                .with_detail("operation", other))
        }
    };
    Ok(output.to_string())
}
