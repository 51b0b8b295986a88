//! The op log of a replica: per actor, in sequence order, and (for a replica opened from
//! a `/2` snapshot) kept as the stored text until something needs the ops.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeSeed;

use super::snapshot::{LogSeed, SnapshotError};
use super::{ReceiveError, VersionVector};
use crate::ids::{ActorId, OpId};
use crate::op::Op;

/// The ops of one actor: those numbered 1..=n without a gap in order, and the ones
/// beyond a gap by sequence number. Ops mostly arrive in order, so nearly every insert is
/// a push and every lookup an index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ActorLog {
    /// Ops `1..=contiguous.len()`; `contiguous[i]` has sequence number `i + 1`.
    contiguous: Vec<Op>,
    /// Ops beyond the first gap; every key is above `contiguous.len() + 1`.
    beyond: BTreeMap<u64, Op>,
}

impl ActorLog {
    /// Highest contiguous sequence number.
    pub(super) fn have(&self) -> u64 {
        self.contiguous.len() as u64
    }

    pub(super) fn get_mut(&mut self, seq: u64) -> Option<&mut Op> {
        if seq >= 1 && seq <= self.have() {
            usize::try_from(seq - 1)
                .ok()
                .and_then(|i| self.contiguous.get_mut(i))
        } else {
            self.beyond.get_mut(&seq)
        }
    }

    pub(super) fn get(&self, seq: u64) -> Option<&Op> {
        if seq >= 1 && seq <= self.have() {
            usize::try_from(seq - 1)
                .ok()
                .and_then(|i| self.contiguous.get(i))
        } else {
            self.beyond.get(&seq)
        }
    }

    /// Add an op whose sequence number (at least 1) is not in the log yet.
    pub(super) fn insert(&mut self, op: Op) {
        if op.id.seq == self.have() + 1 {
            self.contiguous.push(op);
            while let Some(next) = self.beyond.remove(&(self.have() + 1)) {
                self.contiguous.push(next);
            }
        } else {
            self.beyond.insert(op.id.seq, op);
        }
    }

    pub(super) fn len(&self) -> usize {
        self.contiguous.len() + self.beyond.len()
    }

    /// Highest sequence number held, gap or not.
    pub(super) fn max_seq(&self) -> u64 {
        self.beyond
            .last_key_value()
            .map_or(self.have(), |(seq, _)| *seq)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Op> {
        self.contiguous.iter().chain(self.beyond.values())
    }

    /// Ops with a sequence number of at least `from`, in order.
    pub(super) fn starting_at(&self, from: u64) -> impl Iterator<Item = &Op> {
        let skip = usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX);
        self.contiguous
            .iter()
            .skip(skip)
            .chain(self.beyond.range(from..).map(|(_, op)| op))
    }
}

/// The op log of a replica and the version vector counted from it.
#[derive(Clone, Debug, Default)]
pub(super) struct Parsed {
    pub(super) by_actor: BTreeMap<ActorId, ActorLog>,
    pub(super) vv: VersionVector,
    /// Read from a stored text that did not parse (so it stands for nothing).
    pub(super) damaged: bool,
}

impl Parsed {
    /// Put a new op in the log (after `before_log`, which applies it if asked) and count
    /// it in the version vector. The op's actor is replaced by the one the log already
    /// holds, so the log and the registers share one string per actor.
    pub(super) fn insert(&mut self, mut op: Op, before_log: impl FnOnce(&Op)) {
        match self.by_actor.get_key_value(&op.id.actor) {
            Some((actor, _)) => op.id.actor = actor.clone(),
            None => {
                self.by_actor
                    .insert(op.id.actor.clone(), ActorLog::default());
                self.vv.0.insert(op.id.actor.clone(), 0);
            }
        }
        before_log(&op);
        let actor = op.id.actor.clone();
        let Some(log) = self.by_actor.get_mut(&actor) else {
            return;
        };
        log.insert(op);
        let have = log.have();
        if let Some(counted) = self.vv.0.get_mut(&actor) {
            *counted = have;
        }
    }

    /// Whether `op` may join a stored log: `Ok(true)` if new, `Ok(false)` if already
    /// there, an error if it cannot be (sequence 0, or a different op with its id).
    pub(super) fn check_stored(&self, op: &Op) -> Result<bool, SnapshotError> {
        if op.id.seq == 0 {
            return Err(SnapshotError::BadLog(ReceiveError::ZeroSeq));
        }
        match self
            .by_actor
            .get(&op.id.actor)
            .and_then(|l| l.get(op.id.seq))
        {
            Some(existing) if existing != op => Err(SnapshotError::BadLog(
                ReceiveError::ConflictingOp(op.id.clone()),
            )),
            Some(_) => Ok(false),
            None => Ok(true),
        }
    }
}

/// The log of a replica opened from a `/2` snapshot stays text until something needs it
/// (catch-up, export, a received op, a local command): opening a stored workshop shows it
/// at once, and the log is parsed once, later. The text is kept after that too, with the
/// ids of the ops added since: saving writes it back plus those ops instead of
/// serialising every op again, which is most of the cost of a save.
#[derive(Clone, Debug, Default)]
pub(super) struct Log {
    pub(super) parsed: OnceLock<Parsed>,
    /// The stored log array and version vector; once `parsed` is set, only while the
    /// text lists every op of the log but `appended`.
    pub(super) stored: Option<Pending>,
    /// Ops added since `stored` was read, in order.
    pub(super) appended: Vec<OpId>,
}

#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub(super) log: Arc<str>,
    pub(super) vv: Arc<str>,
    /// Highest sequence number per actor in the stored log.
    pub(super) max_seqs: VersionVector,
}

impl Log {
    pub(super) fn get(&self) -> &Parsed {
        self.parsed
            .get_or_init(|| self.stored.as_ref().map_or_else(Parsed::default, parse_log))
    }

    pub(super) fn get_mut(&mut self) -> &mut Parsed {
        if self.get().damaged {
            // The text lists nothing the log holds.
            self.stored = None;
            self.appended.clear();
        }
        match self.parsed.get_mut() {
            Some(p) => p,
            // `get` above initialised it.
            None => unreachable!("log initialised above"),
        }
    }

    /// Add a new op (see [`Parsed::insert`]), remembered for the stored text.
    pub(super) fn insert(&mut self, op: Op, before_log: impl FnOnce(&Op)) {
        let id = op.id.clone();
        self.get_mut().insert(op, before_log);
        if self.stored.is_some() {
            self.appended.push(id);
        }
    }

    /// The op `id` in the log, to be changed in place: the stored text no longer lists
    /// the log, so it is dropped.
    pub(super) fn slot_mut(&mut self, id: &OpId) -> Option<&mut Op> {
        self.get();
        self.stored = None;
        self.appended.clear();
        self.get_mut()
            .by_actor
            .get_mut(&id.actor)
            .and_then(|l| l.get_mut(id.seq))
    }

    /// The stored text, if the log was not parsed yet.
    pub(super) fn unparsed(&self) -> Option<&Pending> {
        match self.parsed.get() {
            Some(_) => None,
            None => self.stored.as_ref(),
        }
    }

    /// The log as JSON from the stored text and the ops added since, if the text still
    /// lists the log.
    pub(super) fn write_from_text(&self, out: &mut Vec<u8>) -> bool {
        let (Some(p), Some(parsed)) = (&self.stored, self.parsed.get()) else {
            return false;
        };
        let Some(text) = p.log.strip_suffix(']') else {
            return false;
        };
        let mut added = Vec::with_capacity(self.appended.len());
        for id in &self.appended {
            match parsed.by_actor.get(&id.actor).and_then(|l| l.get(id.seq)) {
                Some(op) => added.push(op),
                None => return false,
            }
        }
        out.extend_from_slice(text.as_bytes());
        let mut first = text == "[";
        for op in added {
            if !first {
                out.push(b',');
            }
            first = false;
            // Serialising plain data with string keys cannot fail.
            let _ = serde_json::to_writer(&mut *out, op);
        }
        out.push(b']');
        true
    }
}

/// Equal when the ops are: a log still in text equals the same log parsed.
impl PartialEq for Log {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.get(), other.get());
        a.by_actor == b.by_actor && a.vv == b.vv
    }
}

impl Eq for Log {}

/// Parse a stored `/2` log. A log that does not parse (storage damaged after it was
/// written) leaves the replica with its state and an empty log and version vector: it
/// then asks its peers for everything again, and applying what it already has changes
/// nothing.
fn parse_log(p: &Pending) -> Parsed {
    let mut parsed = Parsed::default();
    let mut bad = None;
    let mut de = serde_json::Deserializer::from_str(&p.log);
    let ok = LogSeed {
        sink: |op: Op| {
            if parsed.check_stored(&op)? {
                parsed.insert(op, |_| {});
            }
            Ok(())
        },
        bad: &mut bad,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .is_ok();
    if ok && bad.is_none() {
        parsed
    } else {
        Parsed {
            damaged: true,
            ..Parsed::default()
        }
    }
}
