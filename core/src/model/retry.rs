//! When to try a failed model call again, and how long to wait first: a pure policy, so both
//! backends wait the same and tests can assert the waits.
//!
//! ```
//! use bridle::model::retry::RetryPolicy;
//! use bridle::{Error, ErrorKind};
//!
//! let policy = RetryPolicy { jitter: 0.0, ..RetryPolicy::default() };
//! let overloaded = Error::new(ErrorKind::Server, "overloaded");
//! assert_eq!(policy.delay(1, &overloaded, 0.5), Some(500.0));
//! assert_eq!(policy.delay(2, &overloaded, 0.5), Some(1000.0));
//! assert_eq!(policy.delay(3, &overloaded, 0.5), None); // two retries by default
//! let limited = Error::new(ErrorKind::RateLimit, "slow down").with_detail("retryAfter", 2500.0);
//! assert_eq!(policy.delay(1, &limited, 0.5), Some(2500.0));
//! assert_eq!(policy.delay(1, &Error::new(ErrorKind::Auth, "bad key"), 0.5), None);
//! ```

use crate::error::{Error, ErrorKind};
use serde_json::{Map, Value};

/// Retries with exponential backoff and jitter on rate limits, server errors (HTTP 408, 409,
/// 429, 5xx), network errors and timeouts, honouring the provider's `Retry-After`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2, as the OpenAI and Anthropic SDKs).
    pub max_retries: u32,
    /// The wait before the first retry, in ms (default 500).
    pub initial_delay_ms: f64,
    /// The longest computed wait, in ms (default 8000).
    pub max_delay_ms: f64,
    /// How much each wait grows (default 2).
    pub factor: f64,
    /// The share of a computed wait taken off at random, 0 to 1 (default 0.25): waits fall in
    /// `[delay * (1 - jitter), delay]`, so clients that failed together do not retry together.
    pub jitter: f64,
    /// The longest `Retry-After` honoured, in ms (default 60000); a provider asking for longer
    /// gets no retry, and the error keeps `details.retryAfter`.
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            initial_delay_ms: 500.0,
            max_delay_ms: 8000.0,
            factor: 2.0,
            jitter: 0.25,
            max_retry_after_ms: 60_000.0,
        }
    }
}

impl RetryPolicy {
    /// Whether an error of this kind may succeed when tried again.
    pub fn retryable(kind: ErrorKind) -> bool {
        matches!(kind, ErrorKind::RateLimit | ErrorKind::Server | ErrorKind::Network | ErrorKind::Timeout)
    }

    /// The wait in ms before attempt `attempt + 1`, after attempt `attempt` (1-based) failed
    /// with `error`; `None` to give up. `random` is a number in `[0, 1)` for the jitter.
    ///
    /// `details.shouldRetry: false` (the provider's `x-should-retry` header, or a 429 that
    /// means an exhausted quota) forbids a retry; `details.retryAfter` (ms) replaces the
    /// computed wait.
    pub fn delay(&self, attempt: u32, error: &Error, random: f64) -> Option<f64> {
        if attempt > self.max_retries {
            return None;
        }
        let details = error.details();
        match details.get("shouldRetry") {
            Some(Value::Bool(false)) => return None,
            Some(Value::Bool(true)) => {}
            _ if !RetryPolicy::retryable(error.kind()) => return None,
            _ => {}
        }
        if let Some(after) = details.get("retryAfter").and_then(Value::as_f64) {
            return (after <= self.max_retry_after_ms).then_some(after.max(0.0));
        }
        let exponent = attempt.saturating_sub(1).min(64) as i32;
        let delay = (self.initial_delay_ms * self.factor.powi(exponent)).min(self.max_delay_ms);
        Some(delay * (1.0 - self.jitter * random.clamp(0.0, 1.0)))
    }
}

/// The wait a response asks for, in ms: `retry-after-ms` (OpenAI), then `retry-after` in
/// seconds or as an HTTP date (read against `now_ms`, the Unix time in ms). Header names are
/// lowercase.
pub fn retry_after_ms(headers: &Map<String, Value>, now_ms: f64) -> Option<f64> {
    let header = |name: &str| headers.get(name).and_then(Value::as_str).map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite() && *v >= 0.0) {
        return Some(ms);
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then_some(seconds * 1000.0);
    }
    http_date_ms(value).map(|at| (at - now_ms).max(0.0))
}

/// Parses an HTTP date in the IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix ms.
pub fn http_date_ms(text: &str) -> Option<f64> {
    let rest = text.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = months.iter().position(|m| *m == month_name)? as i64 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let policy = RetryPolicy { max_retries: 10, ..RetryPolicy::default() };
        let error = Error::new(ErrorKind::Network, "reset");
        assert_eq!(policy.delay(1, &error, 0.0), Some(500.0));
        assert_eq!(policy.delay(1, &error, 0.999_999).map(f64::round), Some(375.0));
        assert_eq!(policy.delay(4, &error, 0.0), Some(4000.0));
        assert_eq!(policy.delay(9, &error, 0.0), Some(8000.0));
        assert_eq!(policy.delay(11, &error, 0.0), None);
    }

    #[test]
    fn provider_hints_win() {
        let policy = RetryPolicy::default();
        let no = Error::new(ErrorKind::Server, "x").with_detail("shouldRetry", false);
        assert_eq!(policy.delay(1, &no, 0.0), None);
        let yes = Error::new(ErrorKind::BadRequest, "x").with_detail("shouldRetry", true);
        assert_eq!(policy.delay(1, &yes, 0.0), Some(500.0));
        let long = Error::new(ErrorKind::RateLimit, "x").with_detail("retryAfter", 120_000.0);
        assert_eq!(policy.delay(1, &long, 0.0), None);
        assert_eq!(policy.delay(1, &Error::new(ErrorKind::Aborted, "x"), 0.0), None);
    }

    #[test]
    fn retry_after_headers() {
        let now = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777_000.0);
        let headers = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(retry_after_ms(&headers(json!({"retry-after": "2"})), now), Some(2000.0));
        assert_eq!(retry_after_ms(&headers(json!({"retry-after": "0.5", "retry-after-ms": "120"})), now), Some(120.0));
        assert_eq!(retry_after_ms(&headers(json!({"retry-after": "Sun, 06 Nov 1994 08:49:40 GMT"})), now), Some(3000.0));
        assert_eq!(retry_after_ms(&headers(json!({"retry-after": "Sun, 06 Nov 1994 08:49:30 GMT"})), now), Some(0.0));
        assert_eq!(retry_after_ms(&headers(json!({"retry-after": "soon"})), now), None);
        assert_eq!(retry_after_ms(&headers(json!({})), now), None);
    }
}
