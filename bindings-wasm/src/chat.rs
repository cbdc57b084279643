//! `bridle::chat` for JavaScript: Hugging Face chat templates and prompt files (mirrors the Node binding).

use crate::error::to_js;
use bridle::chat::chat_template::{ChatTemplateCache, BUILTIN_CHAT_TEMPLATES};
use bridle::chat::prompt::ChatPrompt;
use bridle::chat::prompt_file::{self, PromptFile};
use bridle::handles::Handles;
use std::rc::Rc;
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

thread_local! {
    /// Loaded prompt files by handle (see `template.rs` for the handle discipline).
    static PROMPTS: RefCell<Handles<Rc<PromptFile>>> = const { RefCell::new(Handles::new()) };
}

fn prompt(handle: u32) -> Result<Rc<PromptFile>, JsError> {
    PROMPTS.with(|table| table.borrow().live(handle, "prompt")).map_err(to_js)
}

/// Parses a prompt file of `format` (`dotprompt`, `prompty`) with the values of its
/// references (JSON: `{"env": {...}, "files": {...}}` for `${env:NAME}` and `${file:path}`);
/// returns its handle.
#[wasm_bindgen(js_name = loadPrompt)]
pub fn load_prompt(source: &str, format: &str, refs: &str) -> Result<u32, JsError> {
    let prompt = prompt_file::load_prompt_json(source, format, refs).map_err(to_js)?;
    Ok(PROMPTS.with(|table| table.borrow_mut().insert(Rc::new(prompt))))
}

/// A prompt file's front matter metadata, as JSON.
#[wasm_bindgen(js_name = promptFrontMatter)]
pub fn prompt_front_matter(handle: u32) -> Result<String, JsError> {
    Ok(prompt(handle)?.front_matter_json())
}

/// A prompt file's template body.
#[wasm_bindgen(js_name = promptTemplate)]
pub fn prompt_template(handle: u32) -> Result<String, JsError> {
    Ok(prompt(handle)?.template().to_owned())
}

/// Renders a prompt file: data, options and environment as JSON; the result as JSON.
#[wasm_bindgen(js_name = renderPrompt)]
pub fn render_prompt(handle: u32, data: &str, options: &str, env: &str) -> Result<String, JsError> {
    prompt(handle)?.render_json(data, options, env).map_err(to_js)
}

/// The metadata a render with these options would have, as JSON.
#[wasm_bindgen(js_name = renderPromptMetadata)]
pub fn render_prompt_metadata(handle: u32, options: &str, env: &str) -> Result<String, JsError> {
    prompt(handle)?.render_metadata_json(options, env).map_err(to_js)
}

/// Frees a prompt file; freeing twice, or an unknown handle, does nothing.
#[wasm_bindgen(js_name = freePrompt)]
pub fn free_prompt(handle: u32) {
    PROMPTS.with(|table| table.borrow_mut().remove(handle));
}

/// A message-list operation (`normalize`, `toAnthropic`, `fromAnthropic`, `toGemini`,
/// `fromGemini`) on JSON text.
#[wasm_bindgen(js_name = convertMessages)]
pub fn convert_messages(operation: &str, input: &str) -> Result<String, JsError> {
    bridle::chat::message::convert_messages_json(operation, input).map_err(to_js)
}

thread_local! {
    /// Compiled chat prompts by handle.
    static CHAT_PROMPTS: RefCell<Handles<Rc<ChatPrompt>>> = const { RefCell::new(Handles::new()) };
}

fn chat_prompt(handle: u32) -> Result<Rc<ChatPrompt>, JsError> {
    CHAT_PROMPTS.with(|table| table.borrow().live(handle, "chat prompt")).map_err(to_js)
}

fn keep_chat_prompt(prompt: ChatPrompt) -> u32 {
    CHAT_PROMPTS.with(|table| table.borrow_mut().insert(Rc::new(prompt)))
}

/// Compiles a chat prompt from its entries and template options, both as JSON; its handle.
#[wasm_bindgen(js_name = compileChatPrompt)]
pub fn compile_chat_prompt(entries: &str, options: &str) -> Result<u32, JsError> {
    Ok(keep_chat_prompt(ChatPrompt::from_json_text(entries, options).map_err(to_js)?))
}

/// The input names a chat prompt reads, placeholders included.
#[wasm_bindgen(js_name = chatPromptVariables)]
pub fn chat_prompt_variables(handle: u32) -> Result<Vec<String>, JsError> {
    Ok(chat_prompt(handle)?.variables().to_vec())
}

/// Renders a chat prompt with data as JSON; OpenAI messages as JSON.
#[wasm_bindgen(js_name = renderChatPrompt)]
pub fn render_chat_prompt(handle: u32, data: &str) -> Result<String, JsError> {
    chat_prompt(handle)?.render_json(data).map_err(to_js)
}

/// A new chat prompt with some variables fixed; its handle.
#[wasm_bindgen(js_name = partialChatPrompt)]
pub fn partial_chat_prompt(handle: u32, values: &str) -> Result<u32, JsError> {
    Ok(keep_chat_prompt(chat_prompt(handle)?.partial_json(values).map_err(to_js)?))
}

/// Frees a chat prompt; freeing twice, or an unknown handle, does nothing.
#[wasm_bindgen(js_name = freeChatPrompt)]
pub fn free_chat_prompt(handle: u32) {
    CHAT_PROMPTS.with(|table| table.borrow_mut().remove(handle));
}
