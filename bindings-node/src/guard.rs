//! `bridle::guard` for JavaScript: scanner sets, vaults, guards and guarded streams by
//! handle. Every call is one `bridle::guard::wire` function; texts come back framed (see
//! there).

use crate::error::boundary;
use crate::text::{OutText, Text};
use bridle::guard::policy::Guard;
use bridle::guard::redact::Vault;
use bridle::guard::scan::ScanSet;
use bridle::guard::stream::GuardStream;
use bridle::guard::wire;
use bridle::handles::Handles;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

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
#[napi(js_name = "scannerCompile")]
pub fn scanner_compile(options: String) -> napi::Result<u32> {
    boundary(|| {
        let set = wire::scan_set_from_json(&options)?;
        Ok(SCANNERS.with(|table| table.borrow_mut().insert(Rc::new(set))))
    })
}

/// The findings in `text` as JSON.
#[napi(js_name = "scannerScan", ts_args_type = "handle: number, text: string")]
pub fn scanner_scan(handle: u32, text: Text) -> napi::Result<String> {
    boundary(|| Ok(wire::scan_call(&*scanner(handle)?, &text.0)))
}

/// Redacts `text` with redaction options (JSON or `""`) into a vault; returns the frame.
#[napi(
    js_name = "scannerRedact",
    ts_args_type = "handle: number, text: string, options: string, vault: number",
    ts_return_type = "string"
)]
pub fn scanner_redact(handle: u32, text: Text, options: String, vault_handle: u32) -> napi::Result<OutText> {
    boundary(|| wire::redact_call(&*scanner(handle)?, &text.0, &options, &mut vault(vault_handle)?.borrow_mut()))
        .map(OutText)
}

/// Frees a scanner set; idempotent.
#[napi(js_name = "scannerFree")]
pub fn scanner_free(handle: u32) {
    SCANNERS.with(|table| table.borrow_mut().remove(handle));
}

/// A new empty vault's handle.
#[napi(js_name = "vaultNew")]
pub fn vault_new() -> u32 {
    VAULTS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(Vault::new()))))
}

/// A vault from its JSON; returns its handle.
#[napi(js_name = "vaultFromJson")]
pub fn vault_from_json(json: String) -> napi::Result<u32> {
    boundary(|| {
        let vault = wire::vault_from_json(&json)?;
        Ok(VAULTS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(vault)))))
    })
}

/// The vault as JSON.
#[napi(js_name = "vaultToJson")]
pub fn vault_to_json(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(vault(handle)?.borrow().to_json().to_string()))
}

/// The number of entries.
#[napi(js_name = "vaultSize")]
pub fn vault_size(handle: u32) -> napi::Result<u32> {
    boundary(|| Ok(vault(handle)?.borrow().len() as u32))
}

/// Restores the vault's placeholders in `text`; returns the frame.
#[napi(js_name = "vaultRestore", ts_args_type = "handle: number, text: string", ts_return_type = "string")]
pub fn vault_restore(handle: u32, text: Text) -> napi::Result<OutText> {
    boundary(|| Ok(wire::restore_call(&vault(handle)?.borrow(), &text.0))).map(OutText)
}

/// Frees a vault; idempotent.
#[napi(js_name = "vaultFree")]
pub fn vault_free(handle: u32) {
    VAULTS.with(|table| table.borrow_mut().remove(handle));
}

/// Compiles a guard from options (JSON); returns its handle.
#[napi(js_name = "guardCompile")]
pub fn guard_compile(options: String) -> napi::Result<u32> {
    boundary(|| {
        let guard = wire::guard_from_json(&options)?;
        Ok(GUARDS.with(|table| table.borrow_mut().insert(Arc::new(guard))))
    })
}

/// Runs a guard over `text` with the results of the caller's checks (JSON or `""`).
#[napi(
    js_name = "guardRun",
    ts_args_type = "handle: number, text: string, externals: string, vault: number",
    ts_return_type = "string"
)]
pub fn guard_run(handle: u32, text: Text, externals: String, vault_handle: u32) -> napi::Result<OutText> {
    boundary(|| wire::guard_call(&*guard(handle)?, &text.0, &externals, &mut vault(vault_handle)?.borrow_mut())).map(OutText)
}

/// Frees a guard; idempotent (its open streams keep it alive).
#[napi(js_name = "guardFree")]
pub fn guard_free(handle: u32) {
    GUARDS.with(|table| table.borrow_mut().remove(handle));
}

/// Opens a guarded stream with options (JSON or `""`); returns its handle.
#[napi(js_name = "guardStreamOpen")]
pub fn guard_stream_open(guard_handle: u32, options: String) -> napi::Result<u32> {
    boundary(|| {
        let stream = GuardStream::new(guard(guard_handle)?, wire::stream_options_from_json(&options)?);
        Ok(STREAMS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
    })
}

/// Pushes a chunk (or ends the stream when `last`); returns the step frame.
#[napi(js_name = "guardStreamPush", ts_return_type = "string")]
pub fn guard_stream_push(handle: u32, chunk: String, last: bool, vault_handle: u32) -> napi::Result<OutText> {
    boundary(|| wire::stream_call(&mut stream(handle)?.borrow_mut(), &chunk, last, &mut vault(vault_handle)?.borrow_mut()))
        .map(OutText)
}

/// Frees a guarded stream; idempotent.
#[napi(js_name = "guardStreamFree")]
pub fn guard_stream_free(handle: u32) {
    STREAMS.with(|table| table.borrow_mut().remove(handle));
}
