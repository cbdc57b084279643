//! The WebAssembly binding of Bridle: wasm-bindgen wrappers over the `bridle` core, one file
//! per core module. Conversions and glue only; behaviour lives in the core.
//!
//! It is built as three modules: the main one (templates, chat, structured output); with the
//! `guard-module` feature, the guardrails one (`bridle_guard_bg.wasm`), so the scanners' rule
//! tables and automata are downloaded only by those who use them; and with `model-module`, the
//! model providers and their HTTP (`bridle_model_bg.wasm`); with `tokens-module`, the tokenizer,
//! counting and budget packing (`bridle_tokens_bg.wasm`). The linker keeps in each module
//! only what its exports reach.

// Shared with the other binding: see the file.
#[cfg(not(any(feature = "guard-module", feature = "model-module", feature = "tokens-module")))]
#[path = "../../bindings-common/active_blocks.rs"]
mod active_blocks;
#[cfg(not(any(feature = "guard-module", feature = "model-module", feature = "tokens-module")))]
mod chat;
mod error;
#[cfg(feature = "guard-module")]
mod guard;
#[cfg(not(any(feature = "guard-module", feature = "model-module", feature = "tokens-module")))]
mod host;
#[cfg(feature = "model-module")]
mod chain;
#[cfg(feature = "model-module")]
mod http;
#[cfg(feature = "model-module")]
mod model;
#[cfg(not(any(feature = "guard-module", feature = "model-module", feature = "tokens-module")))]
mod parse;
mod panic;
#[cfg(not(any(feature = "guard-module", feature = "model-module", feature = "tokens-module")))]
mod template;
#[cfg(feature = "tokens-module")]
mod tokens;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    panic::install_hook();
}

/// The version of the core this module was built from.
#[wasm_bindgen]
pub fn version() -> String {
    bridle::VERSION.to_owned()
}
