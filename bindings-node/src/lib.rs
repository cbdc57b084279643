//! The Node-API binding of Bridle: napi-rs wrappers over the `bridle` core, one file per core
//! module, mirroring `bindings-wasm`. Conversions and glue only; behaviour lives in the core.

#![deny(clippy::all)]
// napi-derive registers nothing in test builds, which leaves the exported functions unused there.
#![cfg_attr(test, allow(dead_code))]

// Shared with the other binding: see the file.
#[path = "../../bindings-common/active_blocks.rs"]
mod active_blocks;
mod chain;
mod chat;
mod error;
mod guard;
mod host;
mod hot;
mod http;
mod model;
mod parse;
mod template;
mod text;
mod thread;
mod tokens;

use napi_derive::napi;

#[napi_derive::module_init]
fn init() {
    error::install_panic_hook();
}

/// The version of the core this addon was built from.
#[napi]
pub fn version() -> String {
    bridle::VERSION.to_owned()
}

/// Panics on purpose, so tests can prove that a panic becomes an `internal` error and that
/// the addon stays usable afterwards.
#[napi(js_name = "debugPanic")]
pub fn debug_panic(message: String) -> napi::Result<()> {
    error::boundary(|| -> bridle::Result<()> { panic!("{message}") })
}

// Renders allocate many small values (strings, maps) and free them at once; mimalloc does that
// markedly faster than glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
