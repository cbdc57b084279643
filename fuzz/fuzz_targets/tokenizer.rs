//! Any text encodes and decodes back to itself with each splitting pattern, and `count`
//! equals the number of ids. The rank table is the tiktoken package's (npm, installed by
//! scripts/setup.sh).
#![no_main]
use bridle::tokens::{SpecialPolicy, Tokenizer};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn tokenizers() -> &'static [Tokenizer] {
    static ALL: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    ALL.get_or_init(|| {
        ["o200k_base", "cl100k_base", "r50k_base"]
            .iter()
            .map(|name| {
                let path = format!("{}/../node_modules/tiktoken/encoders/{name}.json", env!("CARGO_MANIFEST_DIR"));
                Tokenizer::load(&std::fs::read(&path).expect("rank table (run scripts/setup.sh)"), Some(name)).unwrap()
            })
            .collect()
    })
}

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else { return };
    for tokenizer in tokenizers() {
        let ids = tokenizer.encode(text, &SpecialPolicy::ordinary()).unwrap();
        assert_eq!(tokenizer.decode(&ids).unwrap(), text);
        assert_eq!(tokenizer.count(text, &SpecialPolicy::ordinary()).unwrap(), ids.len());
        let _ = tokenizer.encode(text, &SpecialPolicy::all());
        let _ = tokenizer.encode(text, &SpecialPolicy::strict());
    }
    let _ = bridle::tokens::estimate::estimate_text(text);
});
