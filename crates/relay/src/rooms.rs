//! Rooms in memory: each a `bijeen_core::Doc` replica of its stored log, plus what the relay
//! needs to police it (facilitator key, bound participant secrets, note counts).
//!
//! The per-room async mutex is held from checking a batch until it is committed and
//! applied, so the in-memory doc never holds an op that is not on disk, and a Hello
//! computing "what you lack" can never hand out an uncommitted op.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::Utf8Bytes;
use bijeen_core::{
    ActorId, Doc, Op, OpBody, OpId, ParticipantId, Role, Workshop, apply, authorize,
};
use bijeen_protocol::{
    ErrorCode, FacilitatorKey, JoinCode, MAX_SEQ, ParticipantSecret, RejectReason, RoomId,
};
use tokio::sync::{Mutex, broadcast};

use crate::config::Limits;
use crate::secret::SecretHash;
use crate::store::{OpRow, Store, StoredRoom, Write};

/// Messages a room fans out to its connections, serialised once.
#[derive(Clone, Debug)]
pub struct Fanout {
    /// The connection that caused it, which must not get it (it gets an Ack instead).
    pub skip: Option<u64>,
    pub text: Utf8Bytes,
}

/// Backlog per room before a slow connection is told to reconnect and catch up (which is
/// exact, by version vector). tokio allocates every slot up front (~80 bytes each): at
/// 1,024 slots that was ~100 KB per idle room, most of a 1,000-room relay's memory.
const FANOUT_CAPACITY: usize = 256;

pub struct Room {
    pub id: RoomId,
    pub join_code: JoinCode,
    key: SecretHash,
    pub state: Mutex<RoomState>,
    pub fanout: broadcast::Sender<Fanout>,
}

pub struct RoomState {
    pub doc: Doc,
    /// Hash of each stored op's JSON: spots an op that reuses a stored id with different
    /// content without keeping a second copy of the log.
    hashes: HashMap<OpId, u64>,
    /// Notes created per actor (deleted ones included, so delete-and-recreate does not
    /// get around the limit).
    notes: HashMap<ActorId, u32>,
    secrets: HashMap<ActorId, SecretHash>,
    /// Open connections (presence).
    pub online: u32,
}

/// The outcome of checking a batch: what to store, what is already stored, and what to
/// refuse.
#[derive(Debug, Default)]
pub struct Checked {
    /// To store and forward, in order: accepted ops, and the refusal markers that take
    /// the place of refused ones (see [`RejectReason::leaves_marker`]).
    pub new: Vec<(Op, String)>,
    pub duplicates: Vec<OpId>,
    pub rejected: Vec<(OpId, RejectReason)>,
}

fn hash_json(json: &str) -> u64 {
    let mut h = DefaultHasher::new();
    json.hash(&mut h);
    h.finish()
}

impl RoomState {
    fn new() -> Self {
        Self {
            doc: Doc::new(ActorId::new("relay")),
            hashes: HashMap::new(),
            notes: HashMap::new(),
            secrets: HashMap::new(),
            online: 0,
        }
    }

    /// Check `ops` from a connection with `role` (and, for participants, its `actor`)
    /// in order: each op is authorised against the state including the earlier accepted
    /// ops of the same batch (a note created and then edited in one batch is fine).
    pub fn check(
        &self,
        ops: Vec<Op>,
        role: Role,
        actor: Option<&ActorId>,
        limits: &Limits,
    ) -> Checked {
        let mut out = Checked::default();
        // Only cloned once a second new op needs to see the first one's effect.
        let mut scratch: Option<Workshop> = None;
        let mut extra_notes: HashMap<ActorId, u32> = HashMap::new();
        let mut batch_hashes: HashMap<OpId, u64> = HashMap::new();
        let total = ops.len();
        for (i, op) in ops.into_iter().enumerate() {
            let json = serde_json::to_string(&op).unwrap_or_default();
            let hash = hash_json(&json);
            let known = self.hashes.get(&op.id).or_else(|| batch_hashes.get(&op.id));
            if let Some(&h) = known {
                if h == hash {
                    out.duplicates.push(op.id);
                } else {
                    out.rejected.push((op.id, RejectReason::ConflictingOp));
                }
                continue;
            }
            let w = scratch.as_ref().unwrap_or(self.doc.workshop());
            match self.refuse(w, &op, role, actor, limits, &extra_notes) {
                Some(reason) => {
                    if reason.leaves_marker() {
                        // Stored in its place, so this actor's numbers stay contiguous
                        // in every version vector. Carries nothing of the refused op.
                        let marker = Op::refusal_of(&op);
                        let json = serde_json::to_string(&marker).unwrap_or_default();
                        batch_hashes.insert(op.id.clone(), hash_json(&json));
                        out.new.push((marker, json));
                    }
                    out.rejected.push((op.id, reason));
                }
                None => {
                    if matches!(op.body, OpBody::CreateNote { .. }) {
                        *extra_notes.entry(op.id.actor.clone()).or_default() += 1;
                    }
                    if i + 1 < total {
                        let s = scratch.get_or_insert_with(|| self.doc.workshop().clone());
                        apply(s, &op);
                    }
                    batch_hashes.insert(op.id.clone(), hash);
                    out.new.push((op, json));
                }
            }
        }
        out
    }

    fn refuse(
        &self,
        w: &Workshop,
        op: &Op,
        role: Role,
        actor: Option<&ActorId>,
        limits: &Limits,
        extra_notes: &HashMap<ActorId, u32>,
    ) -> Option<RejectReason> {
        if op.id.seq == 0 {
            return Some(RejectReason::ZeroSeq);
        }
        if op.id.seq > MAX_SEQ {
            return Some(RejectReason::SeqTooLarge { max: MAX_SEQ });
        }
        if let Some(me) = actor
            && op.id.actor != *me
        {
            return Some(RejectReason::NotYourActor { actor: me.clone() });
        }
        if let Err(error) = authorize(w, op, role) {
            return Some(RejectReason::Forbidden { error });
        }
        match &op.body {
            OpBody::CreateNote { .. } if role == Role::Participant => {
                let have = self.notes.get(&op.id.actor).copied().unwrap_or(0)
                    + extra_notes.get(&op.id.actor).copied().unwrap_or(0);
                (have >= limits.max_notes_per_participant).then_some(RejectReason::TooManyNotes {
                    max: limits.max_notes_per_participant,
                })
            }
            OpBody::Join { .. } => {
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

    /// Take committed ops into memory.
    pub fn absorb(&mut self, ops: &[(Op, String)]) {
        for (op, json) in ops {
            // Checked before commit; a failure here would mean a bug, and the op is on
            // disk either way, so log instead of diverging silently.
            if let Err(e) = self.doc.receive(op) {
                tracing::error!(%e, op = %op.id, "committed op refused by the doc");
            }
            self.hashes.insert(op.id.clone(), hash_json(json));
            if matches!(op.body, OpBody::CreateNote { .. }) {
                *self.notes.entry(op.id.actor.clone()).or_default() += 1;
            }
        }
    }

    /// Whether an actor has any op in the log (then it can no longer be claimed).
    fn has_ops_of(&self, actor: &ActorId) -> bool {
        self.doc.version_vector().0.contains_key(actor)
    }
}

/// The outcome of checking a participant's secret.
pub enum SecretCheck {
    Ok,
    /// First Hello of a fresh actor: bind this secret (store it, then remember it).
    Bind,
    Bad,
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
    /// has ops but no secret was written by a facilitator connection (console, projector):
    /// nobody may claim it as a participant.
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
    pub fn broadcast(&self, skip: Option<u64>, text: Utf8Bytes) {
        let _ = self.fanout.send(Fanout { skip, text });
    }
}

/// Why a stored room could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("room {room}: {source}")]
    BadId {
        room: String,
        #[source]
        source: bijeen_protocol::IdError,
    },
    #[error("room {room}: a stored {what} is not a credential hash")]
    BadHash { room: String, what: &'static str },
}

pub fn room_from_store(stored: StoredRoom) -> Result<Room, LoadError> {
    let bad = |source| LoadError::BadId {
        room: stored.id.clone(),
        source,
    };
    let id = RoomId::parse(&stored.id).map_err(bad)?;
    let code = JoinCode::parse(&stored.join_code).map_err(bad)?;
    let key =
        SecretHash::from_stored(&stored.facilitator_key).ok_or_else(|| LoadError::BadHash {
            room: stored.id.clone(),
            what: "facilitator key",
        })?;
    let mut state = RoomState::new();
    let ops: Vec<(Op, String)> = stored
        .ops
        .into_iter()
        .map(|op| {
            let json = serde_json::to_string(&op).unwrap_or_default();
            (op, json)
        })
        .collect();
    state.absorb(&ops);
    for (actor, secret) in stored.actors {
        let secret = SecretHash::from_stored(&secret).ok_or_else(|| LoadError::BadHash {
            room: stored.id.clone(),
            what: "participant secret",
        })?;
        state.secrets.insert(ActorId::new(actor), secret);
    }
    Ok(Room::new(id, code, key, state))
}

/// All rooms of this relay.
pub struct Hub {
    rooms: std::sync::RwLock<HashMap<RoomId, Arc<Room>>>,
    codes: std::sync::RwLock<HashMap<JoinCode, RoomId>>,
    /// Serialises room creation, so "is this code free" stays true until it is stored.
    create: Mutex<()>,
    pub store: Store,
    pub limits: Limits,
    next_conn: AtomicU64,
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

fn random<const N: usize>() -> Result<[u8; N], CreateError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(CreateError::Random)?;
    Ok(b)
}

impl Hub {
    pub fn new(store: Store, rooms: Vec<Room>, limits: Limits) -> Self {
        let mut by_id = HashMap::new();
        let mut codes = HashMap::new();
        for room in rooms {
            codes.insert(room.join_code.clone(), room.id.clone());
            by_id.insert(room.id.clone(), Arc::new(room));
        }
        Self {
            rooms: std::sync::RwLock::new(by_id),
            codes: std::sync::RwLock::new(codes),
            create: Mutex::new(()),
            store,
            limits,
            next_conn: AtomicU64::new(1),
        }
    }

    pub fn room(&self, id: &RoomId) -> Option<Arc<Room>> {
        self.rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }

    pub fn by_code(&self, code: &JoinCode) -> Option<RoomId> {
        self.codes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(code)
            .cloned()
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
        if self.room_count() >= self.limits.max_rooms as usize {
            return Err(CreateError::TooManyRooms {
                max: self.limits.max_rooms,
            });
        }
        let mut state = RoomState::new();
        let checked = state.check(ops, Role::Facilitator, None, &self.limits);
        if let Some((id, reason)) = checked.rejected.into_iter().next() {
            return Err(CreateError::Rejected(id, reason));
        }
        let id = RoomId::from_random(random()?);
        let code = loop {
            let code = JoinCode::from_random(u64::from_le_bytes(random()?));
            if self.by_code(&code).is_none() {
                break code;
            }
        };
        let key = FacilitatorKey::from_random(random()?);
        self.store
            .commit(Write::Room {
                id: id.to_string(),
                join_code: code.to_string(),
                facilitator_key: SecretHash::of_key(&key).to_stored(),
                created_ms: now_ms,
                ops: rows(&checked.new),
            })
            .await?;
        state.absorb(&checked.new);
        let room = Room::new(id.clone(), code.clone(), SecretHash::of_key(&key), state);
        self.codes
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(code.clone(), id.clone());
        self.rooms
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone(), Arc::new(room));
        Ok((id, code, key))
    }
}

pub fn rows(ops: &[(Op, String)]) -> Vec<OpRow> {
    ops.iter()
        .map(|(op, json)| OpRow {
            actor: op.id.actor.to_string(),
            // Checked against MAX_SEQ (2^53) before, so it fits.
            seq: i64::try_from(op.id.seq).unwrap_or(i64::MAX),
            json: json.clone(),
        })
        .collect()
}
