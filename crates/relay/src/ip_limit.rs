//! Rate limits per client address: token buckets in a bounded map.
//!
//! An attacker with many addresses must not be able to grow the map without bound, so each
//! map holds at most [`MAX_TRACKED`] addresses. A bucket that has refilled completely
//! carries no information (a fresh one would be the same), so those are pruned first; if
//! the map is still full of addresses that are all actively limited, newcomers share one
//! overflow bucket until pruning frees room. Under such an attack the newcomers are limited
//! together rather than not at all.
//!
//! IPv6 clients are keyed by their /64: one subscriber usually gets a whole /64, and
//! counting every address in it separately would give one device 2^64 buckets.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::NetLimits;

/// Addresses tracked per limiter. About 64 bytes each: a few MB at most per limiter.
pub const MAX_TRACKED: usize = 65_536;

/// How often a full map is scanned for prunable buckets at most, so an attack with
/// many addresses costs one scan per interval instead of one per request.
const PRUNE_EVERY: Duration = Duration::from_secs(1);

/// The address a limit is counted for: IPv4 as is (IPv4-mapped IPv6 included), IPv6 by
/// its /64 prefix.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One limit (say, join-code lookups): `burst` at once, refilled at `per_minute`.
#[derive(Debug)]
pub struct IpLimiter {
    capacity: f64,
    per_second: f64,
    max_tracked: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    buckets: HashMap<IpAddr, Bucket>,
    overflow: Option<Bucket>,
    next_prune: Option<Instant>,
}

impl IpLimiter {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self::with_capacity(per_minute, burst, MAX_TRACKED)
    }

    pub fn with_capacity(per_minute: u32, burst: u32, max_tracked: usize) -> Self {
        Self {
            capacity: f64::from(burst.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            max_tracked: max_tracked.max(1),
            inner: Mutex::new(Inner {
                buckets: HashMap::new(),
                overflow: None,
                next_prune: None,
            }),
        }
    }

    /// Takes one token for `ip`, or says how long until one is there.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = limit_key(ip);
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = Bucket {
            tokens: self.capacity,
            at: now,
        };
        if let Some(bucket) = inner.buckets.get_mut(&key) {
            return self.take(bucket, now);
        }
        if inner.buckets.len() >= self.max_tracked {
            self.prune(&mut inner, now);
        }
        if inner.buckets.len() < self.max_tracked {
            let bucket = inner.buckets.entry(key).or_insert(fresh);
            return self.take(bucket, now);
        }
        let bucket = inner.overflow.get_or_insert(fresh);
        self.take(bucket, now)
    }

    fn take(&self, bucket: &mut Bucket, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }

    /// Drops the buckets that have refilled to the brim by now.
    fn prune(&self, inner: &mut Inner, now: Instant) {
        if inner.next_prune.is_some_and(|at| now < at) {
            return;
        }
        inner.next_prune = Some(now + PRUNE_EVERY);
        let refill = self.capacity / self.per_second;
        inner.buckets.retain(|_, b| {
            now.saturating_duration_since(b.at).as_secs_f64() + b.tokens / self.per_second < refill
        });
        if inner.overflow.is_some_and(|b| {
            now.saturating_duration_since(b.at).as_secs_f64() + b.tokens / self.per_second >= refill
        }) {
            inner.overflow = None;
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .buckets
            .len()
    }
}

/// Every per-address limit of the relay.
#[derive(Debug)]
pub struct IpLimits {
    /// New WebSocket connections (checked in `ws::upgrade`).
    pub connect: IpLimiter,
    /// Hello messages (checked in `ws.rs` before any work for a Hello).
    pub hello: IpLimiter,
    /// `POST /api/rooms`.
    pub create_room: IpLimiter,
    /// `GET /api/join/{code}`.
    pub join: IpLimiter,
}

impl IpLimits {
    pub fn new(net: &NetLimits) -> Self {
        Self {
            connect: IpLimiter::new(net.connects_per_minute, net.connects_burst),
            hello: IpLimiter::new(net.hellos_per_minute, net.hellos_burst),
            create_room: IpLimiter::new(net.rooms_per_minute, net.rooms_burst),
            join: IpLimiter::new(net.joins_per_minute, net.joins_burst),
        }
    }
}

/// Milliseconds for `ErrorCode::RateLimited`, never zero (zero would invite a hot retry).
pub fn retry_after_ms(wait: Duration) -> u64 {
    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn v4(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(n))
    }

    #[test]
    fn burst_then_the_rate_per_address() {
        let t0 = Instant::now();
        let l = IpLimiter::new(60, 3);
        for _ in 0..3 {
            assert!(l.check(v4(1), t0).is_ok());
        }
        assert_eq!(l.check(v4(1), t0), Err(Duration::from_secs(1)));
        // Another address has its own bucket.
        assert!(l.check(v4(2), t0).is_ok());
        assert!(l.check(v4(1), t0 + Duration::from_secs(1)).is_ok());
        assert!(l.check(v4(1), t0 + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn an_ipv6_client_is_one_client_per_64() {
        let t0 = Instant::now();
        let l = IpLimiter::new(60, 2);
        let a: Ipv6Addr = "2001:db8:1:2:aaaa::1".parse().expect("v6");
        let b: Ipv6Addr = "2001:db8:1:2:bbbb::7".parse().expect("v6");
        let other: Ipv6Addr = "2001:db8:1:3::1".parse().expect("v6");
        assert!(l.check(a.into(), t0).is_ok());
        assert!(l.check(b.into(), t0).is_ok());
        assert!(l.check(a.into(), t0).is_err());
        assert!(l.check(other.into(), t0).is_ok());
        // IPv4-mapped IPv6 is the IPv4 client.
        let mapped = Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped();
        assert_eq!(
            limit_key(mapped.into()),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))
        );
    }

    #[test]
    fn the_map_stays_bounded_and_newcomers_share_an_overflow_bucket() {
        let t0 = Instant::now();
        let l = IpLimiter::with_capacity(60, 2, 100);
        for n in 0..10_000 {
            let _ = l.check(v4(n), t0);
        }
        assert_eq!(l.tracked(), 100);
        // The overflow bucket has been drained by the flood: a newcomer is limited.
        assert!(l.check(v4(20_000), t0).is_err());
        // Addresses the map holds keep their own buckets.
        assert!(l.check(v4(5), t0).is_ok());
        // Once buckets have refilled they are pruned and newcomers get their own again.
        let later = t0 + Duration::from_secs(3);
        assert!(l.check(v4(30_000), later).is_ok());
        assert!(l.tracked() <= 100);
    }

    #[test]
    fn pruning_keeps_buckets_that_still_limit() {
        let t0 = Instant::now();
        let l = IpLimiter::with_capacity(60, 2, 2);
        assert!(l.check(v4(1), t0).is_ok());
        assert!(l.check(v4(1), t0).is_ok());
        assert!(l.check(v4(2), t0).is_ok());
        // The map is full; address 1 is empty and must stay limited after a prune.
        let soon = t0 + Duration::from_millis(1_500);
        let _ = l.check(v4(3), soon);
        assert!(l.check(v4(1), soon).is_ok(), "1.5 tokens back");
        assert!(l.check(v4(1), soon).is_err());
    }
}
