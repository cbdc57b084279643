//! The chain API as the bindings call it: JSON text in and out.

use super::{Chain, Run};
use crate::{Error, ErrorKind, Result};
use serde_json::Value;
use std::sync::Arc;

fn parse(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|error| {
        // serde_json's only limit, 128 levels, names itself only in its message.
        if error.to_string().starts_with("recursion limit exceeded") {
            Error::new(ErrorKind::LimitExceeded, format!("{what} nests deeper than 128 levels as JSON"))
                .with_detail("limit", "depth")
        } else {
            Error::new(ErrorKind::InvalidArgument, format!("{what} is not JSON: {error}"))
        }
    })
}

/// Compiles a chain from its JSON description.
pub fn chain_compile(spec: &str) -> Result<Arc<Chain>> {
    Ok(Arc::new(Chain::from_value(&parse("the chain", spec)?)?))
}

/// Starts a run on `input` (JSON) at `now` (ms) with a jitter `seed`; `flags` bit 1 asks for
/// events, bit 2 for a trace with inputs and outputs.
pub fn run_start(chain: &Arc<Chain>, input: &str, now: f64, seed: f64, flags: u32) -> Result<Run> {
    let input = parse("the chain input", input)?;
    Ok(Run::start_with(chain.clone(), input, now, seed as u64, flags & 1 != 0, flags & 2 != 0))
}

/// The run's effects since the last call (a JSON array).
pub fn run_take(run: &mut Run) -> String {
    run.take_json()
}

/// Answers effect `id`: `ok` with `result` (JSON), or an error (JSON `{code, message, details}`).
pub fn run_resolve(run: &mut Run, id: f64, ok: bool, result: &str, now: f64) -> Result<String> {
    let value = parse("the step result", result)?;
    run.resolve(id as u64, if ok { Ok(value) } else { Err(value) }, now);
    Ok(run_take(run))
}

/// Cancels the run with `error` (JSON).
pub fn run_cancel(run: &mut Run, error: &str, now: f64) -> Result<String> {
    run.cancel(parse("the error", error)?, now);
    Ok(run_take(run))
}
