//! The incremental JSON parser against serde_json: for generated documents and random
//! chunkings, applying the operations gives exactly the parsed value; every intermediate value
//! is a monotonic prefix of the final one; every prefix of a document parses without error
//! (and `end` on a strict prefix is a `json_parse` error, never a panic).

use bridle::parse::json_stream::{JsonStream, StreamOptions};
use bridle::ErrorKind;
mod common;

use common::{gen_value, serialise, Rng};
use serde_json::Value;

/// Applies the operation lists of `take_ops` to a value, as the JavaScript facade does.
#[derive(Default)]
struct Live {
    root: Option<Value>,
    path: Vec<Value>,
}

impl Live {
    fn container(&mut self) -> &mut Value {
        let mut at = self.root.as_mut().expect("root");
        for key in &self.path {
            at = match key {
                Value::String(name) => at.get_mut(name.as_str()).expect("member"),
                Value::Number(index) => at.get_mut(index.as_u64().unwrap() as usize).expect("element"),
                _ => unreachable!(),
            };
        }
        at
    }

    fn slot(&mut self, key: &Value) -> &mut Value {
        if key.is_null() {
            return self.root.get_or_insert(Value::Null);
        }
        match (self.container(), key) {
            (Value::Object(map), Value::String(name)) => map.entry(name.clone()).or_insert(Value::Null),
            (Value::Array(items), Value::Number(index)) => {
                let index = index.as_u64().unwrap() as usize;
                assert!(index <= items.len(), "indexes arrive in order");
                if index == items.len() {
                    items.push(Value::Null);
                }
                &mut items[index]
            }
            (container, key) => panic!("key {key} does not fit {container}"),
        }
    }

    fn apply(&mut self, ops: &str) {
        let ops: Vec<Value> = serde_json::from_str(ops).unwrap_or_else(|e| panic!("ops are JSON ({e}): {ops}"));
        let mut i = 0;
        while i < ops.len() {
            match ops[i].as_u64().unwrap() {
                0 => {
                    *self.slot(&ops[i + 1]) = ops[i + 2].clone();
                    i += 3;
                }
                1 => {
                    let key = ops[i + 1].clone();
                    *self.slot(&key) = ops[i + 2].clone();
                    if !key.is_null() {
                        self.path.push(key);
                    }
                    i += 3;
                }
                2 => {
                    self.path.pop();
                    i += 1;
                }
                3 => {
                    let text = ops[i + 2].as_str().unwrap().to_owned();
                    match self.slot(&ops[i + 1]) {
                        Value::String(s) => s.push_str(&text),
                        other => panic!("append to {other}"),
                    }
                    i += 3;
                }
                code => panic!("unknown op {code}"),
            }
        }
    }
}

/// Checks that `partial` could grow into `full`.
fn assert_prefix(partial: &Value, full: &Value, text: &str) {
    match (partial, full) {
        (Value::String(p), Value::String(f)) => {
            assert!(f.starts_with(p.as_str()), "string {p:?} is not a prefix of {f:?} in {text}")
        }
        (Value::Array(p), Value::Array(f)) => {
            assert!(p.len() <= f.len(), "{text}");
            p.iter().zip(f).for_each(|(p, f)| assert_prefix(p, f, text));
        }
        (Value::Object(p), Value::Object(f)) => {
            for (key, value) in p {
                assert_prefix(
                    value,
                    f.get(key).unwrap_or_else(|| panic!("member {key:?} not in the final value: {text}")),
                    text,
                );
            }
        }
        (p, f) => assert_eq!(p, f, "scalar shown before it was final, in {text}"),
    }
}

fn run(text: &str, cuts: &[usize], bytes: bool, options: StreamOptions) -> Value {
    let expected: Value = serde_json::from_str(text).unwrap();
    let mut stream = JsonStream::new(options);
    let mut live = Live::default();
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
        if bytes {
            stream.push_bytes(&text.as_bytes()[from..cut]).unwrap();
        } else {
            stream.push_str(&text[from..cut]).unwrap();
        }
        from = cut;
        live.apply(&stream.take_ops());
        if let Some(value) = &live.root {
            assert_prefix(value, &expected, text);
        }
    }
    stream.end().unwrap_or_else(|e| panic!("{e} in {text}"));
    live.apply(&stream.take_ops());
    assert!(live.path.is_empty());
    live.root.unwrap()
}

fn cuts(rng: &mut Rng, text: &str, chars: bool) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..rng.below(12)).map(|_| rng.below(text.len() as u64 + 1) as usize).collect();
    if chars {
        cuts.retain(|&c| text.is_char_boundary(c));
    }
    cuts.sort_unstable();
    cuts
}

#[test]
fn any_chunking_gives_the_parsed_value() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut checked = 0;
    for _ in 0..3000 {
        let value = gen_value(&mut rng, 0);
        let text = serialise(&value, &mut rng);
        let expected: Value = serde_json::from_str(&text).unwrap();
        let by_bytes = cuts(&mut rng, &text, false);
        assert_eq!(run(&text, &by_bytes, true, StreamOptions::default()), expected, "{text} cut at {by_bytes:?}");
        let by_chars = cuts(&mut rng, &text, true);
        assert_eq!(run(&text, &by_chars, false, StreamOptions::default()), expected, "{text} cut at {by_chars:?}");
        let whole = StreamOptions { partial_strings: false, partial_containers: false, ..StreamOptions::default() };
        assert_eq!(run(&text, &by_chars, false, whole), expected, "{text} with nothing partial");
        checked += 3;
    }
    println!("json stream: {checked} chunked parses equal serde_json");
}

#[test]
fn every_byte_boundary_of_a_tricky_document() {
    let text = r#"{"a\"b": ["x\u00e9\ud83d\ude80y", -0.5e-3, true, null, {"": []}], "漢字": "\\\/\b\f\n\r\t", "n": 120}"#;
    let expected: Value = serde_json::from_str(text).unwrap();
    for cut in 0..=text.len() {
        assert_eq!(run(text, &[cut], true, StreamOptions::default()), expected, "cut at {cut}");
        for second in cut..=text.len() {
            assert_eq!(run(text, &[cut, second], true, StreamOptions::default()), expected);
        }
    }
}

#[test]
fn every_prefix_parses_and_end_reports_incomplete() {
    let mut rng = Rng(77);
    for _ in 0..300 {
        let text = serialise(&gen_value(&mut rng, 0), &mut rng);
        for cut in (0..text.len()).filter(|&c| text.is_char_boundary(c)) {
            let mut stream = JsonStream::new(StreamOptions::default());
            stream.push_str(&text[..cut]).unwrap_or_else(|e| panic!("prefix {:?}: {e}", &text[..cut]));
            let _ = stream.take_ops();
            if let Err(error) = stream.end() {
                assert_eq!(error.kind(), ErrorKind::JsonParse);
            }
        }
    }
}

#[test]
fn a_high_surrogate_escape_waits_for_its_pair() {
    let mut stream = JsonStream::new(StreamOptions::default());
    stream.push_str(r#"["ab\ud83d"#).unwrap();
    assert_eq!(stream.take_ops(), r#"[1,null,[],0,0,"ab"]"#);
    stream.push_str(r#"\ude80"]"#).unwrap();
    assert_eq!(stream.take_ops(), r#"[3,0,"\ud83d\ude80",2]"#);
}

#[test]
fn errors_have_positions_across_chunks() {
    let mut stream = JsonStream::new(StreamOptions::default());
    stream.push_str("{\n  \"a\": 1,\n").unwrap();
    let error = stream.push_str("  \"b\" 2}").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::JsonParse);
    let at = error.location().unwrap();
    assert_eq!((at.line, at.column, at.offset), (3, 7, 18));
    assert_eq!(error.details()["found"], "2");
    // The stream stays failed with the same error; the ops before it remain valid.
    assert_eq!(stream.take_ops(), r#"[1,null,{},0,"a",1]"#);
    assert_eq!(stream.push_str("}").unwrap_err().location(), Some(at));
}

#[test]
fn rejects_what_json_parse_rejects() {
    for bad in [
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[1e]",
        "[+1]",
        "{'a':1}",
        "{\"a\" 1}",
        "[1,]",
        "{\"a\":1,}",
        "[tru]",
        "\"\u{1}\"",
        "\"\\x\"",
        "\"\\u12g4\"",
        "[1] 2",
        "{,}",
        "[,1]",
        "nul1",
        "[1 2]",
    ] {
        let mut stream = JsonStream::new(StreamOptions::default());
        let result = stream.push_str(bad).and_then(|_| stream.end());
        assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad} is valid JSON");
        let error = result.expect_err(bad);
        assert_eq!(error.kind(), ErrorKind::JsonParse, "{bad}");
    }
}

#[test]
fn extract_skips_prose_and_fences() {
    let mut stream = JsonStream::new(StreamOptions { extract: true, ..StreamOptions::default() });
    let mut live = Live::default();
    for chunk in ["Sure! Here it is:\n```js", "on\n{\"ok\": tr", "ue, \"list\": [1, 2]}\n```\nAnything else?"] {
        stream.push_str(chunk).unwrap();
        live.apply(&stream.take_ops());
    }
    stream.end().unwrap();
    assert_eq!(live.root.unwrap(), serde_json::json!({"ok": true, "list": [1, 2]}));
    let mut none = JsonStream::new(StreamOptions { extract: true, ..StreamOptions::default() });
    none.push_str("no json here").unwrap();
    assert_eq!(none.end().unwrap_err().kind(), ErrorKind::JsonParse);
}

#[test]
fn depth_is_limited_without_recursion() {
    let mut stream = JsonStream::new(StreamOptions { max_depth: 100, ..StreamOptions::default() });
    let error = stream.push_str(&"[".repeat(101)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::LimitExceeded);
    // Deep but within the limit is fine and cheap.
    let mut deep = JsonStream::new(StreamOptions::default());
    deep.push_str(&"[".repeat(5000)).unwrap();
    deep.push_str(&"]".repeat(5000)).unwrap();
    deep.end().unwrap();
}

#[test]
fn text_read_is_limited_and_what_came_before_is_kept() {
    let options = StreamOptions { max_bytes: 16, ..StreamOptions::default() };
    // One chunk past the limit: the part that fits is parsed and reported, then the error.
    let mut stream = JsonStream::new(options.clone());
    let error = stream.push_str(r#"{"a":1,"b":"xxxxxxxxxxxxxx"}"#).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::LimitExceeded);
    assert_eq!(error.details().get("limit").and_then(Value::as_str), Some("stream_bytes"));
    assert_eq!(error.location().map(|l| l.offset), Some(16));
    assert_eq!(stream.take_ops(), r#"[1,null,{},0,"a",1,0,"b","xxxx"]"#);
    assert_eq!(stream.push_str("}").unwrap_err().kind(), ErrorKind::LimitExceeded);
    // Many small chunks reach the same limit; a multi-byte character is not split.
    let mut stream = JsonStream::new(options.clone());
    stream.push_str(r#"["ééééééé"#).unwrap();
    assert_eq!(stream.push_str("é").unwrap_err().kind(), ErrorKind::LimitExceeded);
    // A value that completes within the limit may be followed by ignored text (extract).
    let mut stream = JsonStream::new(StreamOptions { extract: true, ..options });
    stream.push_str(r#"{"a":[1,2]} and then a long tail of prose"#).unwrap();
    stream.end().unwrap();
    assert_eq!(StreamOptions::from_json(r#"{"maxBytes":5}"#).unwrap().max_bytes, 5);
    assert_eq!(StreamOptions::from_json(r#"{"maxBytes":0}"#).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn root_scalars() {
    for (text, ops) in
        [("42", "[0,null,42]"), ("\"hi\"", r#"[0,null,"hi"]"#), (" null ", "[0,null,null]"), ("-1.5e3", "[0,null,-1.5e3]")]
    {
        let mut stream = JsonStream::new(StreamOptions::default());
        stream.push_str(text).unwrap();
        stream.end().unwrap();
        assert_eq!(stream.take_ops(), ops, "{text}");
    }
}

#[test]
fn garbage_never_panics_and_errors_are_typed() {
    let mut rng = Rng(0xBAD5EED);
    const ALPHABET: &[u8] = b"{}[]:,\"\\/ \n\t0123456789.eE+-truefalsnul\\u00e9\xc3\xa9\xf0\x9f\x9a\x80\x80\xff";
    for _ in 0..20_000 {
        let len = rng.below(40) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize]).collect();
        let extract = rng.below(4) == 0;
        let mut stream = JsonStream::new(StreamOptions { extract, max_depth: 8, ..StreamOptions::default() });
        let mut from = 0;
        let mut result = Ok(());
        for cut in [rng.below(len as u64 + 1) as usize, len] {
            let cut = cut.max(from);
            result = result.and_then(|_| stream.push_bytes(&bytes[from..cut]));
            from = cut;
        }
        let result = result.and_then(|_| stream.end());
        let ops = stream.take_ops();
        // Ops are JSON (serde_json refuses lone surrogate escapes and numbers past f64, which
        // JSON.parse, the real reader of ops, takes).
        if let Err(e) = serde_json::from_str::<Value>(&ops) {
            assert!(ops.contains("\\u") || e.to_string().contains("out of range"), "ops are not JSON ({e}): {ops}");
        }
        if let Err(error) = result {
            assert!(matches!(error.kind(), ErrorKind::JsonParse | ErrorKind::LimitExceeded), "{error} for {bytes:?}");
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for outcome in
                [bridle::parse::repair::repair_json(text).map(|_| ()), bridle::parse::repair::extract_json(text).map(|_| ())]
            {
                if let Err(error) = outcome {
                    assert!(matches!(error.kind(), ErrorKind::JsonParse | ErrorKind::LimitExceeded), "{error} for {text:?}");
                }
            }
        }
    }
}
