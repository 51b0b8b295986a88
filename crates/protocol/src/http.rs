//! The HTTP side of rooms: creating one and finding one by its join code.
//!
//! - `POST /api/rooms` with a [`CreateRoomRequest`] → `201` [`CreateRoomResponse`]
//! - `GET /api/join/{code}` → `200` [`JoinResponse`]
//! - `POST /api/rooms/{id}/remote` with a [`RemoteRequest`] → `200` [`RemoteResponse`]
//!
//! Failures answer with a 4xx/5xx status and an [`ApiError`] body.

use bijeen_core::Op;
use serde::{Deserialize, Serialize};

use crate::ids::{FacilitatorKey, JoinCode, RemoteKey, RoomId};
use crate::msg::ErrorCode;

/// A new room for a workshop. `ops` is the workshop so far (the facilitator's
/// `doc.missing_for(&VersionVector::default())`); it may also be empty, since the
/// facilitator's first Hello uploads whatever the relay lacks anyway. Every op is checked
/// as a facilitator op before the room is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRoomRequest {
    pub protocol_version: u32,
    #[serde(default)]
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRoomResponse {
    pub room_id: RoomId,
    pub join_code: JoinCode,
    /// Keep it in the facilitator's browser; it is never shown again.
    pub facilitator_key: FacilitatorKey,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinResponse {
    pub room_id: RoomId,
}

/// Sets the room's phone-remote key (`Some`) or revokes it (`None`). Only the facilitator key
/// may; a new key replaces the old one, and every remote of the old key is cut off at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteRequest {
    pub facilitator_key: FacilitatorKey,
    pub remote_key: Option<RemoteKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteResponse {
    /// Whether a remote key is now valid in the room.
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorCode,
    /// The first refused op of a creation request, if that is what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<(bijeen_core::OpId, crate::msg::RejectReason)>,
}

impl ApiError {
    pub fn new(error: ErrorCode) -> Self {
        Self {
            error,
            rejected: None,
        }
    }
}
