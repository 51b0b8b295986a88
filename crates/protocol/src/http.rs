//! The HTTP side of rooms: creating one and finding one by its join code.
//!
//! - `POST /api/rooms` with a [`CreateRoomRequest`] → `201` [`CreateRoomResponse`]
//! - `GET /api/join/{code}` → `200` [`JoinResponse`]
//!
//! Failures answer with a 4xx/5xx status and an [`ApiError`] body.

use bijeen_core::Op;
use serde::{Deserialize, Serialize};

use crate::ids::{FacilitatorKey, JoinCode, RoomId};
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
