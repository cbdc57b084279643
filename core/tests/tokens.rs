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
