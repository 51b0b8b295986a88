//! The WebSocket messages. JSON text frames, internally tagged by `"type"`.
//!
//! Stability: like core's ops, the serde names here are the wire format of
//! [`crate::PROTOCOL_VERSION`]. Adding a variant or an optional field is compatible;
//! renaming or removing one needs a new protocol version.

use bijeen_core::{ActorId, DomainError, Op, OpId, Role, VersionVector};
use bijeen_view::{Intent, ViewPatch};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ids::{FacilitatorKey, JoinCode, ParticipantSecret, RemoteKey, RoomId};
use crate::{MAX_MESSAGE_BYTES, SUPPORTED_VERSIONS};

/// Who the client claims to be in the room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    /// Holds the room's facilitator key: may send any valid op, of any actor (the console,
    /// the projector window, an import).
    Facilitator { key: FacilitatorKey },
    /// A participant device: may send only ops of `actor`, and only what
    /// `bijeen_core::authorize` allows a participant.
    Participant {
        actor: ActorId,
        secret: ParticipantSecret,
    },
    /// The facilitator's phone remote: a facilitator device while the room's remote key is
    /// `key`, writing only as `actor`, which `secret` binds to this device the way a
    /// participant's is (so two phones with one link never share an actor's numbers).
    Remote {
        actor: ActorId,
        secret: ParticipantSecret,
        key: RemoteKey,
    },
}

impl Credential {
    pub fn role(&self) -> Role {
        match self {
            Credential::Facilitator { .. } | Credential::Remote { .. } => Role::Facilitator,
            Credential::Participant { .. } => Role::Participant,
        }
    }

    /// The one actor this device writes as, for credentials bound to one (participants and
    /// remotes); the facilitator key may write as any of its windows.
    pub fn actor(&self) -> Option<&ActorId> {
        match self {
            Credential::Facilitator { .. } => None,
            Credential::Participant { actor, .. } | Credential::Remote { actor, .. } => Some(actor),
        }
    }
}

/// Client → relay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// First message on every connection. `version_vector` says what the client has, so
    /// the relay sends exactly what it lacks.
    Hello {
        protocol_version: u32,
        room: RoomId,
        credential: Credential,
        version_vector: VersionVector,
        /// Placeholders the client holds (ops counted in its version vector that it may
        /// not have seen yet): the relay sends those it may see now.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        withheld: Vec<WithheldRange>,
    },
    /// First message of a participant's phone that holds no replica: it is sent its view
    /// ([`ServerMsg::View`]) instead of the room's ops, and sends [`ClientMsg::Intent`]s.
    /// Only a participant's credential may ask for it.
    ViewHello {
        protocol_version: u32,
        room: RoomId,
        credential: Credential,
    },
    /// New local ops, ops the relay lacks (after Welcome), or unacknowledged ops again.
    /// Ops are idempotent by `(actor, seq)`, so resending is always safe.
    Ops { ops: Vec<Op> },
    /// A phone's intent, to be decided by the relay and written as op `op_id` (one of the
    /// participant's own actors, numbered by the phone): resending it after a lost answer
    /// finds the op stored and is only acknowledged again.
    Intent { op_id: OpId, intent: Intent },
    /// A clock sample request; answered by [`ServerMsg::Pong`].
    Ping { client_time_ms: i64 },
    /// A phone without a replica asks for its own contributions as Markdown (the core's
    /// `report::participant_report`), answered by [`ServerMsg::Report`].
    Report { lang: bijeen_core::Lang },
}

/// Sequence numbers `from..=to` of `actor`: placeholders a client holds, as ranges (a
/// participant's hidden notes are mostly consecutive ops), so a Hello stays small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldRange(pub ActorId, pub u64, pub u64);

impl WithheldRange {
    /// The ranges covering `ids` (sorted by actor, then sequence number).
    pub fn covering<'a>(ids: impl IntoIterator<Item = &'a OpId>) -> Vec<WithheldRange> {
        let mut ids: Vec<&OpId> = ids.into_iter().collect();
        ids.sort();
        let mut out: Vec<WithheldRange> = Vec::new();
        for id in ids {
            match out.last_mut() {
                Some(WithheldRange(actor, _, to))
                    if *actor == id.actor && to.checked_add(1) == Some(id.seq) =>
                {
                    *to = id.seq;
                }
                _ => out.push(WithheldRange(id.actor.clone(), id.seq, id.seq)),
            }
        }
        out
    }
}

/// Relay → client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The answer to a good Hello; followed by `Ops` with everything the client lacks.
    Welcome {
        protocol_version: u32,
        room: RoomId,
        role: Role,
        join_code: JoinCode,
        server_time_ms: i64,
        /// What the relay has durably stored: the client sends what this lacks.
        server_vv: VersionVector,
        /// Connections in the room, this one included.
        online: u32,
        /// For a participant: the actor to write anonymous bears under (derived from
        /// their secret; see `bijeen_core::pseudonym`). Sent to nobody else.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pseudonym: Option<ActorId>,
    },
    /// Ops the client lacks: catch-up after Welcome, or ops other clients sent, forwarded
    /// only after they were committed.
    Ops {
        ops: Vec<Op>,
    },
    /// What changed in a phone's view (after a `ViewHello`: the whole view first).
    View {
        patch: Box<ViewPatch>,
    },
    /// The participant's own contributions, as asked for by [`ClientMsg::Report`], with the
    /// name to save them under (from the workshop's title and date, named here so the phone
    /// carries no text rules of its own).
    Report {
        file_name: String,
        text: String,
    },
    /// These ops of this connection are committed (or were already stored): drop them
    /// from the outbox.
    Ack {
        op_ids: Vec<OpId>,
    },
    /// This op was refused; it was not stored and nobody else sees it.
    Rejected {
        op_id: OpId,
        reason: RejectReason,
    },
    Pong {
        client_time_ms: i64,
        server_time_ms: i64,
    },
    /// How many connections the room has now. Ephemeral, never stored.
    Presence {
        online: u32,
    },
    Error {
        code: ErrorCode,
    },
}

/// Why one op was refused.
///
/// Read through [`FlatReason`], not serde's internally tagged reader: that one buffers
/// the whole value and costs the app's wasm several kilobytes per enum (the JSON is the same).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "FlatReason")]
pub enum RejectReason {
    /// `bijeen_core::authorize` said no for the sender's role (or the value is invalid).
    #[error("not allowed: {error}")]
    Forbidden { error: DomainError },
    /// A participant connection sent an op of another actor (forging an author).
    #[error("a participant may only send its own ops (actor {actor})")]
    NotYourActor { actor: ActorId },
    #[error("at most {max} notes per participant")]
    TooManyNotes { max: u32 },
    /// A new participant tried to join a room that has `max` participants.
    #[error("the room has its maximum of {max} participants")]
    RoomFull { max: u32 },
    #[error("sequence numbers start at 1")]
    ZeroSeq,
    /// Above 2^53 a browser's JSON numbers lose precision, so such an id could not be
    /// acknowledged exactly.
    #[error("sequence number above {max}")]
    SeqTooLarge { max: u64 },
    /// Same `(actor, seq)` as a stored op with different content: a replica reused a
    /// sequence number. The stored op stays.
    #[error("another op with this id is already stored")]
    ConflictingOp,
    /// Never sent by the relay: the client session gives up on an op that cannot fit in
    /// one frame even alone.
    #[error("the op is larger than one message ({max} bytes)")]
    TooLarge { max: u32 },
    /// The op's clock is more than `max_ahead_ms` ahead of the relay's (or before 1970):
    /// it would win every later edit. The device's clock is wrong.
    #[error("the op's clock is more than {max_ahead_ms} ms ahead of the relay's")]
    ClockAhead { max_ahead_ms: u64 },
    /// The actor id is not 1 to 64 characters of `[A-Za-z0-9_-]`.
    #[error("malformed actor id")]
    BadActor,
    /// The room holds its maximum of ops (or actors); nothing more is stored.
    #[error("the room holds its maximum of {max} {what}")]
    RoomCapacity { what: Capacity, max: u32 },
}

/// What a room holds at most (see [`RejectReason::RoomCapacity`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Ops,
    Actors,
}

impl std::fmt::Display for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Capacity::Ops => "ops",
            Capacity::Actors => "actors",
        })
    }
}

impl RejectReason {
    /// Whether the relay stored a refusal marker ([`bijeen_core::Op::refusal_of`]) in
    /// place of the refused op: it does for an op of the sender's own numbering that a
    /// rule refused, so the actor's sequence numbers stay contiguous everywhere. The
    /// sender should then `Doc::refuse` it. Not for ids that are not the sender's to use
    /// (another actor, an impossible number) or that are already taken.
    pub fn leaves_marker(&self) -> bool {
        match self {
            RejectReason::Forbidden { .. }
            | RejectReason::TooManyNotes { .. }
            | RejectReason::RoomFull { .. }
            | RejectReason::TooLarge { .. }
            | RejectReason::ClockAhead { .. } => true,
            // A full room stores nothing more, markers included.
            RejectReason::NotYourActor { .. }
            | RejectReason::ZeroSeq
            | RejectReason::SeqTooLarge { .. }
            | RejectReason::ConflictingOp
            | RejectReason::BadActor
            | RejectReason::RoomCapacity { .. } => false,
        }
    }
}

/// Connection-level errors. Each names what went wrong with the numbers the app needs to
/// say so in the user's language. Read through [`FlatCode`] (see [`RejectReason`]).
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case", try_from = "FlatCode")]
pub enum ErrorCode {
    #[error("protocol version not supported; this relay speaks {supported:?}")]
    UnsupportedVersion { supported: Vec<u32> },
    #[error("message larger than {max} bytes")]
    MessageTooLarge { max: u32 },
    /// The message was dropped unprocessed; send it again after the delay.
    #[error("too many ops; retry after {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    #[error("no such room")]
    RoomNotFound,
    /// The Hello names another room than the WebSocket URL.
    #[error("the hello names another room than the connection")]
    RoomMismatch,
    #[error("wrong facilitator key or participant secret")]
    BadCredential,
    #[error("the room has its maximum of {max} participants")]
    RoomFull { max: u32 },
    #[error("this relay has its maximum of {max} rooms")]
    TooManyRooms { max: u32 },
    #[error("malformed message: {detail}")]
    Malformed { detail: String },
    /// Anything before Hello, or a second Hello.
    #[error("the first message must be one hello")]
    HelloFirst,
    #[error("no hello within {ms} ms")]
    HelloTimeout { ms: u64 },
    /// The relay could not commit; nothing was acked, send again later.
    #[error("the relay could not store the ops")]
    StorageFailed,
    /// This connection fell too far behind the room; reconnect to catch up.
    #[error("connection too slow to keep up; reconnect")]
    TooSlow,
    #[error("the relay is shutting down")]
    ShuttingDown,
    /// Nothing came from the client for too long (not even an answer to the relay's
    /// ping): the connection is presumed dead and closed.
    #[error("no message from the client for {ms} ms")]
    Idle { ms: u64 },
    /// A phone remote's key that the facilitator revoked (or replaced by a new one).
    #[error("this remote was revoked by the facilitator")]
    RemoteRevoked,
}

impl ErrorCode {
    /// Whether reconnecting cannot help (the app should tell the user instead of retrying).
    /// A full room is not: a place frees up when someone leaves.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            ErrorCode::UnsupportedVersion { .. }
                | ErrorCode::RoomNotFound
                | ErrorCode::RoomMismatch
                | ErrorCode::BadCredential
                | ErrorCode::RemoteRevoked
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// A Hello of a version this build does not speak. Detected even when the rest of the
    /// message has a shape this version does not know.
    #[error("protocol version {got} not supported")]
    UnsupportedVersion { got: u32 },
    #[error("malformed message: {detail}")]
    Malformed { detail: String },
}

impl DecodeError {
    pub fn to_error_code(&self) -> ErrorCode {
        match self {
            DecodeError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion {
                supported: SUPPORTED_VERSIONS.to_vec(),
            },
            DecodeError::Malformed { detail } => ErrorCode::Malformed {
                detail: detail.clone(),
            },
        }
    }
}

/// Just enough of a message to find a Hello's version when the full parse fails (a newer
/// client may send fields or credential kinds this version does not know).
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "type")]
    kind: String,
    protocol_version: Option<u32>,
}

/// Parse a client frame, checking a Hello's version before anything else so a client of
/// another version always learns that, rather than a confusing parse error.
pub fn decode_client(text: &str) -> Result<ClientMsg, DecodeError> {
    let unsupported = |v: u32| (!SUPPORTED_VERSIONS.contains(&v)).then_some(v);
    match serde_json::from_str::<ClientMsg>(text) {
        Ok(
            ClientMsg::Hello {
                protocol_version, ..
            }
            | ClientMsg::ViewHello {
                protocol_version, ..
            },
        ) if unsupported(protocol_version).is_some() => Err(DecodeError::UnsupportedVersion {
            got: protocol_version,
        }),
        Ok(msg) => Ok(msg),
        Err(err) => {
            if let Ok(Probe {
                kind,
                protocol_version: Some(v),
            }) = serde_json::from_str::<Probe>(text)
                && (kind == "hello" || kind == "view_hello")
                && unsupported(v).is_some()
            {
                return Err(DecodeError::UnsupportedVersion { got: v });
            }
            Err(DecodeError::Malformed {
                detail: truncate(err.to_string(), 200),
            })
        }
    }
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

impl ClientMsg {
    pub fn to_json(&self) -> String {
        // Plain data with string map keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ServerMsg {
    pub fn to_json(&self) -> String {
        // Plain data with string map keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Same answers as `serde_json::from_str::<ServerMsg>`, read without serde's
    /// buffering of internally tagged enums for the `ops` frames: their ops go from the
    /// parser straight into [`Op`]'s deserializer, the same code that reads a stored log,
    /// instead of a second copy of all the op-reading code over serde's buffer (about
    /// half of the op decoding in the app's wasm).
    pub fn from_json(text: &str) -> Result<ServerMsg, DecodeError> {
        let malformed = |e: serde_json::Error| DecodeError::Malformed {
            detail: truncate(e.to_string(), 200),
        };
        let tag: Tag = serde_json::from_str(text).map_err(malformed)?;
        if tag.kind == "ops" {
            let frame: OpsFrame = serde_json::from_str(text).map_err(malformed)?;
            return Ok(ServerMsg::Ops { ops: frame.ops });
        }
        // A `view` frame goes only to a phone without a replica, which reads it with its own
        // types (`bijeen_view::Down`); reading it here would put the view's reader into
        // every replica client's download for a message they are never sent.
        let frame: FlatFrame = serde_json::from_str(text).map_err(malformed)?;
        ServerMsg::try_from(frame).map_err(|detail| DecodeError::Malformed { detail })
    }
}

/// The `type` of a frame, everything else skipped.
#[derive(Deserialize)]
struct Tag {
    #[serde(rename = "type")]
    kind: String,
}

/// An `ops` frame (its `type` already read).
#[derive(Deserialize)]
struct OpsFrame {
    ops: Vec<Op>,
}

/// A frame that is not `ops`, every field of every kind side by side: one flat reader
/// instead of serde's buffering reader for internally tagged enums (same JSON, and the
/// same "missing field" refusals).
#[derive(Deserialize)]
struct FlatFrame {
    #[serde(rename = "type")]
    kind: String,
    protocol_version: Option<u32>,
    room: Option<RoomId>,
    role: Option<Role>,
    join_code: Option<JoinCode>,
    server_time_ms: Option<i64>,
    server_vv: Option<VersionVector>,
    online: Option<u32>,
    pseudonym: Option<ActorId>,
    op_ids: Option<Vec<OpId>>,
    op_id: Option<OpId>,
    reason: Option<RejectReason>,
    client_time_ms: Option<i64>,
    code: Option<ErrorCode>,
}

/// A required field of a flat reader: its value, or serde's own wording of the refusal.
fn needed<T>(value: Option<T>, field: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

fn unknown_kind(kind: &str) -> String {
    format!("unknown variant `{kind}`")
}

impl TryFrom<FlatFrame> for ServerMsg {
    type Error = String;

    fn try_from(f: FlatFrame) -> Result<ServerMsg, String> {
        Ok(match f.kind.as_str() {
            "welcome" => ServerMsg::Welcome {
                protocol_version: needed(f.protocol_version, "protocol_version")?,
                room: needed(f.room, "room")?,
                role: needed(f.role, "role")?,
                join_code: needed(f.join_code, "join_code")?,
                server_time_ms: needed(f.server_time_ms, "server_time_ms")?,
                server_vv: needed(f.server_vv, "server_vv")?,
                online: needed(f.online, "online")?,
                pseudonym: f.pseudonym,
            },
            "ack" => ServerMsg::Ack {
                op_ids: needed(f.op_ids, "op_ids")?,
            },
            "rejected" => ServerMsg::Rejected {
                op_id: needed(f.op_id, "op_id")?,
                reason: needed(f.reason, "reason")?,
            },
            "pong" => ServerMsg::Pong {
                client_time_ms: needed(f.client_time_ms, "client_time_ms")?,
                server_time_ms: needed(f.server_time_ms, "server_time_ms")?,
            },
            "presence" => ServerMsg::Presence {
                online: needed(f.online, "online")?,
            },
            "error" => ServerMsg::Error {
                code: needed(f.code, "code")?,
            },
            other => return Err(unknown_kind(other)),
        })
    }
}

/// [`RejectReason`]'s fields side by side (see [`FlatFrame`]).
#[derive(Deserialize)]
struct FlatReason {
    kind: String,
    error: Option<DomainError>,
    actor: Option<ActorId>,
    max: Option<u64>,
    max_ahead_ms: Option<u64>,
    what: Option<Capacity>,
}

/// A `max` that must fit a `u32`.
fn small(max: Option<u64>) -> Result<u32, String> {
    u32::try_from(needed(max, "max")?).map_err(|_| "`max` out of range".to_owned())
}

impl TryFrom<FlatReason> for RejectReason {
    type Error = String;

    fn try_from(f: FlatReason) -> Result<RejectReason, String> {
        Ok(match f.kind.as_str() {
            "forbidden" => RejectReason::Forbidden {
                error: needed(f.error, "error")?,
            },
            "not_your_actor" => RejectReason::NotYourActor {
                actor: needed(f.actor, "actor")?,
            },
            "too_many_notes" => RejectReason::TooManyNotes { max: small(f.max)? },
            "room_full" => RejectReason::RoomFull { max: small(f.max)? },
            "zero_seq" => RejectReason::ZeroSeq,
            "seq_too_large" => RejectReason::SeqTooLarge {
                max: needed(f.max, "max")?,
            },
            "conflicting_op" => RejectReason::ConflictingOp,
            "too_large" => RejectReason::TooLarge { max: small(f.max)? },
            "clock_ahead" => RejectReason::ClockAhead {
                max_ahead_ms: needed(f.max_ahead_ms, "max_ahead_ms")?,
            },
            "bad_actor" => RejectReason::BadActor,
            "room_capacity" => RejectReason::RoomCapacity {
                what: needed(f.what, "what")?,
                max: small(f.max)?,
            },
            other => return Err(unknown_kind(other)),
        })
    }
}

/// [`ErrorCode`]'s fields side by side (see [`FlatFrame`]).
#[derive(Deserialize)]
struct FlatCode {
    code: String,
    supported: Option<Vec<u32>>,
    max: Option<u64>,
    retry_after_ms: Option<u64>,
    detail: Option<String>,
    ms: Option<u64>,
}

impl TryFrom<FlatCode> for ErrorCode {
    type Error = String;

    fn try_from(f: FlatCode) -> Result<ErrorCode, String> {
        Ok(match f.code.as_str() {
            "unsupported_version" => ErrorCode::UnsupportedVersion {
                supported: needed(f.supported, "supported")?,
            },
            "message_too_large" => ErrorCode::MessageTooLarge { max: small(f.max)? },
            "rate_limited" => ErrorCode::RateLimited {
                retry_after_ms: needed(f.retry_after_ms, "retry_after_ms")?,
            },
            "room_not_found" => ErrorCode::RoomNotFound,
            "room_mismatch" => ErrorCode::RoomMismatch,
            "bad_credential" => ErrorCode::BadCredential,
            "room_full" => ErrorCode::RoomFull { max: small(f.max)? },
            "too_many_rooms" => ErrorCode::TooManyRooms { max: small(f.max)? },
            "malformed" => ErrorCode::Malformed {
                detail: needed(f.detail, "detail")?,
            },
            "hello_first" => ErrorCode::HelloFirst,
            "hello_timeout" => ErrorCode::HelloTimeout {
                ms: needed(f.ms, "ms")?,
            },
            "storage_failed" => ErrorCode::StorageFailed,
            "too_slow" => ErrorCode::TooSlow,
            "shutting_down" => ErrorCode::ShuttingDown,
            "idle" => ErrorCode::Idle {
                ms: needed(f.ms, "ms")?,
            },
            "remote_revoked" => ErrorCode::RemoteRevoked,
            other => return Err(unknown_kind(other)),
        })
    }
}

/// Largest sequence number accepted: JavaScript's `Number.MAX_SAFE_INTEGER`.
pub const MAX_SEQ: u64 = (1 << 53) - 1;

/// Bytes of `{"type":"ops","ops":[]}`, the envelope around a batch.
const OPS_ENVELOPE: usize = 23;

/// Ops split into batches whose `Ops` message stays within `max_bytes` (both message
/// directions have the same shape). An op too large to fit even alone goes to the
/// second list: sending it would only earn a `MessageTooLarge`.
pub fn chunk_ops(ops: impl IntoIterator<Item = Op>, max_bytes: usize) -> (Vec<Vec<Op>>, Vec<Op>) {
    let mut batches = Vec::new();
    let mut too_large = Vec::new();
    let mut current = Vec::new();
    let mut size = OPS_ENVELOPE;
    for op in ops {
        let len = serde_json::to_string(&op)
            .map(|s| s.len())
            .unwrap_or(usize::MAX);
        if len.saturating_add(OPS_ENVELOPE) > max_bytes {
            too_large.push(op);
            continue;
        }
        // +1 for the comma between ops.
        if !current.is_empty() && size + len + 1 > max_bytes {
            batches.push(std::mem::take(&mut current));
            size = OPS_ENVELOPE;
        }
        size += len + usize::from(!current.is_empty());
        current.push(op);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    (batches, too_large)
}

/// [`chunk_ops`] at [`MAX_MESSAGE_BYTES`].
pub fn chunk_ops_max(ops: impl IntoIterator<Item = Op>) -> (Vec<Vec<Op>>, Vec<Op>) {
    chunk_ops(ops, MAX_MESSAGE_BYTES)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bijeen_core::{BoardKind, Colour, Hlc, OpBody};

    /// One of each refusal. The match has no wildcard: a new variant must be added here.
    fn every_reason() -> Vec<RejectReason> {
        let all = vec![
            RejectReason::Forbidden {
                error: DomainError::VotingClosed,
            },
            RejectReason::Forbidden {
                error: DomainError::TextTooLong { max: 280 },
            },
            RejectReason::NotYourActor {
                actor: ActorId::new("someone"),
            },
            RejectReason::TooManyNotes { max: 200 },
            RejectReason::RoomFull { max: 150 },
            RejectReason::ZeroSeq,
            RejectReason::SeqTooLarge { max: MAX_SEQ },
            RejectReason::ConflictingOp,
            RejectReason::TooLarge { max: 65_536 },
            RejectReason::ClockAhead {
                max_ahead_ms: 600_000,
            },
            RejectReason::BadActor,
            RejectReason::RoomCapacity {
                what: Capacity::Ops,
                max: 100_000,
            },
            RejectReason::RoomCapacity {
                what: Capacity::Actors,
                max: 500,
            },
        ];
        for reason in &all {
            match reason {
                RejectReason::Forbidden { .. }
                | RejectReason::NotYourActor { .. }
                | RejectReason::TooManyNotes { .. }
                | RejectReason::RoomFull { .. }
                | RejectReason::ZeroSeq
                | RejectReason::SeqTooLarge { .. }
                | RejectReason::ConflictingOp
                | RejectReason::TooLarge { .. }
                | RejectReason::ClockAhead { .. }
                | RejectReason::BadActor
                | RejectReason::RoomCapacity { .. } => {}
            }
        }
        all
    }

    /// One of each connection error (no wildcard, as above).
    fn every_code() -> Vec<ErrorCode> {
        let all = vec![
            ErrorCode::UnsupportedVersion { supported: vec![1] },
            ErrorCode::MessageTooLarge { max: 1_048_576 },
            ErrorCode::RateLimited {
                retry_after_ms: 250,
            },
            ErrorCode::RoomNotFound,
            ErrorCode::RoomMismatch,
            ErrorCode::BadCredential,
            ErrorCode::RoomFull { max: 150 },
            ErrorCode::TooManyRooms { max: 1_000 },
            ErrorCode::Malformed {
                detail: "expected `,` at line 1".into(),
            },
            ErrorCode::HelloFirst,
            ErrorCode::HelloTimeout { ms: 10_000 },
            ErrorCode::StorageFailed,
            ErrorCode::TooSlow,
            ErrorCode::ShuttingDown,
            ErrorCode::Idle { ms: 30_000 },
            ErrorCode::RemoteRevoked,
        ];
        for code in &all {
            match code {
                ErrorCode::UnsupportedVersion { .. }
                | ErrorCode::MessageTooLarge { .. }
                | ErrorCode::RateLimited { .. }
                | ErrorCode::RoomNotFound
                | ErrorCode::RoomMismatch
                | ErrorCode::BadCredential
                | ErrorCode::RoomFull { .. }
                | ErrorCode::TooManyRooms { .. }
                | ErrorCode::Malformed { .. }
                | ErrorCode::HelloFirst
                | ErrorCode::HelloTimeout { .. }
                | ErrorCode::StorageFailed
                | ErrorCode::TooSlow
                | ErrorCode::ShuttingDown
                | ErrorCode::Idle { .. }
                | ErrorCode::RemoteRevoked => {}
            }
        }
        all
    }

    #[test]
    fn the_flat_readers_read_every_frame_the_derived_writer_writes() {
        let op_id = OpId {
            actor: ActorId::new("a"),
            seq: 3,
        };
        let mut frames = vec![
            ServerMsg::Welcome {
                protocol_version: 1,
                room: RoomId::from_random([7; 16]),
                role: Role::Participant,
                join_code: JoinCode::parse("ABC234").expect("code"),
                server_time_ms: 1_700_000_000_000,
                server_vv: VersionVector::default(),
                online: 4,
                pseudonym: Some(ActorId::new("p-xyz")),
            },
            ServerMsg::Ack {
                op_ids: vec![op_id.clone()],
            },
            ServerMsg::Pong {
                client_time_ms: 5,
                server_time_ms: 7,
            },
            ServerMsg::Presence { online: 9 },
        ];
        frames.extend(
            every_reason()
                .into_iter()
                .map(|reason| ServerMsg::Rejected {
                    op_id: op_id.clone(),
                    reason,
                }),
        );
        frames.extend(
            every_code()
                .into_iter()
                .map(|code| ServerMsg::Error { code }),
        );
        for frame in frames {
            let json = frame.to_json();
            assert_eq!(ServerMsg::from_json(&json), Ok(frame.clone()), "{json}");
            let derived: ServerMsg = serde_json::from_str(&json).expect("serde reads it too");
            assert_eq!(derived, frame, "{json}");
        }
    }

    #[test]
    fn the_flat_readers_refuse_what_the_derived_readers_refused() {
        for bad in [
            r#"{"type":"ack"}"#,
            r#"{"type":"presence","online":"many"}"#,
            r#"{"type":"teleport"}"#,
            r#"{"type":"rejected","op_id":["a",1],"reason":{"kind":"room_full"}}"#,
            r#"{"type":"error","code":{"code":"idle"}}"#,
            r#"{"type":"error","code":{"code":"too_many_rooms","max":5000000000}}"#,
        ] {
            assert!(
                matches!(
                    ServerMsg::from_json(bad),
                    Err(DecodeError::Malformed { .. })
                ),
                "{bad}"
            );
        }
        let Err(DecodeError::Malformed { detail }) = ServerMsg::from_json(r#"{"type":"ack"}"#)
        else {
            panic!("refused");
        };
        assert!(detail.contains("missing field `op_ids`"), "{detail}");
    }

    pub(crate) fn note(actor: &str, seq: u64, text: &str) -> Op {
        Op {
            id: OpId {
                actor: ActorId::new(actor),
                seq,
            },
            hlc: Hlc {
                wall_ms: 1_000 + seq as i64,
                counter: 0,
            },
            body: OpBody::CreateNote {
                board: BoardKind::Brainstorm,
                group: None,
                category: None,
                text: text.to_owned(),
                colour: Colour::default(),
                order: "m".to_owned(),
            },
        }
    }

    fn room() -> RoomId {
        RoomId::from_random([3; 16])
    }

    #[test]
    fn messages_round_trip_with_readable_tags() {
        let hello = ClientMsg::Hello {
            protocol_version: 1,
            room: room(),
            credential: Credential::Participant {
                actor: ActorId::new("dev-a"),
                secret: ParticipantSecret::from_random([9; 16]),
            },
            version_vector: VersionVector::default(),
            withheld: vec![],
        };
        let json = hello.to_json();
        assert!(
            json.starts_with(r#"{"type":"hello","protocol_version":1"#),
            "{json}"
        );
        assert_eq!(decode_client(&json), Ok(hello));

        let msgs = [
            ServerMsg::Rejected {
                op_id: note("a", 1, "x").id,
                reason: RejectReason::Forbidden {
                    error: DomainError::NotYourNote,
                },
            },
            ServerMsg::Error {
                code: ErrorCode::UnsupportedVersion { supported: vec![1] },
            },
            ServerMsg::Ack {
                op_ids: vec![note("a", 2, "x").id],
            },
            ServerMsg::Ops {
                ops: vec![note("a", 1, "hallo")],
            },
        ];
        for msg in msgs {
            let json = msg.to_json();
            assert_eq!(ServerMsg::from_json(&json), Ok(msg), "{json}");
        }
        assert_eq!(
            ServerMsg::Error {
                code: ErrorCode::RateLimited { retry_after_ms: 5 }
            }
            .to_json(),
            r#"{"type":"error","code":{"code":"rate_limited","retry_after_ms":5}}"#
        );
    }

    #[test]
    fn server_frames_read_as_the_derived_deserializer_reads_them() {
        let msgs = [
            ServerMsg::Welcome {
                protocol_version: 1,
                room: room(),
                role: Role::Participant,
                join_code: JoinCode::from_random(42),
                server_time_ms: 5,
                server_vv: VersionVector::default(),
                online: 2,
                pseudonym: None,
            },
            ServerMsg::Ops { ops: vec![] },
            ServerMsg::Ops {
                ops: vec![note("a", 1, "hallo"), note("b", 3, "\"é\"")],
            },
            ServerMsg::Ack { op_ids: vec![] },
            ServerMsg::Rejected {
                op_id: note("a", 1, "x").id,
                reason: RejectReason::TooManyNotes { max: 3 },
            },
            ServerMsg::Pong {
                client_time_ms: -1,
                server_time_ms: 9,
            },
            ServerMsg::Presence { online: 4 },
            ServerMsg::Error {
                code: ErrorCode::Malformed { detail: "x".into() },
            },
        ];
        let mut texts: Vec<String> = msgs.iter().map(ServerMsg::to_json).collect();
        texts.extend(
            [
                "",
                "garbage",
                "{}",
                "[1,2]",
                r#"{"type":"ops"}"#,
                r#"{"type":"ops","ops":[{}]}"#,
                r#"{"ops":[],"type":"ops","extra":1}"#,
                r#"{"online":1,"type":"presence"}"#,
                r#"{"type":"presence"}"#,
                r#"{"type":"nope"}"#,
                r#"{"type":"ops","ops":[]} x"#,
            ]
            .map(String::from),
        );
        for text in texts {
            let derived = serde_json::from_str::<ServerMsg>(&text).ok();
            assert_eq!(ServerMsg::from_json(&text).ok(), derived, "{text}");
        }
    }

    #[test]
    fn unknown_versions_are_reported_even_when_the_shape_is_new() {
        let future =
            r#"{"type":"hello","protocol_version":7,"room":"x","credential":{"robot":{}}}"#;
        assert_eq!(
            decode_client(future),
            Err(DecodeError::UnsupportedVersion { got: 7 })
        );
        let well_formed = ClientMsg::Hello {
            protocol_version: 2,
            room: room(),
            credential: Credential::Facilitator {
                key: FacilitatorKey::from_random([1; 32]),
            },
            version_vector: VersionVector::default(),
            withheld: vec![],
        }
        .to_json();
        let err = decode_client(&well_formed).expect_err("version 2");
        assert_eq!(err, DecodeError::UnsupportedVersion { got: 2 });
        assert_eq!(
            err.to_error_code(),
            ErrorCode::UnsupportedVersion { supported: vec![1] }
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for text in ["", "garbage", "{}", r#"{"type":"ops"}"#, "[1,2]", "\u{0}"] {
            assert!(
                matches!(decode_client(text), Err(DecodeError::Malformed { .. })),
                "{text:?}"
            );
        }
        let long = format!("{{\"type\":\"{}\"}}", "x".repeat(10_000));
        match decode_client(&long) {
            Err(DecodeError::Malformed { detail }) => assert!(detail.len() <= 200),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chunks_stay_under_the_limit_and_keep_order() {
        let ops: Vec<Op> = (1..=200).map(|s| note("a", s, &"x".repeat(400))).collect();
        let (batches, too_large) = chunk_ops(ops.clone(), 4_096);
        assert!(too_large.is_empty());
        assert!(batches.len() > 1);
        for b in &batches {
            let json = ClientMsg::Ops { ops: b.clone() }.to_json();
            assert!(json.len() <= 4_096, "{}", json.len());
        }
        let flat: Vec<Op> = batches.into_iter().flatten().collect();
        assert_eq!(flat, ops);

        let (batches, too_large) = chunk_ops(vec![note("a", 1, &"y".repeat(5_000))], 4_096);
        assert!(batches.is_empty());
        assert_eq!(too_large.len(), 1);
    }

    #[test]
    fn envelope_size_is_what_chunking_assumes() {
        assert_eq!(ClientMsg::Ops { ops: vec![] }.to_json().len(), OPS_ENVELOPE);
        assert_eq!(ServerMsg::Ops { ops: vec![] }.to_json().len(), OPS_ENVELOPE);
    }

    #[test]
    fn fatal_errors_stop_retrying() {
        assert!(ErrorCode::BadCredential.is_fatal());
        assert!(ErrorCode::RemoteRevoked.is_fatal());
        assert!(!ErrorCode::RateLimited { retry_after_ms: 1 }.is_fatal());
        assert!(!ErrorCode::StorageFailed.is_fatal());
    }
}
