//! `bridle::chat` for JavaScript: Hugging Face chat templates (mirrors the Node binding).

use crate::error::to_js;
use bridle::chat::chat_template::{ChatTemplateCache, BUILTIN_CHAT_TEMPLATES};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The chat templates compiled last, so applying one per request compiles it once. Taken
    /// out during a render, so a trap can never leave it borrowed.
    static CHAT_TEMPLATES: RefCell<Option<ChatTemplateCache>> = const { RefCell::new(None) };
}

/// Renders a chat template (a built-in name or a Jinja source) with options given as JSON
/// (`bridle::chat::chat_template::chat_template_context`).
#[wasm_bindgen(js_name = applyChatTemplate)]
pub fn apply_chat_template(template: &str, options: &str) -> Result<String, JsError> {
    let mut cache = CHAT_TEMPLATES.with(|cache| cache.borrow_mut().take()).unwrap_or_default();
    let result = cache.apply_json(template, options).map_err(to_js);
    CHAT_TEMPLATES.with(|slot| *slot.borrow_mut() = Some(cache));
    result
}

/// The names of the built-in chat templates.
#[wasm_bindgen(js_name = chatTemplateNames)]
pub fn chat_template_names() -> Vec<String> {
    BUILTIN_CHAT_TEMPLATES.iter().map(|builtin| builtin.name.to_owned()).collect()
}
