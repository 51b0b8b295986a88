//! Per-connection rate limit: a token bucket counted in ops.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    pub fn new(per_second: u32, burst: u32, now: Instant) -> Self {
        let capacity = f64::from(burst.max(1));
        Self {
            capacity,
            per_second: f64::from(per_second.max(1)),
            tokens: capacity,
            at: now,
        }
    }

    /// Take `cost` tokens, or say how long until the message would be allowed. A message
    /// costing more than the whole bucket (one full 64 KB frame of tiny ops after a long
    /// offline spell) is allowed when the bucket is full and leaves it in debt, so it can
    /// always get through eventually instead of being refused forever.
    pub fn take(&mut self, cost: u32, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.at = now;
        let cost = f64::from(cost);
        let needed = cost.min(self.capacity);
        if self.tokens >= needed {
            self.tokens -= cost;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (needed - self.tokens) / self.per_second,
            ))
        }
    }
}

/// [`TokenBucket::take`] for a bucket kept as data (tokens, unix ms) in PostgreSQL, where
/// every relay takes from it: `None` is a full bucket. Returns the bucket after the take,
/// or how long to wait. A relay whose clock is behind the bucket's refills nothing rather
/// than counting the same time twice.
pub fn take_stored(
    stored: Option<(f64, i64)>,
    per_second: u32,
    burst: u32,
    cost: u32,
    now_ms: i64,
) -> Result<(f64, i64), Duration> {
    let capacity = f64::from(burst.max(1));
    let per_second = f64::from(per_second.max(1));
    let (tokens, at) = stored.unwrap_or((capacity, now_ms));
    let elapsed = (now_ms.saturating_sub(at)).max(0) as f64 / 1000.0;
    let tokens = (tokens + elapsed * per_second).min(capacity);
    let cost = f64::from(cost);
    let needed = cost.min(capacity);
    if tokens >= needed {
        Ok((tokens - cost, now_ms.max(at)))
    } else {
        Err(Duration::from_secs_f64((needed - tokens) / per_second))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_bucket_follows_the_same_rule() {
        let t0 = 1_000_000;
        let mut b = None;
        for _ in 0..5 {
            b = Some(super::take_stored(b, 10, 5, 1, t0).expect("burst"));
        }
        assert_eq!(
            super::take_stored(b, 10, 5, 1, t0),
            Err(Duration::from_millis(100))
        );
        assert!(super::take_stored(b, 10, 5, 1, t0 + 100).is_ok());
        // Another relay's clock 5 s behind refills nothing.
        assert!(super::take_stored(b, 10, 5, 1, t0 - 5_000).is_err());
    }

    use super::*;

    #[test]
    fn bursts_then_refills_at_the_rate() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(10, 5, t0);
        for _ in 0..5 {
            assert!(b.take(1, t0).is_ok());
        }
        let wait = b.take(1, t0).expect_err("empty");
        assert_eq!(wait, Duration::from_millis(100));
        assert!(b.take(1, t0 + Duration::from_millis(100)).is_ok());
        assert!(b.take(3, t0 + Duration::from_millis(200)).is_err());
    }

    #[test]
    fn an_oversized_message_passes_on_a_full_bucket_and_leaves_debt() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(10, 5, t0);
        assert!(b.take(20, t0).is_ok());
        // 15 tokens in debt + 1 needed: 1.6 s.
        assert_eq!(
            b.take(1, t0).expect_err("debt"),
            Duration::from_millis(1_600)
        );
        assert!(b.take(1, t0 + Duration::from_millis(1_600)).is_ok());
    }
}
