//! Reading scanner options from JSON, as the bindings pass them: one reader so every scanner
//! refuses unknown and mistyped options the same way (`invalid_argument`, with
//! `details.option` naming the option by its path, such as `pii.types`).

use crate::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// The options object of one scanner (or of a part of one).
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    path: &'a str,
    map: &'a Map<String, Value>,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Options<'a> {
    /// Reads `value` as the options at `path`: an object, or `true`/`null` for the defaults.
    /// Any member not in `known` is refused.
    pub fn new(path: &'a str, value: &'a Value, known: &[&str]) -> Result<Options<'a>> {
        let map = match value {
            Value::Object(map) => map,
            Value::Bool(true) | Value::Null => EMPTY.get_or_init(Map::new),
            _ => return Err(invalid(path, format!("option '{path}' must be an object or true"))),
        };
        if let Some(name) = map.keys().find(|name| !known.contains(&name.as_str())) {
            let full = format!("{path}.{name}");
            return Err(invalid(&full, format!("unknown option '{full}' (known: {})", known.join(", "))));
        }
        Ok(Options { path, map })
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    fn wrong(&self, name: &str, what: &str) -> Error {
        let full = format!("{}.{name}", self.path);
        invalid(&full, format!("option '{full}' must be {what}"))
    }

    /// The raw value of an option, when present.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.get(name)
    }

    /// A boolean option.
    pub fn bool(&self, name: &str) -> Result<Option<bool>> {
        self.get(name).map(|value| value.as_bool().ok_or_else(|| self.wrong(name, "a boolean"))).transpose()
    }

    /// A number option within `min..=max`.
    pub fn number(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>> {
        self.get(name)
            .map(|value| {
                value
                    .as_f64()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| self.wrong(name, &format!("a number from {min} to {max}")))
            })
            .transpose()
    }

    /// A non-negative integer option no larger than `max`.
    pub fn count(&self, name: &str, max: u64) -> Result<Option<usize>> {
        self.get(name)
            .map(|value| {
                value
                    .as_u64()
                    .filter(|&n| n <= max)
                    .map(|n| n as usize)
                    .ok_or_else(|| self.wrong(name, &format!("an integer from 0 to {max}")))
            })
            .transpose()
    }

    /// A string option.
    pub fn string(&self, name: &str) -> Result<Option<&'a str>> {
        self.get(name).map(|value| value.as_str().ok_or_else(|| self.wrong(name, "a string"))).transpose()
    }

    /// A list of strings (a single string counts as a list of one).
    pub fn strings(&self, name: &str) -> Result<Option<Vec<&'a str>>> {
        let Some(value) = self.get(name) else { return Ok(None) };
        match value {
            Value::String(one) => Ok(Some(vec![one.as_str()])),
            Value::Array(items) => {
                items.iter().map(|item| item.as_str().ok_or_else(|| self.wrong(name, "a list of strings"))).collect::<Result<_>>().map(Some)
            }
            _ => Err(self.wrong(name, "a list of strings")),
        }
    }

    /// A list of names each of which must be one of `allowed` (compared exactly).
    pub fn names(&self, name: &str, allowed: &[&str]) -> Result<Option<Vec<&'a str>>> {
        let Some(list) = self.strings(name)? else { return Ok(None) };
        if let Some(bad) = list.iter().find(|item| !allowed.contains(item)) {
            let full = format!("{}.{name}", self.path);
            return Err(invalid(&full, format!("option '{full}' names unknown '{bad}' (known: {})", allowed.join(", "))));
        }
        Ok(Some(list))
    }

    /// The path of this options object, for messages (`pii`, `text.banned`).
    pub fn path(&self) -> &'a str {
        self.path
    }
}

/// An `invalid_argument` error about the option at `path`.
pub fn invalid(path: &str, message: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, message).with_detail("option", path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_refuses() {
        let value = json!({"types": ["EMAIL"], "minScore": 0.5, "on": true});
        let options = Options::new("pii", &value, &["types", "minScore", "on"]).unwrap();
        assert_eq!(options.names("types", &["EMAIL", "PHONE"]).unwrap(), Some(vec!["EMAIL"]));
        assert_eq!(options.number("minScore", 0.0, 1.0).unwrap(), Some(0.5));
        assert_eq!(options.bool("on").unwrap(), Some(true));
        assert_eq!(options.bool("absent").unwrap(), None);
        let error = Options::new("pii", &value, &["types"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("pii.minScore"), "{error}");
        let error = options.names("types", &["PHONE"]).unwrap_err();
        assert!(error.to_string().contains("unknown 'EMAIL'"), "{error}");
        assert!(Options::new("pii", &json!(true), &[]).is_ok());
        assert!(Options::new("pii", &json!(3), &[]).is_err());
    }
}
