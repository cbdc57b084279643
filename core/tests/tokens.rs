//! The tokenizer against token ids from OpenAI's tiktoken (`tests/vectors/tokens.json`, made by
//! `tests/tokens/make-vectors.mjs` with the `tiktoken` npm package), with the rank tables that
//! package ships (`node_modules/tiktoken/encoders/*.json`, installed by scripts/setup.sh).

use bridle::tokens::{SpecialPolicy, Specials, Tokenizer};
use bridle::ErrorKind;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

const ENCODINGS: [&str; 4] = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tokenizer(name: &str) -> &'static Tokenizer {
    static CACHE: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        ENCODINGS
            .iter()
            .map(|name| {
                let path = root().join(format!("node_modules/tiktoken/encoders/{name}.json"));
                let table =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup.sh)", path.display()));
                Tokenizer::load(&table, Some(name)).unwrap()
            })
            .collect()
    });
    &all[ENCODINGS.iter().position(|n| *n == name).unwrap()]
}

#[test]
fn token_ids_match_tiktoken_on_the_vectors() {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/vectors/tokens.json")).unwrap()).unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for case in vectors["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        for name in ENCODINGS {
            let want: Vec<u32> = case["ids"][name].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
            let tokenizer = tokenizer(name);
            let got = tokenizer.encode(text, &SpecialPolicy::all()).unwrap();
            if got != want {
                wrong.push(format!("{name} {text:?}: {got:?} != {want:?}"));
            }
            assert_eq!(tokenizer.count(text, &SpecialPolicy::all()).unwrap(), want.len(), "{name} count {text:?}");
            assert_eq!(tokenizer.decode(&got).unwrap(), text, "{name} round trip");
            checked += 1;
        }
    }
    println!("tokens vectors: {}/{checked} identical to tiktoken", checked - wrong.len());
    assert!(wrong.is_empty(), "{} differ:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn special_tokens_follow_tiktoken_policy() {
    let t = tokenizer("cl100k_base");
    let text = "a <|endoftext|> b";
    let error = t.encode(text, &SpecialPolicy::strict()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::SpecialToken);
    assert_eq!(error.details()["token"], "<|endoftext|>");
    assert_eq!(error.details()["offset"], 2);
    let allowed = t.encode(text, &SpecialPolicy::all()).unwrap();
    assert!(allowed.contains(&100257));
    let ordinary = t.encode(text, &SpecialPolicy::ordinary()).unwrap();
    assert!(!ordinary.contains(&100257));
    assert_eq!(t.decode(&ordinary).unwrap(), text);
    // Allowing one and not the other: the other is still refused.
    let only_eot = SpecialPolicy { allowed: Specials::Some(vec!["<|endoftext|>".into()]), disallowed: Specials::All };
    assert!(t.encode("<|endoftext|><|fim_prefix|>", &only_eot).is_err());
    assert_eq!(t.encode("<|endoftext|>", &only_eot).unwrap(), vec![100257]);
    let unknown = SpecialPolicy { allowed: Specials::Some(vec!["<|nope|>".into()]), disallowed: Specials::All };
    assert_eq!(t.encode("x", &unknown).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn decoding_refuses_unknown_ids_and_replaces_split_characters() {
    let t = tokenizer("o200k_base");
    assert_eq!(t.decode(&[u32::MAX]).unwrap_err().kind(), ErrorKind::InvalidArgument);
    let ids = t.encode("🇫🇷", &SpecialPolicy::strict()).unwrap();
    assert!(ids.len() > 1);
    assert!(t.decode(&ids[..1]).unwrap().contains('\u{FFFD}'));
    assert_eq!(t.decode(&[199999]).unwrap(), "<|endoftext|>");
}

#[test]
fn the_wrong_table_for_an_encoding_is_refused() {
    let table = std::fs::read(root().join("node_modules/tiktoken/encoders/r50k_base.json")).unwrap();
    let error = Tokenizer::load(&table, Some("cl100k_base")).err().unwrap();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert_eq!(Tokenizer::load(&table, None).unwrap().encoding().name(), "r50k_base");
    assert_eq!(Tokenizer::load(&table, Some("nope")).err().unwrap().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn long_runs_without_split_points_encode_in_near_linear_time() {
    // One piece of 1 MB: the heap merge; quadratic merging would take minutes.
    let t = tokenizer("cl100k_base");
    for (text, what) in [("a".repeat(1 << 20), "letters"), (" ".repeat(1 << 20), "spaces"), ("ab".repeat(1 << 19), "pairs")]
    {
        let start = std::time::Instant::now();
        let ids = t.encode(&text, &SpecialPolicy::strict()).unwrap();
        assert_eq!(t.decode(&ids).unwrap(), text);
        println!("1 MiB of {what}: {} tokens in {:?}", ids.len(), start.elapsed());
    }
    // The same text through r50k (digits have no length limit there).
    let digits = "7".repeat(1 << 20);
    let ids = tokenizer("r50k_base").encode(&digits, &SpecialPolicy::strict()).unwrap();
    assert_eq!(tokenizer("r50k_base").decode(&ids).unwrap(), digits);
}

#[test]
fn the_estimate_stays_near_exact_o200k_counts() {
    use bridle::tokens::estimate::estimate_text;
    let t = tokenizer("o200k_base");
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/vectors/tokens.json")).unwrap()).unwrap();
    let prose = "The quick brown fox jumps over the lazy dog. Retrieval-augmented generation grounds a model's answer in documents fetched at query time; the prompt carries the passages, and the model cites them. ".repeat(20);
    let code =
        "fn main() {\n    let values: Vec<u32> = (0..10).map(|x| x * 2).collect();\n    println!(\"{:?}\", values);\n}\n"
            .repeat(20);
    let mut samples: Vec<(String, String)> = vec![("prose".into(), prose), ("code".into(), code)];
    for case in vectors["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        if text.len() > 40 {
            samples.push((format!("{:.20}", text), text.to_string()));
        }
    }
    let (mut exact_total, mut estimate_total) = (0usize, 0usize);
    for (name, text) in &samples {
        let exact = t.count(text, &SpecialPolicy::ordinary()).unwrap();
        let estimate = estimate_text(text);
        exact_total += exact;
        estimate_total += estimate;
        let error = (estimate as f64 - exact as f64) / exact.max(1) as f64;
        println!("estimate {name:?}: {estimate} vs {exact} exact ({:+.1} %)", error * 100.0);
        if exact >= 100 {
            assert!(error.abs() < 0.25, "{name}: estimate {estimate} vs exact {exact}");
        }
    }
    let error = (estimate_total as f64 - exact_total as f64) / exact_total as f64;
    println!("estimate overall: {estimate_total} vs {exact_total} exact ({:+.1} %)", error * 100.0);
    assert!(error.abs() < 0.1);
}

/// Renders the packer's values as a chat request the way a chat prompt would, and counts it.
fn render_chat(values: &serde_json::Map<String, Value>) -> Vec<bridle::chat::message::Message> {
    use bridle::chat::message::Message;
    let mut messages = vec![Message::system(format!(
        "Answer from the documents.\n\n{}",
        values["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("[{}] {}", d["id"], d["text"].as_str().unwrap()))
            .collect::<Vec<_>>()
            .join("\n\n")
    ))];
    for list in ["examples", "history"] {
        for message in values[list].as_array().unwrap() {
            messages.push(Message::from_openai(message).unwrap());
        }
    }
    messages.push(Message::user(values["question"].as_str().unwrap()));
    messages
}

#[test]
fn packing_trims_by_priority_until_the_exact_count_fits() {
    use bridle::tokens::budget::{PackSpec, Packer};
    use bridle::tokens::{count_messages, Counter};
    use serde_json::json;
    let t = std::sync::Arc::new(
        Tokenizer::load(&std::fs::read(root().join("node_modules/tiktoken/encoders/o200k_base.json")).unwrap(), None)
            .unwrap(),
    );
    let counter = Counter::Exact(t);
    let sentence = |i: usize| format!("Fact {i} says that the river rises in spring and falls in autumn. ");
    let documents: Vec<Value> =
        (0..6).map(|d| json!({"id": d, "text": (0..8).map(|s| sentence(d * 10 + s)).collect::<String>()})).collect();
    let history: Vec<Value> = (0..6)
        .flat_map(|turn| {
            [
                json!({"role": "user", "content": format!("Question {turn}?")}),
                json!({"role": "assistant", "content": format!("Answer {turn}, at some length to cost tokens.")}),
            ]
        })
        .collect();
    let examples: Vec<Value> = (0..4)
        .flat_map(|i| {
            [
                json!({"role": "user", "content": format!("Example question {i}")}),
                json!({"role": "assistant", "content": format!("Example answer {i}")}),
            ]
        })
        .collect();
    let spec = |max: usize| {
        PackSpec::from_json(&json!({
            "maxTokens": max, "reserve": 100,
            "sections": [
                {"name": "examples", "value": examples, "trim": "drop-last", "priority": 1},
                {"name": "documents", "value": documents, "trim": "truncate", "priority": 2, "keep": 1, "minTokens": 20},
                {"name": "history", "value": history, "trim": "drop-oldest", "priority": 3, "keep": 1},
                {"name": "question", "value": "What happens in spring?"},
            ]
        }))
        .unwrap()
    };
    let full = count_messages(&counter, &render_chat(&Packer::new(spec(100_000), counter.clone()).unwrap().values())).tokens;
    for max in [100_000, full + 100, full + 99, full - 50, 900, 600, 400, 250, 120] {
        let mut packer = Packer::new(spec(max), counter.clone()).unwrap();
        let mut messages;
        loop {
            messages = render_chat(&packer.values());
            if packer.observe(count_messages(&counter, &messages).tokens) {
                break;
            }
        }
        let report = packer.report();
        let tokens = count_messages(&counter, &messages).tokens;
        assert_eq!(report["tokens"], tokens, "the report's count is the exact count of the output");
        let values = packer.values();
        println!(
            "max {max}: {tokens} tokens, fits {}, {} cuts, {} rounds",
            report["fits"],
            report["trimmed"].as_array().unwrap().len(),
            report["rounds"]
        );
        if report["fits"] == true {
            assert!(tokens <= max - 100);
        } else {
            // Only when everything trimmable is gone.
            assert_eq!(values["examples"].as_array().unwrap().len(), 0);
            assert_eq!(values["documents"].as_array().unwrap().len(), 1);
            assert_eq!(values["history"].as_array().unwrap().len(), 2, "the newest turn is kept");
        }
        // Lower priorities go first: history is only cut once examples are all gone.
        let cuts = report["trimmed"].as_array().unwrap();
        if cuts.iter().any(|c| c["section"] == "history") {
            assert_eq!(values["examples"].as_array().unwrap().len(), 0);
        }
        // History goes a turn at a time and keeps user/assistant pairs.
        assert_eq!(values["history"].as_array().unwrap().len() % 2, 0);
        assert_eq!(values["examples"].as_array().unwrap().len() % 2, 0);
        // Truncated documents end at a sentence.
        for doc in values["documents"].as_array().unwrap() {
            assert!(doc["text"].as_str().unwrap().trim_end().ends_with('.'));
        }
        if max >= full + 100 {
            assert!(cuts.is_empty());
        }
    }
}

#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn load_time() {
    let table = std::fs::read(root().join("node_modules/tiktoken/encoders/o200k_base.json")).unwrap();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let ranks = bridle::tokens::Ranks::parse(&table).unwrap();
        let parsed = start.elapsed();
        let t = Tokenizer::new(bridle::tokens::Encoding::O200kBase, ranks).unwrap();
        println!("o200k: parse+table {parsed:?}, total {:?} ({})", start.elapsed(), t.vocab_size());
    }
}
