//! Guards: checks with on-fail actions, run over text going to a model or coming back.
//!
//! A [`Guard`] holds checks, each a scanner (or a check the caller runs itself, such as a
//! JavaScript function or a model-as-judge) with an [`Action`] for when it fails. All checks
//! judge the same text; their edits are then applied together, so the result does not depend
//! on the order of the checks.
//!
//! ```
//! use bridle::guard::{policy::Guard, redact::Vault};
//! use serde_json::json;
//! # fn main() -> bridle::Result<()> {
//! let guard = Guard::from_json(&json!({
//!     "checks": [{ "scanner": "text", "options": { "banned": ["hunter2"] }, "onFail": "redact" }],
//! }))?;
//! let mut vault = Vault::new();
//! let outcome = guard.run("my password is hunter2", &mut vault);
//! assert_eq!(outcome.text, "my password is <BANNED_TERM_1>");
//! assert!(!outcome.blocked && outcome.failures.len() == 1);
//! # Ok(()) }
//! ```

use super::options::{invalid, Options};
use super::redact::{redact_styled, RedactOptions, Style, Vault};
use super::scan::build_scanner;
use super::{Finding, Scanner};
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Value};

/// What a failed check does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Stop: the call fails with a `guard_blocked` error carrying the findings.
    Block,
    /// Replace the findings by placeholders (or the guard's redaction style), restorable.
    Redact,
    /// Repair the text: hidden characters and overflow are removed, confusable words get
    /// their Latin reading, other findings are redacted.
    Fix,
    /// Remove the findings' spans (the whole text when a failure has no span).
    Filter,
    /// Pass the text through and report the failure as a warning.
    Warn,
    /// Pass the text through and return a message for the model to correct itself (a chain
    /// sends it back).
    Reask,
    /// Record the findings and nothing else.
    Noop,
}

impl Action {
    /// The action by its name (`block`, `redact`, `fix`, `filter`, `warn`, `reask`, `noop`).
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "block" => Action::Block,
            "redact" => Action::Redact,
            "fix" => Action::Fix,
            "filter" => Action::Filter,
            "warn" => Action::Warn,
            "reask" => Action::Reask,
            "noop" => Action::Noop,
            _ => return None,
        })
    }

    /// The action's name.
    pub fn name(self) -> &'static str {
        match self {
            Action::Block => "block",
            Action::Redact => "redact",
            Action::Fix => "fix",
            Action::Filter => "filter",
            Action::Warn => "warn",
            Action::Reask => "reask",
            Action::Noop => "noop",
        }
    }
}

/// One check of a guard.
#[derive(Debug)]
pub struct Check {
    /// Its name in results (the scanner's name unless given).
    pub name: String,
    /// The scanner, or `None` for a check the caller runs and reports through
    /// [`External`].
    pub scanner: Option<Box<dyn Scanner>>,
    /// What happens when it fails.
    pub action: Action,
    /// Findings scoring below this are ignored.
    pub min_score: Option<f64>,
    /// Only findings of these kinds count.
    pub kinds: Option<Vec<String>>,
    /// The message of a failure (for `reask`, what the model is told).
    pub message: Option<String>,
}

/// A finding and the check that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The index of the check.
    pub check: usize,
    /// The finding.
    pub finding: Finding,
}

/// The result of a check the caller ran (a JavaScript function, a model-as-judge).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct External {
    /// The index of the check.
    pub check: usize,
    /// Whether it failed (also true when it returned findings).
    pub failed: bool,
    /// Its findings, byte offsets in the checked text.
    pub findings: Vec<Finding>,
    /// Its message.
    pub message: Option<String>,
}

/// A failed check.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The index of the check.
    pub check: usize,
    /// The check's name.
    pub name: String,
    /// Its action.
    pub action: Action,
    /// What failed, in words (kinds and counts; never the found values).
    pub message: String,
    /// Indexes into [`Outcome::hits`].
    pub hits: Vec<usize>,
}

/// The result of running a guard.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The text after the edits of `redact`, `fix` and `filter` failures (unchanged when
    /// blocked).
    pub text: String,
    /// Every finding of every check, sorted by start, offsets in the checked text.
    pub hits: Vec<Hit>,
    /// The failed checks.
    pub failures: Vec<Failure>,
    /// Whether a `block` check failed.
    pub blocked: bool,
}

impl Outcome {
    /// The messages of `reask` failures.
    pub fn reask(&self) -> Vec<&str> {
        self.failures.iter().filter(|f| f.action == Action::Reask).map(|f| f.message.as_str()).collect()
    }

    /// The `guard_blocked` error for a blocked outcome (findings and failures in details,
    /// without the found text, so logging the error does not leak it).
    pub fn blocked_error(&self) -> Error {
        let failed: Vec<&Failure> = self.failures.iter().filter(|f| f.action == Action::Block).collect();
        Error::new(ErrorKind::GuardBlocked, blocked_message(&self.failures)).with_detail(
            "failures",
            Value::Array(failed.iter().map(|f| json!({ "check": f.name, "message": f.message })).collect()),
        )
    }
}

/// The message of a blocked run: the `block` checks that failed and the first one's message
/// (kinds and counts, never the found values).
pub fn blocked_message(failures: &[Failure]) -> String {
    let failed: Vec<&Failure> = failures.iter().filter(|f| f.action == Action::Block).collect();
    let names: Vec<&str> = failed.iter().map(|f| f.name.as_str()).collect();
    format!("blocked by guard check {}: {}", names.join(", "), failed.first().map_or("", |f| f.message.as_str()))
}

/// Checks with actions.
#[derive(Debug)]
pub struct Guard {
    checks: Vec<Check>,
    redact: RedactOptions,
}

impl Guard {
    /// A guard from `{ checks: [check...], onFail?, redact? }` where a check is
    /// `{ scanner: "pii" | "secrets" | ..., options?, name?, onFail?, minScore?, kinds?, message? }`
    /// or `{ external: true, name, onFail? }` for a check the caller runs. `onFail` at the top
    /// is the default action (`block` unless given); `redact` is the redaction style
    /// ([`RedactOptions::from_json`]).
    pub fn from_json(value: &Value) -> Result<Guard> {
        let options = Options::new("guard", value, &["checks", "onFail", "redact"])?;
        let default = action_option(&options, "onFail")?.unwrap_or(Action::Block);
        let redact = match options.value("redact") {
            Some(value) => RedactOptions::from_json(value)?,
            None => RedactOptions::default(),
        };
        let Some(Value::Array(list)) = options.value("checks") else {
            return Err(invalid("guard.checks", "option 'guard.checks' must be a list of checks".into()));
        };
        let mut checks = Vec::with_capacity(list.len());
        for (index, value) in list.iter().enumerate() {
            let path = format!("guard.checks[{index}]");
            let check = Options::new(
                &path,
                value,
                &["scanner", "options", "name", "onFail", "minScore", "kinds", "message", "external"],
            )?;
            let external = check.bool("external")?.unwrap_or(false);
            let scanner_name = check.string("scanner")?;
            let scanner = match (scanner_name, external) {
                (Some(name), false) => Some(build_scanner(name, check.value("options").unwrap_or(&Value::Bool(true)))?),
                (None, true) => None,
                _ => return Err(invalid(&path, format!("check {index} needs either 'scanner' or 'external: true'"))),
            };
            checks.push(Check {
                name: check.string("name")?.or(scanner_name).unwrap_or("check").to_owned(),
                scanner,
                action: action_option(&check, "onFail")?.unwrap_or(default),
                min_score: check.number("minScore", 0.0, 1.0)?,
                kinds: check.strings("kinds")?.map(|kinds| kinds.into_iter().map(str::to_owned).collect()),
                message: check.string("message")?.map(str::to_owned),
            });
        }
        Ok(Guard { checks, redact })
    }

    /// A guard from checks built in Rust.
    pub fn new(checks: Vec<Check>, redact: RedactOptions) -> Guard {
        Guard { checks, redact }
    }

    /// The checks.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The findings of the scanner checks in `text`, sorted by start.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut found = Vec::new();
        for (index, check) in self.checks.iter().enumerate() {
            let Some(scanner) = &check.scanner else { continue };
            found.clear();
            scanner.scan(text, &mut found);
            hits.extend(found.drain(..).filter(|f| self.counts(check, f)).map(|finding| Hit { check: index, finding }));
        }
        sort_hits(&mut hits);
        hits
    }

    fn counts(&self, check: &Check, finding: &Finding) -> bool {
        check.min_score.is_none_or(|min| finding.score.unwrap_or(1.0) >= min)
            && check.kinds.as_ref().is_none_or(|kinds| kinds.iter().any(|k| *k == finding.kind))
    }

    /// Runs the scanner checks over `text` and applies the actions.
    pub fn run(&self, text: &str, vault: &mut Vault) -> Outcome {
        self.resolve(text, self.scan(text), Vec::new(), vault)
    }

    /// Applies the actions for `hits` (from [`scan`](Self::scan)) and the results of the
    /// caller's checks.
    pub fn resolve(&self, text: &str, mut hits: Vec<Hit>, externals: Vec<External>, vault: &mut Vault) -> Outcome {
        let mut failed_whole: Vec<(usize, Option<String>)> = Vec::new();
        for external in externals {
            let Some(check) = self.checks.get(external.check) else { continue };
            let before = hits.len();
            hits.extend(
                external
                    .findings
                    .into_iter()
                    .filter(|f| f.end <= text.len() && f.start <= f.end && self.counts(check, f))
                    .map(|finding| Hit { check: external.check, finding }),
            );
            if external.failed || hits.len() > before {
                failed_whole.push((external.check, external.message));
            }
        }
        sort_hits(&mut hits);
        let mut failures: Vec<Failure> = Vec::new();
        for (index, check) in self.checks.iter().enumerate() {
            let mine: Vec<usize> = hits.iter().enumerate().filter(|(_, h)| h.check == index).map(|(i, _)| i).collect();
            let external = failed_whole.iter().find(|(c, _)| *c == index);
            if mine.is_empty() && external.is_none() {
                continue;
            }
            let message = external
                .and_then(|(_, m)| m.clone())
                .or_else(|| check.message.clone())
                .unwrap_or_else(|| describe(&check.name, mine.iter().map(|&i| hits[i].finding.kind.as_ref())));
            failures.push(Failure { check: index, name: check.name.clone(), action: check.action, message, hits: mine });
        }
        let blocked = failures.iter().any(|f| f.action == Action::Block);
        let text = if blocked { text.to_owned() } else { self.edit(text, &hits, &failures, vault) };
        Outcome { text, hits, failures, blocked }
    }

    fn edit(&self, text: &str, hits: &[Hit], failures: &[Failure], vault: &mut Vault) -> String {
        let mut edits: Vec<(&Finding, Style)> = Vec::new();
        for failure in failures {
            match failure.action {
                Action::Filter if failure.hits.is_empty() => return String::new(),
                Action::Redact | Action::Fix | Action::Filter => {}
                _ => continue,
            }
            for &i in &failure.hits {
                let finding = &hits[i].finding;
                let style = match failure.action {
                    Action::Filter => Style::Remove,
                    Action::Fix => fix_style(finding).unwrap_or_else(|| self.redact_style(finding)),
                    _ => self.redact_style(finding),
                };
                edits.push((finding, style));
            }
        }
        if edits.is_empty() {
            return text.to_owned();
        }
        let styled: Vec<(&Finding, &Style)> = edits.iter().map(|(f, s)| (*f, s)).collect();
        redact_styled(text, &styled, vault).text
    }

    fn redact_style(&self, finding: &Finding) -> Style {
        self.redact.style_for(&finding.kind).clone()
    }
}

/// How `fix` repairs a finding, where it has a repair: hidden Unicode and overflow are
/// removed, a confusable word gets its Latin reading, an exfiltrating image is dropped.
fn fix_style(finding: &Finding) -> Option<Style> {
    if let Some(Value::String(with)) = finding.detail.get("replacement") {
        return Some(Style::Replace(with.clone()));
    }
    match (finding.scanner, finding.kind.as_ref()) {
        ("unicode", "CONFUSABLE") => {
            finding.detail.get("skeleton").and_then(Value::as_str).map(|s| Style::Replace(s.to_owned()))
        }
        ("unicode", _) | ("text", "TOO_LONG") | ("output", "MARKDOWN_EXFILTRATION") | ("output", "CANARY_LEAK") => {
            Some(Style::Remove)
        }
        _ => None,
    }
}

fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        a.finding.start.cmp(&b.finding.start).then(b.finding.end.cmp(&a.finding.end)).then(a.check.cmp(&b.check))
    });
}

fn action_option(options: &Options, name: &str) -> Result<Option<Action>> {
    options
        .string(name)?
        .map(|value| {
            Action::from_name(value).ok_or_else(|| {
                let path = format!("{}.{name}", options.path());
                invalid(&path, format!("unknown action '{value}' (known: block, redact, fix, filter, warn, reask, noop)"))
            })
        })
        .transpose()
}

/// "check 'pii' found 2 EMAIL, 1 PHONE" (kinds in order of first appearance).
fn describe<'a>(name: &str, kinds: impl Iterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for kind in kinds {
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    if counts.is_empty() {
        return format!("check '{name}' failed");
    }
    let list: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("check '{name}' found {}", list.join(", "))
}

impl Guard {
    /// For streaming: the earliest offset any scanner check needs held back (see
    /// [`Scanner::pending_from`]).
    pub fn pending_from(&self, text: &str) -> usize {
        self.checks.iter().filter_map(|c| c.scanner.as_ref()).map(|s| s.pending_from(text)).min().unwrap_or(text.len())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Finds runs of 3+ ASCII digits (kind `NUMBER`) and the word `secret` (kind `WORD`).
    #[derive(Debug)]
    pub(crate) struct Digits;

    impl Scanner for Digits {
        fn scan(&self, text: &str, out: &mut Vec<Finding>) {
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_digit() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    if i - start >= 3 {
                        out.push(Finding::new("pii", "NUMBER", start, i).with_score(0.5 + (i - start) as f64 / 100.0));
                    }
                } else {
                    i += 1;
                }
            }
            for (at, _) in text.match_indices("secret") {
                out.push(Finding::new("text", "WORD", at, at + 6));
            }
        }
    }

    pub(crate) fn check(action: Action) -> Check {
        Check { name: "digits".into(), scanner: Some(Box::new(Digits)), action, min_score: None, kinds: None, message: None }
    }

    #[test]
    fn actions_edit_or_report() {
        let text = "call 5550123 about the secret";
        let run = |action| Guard::new(vec![check(action)], RedactOptions::default()).run(text, &mut Vault::new());
        assert_eq!(run(Action::Redact).text, "call <NUMBER_1> about the <WORD_1>");
        assert_eq!(run(Action::Filter).text, "call  about the ");
        assert_eq!(run(Action::Fix).text, "call <NUMBER_1> about the <WORD_1>", "no repair known: redacted");
        for action in [Action::Warn, Action::Reask, Action::Noop] {
            let outcome = run(action);
            assert_eq!(outcome.text, text);
            assert_eq!(outcome.failures[0].message, "check 'digits' found 1 NUMBER, 1 WORD");
        }
        assert_eq!(run(Action::Reask).reask(), ["check 'digits' found 1 NUMBER, 1 WORD"]);
        let blocked = run(Action::Block);
        assert!(blocked.blocked);
        assert_eq!(blocked.text, text);
        let error = blocked.blocked_error();
        assert_eq!(error.kind(), ErrorKind::GuardBlocked);
        assert!(!error.to_string().contains("5550123"), "the error does not carry the value: {error}");
        assert!(run(Action::Redact).hits.len() == 2);
        assert!(Guard::new(vec![check(Action::Block)], RedactOptions::default())
            .run("nothing here", &mut Vault::new())
            .failures
            .is_empty());
    }

    #[test]
    fn score_and_kind_filters() {
        let mut c = check(Action::Redact);
        c.min_score = Some(0.56);
        c.kinds = Some(vec!["NUMBER".into()]);
        let guard = Guard::new(vec![c], RedactOptions::default());
        assert_eq!(guard.run("12345 1234567 secret", &mut Vault::new()).text, "12345 <NUMBER_1> secret");
    }

    #[test]
    fn external_checks_and_whole_text_filters() {
        let external = Check {
            name: "judge".into(),
            scanner: None,
            action: Action::Filter,
            min_score: None,
            kinds: None,
            message: None,
        };
        let guard = Guard::new(vec![check(Action::Warn), external], RedactOptions::default());
        let text = "off topic 123";
        let failed = External { check: 1, failed: true, findings: vec![], message: Some("off topic".into()) };
        let outcome = guard.resolve(text, guard.scan(text), vec![failed], &mut Vault::new());
        assert_eq!(outcome.text, "", "a failed filter check without spans drops the text");
        assert_eq!(
            outcome.failures.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
            ["check 'digits' found 1 NUMBER", "off topic"]
        );
        let span =
            External { check: 1, failed: false, findings: vec![Finding::new("custom", "TOPIC", 0, 3)], message: None };
        assert_eq!(guard.resolve(text, guard.scan(text), vec![span], &mut Vault::new()).text, " topic 123");
    }

    #[test]
    fn options_are_checked() {
        for (options, needle) in [
            (json!({}), "guard.checks"),
            (json!({"checks": [{}]}), "needs either"),
            (json!({"checks": [{"external": true, "onFail": "explode"}]}), "unknown action 'explode'"),
            (json!({"checks": [{"scanner": "nope"}]}), "unknown scanner 'nope'"),
            (json!({"checks": [], "colour": 1}), "guard.colour"),
        ] {
            let error = Guard::from_json(&options).unwrap_err();
            assert!(error.to_string().contains(needle), "{options}: {error}");
        }
        let guard =
            Guard::from_json(&json!({"checks": [{"external": true, "name": "judge", "onFail": "reask"}], "onFail": "warn"}))
                .unwrap();
        assert_eq!(guard.checks()[0].action, Action::Reask);
        assert_eq!(guard.checks()[0].name, "judge");
    }
}
