//! Lambdas and the inheritance whitespace rules, beyond what the spec files check.

use crate::error::{ErrorKind, Result};
use crate::template::host::{Blocks, Callee, Host, HostCall, HostValue};
use crate::template::{Escape, Syntax, Template, TemplateOptions};
use serde_json::{json, Value};

/// A host that records each call (callee number, name, `this`, arguments, block) and answers
/// with `answer`.
struct TestHost<F> {
    answer: F,
    calls: Vec<(u32, String, Value, Vec<Value>, bool)>,
}

impl<F: FnMut(&HostCall<'_>) -> Result<HostValue>> Host for TestHost<F> {
    fn call(&mut self, call: &HostCall<'_>, _blocks: &mut dyn Blocks) -> Result<HostValue> {
        let Callee::Function(id) = call.callee else { panic!("a Mustache render calls functions only") };
        self.calls.push((id, call.name.to_owned(), call.this.clone(), call.args.to_vec(), call.block));
        (self.answer)(call)
    }
}

fn host<F: FnMut(&HostCall<'_>) -> Result<HostValue>>(answer: F) -> TestHost<F> {
    TestHost { answer, calls: Vec::new() }
}

fn text(s: &str) -> Result<HostValue> {
    Ok(HostValue::Value(Value::String(s.to_owned())))
}

fn f(id: u32) -> Value {
    json!({"\u{0}fn": id})
}

fn compile(source: &str, partials: &[(&str, &str)], escape: Escape) -> Template {
    let mut options = TemplateOptions::new(Syntax::Mustache);
    options.escape = escape;
    options.partials = partials.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    Template::compile(source, &options).unwrap()
}

fn render(source: &str, partials: &[(&str, &str)], data: Value) -> String {
    compile(source, partials, Escape::None).render(&data).unwrap()
}

#[test]
fn a_function_without_a_host_is_an_error_at_its_tag() {
    let template = compile("ab\n  {{greet}}", &[], Escape::None);
    let err = template.render(&json!({"greet": f(0)})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TemplateRender);
    assert!(err.message().contains("'greet' is a function value"), "{}", err.message());
    assert_eq!(err.location().map(|l| (l.line, l.column)), Some((2, 3)));
    let err = compile("{{#greet}}x{{/greet}}", &[], Escape::None).render(&json!({"greet": f(0)})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TemplateRender);
    // An inverted section never calls: a function is true.
    assert_eq!(compile("<{{^greet}}x{{/greet}}>", &[], Escape::None).render(&json!({"greet": f(0)})).unwrap(), "<>");
}

#[test]
fn interpolation_calls_with_the_context_and_renders_the_result() {
    let template = compile("{{#user}}{{fmt.name}}{{/user}}", &[], Escape::Html);
    let mut h = host(|_| text("<{{first}}>"));
    let data = json!({"user": {"first": "A&B"}, "fmt": {"name": f(7)}});
    // The result renders (escaping `first`), then is escaped as `{{ }}` says: twice.
    assert_eq!(template.render_with_host(&data, &mut h).unwrap(), "&lt;A&amp;amp;B&gt;");
    assert_eq!(h.calls, vec![(7, "fmt.name".to_owned(), json!({"first": "A&B"}), vec![], false)]);

    let template = compile("{{{f}}}{{&f}}", &[], Escape::Html);
    assert_eq!(template.render_with_host(&json!({"f": f(0), "x": "<"}), &mut host(|_| text("{{x}}"))).unwrap(), "&lt;&lt;");
}

#[test]
fn returned_values_print_as_values() {
    let template = compile("[{{f}}]", &[], Escape::Html);
    let data = json!({"f": f(0)});
    let mut answers = vec![
        HostValue::Value(json!(1.5)),
        HostValue::Value(json!(null)),
        HostValue::Value(json!([1, "a"])),
        HostValue::Undefined,
        HostValue::Safe("<b>{{f2}}</b>".to_owned()),
    ]
    .into_iter();
    let mut h = host(move |_| Ok(answers.next().unwrap()));
    let outs: Vec<String> = (0..5).map(|_| template.render_with_host(&data, &mut h).unwrap()).collect();
    // Safe text is still a template, but never escaped.
    assert_eq!(outs, ["[1.5]", "[]", "[1,a]", "[]", "[<b></b>]"]);
}

#[test]
fn section_lambdas_get_the_raw_text_and_keep_the_delimiters() {
    let template = compile("{{#list}}{{#wrap}}\n  {{name}}!\n{{/wrap}}{{/list}}", &[], Escape::None);
    let data = json!({"list": [{"name": "a"}, {"name": "b"}], "wrap": f(3)});
    let mut h = host(|call| text(&format!("[{}]", call.args[0].as_str().unwrap().trim())));
    assert_eq!(template.render_with_host(&data, &mut h).unwrap(), "[a!][b!]");
    assert_eq!(h.calls[0].3, vec![json!("\n  {{name}}!\n")]);
    assert!(h.calls[0].4, "a section call is a block call");
    assert_eq!(h.calls[1].2, json!({"name": "b"}), "`this` is the list item");

    let template = compile("{{=<% %>=}}<%#wrap%>x<%/wrap%>", &[], Escape::None);
    let out = template.render_with_host(&json!({"wrap": f(0), "y": 1}), &mut host(|_| text("<%y%>{{y}}"))).unwrap();
    assert_eq!(out, "1{{y}}");
}

#[test]
fn functions_as_list_items_and_implicit_iterators() {
    let template = compile("{{#list}}({{.}}){{/list}}", &[], Escape::None);
    let data = json!({"list": [1, f(0), "z"]});
    let mut h = host(|call| {
        assert_eq!(call.this, &f(0));
        text("fn")
    });
    assert_eq!(template.render_with_host(&data, &mut h).unwrap(), "(1)(fn)(z)");
    assert_eq!(h.calls[0].1, ".");
    // A function's marker has no keys to read.
    assert_eq!(render("[{{f.\u{0}fn}}]", &[], json!({"f": f(0)})), "[]");
}

#[test]
fn lambda_outputs_see_partials_and_render_inside_indentation() {
    let template = compile("  {{>p}}\n", &[("p", "{{#f}}x{{/f}}\nend")], Escape::None);
    let out = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text("a\nb{{>q}}"))).unwrap();
    assert_eq!(out, "  a\n  b\n  end");
}

#[test]
fn recursive_lambdas_stop_at_the_depth_limit() {
    let template = compile("{{f}}", &[], Escape::None);
    let err = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text("x{{f}}"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert_eq!(err.details()["limit"], "depth");
    assert_eq!(err.location().map(|l| l.column), Some(1));

    let template = compile("{{#f}}{{/f}}", &[], Escape::None);
    let err = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text("{{#f}}{{/f}}"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
}

#[test]
fn lambda_outputs_count_against_the_output_limit() {
    let mut options = TemplateOptions::new(Syntax::Mustache);
    options.max_output_bytes = Some(100);
    let template = Template::compile("{{f}}", &options).unwrap();
    let big = "y".repeat(101);
    let err = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text(&big))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert_eq!(err.details()["limit"], "output_bytes");
}

#[test]
fn an_output_that_does_not_parse_is_a_syntax_error_at_the_lambda() {
    let template = compile("ok\n {{f}}", &[], Escape::None);
    let err = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text("a\n{{#x}}"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TemplateSyntax);
    assert!(err.message().contains("the template returned by lambda 'f' does not parse"), "{}", err.message());
    assert!(err.message().contains("unclosed section 'x' (line 2, column 1 of that text)"), "{}", err.message());
    assert_eq!(err.location().map(|l| (l.line, l.column)), Some((2, 2)));
    assert_eq!(err.details()["lambda"], "f");
    assert!(err.details()["excerpt"].as_str().unwrap().contains("{{f}}"));
}

#[test]
fn strict_errors_in_lambda_outputs_point_at_the_lambda() {
    let mut options = TemplateOptions::new(Syntax::Mustache);
    options.strict = true;
    let template = Template::compile("\n{{#f}}x{{/f}}", &options).unwrap();
    let err = template.render_with_host(&json!({"f": f(0)}), &mut host(|_| text("{{nope}}"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingVariable);
    assert_eq!(err.details()["variable"], "nope");
    assert_eq!(err.location().map(|l| l.line), Some(2));
}

#[test]
fn host_errors_pass_through_with_the_tags_location() {
    let template = compile("x{{f}}", &[], Escape::None);
    let err = template
        .render_with_host(
            &json!({"f": f(0)}),
            &mut host(|_| Err(crate::Error::new(ErrorKind::TemplateRender, "boom").with_detail("thrown", 4))),
        )
        .unwrap_err();
    assert_eq!(err.message(), "boom");
    assert_eq!(err.details()["thrown"], 4);
    assert_eq!(err.location().map(|l| l.column), Some(2));
}

#[test]
fn variables_list_lambdas_like_any_name() {
    let template = compile("{{#wrap}}{{x}}{{/wrap}}{{fmt.a}}", &[], Escape::None);
    assert_eq!(template.variables(), ["wrap", "x", "fmt"]);
}

#[test]
fn standalone_pairs() {
    // An empty block standing alone keeps its line's newline; parent pairs remove the line.
    assert_eq!(render("a\n  {{$b}}{{/b}}\nc", &[], json!({})), "a\n\nc");
    assert_eq!(render("a\r\n {{<p}}{{/p}} \r\nc", &[("p", "P\n")], json!({})), "a\r\n P\nc");
    let parent = "<\n  {{$b}}{{/b}}\n>";
    assert_eq!(render("{{<p}}{{$b}}\nx\ny\n{{/b}}{{/p}}\n", &[("p", parent)], json!({})), "<\n  x\n  y\n\n>");
    // Pairs need the two tags side by side and nothing else on the line.
    assert_eq!(render("{{<p}} {{/p}}\n", &[("p", "P")], json!({})), "P\n");
    assert_eq!(render("{{#s}}{{/s}}\n", &[], json!({"s": true})), "\n");
}

#[test]
fn block_reindentation_inside_sections_partials_and_values() {
    let parent = "<\n    {{$b}}\n    {{/b}}\n>\n";
    let child = "{{<p}}{{$b}}\n  {{#s}}\n  - {{v}}\n  {{/s}}\n    {{>q}}\n{{/b}}{{/p}}\n";
    let out = render(child, &[("p", parent), ("q", "q1\nq2\n")], json!({"s": [1], "v": "a\nb"}));
    // Dedented by two, indented by four; the partial keeps its two more; a value's own
    // newlines are not indented.
    assert_eq!(out, "<\n    - a\nb\n      q1\n      q2\n>\n");
    // Blank lines inside a block lose what they have of its indentation.
    let child = "{{<p}}{{$b}}\n  one\n \n\n  two\n{{/b}}{{/p}}";
    assert_eq!(render(child, &[("p", parent)], json!({})), "<\n    one\n    \n    \n    two\n>\n");
}

#[test]
fn errors_in_partials_say_which_partial() {
    let mut options = TemplateOptions::new(Syntax::Mustache);
    options.partials = vec![("p".to_owned(), "line1\nab{{#a}}".to_owned())];
    let error = Template::compile("hello\nworld {{>p}}", &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TemplateSyntax);
    assert_eq!(error.details()["in_partial"], "p");
    assert!(error.details()["excerpt"].as_str().unwrap().starts_with("ab{{#a}}"), "{:?}", error.details());
}
