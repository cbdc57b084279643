//! `bridle::tokens` for JavaScript: tokenizers and packers by handle, each call one
//! `bridle::tokens::wire` function (mirrors `bindings-wasm/src/tokens.rs`).

use crate::error::boundary;
use crate::text::Text;
use bridle::handles::Handles;
use bridle::tokens::budget::Packer;
use bridle::tokens::{wire, Counter, Tokenizer};
use napi::bindgen_prelude::{Uint32Array, Uint8Array};
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

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
#[napi(js_name = "tokenizerLoad")]
pub fn tokenizer_load(table: Uint8Array, encoding: String) -> napi::Result<u32> {
    boundary(|| {
        let tokenizer = wire::tokenizer_load(&table, &encoding)?;
        Ok(TOKENIZERS.with(|t| t.borrow_mut().insert(Arc::new(tokenizer))))
    })
}

/// `{ encoding, vocabSize, specialTokens }` as JSON.
#[napi(js_name = "tokenizerInfo")]
pub fn tokenizer_info(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(wire::tokenizer_info(&*tokenizer(handle)?)))
}

/// The token ids of `text` (special-token policy: see `wire::policy`).
#[napi(js_name = "tokenizerEncode", ts_args_type = "handle: number, text: string, mode: number, custom: string")]
pub fn tokenizer_encode(handle: u32, text: Text, mode: u32, custom: String) -> napi::Result<Uint32Array> {
    boundary(|| {
        let policy = wire::policy(mode, &custom)?;
        Ok(Uint32Array::new(tokenizer(handle)?.encode(&text.0, &policy)?))
    })
}

/// How many tokens `text` has.
#[napi(js_name = "tokenizerCount", ts_args_type = "handle: number, text: string, mode: number, custom: string")]
pub fn tokenizer_count(handle: u32, text: Text, mode: u32, custom: String) -> napi::Result<u32> {
    boundary(|| {
        let policy = wire::policy(mode, &custom)?;
        Ok(tokenizer(handle)?.count(&text.0, &policy)? as u32)
    })
}

/// The text of token ids (bytes that are not UTF-8 become U+FFFD).
#[napi(js_name = "tokenizerDecode")]
pub fn tokenizer_decode(handle: u32, ids: Uint32Array) -> napi::Result<String> {
    boundary(|| tokenizer(handle)?.decode(&ids))
}

/// The bytes of token ids.
#[napi(js_name = "tokenizerDecodeBytes")]
pub fn tokenizer_decode_bytes(handle: u32, ids: Uint32Array) -> napi::Result<Uint8Array> {
    boundary(|| Ok(Uint8Array::new(tokenizer(handle)?.decode_bytes(&ids)?)))
}

/// `{ tokens, perMessage, exact }` for OpenAI-format messages (JSON), counted exactly.
#[napi(js_name = "tokenizerCountMessages")]
pub fn tokenizer_count_messages(handle: u32, messages: String) -> napi::Result<String> {
    boundary(|| wire::count_messages_call(&Counter::Exact(tokenizer(handle)?), &messages))
}

/// Frees a tokenizer; idempotent.
#[napi(js_name = "tokenizerFree")]
pub fn tokenizer_free(handle: u32) {
    TOKENIZERS.with(|table| table.borrow_mut().remove(handle));
}

/// The estimated token count of `text` (no tokenizer needed).
#[napi(js_name = "estimateTokens", ts_args_type = "text: string")]
pub fn estimate_tokens(text: Text) -> u32 {
    bridle::tokens::estimate::estimate_text(&text.0) as u32
}

/// `{ tokens, perMessage, exact: false }` for OpenAI-format messages (JSON), estimated.
#[napi(js_name = "estimateMessages")]
pub fn estimate_messages(messages: String) -> napi::Result<String> {
    boundary(|| wire::count_messages_call(&Counter::Estimate, &messages))
}

/// The encoding of an OpenAI model name, or `""`.
#[napi(js_name = "encodingForModel")]
pub fn encoding_for_model(model: String) -> String {
    wire::encoding_for_model(&model).to_owned()
}

/// A packer from its options (JSON), counting with a tokenizer or, without one, the estimate.
#[napi(js_name = "packerNew")]
pub fn packer_new(spec: String, tokenizer_handle: Option<u32>) -> napi::Result<u32> {
    boundary(|| {
        let counter = match tokenizer_handle {
            Some(handle) => Counter::Exact(tokenizer(handle)?),
            None => Counter::Estimate,
        };
        let packer = wire::packer_new(counter, &spec)?;
        Ok(PACKERS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(packer)))))
    })
}

/// The sections' current values (JSON).
#[napi(js_name = "packerValues")]
pub fn packer_values(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(wire::packer_values(&packer(handle)?.borrow())))
}

/// Takes the rendered prompt's exact count; true when packing is done.
#[napi(js_name = "packerObserve")]
pub fn packer_observe(handle: u32, total: u32) -> napi::Result<bool> {
    boundary(|| Ok(packer(handle)?.borrow_mut().observe(total as usize)))
}

/// The packing report (JSON).
#[napi(js_name = "packerReport")]
pub fn packer_report(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(wire::packer_report(&packer(handle)?.borrow())))
}

/// Frees a packer; idempotent.
#[napi(js_name = "packerFree")]
pub fn packer_free(handle: u32) {
    PACKERS.with(|table| table.borrow_mut().remove(handle));
}
