//! A replica: the state, the op log it was built from, and the clocks to make new ops.
//!
//! - `version_vector`: what a replica has counted, for catch-up;
//! - `log`: the op log, kept as stored text until first needed;
//! - `snapshot`: the storage formats (`/2` written, `/1` still read).

mod log;
mod snapshot;
mod version_vector;

use crate::command::{Command, DecideCtx, decide};
use crate::error::DomainError;
use crate::ids::{ActorId, Hlc, OpId};
use crate::model::{Role, Workshop};
use crate::op::{Op, apply};
use thiserror::Error;

use log::{ActorLog, Log};
pub use snapshot::{
    SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_2, Snapshot, SnapshotError, stored_version_vector,
};
pub use version_vector::VersionVector;

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

/// How far ahead of this device's time a seen clock may be for new stamps to follow it
/// (see [`Doc::commit`]). The relay accepts only [`crate::HLC_MAX_AHEAD_MS`]; this only
/// heals a replica that saw a poisoned clock.
const FOLLOW_MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    actor: ActorId,
    /// Last sequence number this actor used.
    seq: u64,
    /// A participant's bear pseudonym ([`crate::pseudonym`]) and the last sequence number
    /// it used.
    pseudonym: Option<(ActorId, u64)>,
    hlc: Hlc,
    workshop: Workshop,
    log: Log,
}

impl Doc {
    pub fn new(actor: ActorId) -> Self {
        Self {
            actor,
            seq: 0,
            pseudonym: None,
            hlc: Hlc::default(),
            workshop: Workshop::default(),
            log: Log::default(),
        }
    }

    /// Write bears under `pseudonym` from now on (see [`crate::pseudonym`]); its numbering
    /// goes on from what the log already holds of it.
    pub fn set_pseudonym(&mut self, pseudonym: ActorId) {
        let used = self
            .log
            .get()
            .by_actor
            .get(&pseudonym)
            .map_or(0, ActorLog::max_seq);
        self.pseudonym = Some((pseudonym, used));
    }

    pub fn pseudonym(&self) -> Option<&ActorId> {
        self.pseudonym.as_ref().map(|(actor, _)| actor)
    }

    /// This replica's actors: what it may write under.
    pub fn principal(&self) -> crate::pseudonym::Principal {
        crate::pseudonym::Principal {
            actor: self.actor.clone(),
            pseudonym: self.pseudonym().cloned(),
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
            pseudonym: self.pseudonym().cloned(),
        };
        let bodies = decide(&self.workshop, cmd, &ctx)?;
        Ok(self.commit(bodies, now_ms))
    }

    /// Stamp, apply and log bodies that were already decided, each under the actor that
    /// writes it ([`crate::pseudonym::writer_of`]).
    pub(crate) fn commit(&mut self, bodies: Vec<crate::op::OpBody>, now_ms: i64) -> Vec<Op> {
        let principal = self.principal();
        let mut out = Vec::with_capacity(bodies.len());
        for body in bodies {
            let writer = crate::pseudonym::writer_of(&self.workshop, &body, &principal);
            let seq = match &mut self.pseudonym {
                Some((pseudonym, used)) if pseudonym == writer => {
                    *used += 1;
                    *used
                }
                _ => {
                    self.seq += 1;
                    self.seq
                }
            };
            if self.hlc.wall_ms > now_ms.saturating_add(FOLLOW_MAX_AHEAD_MS) {
                // A clock far ahead of ours was seen (stored before relays refused such
                // stamps): following it would make every op of ours one the relay refuses.
                // Within a day we follow it, as a hybrid logical clock should, so a later
                // edit still wins over one from a peer whose clock runs ahead.
                self.hlc = Hlc {
                    wall_ms: now_ms,
                    counter: 0,
                };
            }
            self.hlc = self.hlc.tick(now_ms);
            let op = Op {
                id: OpId {
                    actor: writer.clone(),
                    seq,
                },
                hlc: self.hlc,
                body,
            };
            self.insert(op.clone(), true);
            out.push(op);
        }
        out
    }

    /// Take an op from another replica (or our own, echoed back). Returns whether it was
    /// new. Idempotent; any order is fine (ops beyond a gap are applied and kept). A
    /// refusal marker ([`Op::refusal_of`]) for an op in the log retracts that op; the op
    /// arriving after its refusal changes nothing: the refusal wins in either order.
    pub fn receive(&mut self, op: &Op) -> Result<bool, ReceiveError> {
        if let Some(known) = self.known(op) {
            return known;
        }
        self.accept(op.clone());
        Ok(true)
    }

    /// The relay refused the op `id`: replace it in the log by its refusal marker and
    /// rebuild the state without it (ops are commutative, so replaying the rest in log
    /// order gives exactly the state as if it had never been made). An id not in the
    /// log changes nothing (the relay's marker for it arrives like any op). Returns
    /// whether anything changed.
    pub fn refuse(&mut self, id: &OpId) -> bool {
        let Some(slot) = self.log.slot_mut(id) else {
            return false;
        };
        if slot.is_refusal() {
            return false;
        }
        *slot = Op::refusal_of(slot);
        self.rebuild();
        true
    }

    /// Replay the whole log into a fresh state.
    fn rebuild(&mut self) {
        let mut w = Workshop::default();
        for op in self.log.get().by_actor.values().flat_map(ActorLog::iter) {
            apply(&mut w, op);
        }
        self.workshop = w;
    }

    /// [`Doc::receive`] for an op the caller owns (say, just parsed from the network):
    /// the same result, without copying the op into the log.
    pub fn receive_owned(&mut self, op: Op) -> Result<bool, ReceiveError> {
        if let Some(known) = self.known(&op) {
            return known;
        }
        self.accept(op);
        Ok(true)
    }

    /// The answer for an op that is invalid or already in the log; `None` if it is new.
    fn known(&mut self, op: &Op) -> Option<Result<bool, ReceiveError>> {
        if op.id.seq == 0 {
            return Some(Err(ReceiveError::ZeroSeq));
        }
        let existing = self.log.get().by_actor.get(&op.id.actor)?.get(op.id.seq)?;
        let same_clock = existing.hlc == op.hlc;
        if existing == op || (existing.is_refusal() && same_clock) || op.is_placeholder() {
            // Already here; or refused here before it arrived (the refusal wins); or a
            // placeholder (which carries no clock) for what is here already.
            Some(Ok(false))
        } else if existing.is_placeholder() {
            Some(Ok(self.fill(op.clone())))
        } else if op.is_refusal() && same_clock {
            Some(Ok(self.refuse(&op.id)))
        } else {
            Some(Err(ReceiveError::ConflictingOp(op.id.clone())))
        }
    }

    /// The op a placeholder stood for has arrived: it takes the placeholder's place and
    /// is applied (the placeholder had no effect, and ops commute, so the state is as if
    /// it had come in order).
    fn fill(&mut self, op: Op) -> bool {
        let Some(slot) = self.log.slot_mut(&op.id) else {
            return false;
        };
        *slot = op.clone();
        self.note_own(&op);
        if !op.is_refusal() {
            self.hlc = self.hlc.observe(op.hlc);
        }
        apply(&mut self.workshop, &op);
        true
    }

    /// The ids of the placeholders in the log: what this replica still waits to see.
    pub fn placeholders(&self) -> impl Iterator<Item = &OpId> {
        self.ops().filter(|op| op.is_placeholder()).map(|op| &op.id)
    }

    /// Our own op from an older incarnation (say, a reload from an older snapshot): never
    /// reuse its sequence number.
    fn note_own(&mut self, op: &Op) {
        if op.id.actor == self.actor {
            self.seq = self.seq.max(op.id.seq);
        }
        if let Some((pseudonym, used)) = &mut self.pseudonym
            && op.id.actor == *pseudonym
        {
            *used = (*used).max(op.id.seq);
        }
    }

    /// Log and apply an op that [`Doc::known`] found new.
    fn accept(&mut self, op: Op) {
        if !op.is_refusal() {
            self.hlc = self.hlc.observe(op.hlc);
        }
        self.note_own(&op);
        self.insert(op, true);
    }

    /// Put a new op in the log (applying it first if `apply_it`) and count it in the
    /// version vector.
    fn insert(&mut self, op: Op, apply_it: bool) {
        let w = &mut self.workshop;
        self.log.insert(op, |op| {
            if apply_it {
                apply(w, op);
            }
        });
    }

    pub fn version_vector(&self) -> &VersionVector {
        &self.log.get().vv
    }

    /// Every op this replica has that a peer with `vv` lacks (by actor, then sequence).
    pub fn missing_for(&self, vv: &VersionVector) -> Vec<Op> {
        let mut out = Vec::new();
        for (actor, ops) in &self.log.get().by_actor {
            let have = vv.get(actor);
            out.extend(ops.starting_at(have.wrapping_add(1)).cloned());
        }
        out
    }

    /// The whole log in (actor, sequence) order.
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.log.get().by_actor.values().flat_map(ActorLog::iter)
    }

    pub fn op_count(&self) -> usize {
        self.log.get().by_actor.values().map(ActorLog::len).sum()
    }

    /// A fresh replica replaying `ops`, whose ids the caller made itself: distinct and
    /// numbered from 1 (so, unlike [`Doc::from_ops`], nothing can conflict).
    pub(crate) fn from_unique_ops(actor: ActorId, ops: Vec<Op>) -> Doc {
        let mut doc = Doc::new(actor);
        for op in ops {
            doc.accept(op);
        }
        doc
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

#[cfg(test)]
mod tests;
