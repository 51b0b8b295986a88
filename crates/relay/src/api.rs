//! Room HTTP endpoints: `POST /api/rooms`, `GET /api/join/{code}` and
//! `POST /api/rooms/{id}/remote`.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::{CACHE_CONTROL, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bijeen_protocol::{
    ApiError, CreateRoomRequest, CreateRoomResponse, ErrorCode, JoinCode, JoinResponse,
    RemoteRequest, RemoteResponse, RoomId, SUPPORTED_VERSIONS,
};

use crate::AppState;
use crate::client_ip::ClientIp;
use crate::ip_limit::retry_after_ms;
use crate::rooms::CreateError;
use crate::ws::now_ms;

/// Largest creation request: a whole workshop's history as ops.
pub const MAX_CREATE_BODY: usize = 4 * 1024 * 1024;

fn error(status: StatusCode, body: ApiError) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// 429 with `Retry-After` (whole seconds, rounded up, as HTTP wants) and the exact wait in
/// the body for the app.
pub(crate) fn rate_limited(wait: Duration) -> Response {
    let retry_after_ms = retry_after_ms(wait);
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        ApiError::new(ErrorCode::RateLimited { retry_after_ms }),
    );
    response.headers_mut().insert(
        RETRY_AFTER,
        HeaderValue::from(retry_after_ms.div_ceil(1000)),
    );
    response
}

/// The request's JSON body, or the answer that says in the protocol's words why it is not.
async fn read_json<T: serde::de::DeserializeOwned>(
    request: Request,
    state: &AppState,
) -> Result<T, Response> {
    match Json::<T>::from_request(request, state).await {
        Ok(Json(body)) => Ok(body),
        Err(rejection) => Err(error(
            rejection.status(),
            ApiError::new(ErrorCode::Malformed {
                detail: rejection.body_text(),
            }),
        )),
    }
}

pub(crate) async fn create_room(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    request: Request,
) -> Response {
    // Before the body is read: a refused request costs the relay next to nothing.
    if let Err(wait) = state.ip_limits.create_room.check(ip, Instant::now()) {
        return rate_limited(wait);
    }
    let req: CreateRoomRequest = match read_json(request, &state).await {
        Ok(req) => req,
        Err(refused) => return refused,
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

pub(crate) async fn join(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> Response {
    // Every lookup counts, found or not: that is what makes guessing codes useless.
    if let Err(wait) = state.ip_limits.join.check(ip, Instant::now()) {
        return rate_limited(wait);
    }
    let room = match JoinCode::parse(&code) {
        Ok(code) => match state.hub.by_code(&code).await {
            Ok(room) => room,
            Err(e) => {
                tracing::error!(%e, "cannot look up a join code");
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ApiError::new(ErrorCode::StorageFailed),
                );
            }
        },
        Err(_) => None,
    };
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

/// Sets or revokes the room's phone-remote key. Only the facilitator key may, and a wrong
/// key answers exactly like an unknown room, so the endpoint tells a guesser nothing.
pub(crate) async fn set_remote(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(room): Path<String>,
    request: Request,
) -> Response {
    // Every attempt counts, like creating a room: keys cannot be guessed at speed.
    if let Err(wait) = state.ip_limits.create_room.check(ip, Instant::now()) {
        return rate_limited(wait);
    }
    let req: RemoteRequest = match read_json(request, &state).await {
        Ok(req) => req,
        Err(refused) => return refused,
    };
    let refused = || {
        error(
            StatusCode::FORBIDDEN,
            ApiError::new(ErrorCode::BadCredential),
        )
    };
    let Ok(id) = RoomId::parse(&room) else {
        return refused();
    };
    let room = match state.hub.host(&id).await {
        Ok(Some(room)) => room,
        Ok(None) => return refused(),
        Err(e) => {
            tracing::error!(%e, room = %id, "cannot open a room");
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError::new(ErrorCode::StorageFailed),
            );
        }
    };
    if !room.key_matches(&req.facilitator_key) {
        return refused();
    }
    match state.hub.set_remote(&room, req.remote_key.as_ref()).await {
        Ok(()) => {
            tracing::info!(room = %id, active = req.remote_key.is_some(), "remote key set");
            (
                [(CACHE_CONTROL, "no-store")],
                Json(RemoteResponse {
                    active: req.remote_key.is_some(),
                }),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(%e, room = %id, "cannot store a remote key");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError::new(ErrorCode::StorageFailed),
            )
        }
    }
}
