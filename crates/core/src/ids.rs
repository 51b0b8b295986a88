//! Identities and clocks: who made a change, in which order, and what it is called.

use std::fmt;

use std::sync::Arc;

use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One replica (a browser window or device). The participant id of a participant equals
/// the actor id of their device, so "is this my note?" is a plain comparison.
///
/// Shared (`Arc<str>`): every register carries the actor of its last write, and cloning
/// a pointer instead of a string keeps `apply` and snapshots fast. Serialised as a
/// plain string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ActorId(pub Arc<str>);

/// Ordered as the strings are; two handles on one shared string compare without reading
/// it (a replica's log hands out one shared string per actor).
impl Ord for ActorId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            std::cmp::Ordering::Equal
        } else {
            self.0.cmp(&other.0)
        }
    }
}

impl PartialOrd for ActorId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

thread_local! {
    /// The actor read last: a stored log lists one actor's ops together, so reading
    /// 25,000 ops allocates one string per actor instead of one per op (and the log's
    /// key, the registers and the ops share it). One entry, so it never grows.
    static LAST_READ: std::cell::RefCell<Option<ActorId>> = const { std::cell::RefCell::new(None) };
}

impl ActorId {
    /// The actor named `s`, sharing the string of the actor read last if it is the same.
    fn interned(s: &str) -> Self {
        LAST_READ.with(|last| {
            let mut last = last.borrow_mut();
            match &*last {
                Some(a) if a.as_str() == s => a.clone(),
                _ => {
                    let a = ActorId(Arc::from(s));
                    *last = Some(a.clone());
                    a
                }
            }
        })
    }

    pub fn new(s: impl Into<String>) -> Self {
        Self(Arc::from(s.into()))
    }

    /// Longest actor id a peer may use. Ids are random hex (16 to 32 digits), or short
    /// names in tests and exports (`anon-3`); every op, note id and register repeats it.
    pub const MAX_LEN: usize = 64;

    /// Whether this id may come from a peer: 1 to [`ActorId::MAX_LEN`] characters of
    /// `[A-Za-z0-9_-]`. Control characters or a 60,000-character id would otherwise be
    /// repeated in every note id, log line and export.
    pub fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= Self::MAX_LEN
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for ActorId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ActorId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ActorId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            // Straight from the input into the shared string: one allocation, not two,
            // and none when the same actor came last (a log is stored by actor).
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ActorId, E> {
                Ok(ActorId::interned(s))
            }
            // As `String` accepts them.
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<ActorId, E> {
                std::str::from_utf8(b)
                    .map(|s| ActorId(Arc::from(s)))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(b), &self))
            }
        }
        d.deserialize_str(V)
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The unique id of an op: the actor that made it and that actor's sequence number
/// (1, 2, 3, ... without gaps). Serialised as `["actor", seq]` to keep the wire small.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(from = "(ActorId, u64)")]
pub struct OpId {
    pub actor: ActorId,
    pub seq: u64,
}

impl From<(ActorId, u64)> for OpId {
    fn from((actor, seq): (ActorId, u64)) -> Self {
        Self { actor, seq }
    }
}
impl Serialize for OpId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&self.actor)?;
        t.serialize_element(&self.seq)?;
        t.end()
    }
}

impl fmt::Display for OpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.actor, self.seq)
    }
}

/// Hybrid logical clock: wall time in unix milliseconds plus a counter for events within
/// the same millisecond (or while the wall clock lags behind a remote one). It orders
/// changes the way people expect ("the later edit wins") while staying monotonic even
/// when device clocks disagree. Serialised as `[wall_ms, counter]`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(from = "(i64, u32)", into = "(i64, u32)")]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
}

impl From<(i64, u32)> for Hlc {
    fn from((wall_ms, counter): (i64, u32)) -> Self {
        Self { wall_ms, counter }
    }
}
impl From<Hlc> for (i64, u32) {
    fn from(h: Hlc) -> Self {
        (h.wall_ms, h.counter)
    }
}

/// How far ahead of the relay's clock a stamp may be. Device clocks synced by NTP agree to
/// within seconds; a stamp further ahead would win every last-writer-wins register until
/// that time comes (an op stamped in the year 292,277,026,596 wins forever).
pub const HLC_MAX_AHEAD_MS: i64 = 60_000;

impl Hlc {
    /// The stamp for a local event at `now_ms`: greater than `self`, except at the very end
    /// of the clock's range, where it stays put instead of going backwards (ties are broken
    /// by actor and sequence number, so order is still total).
    pub fn tick(self, now_ms: i64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else if self.counter < u32::MAX {
            Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter + 1,
            }
        } else if self.wall_ms < i64::MAX {
            // Counter exhausted within one millisecond: borrow the next millisecond rather
            // than wrap, which would break monotonicity.
            Hlc {
                wall_ms: self.wall_ms + 1,
                counter: 0,
            }
        } else {
            self
        }
    }

    /// Whether a stamp may be accepted from a peer at `now_ms` (the relay's clock): not
    /// before 1970 and at most [`HLC_MAX_AHEAD_MS`] ahead.
    pub fn is_plausible_at(self, now_ms: i64) -> bool {
        self.wall_ms >= 0 && self.wall_ms <= now_ms.saturating_add(HLC_MAX_AHEAD_MS)
    }

    /// Merge a remote stamp so that our next local stamp is after everything we have seen.
    pub fn observe(self, remote: Hlc) -> Hlc {
        self.max(remote)
    }
}

/// The total order of writes used by every last-writer-wins register: `(hlc, actor, seq)`.
/// `seq` only breaks ties between two ops of one actor with the same clock, which an
/// honest replica never produces, but a buggy one must not make replicas diverge.
/// Serialised as `[wall_ms, counter, actor, seq]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(from = "(i64, u32, ActorId, u64)")]
pub struct Stamp {
    pub hlc: Hlc,
    pub actor: ActorId,
    pub seq: u64,
}

impl From<(i64, u32, ActorId, u64)> for Stamp {
    fn from((wall_ms, counter, actor, seq): (i64, u32, ActorId, u64)) -> Self {
        Self {
            hlc: Hlc { wall_ms, counter },
            actor,
            seq,
        }
    }
}
impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(4)?;
        t.serialize_element(&self.hlc.wall_ms)?;
        t.serialize_element(&self.hlc.counter)?;
        t.serialize_element(&self.actor)?;
        t.serialize_element(&self.seq)?;
        t.end()
    }
}

/// `"{actor}-{seq}"` without the formatting machinery: entity ids are made for every
/// creating op that is applied, so this is on the hot path of `apply`.
fn op_id_string(id: &OpId) -> String {
    let mut digits = [0u8; 20];
    let mut n = id.seq;
    let mut start = digits.len();
    loop {
        start -= 1;
        // `n % 10` is below 10, so the cast cannot truncate.
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    let actor = id.actor.as_str();
    let mut s = String::with_capacity(actor.len() + 1 + digits.len());
    s.push_str(actor);
    s.push('-');
    for &d in digits {
        s.push(char::from(d));
    }
    s
}

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id of the entity created by op `id`: `"{actor}-{seq}"`. Deterministic,
            /// so every replica names the entity the same without coordination.
            pub fn from_op(id: &OpId) -> Self {
                Self(op_id_string(id))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

entity_id!(
    /// An agenda block.
    BlockId
);
entity_id!(
    /// A note (sticky) on the brainstorm board or a bear on the berenschiet wall.
    NoteId
);
entity_id!(
    /// A theme group (themagroep) of the brainstorm board.
    GroupId
);
entity_id!(
    /// An agreement, open end or follow-up action.
    AgreementId
);
entity_id!(
    /// A community plan.
    PlanId
);
entity_id!(
    /// A voting round, opened by the facilitator; votes count only in the current round.
    RoundId
);
entity_id!(
    /// A participant; equal to the actor id of the participant's device.
    ParticipantId
);

impl ParticipantId {
    pub fn of(actor: &ActorId) -> Self {
        Self(actor.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hlc_tick_is_strictly_monotonic_even_when_the_wall_clock_goes_back() {
        let h = Hlc {
            wall_ms: 1_000,
            counter: 3,
        };
        assert!(h.tick(2_000) > h);
        assert!(h.tick(500) > h);
        assert!(h.tick(1_000) > h);
        let max = Hlc {
            wall_ms: 1_000,
            counter: u32::MAX,
        };
        assert!(max.tick(0) > max);
    }

    #[test]
    fn hlc_tick_never_goes_backwards_at_the_end_of_its_range() {
        let end = Hlc {
            wall_ms: i64::MAX,
            counter: u32::MAX,
        };
        assert!(end.tick(0) >= end);
        assert!(end.tick(i64::MAX) >= end);
        let late = Hlc {
            wall_ms: i64::MAX,
            counter: 7,
        };
        assert!(late.tick(5) > late);
        let last_ms = Hlc {
            wall_ms: i64::MAX - 1,
            counter: u32::MAX,
        };
        assert!(last_ms.tick(0) > last_ms);
    }

    #[test]
    fn only_stamps_near_the_relay_clock_are_plausible() {
        let now = 1_760_000_000_000;
        let at = |wall_ms| Hlc {
            wall_ms,
            counter: 0,
        };
        assert!(at(now).is_plausible_at(now));
        assert!(at(now - 86_400_000).is_plausible_at(now));
        assert!(at(now + HLC_MAX_AHEAD_MS).is_plausible_at(now));
        assert!(!at(now + HLC_MAX_AHEAD_MS + 1).is_plausible_at(now));
        assert!(!at(i64::MAX).is_plausible_at(now));
        assert!(!at(-1).is_plausible_at(now));
        assert!(at(0).is_plausible_at(i64::MAX));
    }

    #[test]
    fn actor_ids_from_peers_are_short_and_plain() {
        for ok in ["a", "dev-a", "anon-3", "0f3a9c2e11b04d6a", "relay_1"] {
            assert!(ActorId::new(ok).is_well_formed(), "{ok}");
        }
        let long = "x".repeat(ActorId::MAX_LEN + 1);
        for bad in ["", "a b", "a\u{0}", "é", "a.b", "a/b", long.as_str()] {
            assert!(!ActorId::new(bad).is_well_formed(), "{bad:?}");
        }
        assert!(ActorId::new("x".repeat(ActorId::MAX_LEN)).is_well_formed());
    }

    #[test]
    fn entity_ids_are_derived_from_the_creating_op() {
        let id = OpId {
            actor: ActorId::new("dev-a"),
            seq: 12,
        };
        assert_eq!(NoteId::from_op(&id).as_str(), "dev-a-12");
        for seq in [1, 9, 10, 99, 100, 12_345, u64::MAX] {
            let id = OpId {
                actor: ActorId::new("x"),
                seq,
            };
            assert_eq!(NoteId::from_op(&id).as_str(), format!("x-{seq}"));
            assert_eq!(NoteId::from_op(&id).as_str(), id.to_string());
        }
    }

    #[test]
    fn ids_and_clocks_serialise_compactly() {
        let s = Stamp {
            hlc: Hlc {
                wall_ms: 5,
                counter: 1,
            },
            actor: ActorId::new("a"),
            seq: 2,
        };
        assert_eq!(serde_json::to_string(&s).expect("json"), r#"[5,1,"a",2]"#);
        let id = OpId {
            actor: ActorId::new("a"),
            seq: 2,
        };
        assert_eq!(serde_json::to_string(&id).expect("json"), r#"["a",2]"#);
    }
}
