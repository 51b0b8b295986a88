//! Rooms in memory: each the state of its stored log, the log itself as serialised text
//! (what catch-up streams), and what the relay needs to police it: the facilitator key,
//! bound participant secrets, per-person counters and rate limits, and which notes have
//! never been public yet (their ops reach only their author and the facilitator).
//!
//! The per-room async mutex is held from checking a batch until it is committed and
//! applied, so the state never holds an op that is not on disk, and a Hello taking its
//! catch-up snapshot can never be handed an uncommitted op.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::ws::Utf8Bytes;
use bijeen_core::phone_view::{command_of, phone_view};
use bijeen_core::{
    ActorId, DecideCtx, DomainError, Hlc, NoteId, Op, OpBody, OpId, ParticipantId, Principal, Role,
    VersionVector, Workshop, apply, authorize_as, decide, writer_of,
};
use bijeen_protocol::{
    Capacity, ErrorCode, FacilitatorKey, JoinCode, MAX_SEQ, ParticipantSecret, RejectReason,
    RemoteKey, RoomId, WithheldRange,
};
use bijeen_view::{Intent, PhoneView};
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, broadcast};

use crate::bucket::TokenBucket;
use crate::config::Limits;
use crate::pg::{Created, PgOp, PgRoom, PgStore};
use crate::secret::SecretHash;
use crate::store::{OpRow, Store, StoreError, StoredRoom, Write};

/// One stored op as the relay keeps it: its JSON exactly as stored (sent as it is, never
/// serialised again), and who may receive it.
#[derive(Debug)]
pub struct Entry {
    pub id: OpId,
    pub json: Box<str>,
    /// The note whose visibility decides who may receive this op ([`Op::concerns_note`]).
    pub note: Option<NoteId>,
    /// That note's author (the actor in its id), who always sees it.
    pub author: Option<ParticipantId>,
    /// Arrival order in this relay; a catch-up sends what arrived before its snapshot.
    pub index: u64,
    pub is_refusal: bool,
    /// Opens, reveals or hides a board, or moves the bear wall: any note kept back may
    /// become public.
    pub board_wide: bool,
    /// Creates a note (counted against the author's note limit).
    pub creates_note: bool,
}

impl Entry {
    /// The `flags` column of this op in PostgreSQL.
    pub fn pg_flags(&self) -> i16 {
        let mut flags = 0;
        if self.is_refusal {
            flags |= crate::pg::FLAG_REFUSAL;
        }
        if self.board_wide {
            flags |= crate::pg::FLAG_BOARD_WIDE;
        }
        if self.creates_note {
            flags |= crate::pg::FLAG_CREATES_NOTE;
        }
        flags
    }
}

impl Entry {
    /// The placeholder a participant gets instead of this op ([`Op::placeholder_of`]).
    pub fn placeholder_json(&self) -> String {
        serde_json::to_string(&Op::placeholder_of(&self.id)).unwrap_or_default()
    }
}

/// What a connection may receive.
#[derive(Clone, Debug)]
pub enum Viewer {
    /// Everything (console, projector).
    Facilitator,
    /// Ops everyone may see, and ops about notes the person wrote.
    Participant(Principal),
}

impl Viewer {
    /// Whether this viewer may receive `entry` while its note has never been public.
    pub fn is_author_of(&self, entry: &Entry) -> bool {
        match self {
            Viewer::Facilitator => true,
            Viewer::Participant(p) => entry.author.as_ref().is_some_and(|a| p.wrote(a)),
        }
    }

    /// Whether this viewer may receive `entry` if the notes in `withheld` have never been
    /// public.
    pub fn may_see(&self, entry: &Entry, withheld: &HashSet<NoteId>) -> bool {
        match &entry.note {
            Some(note) if withheld.contains(note) => self.is_author_of(entry),
            _ => true,
        }
    }

    /// `entry` as this viewer receives it: the op, or its placeholder.
    pub fn json_of<'e>(&self, entry: &'e Entry, withheld: &HashSet<NoteId>) -> Cow<'e, str> {
        if self.may_see(entry, withheld) {
            Cow::Borrowed(&entry.json)
        } else {
            Cow::Owned(entry.placeholder_json())
        }
    }
}

/// Messages a room fans out to its connections. Each connection turns one into the frames
/// its viewer may see (see `ws.rs`).
#[derive(Debug)]
pub enum Fanout {
    /// Newly committed ops of one actor, with whether each is withheld from participants
    /// who did not write its note. `full` is the frame with every op, `public` the frame
    /// with placeholders for the withheld ones (when there are any).
    Ops {
        skip: Option<u64>,
        entries: Vec<(Arc<Entry>, bool)>,
        full: Utf8Bytes,
        public: Option<Utf8Bytes>,
    },
    /// Notes that have just become public for the first time: every op about them, for
    /// the participants who only had placeholders.
    Release {
        entries: Vec<Arc<Entry>>,
    },
    Presence(Utf8Bytes),
    /// The room's remote key changed (a new one, or revoked): remotes of another key leave.
    RemoteKey(Option<SecretHash>),
}

/// Backlog per room before a slow connection is told to reconnect and catch up (which is
/// exact, by version vector). tokio allocates every slot up front (~80 bytes each): at
/// 1,024 slots that was ~100 KB per idle room, most of a 1,000-room relay's memory.
const FANOUT_CAPACITY: usize = 256;

/// The ops of one actor by sequence number, and how many of them are contiguous from 1.
#[derive(Debug, Default)]
struct ActorLog {
    have: u64,
    ops: BTreeMap<u64, Arc<Entry>>,
}

pub struct Room {
    pub id: RoomId,
    pub join_code: JoinCode,
    key: SecretHash,
    pub state: Mutex<RoomState>,
    pub fanout: broadcast::Sender<Arc<Fanout>>,
}

/// Who is writing: the rate-limit and note-count key of a connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Writer {
    Facilitator,
    Participant(ActorId),
    /// A phone remote: one thumb, so a participant's rate, in a bucket of its own.
    Remote(ActorId),
}

impl Writer {
    /// Sustained ops per second and burst of this writer's bucket.
    pub fn rate(&self, limits: &Limits) -> (u32, u32) {
        match self {
            // The console re-sends a whole offline morning at once; it is trusted, and
            // limited only so a leaked key cannot flood the room.
            Writer::Facilitator => (
                limits.ops_per_second.saturating_mul(10),
                limits.ops_burst.saturating_mul(10),
            ),
            Writer::Participant(_) | Writer::Remote(_) => (limits.ops_per_second, limits.ops_burst),
        }
    }

    /// The bucket's key in PostgreSQL (`room` is the room-wide bucket of participants).
    fn bucket_key(&self) -> String {
        match self {
            Writer::Facilitator => "facilitator".into(),
            Writer::Participant(actor) => format!("p:{actor}"),
            Writer::Remote(actor) => format!("r:{actor}"),
        }
    }
}

/// PostgreSQL: a room nobody on this relay has been in for this long is dropped from its
/// memory (its clients are elsewhere or gone; the database has it all).
pub const HOST_IDLE_MS: i64 = 120_000;

pub struct RoomState {
    workshop: Workshop,
    /// The latest clock stamp of any op in the room: the ops the relay writes for a phone's
    /// intents are stamped after it, so a phone's edit wins over everything it has seen.
    latest: Hlc,
    log: BTreeMap<ActorId, ActorLog>,
    ops: usize,
    next_index: u64,
    /// Notes that have never been public, with the stored ops about them.
    withheld: HashMap<NoteId, Vec<Arc<Entry>>>,
    /// The keys of `withheld`, shared with catch-ups in progress (copied on write).
    withheld_ids: Arc<HashSet<NoteId>>,
    /// Notes that have been public (their ops go to everyone from then on).
    released: HashSet<NoteId>,
    /// Notes created per actor (deleted ones included, so delete-and-recreate does not
    /// get around the limit).
    notes: HashMap<ActorId, u32>,
    secrets: HashMap<ActorId, SecretHash>,
    /// The hash of the phone remote's key while one is valid.
    remote: Option<SecretHash>,
    /// Rate limits per writer, kept across reconnects.
    buckets: HashMap<Writer, TokenBucket>,
    /// What all participants together may send.
    room_bucket: TokenBucket,
    /// Authenticated connections: all, and per participant actor.
    pub online: u32,
    participants_online: u32,
    connections_of: HashMap<ActorId, u32>,
    /// Last op or Hello (unix ms), for expiry.
    pub last_active_ms: i64,
    /// PostgreSQL: the position of the last committed op this state holds (every op up to
    /// it is applied, none after it).
    pub pos: i64,
    /// PostgreSQL: since when nobody on this relay is in the room (unix ms); a room left
    /// long enough is dropped from memory and rebuilt from the database when needed.
    vacated_ms: i64,
    /// PostgreSQL: dropped from this relay's rooms; a Hello that found it just before
    /// looks it up again.
    pub evicted: bool,
}

/// The outcome of checking a batch: what to store, what is already stored, and what to
/// refuse.
#[derive(Debug, Default)]
pub struct Checked {
    /// Stored and applied (not yet committed), in order: accepted ops, and the refusal
    /// markers that take the place of refused ones ([`RejectReason::leaves_marker`]).
    pub new: Vec<Arc<Entry>>,
    pub duplicates: Vec<OpId>,
    pub rejected: Vec<(OpId, RejectReason)>,
}

/// What a connection submits: ops it wrote, or (a phone without a replica) one intent.
#[derive(Debug)]
pub enum Batch {
    Ops(Vec<Op>),
    Intent { op_id: OpId, intent: Intent },
}

impl Batch {
    /// Rate-limit tokens it costs: one per op.
    pub fn cost(&self) -> u32 {
        match self {
            Batch::Ops(ops) => u32::try_from(ops.len()).unwrap_or(u32::MAX),
            Batch::Intent { .. } => 1,
        }
    }
}

/// The author of a note, from its id (`"{actor}-{seq}"`).
fn author_of(note: &NoteId) -> Option<ParticipantId> {
    note.as_str()
        .rsplit_once('-')
        .map(|(actor, _)| ParticipantId::from(actor))
}

impl RoomState {
    fn new(limits: &Limits, now: Instant) -> Self {
        Self {
            workshop: Workshop::default(),
            latest: Hlc::default(),
            log: BTreeMap::new(),
            ops: 0,
            next_index: 0,
            withheld: HashMap::new(),
            withheld_ids: Arc::new(HashSet::new()),
            released: HashSet::new(),
            notes: HashMap::new(),
            secrets: HashMap::new(),
            remote: None,
            buckets: HashMap::new(),
            room_bucket: TokenBucket::new(limits.room_ops_per_second, limits.room_ops_burst, now),
            online: 0,
            participants_online: 0,
            connections_of: HashMap::new(),
            last_active_ms: 0,
            pos: 0,
            vacated_ms: crate::ws::now_ms(),
            evicted: false,
        }
    }

    /// Whether `key` is the room's valid remote key.
    pub fn remote_is(&self, key: &RemoteKey) -> bool {
        self.remote.as_ref().is_some_and(|h| h.verify_remote(key))
    }

    /// Whether the remote key a connection logged in with (its hash) is still the valid one.
    pub fn remote_still(&self, hash: &SecretHash) -> bool {
        self.remote.as_ref() == Some(hash)
    }

    /// Highest contiguous sequence number per actor.
    pub fn version_vector(&self) -> VersionVector {
        VersionVector(
            self.log
                .iter()
                .map(|(actor, log)| (actor.clone(), log.have))
                .collect(),
        )
    }

    fn stored(&self, id: &OpId) -> Option<&Arc<Entry>> {
        self.log.get(&id.actor)?.ops.get(&id.seq)
    }

    /// Log an op (already applied, or a marker) and return its entry.
    fn insert(&mut self, op: &Op, json: String) -> Arc<Entry> {
        let note = op.concerns_note();
        let creates_note = matches!(op.body, OpBody::CreateNote { .. });
        let actor = op.id.actor.clone();
        let seq = op.id.seq;
        if !op.is_refusal() {
            self.latest = self.latest.observe(op.hlc);
        }
        let entry = Arc::new(Entry {
            id: op.id.clone(),
            json: json.into_boxed_str(),
            author: note.as_ref().and_then(author_of),
            note,
            index: self.next_index,
            is_refusal: op.is_refusal(),
            board_wide: matches!(op.body, OpBody::SetBoard { .. } | OpBody::SetBearWall(_)),
            creates_note,
        });
        self.next_index += 1;
        self.ops += 1;
        if creates_note {
            *self.notes.entry(actor.clone()).or_default() += 1;
        }
        let log = self.log.entry(actor).or_default();
        log.ops.insert(seq, entry.clone());
        while log.ops.contains_key(&(log.have + 1)) {
            log.have += 1;
        }
        entry
    }

    /// What a participant's phone may show now ([`bijeen_core::phone_view`]).
    pub fn view_for(&self, who: &Principal) -> PhoneView {
        phone_view(&self.workshop, who)
    }

    /// A participant's own contributions in `lang`, as Markdown, and the file name to save
    /// them under.
    pub fn report_for(&self, who: &Principal, lang: bijeen_core::Lang) -> (String, String) {
        let meta = &self.workshop.meta;
        (
            bijeen_core::report::file_name(&meta.title.value, &meta.date.value, "md"),
            bijeen_core::report::participant_report(&self.workshop, who, lang),
        )
    }

    /// Check a batch: ops as they came, or a phone's intent decided here first.
    pub fn check_batch(
        &mut self,
        batch: Batch,
        role: Role,
        principal: Option<&Principal>,
        limits: &Limits,
        now_ms: i64,
    ) -> Checked {
        match batch {
            Batch::Ops(ops) => self.check_and_apply(ops, role, principal, limits, now_ms),
            Batch::Intent { op_id, intent } => {
                self.check_intent(op_id, &intent, role, principal, limits, now_ms)
            }
        }
    }

    /// A phone's intent, decided with the core's rules against the room's state (the
    /// freshest there is: with PostgreSQL, what other relays committed is taken in first)
    /// and written as the one op `op_id` the phone numbered. Refused, it leaves a refusal
    /// marker in that place, so the phone's numbers stay contiguous; sent again, it is
    /// recognised by its id and never applied twice.
    fn check_intent(
        &mut self,
        op_id: OpId,
        intent: &Intent,
        role: Role,
        principal: Option<&Principal>,
        limits: &Limits,
        now_ms: i64,
    ) -> Checked {
        let mut out = Checked::default();
        let Some(who) = principal.filter(|_| role == Role::Participant) else {
            out.rejected.push((
                op_id,
                RejectReason::Forbidden {
                    error: DomainError::NotAllowedForRole,
                },
            ));
            return out;
        };
        let decided = command_of(intent).and_then(|command| {
            let ctx = DecideCtx {
                actor: who.actor.clone(),
                role,
                now_ms,
                pseudonym: who.pseudonym.clone(),
            };
            decide(&self.workshop, &command, &ctx)
        });
        if let Some(existing) = self.stored(&op_id) {
            if existing.is_refusal {
                // Its refusal was lost with the connection: say again why, as far as the
                // state still tells.
                let reason = match decided {
                    Err(error) => RejectReason::Forbidden { error },
                    Ok(_) => RejectReason::ConflictingOp,
                };
                out.rejected.push((op_id, reason));
            } else {
                out.duplicates.push(op_id);
            }
            return out;
        }
        let hlc = self.latest.tick(now_ms);
        let refusal = match decided {
            Ok(mut bodies) if bodies.len() == 1 => {
                let body = bodies.remove(0);
                let writer = writer_of(&self.workshop, &body, who);
                if *writer == op_id.actor {
                    let op = Op {
                        id: op_id,
                        hlc,
                        body,
                    };
                    return self.check_and_apply(vec![op], role, principal, limits, now_ms);
                }
                // Numbered under the other of the phone's actors (the wall's anonymity
                // changed while it waited): this number stays unused.
                RejectReason::NotYourActor {
                    actor: writer.clone(),
                }
            }
            Ok(_) => RejectReason::Forbidden {
                error: DomainError::NotAllowedForRole,
            },
            Err(error) => RejectReason::Forbidden { error },
        };
        let marker = Op {
            id: op_id.clone(),
            hlc,
            body: OpBody::Refused,
        };
        let mut out = self.check_and_apply(vec![marker], role, principal, limits, now_ms);
        if out.rejected.is_empty() {
            out.rejected.push((op_id, refusal));
        }
        out
    }

    /// Check `ops` from a connection of `role` acting for `principal` (participants only
    /// write as themselves or their pseudonym) in order, and apply what passes: each op is
    /// judged against the state including the earlier ops of the batch. Costs O(batch);
    /// [`RoomState::forget`] takes the batch back if it cannot be committed.
    pub fn check_and_apply(
        &mut self,
        ops: Vec<Op>,
        role: Role,
        principal: Option<&Principal>,
        limits: &Limits,
        now_ms: i64,
    ) -> Checked {
        let mut out = Checked::default();
        for op in ops {
            let json = serde_json::to_string(&op).unwrap_or_default();
            if let Some(existing) = self.stored(&op.id) {
                // A resent marker of an older build carried another clock; a marker is a
                // marker.
                if *existing.json == *json || (existing.is_refusal && op.is_refusal()) {
                    out.duplicates.push(op.id);
                } else {
                    out.rejected.push((op.id, RejectReason::ConflictingOp));
                }
                continue;
            }
            match self.refuse(&op, role, principal, limits, now_ms) {
                Some(reason) => {
                    if reason.leaves_marker() {
                        // Stored in its place, so this actor's numbers stay contiguous
                        // in every version vector. Carries nothing of the refused op.
                        let marker = Op::refusal_of(&op);
                        let json = serde_json::to_string(&marker).unwrap_or_default();
                        out.new.push(self.insert(&marker, json));
                    }
                    out.rejected.push((op.id, reason));
                }
                None => {
                    apply(&mut self.workshop, &op);
                    out.new.push(self.insert(&op, json));
                }
            }
        }
        out
    }

    fn refuse(
        &self,
        op: &Op,
        role: Role,
        principal: Option<&Principal>,
        limits: &Limits,
        now_ms: i64,
    ) -> Option<RejectReason> {
        if op.id.seq == 0 {
            return Some(RejectReason::ZeroSeq);
        }
        if op.id.seq > MAX_SEQ {
            return Some(RejectReason::SeqTooLarge { max: MAX_SEQ });
        }
        if !op.id.actor.is_well_formed() {
            return Some(RejectReason::BadActor);
        }
        if let Some(p) = principal
            && !p.is(&op.id.actor)
        {
            return Some(RejectReason::NotYourActor {
                actor: p.actor.clone(),
            });
        }
        if self.ops >= limits.max_ops_per_room as usize {
            return Some(RejectReason::RoomCapacity {
                what: Capacity::Ops,
                max: limits.max_ops_per_room,
            });
        }
        if !self.log.contains_key(&op.id.actor)
            && self.log.len() >= limits.max_actors_per_room as usize
        {
            return Some(RejectReason::RoomCapacity {
                what: Capacity::Actors,
                max: limits.max_actors_per_room,
            });
        }
        if !op.is_refusal() && !op.hlc.is_plausible_at(now_ms) {
            return Some(RejectReason::ClockAhead {
                max_ahead_ms: bijeen_core::HLC_MAX_AHEAD_MS.unsigned_abs(),
            });
        }
        let single;
        let principal = match principal {
            Some(p) => p,
            None => {
                single = Principal::single(op.id.actor.clone());
                &single
            }
        };
        if let Err(error) = authorize_as(&self.workshop, op, role, principal) {
            return Some(RejectReason::Forbidden { error });
        }
        match &op.body {
            OpBody::CreateNote { .. } if role == Role::Participant => {
                let have: u32 = principal
                    .actors()
                    .map(|a| self.notes.get(a).copied().unwrap_or(0))
                    .sum();
                (have >= limits.max_notes_per_participant).then_some(RejectReason::TooManyNotes {
                    max: limits.max_notes_per_participant,
                })
            }
            OpBody::Join { .. } => {
                let w = &self.workshop;
                let me = ParticipantId::of(&op.id.actor);
                let already = w.participants.get(&me).is_some_and(|p| p.joined);
                let joined = w.participants.values().filter(|p| p.joined).count();
                (!already && joined >= limits.max_participants as usize).then_some(
                    RejectReason::RoomFull {
                        max: limits.max_participants,
                    },
                )
            }
            _ => None,
        }
    }

    /// Take back a batch that could not be committed: its entries leave the log and the
    /// state is rebuilt from what is left (rare: the disk failed).
    pub fn forget(&mut self, batch: &[Arc<Entry>]) {
        for entry in batch {
            if let Some(log) = self.log.get_mut(&entry.id.actor) {
                log.ops.remove(&entry.id.seq);
                log.have = log.have.min(entry.id.seq.saturating_sub(1));
                if log.ops.is_empty() {
                    self.log.remove(&entry.id.actor);
                }
            }
            self.ops = self.ops.saturating_sub(1);
        }
        let mut w = Workshop::default();
        let mut notes: HashMap<ActorId, u32> = HashMap::new();
        for log in self.log.values() {
            for entry in log.ops.values() {
                if let Ok(op) = serde_json::from_str::<Op>(&entry.json) {
                    if let OpBody::CreateNote { .. } = op.body {
                        *notes.entry(op.id.actor.clone()).or_default() += 1;
                    }
                    apply(&mut w, &op);
                }
            }
        }
        self.workshop = w;
        self.notes = notes;
    }

    /// After a commit: sort the batch into what everyone may see and what only the
    /// authors of not-yet-public notes may, and release every note that has just become
    /// public. Returns the fan-out messages, in the order they must be sent.
    pub fn publish(&mut self, skip: Option<u64>, batch: &[Arc<Entry>]) -> Vec<Arc<Fanout>> {
        let mut released = Vec::new();
        // Notes kept back that may have become public: all of them after a board-wide op,
        // else those the batch touched (a note unhidden or restored).
        let candidates: Vec<NoteId> = if batch.iter().any(|e| e.board_wide) {
            self.withheld.keys().cloned().collect()
        } else {
            batch
                .iter()
                .filter_map(|e| e.note.clone())
                .filter(|n| self.withheld.contains_key(n))
                .collect()
        };
        let mut withheld_changed = false;
        for note in candidates {
            if self.workshop.note_is_public(&note) {
                if let Some(entries) = self.withheld.remove(&note) {
                    released.extend(entries);
                    withheld_changed = true;
                }
                self.released.insert(note);
            }
        }
        let mut scoped = Vec::with_capacity(batch.len());
        for entry in batch {
            let withheld = match &entry.note {
                None => false,
                Some(note) if self.released.contains(note) => false,
                Some(note) if self.workshop.note_is_public(note) => {
                    self.released.insert(note.clone());
                    false
                }
                Some(note) => {
                    let waiting = self.withheld.entry(note.clone()).or_default();
                    withheld_changed |= waiting.is_empty();
                    waiting.push(entry.clone());
                    true
                }
            };
            scoped.push((entry.clone(), withheld));
        }
        if withheld_changed {
            self.sync_withheld_ids();
        }

        let mut out = Vec::new();
        // One message per run of one actor: no frame may hold a named op and a bear of its
        // pseudonym side by side.
        let mut start = 0;
        while start < scoped.len() {
            let actor = &scoped[start].0.id.actor;
            let end = scoped[start..]
                .iter()
                .position(|(e, _)| e.id.actor != *actor)
                .map_or(scoped.len(), |n| start + n);
            let run: Vec<(Arc<Entry>, bool)> = scoped[start..end].to_vec();
            out.push(Arc::new(ops_fanout(skip, run)));
            start = end;
        }
        if !released.is_empty() {
            released.sort_by_key(|e| e.index);
            out.push(Arc::new(Fanout::Release { entries: released }));
        }
        out
    }

    /// A new copy for catch-ups that start from now on; those in progress keep theirs.
    fn sync_withheld_ids(&mut self) {
        self.withheld_ids = Arc::new(self.withheld.keys().cloned().collect());
    }

    /// Take in a committed log at startup: applied in stored order, then sorted into
    /// released and withheld notes as the state says now.
    fn load(&mut self, rows: Vec<(Op, String)>) {
        let mut batch = Vec::with_capacity(rows.len());
        for (op, json) in rows {
            if !op.is_refusal() {
                apply(&mut self.workshop, &op);
            }
            batch.push(self.insert(&op, json));
        }
        self.sort_loaded(&batch);
    }

    /// Sorts a freshly loaded log into released and withheld notes as the state says now.
    fn sort_loaded(&mut self, batch: &[Arc<Entry>]) {
        for entry in batch {
            if let Some(note) = &entry.note {
                if self.workshop.note_is_public(note) {
                    self.released.insert(note.clone());
                } else {
                    self.withheld
                        .entry(note.clone())
                        .or_default()
                        .push(entry.clone());
                }
            }
        }
        self.sync_withheld_ids();
    }

    /// What a connection arriving with `have` (and holding placeholders for `withheld`)
    /// must be sent, fixed now: taken under the room lock together with its fan-out
    /// subscription, so the catch-up and what follows meet exactly.
    pub fn catch_up(&self, have: &VersionVector, withheld: Vec<WithheldRange>) -> CatchUp {
        CatchUp {
            end: self.next_index,
            withheld_notes: self.withheld_ids.clone(),
            actors: self
                .log
                .iter()
                .filter(|(actor, log)| {
                    log.ops
                        .last_key_value()
                        .is_some_and(|(seq, _)| *seq > have.get(actor))
                })
                .map(|(actor, _)| (actor.clone(), have.get(actor).saturating_add(1)))
                .collect(),
            ranges: withheld,
        }
    }

    /// Up to `max` entries of `actor` from sequence number `from` that arrived before
    /// `end`, in order.
    pub fn entries_from(
        &self,
        actor: &ActorId,
        from: u64,
        end: u64,
        max: usize,
    ) -> Vec<Arc<Entry>> {
        self.log.get(actor).map_or_else(Vec::new, |log| {
            log.ops
                .range(from..)
                .map(|(_, e)| e)
                .filter(|e| e.index < end)
                .take(max)
                .cloned()
                .collect()
        })
    }

    /// PostgreSQL: takes in ops other relays committed (rows after [`RoomState::pos`], in
    /// position order) and returns what to fan out to this relay's connections.
    pub fn take_in(&mut self, rows: Vec<PgOp>) -> Result<Vec<Arc<Fanout>>, LoadError> {
        let mut batch = Vec::new();
        for row in rows {
            if row.pos <= self.pos {
                continue;
            }
            self.pos = row.pos;
            let op: Op = serde_json::from_str(&row.json).map_err(|source| LoadError::Op {
                room: String::new(),
                source,
            })?;
            if self.stored(&op.id).is_some() {
                // Cannot happen while positions follow the row lock; a second copy would
                // break the log's one-entry-per-id rule, so it is skipped, loudly.
                tracing::warn!(op = %op.id, pos = row.pos, "op stored twice in PostgreSQL");
                continue;
            }
            if !op.is_refusal() {
                self.last_active_ms = self.last_active_ms.max(op.hlc.wall_ms);
                apply(&mut self.workshop, &op);
            }
            batch.push(self.insert(&op, row.json));
        }
        Ok(if batch.is_empty() {
            Vec::new()
        } else {
            self.publish(None, &batch)
        })
    }

    /// Takes `cost` ops from the writer's bucket (and, for participants, the room's).
    pub fn take_tokens(
        &mut self,
        writer: &Writer,
        cost: u32,
        limits: &Limits,
        now: Instant,
    ) -> Result<(), std::time::Duration> {
        let bucket = self.buckets.entry(writer.clone()).or_insert_with(|| {
            let (rate, burst) = writer.rate(limits);
            TokenBucket::new(rate, burst, now)
        });
        bucket.take(cost, now)?;
        if matches!(writer, Writer::Participant(_)) {
            self.room_bucket.take(cost, now)?;
        }
        Ok(())
    }

    /// Counts a new authenticated connection, or says why the room is full. The
    /// facilitator always gets in.
    pub fn admit(
        &mut self,
        participant: Option<&ActorId>,
        limits: &Limits,
    ) -> Result<(), ErrorCode> {
        if let Some(actor) = participant {
            let full = ErrorCode::RoomFull {
                max: limits.max_participants,
            };
            if self.participants_online >= limits.max_participants + CONNECTION_HEADROOM {
                return Err(full);
            }
            let mine = self.connections_of.get(actor).copied().unwrap_or(0);
            if mine >= limits.max_connections_per_actor {
                return Err(full);
            }
            if !self.log.contains_key(actor)
                && !self.secrets.contains_key(actor)
                && self.secrets.len() >= limits.max_actors_per_room as usize
            {
                return Err(full);
            }
            self.participants_online += 1;
            *self.connections_of.entry(actor.clone()).or_default() += 1;
        }
        self.online += 1;
        Ok(())
    }

    /// A connection counted by [`RoomState::admit`] has gone.
    pub fn leave(&mut self, participant: Option<&ActorId>) {
        self.online = self.online.saturating_sub(1);
        if self.online == 0 {
            self.vacated_ms = crate::ws::now_ms();
        }
        if let Some(actor) = participant {
            self.participants_online = self.participants_online.saturating_sub(1);
            if let Some(n) = self.connections_of.get_mut(actor) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.connections_of.remove(actor);
                }
            }
        }
    }

    /// Whether an actor has any op in the log (then it can no longer be claimed).
    fn has_ops_of(&self, actor: &ActorId) -> bool {
        self.log.contains_key(actor)
    }
}

/// Participant connections beyond the participant limit that a room still accepts (a
/// participant's second tab, a phone reconnecting before its old socket timed out).
pub const CONNECTION_HEADROOM: u32 = 50;

fn ops_fanout(skip: Option<u64>, entries: Vec<(Arc<Entry>, bool)>) -> Fanout {
    let full = ops_frame(
        entries
            .iter()
            .map(|(e, _)| std::borrow::Cow::Borrowed(&*e.json)),
    );
    let public = entries.iter().any(|(_, w)| *w).then(|| {
        ops_frame(entries.iter().map(|(e, withheld)| {
            if *withheld {
                std::borrow::Cow::Owned(e.placeholder_json())
            } else {
                std::borrow::Cow::Borrowed(&*e.json)
            }
        }))
    });
    Fanout::Ops {
        skip,
        entries,
        full,
        public,
    }
}

/// `ServerMsg::Ops` from ops already serialised, without serialising them again.
pub fn ops_frame<'a>(ops: impl IntoIterator<Item = std::borrow::Cow<'a, str>>) -> Utf8Bytes {
    let mut text = String::from(r#"{"type":"ops","ops":["#);
    for (i, json) in ops.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&json);
    }
    text.push_str("]}");
    text.into()
}

/// A catch-up fixed at Hello time (see [`RoomState::catch_up`]).
#[derive(Debug)]
pub struct CatchUp {
    /// Entries that arrived from here on come through the fan-out instead.
    pub end: u64,
    /// Notes never public at Hello time.
    pub withheld_notes: Arc<HashSet<NoteId>>,
    /// Actors with ops the client lacks, and the first sequence number it lacks.
    pub actors: Vec<(ActorId, u64)>,
    /// Placeholders the client holds.
    pub ranges: Vec<WithheldRange>,
}

/// The outcome of checking a participant's secret.
pub enum SecretCheck {
    Ok,
    /// First Hello of a fresh actor: bind this secret (store it, then remember it).
    Bind,
    Bad,
}

/// The bear pseudonym of the participant holding `secret` in `room`: derived, so the
/// relay stores no link between the two, and unguessable without the secret. Distinct
/// from every real actor id (those are 16 hex digits; this is `anon` and 24).
pub fn pseudonym_of(room: &RoomId, secret: &ParticipantSecret) -> ActorId {
    let mut h = Sha256::new();
    h.update(b"bijeen bear pseudonym\0");
    h.update(room.as_str().as_bytes());
    h.update(b"\0");
    h.update(secret.as_str().as_bytes());
    let digest = h.finalize();
    let mut id = String::from("anon");
    for b in &digest[..12] {
        id.push_str(&format!("{b:02x}"));
    }
    ActorId::new(id)
}

impl Room {
    pub fn new(id: RoomId, join_code: JoinCode, key: SecretHash, state: RoomState) -> Self {
        Self {
            id,
            join_code,
            key,
            state: Mutex::new(state),
            fanout: broadcast::channel(FANOUT_CAPACITY).0,
        }
    }

    pub fn key_matches(&self, key: &FacilitatorKey) -> bool {
        self.key.verify_key(key)
    }

    /// Trust on first use: an actor's first Hello binds its secret. An actor that already
    /// has ops but no secret was written by a facilitator connection (console, projector)
    /// or is someone's pseudonym: nobody may claim it as a participant.
    pub fn check_secret(
        state: &RoomState,
        actor: &ActorId,
        secret: &ParticipantSecret,
    ) -> SecretCheck {
        match state.secrets.get(actor) {
            Some(bound) if bound.verify_participant(secret) => SecretCheck::Ok,
            Some(_) => SecretCheck::Bad,
            None if state.has_ops_of(actor) => SecretCheck::Bad,
            None => SecretCheck::Bind,
        }
    }

    pub fn bind_secret(state: &mut RoomState, actor: ActorId, secret: SecretHash) {
        state.secrets.insert(actor, secret);
    }

    /// Send to every connection of the room; nobody listening is fine.
    pub fn broadcast(&self, message: Arc<Fanout>) {
        let _ = self.fanout.send(message);
    }
}

/// Why a stored room could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("room {room}: {source}")]
    Id {
        room: String,
        #[source]
        source: bijeen_protocol::IdError,
    },
    #[error("room {room}: stored op is unreadable: {source}")]
    Op {
        room: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("room {room}: a stored {what} is not a credential hash")]
    Hash { room: String, what: &'static str },
}

/// A stored room's id, join code and facilitator key, as either store keeps them.
fn room_header(
    room: &str,
    join_code: &str,
    facilitator_key: &str,
) -> Result<(RoomId, JoinCode, SecretHash), LoadError> {
    let bad = |source| LoadError::Id {
        room: room.to_owned(),
        source,
    };
    let id = RoomId::parse(room).map_err(bad)?;
    let code = JoinCode::parse(join_code).map_err(bad)?;
    let key = SecretHash::from_stored(facilitator_key).ok_or_else(|| LoadError::Hash {
        room: room.to_owned(),
        what: "facilitator key",
    })?;
    Ok((id, code, key))
}

/// The stored hash of the room's remote key, as either store keeps it.
fn load_remote(state: &mut RoomState, room: &str, remote: Option<String>) -> Result<(), LoadError> {
    state.remote = match remote {
        None => None,
        Some(stored) => Some(
            SecretHash::from_stored(&stored).ok_or_else(|| LoadError::Hash {
                room: room.to_owned(),
                what: "remote key",
            })?,
        ),
    };
    Ok(())
}

/// The participants' stored secret hashes, as either store keeps them.
fn load_secrets(
    state: &mut RoomState,
    room: &str,
    actors: Vec<(String, String)>,
) -> Result<(), LoadError> {
    for (actor, secret) in actors {
        let secret = SecretHash::from_stored(&secret).ok_or_else(|| LoadError::Hash {
            room: room.to_owned(),
            what: "participant secret",
        })?;
        state.secrets.insert(ActorId::new(actor), secret);
    }
    Ok(())
}

pub fn room_from_store(stored: StoredRoom, limits: &Limits) -> Result<Room, LoadError> {
    let (id, code, key) = room_header(&stored.id, &stored.join_code, &stored.facilitator_key)?;
    let mut state = RoomState::new(limits, Instant::now());
    let mut rows = Vec::with_capacity(stored.ops.len());
    let mut last_ms = stored.created_ms;
    for json in stored.ops {
        let op: Op = serde_json::from_str(&json).map_err(|source| LoadError::Op {
            room: stored.id.clone(),
            source,
        })?;
        if !op.is_refusal() {
            last_ms = last_ms.max(op.hlc.wall_ms);
        }
        rows.push((op, json));
    }
    state.load(rows);
    state.last_active_ms = last_ms;
    load_secrets(&mut state, &stored.id, stored.actors)?;
    load_remote(&mut state, &stored.id, stored.remote)?;
    Ok(Room::new(id, code, key, state))
}

/// PostgreSQL: a room as stored there, rebuilt by replaying its log. (A snapshot row of
/// the workshop every 1,000 ops was tried and made opening slower: reading and parsing the
/// workshop's JSON cost more than applying the ops it saved. Measured medians, replay vs
/// snapshot row: 135 vs 142 ms at 25,000 ops, 527 vs 610 ms at 100,000.)
pub fn room_from_pg(stored: PgRoom, limits: &Limits) -> Result<Room, LoadError> {
    let (id, code, key) = room_header(&stored.id, &stored.join_code, &stored.facilitator_key)?;
    let mut state = RoomState::new(limits, Instant::now());
    let mut batch = Vec::with_capacity(stored.ops.len());
    for row in stored.ops {
        state.pos = row.pos;
        let op: Op = serde_json::from_str(&row.json).map_err(|source| LoadError::Op {
            room: stored.id.clone(),
            source,
        })?;
        if !op.is_refusal() {
            apply(&mut state.workshop, &op);
        }
        batch.push(state.insert(&op, row.json));
    }
    state.sort_loaded(&batch);
    state.last_active_ms = stored.last_active_ms;
    load_secrets(&mut state, &stored.id, stored.actors)?;
    load_remote(&mut state, &stored.id, stored.remote)?;
    Ok(Room::new(id, code, key, state))
}

/// Where the rooms are kept.
#[derive(Clone, Debug)]
pub enum Backend {
    /// One file, every room loaded at start (the embedded default).
    Sqlite(Store),
    /// Shared by every relay; rooms are hosted on demand.
    Postgres(PgStore),
}

/// All rooms of this relay: with SQLite every room, with PostgreSQL the rooms it hosts now.
pub struct Hub {
    rooms: std::sync::RwLock<HashMap<RoomId, Arc<Room>>>,
    /// SQLite only: PostgreSQL is asked, so a code made on another relay is found.
    codes: std::sync::RwLock<HashMap<JoinCode, RoomId>>,
    /// Serialises room creation, so "is this code free" stays true until it is stored.
    create: Mutex<()>,
    /// PostgreSQL: one lock per room being loaded, so a crowd reconnecting to a relay
    /// that does not host their room yet loads it once.
    loading: std::sync::Mutex<HashMap<RoomId, Arc<Mutex<()>>>>,
    pub backend: Backend,
    pub limits: Limits,
    next_conn: AtomicU64,
    /// Catch-ups streaming at once; the rest wait their turn.
    pub catch_ups: tokio::sync::Semaphore,
}

/// Why a room could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("room limit reached")]
    TooManyRooms { max: u32 },
    #[error("op {0} refused: {1}")]
    Rejected(OpId, RejectReason),
    #[error("the OS random number generator failed: {0}")]
    Random(getrandom::Error),
    #[error("storage: {0}")]
    Store(#[from] crate::store::StoreError),
}

impl From<crate::pg::PgError> for CreateError {
    fn from(e: crate::pg::PgError) -> Self {
        CreateError::Store(e.into())
    }
}

impl CreateError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CreateError::TooManyRooms { max } => ErrorCode::TooManyRooms { max: *max },
            CreateError::Rejected(..) => ErrorCode::Malformed {
                detail: self.to_string(),
            },
            CreateError::Random(_) | CreateError::Store(_) => ErrorCode::StorageFailed,
        }
    }
}

/// Who sends a batch: its rate-limit key, its role, the actors it may write as
/// (participants and remotes) and, for a phone remote, the key it came in with.
#[derive(Clone, Copy)]
pub struct Sender<'a> {
    pub writer: &'a Writer,
    pub role: Role,
    pub principal: Option<&'a Principal>,
    pub remote: Option<&'a SecretHash>,
}

/// Why a batch of ops was not taken.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("rate limited for {0:?}")]
    RateLimited(std::time::Duration),
    #[error("the remote key was revoked")]
    Revoked,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

impl From<crate::pg::PgError> for SubmitError {
    fn from(e: crate::pg::PgError) -> Self {
        SubmitError::Store(e.into())
    }
}

fn random<const N: usize>() -> Result<[u8; N], CreateError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(CreateError::Random)?;
    Ok(b)
}

fn corrupt(room: &RoomId, e: LoadError) -> StoreError {
    StoreError::Corrupt(format!("room {room}: {e}"))
}

impl Hub {
    pub fn new(backend: Backend, rooms: Vec<Room>, limits: Limits) -> Self {
        let mut by_id = HashMap::new();
        let mut codes = HashMap::new();
        for room in rooms {
            codes.insert(room.join_code.clone(), room.id.clone());
            by_id.insert(room.id.clone(), Arc::new(room));
        }
        let catch_ups =
            tokio::sync::Semaphore::new(limits.max_concurrent_catch_ups.max(1) as usize);
        Self {
            rooms: std::sync::RwLock::new(by_id),
            codes: std::sync::RwLock::new(codes),
            create: Mutex::new(()),
            loading: std::sync::Mutex::new(HashMap::new()),
            backend,
            limits,
            next_conn: AtomicU64::new(1),
            catch_ups,
        }
    }

    /// A room this relay holds in memory now.
    pub fn room(&self, id: &RoomId) -> Option<Arc<Room>> {
        self.rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }

    /// A room, hosting it first if it is in PostgreSQL but not here yet.
    pub async fn host(&self, id: &RoomId) -> Result<Option<Arc<Room>>, StoreError> {
        if let Some(room) = self.room(id) {
            return Ok(Some(room));
        }
        let Backend::Postgres(pg) = &self.backend else {
            return Ok(None);
        };
        let lock = self
            .loading
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id.clone())
            .or_default()
            .clone();
        let guard = lock.lock().await;
        let result = async {
            if let Some(room) = self.room(id) {
                return Ok(Some(room));
            }
            let Some(stored) = pg.load_room(id.as_str()).await? else {
                return Ok(None);
            };
            let limits = self.limits.clone();
            // Replaying a big log is CPU work: off the async workers.
            let room = tokio::task::spawn_blocking(move || room_from_pg(stored, &limits))
                .await
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .map_err(|e| corrupt(id, e))?;
            let room = Arc::new(room);
            self.rooms
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id.clone(), room.clone());
            Ok(Some(room))
        }
        .await;
        drop(guard);
        self.loading
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        result
    }

    /// The room a join code names (with PostgreSQL, on whichever relay it was made).
    pub async fn by_code(&self, code: &JoinCode) -> Result<Option<RoomId>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(self
                .codes
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(code)
                .cloned()),
            Backend::Postgres(pg) => Ok(pg
                .room_by_code(code.as_str())
                .await?
                .and_then(|id| RoomId::parse(&id).ok())),
        }
    }

    pub fn room_count(&self) -> usize {
        self.rooms.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Create a room holding `ops` (checked as facilitator ops) and store it.
    pub async fn create_room(
        &self,
        ops: Vec<Op>,
        now_ms: i64,
    ) -> Result<(RoomId, JoinCode, FacilitatorKey), CreateError> {
        let _guard = self.create.lock().await;
        let count = match &self.backend {
            Backend::Sqlite(_) => self.room_count(),
            Backend::Postgres(pg) => usize::try_from(pg.room_count().await?).unwrap_or(0),
        };
        if count >= self.limits.max_rooms as usize {
            return Err(CreateError::TooManyRooms {
                max: self.limits.max_rooms,
            });
        }
        let mut state = RoomState::new(&self.limits, Instant::now());
        let checked = state.check_and_apply(ops, Role::Facilitator, None, &self.limits, now_ms);
        if let Some((id, reason)) = checked.rejected.into_iter().next() {
            return Err(CreateError::Rejected(id, reason));
        }
        state.publish(None, &checked.new);
        state.last_active_ms = now_ms;
        let id = RoomId::from_random(random()?);
        let key = FacilitatorKey::from_random(random()?);
        let key_hash = SecretHash::of_key(&key).to_stored();
        let code = match &self.backend {
            Backend::Sqlite(store) => {
                let code = loop {
                    let code = JoinCode::from_random(u64::from_le_bytes(random()?));
                    if self.by_code(&code).await?.is_none() {
                        break code;
                    }
                };
                store
                    .commit(Write::Room {
                        id: id.to_string(),
                        join_code: code.to_string(),
                        facilitator_key: key_hash,
                        created_ms: now_ms,
                        ops: rows(&checked.new),
                    })
                    .await?;
                code
            }
            Backend::Postgres(pg) => {
                let ops = pg_rows(&checked.new, 1);
                state.pos = ops.last().map_or(0, |o| o.pos);
                // The database's unique index decides: two relays may draw the same code.
                loop {
                    let code = JoinCode::from_random(u64::from_le_bytes(random()?));
                    match pg
                        .create_room(id.as_str(), code.as_str(), &key_hash, now_ms, &ops)
                        .await?
                    {
                        Created::Ok => break code,
                        Created::CodeTaken => continue,
                    }
                }
            }
        };
        let room = Room::new(id.clone(), code.clone(), SecretHash::of_key(&key), state);
        if let Backend::Sqlite(_) = self.backend {
            self.codes
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .insert(code.clone(), id.clone());
        }
        self.rooms
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone(), Arc::new(room));
        Ok((id, code, key))
    }

    /// PostgreSQL: brings a hosted room up to date with what other relays committed (and,
    /// for a participant about to say Hello, with a secret another relay bound).
    pub async fn refresh(
        &self,
        room: &Room,
        st: &mut RoomState,
        participant: Option<&ActorId>,
    ) -> Result<(), StoreError> {
        let Backend::Postgres(pg) = &self.backend else {
            return Ok(());
        };
        let rows = pg.ops_after(room.id.as_str(), st.pos).await?;
        for message in st.take_in(rows).map_err(|e| corrupt(&room.id, e))? {
            room.broadcast(message);
        }
        if let Some(actor) = participant
            && !st.secrets.contains_key(actor)
            && let Some(stored) = pg.secret_of(room.id.as_str(), actor.as_str()).await?
        {
            let hash = SecretHash::from_stored(&stored).ok_or_else(|| {
                StoreError::Corrupt(format!("room {}: a participant secret", room.id))
            })?;
            st.secrets.insert(actor.clone(), hash);
        }
        Ok(())
    }

    /// Binds a fresh actor's secret (trust on first use). `Ok(false)`: another relay bound
    /// a different secret to it first, or it has ops nobody may claim.
    pub async fn bind_secret(
        &self,
        room: &Room,
        st: &mut RoomState,
        actor: &ActorId,
        secret: &ParticipantSecret,
    ) -> Result<bool, StoreError> {
        let hash = SecretHash::of_participant(secret);
        match &self.backend {
            Backend::Sqlite(store) => {
                store
                    .commit(Write::Actor {
                        room: room.id.to_string(),
                        actor: actor.to_string(),
                        secret: hash.to_stored(),
                    })
                    .await?;
            }
            Backend::Postgres(pg) => {
                let bound = pg
                    .bind_actor(room.id.as_str(), actor.as_str(), &hash.to_stored())
                    .await?;
                if let Err(existing) = bound {
                    // Remember what is bound, so the next Hello needs no query.
                    if let Some(stored) = existing.as_deref().and_then(SecretHash::from_stored) {
                        let ok = stored.verify_participant(secret);
                        st.secrets.insert(actor.clone(), stored);
                        return Ok(ok);
                    }
                    return Ok(false);
                }
            }
        }
        Room::bind_secret(st, actor.clone(), hash);
        Ok(true)
    }

    /// Sets the room's remote key (or revokes it with `None`), durably, and cuts off every
    /// remote of another key: on this relay at once, on the others through NOTIFY.
    pub async fn set_remote(&self, room: &Room, key: Option<&RemoteKey>) -> Result<(), StoreError> {
        let hash = key.map(SecretHash::of_remote);
        let mut st = room.state.lock().await;
        let stored = hash.as_ref().map(SecretHash::to_stored);
        match &self.backend {
            Backend::Sqlite(store) => {
                store
                    .commit(Write::Remote {
                        room: room.id.to_string(),
                        key: stored,
                    })
                    .await?;
            }
            Backend::Postgres(pg) => pg.set_remote(room.id.as_str(), stored.as_deref()).await?,
        }
        st.remote = hash.clone();
        drop(st);
        room.broadcast(Arc::new(Fanout::RemoteKey(hash)));
        Ok(())
    }

    /// PostgreSQL: reads the room's remote key again (another relay may have changed it).
    pub async fn refresh_remote(&self, room: &Room, st: &mut RoomState) -> Result<(), StoreError> {
        let Backend::Postgres(pg) = &self.backend else {
            return Ok(());
        };
        let stored = pg.remote_of(room.id.as_str()).await?;
        load_remote(st, room.id.as_str(), stored).map_err(|e| corrupt(&room.id, e))
    }

    /// Checks, stores and publishes a batch of ops from one connection. With PostgreSQL
    /// the room's row lock is held from before the check until the commit: the check sees
    /// every op any relay committed before, and rate limits are taken from rows every
    /// relay shares.
    pub async fn submit(
        &self,
        room: &Room,
        sender: Sender<'_>,
        batch: Batch,
        conn: u64,
    ) -> Result<Checked, SubmitError> {
        let Sender {
            writer,
            role,
            principal,
            remote,
        } = sender;
        let limits = &self.limits;
        let cost = batch.cost();
        let mut st = room.state.lock().await;
        // A remote steers only while its key is the room's (another relay may have revoked
        // it a moment ago: with PostgreSQL the database says).
        if let Some(hash) = remote {
            self.refresh_remote(room, &mut st).await?;
            if !st.remote_still(hash) {
                return Err(SubmitError::Revoked);
            }
        }
        match &self.backend {
            Backend::Sqlite(store) => {
                // Buckets live in the room, per writer: reconnecting does not refill them.
                st.take_tokens(writer, cost, limits, Instant::now())
                    .map_err(SubmitError::RateLimited)?;
                let now = crate::ws::now_ms();
                let checked = st.check_batch(batch, role, principal, limits, now);
                if !checked.new.is_empty() {
                    let write = Write::Ops {
                        room: room.id.to_string(),
                        ops: rows(&checked.new),
                    };
                    if let Err(e) = store.commit(write).await {
                        st.forget(&checked.new);
                        return Err(e.into());
                    }
                    st.last_active_ms = now;
                    // Committed: now (and only now) the room sees them.
                    for message in st.publish(Some(conn), &checked.new) {
                        room.broadcast(message);
                    }
                }
                Ok(checked)
            }
            Backend::Postgres(pg) => {
                let mut client = pg.writer_client().await?;
                let locked = PgStore::lock_room(&mut client, room.id.as_str()).await?;
                if locked.last_pos > st.pos {
                    let rows = locked.ops_after(st.pos).await?;
                    for message in st.take_in(rows).map_err(|e| corrupt(&room.id, e))? {
                        room.broadcast(message);
                    }
                }
                let now = crate::ws::now_ms();
                // Rate limits, shared by every relay.
                let mut keys = vec![writer.bucket_key()];
                if matches!(writer, Writer::Participant(_)) {
                    keys.push("room".into());
                }
                let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
                let stored = locked.buckets(&key_refs).await?;
                let (rate, burst) = writer.rate(limits);
                let mine = crate::bucket::take_stored(stored[0], rate, burst, cost, now)
                    .map_err(SubmitError::RateLimited)?;
                let room_bucket = match stored.get(1) {
                    Some(b) => Some(
                        crate::bucket::take_stored(
                            *b,
                            limits.room_ops_per_second,
                            limits.room_ops_burst,
                            cost,
                            now,
                        )
                        .map_err(SubmitError::RateLimited)?,
                    ),
                    None => None,
                };
                locked.set_bucket(&keys[0], mine.0, mine.1).await?;
                if let Some((tokens, at)) = room_bucket {
                    locked.set_bucket("room", tokens, at).await?;
                }
                let checked = st.check_batch(batch, role, principal, limits, now);
                let first = locked.last_pos + 1;
                let rows = pg_rows(&checked.new, first);
                if let Err(e) = locked.commit(&rows, now).await {
                    st.forget(&checked.new);
                    return Err(e.into());
                }
                if let Some(last) = rows.last() {
                    st.pos = last.pos;
                    st.last_active_ms = now;
                    for message in st.publish(Some(conn), &checked.new) {
                        room.broadcast(message);
                    }
                }
                Ok(checked)
            }
        }
    }

    /// Tells everyone in the room how many connections it has: this relay's count with
    /// SQLite, the sum over every live relay with PostgreSQL. `hello` also marks the room
    /// in use (for expiry). Returns the count told.
    pub async fn presence(&self, room: &Room, local: u32, hello: bool) -> u32 {
        let online = match &self.backend {
            Backend::Sqlite(_) => local,
            Backend::Postgres(pg) => {
                let active = hello.then(crate::ws::now_ms);
                match pg.set_presence(room.id.as_str(), local, active).await {
                    Ok(total) => total.max(local),
                    Err(e) => {
                        // Presence is a display; the room works on without it.
                        tracing::warn!(%e, room = %room.id, "cannot record presence");
                        local
                    }
                }
            }
        };
        room.broadcast(Arc::new(Fanout::Presence(
            bijeen_protocol::ServerMsg::Presence { online }
                .to_json()
                .into(),
        )));
        online
    }

    /// PostgreSQL: what another relay (or this one) announced with NOTIFY.
    pub fn on_notify(self: &Arc<Self>, payload: &str) {
        let mut parts = payload.split(' ');
        let (Some(kind), Some(room)) = (parts.next(), parts.next()) else {
            return;
        };
        let Ok(id) = RoomId::parse(room) else { return };
        let Some(room) = self.room(&id) else { return };
        let Backend::Postgres(pg) = &self.backend else {
            return;
        };
        match kind {
            "o" => {
                let to: i64 = parts
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(i64::MAX);
                let hub = self.clone();
                tokio::spawn(async move {
                    let mut st = room.state.lock().await;
                    if st.pos >= to || st.evicted {
                        return;
                    }
                    if let Err(e) = hub.refresh(&room, &mut st, None).await {
                        tracing::warn!(%e, room = %room.id, "cannot read another relay's ops");
                    }
                });
            }
            "p" => {
                if parts.next() == Some(pg.relay_id.as_str()) {
                    return; // told already
                }
                let pg = pg.clone();
                tokio::spawn(async move {
                    match pg.presence_total(room.id.as_str()).await {
                        Ok(online) => room.broadcast(Arc::new(Fanout::Presence(
                            bijeen_protocol::ServerMsg::Presence { online }
                                .to_json()
                                .into(),
                        ))),
                        Err(e) => tracing::warn!(%e, room = %room.id, "cannot read presence"),
                    }
                });
            }
            "r" => {
                let hub = self.clone();
                tokio::spawn(async move {
                    let mut st = room.state.lock().await;
                    match hub.refresh_remote(&room, &mut st).await {
                        Ok(()) => {
                            let now = st.remote.clone();
                            drop(st);
                            room.broadcast(Arc::new(Fanout::RemoteKey(now)));
                        }
                        Err(e) => tracing::warn!(%e, room = %room.id, "cannot read the remote key"),
                    }
                });
            }
            "d" => {
                let hub = self.clone();
                tokio::spawn(async move {
                    let mut st = room.state.lock().await;
                    st.evicted = true;
                    hub.rooms
                        .write()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(&room.id);
                });
            }
            _ => {}
        }
    }

    /// PostgreSQL: after the listener was away, notifications may be lost: every hosted
    /// room reads what it lacks, and its presence again.
    pub async fn refresh_all(self: &Arc<Self>) {
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        for room in rooms {
            let mut st = room.state.lock().await;
            if let Err(e) = self.refresh(&room, &mut st, None).await {
                tracing::warn!(%e, room = %room.id, "cannot refresh a room");
            }
            drop(st);
            self.on_notify(&format!("p {}", room.id));
        }
    }

    /// Rooms nobody is in and nobody has written to for the configured time are removed
    /// from memory and disk (the facilitator's browser keeps its copy and can invite
    /// again). With PostgreSQL "nobody" means on any live relay, and rooms nobody on this
    /// relay uses are also dropped from its memory. Returns how many rooms were deleted.
    pub async fn expire_idle(&self, now_ms: i64) -> usize {
        let ttl_ms = i64::from(self.limits.room_idle_hours).saturating_mul(3_600_000);
        if let Backend::Postgres(pg) = &self.backend {
            let gone = match pg.expire(now_ms.saturating_sub(ttl_ms), now_ms).await {
                Ok(gone) => gone,
                Err(e) => {
                    tracing::error!(%e, "cannot delete expired rooms");
                    Vec::new()
                }
            };
            let rooms: Vec<Arc<Room>> = self
                .rooms
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .values()
                .cloned()
                .collect();
            for room in rooms {
                let mut st = room.state.lock().await;
                let deleted = gone.iter().any(|g| g == room.id.as_str());
                if deleted || (st.online == 0 && now_ms - st.vacated_ms > HOST_IDLE_MS) {
                    st.evicted = true;
                    self.rooms
                        .write()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(&room.id);
                }
            }
            for room in &gone {
                tracing::info!(%room, "idle room expired");
            }
            return gone.len();
        }
        let Backend::Sqlite(store) = &self.backend else {
            return 0;
        };
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        let mut gone = 0;
        for room in rooms {
            let idle = {
                let st = room.state.lock().await;
                st.online == 0 && now_ms.saturating_sub(st.last_active_ms) > ttl_ms
            };
            if !idle {
                continue;
            }
            if let Err(e) = store
                .commit(Write::DeleteRoom {
                    id: room.id.to_string(),
                })
                .await
            {
                tracing::error!(%e, room = %room.id, "cannot delete an expired room");
                continue;
            }
            self.rooms
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&room.id);
            self.codes
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&room.join_code);
            tracing::info!(room = %room.id, "idle room expired");
            gone += 1;
        }
        gone
    }
}

/// PostgreSQL rows of committed entries, at positions from `first` on.
pub fn pg_rows(entries: &[Arc<Entry>], first: i64) -> Vec<PgOp> {
    entries
        .iter()
        .zip(first..)
        .map(|(e, pos)| PgOp {
            pos,
            actor: e.id.actor.to_string(),
            seq: i64::try_from(e.id.seq).unwrap_or(i64::MAX),
            json: e.json.to_string(),
            note: e.note.as_ref().map(|n| n.as_str().to_owned()),
            flags: e.pg_flags(),
        })
        .collect()
}

pub fn rows(entries: &[Arc<Entry>]) -> Vec<OpRow> {
    entries
        .iter()
        .map(|e| OpRow {
            actor: e.id.actor.to_string(),
            // Checked against MAX_SEQ (2^53) before, so it fits.
            seq: i64::try_from(e.id.seq).unwrap_or(i64::MAX),
            json: e.json.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_760_000_000_000;
    const HOUR: i64 = 3_600_000;

    #[tokio::test]
    async fn idle_rooms_expire_from_memory_and_disk_but_not_while_someone_is_in()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let (store, _) = Store::open(dir.path())?;
        let limits = Limits {
            room_idle_hours: 2,
            ..Limits::default()
        };
        let hub = Hub::new(Backend::Sqlite(store), Vec::new(), limits.clone());
        let (id, code, _) = hub.create_room(Vec::new(), NOW).await?;
        assert_eq!(hub.expire_idle(NOW + HOUR).await, 0, "not idle long enough");
        let room = hub.room(&id).ok_or("room")?;
        room.state.lock().await.admit(None, &limits)?;
        assert_eq!(
            hub.expire_idle(NOW + 3 * HOUR).await,
            0,
            "someone is in the room"
        );
        room.state.lock().await.leave(None);
        assert_eq!(hub.expire_idle(NOW + 3 * HOUR).await, 1);
        assert!(hub.room(&id).is_none());
        assert!(
            hub.by_code(&code).await?.is_none(),
            "the join code is free again"
        );
        drop(room);
        drop(hub);
        let (_, stored) = Store::open(dir.path())?;
        assert!(stored.is_empty(), "and gone from disk");
        Ok(())
    }

    #[test]
    fn a_pseudonym_is_stable_per_room_and_secret_and_names_neither() {
        let room = RoomId::from_random([1; 16]);
        let other_room = RoomId::from_random([2; 16]);
        let secret = ParticipantSecret::from_random([3; 16]);
        let other = ParticipantSecret::from_random([4; 16]);
        let p = pseudonym_of(&room, &secret);
        assert_eq!(p, pseudonym_of(&room, &secret));
        assert_ne!(p, pseudonym_of(&other_room, &secret));
        assert_ne!(p, pseudonym_of(&room, &other));
        assert!(p.is_well_formed());
        assert!(!p.as_str().contains(secret.as_str()));
    }
}
