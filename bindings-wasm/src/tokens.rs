//! `bridle::tokens` for JavaScript: tokenizers and packers by handle, each call one
//! `bridle::tokens::wire` function (mirrors `bindings-node/src/tokens.rs`).

use crate::error::to_js;
use bridle::handles::Handles;
use bridle::tokens::budget::Packer;
use bridle::tokens::{wire, Counter, Tokenizer};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    static TOKENIZERS: RefCell<Handles<Arc<Tokenizer>>> = const { RefCell::new(Handles::new()) };
    static PACKERS: RefCell<Handles<Rc<RefCell<Packer>>>> = const { RefCell::new(Handles::new()) };
}

fn tokenizer(handle: u32) -> bridle::Result<Arc<Tokenizer>> {
    TOKENIZERS.with(|table| table.borrow().live(handle, "tokenizer"))
}

fn packer(handle: u32) -> bridle::Result<Rc<RefCell<Packer>>> {
    PACKERS.with(|table| table.borrow().live(handle, "packer"))
}

/// Loads a rank table for `encoding` (`""`: told from the table); returns the tokenizer's handle.
#[wasm_bindgen(js_name = tokenizerLoad)]
pub fn tokenizer_load(table: &[u8], encoding: &str) -> Result<u32, JsError> {
    let tokenizer = wire::tokenizer_load(table, encoding).map_err(to_js)?;
    Ok(TOKENIZERS.with(|t| t.borrow_mut().insert(Arc::new(tokenizer))))
}

/// `{ encoding, vocabSize, specialTokens }` as JSON.
#[wasm_bindgen(js_name = tokenizerInfo)]
pub fn tokenizer_info(handle: u32) -> Result<String, JsError> {
    Ok(wire::tokenizer_info(&*tokenizer(handle).map_err(to_js)?))
}

/// The token ids of `text` (special-token policy: see `wire::policy`).
#[wasm_bindgen(js_name = tokenizerEncode)]
pub fn tokenizer_encode(handle: u32, text: &str, mode: u32, custom: &str) -> Result<Vec<u32>, JsError> {
    let policy = wire::policy(mode, custom).map_err(to_js)?;
    tokenizer(handle).and_then(|t| t.encode(text, &policy)).map_err(to_js)
}

/// How many tokens `text` has.
#[wasm_bindgen(js_name = tokenizerCount)]
pub fn tokenizer_count(handle: u32, text: &str, mode: u32, custom: &str) -> Result<u32, JsError> {
    let policy = wire::policy(mode, custom).map_err(to_js)?;
    tokenizer(handle).and_then(|t| t.count(text, &policy)).map(|n| n as u32).map_err(to_js)
}

/// The text of token ids (bytes that are not UTF-8 become U+FFFD).
#[wasm_bindgen(js_name = tokenizerDecode)]
pub fn tokenizer_decode(handle: u32, ids: &[u32]) -> Result<String, JsError> {
    tokenizer(handle).and_then(|t| t.decode(ids)).map_err(to_js)
}

/// The bytes of token ids.
#[wasm_bindgen(js_name = tokenizerDecodeBytes)]
pub fn tokenizer_decode_bytes(handle: u32, ids: &[u32]) -> Result<Vec<u8>, JsError> {
    tokenizer(handle).and_then(|t| t.decode_bytes(ids)).map_err(to_js)
}

/// `{ tokens, perMessage, exact }` for OpenAI-format messages (JSON), counted exactly.
#[wasm_bindgen(js_name = tokenizerCountMessages)]
pub fn tokenizer_count_messages(handle: u32, messages: &str) -> Result<String, JsError> {
    let counter = Counter::Exact(tokenizer(handle).map_err(to_js)?);
    wire::count_messages_call(&counter, messages).map_err(to_js)
}

/// Frees a tokenizer; idempotent.
#[wasm_bindgen(js_name = tokenizerFree)]
pub fn tokenizer_free(handle: u32) {
    TOKENIZERS.with(|table| table.borrow_mut().remove(handle));
}

/// The estimated token count of `text` (no tokenizer needed).
#[wasm_bindgen(js_name = estimateTokens)]
pub fn estimate_tokens(text: &str) -> u32 {
    bridle::tokens::estimate::estimate_text(text) as u32
}

/// `{ tokens, perMessage, exact: false }` for OpenAI-format messages (JSON), estimated.
#[wasm_bindgen(js_name = estimateMessages)]
pub fn estimate_messages(messages: &str) -> Result<String, JsError> {
    wire::count_messages_call(&Counter::Estimate, messages).map_err(to_js)
}

/// The encoding of an OpenAI model name, or `""`.
#[wasm_bindgen(js_name = encodingForModel)]
pub fn encoding_for_model(model: &str) -> String {
    wire::encoding_for_model(model).to_owned()
}

/// A packer from its options (JSON), counting with a tokenizer or, without one, the estimate.
#[wasm_bindgen(js_name = packerNew)]
pub fn packer_new(spec: &str, tokenizer_handle: Option<u32>) -> Result<u32, JsError> {
    let counter = match tokenizer_handle {
        Some(handle) => Counter::Exact(tokenizer(handle).map_err(to_js)?),
        None => Counter::Estimate,
    };
    let packer = wire::packer_new(counter, spec).map_err(to_js)?;
    Ok(PACKERS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(packer)))))
}

/// The sections' current values (JSON).
#[wasm_bindgen(js_name = packerValues)]
pub fn packer_values(handle: u32) -> Result<String, JsError> {
    Ok(wire::packer_values(&packer(handle).map_err(to_js)?.borrow()))
}

/// Takes the rendered prompt's exact count; true when packing is done.
#[wasm_bindgen(js_name = packerObserve)]
pub fn packer_observe(handle: u32, total: u32) -> Result<bool, JsError> {
    Ok(packer(handle).map_err(to_js)?.borrow_mut().observe(total as usize))
}

/// The packing report (JSON).
#[wasm_bindgen(js_name = packerReport)]
pub fn packer_report(handle: u32) -> Result<String, JsError> {
    Ok(wire::packer_report(&packer(handle).map_err(to_js)?.borrow()))
}

/// Frees a packer; idempotent.
#[wasm_bindgen(js_name = packerFree)]
pub fn packer_free(handle: u32) {
    PACKERS.with(|table| table.borrow_mut().remove(handle));
}
