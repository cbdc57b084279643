//! Dotprompt and Prompty files (YAML front matter and a template body) load or fail with an
//! error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&pick, rest)) = input.split_first() else { return };
    let Ok(source) = std::str::from_utf8(rest) else { return };
    let format = if pick % 2 == 0 { "dotprompt" } else { "prompty" };
    let _ = bridle::chat::prompt_file::load_prompt_json(source, format, "{}");
});
