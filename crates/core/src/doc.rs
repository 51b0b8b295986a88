//! A replica: the state, the op log it was built from, and the clocks to make new ops.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::command::{Command, DecideCtx, decide};
use crate::compact::{Head, write_head};
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
    /// A `/2` snapshot is not laid out as [`Doc::save`] writes it.
    #[error("snapshot is not laid out as bijeen-snapshot/2: {0}")]
    BadLayout(&'static str),
}

/// The format of [`Snapshot`] and of what [`Doc::save`] wrote before `/2`; still read.
pub const SNAPSHOT_FORMAT: &str = "bijeen-snapshot/1";

/// What [`Doc::save`] writes:
/// `{"format":"bijeen-snapshot/2","state":[..],"log":[Op..],"vv":{..}}`, in exactly this
/// layout. The state (in the compact form of `compact.rs`) opens the replica without a replay; the log
/// is kept as text and parsed only when first needed; `vv` stays the last field so the
/// app can read it from the tail without parsing the rest.
pub const SNAPSHOT_FORMAT_2: &str = "bijeen-snapshot/2";

const V2_PREFIX: &str = "{\"format\":\"bijeen-snapshot/2\",\"state\":";
const V2_LOG: &str = ",\"log\":";
const V2_VV: &str = ",\"vv\":";

/// A replica as plain data in format `bijeen-snapshot/1`: its own actor, the whole op log
/// (so `missing_for` keeps working after a reload), the version vector, and optionally
/// the state in its serde form. A snapshot that carries a state is taken as stored.
///
/// [`Doc::save`] wrote this without the state (replayed on load) until `/2`, which stores
/// the state in a compact form instead of replaying 25,000 ops; [`Doc::load`] reads both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub actor: ActorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<Workshop>,
    pub log: Vec<Op>,
    pub vv: VersionVector,
}

/// The ops of one actor: those numbered 1..=n without a gap in order, and the ones
/// beyond a gap by sequence number. Ops mostly arrive in order, so nearly every insert is
/// a push and every lookup an index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ActorLog {
    /// Ops `1..=contiguous.len()`; `contiguous[i]` has sequence number `i + 1`.
    contiguous: Vec<Op>,
    /// Ops beyond the first gap; every key is above `contiguous.len() + 1`.
    beyond: BTreeMap<u64, Op>,
}

impl ActorLog {
    /// Highest contiguous sequence number.
    fn have(&self) -> u64 {
        self.contiguous.len() as u64
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut Op> {
        if seq >= 1 && seq <= self.have() {
            usize::try_from(seq - 1)
                .ok()
                .and_then(|i| self.contiguous.get_mut(i))
        } else {
            self.beyond.get_mut(&seq)
        }
    }

    fn get(&self, seq: u64) -> Option<&Op> {
        if seq >= 1 && seq <= self.have() {
            usize::try_from(seq - 1)
                .ok()
                .and_then(|i| self.contiguous.get(i))
        } else {
            self.beyond.get(&seq)
        }
    }

    /// Add an op whose sequence number (at least 1) is not in the log yet.
    fn insert(&mut self, op: Op) {
        if op.id.seq == self.have() + 1 {
            self.contiguous.push(op);
            while let Some(next) = self.beyond.remove(&(self.have() + 1)) {
                self.contiguous.push(next);
            }
        } else {
            self.beyond.insert(op.id.seq, op);
        }
    }

    fn len(&self) -> usize {
        self.contiguous.len() + self.beyond.len()
    }

    /// Highest sequence number held, gap or not.
    fn max_seq(&self) -> u64 {
        self.beyond
            .last_key_value()
            .map_or(self.have(), |(seq, _)| *seq)
    }

    fn iter(&self) -> impl Iterator<Item = &Op> {
        self.contiguous.iter().chain(self.beyond.values())
    }

    /// Ops with a sequence number of at least `from`, in order.
    fn starting_at(&self, from: u64) -> impl Iterator<Item = &Op> {
        let skip = usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX);
        self.contiguous
            .iter()
            .skip(skip)
            .chain(self.beyond.range(from..).map(|(_, op)| op))
    }
}

/// The op log of a replica and the version vector counted from it.
#[derive(Clone, Debug, Default)]
struct Parsed {
    by_actor: BTreeMap<ActorId, ActorLog>,
    vv: VersionVector,
    /// Read from a stored text that did not parse (so it stands for nothing).
    damaged: bool,
}

impl Parsed {
    /// Put a new op in the log (after `before_log`, which applies it if asked) and count
    /// it in the version vector. The op's actor is replaced by the one the log already
    /// holds, so the log and the registers share one string per actor.
    fn insert(&mut self, mut op: Op, before_log: impl FnOnce(&Op)) {
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
    fn check_stored(&self, op: &Op) -> Result<bool, SnapshotError> {
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
/// ids of the ops added since: saving writes it back plus those ops instead of writing
/// every op again (25,000 ops took two thirds of a save).
#[derive(Clone, Debug, Default)]
struct Log {
    parsed: OnceLock<Parsed>,
    /// The stored log array and version vector; once `parsed` is set, only while the
    /// text lists every op of the log but `appended`.
    stored: Option<Pending>,
    /// Ops added since `stored` was read, in order.
    appended: Vec<OpId>,
}

#[derive(Clone, Debug)]
struct Pending {
    log: Arc<str>,
    vv: Arc<str>,
    /// Highest sequence number per actor in the stored log.
    max_seqs: VersionVector,
}

impl Log {
    fn get(&self) -> &Parsed {
        self.parsed
            .get_or_init(|| self.stored.as_ref().map_or_else(Parsed::default, parse_log))
    }

    fn get_mut(&mut self) -> &mut Parsed {
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
    fn insert(&mut self, op: Op, before_log: impl FnOnce(&Op)) {
        let id = op.id.clone();
        self.get_mut().insert(op, before_log);
        if self.stored.is_some() {
            self.appended.push(id);
        }
    }

    /// The op `id` in the log, to be changed in place: the stored text no longer lists
    /// the log, so it is dropped.
    fn slot_mut(&mut self, id: &OpId) -> Option<&mut Op> {
        self.get();
        self.stored = None;
        self.appended.clear();
        self.get_mut()
            .by_actor
            .get_mut(&id.actor)
            .and_then(|l| l.get_mut(id.seq))
    }

    /// The stored text, if the log was not parsed yet.
    fn unparsed(&self) -> Option<&Pending> {
        match self.parsed.get() {
            Some(_) => None,
            None => self.stored.as_ref(),
        }
    }

    /// The log as JSON from the stored text and the ops added since, if the text still
    /// lists the log.
    fn write_from_text(&self, out: &mut Vec<u8>) -> bool {
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

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.to_owned(),
            actor: self.actor.clone(),
            workshop: Some(self.workshop.clone()),
            log: self.ops().cloned().collect(),
            vv: self.version_vector().clone(),
        }
    }

    /// The replica as JSON for browser storage, in the layout of [`SNAPSHOT_FORMAT_2`].
    /// A log opened from such a text is written back as it was read, followed by the ops
    /// added since (so the ops of a `/2` log are in no particular order).
    pub fn save(&self) -> String {
        // About what the state and log take, so the buffer hardly regrows.
        let ops = self
            .log
            .unparsed()
            .map_or(self.op_count() * 160, |p| p.log.len());
        let mut out = Vec::with_capacity(ops + 256 * self.workshop.notes.len() + 4096);
        out.extend_from_slice(V2_PREFIX.as_bytes());
        match self.log.unparsed() {
            Some(p) => {
                write_head(&mut out, &self.actor, self.hlc, &p.max_seqs, &self.workshop);
                out.extend_from_slice(V2_LOG.as_bytes());
                out.extend_from_slice(p.log.as_bytes());
                out.extend_from_slice(V2_VV.as_bytes());
                out.extend_from_slice(p.vv.as_bytes());
            }
            None => {
                let log = self.log.get();
                let max_seqs = VersionVector(
                    log.by_actor
                        .iter()
                        .map(|(a, l)| (a.clone(), l.max_seq()))
                        .collect(),
                );
                write_head(&mut out, &self.actor, self.hlc, &max_seqs, &self.workshop);
                out.extend_from_slice(V2_LOG.as_bytes());
                if !self.log.write_from_text(&mut out) {
                    // Serialising plain data with string keys cannot fail.
                    let _ = serde_json::to_writer(&mut out, &self.ops().collect::<Vec<_>>());
                }
                out.extend_from_slice(V2_VV.as_bytes());
                let _ = serde_json::to_writer(&mut out, &log.vv);
            }
        }
        out.push(b'}');
        // Only JSON (UTF-8) was written.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Read what [`Doc::save`] writes (`/2`, see [`SNAPSHOT_FORMAT_2`]: the state is read,
    /// the log kept as text until first needed), or wrote before (`/1`: a [`Snapshot`],
    /// its log replayed unless it carries its state).
    ///
    /// A `/1` log streams: each op goes from the parser straight into the replica,
    /// never into an intermediate `Vec<Op>` of the whole log (on 25,000 ops that vector
    /// and its regrowth were a third of the load time). Same answers as
    /// `Doc::from_snapshot(serde_json::from_str(json)?)`.
    pub fn load(json: &str) -> Result<Doc, SnapshotError> {
        if let Some(rest) = json.strip_prefix(V2_PREFIX) {
            return Self::load_v2(rest);
        }
        let mut bad = None;
        let mut de = serde_json::Deserializer::from_str(json);
        let parsed = LoadSeed { bad: &mut bad }
            .deserialize(&mut de)
            .and_then(|doc| de.end().map(|()| doc));
        match (parsed, bad) {
            (_, Some(e)) => Err(e),
            (Ok(doc), None) => Ok(doc),
            (Err(e), None) => Err(SnapshotError::Unreadable {
                line: e.line(),
                column: e.column(),
            }),
        }
    }

    /// Read a `/2` snapshot (`rest` follows its fixed prefix): the state is parsed, the
    /// log only framed (it must sit between `,"log":` right after the state and the last
    /// `,"vv":`, and be an array); it is parsed when first needed. The line and column of
    /// an `Unreadable` count from the start of the state or of the version vector.
    fn load_v2(rest: &str) -> Result<Doc, SnapshotError> {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Head>();
        let head = match stream.next() {
            Some(Ok(head)) => head,
            Some(Err(e)) => {
                return Err(SnapshotError::Unreadable {
                    line: e.line(),
                    column: e.column(),
                });
            }
            None => return Err(SnapshotError::BadLayout("no state")),
        };
        let after = rest
            .get(stream.byte_offset()..)
            .and_then(|t| t.strip_prefix(V2_LOG))
            .ok_or(SnapshotError::BadLayout("no log right after the state"))?;
        // A key's quotes are never escaped and a string's always are, so the last
        // `,"vv":` is the top-level field (there is no other `vv` key in a snapshot).
        let at = after
            .rfind(V2_VV)
            .ok_or(SnapshotError::BadLayout("no vv after the log"))?;
        let (log, vv) = (&after[..at], &after[at + V2_VV.len()..]);
        let vv = vv.strip_suffix('}').ok_or(SnapshotError::BadLayout(
            "the snapshot does not end after vv",
        ))?;
        if !(log.starts_with('[') && log.ends_with(']')) {
            return Err(SnapshotError::BadLayout("the log is not an array"));
        }
        // The version vector is recomputed from the log; this only checks it is one, as
        // `save` writes it back while the log is unparsed.
        serde_json::from_str::<VersionVector>(vv).map_err(|e| SnapshotError::Unreadable {
            line: e.line(),
            column: e.column(),
        })?;
        let seq = head.max_seqs.get(&head.actor);
        Ok(Doc {
            actor: head.actor,
            seq,
            pseudonym: None,
            hlc: head.hlc,
            workshop: head.workshop,
            log: Log {
                parsed: OnceLock::new(),
                stored: Some(Pending {
                    log: Arc::from(log),
                    vv: Arc::from(vv),
                    max_seqs: head.max_seqs,
                }),
                appended: Vec::new(),
            },
        })
    }

    /// [`Doc::load`], continuing as `actor` (say, the window that opens a workshop another
    /// window saved): the same replica as [`Doc::from_ops`]`(actor, log)`, whose next
    /// sequence number follows the highest `actor` has in the log. A `/1` snapshot is
    /// replayed exactly so, even if it carries a serde state: this is the app's loader,
    /// and reading `/1` as it always did keeps a second snapshot decoder (and the serde
    /// decoder of the whole [`Workshop`]) out of its wasm.
    pub fn load_as(json: &str, actor: ActorId) -> Result<Doc, SnapshotError> {
        let Some(rest) = json.strip_prefix(V2_PREFIX) else {
            #[derive(Deserialize)]
            struct V1 {
                format: String,
                log: Vec<Op>,
            }
            let v1: V1 = serde_json::from_str(json).map_err(|e| SnapshotError::Unreadable {
                line: e.line(),
                column: e.column(),
            })?;
            if v1.format != SNAPSHOT_FORMAT {
                return Err(SnapshotError::WrongFormat(v1.format));
            }
            return Doc::from_ops(actor, &v1.log).map_err(SnapshotError::BadLog);
        };
        let mut doc = Self::load_v2(rest)?;
        // Not parsed yet: the stored table has the answer.
        doc.seq = match doc.log.unparsed() {
            Some(p) => p.max_seqs.get(&actor),
            None => doc
                .log
                .get()
                .by_actor
                .get(&actor)
                .map_or(0, ActorLog::max_seq),
        };
        doc.actor = actor;
        Ok(doc)
    }

    /// Take one op of a stored log (see [`Doc::from_snapshot`]); `apply_it` is false when
    /// the snapshot carries its state.
    fn load_op(&mut self, op: Op, apply_it: bool) -> Result<(), SnapshotError> {
        if !self.log.get().check_stored(&op)? {
            return Ok(());
        }
        self.hlc = self.hlc.observe(op.hlc);
        if op.id.actor == self.actor {
            self.seq = self.seq.max(op.id.seq);
        }
        self.insert(op, apply_it);
        Ok(())
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
            doc.load_op(op, replay)?;
        }
        Ok(doc)
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

/// Parses a snapshot object into a [`Doc`] as it reads it. Field order is free (the
/// state, if present, wins over the replay whenever it comes); `vv` is read and
/// ignored, as [`Doc::from_snapshot`] recomputes it from the log.
struct LoadSeed<'b> {
    /// Set when the JSON is fine but the snapshot is not; the parse is then aborted.
    bad: &'b mut Option<SnapshotError>,
}

/// One key of a snapshot object.
enum SnapshotKey {
    Format,
    Actor,
    Workshop,
    Log,
    Vv,
    Other,
}

impl<'de> Deserialize<'de> for SnapshotKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SnapshotKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a snapshot field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<SnapshotKey, E> {
                Ok(match s {
                    "format" => SnapshotKey::Format,
                    "actor" => SnapshotKey::Actor,
                    "workshop" => SnapshotKey::Workshop,
                    "log" => SnapshotKey::Log,
                    "vv" => SnapshotKey::Vv,
                    _ => SnapshotKey::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> DeserializeSeed<'de> for LoadSeed<'_> {
    type Value = Doc;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Doc, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LoadSeed<'_> {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Bijeen snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut doc = Doc::new(ActorId::default());
        let (mut format, mut actor, mut workshop) = (None, None, None::<Option<Workshop>>);
        let (mut log_seen, mut vv_seen) = (false, false);
        while let Some(key) = map.next_key::<SnapshotKey>()? {
            match key {
                SnapshotKey::Format => {
                    let f: String = once(&mut map, format.is_some(), "format")?;
                    if f != SNAPSHOT_FORMAT {
                        *self.bad = Some(SnapshotError::WrongFormat(f));
                        return Err(de::Error::custom("wrong snapshot format"));
                    }
                    format = Some(f);
                }
                SnapshotKey::Actor => actor = Some(once(&mut map, actor.is_some(), "actor")?),
                SnapshotKey::Workshop => {
                    workshop = Some(once(&mut map, workshop.is_some(), "workshop")?);
                }
                SnapshotKey::Log => {
                    if log_seen {
                        return Err(de::Error::duplicate_field("log"));
                    }
                    log_seen = true;
                    let replay = !matches!(workshop, Some(Some(_)));
                    map.next_value_seed(LogSeed {
                        sink: |op| doc.load_op(op, replay),
                        bad: self.bad,
                    })?;
                }
                SnapshotKey::Vv => {
                    let _: de::IgnoredAny = once(&mut map, vv_seen, "vv")?;
                    vv_seen = true;
                }
                SnapshotKey::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        if format.is_none() {
            return Err(de::Error::missing_field("format"));
        }
        let Some(actor) = actor else {
            return Err(de::Error::missing_field("actor"));
        };
        if !log_seen {
            return Err(de::Error::missing_field("log"));
        }
        if !vv_seen {
            return Err(de::Error::missing_field("vv"));
        }
        if let Some(Some(w)) = workshop {
            doc.workshop = w;
        }
        // The log was read before the actor was known, perhaps: never reuse a number.
        doc.seq = doc
            .log
            .get()
            .by_actor
            .get(&actor)
            .map_or(0, ActorLog::max_seq);
        doc.actor = actor;
        Ok(doc)
    }
}

/// The value of a field that must appear once.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    seen: bool,
    name: &'static str,
) -> Result<T, A::Error> {
    if seen {
        return Err(de::Error::duplicate_field(name));
    }
    map.next_value()
}

/// The `log` array of a snapshot, each op handed to `sink` as it is parsed.
struct LogSeed<'b, F> {
    sink: F,
    bad: &'b mut Option<SnapshotError>,
}

impl<'de, F: FnMut(Op) -> Result<(), SnapshotError>> DeserializeSeed<'de> for LogSeed<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Op) -> Result<(), SnapshotError>> Visitor<'de> for LogSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ops")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(op) = seq.next_element::<Op>()? {
            if let Err(e) = (self.sink)(op) {
                *self.bad = Some(e);
                return Err(de::Error::custom("inconsistent snapshot log"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Hlc;
    use crate::op::{MetaField, OpBody};

    fn op(actor: &str, seq: u64, title: &str) -> Op {
        Op {
            id: OpId {
                actor: ActorId::new(actor),
                seq,
            },
            hlc: Hlc {
                wall_ms: i64::try_from(seq).unwrap_or(0),
                counter: 0,
            },
            body: OpBody::SetMeta(MetaField::Title(title.into())),
        }
    }

    #[test]
    fn receive_owned_answers_as_receive_does() {
        let mut a = Doc::new(ActorId::new("a"));
        let mut b = Doc::new(ActorId::new("b"));
        for o in [op("x", 1, "t"), op("x", 3, "u"), op("y", 2, "v")] {
            assert_eq!(a.receive(&o), b.receive_owned(o.clone()));
            assert_eq!(a.receive(&o), b.receive_owned(o));
        }
        for o in [op("x", 0, "t"), op("x", 3, "other")] {
            assert_eq!(a.receive(&o), b.receive_owned(o.clone()));
            assert!(a.receive(&o).is_err());
        }
        assert_eq!(a.workshop(), b.workshop());
        assert_eq!(a.version_vector(), b.version_vector());
        assert_eq!(a.save().replace("\"a\"", "\"b\""), b.save());
    }

    #[test]
    fn streaming_load_answers_as_from_snapshot_in_any_field_order() {
        let mut d = Doc::new(ActorId::new("me"));
        for o in [op("me", 1, "a"), op("x", 1, "b"), op("me", 3, "c")] {
            d.receive(&o).expect("receive");
        }
        let snap = d.snapshot();
        let log = serde_json::to_string(&snap.log).expect("json");
        let state = serde_json::to_string(&snap.workshop).expect("json");
        let vv = serde_json::to_string(&snap.vv).expect("json");
        // Log first, actor last, an unknown field, and a state after the log.
        let reordered = format!(
            r#"{{"log":{log},"extra":[1,2],"vv":{vv},"workshop":{state},"format":"{SNAPSHOT_FORMAT}","actor":"me"}}"#
        );
        let loaded = Doc::load(&reordered).expect("load");
        assert_eq!(loaded, Doc::from_snapshot(snap).expect("from_snapshot"));
        assert_eq!(loaded.seq, 3, "never reuses a number seen before the actor");
        for (json, want) in [
            (
                r#"{"format":"other/1","actor":"me","log":[],"vv":{}}"#,
                "format",
            ),
            (
                r#"{"format":"bijeen-snapshot/1","actor":"me","vv":{}}"#,
                "unreadable",
            ),
            (
                r#"{"format":"bijeen-snapshot/1","actor":"me","log":[{"id":["x",0],"hlc":[1,0],"body":"refused"}],"vv":{}}"#,
                "zero",
            ),
        ] {
            let got = Doc::load(json);
            let ok = matches!(
                (want, &got),
                ("format", Err(SnapshotError::WrongFormat(_)))
                    | ("unreadable", Err(SnapshotError::Unreadable { .. }))
                    | ("zero", Err(SnapshotError::BadLog(ReceiveError::ZeroSeq)))
            );
            assert!(ok, "{json}: {got:?}");
        }
    }

    /// A replica with ops of two actors, one of them with a gap.
    fn busy() -> Doc {
        let mut d = Doc::new(ActorId::new("me"));
        for o in [
            op("me", 1, "a"),
            op("x", 1, "b"),
            op("me", 3, "c"),
            op("x", 2, "d"),
        ] {
            d.receive(&o).expect("receive");
        }
        d
    }

    #[test]
    fn a_saved_replica_opens_with_its_state_before_its_log_is_read() {
        let d = busy();
        let saved = d.save();
        assert!(saved.starts_with(V2_PREFIX));
        let loaded = Doc::load(&saved).expect("load");
        assert!(loaded.log.unparsed().is_some(), "log still text");
        assert_eq!(loaded.workshop(), d.workshop());
        assert_eq!(loaded.hlc(), d.hlc());
        assert_eq!(loaded.seq, 3, "never reuses a number of the log");
        // Written back as read, then read on first need, with the same answers.
        assert_eq!(loaded.save(), saved);
        assert_eq!(
            loaded.missing_for(&VersionVector::default()),
            d.missing_for(&VersionVector::default())
        );
        assert!(loaded.log.unparsed().is_none());
        assert_eq!(loaded.version_vector(), d.version_vector());
        assert_eq!(loaded, d);
        assert_eq!(loaded.save(), saved);
    }

    #[test]
    fn a_reopened_replica_saves_its_stored_log_and_the_ops_added_since() {
        let mut d = busy();
        let mut loaded = Doc::load(&d.save()).expect("load");
        // A new actor, a gap filled, an op beyond a new gap: all after the stored text.
        for o in [op("y", 1, "e"), op("me", 2, "f"), op("x", 5, "g")] {
            assert_eq!(loaded.receive(&o), d.receive(&o));
        }
        assert!(loaded.log.stored.is_some(), "text kept");
        let saved = loaded.save();
        assert!(saved.contains(r#"{"id":["x",5],"hlc":[5,0],"body":{"set_meta":{"title":"g"}}}]"#));
        let again = Doc::load(&saved).expect("load");
        assert_eq!(again, d);
        assert_eq!(again.ops().collect::<Vec<_>>(), d.ops().collect::<Vec<_>>());
        // Changing a stored op in place drops the text: the log is written op by op.
        assert!(loaded.refuse(&OpId {
            actor: ActorId::new("x"),
            seq: 1
        }));
        assert!(d.refuse(&OpId {
            actor: ActorId::new("x"),
            seq: 1
        }));
        assert!(loaded.log.stored.is_none());
        assert_eq!(loaded.save(), d.save());
        assert_eq!(Doc::load(&loaded.save()).expect("load"), d);
    }

    #[test]
    fn load_as_continues_as_another_actor_like_a_replay_of_the_log() {
        let d = busy();
        let ops: Vec<Op> = d.ops().cloned().collect();
        for actor in ["me", "x", "window-2"] {
            let want = Doc::from_ops(ActorId::new(actor), &ops).expect("replay");
            let v2 = Doc::load_as(&d.save(), ActorId::new(actor)).expect("load_as");
            assert_eq!(v2.seq, want.seq, "{actor}");
            assert_eq!(v2, want, "{actor}");
            let v1 = serde_json::to_string(&Snapshot {
                workshop: None,
                ..d.snapshot()
            })
            .expect("json");
            assert_eq!(Doc::load_as(&v1, ActorId::new(actor)), Ok(want), "{actor}");
        }
    }

    #[test]
    fn a_damaged_stored_log_keeps_the_state_and_asks_peers_for_everything_again() {
        let d = busy();
        let saved = d.save();
        let log_at = saved.find(V2_LOG).expect("log");
        let (head, log) = saved.split_at(log_at);
        let damaged = format!("{head}{}", log.replacen("set_meta", "set_mtea", 1));
        let mut loaded = Doc::load(&damaged).expect("the state still opens");
        assert_eq!(loaded.workshop(), d.workshop());
        assert_eq!(loaded.op_count(), 0);
        assert_eq!(loaded.version_vector(), &VersionVector::default());
        for o in d.missing_for(loaded.version_vector()) {
            assert_eq!(loaded.receive(&o), Ok(true));
        }
        assert_eq!(loaded, d);
    }

    #[test]
    fn a_format_2_snapshot_not_laid_out_as_saved_is_refused_with_a_typed_error() {
        let saved = busy().save();
        let log_at = saved.find(V2_LOG).expect("log");
        let vv_at = saved.rfind(V2_VV).expect("vv");
        let cases = [
            // Cut short: the version vector is then no JSON.
            (saved[..saved.len() - 1].to_owned(), "unreadable"),
            (format!("{saved} "), "layout"),
            (format!("{}{}", &saved[..log_at], &saved[vv_at..]), "layout"),
            (saved.replacen(V2_LOG, ",\"log\":{", 1), "layout"),
            (saved.replacen(V2_LOG, " ,\"log\":", 1), "layout"),
            (
                format!("{V2_PREFIX}[\"me\",[1,0]]{V2_LOG}[]{V2_VV}{{}}}}"),
                "unreadable",
            ),
            (
                format!("{}{{]}}", &saved[..vv_at + V2_VV.len()]),
                "unreadable",
            ),
            (V2_PREFIX.to_owned(), "layout"),
        ];
        for (json, want) in cases {
            let got = Doc::load(&json);
            let ok = matches!(
                (want, &got),
                ("layout", Err(SnapshotError::BadLayout(_)))
                    | ("unreadable", Err(SnapshotError::Unreadable { .. }))
            );
            assert!(ok, "{json}: {got:?}");
        }
    }

    #[test]
    fn ops_beyond_a_gap_are_kept_counted_once_the_gap_fills_and_sent_on() {
        let mut d = Doc::new(ActorId::new("me"));
        for seq in [1, 3, 5, 4] {
            d.receive(&op("x", seq, "t")).expect("receive");
        }
        assert_eq!(d.version_vector().get(&ActorId::new("x")), 1);
        let seqs = |ops: Vec<Op>| ops.iter().map(|o| o.id.seq).collect::<Vec<_>>();
        assert_eq!(seqs(d.missing_for(&VersionVector::default())), [1, 3, 4, 5]);
        let mut peer = VersionVector::default();
        peer.0.insert(ActorId::new("x"), 3);
        assert_eq!(seqs(d.missing_for(&peer)), [4, 5]);
        d.receive(&op("x", 2, "t")).expect("receive");
        assert_eq!(d.version_vector().get(&ActorId::new("x")), 5);
        assert_eq!(seqs(d.missing_for(&peer)), [4, 5]);
        assert_eq!(seqs(d.ops().cloned().collect()), [1, 2, 3, 4, 5]);
        assert_eq!(d.op_count(), 5);
        let loaded = Doc::load(&d.save()).expect("load");
        assert_eq!(loaded, d);
    }
}
