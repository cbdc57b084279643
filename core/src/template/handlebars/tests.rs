//! Unit tests of the Handlebars engine: errors and their locations, limits, the host path
//! (helpers, block helpers, subexpressions, functions in the data), and odd corners of the
//! handlebars.js semantics that the conformance suite does not reach.

use crate::error::{Error, ErrorKind, Result};
use crate::template::host::{Blocks, Callee, Host, HostCall, HostValue};
use crate::template::{Escape, Syntax, Template, TemplateOptions};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

fn options() -> TemplateOptions {
    TemplateOptions::new(Syntax::Handlebars)
}

fn with_partials(partials: &[(&str, &str)]) -> TemplateOptions {
    let mut options = options();
    options.partials = partials.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    options
}

fn compile(source: &str) -> Template {
    Template::compile(source, &options()).unwrap_or_else(|e| panic!("{source:?}: {e}"))
}

fn render(source: &str, data: Value) -> String {
    compile(source).render(&data).unwrap_or_else(|e| panic!("{source:?}: {e}"))
}

fn compile_err(source: &str, options: &TemplateOptions) -> Error {
    Template::compile(source, options).err().unwrap_or_else(|| panic!("{source:?} compiled"))
}

fn render_err(source: &str, options: &TemplateOptions, data: Value) -> Error {
    let template = Template::compile(source, options).unwrap_or_else(|e| panic!("{source:?}: {e}"));
    template.render(&data).err().unwrap_or_else(|| panic!("{source:?} rendered"))
}

fn at(error: &Error) -> (u32, u32) {
    let location = error.location().unwrap_or_else(|| panic!("no location: {error}"));
    (location.line, location.column)
}

/// Runs `test` on a thread with 1 MiB of stack, the wasm32 default, to show that the limits
/// stop deep templates before the stack does (unoptimized builds get more: their frames are
/// several times larger).
fn on_small_stack(test: impl FnOnce() + Send + 'static) {
    let stack = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    std::thread::Builder::new().stack_size(stack).spawn(test).unwrap().join().unwrap();
}

// ------------------------------------------------------------------ basics

#[test]
fn renders_values_like_javascript() {
    let data = json!({"s": "x", "n": 1.5, "i": -3, "big": 1e21, "t": true, "f": false, "z": null, "a": [1, "b", null, [2, 3]], "o": {"k": 1}});
    assert_eq!(
        render("{{s}}|{{n}}|{{i}}|{{big}}|{{t}}|{{f}}|{{z}}|{{missing}}|{{a}}|{{o}}", data),
        "x|1.5|-3|1e+21|true|false|||1,b,,2,3|[object Object]"
    );
}

#[test]
fn escapes_only_when_asked() {
    let data = json!({"v": "&<>\"'`="});
    assert_eq!(render("{{v}}|{{{v}}}|{{&v}}", data.clone()), "&<>\"'`=|&<>\"'`=|&<>\"'`=");
    let mut html = options();
    html.escape = Escape::Html;
    let template = Template::compile("{{v}}|{{{v}}}|{{&v}}", &html).unwrap();
    assert_eq!(template.render(&data).unwrap(), "&amp;&lt;&gt;&quot;&#x27;&#x60;&#x3D;|&<>\"'`=|&<>\"'`=");
}

#[test]
fn paths_blocks_and_data() {
    let data = json!({"people": [{"name": "Ada", "langs": ["en", "fr"]}, {"name": "Bo", "langs": []}], "title": "T"});
    let source = "{{#each people as |p i|}}{{i}}.{{p.name}}{{#each langs}}[{{@../index}}{{@index}}{{.}}{{../../title}}]{{else}}-{{/each}}{{#unless @last}},{{/unless}}{{/each}}";
    assert_eq!(render(source, data), "0.Ada[00enT][01frT],1.Bo-");
    assert_eq!(render("{{#with a as |x|}}{{x.b}}-{{b}}{{/with}}", json!({"a": {"b": 2}})), "2-2");
    assert_eq!(render("{{lookup a 1}}{{lookup o k}}", json!({"a": [0, 9], "o": {"x": "y"}, "k": "x"})), "9y");
    assert_eq!(render("{{a.length}} {{s.length}} {{a.[1]}}", json!({"a": [1, 2, 3], "s": "héllo"})), "3 5 2");
}

#[test]
fn standalone_lines_and_whitespace_control() {
    let source = "<ul>\n  {{#each xs}}\n  <li>{{.}}</li>\n  {{/each}}\n</ul>\n";
    assert_eq!(render(source, json!({"xs": [1, 2]})), "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
    assert_eq!(render("a {{~x~}} b {{~#if t~}} c {{~/if~}} d", json!({"x": "X", "t": true})), "aXbcd");
    let options = with_partials(&[("p", "one\ntwo\n")]);
    let template = Template::compile("list:\n  {{> p}}\nend", &options).unwrap();
    assert_eq!(template.render(&json!({})).unwrap(), "list:\n  one\n  two\nend");
}

#[test]
fn partial_blocks_and_inline_partials() {
    let options =
        with_partials(&[("layout", "<main>{{> @partial-block}}</main>{{> footer}}"), ("footer", "(default footer)")]);
    let source = "{{#*inline \"footer\"}}(custom {{name}}){{/inline}}{{#> layout}}hello {{name}}{{/layout}}";
    let template = Template::compile(source, &options).unwrap();
    assert_eq!(template.render(&json!({"name": "Ada"})).unwrap(), "<main>hello Ada</main>(custom Ada)");
    let template = Template::compile("{{#> missing}}fallback{{/missing}}|{{> (lookup . 'which')}}", &options).unwrap();
    assert_eq!(template.render(&json!({"which": "footer"})).unwrap(), "fallback|(default footer)");
}

#[test]
fn adjacent_unescaped_numbers_add_as_in_handlebars_js() {
    // handlebars.js joins outputs with JavaScript's `+`: numbers and booleans from `{{{ }}}`
    // next to each other add up; text in between makes it a string again. A `{{ }}` tag
    // always makes text (escapeExpression), also when escaping is off, Bridle's default.
    assert_eq!(render("{{{a}}}{{{b}}}", json!({"a": 1, "b": 2})), "3");
    assert_eq!(render("{{a}}{{b}}", json!({"a": 1, "b": 2})), "12");
    assert_eq!(render("{{{a}}} {{{b}}}", json!({"a": 1, "b": 2})), "1 2");
    assert_eq!(render("x{{{a}}}{{{b}}}", json!({"a": 1, "b": 2})), "x12");
    assert_eq!(render("{{#if t}}{{{a}}}{{/if}}{{#if t}}{{{a}}}{{/if}}", json!({"t": true, "a": 1})), "2");
    assert_eq!(render("{{#if t}}{{a}}{{/if}}{{#if t}}{{a}}{{/if}}", json!({"t": true, "a": 1})), "11");
    let mut html = options();
    html.escape = Escape::Html;
    let template = Template::compile("{{{a}}}{{{b}}}|{{a}}{{b}}", &html).unwrap();
    assert_eq!(template.render(&json!({"a": 1, "b": 2})).unwrap(), "3|12");
}

#[test]
fn variables_are_the_root_names_read() {
    let options = with_partials(&[("row", "{{label}}: {{value}} ({{../unit}})"), ("head", "{{title}}")]);
    let source = "{{> head}}{{#each rows}}{{> row}}{{name}}{{/each}}{{#if show}}{{summary}}{{/if}}{{#with meta}}{{x}}{{/with}}{{@root.footer}}{{shout loud}}{{#each items as |it|}}{{it.x}}{{/each}}";
    let mut options = options;
    options.helpers.push("shout".to_owned());
    let template = Template::compile(source, &options).unwrap();
    assert_eq!(template.variables(), ["rows", "show", "summary", "meta", "footer", "loud", "items", "title", "unit"]);
}

#[test]
fn templates_reading_the_whole_root_say_so() {
    let whole = |source: &str, partials: &[(&str, &str)]| {
        super::Compiled::compile(source, &with_partials(partials)).unwrap().reads_whole_root()
    };
    assert!(!whole("{{a}} {{#each xs}}{{b}}{{../c}}{{/each}} {{lookup . 'k'}} {{#with .}}{{d}}{{/with}} {{.}}", &[]));
    assert!(!whole("{{#each xs}}{{> p ..}}{{/each}}", &[("p", "{{title}}")]));
    assert!(whole("{{#each .}}{{@key}}{{/each}}", &[]));
    assert!(whole("{{#each xs}}{{lookup .. key}}{{/each}}", &[]));
    assert!(whole("{{#each xs}}{{> p parent=..}}{{/each}}", &[("p", "{{parent.title}}")]));
    assert!(whole("{{#each @root}}x{{/each}}", &[]));
    assert!(whole("{{#with this as |item|}}[{{item.a}}]{{/with}}", &[]));
    assert!(whole("{{#each xs}}{{#with @root as |r|}}{{r.a}}{{/with}}{{/each}}", &[]));
    assert!(!whole("{{#with x as |item|}}{{item.a}}{{/with}}", &[]));
    // The names a partial reads when given the root under `..` count as the template's.
    let template = Template::compile("{{#each xs}}{{> p ..}}{{/each}}", &with_partials(&[("p", "{{title}}")])).unwrap();
    assert_eq!(template.variables(), ["xs", "title"]);
}

#[test]
fn compiled_templates_are_shareable() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Template>();
    let template = compile("{{a}}");
    let copy = template.clone();
    assert_eq!(copy.render(&json!({"a": 1})).unwrap(), "1");
}

// ------------------------------------------------------------------ errors

#[test]
fn mismatched_close_points_at_the_close() {
    let error = compile_err("{{#each items}}\n  x\n{{/eahc}}", &options());
    assert_eq!(error.kind(), ErrorKind::TemplateSyntax);
    assert!(error.message().contains("'eahc' doesn't match 'each'"), "{}", error.message());
    assert_eq!(at(&error), (3, 4));
    assert!(error.details()["excerpt"].as_str().unwrap().starts_with("{{/eahc}}"));
}

#[test]
fn unclosed_block_points_at_the_open_tag() {
    let error = compile_err("a\n  {{#if x}}\nb", &options());
    assert_eq!(error.kind(), ErrorKind::TemplateSyntax);
    assert!(error.message().contains("unclosed block 'if'"), "{}", error.message());
    assert_eq!(at(&error), (2, 3));
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let cases: &[(&str, &str, (u32, u32))] = &[
        ("{{foo", "expected '}}'", (1, 6)),
        ("{{{foo}}", "expected '}}}'", (1, 7)),
        ("{{foo}}}", "expected '}}'", (1, 6)),
        ("{{/foo}}", "never opened", (1, 1)),
        ("{{else}}", "outside of a block", (1, 1)),
        ("{{foo/}}", "expected a name", (1, 7)),
        ("{{foo/this}}", "invalid path 'foo/this'", (1, 3)),
        ("{{!-- x", "unclosed comment", (1, 1)),
        ("{{{{raw}}}} x", "unclosed raw block", (1, 12)),
        ("{{> a b c}}", "at most one context", (1, 1)),
        ("{{#*inline x}}{{/inline}}", "inline partial needs its name", (1, 1)),
        ("{{*decorator}}", "unsupported decorator", (1, 1)),
    ];
    for (source, message, location) in cases {
        let error = compile_err(source, &options());
        assert_eq!(error.kind(), ErrorKind::TemplateSyntax, "{source}: {error}");
        assert!(error.message().contains(message), "{source}: {}", error.message());
        assert_eq!(at(&error), *location, "{source}: {error}");
    }
}

#[test]
fn locations_count_utf16_columns() {
    let error = compile_err("é😀\n x😀{{#a}}{{/b}}", &options());
    let location = error.location().unwrap();
    // line 2: ' ', 'x', two units for 😀, then "{{#a}}{{/" (9), so 'b' is column 14.
    assert_eq!((location.line, location.column), (2, 14));
    assert_eq!(location.offset, 4 + 13);
}

#[test]
fn missing_helper_is_a_render_error_with_the_name() {
    let error = render_err("line\n{{foo bar}}", &options(), json!({"bar": 1}));
    assert_eq!(error.kind(), ErrorKind::TemplateRender);
    assert_eq!(error.message(), "missing helper 'foo'");
    assert_eq!(error.details()["helper"], "foo");
    assert_eq!(at(&error), (2, 1));
    // Without arguments it is just a missing value, as in handlebars.js.
    assert_eq!(render("[{{foo}}]", json!({})), "[]");
    let error = render_err("{{#foo 1}}x{{/foo}}", &options(), json!({}));
    assert_eq!(error.details()["helper"], "foo");
}

#[test]
fn missing_partial_is_a_render_error_with_the_name() {
    let error = render_err("x {{> nav}}", &options(), json!({}));
    assert_eq!(error.kind(), ErrorKind::TemplateRender);
    assert_eq!(error.details()["partial"], "nav");
    assert_eq!(at(&error), (1, 3));
}

#[test]
fn strict_mode_reports_the_missing_name() {
    let mut strict = options();
    strict.strict = true;
    let error = render_err("ok\n  {{user.name}}", &strict, json!({"user": {}}));
    assert_eq!(error.kind(), ErrorKind::MissingVariable);
    assert_eq!(error.details()["variable"], "user.name");
    assert_eq!(at(&error), (2, 5));
    // handlebars' strict rules: helper arguments and `{{#if}}` tests may be missing.
    let template = Template::compile("{{#if nope}}x{{else}}y{{/if}}{{lookup . 'nope'}}", &strict).unwrap();
    assert_eq!(template.render(&json!({})).unwrap(), "y");
    assert_eq!(render_err("{{#nope}}{{/nope}}", &strict, json!({})).kind(), ErrorKind::MissingVariable);
    let mut assume = options();
    assume.handlebars.assume_objects = true;
    assert_eq!(Template::compile("{{a.b}}", &assume).unwrap().render(&json!({"a": {}})).unwrap(), "");
    assert_eq!(render_err("{{a.b}}", &assume, json!({})).kind(), ErrorKind::MissingVariable);
}

#[test]
fn errors_in_partials_say_which_partial() {
    let error = compile_err("{{> p}}", &with_partials(&[("p", "ok\n{{#if}}")]));
    assert_eq!(error.kind(), ErrorKind::TemplateSyntax);
    assert_eq!(error.details()["in_partial"], "p");
    assert_eq!(at(&error), (2, 1));
    assert_eq!(error.details()["excerpt"], "{{#if}}\n^");
    let error = render_err("x\n{{> p}}", &with_partials(&[("p", "a\nb {{nope 1}}")]), json!({}));
    assert_eq!(error.details()["in_partial"], "p");
    assert_eq!(error.details()["helper"], "nope");
    assert_eq!(at(&error), (2, 3));
    assert_eq!(error.details()["excerpt"], "b {{nope 1}}\n  ^");
}

#[test]
fn known_helpers_only_rejects_unknown_helpers_at_compile() {
    let mut known = options();
    known.handlebars.known_helpers_only = true;
    known.helpers.push("mine".to_owned());
    let error = compile_err("{{other x}}", &known);
    assert_eq!(error.kind(), ErrorKind::TemplateSyntax);
    assert_eq!(error.details()["helper"], "other");
    assert!(Template::compile("{{mine x}}{{#if x}}{{/if}}{{other}}", &known).is_ok());
}

#[test]
fn builtin_helpers_check_their_arguments() {
    for source in [
        "{{#if}}{{/if}}",
        "{{#if a b}}{{/if}}",
        "{{#with}}{{/with}}",
        "{{#each}}{{/each}}",
        "{{if a}}",
        "{{#unless}}{{/unless}}",
    ] {
        assert_eq!(render_err(source, &options(), json!({"a": 1})).kind(), ErrorKind::TemplateRender, "{source}");
    }
}

// ------------------------------------------------------------------ limits

/// Runs a hostile case and prints how long it took (a release build takes well under the
/// `expected` time). Only a time many times over it fails the test: this catches a hang, not
/// a slow machine or an unoptimised build sharing two cores with a compiler.
fn quick(expected: Duration, test: impl FnOnce()) {
    let start = Instant::now();
    test();
    let took = start.elapsed();
    println!("hostile case took {took:?} (expected under {expected:?} in a release build)");
    assert!(took < expected * 20, "took {took:?}: this looks like a hang");
}

#[test]
fn deep_nesting_stops_at_the_parse_limit() {
    on_small_stack(|| {
        quick(Duration::from_secs(1), || {
            let source = "{{#if a}}".repeat(600) + &"{{/if}}".repeat(600);
            let error = compile_err(&source, &options());
            assert_eq!(error.kind(), ErrorKind::LimitExceeded);
            assert_eq!(error.details()["limit"], "nesting");
            let source = format!("{{{{x {}}}}}", "(x ".repeat(600) + &")".repeat(600));
            assert_eq!(compile_err(&source, &options()).details()["limit"], "nesting");
        })
    });
}

#[test]
fn deep_rendering_stops_at_the_depth_limit() {
    on_small_stack(|| {
        quick(Duration::from_secs(1), || {
            let source = "{{#if a}}".repeat(400) + "x" + &"{{/if}}".repeat(400);
            let error = render_err(&source, &options(), json!({"a": true}));
            assert_eq!(error.kind(), ErrorKind::LimitExceeded);
            assert_eq!(error.details()["limit"], "depth");
            let shallow = "{{#if a}}".repeat(200) + "x" + &"{{/if}}".repeat(200);
            assert_eq!(render(&shallow, json!({"a": true})), "x");
            let nested =
                format!("{{{{#with (lookup {}. 'a'){}}}}}{{{{/with}}}}", "(lookup ".repeat(300), " 'a')".repeat(300));
            assert_eq!(render_err(&nested, &options(), json!({})).details()["limit"], "depth");
        })
    });
}

#[test]
fn recursive_partials_stop_at_the_depth_limit() {
    on_small_stack(|| {
        quick(Duration::from_secs(1), || {
            let options =
                with_partials(&[("self", "x{{> self}}"), ("a", "{{#each .}}{{> b ..}}{{/each}}"), ("b", "{{> a}}")]);
            let error = render_err("{{> self}}", &options, json!({}));
            assert_eq!(error.kind(), ErrorKind::LimitExceeded);
            assert_eq!(error.details()["limit"], "depth");
            assert_eq!(error.details()["in_partial"], "self");
            let error = render_err("{{> a}}", &options, json!([[1]]));
            let error2 = render_err("{{> b}}", &with_partials(&[("a", "{{> b}}"), ("b", "<{{> a}}>")]), json!({}));
            assert_eq!(error2.details()["limit"], "depth");
            assert_eq!(error.details()["limit"], "depth");
            // Recursion through an inline partial and a partial block.
            let source = "{{#*inline \"r\"}}{{#> r}}{{> @partial-block}}{{/r}}{{/inline}}{{> r}}";
            assert_eq!(render_err(source, &options, json!({})).details()["limit"], "depth");
        })
    });
}

#[test]
fn huge_output_stops_at_the_output_limit() {
    quick(Duration::from_secs(1), || {
        let mut limited = with_partials(&[("p", "{{> @partial-block}}{{> @partial-block}}")]);
        limited.max_output_bytes = Some(1 << 20);
        let source = "{{#each a}}{{#each ../a}}{{#each ../../a}}{{../../../s}}{{/each}}{{/each}}{{/each}}";
        // Distinct objects: equal primitives would not push a context (handlebars.js's `!=`).
        let data = json!({"a": vec![json!({}); 100], "s": "x".repeat(100)});
        let error = render_err(source, &limited, data);
        assert_eq!(error.kind(), ErrorKind::LimitExceeded);
        assert_eq!(error.details()["limit"], "output_bytes");
        // Doubling partial blocks: 2^40 copies if nothing stopped them (the step budget, at
        // least as many steps as output bytes, may stop them first).
        let doubling = "{{#> p}}".repeat(40) + "xx" + &"{{/p}}".repeat(40);
        let error = render_err(&doubling, &limited, json!({}));
        assert!(matches!(error.details()["limit"].as_str(), Some("output_bytes" | "steps")), "{error}");
    });
}

#[test]
fn work_without_output_stops_at_the_step_limit() {
    quick(Duration::from_secs(5), || {
        let mut limited = options();
        limited.max_output_bytes = Some(1000);
        let source = "{{#each a}}{{#each ../a}}{{#each ../../a}}{{/each}}{{/each}}{{/each}}";
        let error = render_err(source, &limited, json!({"a": vec![json!({}); 200]}));
        assert_eq!(error.kind(), ErrorKind::LimitExceeded);
        assert_eq!(error.details()["limit"], "steps");
    });
}

#[test]
fn hostile_sources_do_not_panic() {
    for source in [
        "{{",
        "}}",
        "{{{{",
        "{{{{/a}}}}",
        "{{#",
        "{{#>",
        "{{>",
        "{{(",
        "{{a (b",
        "{{a as |b|}}",
        "{{#a as |}}{{/a}}",
        "\\",
        "\\{{",
        "{{!",
        "{{~",
        "{{~}}",
        "{{#a}}{{else}}{{else}}{{/a}}",
        "{{[",
        "{{\"",
        "{{'a",
        "{{@",
        "{{../..}}",
        "{{#each}}",
        "{{a=b}}",
        "{{a b=}}",
        "\u{0}{{a}}\u{0}",
        "{{é}}",
        "{{#*inline}}{{/inline}}",
        "{{> @partial-block}}",
    ] {
        if let Ok(template) = Template::compile(source, &options()) {
            let _ = template.render(&json!({"a": true}));
        }
    }
}

// ------------------------------------------------------------------ host

/// A host with a few helpers written in Rust, recording what it was called with.
#[derive(Default)]
struct TestHost {
    calls: Vec<String>,
}

fn arg(call: &HostCall<'_>, i: usize) -> String {
    match call.args.get(i) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

impl Host for TestHost {
    fn call(&mut self, call: &HostCall<'_>, blocks: &mut dyn Blocks) -> Result<HostValue> {
        self.calls.push(format!(
            "{:?} {} args={:?} block={} inverse={}",
            call.callee, call.name, call.args, call.block, call.inverse
        ));
        Ok(match call.callee {
            Callee::Helper("greet") => {
                let greeting = call.hash.get("greeting").and_then(Value::as_str).unwrap_or("Hello");
                HostValue::Value(json!(format!("{greeting}, {}!", arg(call, 0))))
            }
            Callee::Helper("upper") => HostValue::Value(json!(arg(call, 0).to_uppercase())),
            Callee::Helper("concat") => {
                HostValue::Value(json!(call.args.iter().map(|a| a.as_str().unwrap_or("?")).collect::<String>()))
            }
            Callee::Helper("bold") => HostValue::Safe(format!("<b>{}</b>", arg(call, 0))),
            Callee::Helper("tag") => HostValue::Value(json!(format!("<{}>", arg(call, 0)))),
            Callee::Helper("where") => {
                HostValue::Value(json!(format!("this={} index={:?}", call.this, call.data.get("index"))))
            }
            Callee::Helper("repeat") => {
                let times = call.args.first().and_then(Value::as_u64).unwrap_or(0);
                let mut out = String::new();
                for i in 0..times {
                    let mut data = Map::new();
                    data.insert("i".to_owned(), json!(i));
                    out += &blocks.render(self, false, Some(json!({"n": i})), Some(data))?;
                }
                if times == 0 {
                    out += &blocks.render(self, true, None, None)?;
                }
                HostValue::Safe(out)
            }
            Callee::Helper("pairs") => {
                let mut out = String::new();
                if let Some(Value::Object(map)) = call.args.first() {
                    for (key, value) in map {
                        let mut data = Map::new();
                        data.insert("blockParams".to_owned(), json!([key, value]));
                        out += &blocks.render(self, false, Some(value.clone()), Some(data))?;
                    }
                }
                HostValue::Safe(out)
            }
            Callee::Helper("helperMissing") => HostValue::Value(json!(format!("<missing {}>", call.name))),
            Callee::Helper("fail") => return Err(Error::new(ErrorKind::TemplateRender, "helper threw")),
            Callee::Helper(_) => HostValue::Undefined,
            Callee::Function(7) => HostValue::Value(json!(format!("f7({})", call.args.len()))),
            Callee::Function(8) => HostValue::Value(json!(false)),
            Callee::Function(_) => HostValue::Undefined,
        })
    }
}

fn host_template(source: &str, helpers: &[&str]) -> Template {
    let mut options = options();
    options.helpers = helpers.iter().map(|h| h.to_string()).collect();
    Template::compile(source, &options).unwrap_or_else(|e| panic!("{source:?}: {e}"))
}

#[test]
fn helpers_get_arguments_and_hash() {
    let template = host_template("{{greet name greeting=\"Hi\"}} {{greet 'you'}}", &["greet"]);
    let mut host = TestHost::default();
    assert_eq!(template.render_with_host(&json!({"name": "Ada"}), &mut host).unwrap(), "Hi, Ada! Hello, you!");
    assert_eq!(host.calls[0], "Helper(\"greet\") greet args=[String(\"Ada\")] block=false inverse=false");
    assert_eq!(template.variables(), ["name"]);
}

#[test]
fn block_helpers_render_their_blocks_with_a_new_context_and_data() {
    let template = host_template(
        "{{#repeat 3}}{{@i}}:{{n}}{{@root.x}} {{else}}none{{/repeat}}|{{#repeat 0}}x{{else}}none{{/repeat}}",
        &["repeat"],
    );
    let mut host = TestHost::default();
    assert_eq!(template.render_with_host(&json!({"x": "!"}), &mut host).unwrap(), "0:0! 1:1! 2:2! |none");
    assert!(host.calls[0].ends_with("block=true inverse=true"), "{}", host.calls[0]);
    let template = host_template("{{#pairs o as |k v|}}{{k}}={{v}}/{{.}};{{/pairs}}", &["pairs"]);
    assert_eq!(
        template.render_with_host(&json!({"o": {"a": 1, "b": 2}}), &mut TestHost::default()).unwrap(),
        "a=1/1;b=2/2;"
    );
}

#[test]
fn helpers_see_this_and_private_data() {
    let template = host_template("{{#each xs}}{{where}};{{/each}}", &["where"]);
    let out = template.render_with_host(&json!({"xs": [{"a": 1}]}), &mut TestHost::default()).unwrap();
    assert_eq!(out, "this={\"a\":1} index=Some(Number(0));");
}

#[test]
fn subexpressions_feed_helpers() {
    let template = host_template("{{upper (concat a (concat '-' b))}}", &["upper", "concat"]);
    assert_eq!(template.render_with_host(&json!({"a": "x", "b": "y"}), &mut TestHost::default()).unwrap(), "X-Y");
    let template = host_template("{{#if (concat a)}}yes{{/if}}", &["concat"]);
    assert_eq!(template.render_with_host(&json!({"a": "x"}), &mut TestHost::default()).unwrap(), "yes");
}

#[test]
fn safe_strings_are_never_escaped() {
    let mut options = options();
    options.escape = Escape::Html;
    options.helpers = vec!["bold".into(), "tag".into()];
    let template = Template::compile("{{bold x}} {{tag x}} {{{tag x}}}", &options).unwrap();
    assert_eq!(
        template.render_with_host(&json!({"x": "a&b"}), &mut TestHost::default()).unwrap(),
        "<b>a&b</b> &lt;a&amp;b&gt; <a&b>"
    );
}

#[test]
fn functions_in_the_data_are_called() {
    let data = json!({"f": {"\u{0}fn": 7}, "g": {"\u{0}fn": 8}, "o": {"h": {"\u{0}fn": 7}}});
    let template = compile("{{f}} {{f 1 2}} {{o.h}} {{#if g}}yes{{else}}no{{/if}} {{#g}}yes{{else}}no{{/g}}");
    let mut host = TestHost::default();
    assert_eq!(template.render_with_host(&data, &mut host).unwrap(), "f7(0) f7(2) f7(0) no no");
    assert_eq!(host.calls[1], "Function(7) f args=[Number(1), Number(2)] block=false inverse=false");
    // Without a host, calling one is an error that names it.
    let error = template.render(&data).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TemplateRender);
    assert_eq!(error.details()["name"], "f");
}

#[test]
fn helper_errors_end_the_render_with_a_location() {
    let template = host_template("a\n {{fail}}", &["fail"]);
    let error = template.render_with_host(&json!({}), &mut TestHost::default()).unwrap_err();
    assert_eq!(error.message(), "helper threw");
    assert_eq!(at(&error), (2, 2));
}

#[test]
fn a_registered_helper_missing_handles_unknown_calls() {
    let template = host_template("{{nope 1}} {{alsonope}}", &["helperMissing"]);
    assert_eq!(
        template.render_with_host(&json!({}), &mut TestHost::default()).unwrap(),
        "<missing nope> <missing alsonope>"
    );
}

#[test]
fn registered_helpers_override_builtins() {
    let template = host_template("{{#if x}}yes{{/if}}", &["if"]);
    assert_eq!(template.render_with_host(&json!({"x": true}), &mut TestHost::default()).unwrap(), "");
}

#[test]
fn host_calls_inside_a_host_block_go_to_the_host_the_block_was_given() {
    let template = host_template("{{#repeat 2}}{{upper 'a'}}{{n}}{{/repeat}}", &["repeat", "upper"]);
    let mut host = TestHost::default();
    assert_eq!(template.render_with_host(&json!({}), &mut host).unwrap(), "A0A1");
    assert_eq!(host.calls.iter().filter(|c| c.contains("upper")).count(), 2);
}

/// Stack needed by each phase at the nesting limits: `cargo test --release -- --ignored stack_probe --nocapture`.
#[test]
#[ignore]
fn stack_probe() {
    fn needs(name: &str, f: fn()) {
        let (mut lo, mut hi) = (8usize << 10, 16usize << 20);
        while hi - lo > 4 << 10 {
            let mid = (lo + hi) / 2;
            // A child process per try would be cleaner; a thread that overflows aborts, so probe with a guard: run in a subprocess-free way by catching nothing — use binary search over fresh processes instead.
            let exe = std::env::current_exe().unwrap();
            let ok = std::process::Command::new(exe)
                .args(["--ignored", "--exact", "template::handlebars::tests::stack_probe_child", "--nocapture"])
                .env("PROBE", name)
                .env("PROBE_STACK", mid.to_string())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap()
                .success();
            if ok {
                hi = mid
            } else {
                lo = mid
            }
        }
        let _ = f;
        println!("{name}: ~{} KiB", hi >> 10);
    }
    for name in [
        "parse",
        "sexpr-parse",
        "whitespace",
        "lower",
        "sexpr-lower",
        "render-if",
        "render-sec",
        "render-each",
        "render-partial",
        "render-sexpr",
        "drop",
    ] {
        needs(name, || {});
    }
}

#[test]
#[ignore]
fn stack_probe_child() {
    use super::*;
    let Ok(name) = std::env::var("PROBE") else { return };
    let stack: usize = std::env::var("PROBE_STACK").unwrap().parse().unwrap();
    let blocks = "{{#if a}}".repeat(511) + &"{{/if}}".repeat(511);
    let sexprs = format!("{{{{x {}}}}}", "(x ".repeat(511) + &")".repeat(511));
    let deep_if = "{{#if a}}".repeat(255) + "x" + &"{{/if}}".repeat(255);
    let deep_sec = "{{#a}}".repeat(255) + "x" + &"{{/a}}".repeat(255);
    let deep_each = "{{#each a}}".repeat(255) + "x" + &"{{/each}}".repeat(255);
    let deep_sexpr = format!("{{{{x {}. 'a'{}}}}}", "(lookup ".repeat(254), " 'a')".repeat(254));
    let (blocks_ast, sexpr_ast) = (parse::parse(&blocks).unwrap(), parse::parse(&sexprs).unwrap());
    let config = Config::new(&options());
    let compiled_if = Template::compile(&deep_if, &options()).unwrap();
    let compiled_sec = Template::compile(&deep_sec, &options()).unwrap();
    let compiled_each = Template::compile(&deep_each, &options()).unwrap();
    let compiled_sexpr = Template::compile(&deep_sexpr, &options()).unwrap();
    let partial = Template::compile("{{> p}}", &with_partials(&[("p", "x{{> p}}")])).unwrap();
    let mut ast = Some((blocks_ast, sexpr_ast));
    let handle = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let (mut blocks_ast, sexpr_ast) = ast.take().unwrap();
            match name.as_str() {
                "parse" => drop(parse::parse(&blocks)),
                "sexpr-parse" => drop(parse::parse(&sexprs)),
                "whitespace" => whitespace::apply(&blocks, &mut blocks_ast, false),
                "lower" => drop(Lower::new(&blocks, 0, &config).program(blocks_ast)),
                "sexpr-lower" => drop(Lower::new(&sexprs, 0, &config).program(sexpr_ast)),
                "render-if" => drop(compiled_if.render(&json!({"a": true}))),
                "render-sec" => drop(compiled_sec.render(&json!({"a": true}))),
                "render-each" => drop(compiled_each.render(&json!({"a": [[[[1]]]]}))),
                "render-partial" => drop(partial.render(&json!({}))),
                "render-sexpr" => drop(compiled_sexpr.render(&json!({}))),
                "drop" => drop((blocks_ast, sexpr_ast)),
                _ => {}
            }
        })
        .unwrap();
    handle.join().unwrap();
}

#[test]
#[ignore]
fn type_sizes() {
    use super::{ir, parse, render, value};
    use std::mem::size_of;
    println!(
        "parse: Stmt {} Block {} Sexpr {} Expr {} PathExpr {} Program {} ParseError {}",
        size_of::<parse::Stmt>(),
        size_of::<parse::Block>(),
        size_of::<parse::Sexpr>(),
        size_of::<parse::Expr>(),
        size_of::<parse::PathExpr>(),
        size_of::<parse::Program>(),
        size_of::<parse::ParseError>()
    );
    println!(
        "ir: Node {} Call {} Path {} Expr {} Target {} Prog {} Loc {} Segment {}",
        size_of::<ir::Node>(),
        size_of::<ir::Call>(),
        size_of::<ir::Path>(),
        size_of::<ir::Expr>(),
        size_of::<ir::Target>(),
        size_of::<ir::Prog>(),
        size_of::<ir::Loc>(),
        size_of::<ir::Segment>()
    );
    println!(
        "render: Val {} Ret {} Value {} Error {} Result<Val> {}",
        size_of::<value::Val>(),
        size_of::<render::Ret>(),
        size_of::<Value>(),
        size_of::<Error>(),
        size_of::<Result<value::Val>>()
    );
}

/// For generated cases in `$HBS_VARS_CASES` (a JSON list of `{template, data, partials,
/// options}`), rendering with only the `variables` keys gives the full render, unless the
/// template reads the whole root: `HBS_VARS_CASES=… cargo test -- --ignored variables_cover`.
#[test]
#[ignore]
fn variables_cover_what_renders_read() {
    let Ok(path) = std::env::var("HBS_VARS_CASES") else { return };
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut checked, mut whole, mut bad) = (0, 0, 0);
    for case in &cases {
        let mut options = options();
        if let Some(partials) = case["partials"].as_object() {
            options.partials = partials.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
        }
        for (key, on) in case["options"].as_object().into_iter().flatten() {
            let on = on.as_bool().unwrap();
            match key.as_str() {
                "compat" => options.handlebars.compat = on,
                "preventIndent" => options.handlebars.prevent_indent = on,
                "ignoreStandalone" => options.handlebars.ignore_standalone = on,
                "explicitPartialContext" => options.handlebars.explicit_partial_context = on,
                "data" => options.handlebars.data = on,
                _ => {}
            }
        }
        let source = case["template"].as_str().unwrap();
        let Ok(compiled) = super::Compiled::compile(source, &options) else { continue };
        let Ok(full) = compiled.render(&case["data"], None, &mut crate::template::host::NoHost) else { continue };
        if compiled.reads_whole_root() {
            whole += 1;
            continue;
        }
        let mut subset = Map::new();
        for name in compiled.variables() {
            if let Some(value) = case["data"].get(&name) {
                subset.insert(name, value.clone());
            }
        }
        let part = compiled.render(&Value::Object(subset), None, &mut crate::template::host::NoHost);
        checked += 1;
        if part.as_ref().ok() != Some(&full) {
            bad += 1;
            if bad <= 10 {
                println!("{source:?}\n  variables {:?}\n  full {full:?}\n  part {part:?}", compiled.variables());
            }
        }
    }
    println!("variables: {checked} checked, {whole} read the whole root, {bad} incomplete");
    assert_eq!(bad, 0);
}
