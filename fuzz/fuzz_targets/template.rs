//! Any source in any syntax compiles or fails with an error, and renders any JSON data
//! without a panic. The first byte picks the syntax; a NUL separates source from data.
#![no_main]
use bridle::{Syntax, Template, TemplateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&pick, rest)) = input.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (source, data) = text.split_once('\0').unwrap_or((text, "{}"));
    let syntax = [Syntax::FString, Syntax::Mustache, Syntax::Handlebars, Syntax::Jinja][pick as usize % 4];
    let mut options = TemplateOptions::default();
    options.syntax = syntax;
    let Ok(template) = Template::compile(source, &options) else { return };
    let data = serde_json::from_str(data).unwrap_or(serde_json::json!({"a": "x", "b": [1, 2], "c": {"d": null}}));
    let _ = template.render(&data);
});
