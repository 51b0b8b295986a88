//! A replica: the state, the op log it was built from, and the clocks to make new ops.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::command::{Command, DecideCtx, decide};
use crate::error::DomainError;
use crate::ids::{ActorId, Hlc, OpId};
use crate::model::{Role, Workshop};
use crate::op::{Op, apply};

/// Highest contiguous sequence number seen per actor. Ops beyond a gap are kept (and
/// applied) but not counted, so a peer asking with this vector is sent the gap again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(pub BTreeMap<ActorId, u64>);

impl VersionVector {
    pub fn get(&self, actor: &ActorId) -> u64 {
        self.0.get(actor).copied().unwrap_or(0)
    }

    /// Whether every op counted in `other` is counted here.
    pub fn includes(&self, other: &VersionVector) -> bool {
        other.0.iter().all(|(a, s)| self.get(a) >= *s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReceiveError {
    /// Sequence numbers start at 1.
    #[error("op has sequence number 0")]
    ZeroSeq,
    /// Same id, different content: a replica reused a sequence number. Keeping the first
    /// and refusing the second is the only answer every replica can agree on locally;
    /// the caller should report it.
    #[error("op {0} conflicts with a different op of the same id")]
    ConflictingOp(OpId),
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SnapshotError {
    #[error("snapshot is not valid JSON for this version: line {line}, column {column}")]
    Unreadable { line: usize, column: usize },
    #[error("snapshot has format {0:?}, expected {SNAPSHOT_FORMAT:?}")]
    WrongFormat(String),
    #[error("snapshot log is inconsistent: {0}")]
    BadLog(ReceiveError),
}

pub const SNAPSHOT_FORMAT: &str = "bijeen-snapshot/1";

/// What a replica persists: its own actor, the whole op log (so `missing_for` keeps
/// working after a reload), the version vector, and optionally the state.
///
/// [`Doc::save`] leaves the state out: it is derived from the log, replaying is cheaper
/// than parsing the state (every register carries its stamp), and a replayed state can
/// never disagree with its log. A snapshot that does carry a state is taken as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub actor: ActorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<Workshop>,
    pub log: Vec<Op>,
    pub vv: VersionVector,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    actor: ActorId,
    /// Last sequence number this actor used.
    seq: u64,
    hlc: Hlc,
    workshop: Workshop,
    log: BTreeMap<ActorId, BTreeMap<u64, Op>>,
    vv: VersionVector,
}

impl Doc {
    pub fn new(actor: ActorId) -> Self {
        Self {
            actor,
            seq: 0,
            hlc: Hlc::default(),
            workshop: Workshop::default(),
            log: BTreeMap::new(),
            vv: VersionVector::default(),
        }
    }

    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    pub fn workshop(&self) -> &Workshop {
        &self.workshop
    }

    /// The latest clock this replica has made or seen.
    pub fn hlc(&self) -> Hlc {
        self.hlc
    }

    /// Decide `cmd`, stamp the ops with this actor's next sequence numbers and clock,
    /// apply them locally and return them for broadcasting. Nothing changes on error.
    pub fn execute(
        &mut self,
        cmd: &Command,
        role: Role,
        now_ms: i64,
    ) -> Result<Vec<Op>, DomainError> {
        let ctx = DecideCtx {
            actor: self.actor.clone(),
            role,
            now_ms,
        };
        let bodies = decide(&self.workshop, cmd, &ctx)?;
        Ok(self.commit(bodies, now_ms))
    }

    /// Stamp, apply and log bodies that were already decided.
    pub(crate) fn commit(&mut self, bodies: Vec<crate::op::OpBody>, now_ms: i64) -> Vec<Op> {
        let mut out = Vec::with_capacity(bodies.len());
        for body in bodies {
            self.seq += 1;
            self.hlc = self.hlc.tick(now_ms);
            let op = Op {
                id: OpId {
                    actor: self.actor.clone(),
                    seq: self.seq,
                },
                hlc: self.hlc,
                body,
            };
            self.insert(op.clone());
            out.push(op);
        }
        out
    }

    /// Take an op from another replica (or our own, echoed back). Returns whether it was
    /// new. Idempotent; any order is fine (ops beyond a gap are applied and kept).
    pub fn receive(&mut self, op: &Op) -> Result<bool, ReceiveError> {
        if op.id.seq == 0 {
            return Err(ReceiveError::ZeroSeq);
        }
        if let Some(existing) = self.log.get(&op.id.actor).and_then(|l| l.get(&op.id.seq)) {
            return if existing == op {
                Ok(false)
            } else {
                Err(ReceiveError::ConflictingOp(op.id.clone()))
            };
        }
        self.hlc = self.hlc.observe(op.hlc);
        // Our own op from an older incarnation (say, a reload from an older snapshot):
        // never reuse its sequence number.
        if op.id.actor == self.actor {
            self.seq = self.seq.max(op.id.seq);
        }
        self.insert(op.clone());
        Ok(true)
    }

    fn insert(&mut self, op: Op) {
        apply(&mut self.workshop, &op);
        let actor = op.id.actor.clone();
        let seq = op.id.seq;
        let log = self.log.entry(actor.clone()).or_default();
        log.insert(seq, op);
        let have = self.vv.0.entry(actor).or_insert(0);
        if seq == *have + 1 {
            let mut next = seq;
            while log.contains_key(&(next + 1)) {
                next += 1;
            }
            *have = next;
        }
    }

    pub fn version_vector(&self) -> &VersionVector {
        &self.vv
    }

    /// Every op this replica has that a peer with `vv` lacks (by actor, then sequence).
    pub fn missing_for(&self, vv: &VersionVector) -> Vec<Op> {
        let mut out = Vec::new();
        for (actor, ops) in &self.log {
            let have = vv.get(actor);
            out.extend(ops.range(have + 1..).map(|(_, op)| op.clone()));
        }
        out
    }

    /// The whole log in (actor, sequence) order.
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.log.values().flat_map(|l| l.values())
    }

    pub fn op_count(&self) -> usize {
        self.log.values().map(BTreeMap::len).sum()
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.to_owned(),
            actor: self.actor.clone(),
            workshop: Some(self.workshop.clone()),
            log: self.ops().cloned().collect(),
            vv: self.vv.clone(),
        }
    }

    /// The snapshot as JSON for browser storage (log and version vector; the state is
    /// rebuilt on load).
    pub fn save(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string(&SnapshotRef {
            format: SNAPSHOT_FORMAT,
            actor: &self.actor,
            log: self.ops().collect(),
            vv: &self.vv,
        })
        .unwrap_or_default()
    }

    pub fn load(json: &str) -> Result<Doc, SnapshotError> {
        let snap: Snapshot = serde_json::from_str(json).map_err(|e| SnapshotError::Unreadable {
            line: e.line(),
            column: e.column(),
        })?;
        Doc::from_snapshot(snap)
    }

    /// Rebuild a replica from a snapshot: the state as stored if present, else replayed
    /// from the log; the version vector, sequence and clock are always recomputed from
    /// the log, which is what they must agree with.
    pub fn from_snapshot(snap: Snapshot) -> Result<Doc, SnapshotError> {
        if snap.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::WrongFormat(snap.format));
        }
        let mut doc = Doc::new(snap.actor);
        let replay = snap.workshop.is_none();
        if let Some(w) = snap.workshop {
            doc.workshop = w;
        }
        for op in snap.log {
            if op.id.seq == 0 {
                return Err(SnapshotError::BadLog(ReceiveError::ZeroSeq));
            }
            let log = doc.log.entry(op.id.actor.clone()).or_default();
            if let Some(existing) = log.get(&op.id.seq) {
                if *existing != op {
                    return Err(SnapshotError::BadLog(ReceiveError::ConflictingOp(op.id)));
                }
                continue;
            }
            doc.hlc = doc.hlc.observe(op.hlc);
            if op.id.actor == doc.actor {
                doc.seq = doc.seq.max(op.id.seq);
            }
            if replay {
                apply(&mut doc.workshop, &op);
            }
            log.insert(op.id.seq, op);
        }
        for (actor, ops) in &doc.log {
            let mut have = 0;
            while ops.contains_key(&(have + 1)) {
                have += 1;
            }
            doc.vv.0.insert(actor.clone(), have);
        }
        Ok(doc)
    }

    /// A fresh replica whose state is the replay of `ops` (used by import).
    pub fn from_ops<'a>(
        actor: ActorId,
        ops: impl IntoIterator<Item = &'a Op>,
    ) -> Result<Doc, ReceiveError> {
        let mut doc = Doc::new(actor);
        for op in ops {
            doc.receive(op)?;
        }
        Ok(doc)
    }
}

#[derive(Serialize)]
struct SnapshotRef<'a> {
    format: &'static str,
    actor: &'a ActorId,
    log: Vec<&'a Op>,
    vv: &'a VersionVector,
}
