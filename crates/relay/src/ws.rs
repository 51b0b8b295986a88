//! `GET /ws/{room_id}`: one WebSocket per client and room.
//!
//! A connection waits for its Hello, is welcomed with what it lacks, and then loops over
//! three sources: its socket, the room's fan-out, and the relay's shutdown signal.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, State};
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bijeen_core::{ActorId, Op, Role};
use bijeen_protocol::{
    ClientMsg, Credential, ErrorCode, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, RoomId, ServerMsg,
    chunk_ops, decode_client,
};
use tokio::sync::{broadcast, watch};

use crate::AppState;
use crate::bucket::TokenBucket;
use crate::client_ip::ClientIp;
use crate::rooms::{Fanout, Room, SecretCheck, rows};
use crate::secret::SecretHash;
use crate::store::Write;

/// Frames up to this size are read and answered with `MessageTooLarge`; beyond it the
/// WebSocket layer itself refuses the frame and closes (code 1009), so a client cannot make
/// the relay buffer megabytes.
pub const HARD_MAX_MESSAGE_BYTES: usize = 4 * MAX_MESSAGE_BYTES;

/// A connection that has not said Hello by then is closed.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections beyond the participant limit that a room still accepts (the facilitator's
/// console and projector windows, a participant's second tab).
const CONNECTION_HEADROOM: u32 = 50;

/// Small buffers: most connections are idle phones, and tungstenite's 128 KiB default read
/// buffer per socket would dominate the memory of a busy relay. The read buffer is
/// allocated up front for every socket and a client's messages are mostly a few hundred
/// bytes (a frame that announces more gets room for its whole length), so 1 KiB is enough.
const READ_BUFFER: usize = 1024;
const WRITE_BUFFER: usize = 4 * 1024;

/// Catch-up after a Hello goes out in frames of at most this size. tungstenite keeps its
/// write buffer at the size of the largest frame a socket ever sent, for the socket's
/// whole life: one 64 KB catch-up frame made every idle phone hold 64 KB.
pub const CATCH_UP_FRAME_BYTES: usize = 4 * 1024;

pub(crate) async fn upgrade(
    ws: WebSocketUpgrade,
    Path(room): Path<String>,
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Response {
    // Checked after the upgrade headers, so a plain GET neither costs a token nor gets 403.
    if !crate::origin::allowed(&headers, &state.allowed_origins) {
        tracing::debug!(%ip, origin = ?headers.get(ORIGIN), "websocket from a foreign origin");
        return (
            StatusCode::FORBIDDEN,
            "this origin may not open room connections\n",
        )
            .into_response();
    }
    if let Err(wait) = state.ip_limits.connect.check(ip, Instant::now()) {
        return crate::api::rate_limited(wait);
    }
    ws.max_message_size(HARD_MAX_MESSAGE_BYTES)
        .max_frame_size(HARD_MAX_MESSAGE_BYTES)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            let mut conn = Conn {
                socket,
                shutdown: state.shutdown.clone(),
            };
            // Errors here are a client going away mid-send: nothing to report to anyone.
            let _ = conn.run(&state, room).await;
        })
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The socket went away (or the relay is stopping); the connection ends.
#[derive(Debug)]
struct Gone;

struct Conn {
    socket: WebSocket,
    shutdown: watch::Receiver<bool>,
}

/// Who the connection turned out to be after a good Hello.
struct Session {
    room: Arc<Room>,
    role: Role,
    /// Participants: the only actor they may write as.
    actor: Option<ActorId>,
    id: u64,
    fanout: broadcast::Receiver<Fanout>,
    bucket: TokenBucket,
}

enum Input {
    Text(Utf8Bytes),
    /// Binary or other frames this protocol does not use.
    Other,
}

impl Conn {
    async fn send(&mut self, msg: &ServerMsg) -> Result<(), Gone> {
        self.send_text(msg.to_json().into()).await
    }

    async fn send_text(&mut self, text: Utf8Bytes) -> Result<(), Gone> {
        self.socket
            .send(Message::Text(text))
            .await
            .map_err(|_| Gone)
    }

    async fn error(&mut self, code: ErrorCode) -> Result<(), Gone> {
        self.send(&ServerMsg::Error { code }).await
    }

    async fn close(&mut self, code: u16, reason: &'static str) {
        // Best effort: the peer may be gone already.
        let _ = self
            .socket
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }

    /// The next frame, or `Gone` on close, error or shutdown.
    async fn recv(&mut self) -> Result<Input, Gone> {
        loop {
            tokio::select! {
                msg = self.socket.recv() => match msg {
                    Some(Ok(Message::Text(t))) => return Ok(Input::Text(t)),
                    Some(Ok(Message::Binary(_))) => return Ok(Input::Other),
                    // Control frames are answered by the WebSocket layer.
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => return Err(Gone),
                    Some(Err(e)) => {
                        // Most likely a frame over HARD_MAX_MESSAGE_BYTES.
                        tracing::debug!(%e, "websocket read failed");
                        self.close(close_code::SIZE, "message too large").await;
                        return Err(Gone);
                    }
                },
                () = stopped(&mut self.shutdown) => {
                    self.close(close_code::AWAY, "relay shutting down").await;
                    return Err(Gone);
                }
            }
        }
    }

    async fn run(&mut self, state: &AppState, path_room: String) -> Result<(), Gone> {
        let deadline = tokio::time::sleep(HELLO_TIMEOUT);
        tokio::pin!(deadline);
        let mut session = loop {
            let input = tokio::select! {
                input = self.recv() => input?,
                () = &mut deadline => {
                    let ms = HELLO_TIMEOUT.as_millis() as u64;
                    self.error(ErrorCode::HelloTimeout { ms }).await?;
                    self.close(close_code::POLICY, "no hello").await;
                    return Err(Gone);
                }
            };
            let Some(text) = self.admissible(input).await? else {
                continue;
            };
            match decode_client(&text) {
                Ok(ClientMsg::Hello {
                    room,
                    credential,
                    version_vector,
                    ..
                }) => {
                    // Boxed: the Hello's state (store commit, catch-up) is only needed
                    // once, and inline it would sit in every idle connection's task.
                    if let Some(s) =
                        Box::pin(self.hello(state, &path_room, room, credential, version_vector))
                            .await?
                    {
                        break s;
                    }
                }
                Ok(_) => self.error(ErrorCode::HelloFirst).await?,
                Err(e) => self.error(e.to_error_code()).await?,
            }
        };
        let result = self.serve(state, &mut session).await;
        // Presence: this connection is gone.
        let online = {
            let mut st = session.room.state.lock().await;
            st.online = st.online.saturating_sub(1);
            st.online
        };
        session
            .room
            .broadcast(None, ServerMsg::Presence { online }.to_json().into());
        result
    }

    /// Size and type checks every frame passes first; answers the bad ones.
    async fn admissible(&mut self, input: Input) -> Result<Option<Utf8Bytes>, Gone> {
        match input {
            Input::Other => {
                self.error(ErrorCode::Malformed {
                    detail: "binary frames are not part of the protocol; send JSON text".into(),
                })
                .await?;
                Ok(None)
            }
            Input::Text(t) if t.len() > MAX_MESSAGE_BYTES => {
                self.error(ErrorCode::MessageTooLarge {
                    max: MAX_MESSAGE_BYTES as u32,
                })
                .await?;
                Ok(None)
            }
            Input::Text(t) => Ok(Some(t)),
        }
    }

    /// Checks a Hello; on success the client is welcomed and caught up. `Ok(None)` means
    /// refused with an error (the client may try again on this connection).
    async fn hello(
        &mut self,
        state: &AppState,
        path_room: &str,
        room: RoomId,
        credential: Credential,
        vv: bijeen_core::VersionVector,
    ) -> Result<Option<Session>, Gone> {
        if room.as_str() != path_room {
            self.error(ErrorCode::RoomMismatch).await?;
            return Ok(None);
        }
        let Some(room) = state.hub.room(&room) else {
            self.error(ErrorCode::RoomNotFound).await?;
            return Ok(None);
        };
        let limits = &state.hub.limits;
        let role = credential.role();
        let mut st = room.state.lock().await;
        if st.online >= limits.max_participants + CONNECTION_HEADROOM {
            drop(st);
            self.error(ErrorCode::RoomFull {
                max: limits.max_participants,
            })
            .await?;
            return Ok(None);
        }
        let actor = match credential {
            Credential::Facilitator { key } => {
                if !room.key_matches(&key) {
                    drop(st);
                    self.error(ErrorCode::BadCredential).await?;
                    return Ok(None);
                }
                None
            }
            Credential::Participant { actor, secret } => {
                match Room::check_secret(&st, &actor, &secret) {
                    SecretCheck::Ok => {}
                    SecretCheck::Bad => {
                        drop(st);
                        self.error(ErrorCode::BadCredential).await?;
                        return Ok(None);
                    }
                    SecretCheck::Bind => {
                        let hash = SecretHash::of_participant(&secret);
                        let write = Write::Actor {
                            room: room.id.to_string(),
                            actor: actor.to_string(),
                            secret: hash.to_stored(),
                        };
                        if state.hub.store.commit(write).await.is_err() {
                            drop(st);
                            self.error(ErrorCode::StorageFailed).await?;
                            return Ok(None);
                        }
                        Room::bind_secret(&mut st, actor.clone(), hash);
                    }
                }
                Some(actor)
            }
        };
        // Under the lock: the snapshot of what the client lacks and the subscription to
        // what comes next meet exactly, so no op is missed or doubled.
        let missing = st.doc.missing_for(&vv);
        let server_vv = st.doc.version_vector().clone();
        let fanout = room.fanout.subscribe();
        st.online += 1;
        let online = st.online;
        drop(st);

        let id = state.hub.next_conn_id();
        room.broadcast(Some(id), ServerMsg::Presence { online }.to_json().into());
        self.send(&ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            room: room.id.clone(),
            role,
            join_code: room.join_code.clone(),
            server_time_ms: now_ms(),
            server_vv,
            online,
        })
        .await?;
        self.send_ops(missing).await?;
        Ok(Some(Session {
            room,
            role,
            actor,
            id,
            fanout,
            bucket: TokenBucket::new(limits.ops_per_second, limits.ops_burst, Instant::now()),
        }))
    }

    async fn send_ops(&mut self, ops: Vec<Op>) -> Result<(), Gone> {
        let (batches, too_large) = chunk_ops(ops, CATCH_UP_FRAME_BYTES);
        for ops in batches {
            self.send(&ServerMsg::Ops { ops }).await?;
        }
        // A stored op that alone exceeds a frame (only possible through a facilitator's
        // huge list field, or one over CATCH_UP_FRAME_BYTES) still has to reach the
        // client: browsers accept large frames.
        for op in too_large {
            self.send(&ServerMsg::Ops { ops: vec![op] }).await?;
        }
        Ok(())
    }

    async fn serve(&mut self, state: &AppState, s: &mut Session) -> Result<(), Gone> {
        loop {
            tokio::select! {
                input = self.recv() => {
                    let Some(text) = self.admissible(input?).await? else { continue };
                    match decode_client(&text) {
                        // Boxed for the same reason: idle connections never hold it.
                        Ok(ClientMsg::Ops { ops }) => Box::pin(self.ops(state, s, ops)).await?,
                        Ok(ClientMsg::Ping { client_time_ms }) => {
                            self.send(&ServerMsg::Pong { client_time_ms, server_time_ms: now_ms() }).await?;
                        }
                        Ok(ClientMsg::Hello { .. }) => self.error(ErrorCode::HelloFirst).await?,
                        Err(e) => self.error(e.to_error_code()).await?,
                    }
                }
                fan = s.fanout.recv() => match fan {
                    Ok(f) if f.skip == Some(s.id) => {}
                    Ok(f) => self.send_text(f.text).await?,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Catching up by version vector on a fresh connection is simpler
                        // and exact; tell the client why.
                        self.error(ErrorCode::TooSlow).await?;
                        self.close(close_code::AGAIN, "too slow").await;
                        return Err(Gone);
                    }
                    Err(broadcast::error::RecvError::Closed) => return Err(Gone),
                },
            }
        }
    }

    async fn ops(&mut self, state: &AppState, s: &mut Session, ops: Vec<Op>) -> Result<(), Gone> {
        let cost = u32::try_from(ops.len()).unwrap_or(u32::MAX).max(1);
        if let Err(wait) = s.bucket.take(cost, Instant::now()) {
            let retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            return self.error(ErrorCode::RateLimited { retry_after_ms }).await;
        }
        let room = &s.room;
        let mut st = room.state.lock().await;
        let checked = st.check(ops, s.role, s.actor.as_ref(), &state.hub.limits);
        if !checked.new.is_empty() {
            let write = Write::Ops {
                room: room.id.to_string(),
                ops: rows(&checked.new),
            };
            if let Err(e) = state.hub.store.commit(write).await {
                drop(st);
                tracing::error!(%e, room = %room.id, "cannot store ops");
                return self.error(ErrorCode::StorageFailed).await;
            }
            // Committed: now (and only now) the room sees them.
            st.absorb(&checked.new);
            room.broadcast(Some(s.id), ops_message(&checked.new));
        }
        drop(st);
        let mut op_ids = checked.duplicates;
        // Refusal markers stored for this connection's refused ops are answered by
        // `Rejected`, not acked.
        op_ids.extend(
            checked
                .new
                .into_iter()
                .map(|(op, _)| op.id)
                .filter(|id| !checked.rejected.iter().any(|(r, _)| r == id)),
        );
        if !op_ids.is_empty() {
            self.send(&ServerMsg::Ack { op_ids }).await?;
        }
        for (op_id, reason) in checked.rejected {
            self.send(&ServerMsg::Rejected { op_id, reason }).await?;
        }
        Ok(())
    }
}

/// `ServerMsg::Ops` from ops already serialised for storage, without serialising again.
fn ops_message(ops: &[(Op, String)]) -> Utf8Bytes {
    let len = ops.iter().map(|(_, j)| j.len() + 1).sum::<usize>() + 24;
    let mut text = String::with_capacity(len);
    text.push_str(r#"{"type":"ops","ops":["#);
    for (i, (_, json)) in ops.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(json);
    }
    text.push_str("]}");
    text.into()
}

/// Completes once the relay is shutting down.
async fn stopped(rx: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which also means the relay is stopping.
    let _ = rx.wait_for(|stop| *stop).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_built_ops_message_is_the_protocol_message() {
        let op = Op {
            id: bijeen_core::OpId {
                actor: ActorId::new("a"),
                seq: 1,
            },
            hlc: bijeen_core::Hlc::default(),
            body: bijeen_core::OpBody::SetMeta(bijeen_core::op::MetaField::Title("t".into())),
        };
        let json = serde_json::to_string(&op).unwrap_or_default();
        let pair = vec![(op.clone(), json.clone()), (op.clone(), json)];
        let text = ops_message(&pair);
        assert_eq!(
            ServerMsg::from_json(text.as_str()),
            Ok(ServerMsg::Ops {
                ops: vec![op.clone(), op]
            })
        );
    }
}
