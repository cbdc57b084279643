//! Output checks: the shared vectors, a no-panic fuzz and linear-time checks. (The W5
//! benchmark for both scanners is `bench_w5` in `guard_text.rs`.)

#[path = "common/guard_vectors.rs"]
mod vectors;

use bridle::guard::text::{canary_from_bytes, OutputScanner};
use bridle::guard::Scanner;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn output_vectors() {
    vectors::run("output", |options| Ok(Box::new(OutputScanner::from_options(options)?)));
}

#[test]
fn canary_format() {
    assert_eq!(canary_from_bytes(&[0, 1, 0xab, 0xff]), "bridle-canary-0001abff");
    assert_eq!(canary_from_bytes(&[]), "bridle-canary-");
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const PIECES: &[&str] = &[
    "![",
    "](",
    "[",
    "]",
    "(",
    ")",
    "<img",
    " src=",
    "\"",
    "'",
    ">",
    "http://",
    "https://",
    "www.",
    "data:",
    "javascript:",
    "evil.com",
    "example.com",
    "@",
    ":",
    "/",
    "?",
    "#",
    "%6",
    "[::1]",
    "bücher",
    "。",
    "\n",
    " ",
    "\n\n",
    "[r]: ",
    "I'm sorry, but ",
    "I can't help with that",
    "抱歉，我无法",
    "bridle",
    "-canary-",
    "0011",
    "2233",
    "\u{200B}",
    "é",
    "😀",
    ".",
    ",",
    "x",
];

fn check_spans(scanner: &dyn Scanner, text: &str) {
    let mut found = Vec::new();
    scanner.scan(text, &mut found);
    for f in &found {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?} in {text:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?} in {text:?}");
    }
    let pending = scanner.pending_from(text);
    assert!(pending <= text.len() && text.is_char_boundary(pending));
}

#[test]
fn fuzz_no_panic() {
    let scanner = OutputScanner::from_options(&json!({
        "refusal": {"minScore": 0.1}, "canaries": ["bridle-canary-00112233"],
        "urls": {"allow": ["example.com", "*.ok.org"], "schemes": ["https", "data"]},
    }))
    .unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for round in 0..30_000 {
        let len = rng.below(40);
        let mut text = String::new();
        for _ in 0..len {
            match round % 3 {
                0 => text.push_str(PIECES[rng.below(PIECES.len())]),
                1 => text.push((b' ' + rng.below(95) as u8) as char),
                _ => text.push(char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('?')),
            }
        }
        check_spans(&scanner, &text);
    }
}

fn time(scanner: &dyn Scanner, text: &str) -> Duration {
    let started = Instant::now();
    let mut found = Vec::new();
    scanner.scan(text, &mut found);
    started.elapsed()
}

#[test]
fn pathological_inputs_are_linear() {
    let scanner = OutputScanner::from_options(&json!({
        "refusal": true, "canaries": ["aaaaaaaaaaaab"], "urls": {"allow": ["example.com"]},
    }))
    .unwrap();
    for unit in
        ["![", "![a](", "[", "http://x", "http://(", "a ", "www.", "<img src=", "[r]: x\n", "I'm sorry, but ", "a-", "é"]
    {
        let small = unit.repeat(50_000 / unit.len());
        let large = unit.repeat(200_000 / unit.len());
        let t1 = time(&scanner, &small);
        let t4 = time(&scanner, &large);
        assert!(t4 < t1 * 20 + Duration::from_millis(50), "{unit:?}: n {t1:?}, 4n {t4:?}");
    }
    // Many reference images and definitions.
    let refs = "![a][r1] ".repeat(20_000) + &"\n[r1]: https://evil.com/x.png".repeat(20_000);
    let started = Instant::now();
    let mut found = Vec::new();
    scanner.scan(&refs, &mut found);
    assert!(started.elapsed() < Duration::from_secs(5));
}
