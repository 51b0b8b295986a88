//! Room HTTP endpoints: `POST /api/rooms` and `GET /api/join/{code}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use bijeen_protocol::{
    ApiError, CreateRoomRequest, CreateRoomResponse, ErrorCode, JoinCode, JoinResponse,
    SUPPORTED_VERSIONS,
};

use crate::AppState;
use crate::rooms::CreateError;
use crate::ws::now_ms;

/// Largest creation request: a whole workshop's history as ops.
pub const MAX_CREATE_BODY: usize = 4 * 1024 * 1024;

fn error(status: StatusCode, body: ApiError) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

pub(crate) async fn create_room(
    State(state): State<AppState>,
    body: Result<Json<CreateRoomRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(req)) => req,
        Err(rejection) => {
            return error(
                rejection.status(),
                ApiError::new(ErrorCode::Malformed {
                    detail: rejection.body_text(),
                }),
            );
        }
    };
    if !SUPPORTED_VERSIONS.contains(&req.protocol_version) {
        return error(
            StatusCode::BAD_REQUEST,
            ApiError::new(ErrorCode::UnsupportedVersion {
                supported: SUPPORTED_VERSIONS.to_vec(),
            }),
        );
    }
    match state.hub.create_room(req.ops, now_ms()).await {
        Ok((room_id, join_code, facilitator_key)) => {
            tracing::info!(room = %room_id, code = %join_code, "room created");
            (
                StatusCode::CREATED,
                [(CACHE_CONTROL, "no-store")],
                Json(CreateRoomResponse {
                    room_id,
                    join_code,
                    facilitator_key,
                }),
            )
                .into_response()
        }
        Err(e) => {
            let status = match &e {
                CreateError::TooManyRooms { .. } => StatusCode::SERVICE_UNAVAILABLE,
                CreateError::Rejected(..) => StatusCode::UNPROCESSABLE_ENTITY,
                CreateError::Random(_) | CreateError::Store(_) => {
                    tracing::error!(%e, "cannot create room");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            let mut body = ApiError::new(e.code());
            if let CreateError::Rejected(id, reason) = e {
                body.rejected = Some((id, reason));
            }
            error(status, body)
        }
    }
}

pub(crate) async fn join(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let room = JoinCode::parse(&code)
        .ok()
        .and_then(|code| state.hub.by_code(&code));
    match room {
        Some(room_id) => (
            [(CACHE_CONTROL, "no-store")],
            Json(JoinResponse { room_id }),
        )
            .into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            ApiError::new(ErrorCode::RoomNotFound),
        ),
    }
}
