//! `bridle::chain` for JavaScript: compiled chains and their runs by handle. Every call is one
//! `bridle::chain::wire` function; the facade drives a run (see `npm/bridle/src/chains.js`).

use crate::error::boundary;
use bridle::chain::{wire, Chain, Run};
use bridle::handles::Handles;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

thread_local! {
    static CHAINS: RefCell<Handles<Arc<Chain>>> = const { RefCell::new(Handles::new()) };
    static RUNS: RefCell<Handles<Rc<RefCell<Run>>>> = const { RefCell::new(Handles::new()) };
}

fn chain(handle: u32) -> bridle::Result<Arc<Chain>> {
    CHAINS.with(|table| table.borrow().live(handle, "chain"))
}

fn run(handle: u32) -> bridle::Result<Rc<RefCell<Run>>> {
    RUNS.with(|table| table.borrow().live(handle, "chain run"))
}

/// Compiles a chain (JSON); returns its handle.
#[napi(js_name = "chainCompile")]
pub fn chain_compile(spec: String) -> napi::Result<u32> {
    boundary(|| {
        let chain = wire::chain_compile(&spec)?;
        Ok(CHAINS.with(|table| table.borrow_mut().insert(chain)))
    })
}

/// Frees a chain.
#[napi(js_name = "chainFree")]
pub fn chain_free(handle: u32) {
    CHAINS.with(|table| table.borrow_mut().remove(handle));
}

/// Starts a run on `input` (JSON) with `flags` (1: events, 2: trace values); returns its handle.
#[napi(js_name = "runStart")]
pub fn run_start(chain_handle: u32, input: String, now: f64, seed: f64, flags: u32) -> napi::Result<u32> {
    boundary(|| {
        let run = wire::run_start(&chain(chain_handle)?, &input, now, seed, flags)?;
        Ok(RUNS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(run)))))
    })
}

/// The run's effects (JSON array).
#[napi(js_name = "runTake")]
pub fn run_take(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(wire::run_take(&mut run(handle)?.borrow_mut())))
}

/// Answers an effect; the effects that follow (JSON array).
#[napi(js_name = "runResolve")]
pub fn run_resolve(handle: u32, id: f64, ok: bool, result: String, now: f64) -> napi::Result<String> {
    boundary(|| wire::run_resolve(&mut run(handle)?.borrow_mut(), id, ok, &result, now))
}

/// Cancels a run with an error (JSON); the effects that follow.
#[napi(js_name = "runCancel")]
pub fn run_cancel(handle: u32, error: String, now: f64) -> napi::Result<String> {
    boundary(|| wire::run_cancel(&mut run(handle)?.borrow_mut(), &error, now))
}

/// The run's trace (JSON).
#[napi(js_name = "runTrace")]
pub fn run_trace(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(run(handle)?.borrow().trace().to_string()))
}

/// Frees a run.
#[napi(js_name = "runFree")]
pub fn run_free(handle: u32) {
    RUNS.with(|table| table.borrow_mut().remove(handle));
}
