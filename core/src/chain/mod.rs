//! Chains: composable pipelines of steps — JavaScript functions, models, templates, guards,
//! parsers — run by the core as a sans-I/O state machine, so a chain decides the same way in
//! every runtime. The driver runs the leaves and sleeps; the core decides the order, what runs
//! at once, retries, fallbacks, the re-ask loop (validate, repair, re-ask with the failures),
//! the tool loop (arguments checked against their schemas, guarded, approved, run at once),
//! the events and the trace.
//!
//! ```
//! use bridle::chain::{Chain, Run};
//! use serde_json::json;
//! use std::sync::Arc;
//!
//! // A sequence of two leaves (1 and 2), the second retried.
//! let chain = Arc::new(Chain::from_value(&json!({"kind": "sequence", "steps": [
//!     {"kind": "leaf", "leaf": 1, "name": "prepare"},
//!     {"kind": "retry", "attempts": 2, "backoff": {"initialDelay": 10, "jitter": 0}, "step": {"kind": "leaf", "leaf": 2}},
//! ]}))?);
//! let mut run = Run::start(chain, json!("in"), 0.0, 7);
//! let call = |run: &mut Run| run.take().into_iter().find(|e| e["type"] == "call").unwrap();
//! let first = call(&mut run);
//! assert_eq!((first["leaf"].clone(), first["input"].clone()), (json!(1), json!("in")));
//! run.resolve(first["id"].as_u64().unwrap(), Ok(json!({"output": "prepared"})), 1.0);
//! let second = call(&mut run);
//! run.resolve(second["id"].as_u64().unwrap(), Err(json!({"code": "network", "message": "reset", "details": {}})), 2.0);
//! let effects = run.take();
//! let sleep = effects.iter().find(|e| e["type"] == "sleep").unwrap();
//! assert_eq!(sleep["ms"], 10.0);
//! run.resolve(sleep["id"].as_u64().unwrap(), Ok(json!(null)), 12.0);
//! let again = call(&mut run);
//! assert_eq!(again["input"], "prepared");
//! run.resolve(again["id"].as_u64().unwrap(), Ok(json!({"output": "done"})), 13.0);
//! assert!(run.take().iter().any(|e| e["type"] == "done" && e["output"] == "done"));
//! # Ok::<(), bridle::Error>(())
//! ```

pub mod run;
pub mod spec;
pub mod trace;
pub mod wire;

pub use run::Run;
pub use spec::Chain;
