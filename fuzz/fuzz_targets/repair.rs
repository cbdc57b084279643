//! JSON repair takes any text without a panic, and valid JSON comes back as the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    let repaired = bridle::parse::repair::repair_json(text);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let repaired = repaired.expect("valid JSON repairs");
        let back: serde_json::Value = serde_json::from_str(&repaired.json).expect("repair gives JSON");
        assert_eq!(back, value);
        assert!(repaired.repairs.is_empty(), "valid JSON needs no repair: {:?}", repaired.repairs);
    }
});
