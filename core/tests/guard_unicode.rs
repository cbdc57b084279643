//! The Unicode hygiene scanner against the shared vectors, and its speed on ASCII-heavy prose.

#[path = "common/guard_vectors.rs"]
mod vectors;

use bridle::guard::unicode::UnicodeScanner;
use bridle::guard::Scanner;

#[test]
fn unicode_vectors() {
    let cases = vectors::run("unicode", |options| Ok(Box::new(UnicodeScanner::from_options(options)?)));
    assert!(cases >= 60, "{cases} cases");
}

/// `cargo test --release -p bridle --test guard_unicode -- --ignored --nocapture`
/// (needs /tmp/w5.txt, see the guard brief).
#[test]
#[ignore]
fn unicode_speed_on_w5() {
    let w5 = std::fs::read_to_string("/tmp/w5.txt").expect("/tmp/w5.txt");
    for (label, text) in [("w5", w5.clone()), ("w5 with non-ASCII words every ~1 KB", sprinkled(&w5))] {
        measure(label, &text);
    }
}

/// W5 with an accented, a Cyrillic and an emoji word about every 1,000 bytes.
fn sprinkled(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut since = 0;
    for word in text.split(' ') {
        out.push_str(word);
        out.push(' ');
        since += word.len() + 1;
        if since > 1000 {
            out.push_str("café Привет 👍🏽 ");
            since = 0;
        }
    }
    out
}

fn measure(label: &str, text: &str) {
    let scanner = UnicodeScanner::from_options(&serde_json::Value::Bool(true)).unwrap();
    let mut out = Vec::new();
    let mut best = f64::MAX;
    let start = std::time::Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        let round = std::time::Instant::now();
        out.clear();
        scanner.scan(text, &mut out);
        best = best.min(round.elapsed().as_secs_f64());
    }
    let mean = start.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "unicode on {label}: {:.0} MB/s mean, {:.0} MB/s best, over {} bytes, {} findings",
        text.len() as f64 / mean / 1e6,
        text.len() as f64 / best / 1e6,
        text.len(),
        out.len()
    );
}
