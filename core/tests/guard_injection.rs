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
    let mut best = f64::MAX;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        let round = std::time::Instant::now();
        out.clear();
        scanner.scan(&text, &mut out);
        best = best.min(round.elapsed().as_secs_f64());
    }
    let mean = start.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "injection: {:.0} MB/s mean, {:.0} MB/s best, over {} bytes, {} findings",
        text.len() as f64 / mean / 1e6,
        text.len() as f64 / best / 1e6,
        text.len(),
        out.len()
    );
}

#[test]
#[ignore]
fn injection_build_time() {
    let start = std::time::Instant::now();
    for _ in 0..10 {
        InjectionScanner::from_options(&serde_json::Value::Bool(true)).unwrap();
    }
    println!("injection: from_options takes {:.1} ms", start.elapsed().as_secs_f64() * 100.0);
}
