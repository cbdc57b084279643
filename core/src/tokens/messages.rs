//! Counting the tokens a chat request's messages take, with the per-message overhead OpenAI
//! documents for its chat models (the "How to count tokens with tiktoken" cookbook): 3 tokens
//! per message, 1 more when it has a `name`, and 3 that prime every reply
//! (`<|start|>assistant<|message|>`). Parts OpenAI documents no rule for (tool calls, images of
//! unknown size, audio, files) are counted by a stated approximation and make the count
//! inexact, which the result says.

use super::estimate::estimate_text;
use super::tokenizer::{SpecialPolicy, Tokenizer};
use crate::chat::message::{Content, ContentPart, Message};
use std::sync::Arc;

/// Tokens per message in OpenAI's chat format.
pub const OPENAI_PER_MESSAGE: usize = 3;
/// Extra tokens for a message's `name`.
pub const OPENAI_PER_NAME: usize = 1;
/// Tokens that prime the reply.
pub const OPENAI_REPLY_PRIMING: usize = 3;
/// OpenAI's documented cost of an image sent with `detail: "low"`.
pub const OPENAI_IMAGE_LOW: usize = 85;
/// An image of unknown size at high detail, taken as 1024×1024: 4 tiles × 170 + 85.
pub const OPENAI_IMAGE_DEFAULT: usize = 765;

/// What counts the tokens of a text: an encoding's tokenizer (exact), or the estimator.
#[derive(Clone)]
pub enum Counter {
    /// Exact counts with a tokenizer.
    Exact(Arc<Tokenizer>),
    /// [`estimate_text`]: for models without a public tokenizer.
    Estimate,
}

impl Counter {
    /// The tokens of `text`, special tokens counted as ordinary text (as an API sees user text).
    pub fn text(&self, text: &str) -> usize {
        match self {
            Counter::Exact(tokenizer) => tokenizer.count(text, &SpecialPolicy::ordinary()).unwrap_or(0),
            Counter::Estimate => estimate_text(text),
        }
    }

    /// Whether counts are exact.
    pub fn is_exact(&self) -> bool {
        matches!(self, Counter::Exact(_))
    }
}

/// The tokens of a message list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageCount {
    /// The whole request: every message and the reply priming.
    pub tokens: usize,
    /// Each message's share, overhead included.
    pub per_message: Vec<usize>,
    /// False when an estimate entered the count: the estimator, or a part with no documented rule.
    pub exact: bool,
}

/// The tokens of `messages` in OpenAI's chat format.
pub fn count_messages(counter: &Counter, messages: &[Message]) -> MessageCount {
    let mut exact = counter.is_exact();
    let per_message: Vec<usize> = messages
        .iter()
        .map(|message| {
            let (tokens, message_exact) = count_message(counter, message);
            exact &= message_exact;
            tokens
        })
        .collect();
    let tokens = per_message.iter().sum::<usize>() + if messages.is_empty() { 0 } else { OPENAI_REPLY_PRIMING };
    MessageCount { tokens, per_message, exact }
}

/// One message's tokens with its overhead, and whether the count follows a documented rule.
pub fn count_message(counter: &Counter, message: &Message) -> (usize, bool) {
    let mut exact = true;
    let mut tokens = OPENAI_PER_MESSAGE + counter.text(message.role.as_str());
    if let Some(name) = &message.name {
        tokens += counter.text(name) + OPENAI_PER_NAME;
    }
    match &message.content {
        Some(Content::Text(text)) => tokens += counter.text(text),
        Some(Content::Parts(parts)) => {
            for part in parts {
                match part {
                    ContentPart::Text(text) => tokens += counter.text(text),
                    ContentPart::Image { detail, .. } => {
                        if detail.as_deref() == Some("low") {
                            tokens += OPENAI_IMAGE_LOW;
                        } else {
                            tokens += OPENAI_IMAGE_DEFAULT;
                            exact = false;
                        }
                    }
                    ContentPart::Audio { .. } | ContentPart::File { .. } => exact = false,
                }
            }
        }
        None => {}
    }
    // Not documented: the function's name and arguments as text.
    for call in &message.tool_calls {
        tokens += counter.text(&call.name) + counter.text(&call.arguments) + OPENAI_PER_MESSAGE;
        exact = false;
    }
    if let Some(id) = &message.tool_call_id {
        tokens += counter.text(id);
        exact = false;
    }
    (tokens, exact)
}
