//! `bridle::guard` for JavaScript: scanner sets, vaults, guards and guarded streams by
//! handle. Every call is one `bridle::guard::wire` function; texts come back framed (see
//! there).

use crate::error::to_js;
use bridle::guard::policy::Guard;
use bridle::guard::redact::Vault;
use bridle::guard::scan::ScanSet;
use bridle::guard::stream::GuardStream;
use bridle::guard::wire;
use bridle::handles::Handles;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    static SCANNERS: RefCell<Handles<Rc<ScanSet>>> = const { RefCell::new(Handles::new()) };
    static VAULTS: RefCell<Handles<Rc<RefCell<Vault>>>> = const { RefCell::new(Handles::new()) };
    static GUARDS: RefCell<Handles<Arc<Guard>>> = const { RefCell::new(Handles::new()) };
    static STREAMS: RefCell<Handles<Rc<RefCell<GuardStream>>>> = const { RefCell::new(Handles::new()) };
}

fn scanner(handle: u32) -> bridle::Result<Rc<ScanSet>> {
    SCANNERS.with(|table| table.borrow().live(handle, "scanner"))
}

fn vault(handle: u32) -> bridle::Result<Rc<RefCell<Vault>>> {
    VAULTS.with(|table| table.borrow().live(handle, "vault"))
}

fn guard(handle: u32) -> bridle::Result<Arc<Guard>> {
    GUARDS.with(|table| table.borrow().live(handle, "guard"))
}

fn stream(handle: u32) -> bridle::Result<Rc<RefCell<GuardStream>>> {
    STREAMS.with(|table| table.borrow().live(handle, "guard stream"))
}

/// Compiles a scanner set from options (JSON, `""` for the defaults); returns its handle.
#[wasm_bindgen(js_name = scannerCompile)]
pub fn scanner_compile(options: &str) -> Result<u32, JsError> {
    let set = wire::scan_set_from_json(options).map_err(to_js)?;
    Ok(SCANNERS.with(|table| table.borrow_mut().insert(Rc::new(set))))
}

/// The findings in `text` as JSON.
#[wasm_bindgen(js_name = scannerScan)]
pub fn scanner_scan(handle: u32, text: &str) -> Result<String, JsError> {
    Ok(wire::scan_call(&*scanner(handle).map_err(to_js)?, text))
}

/// Redacts `text` with redaction options (JSON or `""`) into a vault; returns the frame.
#[wasm_bindgen(js_name = scannerRedact)]
pub fn scanner_redact(handle: u32, text: &str, options: &str, vault_handle: u32) -> Result<String, JsError> {
    let set = scanner(handle).map_err(to_js)?;
    let vault = vault(vault_handle).map_err(to_js)?;
    let framed = wire::redact_call(&set, text, options, &mut vault.borrow_mut());
    framed.map_err(to_js)
}

/// Frees a scanner set; idempotent.
#[wasm_bindgen(js_name = scannerFree)]
pub fn scanner_free(handle: u32) {
    SCANNERS.with(|table| table.borrow_mut().remove(handle));
}

/// A new empty vault's handle.
#[wasm_bindgen(js_name = vaultNew)]
pub fn vault_new() -> u32 {
    VAULTS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(Vault::new()))))
}

/// A vault from its JSON; returns its handle.
#[wasm_bindgen(js_name = vaultFromJson)]
pub fn vault_from_json(json: &str) -> Result<u32, JsError> {
    let vault = wire::vault_from_json(json).map_err(to_js)?;
    Ok(VAULTS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(vault)))))
}

/// The vault as JSON.
#[wasm_bindgen(js_name = vaultToJson)]
pub fn vault_to_json(handle: u32) -> Result<String, JsError> {
    Ok(vault(handle).map_err(to_js)?.borrow().to_json().to_string())
}

/// The number of entries.
#[wasm_bindgen(js_name = vaultSize)]
pub fn vault_size(handle: u32) -> Result<u32, JsError> {
    Ok(vault(handle).map_err(to_js)?.borrow().len() as u32)
}

/// Restores the vault's placeholders in `text`; returns the frame.
#[wasm_bindgen(js_name = vaultRestore)]
pub fn vault_restore(handle: u32, text: &str) -> Result<String, JsError> {
    Ok(wire::restore_call(&vault(handle).map_err(to_js)?.borrow(), text))
}

/// Frees a vault; idempotent.
#[wasm_bindgen(js_name = vaultFree)]
pub fn vault_free(handle: u32) {
    VAULTS.with(|table| table.borrow_mut().remove(handle));
}

/// Compiles a guard from options (JSON); returns its handle.
#[wasm_bindgen(js_name = guardCompile)]
pub fn guard_compile(options: &str) -> Result<u32, JsError> {
    let guard = wire::guard_from_json(options).map_err(to_js)?;
    Ok(GUARDS.with(|table| table.borrow_mut().insert(Arc::new(guard))))
}

/// Runs a guard over `text` with the results of the caller's checks (JSON or `""`).
#[wasm_bindgen(js_name = guardRun)]
pub fn guard_run(handle: u32, text: &str, externals: &str, vault_handle: u32) -> Result<String, JsError> {
    let guard = guard(handle).map_err(to_js)?;
    let vault = vault(vault_handle).map_err(to_js)?;
    let framed = wire::guard_call(&guard, text, externals, &mut vault.borrow_mut());
    framed.map_err(to_js)
}

/// Frees a guard; idempotent (its open streams keep it alive).
#[wasm_bindgen(js_name = guardFree)]
pub fn guard_free(handle: u32) {
    GUARDS.with(|table| table.borrow_mut().remove(handle));
}

/// Opens a guarded stream with options (JSON or `""`); returns its handle.
#[wasm_bindgen(js_name = guardStreamOpen)]
pub fn guard_stream_open(guard_handle: u32, options: &str) -> Result<u32, JsError> {
    let guard = guard(guard_handle).map_err(to_js)?;
    let stream = GuardStream::new(guard, wire::stream_options_from_json(options).map_err(to_js)?);
    Ok(STREAMS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
}

/// Pushes a chunk (or ends the stream when `last`); returns the step frame.
#[wasm_bindgen(js_name = guardStreamPush)]
pub fn guard_stream_push(handle: u32, chunk: &str, last: bool, vault_handle: u32) -> Result<String, JsError> {
    let stream = stream(handle).map_err(to_js)?;
    let vault = vault(vault_handle).map_err(to_js)?;
    let framed = wire::stream_call(&mut stream.borrow_mut(), chunk, last, &mut vault.borrow_mut());
    framed.map_err(to_js)
}

/// Frees a guarded stream; idempotent.
#[wasm_bindgen(js_name = guardStreamFree)]
pub fn guard_stream_free(handle: u32) {
    STREAMS.with(|table| table.borrow_mut().remove(handle));
}
