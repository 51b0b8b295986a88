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

#[cfg(test)]
mod tests {
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
