//! `bridle::chat` for JavaScript: Hugging Face chat templates (more of the chat module to come).

use crate::error::boundary;
use bridle::chat::chat_template::{ChatTemplateCache, BUILTIN_CHAT_TEMPLATES};
use napi_derive::napi;
use std::cell::RefCell;

thread_local! {
    /// The chat templates compiled last, so applying one per request compiles it once.
    static CHAT_TEMPLATES: RefCell<ChatTemplateCache> = RefCell::new(ChatTemplateCache::default());
}

/// Renders a chat template (a built-in name or a Jinja source) with options given as JSON
/// (`bridle::chat::chat_template::chat_template_context`).
#[napi(js_name = "applyChatTemplate")]
pub fn apply_chat_template(template: String, options: String) -> napi::Result<String> {
    boundary(|| CHAT_TEMPLATES.with(|cache| cache.borrow_mut().apply_json(&template, &options)))
}

/// The names of the built-in chat templates.
#[napi(js_name = "chatTemplateNames")]
pub fn chat_template_names() -> Vec<String> {
    BUILTIN_CHAT_TEMPLATES.iter().map(|builtin| builtin.name.to_owned()).collect()
}
