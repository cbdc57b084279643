//! The WebAssembly binding of Bridle: wasm-bindgen wrappers over the `bridle` core, one file
//! per core module. Conversions and glue only; behaviour lives in the core.
//!
//! It is built as two modules: the main one (templates, chat, structured output) and, with
//! the `guard-module` feature, the guardrails one (`bridle_guard_bg.wasm`), so the scanners'
//! rule tables and automata are downloaded only by those who use them. The linker keeps in
//! each module only what its exports reach.

// Shared with the other binding: see the file.
#[cfg(not(feature = "guard-module"))]
#[path = "../../bindings-common/active_blocks.rs"]
mod active_blocks;
#[cfg(not(feature = "guard-module"))]
mod chat;
mod error;
#[cfg(feature = "guard-module")]
mod guard;
#[cfg(not(feature = "guard-module"))]
mod host;
#[cfg(not(feature = "guard-module"))]
mod parse;
mod panic;
#[cfg(not(feature = "guard-module"))]
mod template;

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
