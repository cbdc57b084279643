//! Model wire formats: requests as each provider documents them, responses and streams (cut at
//! every place) read into one shape, errors typed, scripted replies replayed.

use bridle::model::{Attempt, Call, Model, Provider};
use bridle::ErrorKind;
use serde_json::{json, Value};

fn model(provider: Provider, options: Value) -> Model {
    Model::new(provider, &options).unwrap()
}

fn request(model: &mut Model, call: &mut Call) -> (String, Value, Value) {
    match model.attempt(call).unwrap() {
        Attempt::Http(request) => {
            (request.url.clone(), Value::Object(request.headers.clone()), serde_json::from_str(&request.body).unwrap())
        }
        Attempt::Scripted { .. } => panic!("not an HTTP model"),
    }
}

fn conversation() -> Value {
    json!([
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
    ])
}

fn weather_tool() -> Value {
    json!([{"name": "weather", "description": "Current weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}])
}

/// Feeds `stream` cut at every pair of places; every split must give the same events and completion.
fn stream_every_split(model: &mut Model, options: &Value, stream: &str) -> (Vec<Value>, Value) {
    let bytes = stream.as_bytes();
    let run = |model: &mut Model, cuts: &[usize]| -> (Vec<Value>, Value) {
        let mut call = model.open(options, true).unwrap();
        model.attempt(&mut call).unwrap();
        let mut events = Vec::new();
        let mut from = 0;
        for &cut in cuts.iter().chain([bytes.len()].iter()) {
            events.extend(call.push(&bytes[from..cut]).unwrap().iter().map(|e| e.to_json_value()));
            from = cut;
        }
        let (last, completion) = call.end().unwrap();
        events.extend(last.iter().map(|e| e.to_json_value()));
        (events, completion)
    };
    let whole = run(model, &[]);
    let step = (bytes.len() / 40).max(1);
    for a in (0..=bytes.len()).step_by(step) {
        for b in (a..=bytes.len()).step_by(step.max(3)) {
            assert_eq!(run(model, &[a, b]), whole, "cuts at {a} and {b}");
        }
    }
    whole
}

#[test]
fn openai_requests_carry_every_parameter() {
    let mut m = model(
        Provider::OpenAi,
        json!({"model": "gpt-4o-mini", "apiKey": "k", "organization": "org", "headers": {"X-Trace": "1"}}),
    );
    let mut call = m
        .open(
            &json!({
                "messages": conversation(), "tools": weather_tool(), "toolChoice": {"name": "weather"}, "parallelToolCalls": false,
                "temperature": 0.5, "maxTokens": 100, "topP": 0.9, "stop": "END", "seed": 7, "presencePenalty": 0.1,
                "frequencyPenalty": -0.1, "raw": {"user": "u1", "stream_options": {"extra": true}},
                "output": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}, "name": "answer", "strict": true}
            }),
            true,
        )
        .unwrap();
    let (url, headers, body) = request(&mut m, &mut call);
    assert_eq!(url, "https://api.openai.com/v1/chat/completions");
    assert_eq!(headers["authorization"], "Bearer k");
    assert_eq!(headers["openai-organization"], "org");
    assert_eq!(headers["x-trace"], "1");
    assert_eq!(headers["accept"], "text/event-stream");
    assert_eq!(body["messages"], conversation());
    assert_eq!(
        body["tools"][0],
        json!({"type": "function", "function": {"name": "weather", "description": "Current weather", "parameters": weather_tool()[0]["parameters"]}})
    );
    assert_eq!(body["tool_choice"], json!({"type": "function", "function": {"name": "weather"}}));
    assert_eq!(body["parallel_tool_calls"], false);
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["name"], "answer");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    assert_eq!(
        // OpenAI itself takes max_completion_tokens; compatible servers get max_tokens.
        (body["temperature"].clone(), body["max_completion_tokens"].clone(), body["top_p"].clone()),
        (json!(0.5), json!(100), json!(0.9))
    );
    assert_eq!(body["stop"], json!(["END"]));
    assert_eq!(body["seed"], 7);
    assert_eq!(body["user"], "u1");
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"], json!({"include_usage": true, "extra": true}));
    // Reasoning models take max_completion_tokens.
    let mut o3 = model(Provider::OpenAi, json!({"model": "o3-mini", "apiKey": "k"}));
    let mut call = o3.open(&json!({"prompt": "hi", "maxTokens": 5}), false).unwrap();
    let (_, _, body) = request(&mut o3, &mut call);
    assert_eq!(body["max_completion_tokens"], 5);
    assert!(body.get("max_tokens").is_none() && body.get("stream").is_none());
}

#[test]
fn azure_and_compatible_servers() {
    let mut azure = model(
        Provider::OpenAi,
        json!({"model": "gpt-4o", "apiKey": "k", "baseURL": "https://r.openai.azure.com/", "azure": {"apiVersion": "2024-10-21", "deployment": "my dep"}}),
    );
    let mut call = azure.open(&json!({"prompt": "hi"}), false).unwrap();
    let (url, headers, _) = request(&mut azure, &mut call);
    assert_eq!(url, "https://r.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21");
    assert_eq!(headers["api-key"], "k");
    assert!(headers.get("authorization").is_none());
    // A local server needs no key.
    let mut ollama = model(Provider::OpenAi, json!({"model": "llama3.2", "baseURL": "http://localhost:11434/v1"}));
    let mut call = ollama.open(&json!({"prompt": "hi"}), false).unwrap();
    let (url, headers, _) = request(&mut ollama, &mut call);
    assert_eq!(url, "http://localhost:11434/v1/chat/completions");
    assert!(headers.get("authorization").is_none());
    // The default address needs one.
    let error = Model::new(Provider::OpenAi, &json!({"model": "gpt-4o"})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.message().contains("OPENAI_API_KEY"));
}

#[test]
fn options_are_checked() {
    let m = model(Provider::OpenAi, json!({"model": "m", "apiKey": "k"}));
    for (options, option) in [
        (json!({"prompt": "x", "temprature": 1}), "call.temprature"),
        (json!({"prompt": "x", "temperature": 3}), "call.temperature"),
        (json!({"prompt": "x", "tools": [{"name": "bad name"}]}), "call.tools.0"),
        (json!({"prompt": "x", "toolChoice": {"name": "nope"}}), "call.toolChoice.name"),
        (json!({"prompt": "x", "headers": {"x": "a\nb"}}), "call.headers.x"),
        (json!({}), "call.messages"),
    ] {
        let error = m.open(&options, false).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{options}");
        assert_eq!(error.details()["option"], option, "{options}");
    }
    let error = Model::new(Provider::Anthropic, &json!({"model": "m", "apiKey": "k", "retry": {"jitter": 2}})).unwrap_err();
    assert_eq!(error.details()["option"], "options.retry.jitter");
}

#[test]
fn openai_responses_and_streams() {
    let mut m = model(Provider::OpenAi, json!({"model": "gpt-4o-mini", "apiKey": "k"}));
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null, "refusal": null,
            "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Oslo\"}"}}]}}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25, "prompt_tokens_details": {"cached_tokens": 8}}
    });
    let mut call = m.open(&json!({"messages": conversation(), "tools": weather_tool()}), false).unwrap();
    m.attempt(&mut call).unwrap();
    let completion = call.response(200, &Default::default(), body.to_string().as_bytes(), 0.0).unwrap();
    assert_eq!(
        completion["toolCalls"],
        json!([{"id": "call_9", "name": "weather", "arguments": "{\"city\":\"Oslo\"}", "input": {"city": "Oslo"}}])
    );
    assert_eq!(completion["finishReason"], "tool-calls");
    assert_eq!(
        completion["usage"],
        json!({"inputTokens": 20, "outputTokens": 5, "totalTokens": 25, "cachedInputTokens": 8})
    );
    assert_eq!(completion["message"]["tool_calls"][0]["id"], "call_9");
    assert_eq!(completion["raw"], body);

    let chunk = |delta: Value, finish: Value| {
        format!(
            "data: {}\n\n",
            json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], "usage": null})
        )
    };
    let mut stream = String::from(": keep-alive\n\n");
    stream += &chunk(json!({"role": "assistant", "content": ""}), Value::Null);
    stream += &chunk(json!({"content": "Zoë 😀 "}), Value::Null);
    stream += &chunk(
        json!({"tool_calls": [{"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": ""}}]}),
        Value::Null,
    );
    stream += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":"}}]}), Value::Null);
    stream += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": "\"Rome\"}"}}]}), Value::Null);
    stream += &chunk(
        json!({"tool_calls": [{"index": 1, "id": "call_b", "type": "function", "function": {"name": "weather", "arguments": "{}"}}]}),
        Value::Null,
    );
    stream += &chunk(json!({}), json!("tool_calls"));
    stream += &format!(
        "data: {}\r\n\r\n",
        json!({"id": "c", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}})
    );
    stream += "data: [DONE]\n\n";
    let options = json!({"messages": conversation(), "tools": weather_tool()});
    let (events, completion) = stream_every_split(&mut m, &options, &stream);
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "text-delta",
            "tool-call-delta",
            "tool-call-delta",
            "tool-call-delta",
            "tool-call",
            "tool-call-delta",
            "tool-call",
            "finish"
        ]
    );
    assert_eq!(events[4]["toolCall"]["input"], json!({"city": "Rome"}));
    assert_eq!(completion["text"], "Zoë 😀 ");
    assert_eq!(completion["toolCalls"][1]["id"], "call_b");
    assert_eq!(completion["usage"]["totalTokens"], 7);
    assert_eq!(completion["finishReason"], "tool-calls");
}

#[test]
fn broken_and_malformed_streams_are_typed() {
    let mut m = model(Provider::OpenAi, json!({"model": "m", "apiKey": "k"}));
    let mut call = m.open(&json!({"prompt": "x"}), true).unwrap();
    m.attempt(&mut call).unwrap();
    call.push(b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n").unwrap();
    let error = call.end().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadResponse);
    assert_eq!(error.details()["text"], "par");
    // A retry starts from nothing.
    m.attempt(&mut call).unwrap();
    let error = call.push(b"data: {not json\n\n").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadResponse);
    m.attempt(&mut call).unwrap();
    let error = call.push(b"data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    // Errors answer a failure status whatever the stream flag.
    m.attempt(&mut call).unwrap();
    let headers = json!({"retry-after": "3", "x-request-id": "req_1"}).as_object().unwrap().clone();
    let error = call
        .response(
            429,
            &headers,
            br#"{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}"#,
            0.0,
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimit);
    assert_eq!(error.details()["retryAfter"], 3000.0);
    assert_eq!(error.details()["requestId"], "req_1");
    assert_eq!(call.retry_delay(1, &error, 0.0), Some(3000.0));
    assert_eq!(call.retry_delay(3, &error, 0.0), None);
    // An event that never ends is cut off at 16 MiB, keeping the text that came before; it is
    // not retried (the same server would send the same).
    m.attempt(&mut call).unwrap();
    call.push(b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\ndata: {\"choices\":\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    let error = (0..17).find_map(|_| call.push(&chunk).err()).expect("the limit holds");
    assert_eq!(error.kind(), ErrorKind::LimitExceeded);
    assert_eq!(error.details()["limit"], "stream_buffer");
    assert_eq!(error.details()["text"], "par");
    assert_eq!(call.retry_delay(1, &error, 0.0), None);
}

#[test]
fn anthropic_requests_responses_and_streams() {
    let mut m = model(Provider::Anthropic, json!({"model": "claude-sonnet-4-5", "apiKey": "k"}));
    let mut call = m.open(&json!({"messages": conversation(), "tools": weather_tool(), "toolChoice": "required", "topK": 5, "stop": ["X"]}), true).unwrap();
    let (url, headers, body) = request(&mut m, &mut call);
    assert_eq!(url, "https://api.anthropic.com/v1/messages");
    assert_eq!(headers["x-api-key"], "k");
    assert_eq!(headers["anthropic-version"], "2023-06-01");
    assert_eq!(body["system"], "Be brief.");
    assert_eq!(body["max_tokens"], 4096);
    assert_eq!(body["tool_choice"], json!({"type": "any"}));
    assert_eq!(body["tools"][0]["input_schema"]["required"], json!(["city"]));
    assert_eq!(body["top_k"], 5);
    assert_eq!(body["stop_sequences"], json!(["X"]));
    assert_eq!(body["messages"][1]["content"][0]["type"], "tool_use");

    let events = [
        (
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "usage": {"input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": 4}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        ("ping", json!({"type": "ping"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking ☀"}}),
        ),
        ("content_block_stop", json!({"type": "content_block_stop", "index": 0})),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {}}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"city\": \"Li"}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "ma\"}"}}),
        ),
        ("content_block_stop", json!({"type": "content_block_stop", "index": 1})),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": 30}}),
        ),
        ("message_stop", json!({"type": "message_stop"})),
    ];
    let stream: String = events.iter().map(|(name, data)| format!("event: {name}\ndata: {data}\n\n")).collect();
    let (events, completion) =
        stream_every_split(&mut m, &json!({"messages": conversation(), "tools": weather_tool()}), &stream);
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["text-delta", "tool-call-delta", "tool-call-delta", "tool-call-delta", "tool-call-delta", "tool-call", "finish"]
    );
    assert_eq!(
        completion["toolCalls"][0],
        json!({"id": "toolu_1", "name": "weather", "arguments": "{\"city\": \"Lima\"}", "input": {"city": "Lima"}})
    );
    assert_eq!(
        completion["usage"],
        json!({"inputTokens": 14, "outputTokens": 30, "totalTokens": 44, "cachedInputTokens": 4})
    );
    assert_eq!(completion["id"], "msg_1");
    assert_eq!(completion["finishReason"], "tool-calls");

    // An overloaded error in the stream is a server error.
    let mut call = m.open(&json!({"prompt": "x"}), true).unwrap();
    m.attempt(&mut call).unwrap();
    let error = call.push(b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    // No message_stop: the stream broke off.
    m.attempt(&mut call).unwrap();
    call.push(format!("event: message_start\ndata: {}\n\n", events_json_start()).as_bytes()).unwrap();
    assert_eq!(call.end().unwrap_err().kind(), ErrorKind::BadResponse);
}

fn events_json_start() -> Value {
    json!({"type": "message_start", "message": {"id": "m", "model": "c", "usage": {"input_tokens": 1, "output_tokens": 0}}})
}

#[test]
fn anthropic_structured_output_forces_a_tool() {
    let mut m = model(Provider::Anthropic, json!({"model": "claude", "apiKey": "k"}));
    let schema = json!({"type": "array", "items": {"type": "integer"}});
    let options = json!({"prompt": "primes", "output": {"schema": schema}});
    let mut call = m.open(&options, false).unwrap();
    let (_, _, body) = request(&mut m, &mut call);
    assert_eq!(body["tool_choice"], json!({"type": "tool", "name": "output"}));
    assert_eq!(
        body["tools"][0]["input_schema"],
        json!({"type": "object", "properties": {"value": schema}, "required": ["value"]})
    );
    let response = json!({"id": "msg", "type": "message", "role": "assistant", "model": "claude", "stop_reason": "tool_use",
        "content": [{"type": "tool_use", "id": "toolu", "name": "output", "input": {"value": [2, 3, 5]}}], "usage": {"input_tokens": 5, "output_tokens": 5}});
    let completion = call.response(200, &Default::default(), response.to_string().as_bytes(), 0.0).unwrap();
    assert_eq!(completion["text"], "[2,3,5]");
    assert_eq!(completion["object"], json!([2, 3, 5]));
    assert_eq!(completion["toolCalls"], json!([]));
    assert_eq!(completion["finishReason"], "stop");
    // Output that breaks the schema is a schema error that keeps the completion.
    m.attempt(&mut call).unwrap();
    let bad = json!({"content": [{"type": "tool_use", "id": "t", "name": "output", "input": {"value": ["x"]}}], "stop_reason": "tool_use"});
    let error = call.response(200, &Default::default(), bad.to_string().as_bytes(), 0.0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Schema);
    assert_eq!(error.details()["completion"]["text"], "[\"x\"]");
}

#[test]
fn gemini_requests_responses_and_streams() {
    let mut m = model(Provider::Gemini, json!({"model": "gemini-2.5-flash", "apiKey": "k"}));
    let options = json!({"messages": conversation(), "tools": weather_tool(), "toolChoice": {"name": "weather"}, "maxTokens": 50,
        "output": "json", "temperature": 1.5, "seed": 3});
    let mut call = m.open(&options, true).unwrap();
    let (url, headers, body) = request(&mut m, &mut call);
    assert_eq!(
        url,
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    );
    assert_eq!(headers["x-goog-api-key"], "k");
    assert_eq!(body["systemInstruction"], json!({"parts": [{"text": "Be brief."}]}));
    assert_eq!(
        body["tools"][0]["functionDeclarations"][0]["parameters"],
        json!({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}})
    );
    assert_eq!(body["toolConfig"], json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["weather"]}}));
    assert_eq!(
        body["generationConfig"],
        json!({"temperature": 1.5, "maxOutputTokens": 50, "seed": 3, "responseMimeType": "application/json"})
    );
    assert_eq!(body["contents"][1]["parts"][0]["functionCall"], json!({"name": "weather", "args": {"city": "Paris"}}));

    let chunk = |parts: Value, finish: Option<&str>, usage: Value| {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        if let Some(finish) = finish {
            candidate["finishReason"] = finish.into();
        }
        format!(
            "data: {}\r\n\r\n",
            json!({"candidates": [candidate], "usageMetadata": usage, "modelVersion": "gemini-2.5-flash", "responseId": "r1"})
        )
    };
    let mut stream = chunk(json!([{"text": "thinking", "thought": true}]), None, json!({"promptTokenCount": 9}));
    stream += &chunk(json!([{"text": "{\"a\":"}]), None, json!({"promptTokenCount": 9}));
    stream += &chunk(
        json!([{"text": "1}"}, {"functionCall": {"name": "weather", "args": {"city": "Bern"}}}]),
        Some("STOP"),
        json!({"promptTokenCount": 9, "candidatesTokenCount": 6, "thoughtsTokenCount": 2, "totalTokenCount": 17}),
    );
    let (events, completion) = stream_every_split(&mut m, &options, &stream);
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["reasoning-delta", "text-delta", "text-delta", "tool-call-delta", "tool-call", "finish"]);
    assert_eq!(completion["toolCalls"][0]["id"], "call_0");
    assert_eq!(completion["finishReason"], "tool-calls");
    assert_eq!(completion["usage"], json!({"inputTokens": 9, "outputTokens": 8, "totalTokens": 17, "reasoningTokens": 2}));
    assert_eq!(completion["reasoning"], "thinking");

    // A blocked prompt is a content_filter error.
    let mut call = m.open(&json!({"prompt": "x"}), false).unwrap();
    m.attempt(&mut call).unwrap();
    let blocked = json!({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 3}});
    let error = call.response(200, &Default::default(), blocked.to_string().as_bytes(), 0.0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ContentFilter);
    // A stream that never sent a finish reason broke off.
    let mut call = m.open(&json!({"prompt": "x"}), true).unwrap();
    m.attempt(&mut call).unwrap();
    call.push(chunk(json!([{"text": "par"}]), None, json!({})).as_bytes()).unwrap();
    assert_eq!(call.end().unwrap_err().kind(), ErrorKind::BadResponse);
}

#[test]
fn scripted_models_replay_and_record() {
    let mut m = model(
        Provider::Scripted,
        json!({"responses": [
            "Hello there, world",
            {"toolCalls": [{"name": "weather", "input": {"city": "Oslo"}}]},
            {"error": {"code": "rate_limit", "retryAfter": 20}},
            {"chunks": ["a", "b"], "error": {"code": "network", "message": "reset"}},
            {"object": {"n": 1}, "usage": {"inputTokens": 1, "outputTokens": 2}, "delay": 5}
        ]}),
    );
    let mut call = m.open(&json!({"prompt": "hi there"}), false).unwrap();
    assert!(matches!(m.attempt(&mut call).unwrap(), Attempt::Scripted { delay_ms } if delay_ms == 0.0));
    let completion = call.scripted().unwrap();
    assert_eq!(completion["text"], "Hello there, world");
    assert_eq!(completion["usage"]["inputTokens"], 2);
    assert_eq!(completion["usage"]["outputTokens"], 5);

    let mut call = m.open(&json!({"prompt": "weather?", "tools": weather_tool()}), true).unwrap();
    m.attempt(&mut call).unwrap();
    let steps = call.scripted_steps().unwrap();
    let (_, completion) = call.end().unwrap();
    assert_eq!(steps[0]["events"][1]["type"], "tool-call");
    assert_eq!(completion["toolCalls"][0]["id"], "call_1");
    assert_eq!(completion["finishReason"], "tool-calls");

    let mut call = m.open(&json!({"prompt": "x"}), false).unwrap();
    m.attempt(&mut call).unwrap();
    let error = call.scripted().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimit);
    assert_eq!(call.retry_delay(1, &error, 0.5), Some(20.0));

    let mut call = m.open(&json!({"prompt": "x"}), true).unwrap();
    m.attempt(&mut call).unwrap();
    let steps = call.scripted_steps().unwrap();
    assert_eq!(steps.as_array().unwrap().len(), 2);
    assert_eq!(steps[1]["error"]["code"], "network");

    let mut call = m.open(&json!({"prompt": "x", "output": {"schema": {"type": "object"}}}), false).unwrap();
    assert!(matches!(m.attempt(&mut call).unwrap(), Attempt::Scripted { delay_ms } if delay_ms == 5.0));
    assert_eq!(call.scripted().unwrap()["object"], json!({"n": 1}));

    let error = m.attempt(&mut call).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let calls: Value = serde_json::from_str(&m.calls_json()).unwrap();
    assert_eq!(calls.as_array().unwrap().len(), 6);
    assert_eq!(calls[1]["tools"][0]["name"], "weather");
    assert_eq!(calls[0]["messages"], json!([{"role": "user", "content": "hi there"}]));
}

#[test]
fn rate_limits_queue_requests() {
    let mut m = model(Provider::Scripted, json!({"responses": [], "rateLimit": {"requests": 2, "interval": 1000}}));
    let waits: Vec<f64> = (0..4).map(|_| m.reserve(0.0)).collect();
    assert_eq!(waits, [0.0, 0.0, 500.0, 1000.0]);
}

#[test]
fn review_regressions() {
    // Tool options without tools are not sent (OpenAI answers 400), with a warning.
    let mut m = model(Provider::OpenAi, json!({"model": "m", "apiKey": "k", "baseURL": "http://localhost:1/v1"}));
    let mut call =
        m.open(&json!({"prompt": "x", "toolChoice": "auto", "parallelToolCalls": false, "maxTokens": 3}), false).unwrap();
    let (_, _, body) = request(&mut m, &mut call);
    assert!(body.get("tool_choice").is_none() && body.get("parallel_tool_calls").is_none());
    assert_eq!(body["max_tokens"], 3);
    assert!(call.info_json().contains("need tools"));
    // With n > 1 only choice 0 is the answer; events before an error in the same read come first.
    m.attempt(&mut call).unwrap();
    let chunk =
        |index: u64, text: &str| format!("data: {}\n\n", json!({"choices": [{"index": index, "delta": {"content": text}}]}));
    let stream = format!(
        "{}{}data: {{\"error\": {{\"message\": \"boom\", \"type\": \"server_error\"}}}}\n\n",
        chunk(0, "a"),
        chunk(1, "b")
    );
    let mut call = m.open(&json!({"prompt": "x"}), true).unwrap();
    m.attempt(&mut call).unwrap();
    let events = call.push(stream.as_bytes()).unwrap();
    assert_eq!(events.iter().map(|e| e.to_json_value()["text"].clone()).collect::<Vec<_>>(), [json!("a")]);
    assert_eq!(call.end().unwrap_err().kind(), ErrorKind::Server);
    // Header values an HTTP client cannot send are refused up front.
    let error = Model::new(Provider::OpenAi, &json!({"model": "m", "apiKey": "sk-abc\n"})).unwrap_err();
    assert_eq!(error.details()["option"], "options.apiKey");
    // Gemini: a string const gets its type; a numeric enum is left out.
    let schema = json!({"type": "object", "properties": {"kind": {"const": "a"}, "n": {"type": "integer", "enum": [1, 2]}}});
    assert_eq!(
        bridle::model::gemini::gemini_schema(&schema).unwrap()["properties"],
        json!({"kind": {"enum": ["a"], "type": "string"}, "n": {"type": "integer"}})
    );
    // Anthropic: structured output cut off by max_tokens stays 'length'.
    let mut a = model(Provider::Anthropic, json!({"model": "c", "apiKey": "k"}));
    let mut call = a.open(&json!({"prompt": "x", "output": "json"}), false).unwrap();
    a.attempt(&mut call).unwrap();
    let cut = json!({"content": [{"type": "tool_use", "id": "t", "name": "output", "input": {"a": 1}}], "stop_reason": "max_tokens"});
    let completion = call.response(200, &Default::default(), cut.to_string().as_bytes(), 0.0).unwrap();
    assert_eq!(completion["finishReason"], "length");
}
