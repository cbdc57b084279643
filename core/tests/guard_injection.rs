//! The injection scanner against the shared vectors, and its speed on W5.

#[path = "common/guard_vectors.rs"]
mod vectors;

use bridle::guard::injection::InjectionScanner;
use bridle::guard::Scanner;

#[test]
fn injection_vectors() {
    let cases = vectors::run("injection", |options| Ok(Box::new(InjectionScanner::from_options(options)?)));
    assert!(cases >= 100, "{cases} cases");
}

/// `cargo test --release -p bridle --test guard_injection -- --ignored --nocapture`
/// (needs /tmp/w5.txt, see the guard brief).
#[test]
#[ignore]
fn injection_speed_on_w5() {
    let text = std::fs::read_to_string("/tmp/w5.txt").expect("/tmp/w5.txt");
    let scanner = InjectionScanner::from_options(&serde_json::Value::Bool(true)).unwrap();
    let mut out = Vec::new();
    scanner.scan(&text, &mut out);
    let rounds = 40;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        out.clear();
        scanner.scan(&text, &mut out);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "injection: {:.0} MB/s over {} bytes, {} findings",
        (text.len() * rounds) as f64 / seconds / 1e6,
        text.len(),
        out.len()
    );
}

#[test]
#[ignore]
fn injection_debug_w5() {
    let text = std::fs::read_to_string("/tmp/w5.txt").expect("/tmp/w5.txt");
    let scanner = InjectionScanner::from_options(&serde_json::Value::Bool(true)).unwrap();
    let mut out = Vec::new();
    scanner.scan(&text, &mut out);
    for f in &out {
        let lo = f.start.saturating_sub(60);
        println!("{} {:?} {:?} ctx={:?}", f.kind, f.text(&text), f.detail, &text[lo..(f.end + 40).min(text.len())]);
    }
}
