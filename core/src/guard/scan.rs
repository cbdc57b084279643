//! Scanners composed: a [`ScanSet`] built from one options object names which scanners run
//! (`{ "pii": true, "secrets": { "exclude": ["jwt"] } }`) and returns their findings merged
//! and sorted. [`build_scanner`] makes one scanner by name, for guards' checks.

use super::options::invalid;
use super::{sort_findings, Finding, Scanner};
use crate::Result;
use serde_json::Value;

/// The scanner names, in the order a [`ScanSet`] runs them.
pub const SCANNERS: &[&str] = &["pii", "secrets", "injection", "unicode", "text", "output"];

/// One scanner by name from its options (`true`, `null` or an object).
pub fn build_scanner(name: &str, options: &Value) -> Result<Box<dyn Scanner>> {
    Ok(match name {
        "pii" => Box::new(super::pii::PiiScanner::from_options(options)?),
        "secrets" => Box::new(super::secrets::SecretScanner::from_options(options)?),
        "text" => Box::new(super::text::TextScanner::from_options(options)?),
        "output" => Box::new(super::text::OutputScanner::from_options(options)?),
        "injection" => Box::new(super::injection::InjectionScanner::from_options(options)?),
        "unicode" => Box::new(super::unicode::UnicodeScanner::from_options(options)?),
        other => {
            return Err(invalid("scanner", format!("unknown scanner '{other}' (known: {})", SCANNERS.join(", "))));
        }
    })
}

/// Several scanners run over one text.
#[derive(Debug)]
pub struct ScanSet {
    scanners: Vec<Box<dyn Scanner>>,
}

impl ScanSet {
    /// From `{ pii?, secrets?, injection?, unicode?, text?, output? }`, each `true`, `false`
    /// or that scanner's options. `null` or `true` as a whole means the input scanners (pii,
    /// secrets, injection, unicode) with their defaults.
    pub fn from_options(options: &Value) -> Result<ScanSet> {
        let defaults;
        let map = match options {
            Value::Object(map) => map,
            Value::Null | Value::Bool(true) => {
                defaults =
                    ["pii", "secrets", "injection", "unicode"].iter().map(|n| (n.to_string(), Value::Bool(true))).collect();
                &defaults
            }
            _ => return Err(invalid("options", "scan options must be an object".into())),
        };
        if let Some(name) = map.keys().find(|name| !SCANNERS.contains(&name.as_str())) {
            return Err(invalid(name, format!("unknown scanner '{name}' (known: {})", SCANNERS.join(", "))));
        }
        let mut scanners = Vec::new();
        for name in SCANNERS {
            match map.get(*name) {
                None | Some(Value::Bool(false)) => {}
                Some(value) => scanners.push(build_scanner(name, value)?),
            }
        }
        Ok(ScanSet { scanners })
    }

    /// A set of already-built scanners.
    pub fn new(scanners: Vec<Box<dyn Scanner>>) -> ScanSet {
        ScanSet { scanners }
    }

    /// All findings, sorted by start (longest first).
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.scan_into(text, &mut findings);
        findings
    }

    /// Appends all findings to `out` and sorts it.
    pub fn scan_into(&self, text: &str, out: &mut Vec<Finding>) {
        Scanner::scan(self, text, out);
        sort_findings(out);
    }
}

impl Scanner for ScanSet {
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        for scanner in &self.scanners {
            scanner.scan(text, out);
        }
    }

    fn pending_from(&self, text: &str) -> usize {
        self.scanners.iter().map(|s| s.pending_from(text)).min().unwrap_or(text.len())
    }
}
