//! A token bucket for a model's request rate: a pure reservation, so the wait is decided here
//! and only awaited by the binding.
//!
//! ```
//! use bridle::model::limiter::TokenBucket;
//!
//! // 2 requests per second, bursts of 2.
//! let mut bucket = TokenBucket::new(2.0, 1000.0, 2.0);
//! assert_eq!(bucket.reserve(0.0), 0.0);
//! assert_eq!(bucket.reserve(0.0), 0.0);
//! assert_eq!(bucket.reserve(0.0), 500.0); // the third waits for a token
//! assert_eq!(bucket.reserve(0.0), 1000.0); // and the fourth queues behind it
//! assert_eq!(bucket.reserve(2000.0), 0.0);
//! ```

/// `requests` per `interval_ms`, with bursts of up to `burst` requests.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    capacity: f64,
    per_ms: f64,
    tokens: f64,
    last_ms: Option<f64>,
}

impl TokenBucket {
    /// A full bucket refilling `requests` tokens every `interval_ms`, holding at most `burst`.
    pub fn new(requests: f64, interval_ms: f64, burst: f64) -> TokenBucket {
        TokenBucket { capacity: burst, per_ms: requests / interval_ms, tokens: burst, last_ms: None }
    }

    /// Takes a token at `now_ms` and returns how long to wait (ms) before sending. Tokens
    /// taken ahead of time are owed (the count goes negative), so callers queue in order.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        if let Some(last) = self.last_ms {
            if now_ms > last {
                self.tokens = (self.tokens + (now_ms - last) * self.per_ms).min(self.capacity);
            }
        }
        self.last_ms = Some(self.last_ms.map_or(now_ms, |last| last.max(now_ms)));
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            0.0
        } else {
            -self.tokens / self.per_ms
        }
    }
}
