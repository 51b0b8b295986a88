//! bijeen-protocol: how a browser and the relay talk. Pure data and logic: no I/O, no
//! clock, no randomness (callers pass `now_ms` and random numbers in), so the same code
//! runs in the browser (wasm32) and in the relay, and every rule is unit-tested here.
//!
//! # Wire
//! One WebSocket per room at `GET /ws/{room_id}`, JSON text frames of at most
//! [`MAX_MESSAGE_BYTES`]. Client → relay: [`ClientMsg`]; relay → client: [`ServerMsg`].
//! ```text
//! client                                   relay
//! Hello{version, room, credential, vv, withheld} ->
//!                                       <- Welcome{server_time, role, join_code?, server_vv, online, pseudonym?}
//!                                       <- Ops{what the client lacks}   (chunked)
//! Ops{what the relay lacks / new ops}  ->
//!                                       <- Ack{op_ids}   (after the SQLite commit)
//!                                       <- Rejected{op_id, reason}   (never stored/forwarded)
//!                   other clients       <- Ops{...}     (only after the commit)
//! Ping{client_time}                    ->
//!                                       <- Pong{client_time, server_time}
//!                                       <- Presence{online}  (whenever it changes)
//!                                       <- Error{code}  (typed; fatal ones end the session)
//! ```
//! Rooms are created over HTTP: `POST /api/rooms` ([`CreateRoomRequest`] →
//! [`CreateRoomResponse`]) and found by code with `GET /api/join/{code}` ([`JoinResponse`]);
//! errors come back as [`ApiError`].
//!
//! The browser side is [`ClientSession`]: a state machine that owns the offline queue
//! (outbox), builds the Hello, interprets every [`ServerMsg`], estimates the clock offset
//! and computes the reconnect back-off.

pub mod backoff;
pub mod clock;
pub mod http;
pub mod ids;
pub mod msg;
pub mod session;

pub use backoff::next_retry_delay_ms;
pub use clock::ClockEstimate;
pub use http::{
    ApiError, CreateRoomRequest, CreateRoomResponse, JoinResponse, RemoteRequest, RemoteResponse,
};
pub use ids::{FacilitatorKey, IdError, JoinCode, ParticipantSecret, RemoteKey, RoomId};
pub use msg::{
    Capacity, ClientMsg, Credential, DecodeError, ErrorCode, MAX_SEQ, RejectReason, ServerMsg,
    WithheldRange, chunk_ops, chunk_ops_max, decode_client,
};
pub use session::{ClientSession, ConnState, Handled, SavedSession};

/// The protocol version this build speaks. Bump on any incompatible wire change and keep
/// the old number in [`SUPPORTED_VERSIONS`] as long as the relay still speaks it.
pub const PROTOCOL_VERSION: u32 = 1;

/// Versions the relay accepts; sent back in [`ErrorCode::UnsupportedVersion`] so an old
/// client can tell the user to reload.
pub const SUPPORTED_VERSIONS: &[u32] = &[PROTOCOL_VERSION];

/// Largest text frame either side sends (64 KiB). Op batches are chunked to stay below it
/// ([`chunk_ops`]); the relay answers a bigger frame with [`ErrorCode::MessageTooLarge`].
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
