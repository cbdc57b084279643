//! The WebAssembly binding of Bridle: wasm-bindgen wrappers over the `bridle` core, one file
//! per core module. Conversions and glue only; behaviour lives in the core.

// Shared with the other binding: see the file.
#[path = "../../bindings-common/active_blocks.rs"]
mod active_blocks;
mod chat;
mod error;
mod guard;
mod host;
mod parse;
mod panic;
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
