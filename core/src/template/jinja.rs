//! Jinja templates on `minijinja`, configured as Hugging Face transformers renders chat
//! templates: `trim_blocks` and `lstrip_blocks`, loop controls, insertion-ordered maps,
//! Python string methods (`minijinja-contrib`'s pycompat), a `tojson` that writes what
//! Python's `json.dumps(ensure_ascii=False)` writes, `raise_exception(message)`,
//! `strftime_now(format)`, and the `{% generation %}` tag rendering its body.

use super::JinjaWhitespace;
use crate::error::{Error, ErrorKind, Location, Result};
use minijinja::value::{Kwargs, Value as JinjaValue};
use minijinja::{Environment, UndefinedBehavior};
use serde_json::Value;

const ROOT: &str = "template";

/// How many loop iterations and other steps a render may take before it stops with an error.
pub(crate) const FUEL: u64 = 10_000_000;

/// Stands for "no time given": `strftime_now` then fails instead of inventing a date.
pub(crate) const NO_CLOCK: i64 = i64::MIN;

/// A compiled Jinja template, with the named templates it may include, import or extend.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    env: Environment<'static>,
    variables: Vec<String>,
    /// The variables may be incomplete (see [`may_slice`]): callers must send the whole data.
    whole_data: bool,
    max_output: usize,
}

/// Whether `source` may hold a slice (`xs[1:]`): minijinja 3.1's `undeclared_variables` does
/// not look into the sliced expression, so such a template may read names it does not list.
fn may_slice(source: &str) -> bool {
    let mut rest = source;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { return false };
        if rest[..close].contains(':') {
            return true;
        }
    }
    false
}

/// Collects the output and refuses to grow past the limit, which stops the render.
struct LimitedOutput {
    bytes: Vec<u8>,
    limit: usize,
    exceeded: bool,
}

impl std::io::Write for LimitedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Compiled {
    /// `now` is the time `strftime_now` formats, in seconds since the Unix epoch (UTC).
    pub(crate) fn compile(
        source: &str,
        partials: &[(String, String)],
        strict: bool,
        whitespace: JinjaWhitespace,
        now: i64,
        max_output: usize,
    ) -> Result<Compiled> {
        let mut env = Environment::new();
        let chat_template = whitespace == JinjaWhitespace::ChatTemplate;
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(chat_template)
                .lstrip_blocks(chat_template)
                .keep_trailing_newline(!chat_template)
                .build()
                .map_err(|e| convert(e, source))?,
        );
        env.set_undefined_behavior(if strict { UndefinedBehavior::Strict } else { UndefinedBehavior::Lenient });
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.set_fuel(Some(FUEL));
        env.add_filter("tojson", tojson);
        env.add_filter("indent", indent);
        env.add_filter("int", int);
        // Floats print as Python prints them (`1e+21`, not `1000000000000000000000.0`).
        env.set_formatter(|out, state, value| {
            if value.is_number() && !value.is_integer() {
                if let Ok(float) = f64::try_from(value.clone()) {
                    return out
                        .write_str(&python_float(float))
                        .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure));
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.add_function("raise_exception", |message: String| -> std::result::Result<JinjaValue, minijinja::Error> {
            Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message))
        });
        env.add_function("strftime_now", move |format: String| strftime(now, &format));
        for (name, partial) in partials {
            env.add_template_owned(name.clone(), generation_as_block(partial)).map_err(|e| convert(e, partial))?;
        }
        env.add_template_owned(ROOT, generation_as_block(source)).map_err(|e| convert(e, source))?;
        let template = env.get_template(ROOT).map_err(|e| convert(e, source))?;
        let mut variables: Vec<String> = template.undeclared_variables(false).into_iter().collect();
        variables.sort();
        let whole_data = may_slice(source) || partials.iter().any(|(_, partial)| may_slice(partial));
        Ok(Compiled { env, variables, whole_data, max_output })
    }

    pub(crate) fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Whether a render may read names [`Compiled::variables`] does not list.
    pub(crate) fn reads_whole_data(&self) -> bool {
        self.whole_data
    }

    pub(crate) fn render(&self, data: &Value) -> Result<String> {
        self.render_value(JinjaValue::from(minijinja::value::Serde(data)))
    }

    /// Renders with data already in minijinja's own values.
    pub(crate) fn render_value(&self, data: JinjaValue) -> Result<String> {
        let template = self.env.get_template(ROOT).map_err(|e| convert(e, ""))?;
        let mut output = LimitedOutput { bytes: Vec::new(), limit: self.max_output, exceeded: false };
        let result = template.render_captured_to(data, &mut output).map(|_| ());
        if output.exceeded {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("the output grew past {} bytes (the maxOutputBytes option)", self.max_output),
            )
            .with_detail("limit", "output_bytes"));
        }
        result.map_err(|e| convert(e, template.source()))?;
        // minijinja writes only what templates produce from UTF-8 strings.
        String::from_utf8(output.bytes)
            .map_err(|e| Error::new(ErrorKind::Internal, "render produced invalid UTF-8").with_source(e))
    }
}

/// `{% generation %}…{% endgeneration %}` (transformers' assistant-mask tag) as a block that
/// renders its body: `{% if true %}…{% endif %}`, whitespace control kept.
fn generation_as_block(source: &str) -> String {
    if !source.contains("generation") {
        return source.to_owned();
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        // The close is searched after the open: in `{%}` the two overlap (found by fuzzing).
        let Some(end) = tag[2..].find("%}").map(|at| at + 2) else {
            out.push_str(tag);
            return out;
        };
        let inner = &tag[2..end];
        let (open_dash, body) = inner.strip_prefix('-').map_or(("", inner), |b| ("-", b));
        let (body, close_dash) = body.strip_suffix('-').map_or((body, ""), |b| (b, "-"));
        match body.trim() {
            "generation" => out.push_str(&format!("{{%{open_dash} if true {close_dash}%}}")),
            "endgeneration" => out.push_str(&format!("{{%{open_dash} endif {close_dash}%}}")),
            _ => out.push_str(&tag[..end + 2]),
        }
        rest = &tag[end + 2..];
    }
    out.push_str(rest);
    out
}

fn convert(error: minijinja::Error, source: &str) -> Error {
    use minijinja::ErrorKind as K;
    // minijinja names its depth limits only in the message (checked by the tests).
    let limit = match (error.kind(), error.detail()) {
        (K::OutOfFuel, _) => Some("fuel"),
        (K::InvalidOperation, Some("recursion limit exceeded")) => Some("recursion"),
        (K::SyntaxError, Some("template exceeds maximum recursion limits")) => Some("nesting"),
        _ => None,
    };
    let kind = match error.kind() {
        _ if limit.is_some() => ErrorKind::LimitExceeded,
        K::SyntaxError | K::BadEscape | K::UnknownBlock => ErrorKind::TemplateSyntax,
        K::UndefinedError => ErrorKind::MissingVariable,
        _ => ErrorKind::TemplateRender,
    };
    let message = match error.detail() {
        Some(detail) => format!("{}: {detail}", error.kind()),
        None => error.kind().to_string(),
    };
    let mut converted = Error::new(kind, message);
    if let Some(range) = error.range().filter(|range| range.start <= source.len() && source.is_char_boundary(range.start)) {
        converted = converted.with_location(Location::in_source(source, range.start));
    }
    if let Some(limit) = limit {
        converted = converted.with_detail("limit", limit);
    }
    converted.with_source(error)
}

/// Python's `json.dumps(value, ensure_ascii=False, indent=…, separators=…, sort_keys=…)`.
fn tojson(value: &JinjaValue, kwargs: Kwargs) -> std::result::Result<JinjaValue, minijinja::Error> {
    let indent: Option<usize> = kwargs.get("indent")?;
    let sort_keys: Option<bool> = kwargs.get("sort_keys")?;
    let separators: Option<JinjaValue> = kwargs.get("separators")?;
    let ensure_ascii: Option<bool> = kwargs.get("ensure_ascii")?;
    kwargs.assert_all_used()?;
    let json = serde_json::to_value(value)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("tojson: {e}")))?;
    let (item, key) = match separators {
        Some(pair) => {
            let item = pair.get_item(&JinjaValue::from(0))?.to_string();
            let key = pair.get_item(&JinjaValue::from(1))?.to_string();
            (item, key)
        }
        None if indent.is_some() => (",".to_owned(), ": ".to_owned()),
        None => (", ".to_owned(), ": ".to_owned()),
    };
    let mut out = String::new();
    let style = PyJson { indent, item: &item, key: &key, sort_keys: sort_keys.unwrap_or(false) };
    style.write(&mut out, &json, 0);
    if ensure_ascii == Some(true) {
        out = escape_non_ascii(&out);
    }
    Ok(JinjaValue::from_safe_string(out))
}

/// `ensure_ascii=True`: every non-ASCII character as `\uXXXX` (UTF-16, surrogate pairs for
/// the astral planes), as Python writes it. Only string contents can hold such characters.
fn escape_non_ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Jinja2's `indent(width=4, first=False, blank=False)`, trailing newline kept as Jinja2
/// keeps it (minijinja's own drops it). `width` may also be the indentation string itself.
fn indent(text: String, width: Option<JinjaValue>, kwargs: Kwargs) -> std::result::Result<String, minijinja::Error> {
    let width = match width.or(kwargs.get::<Option<JinjaValue>>("width")?) {
        None => " ".repeat(4),
        Some(w) if w.as_str().is_some() => w.as_str().unwrap_or_default().to_owned(),
        Some(w) => " ".repeat(usize::try_from(w).unwrap_or(4)),
    };
    let first: bool = kwargs.get::<Option<bool>>("first")?.unwrap_or(false);
    let blank: bool = kwargs.get::<Option<bool>>("blank")?.unwrap_or(false);
    kwargs.assert_all_used()?;
    // Python: s += "\n"; then splitlines() — so a trailing newline survives as an empty line.
    let with_newline = format!("{text}\n");
    let lines: Vec<&str> = python_splitlines(&with_newline);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            if blank || !line.is_empty() {
                out.push_str(&width);
            }
        }
        out.push_str(line);
    }
    if first {
        out.insert_str(0, &width);
    }
    Ok(out)
}

/// Python's `str.splitlines()` for the separators prompts meet: `\n`, `\r\n`, `\r`.
fn python_splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

struct PyJson<'a> {
    indent: Option<usize>,
    item: &'a str,
    key: &'a str,
    sort_keys: bool,
}

impl PyJson<'_> {
    fn write(&self, out: &mut String, value: &Value, depth: usize) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => out.push_str(&i.to_string()),
                (_, Some(u), _) => out.push_str(&u.to_string()),
                (_, _, Some(f)) => out.push_str(&python_float(f)),
                _ => out.push_str("null"),
            },
            Value::String(text) => crate::json::write_js_string(out, text),
            Value::Array(items) if items.is_empty() => out.push_str("[]"),
            Value::Object(map) if map.is_empty() => out.push_str("{}"),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.separate(out, i, depth + 1);
                    self.write(out, item, depth + 1);
                }
                self.close(out, depth);
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                if self.sort_keys {
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                }
                for (i, (key, item)) in entries.into_iter().enumerate() {
                    self.separate(out, i, depth + 1);
                    crate::json::write_js_string(out, key);
                    out.push_str(self.key);
                    self.write(out, item, depth + 1);
                }
                self.close(out, depth);
                out.push('}');
            }
        }
    }

    fn separate(&self, out: &mut String, index: usize, depth: usize) {
        if index > 0 {
            out.push_str(self.item);
        }
        if let Some(indent) = self.indent {
            out.push('\n');
            out.push_str(&" ".repeat(indent * depth));
        }
    }

    fn close(&self, out: &mut String, depth: usize) {
        if let Some(indent) = self.indent {
            out.push('\n');
            out.push_str(&" ".repeat(indent * depth));
        }
    }
}

/// Jinja2's `int` filter: a string is read with surrounding whitespace, as a float when it is
/// not an integer (`'4.5'` → 4), and anything unreadable gives `default` (0), not an error.
fn int(
    state: &minijinja::State,
    value: &JinjaValue,
    default: Option<JinjaValue>,
    base: Option<u32>,
    kwargs: Kwargs,
) -> std::result::Result<JinjaValue, minijinja::Error> {
    let default = match default {
        Some(default) => default,
        None => kwargs.get::<Option<JinjaValue>>("default")?.unwrap_or(JinjaValue::from(0)),
    };
    let base = match base {
        Some(base) => Some(base),
        None => kwargs.get::<Option<u32>>("base")?,
    };
    kwargs.assert_all_used()?;
    let trimmed = value.as_str().map(|text| JinjaValue::from(text.trim()));
    let none = Kwargs::from_iter(std::iter::empty::<(&str, JinjaValue)>());
    minijinja::filters::int(state, trimmed.as_ref().unwrap_or(value), Some(default), base, none)
}

/// A float as Python's `repr` writes it: the shortest digits that round-trip, in positional
/// notation with a `.0` when integral, or in exponent notation (`1e+16`, `1e-05`) outside
/// 1e-4 ≤ |x| < 1e16.
fn python_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e17", "1e-5".
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        return format!("{sign}{first}{fraction}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
    }
    let point = exponent + 1; // digits before the decimal point
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{sign}{digits}{}.0", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{sign}{whole}.{fraction}")
    }
}

/// `strftime_now(format)`: `now` (seconds since the epoch, UTC) in C `strftime` notation.
fn strftime(now: i64, format: &str) -> std::result::Result<JinjaValue, minijinja::Error> {
    if now == NO_CLOCK {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "strftime_now: no time was given (the `now` template option)",
        ));
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let days = now.div_euclid(86_400);
    let seconds = now.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = (days + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let day_of_year = days - days_from_civil(year, 1, 1) + 1;
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&year.to_string()),
            Some('y') => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{month:02}")),
            Some('d') => out.push_str(&format!("{day:02}")),
            Some('e') => out.push_str(&format!("{day:2}")),
            Some('B') => out.push_str(MONTHS[month as usize - 1]),
            Some('b') | Some('h') => out.push_str(&MONTHS[month as usize - 1][..3]),
            Some('A') => out.push_str(DAYS[weekday]),
            Some('a') => out.push_str(&DAYS[weekday][..3]),
            Some('H') => out.push_str(&format!("{hour:02}")),
            Some('I') => out.push_str(&format!("{:02}", (hour + 11) % 12 + 1)),
            Some('p') => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            Some('M') => out.push_str(&format!("{minute:02}")),
            Some('S') => out.push_str(&format!("{second:02}")),
            Some('j') => out.push_str(&format!("{day_of_year:03}")),
            Some('%') => out.push('%'),
            Some(other) => {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("strftime_now: unsupported directive %{other}"),
                ))
            }
            None => out.push('%'),
        }
    }
    Ok(JinjaValue::from(out))
}

/// Howard Hinnant's civil-from-days: days since 1970-01-01 → (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl super::SlotValue for JinjaValue {
    fn from_text(text: String) -> Self {
        JinjaValue::from(text)
    }

    /// Straight from the JSON text to minijinja's values, with no `serde_json::Value` between.
    fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::InvalidData, format!("a template value is not valid JSON: {e}")).with_source(e)
        })
    }

    fn object(entries: Vec<(&str, Self)>) -> Self {
        JinjaValue::from_pairs(entries)
    }

    fn null() -> Self {
        JinjaValue::from(())
    }

    fn bool(value: bool) -> Self {
        JinjaValue::from(value)
    }

    fn integer(value: i64) -> Self {
        JinjaValue::from(value)
    }

    fn unsigned(value: u64) -> Self {
        JinjaValue::from(value)
    }

    fn float(value: f64) -> Self {
        JinjaValue::from(value)
    }

    fn list(items: Vec<Self>) -> Self {
        JinjaValue::from(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        for (value, expected) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (123.456, "123.456"),
            (1.5e-4, "0.00015"),
            (-2.5, "-2.5"),
            (1234567890123456.0, "1234567890123456.0"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
        ] {
            assert_eq!(python_float(value), expected, "{value}");
        }
    }

    #[test]
    fn strftime_formats_the_given_time() {
        // 2025-07-10T12:00:00Z, a Thursday.
        let now = 1_752_148_800;
        assert_eq!(
            strftime(now, "%Y-%m-%d %H:%M:%S %A %d %B %Y %b %j %I%p").unwrap().to_string(),
            "2025-07-10 12:00:00 Thursday 10 July 2025 Jul 191 12PM"
        );
    }

    #[test]
    fn int_and_floats_match_jinja2() {
        let template = Compiled::compile(
            "{{ 'abc'|int }}|{{ ' 4 '|int }}|{{ '4.5'|int }}|{{ 'x'|int(7) }}|{{ 'x'|int(default=8) }}|{{ 'ff'|int(base=16) }}|{{ 1e21 }}|{{ 1e-7 }}|{{ 2.5 }}|{{ 3 }}",
            &[],
            false,
            JinjaWhitespace::ChatTemplate,
            NO_CLOCK,
            1 << 20,
        )
        .unwrap();
        assert_eq!(template.render(&serde_json::json!({})).unwrap(), "0|4|4|7|8|255|1e+21|1e-07|2.5|3");
    }

    #[test]
    fn indent_matches_jinja2() {
        let mut env = Environment::new();
        env.add_filter("indent", indent);
        let render = |source: &str| env.render_str(source, ()).unwrap();
        assert_eq!(render(r#"{{ '{\n'|indent(4, first=True) }}"#), "    {\n");
        assert_eq!(render(r#"{{ 'a\n\nb'|indent(2) }}"#), "a\n\n  b");
        assert_eq!(render(r#"{{ 'a\n\nb'|indent(2, blank=True) }}"#), "a\n  \n  b");
        assert_eq!(render(r#"{{ 'a\nb'|indent('> ') }}"#), "a\n> b");
    }

    #[test]
    fn an_open_tag_overlapping_its_close_is_a_syntax_error_not_a_panic() {
        for source in ["{%}", "{%}generation", "x{%} {% generation %}y{% endgeneration %}"] {
            let error = Compiled::compile(source, &[], false, JinjaWhitespace::ChatTemplate, NO_CLOCK, 1 << 20).err();
            assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::TemplateSyntax), "{source}");
        }
    }

    #[test]
    fn generation_tag_becomes_a_plain_block() {
        assert_eq!(generation_as_block("a{%- generation %}b{% endgeneration -%}c"), "a{%- if true %}b{% endif -%}c");
    }
}
