//! NTP-style estimate of the relay's clock, so timers agree across devices.
//!
//! Each Ping/Pong is one sample: the client sends its time `t0`, the relay answers with
//! its time `s`, the client receives at `t1`. Assuming the request and answer took equally
//! long, the relay's clock read `s` at local time `(t0 + t1) / 2`, so
//! `offset = s - (t0 + t1) / 2`, with an error of at most `rtt / 2`. The sample with the
//! lowest round trip therefore has the tightest bound and is the one used.

use std::collections::VecDeque;

/// Samples kept. Old samples age out so a changed route or a stepped local clock is
/// picked up within a few pings.
pub const CLOCK_SAMPLES: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockSample {
    pub rtt_ms: i64,
    pub offset_ms: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockEstimate {
    samples: VecDeque<ClockSample>,
}

impl ClockEstimate {
    /// Record a Pong received at local time `received_ms`. A negative round trip means the
    /// local clock stepped back during the ping; such a sample says nothing and is dropped.
    pub fn add(&mut self, client_time_ms: i64, server_time_ms: i64, received_ms: i64) {
        let rtt_ms = received_ms.saturating_sub(client_time_ms);
        if rtt_ms < 0 {
            return;
        }
        let midpoint = client_time_ms.saturating_add(rtt_ms / 2);
        let offset_ms = server_time_ms.saturating_sub(midpoint);
        if self.samples.len() == CLOCK_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(ClockSample { rtt_ms, offset_ms });
    }

    /// The sample with the lowest round trip (the newest among equals).
    pub fn best(&self) -> Option<ClockSample> {
        self.samples.iter().rev().min_by_key(|s| s.rtt_ms).copied()
    }

    /// Relay time minus local time, in ms (`None` before the first sample).
    pub fn offset_ms(&self) -> Option<i64> {
        self.best().map(|s| s.offset_ms)
    }

    /// The relay's "now" for a local "now"; the local time itself until a sample exists.
    pub fn server_now(&self, local_now_ms: i64) -> i64 {
        local_now_ms.saturating_add(self.offset_ms().unwrap_or(0))
    }

    pub fn sample_count(&self) -> usize {
        self.samples.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_comes_from_the_lowest_round_trip() {
        let mut c = ClockEstimate::default();
        assert_eq!(c.offset_ms(), None);
        assert_eq!(c.server_now(100), 100);
        // Relay is 5_000 ms ahead. A slow sample with asymmetric delay is off by 150 ms...
        c.add(1_000, 6_300, 1_400);
        // ...a fast one is within 5 ms.
        c.add(2_000, 7_010, 2_020);
        c.add(3_000, 8_100, 3_250);
        assert_eq!(
            c.best(),
            Some(ClockSample {
                rtt_ms: 20,
                offset_ms: 5_000
            })
        );
        assert_eq!(c.server_now(10_000), 15_000);
    }

    #[test]
    fn negative_round_trips_are_ignored_and_old_samples_age_out() {
        let mut c = ClockEstimate::default();
        c.add(1_000, 0, 900);
        assert_eq!(c.sample_count(), 0);
        c.add(0, 100, 2); // rtt 2: best so far
        for i in 0..CLOCK_SAMPLES as i64 {
            c.add(i * 1_000, i * 1_000 + 50, i * 1_000 + 40);
        }
        assert_eq!(c.sample_count(), CLOCK_SAMPLES);
        // The rtt-2 sample is gone; the rtt-40 ones remain (offset 50 - 20 = 30).
        assert_eq!(
            c.best(),
            Some(ClockSample {
                rtt_ms: 40,
                offset_ms: 30
            })
        );
    }

    #[test]
    fn negative_offsets_work() {
        let mut c = ClockEstimate::default();
        c.add(10_000, 7_005, 10_010);
        assert_eq!(c.offset_ms(), Some(-3_000));
    }
}
