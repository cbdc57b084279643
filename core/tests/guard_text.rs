//! Text rules: the shared vectors, a no-panic fuzz, linear-time checks and a W5 benchmark.

#[path = "common/guard_vectors.rs"]
mod vectors;

use bridle::guard::text::{OutputScanner, TextScanner};
use bridle::guard::Scanner;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn text_vectors() {
    vectors::run("text", |options| Ok(Box::new(TextScanner::from_options(options)?)));
}

/// A small seeded generator (xorshift), so failures reproduce.
#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const PIECES: &[&str] = &[
    "a",
    "A",
    "é",
    "e\u{301}",
    "ß",
    "SS",
    "ς",
    "Σ",
    "ﬁ",
    "Ｓ",
    "’",
    "\u{301}",
    " ",
    "\n",
    "_",
    "-",
    "top",
    "secret",
    "TOP SECRET",
    "机密",
    "Привет",
    "ё",
    "İ",
    "ǅ",
    "\u{200B}",
    "😀",
    "(",
    ")",
    "a+",
    "PRJ-",
    "1234",
    "\u{E0041}",
    "\u{FFFD}",
    "x",
    "Ὀ",
];

fn random_text(rng: &mut Rng, max: usize) -> String {
    let mut text = String::new();
    let len = rng.below(max);
    match rng.below(3) {
        0 => {
            for _ in 0..len {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
        }
        1 => {
            for _ in 0..len {
                text.push((b' ' + rng.below(95) as u8) as char);
            }
        }
        _ => {
            for _ in 0..len {
                let c = char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('?');
                text.push(c);
            }
        }
    }
    text
}

fn check_spans(scanner: &dyn Scanner, text: &str) {
    let mut found = Vec::new();
    scanner.scan(text, &mut found);
    for f in &found {
        assert!(f.start <= f.end && f.end <= text.len(), "{f:?} in {text:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?} in {text:?}");
        assert!(f.start < f.end || (f.kind == "TOO_SHORT" && text.is_empty()), "{f:?} in {text:?}");
    }
    let pending = scanner.pending_from(text);
    assert!(pending <= text.len() && text.is_char_boundary(pending));
}

#[test]
fn fuzz_no_panic() {
    let text = TextScanner::from_options(&json!({
        "banned": ["top secret", "ss", "ß", "é", "cafe", "C++", {"terms": ["Σοφός", "ﬁne"], "caseSensitive": true, "foldAccents": false}],
        "terms": [{"kind": "PERSON", "values": ["İstanbul", "Ὀδυσσεύς", "a a a"]}],
        "regex": [r"PRJ-\d+", "(a+)+$", {"pattern": "^.$", "flags": "ms"}],
        "maxChars": 40, "maxBytes": 50, "maxLines": 2, "minChars": 3, "scripts": ["Latin", "Greek"],
    }))
    .unwrap();
    let output = OutputScanner::from_options(&json!({
        "refusal": true, "canaries": ["bridle-canary-0011223344556677"],
        "urls": {"allow": ["example.com", "*.ok.org"]},
    }))
    .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let sample = random_text(&mut rng, 60);
        check_spans(&text, &sample);
        check_spans(&output, &sample);
    }
}

fn time(scanner: &dyn Scanner, text: &str) -> Duration {
    let started = Instant::now();
    let mut found = Vec::new();
    scanner.scan(text, &mut found);
    started.elapsed()
}

#[test]
fn redos_patterns_are_linear() {
    // Classic catastrophic-backtracking patterns over 100 KB of adversarial input.
    let scanner = TextScanner::from_options(&json!({"regex": ["(a+)+$", "(a|aa)+$", "(.*a){20}x", "^(a|a?)+b$"]})).unwrap();
    let small = "a".repeat(25_000) + "!";
    let large = "a".repeat(100_000) + "!";
    let started = Instant::now();
    let t1 = time(&scanner, &small);
    let t4 = time(&scanner, &large);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(t4 < t1 * 20 + Duration::from_millis(50), "n: {t1:?}, 4n: {t4:?}");
}

#[test]
fn pathological_terms_are_linear() {
    let scanner = TextScanner::from_options(&json!({
        "banned": ["a a a a a a a a b", "aaaaaaaaaaab", {"terms": ["ÁÁÁÁÁB"], "caseSensitive": true, "foldAccents": false}],
        "scripts": ["Latin"],
    }))
    .unwrap();
    for unit in ["a ", "a", "Á", "а"] {
        let small = unit.repeat(50_000);
        let large = unit.repeat(200_000);
        let t1 = time(&scanner, &small);
        let t4 = time(&scanner, &large);
        assert!(t4 < t1 * 20 + Duration::from_millis(50), "{unit:?}: n {t1:?}, 4n {t4:?}");
    }
}

/// `cargo test --release -p bridle --test guard_text -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_w5() {
    let Ok(text) = std::fs::read_to_string("/tmp/w5.txt") else {
        println!("no /tmp/w5.txt; see the guard brief");
        return;
    };
    let words = [
        "secret",
        "classified",
        "confidential",
        "password",
        "internal",
        "proprietary",
        "restricted",
        "embargo",
        "leak",
        "insider",
        "merger",
        "acquisition",
        "layoff",
        "lawsuit",
        "subpoena",
        "breach",
        "exploit",
        "malware",
        "ransomware",
        "phishing",
    ];
    let mut banned: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for suffix in ["", " plan", " memo", " data", " list"] {
            banned.push(format!("{w}{suffix}"));
        }
        let _ = i;
    }
    assert_eq!(banned.len(), 100);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let run = |name: &str, scanner: &dyn Scanner| {
        if !name.contains(only.as_str()) {
            return;
        }
        let mut found = Vec::new();
        scanner.scan(&text, &mut found);
        let rounds = 20;
        let started = Instant::now();
        for _ in 0..rounds {
            found.clear();
            scanner.scan(&text, &mut found);
        }
        let seconds = started.elapsed().as_secs_f64() / rounds as f64;
        println!("{name}: {:.0} MB/s ({} findings)", text.len() as f64 / seconds / 1e6, found.len());
    };
    let terms = TextScanner::from_options(&json!({"banned": banned})).unwrap();
    run("text: 100 banned terms", &terms);
    let literal_regexes = json!([r"\bPRJ-\d{4}\b", {"pattern": "confidential", "flags": "i"}, r"ACCT-\d{6,}"]);
    let regexes = TextScanner::from_options(&json!({"regex": literal_regexes})).unwrap();
    run("text: 3 regex rules with literals (prefiltered)", &regexes);
    let full = TextScanner::from_options(
        &json!({"banned": banned, "regex": literal_regexes, "maxChars": 2_000_000, "scripts": ["Latin"]}),
    )
    .unwrap();
    run("text: 100 terms + 3 regex + limits + scripts", &full);
    let open_regexes = json!([r"\b\d{3}-\d{2}-\d{4}\b", r"[A-Z]{2}\d{6}", r"\b[a-z]+ing\b"]);
    let open = TextScanner::from_options(&json!({"regex": open_regexes})).unwrap();
    run("text: 3 regex rules without literals (full regex-lite passes)", &open);
    let one = TextScanner::from_options(&json!({"regex": [r"\b\d{3}-\d{2}-\d{4}\b"]})).unwrap();
    run("text: 1 regex rule without literal", &one);
    let output = OutputScanner::from_options(&json!({
        "refusal": true,
        "canaries": ["bridle-canary-00112233445566778899aabb"],
        "urls": {"allow": ["example.com", "*.example.org"]},
    }))
    .unwrap();
    run("output: refusal + canary + urls + markdown", &output);
    for (name, options) in [
        ("output: refusal only", json!({"refusal": true, "markdownExfiltration": false})),
        (
            "output: canary only",
            json!({"canaries": ["bridle-canary-00112233445566778899aabb"], "markdownExfiltration": false}),
        ),
        ("output: urls only", json!({"urls": {"allow": ["example.com"]}, "markdownExfiltration": false})),
        ("output: markdown only", json!({})),
    ] {
        run(name, &OutputScanner::from_options(&options).unwrap());
    }
    let plain = OutputScanner::from_options(&json!({"refusal": true, "urls": {"allow": ["example.com"]}})).unwrap();
    run("output: refusal + urls + markdown (no canary)", &plain);
}
