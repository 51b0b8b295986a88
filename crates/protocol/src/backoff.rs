//! Reconnect delays: exponential back-off with jitter, so thirty phones that lost the wifi
//! together do not all hit the relay in the same millisecond when it comes back.

/// First retry waits around this long.
pub const BACKOFF_BASE_MS: u64 = 500;
/// No retry waits longer than this; a facilitator should not stare at "reconnecting" for
/// minutes after the wifi is back.
pub const BACKOFF_CAP_MS: u64 = 30_000;

/// The delay before reconnect attempt `attempt` (0 for the first retry).
///
/// "Equal jitter": half of the exponential step is fixed and half is random, so the delay
/// still grows (a broken relay is not hammered) while clients spread out. `random_0_to_1`
/// is the caller's random number (e.g. `Math.random()`); values outside `[0, 1]` are
/// clamped and NaN counts as 0.5.
pub fn next_retry_delay_ms(attempt: u32, random_0_to_1: f64) -> u64 {
    let step = BACKOFF_BASE_MS
        .saturating_mul(1u64.checked_shl(attempt.min(32)).unwrap_or(u64::MAX))
        .min(BACKOFF_CAP_MS);
    let r = if random_0_to_1.is_nan() {
        0.5
    } else {
        random_0_to_1.clamp(0.0, 1.0)
    };
    let half = step / 2;
    // `r * half` is within [0, half] and half ≤ 15_000, so the cast is exact enough.
    half + (r * half as f64).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_up_to_the_cap() {
        assert_eq!(next_retry_delay_ms(0, 1.0), 500);
        assert_eq!(next_retry_delay_ms(1, 1.0), 1_000);
        assert_eq!(next_retry_delay_ms(2, 1.0), 2_000);
        assert_eq!(next_retry_delay_ms(6, 1.0), 30_000);
        assert_eq!(next_retry_delay_ms(60, 1.0), 30_000);
        assert_eq!(next_retry_delay_ms(u32::MAX, 1.0), 30_000);
    }

    #[test]
    fn jitter_spans_the_upper_half_of_each_step() {
        assert_eq!(next_retry_delay_ms(3, 0.0), 2_000);
        assert_eq!(next_retry_delay_ms(3, 0.5), 3_000);
        assert_eq!(next_retry_delay_ms(3, 1.0), 4_000);
        assert_eq!(next_retry_delay_ms(10, 0.0), 15_000);
    }

    #[test]
    fn odd_random_numbers_are_tamed() {
        assert_eq!(next_retry_delay_ms(0, -3.0), 250);
        assert_eq!(next_retry_delay_ms(0, 7.0), 500);
        assert_eq!(next_retry_delay_ms(0, f64::NAN), 375);
        assert_eq!(next_retry_delay_ms(0, f64::INFINITY), 500);
    }
}
