//! `GET /ws/{room_id}`: one WebSocket per client and room.
//!
//! A connection waits for its Hello, is welcomed and caught up (streamed from the room's
//! log, only what its viewer may see), and then loops over three sources: its socket, the
//! room's fan-out, and the relay's shutdown signal. It pings the client and closes a
//! connection that stays silent, and gives up on one that does not take what it is sent.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, State};
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bijeen_core::{ActorId, Principal, Role, VersionVector};
use bijeen_protocol::{
    ClientMsg, Credential, ErrorCode, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, RoomId, ServerMsg,
    WithheldRange, decode_client,
};
use bijeen_view::{PhoneView, ViewPatch};
use tokio::sync::{broadcast, watch};

use crate::AppState;
use crate::client_ip::ClientIp;
use crate::rooms::{
    Batch, CatchUp, Fanout, Room, SecretCheck, Sender, SubmitError, Viewer, Writer, ops_frame,
    pseudonym_of,
};
use crate::secret::SecretHash;

/// Frames up to this size are read and answered with `MessageTooLarge`; beyond it the
/// WebSocket layer itself refuses the frame and closes (code 1009), so a client cannot make
/// the relay buffer megabytes.
pub const HARD_MAX_MESSAGE_BYTES: usize = 4 * MAX_MESSAGE_BYTES;

/// A connection that has not said Hello by then is closed.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// A frame the client does not take within this long ends the connection: a socket that
/// never reads must not hold a task, a catch-up slot and its buffers forever.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Small buffers: most connections are idle phones, and tungstenite's 128 KiB default read
/// buffer per socket would dominate the memory of a busy relay. The read buffer is
/// allocated up front for every socket and a client's messages are mostly a few hundred
/// bytes (a frame that announces more gets room for its whole length), so 1 KiB is enough.
const READ_BUFFER: usize = 1024;
const WRITE_BUFFER: usize = 4 * 1024;

/// Catch-up and released notes go out in frames of at most this size. tungstenite keeps
/// its write buffer at the size of the largest frame a socket ever sent, for the socket's
/// whole life: one 64 KB catch-up frame made every idle phone hold 64 KB.
pub const CATCH_UP_FRAME_BYTES: usize = 4 * 1024;

/// Log entries a catch-up takes per turn of the room lock (pointers, not copies).
const CATCH_UP_BATCH: usize = 512;

/// Placeholder ranges of one Hello that are looked at (a Hello is at most 64 KB anyway).
const MAX_WITHHELD_RANGES: usize = 4_096;

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
            // A connection from which nothing (not even a pong) arrived for `idle` is
            // presumed dead and closed, so presence counts only people still there; the
            // relay pings three times in that span, and browsers answer by themselves.
            let idle = Duration::from_secs(u64::from(state.hub.limits.ws_idle_secs.max(1)));
            let mut conn = Conn {
                socket,
                ip,
                shutdown: state.shutdown.clone(),
                last_heard: Instant::now(),
                next_ping: Instant::now() + idle / 3,
                idle,
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
    /// The client's address, for the per-address limit on Hellos.
    ip: std::net::IpAddr,
    shutdown: watch::Receiver<bool>,
    /// When the client last sent anything (a pong included).
    last_heard: Instant,
    next_ping: Instant,
    idle: Duration,
}

/// Who the connection turned out to be after a good Hello.
struct Session {
    room: Arc<Room>,
    role: Role,
    viewer: Viewer,
    /// Participants and remotes: the actors they may write as.
    principal: Option<Principal>,
    /// A phone remote: the hash of the key it came in with, valid only while it is the
    /// room's remote key.
    remote: Option<SecretHash>,
    writer: Writer,
    id: u64,
    fanout: broadcast::Receiver<Arc<Fanout>>,
    /// A phone without a replica: the view it was last sent (it is sent what changed, not
    /// the room's ops).
    view: Option<Box<PhoneView>>,
}

impl Session {
    fn participant_actor(&self) -> Option<&ActorId> {
        self.principal.as_ref().map(|p| &p.actor)
    }

    /// This connection is gone: it no longer counts in the room, and everyone hears so.
    async fn leave(&self, hub: &crate::rooms::Hub) {
        let online = {
            let mut st = self.room.state.lock().await;
            st.leave(self.participant_actor());
            st.online
        };
        hub.presence(&self.room, online, false).await;
    }
}

enum Input {
    Text(Utf8Bytes),
    /// Binary or other frames this protocol does not use.
    Other,
}

/// Ops serialised already, gathered into frames of at most [`CATCH_UP_FRAME_BYTES`].
#[derive(Default)]
struct Frames {
    ready: Vec<Utf8Bytes>,
    current: Vec<String>,
    size: usize,
}

impl Frames {
    /// Bytes of `{"type":"ops","ops":[]}`.
    const ENVELOPE: usize = 23;

    fn push(&mut self, json: Cow<'_, str>) {
        if !self.current.is_empty()
            && self.size + json.len() + 1 + Self::ENVELOPE > CATCH_UP_FRAME_BYTES
        {
            self.cut();
        }
        self.size += json.len() + 1;
        self.current.push(json.into_owned());
    }

    fn cut(&mut self) {
        if !self.current.is_empty() {
            let ops = std::mem::take(&mut self.current);
            self.ready.push(ops_frame(ops.into_iter().map(Cow::Owned)));
            self.size = 0;
        }
    }

    fn take_ready(&mut self) -> Vec<Utf8Bytes> {
        std::mem::take(&mut self.ready)
    }

    fn finish(mut self) -> Vec<Utf8Bytes> {
        self.cut();
        self.ready
    }
}

impl Conn {
    async fn send(&mut self, msg: &ServerMsg) -> Result<(), Gone> {
        self.send_text(msg.to_json().into()).await
    }

    async fn send_text(&mut self, text: Utf8Bytes) -> Result<(), Gone> {
        match tokio::time::timeout(SEND_TIMEOUT, self.socket.send(Message::Text(text))).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) | Err(_) => Err(Gone),
        }
    }

    async fn error(&mut self, code: ErrorCode) -> Result<(), Gone> {
        self.send(&ServerMsg::Error { code }).await
    }

    async fn close(&mut self, code: u16, reason: &'static str) {
        // Best effort: the peer may be gone already.
        let _ = tokio::time::timeout(
            SEND_TIMEOUT,
            self.socket.send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            }))),
        )
        .await;
    }

    /// The peer closed: keep reading briefly so the WebSocket layer writes its answering
    /// close frame (it queues one as soon as it reads the peer's).
    async fn answer_close(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(1);
        while let Ok(Some(Ok(_))) =
            tokio::time::timeout_at(deadline.into(), self.socket.recv()).await
        {}
    }

    /// The next frame, or `Gone` on close, error, silence or shutdown.
    async fn recv(&mut self) -> Result<Input, Gone> {
        loop {
            let idle_at = self.last_heard + self.idle;
            tokio::select! {
                msg = self.socket.recv() => {
                    self.last_heard = Instant::now();
                    match msg {
                        Some(Ok(Message::Text(t))) => return Ok(Input::Text(t)),
                        Some(Ok(Message::Binary(_))) => return Ok(Input::Other),
                        // Pings are answered by the WebSocket layer; pongs only prove life.
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                        Some(Ok(Message::Close(_))) => {
                            self.answer_close().await;
                            return Err(Gone);
                        }
                        None => return Err(Gone),
                        Some(Err(e)) => {
                            let (code, reason) = close_for(e);
                            self.close(code, reason).await;
                            return Err(Gone);
                        }
                    }
                }
                () = tokio::time::sleep_until(self.next_ping.into()) => {
                    self.next_ping = Instant::now() + self.idle / 3;
                    let ping = self.socket.send(Message::Ping(Default::default()));
                    if tokio::time::timeout(SEND_TIMEOUT, ping).await.map_or(true, |r| r.is_err()) {
                        return Err(Gone);
                    }
                }
                () = tokio::time::sleep_until(idle_at.into()) => {
                    let ms = u64::try_from(self.idle.as_millis()).unwrap_or(u64::MAX);
                    // The client may be gone; this is for one that is only very slow.
                    let _ = self.error(ErrorCode::Idle { ms }).await;
                    self.close(close_code::AWAY, "silent too long").await;
                    return Err(Gone);
                }
                () = stopped(&mut self.shutdown) => {
                    self.close(close_code::AWAY, "relay shutting down").await;
                    return Err(Gone);
                }
            }
        }
    }

    async fn run(&mut self, state: &AppState, path_room: String) -> Result<(), Gone> {
        let mut session = self.welcome(state, &path_room).await?;
        let result = self.serve(state, &mut session).await;
        session.leave(&state.hub).await;
        result
    }

    /// Waits for a good Hello (the deadline lives only as long as this wait, so it never
    /// wakes an idle connection later).
    async fn welcome(&mut self, state: &AppState, path_room: &str) -> Result<Session, Gone> {
        let deadline = tokio::time::sleep(HELLO_TIMEOUT);
        tokio::pin!(deadline);
        loop {
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
            let hello = match decode_client(&text) {
                Ok(ClientMsg::Hello {
                    room,
                    credential,
                    version_vector,
                    withheld,
                    ..
                }) => Ok(Hello {
                    room,
                    credential,
                    have: version_vector,
                    withheld,
                    view: false,
                }),
                Ok(ClientMsg::ViewHello {
                    room, credential, ..
                }) => Ok(Hello {
                    room,
                    credential,
                    have: VersionVector::default(),
                    withheld: Vec::new(),
                    view: true,
                }),
                Ok(_) => Err(ErrorCode::HelloFirst),
                Err(e) => Err(e.to_error_code()),
            };
            match hello {
                Ok(hello) => {
                    // Per address: minting participants by the hundred costs time.
                    if let Err(wait) = state.ip_limits.hello.check(self.ip, Instant::now()) {
                        let retry_after_ms = crate::ip_limit::retry_after_ms(wait);
                        self.error(ErrorCode::RateLimited { retry_after_ms })
                            .await?;
                        continue;
                    }
                    // Boxed: the Hello's state (store commit, catch-up) is only needed
                    // once, and inline it would sit in every idle connection's task.
                    if let Some(s) = Box::pin(self.hello(state, path_room, hello)).await? {
                        return Ok(s);
                    }
                }
                Err(code) => self.error(code).await?,
            }
        }
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
        hello: Hello,
    ) -> Result<Option<Session>, Gone> {
        let Hello {
            room,
            credential,
            have,
            withheld,
            view,
        } = hello;
        if room.as_str() != path_room {
            self.error(ErrorCode::RoomMismatch).await?;
            return Ok(None);
        }
        if view && !matches!(credential, Credential::Participant { .. }) {
            // The console, the projector and the remote keep replicas: they need the ops.
            self.error(ErrorCode::Malformed {
                detail: "only a participant's phone asks for a view".into(),
            })
            .await?;
            return Ok(None);
        }
        let limits = &state.hub.limits;
        let role = credential.role();
        let claimed = match &credential {
            Credential::Participant { actor, .. } | Credential::Remote { actor, .. }
                if actor.is_well_formed() =>
            {
                Some(actor)
            }
            _ => None,
        };
        // With PostgreSQL the room may have to be hosted first, and may be dropped from
        // memory between finding and locking it (then it is looked up again).
        let room = loop {
            let room = match state.hub.host(&room).await {
                Ok(Some(room)) => room,
                Ok(None) => {
                    self.error(ErrorCode::RoomNotFound).await?;
                    return Ok(None);
                }
                Err(e) => {
                    tracing::error!(%e, %room, "cannot open a room");
                    self.error(ErrorCode::StorageFailed).await?;
                    return Ok(None);
                }
            };
            if !room.state.lock().await.evicted {
                break room;
            }
        };
        let mut st = room.state.lock().await;
        // What other relays committed and bound comes in before anything is checked.
        let refreshed = if st.evicted {
            Err(crate::store::StoreError::Corrupt(
                "the room was just dropped from memory".into(),
            ))
        } else {
            state.hub.refresh(&room, &mut st, claimed).await
        };
        if let Err(e) = refreshed {
            drop(st);
            tracing::error!(%e, room = %room.id, "cannot read a room");
            self.error(ErrorCode::StorageFailed).await?;
            return Ok(None);
        }
        let mut remote = None;
        if let Credential::Remote { key, .. } = &credential {
            // Another relay may have set or revoked it since this one last read it.
            if let Err(e) = state.hub.refresh_remote(&room, &mut st).await {
                drop(st);
                tracing::error!(%e, room = %room.id, "cannot read a remote key");
                self.error(ErrorCode::StorageFailed).await?;
                return Ok(None);
            }
            if !st.remote_is(key) {
                drop(st);
                self.error(ErrorCode::RemoteRevoked).await?;
                self.close(close_code::POLICY, "remote revoked").await;
                return Err(Gone);
            }
            remote = Some(SecretHash::of_remote(key));
        }
        let (principal, bind) = match &credential {
            Credential::Facilitator { key } => {
                if !room.key_matches(key) {
                    drop(st);
                    self.error(ErrorCode::BadCredential).await?;
                    return Ok(None);
                }
                (None, None)
            }
            Credential::Participant { actor, secret }
            | Credential::Remote { actor, secret, .. } => {
                if !actor.is_well_formed() {
                    drop(st);
                    self.error(ErrorCode::Malformed {
                        detail: format!(
                            "an actor id is 1 to {} characters of [A-Za-z0-9_-]",
                            ActorId::MAX_LEN
                        ),
                    })
                    .await?;
                    return Ok(None);
                }
                let bind = match Room::check_secret(&st, actor, secret) {
                    SecretCheck::Ok => None,
                    SecretCheck::Bad => {
                        drop(st);
                        self.error(ErrorCode::BadCredential).await?;
                        return Ok(None);
                    }
                    SecretCheck::Bind => Some(secret.clone()),
                };
                // A remote writes only as its own actor: it has no bears to hide.
                let pseudonym = (remote.is_none()).then(|| pseudonym_of(&room.id, secret));
                let principal = Principal {
                    actor: actor.clone(),
                    pseudonym,
                };
                (Some(principal), bind)
            }
        };
        let participant = principal.as_ref().map(|p| &p.actor);
        if let Err(full) = st.admit(participant, limits) {
            drop(st);
            // Retryable: the client backs off and comes back; a place frees up when
            // someone leaves.
            self.error(full).await?;
            self.close(close_code::AGAIN, "room full").await;
            return Err(Gone);
        }
        if let (Some(secret), Some(actor)) = (bind, participant) {
            match state.hub.bind_secret(&room, &mut st, actor, &secret).await {
                Ok(true) => {}
                Ok(false) => {
                    // Another relay bound this actor to another device a moment ago.
                    st.leave(participant);
                    drop(st);
                    self.error(ErrorCode::BadCredential).await?;
                    return Ok(None);
                }
                Err(e) => {
                    tracing::error!(%e, room = %room.id, "cannot bind a participant");
                    st.leave(participant);
                    drop(st);
                    self.error(ErrorCode::StorageFailed).await?;
                    return Ok(None);
                }
            }
        }
        let viewer = match &principal {
            Some(p) if role == Role::Participant => Viewer::Participant(p.clone()),
            _ => Viewer::Facilitator,
        };
        // Under the lock: the catch-up plan and the subscription to what comes next meet
        // exactly, so no op is missed or doubled.
        let plan = st.catch_up(&have, withheld);
        let server_vv = st.version_vector();
        let fanout = room.fanout.subscribe();
        st.last_active_ms = now_ms();
        let online = st.online;
        drop(st);

        let id = state.hub.next_conn_id();
        let online = state.hub.presence(&room, online, true).await;
        let welcomed = self
            .send(&ServerMsg::Welcome {
                protocol_version: PROTOCOL_VERSION,
                room: room.id.clone(),
                role,
                join_code: room.join_code.clone(),
                server_time_ms: now_ms(),
                server_vv,
                online,
                pseudonym: principal.as_ref().and_then(|p| p.pseudonym.clone()),
            })
            .await;
        let writer = match &principal {
            None => Writer::Facilitator,
            Some(p) if remote.is_some() => Writer::Remote(p.actor.clone()),
            Some(p) => Writer::Participant(p.actor.clone()),
        };
        let session = Session {
            room,
            role,
            viewer,
            principal,
            remote,
            writer,
            id,
            fanout,
            view: view.then(Box::default),
        };
        let mut session = session;
        // Counted in the room from here: a client that goes away before it has taken its
        // Welcome and catch-up must give its place back.
        let started = match welcomed {
            Ok(()) if session.view.is_some() => self.send_view(&mut session).await,
            Ok(()) => self.catch_up(state, &session, plan).await,
            Err(gone) => Err(gone),
        };
        if let Err(gone) = started {
            session.leave(&state.hub).await;
            return Err(gone);
        }
        // Busy sending, not listening: the client's silence meanwhile is not idleness.
        self.last_heard = Instant::now();
        Ok(Some(session))
    }

    /// Streams what the client lacks from the room's log, a few hundred entries per turn
    /// of the room lock and a few kilobytes per frame, so a big room costs a connection no
    /// copy of its log and a client that does not read holds nothing but its socket.
    async fn catch_up(&mut self, state: &AppState, s: &Session, plan: CatchUp) -> Result<(), Gone> {
        let mut frames = Frames::default();
        for (actor, first) in &plan.actors {
            let mut from = *first;
            loop {
                // A turn is taken for reading the log and building frames only, not for
                // waiting on the socket: clients that do not read must not keep everyone
                // else's catch-up waiting.
                let turn = state.hub.catch_ups.acquire().await.map_err(|_| Gone)?;
                let chunk = {
                    let st = s.room.state.lock().await;
                    st.entries_from(actor, from, plan.end, CATCH_UP_BATCH)
                };
                let Some(last) = chunk.last() else { break };
                from = last.id.seq.saturating_add(1);
                for entry in &chunk {
                    frames.push(s.viewer.json_of(entry, &plan.withheld_notes));
                }
                drop(turn);
                for frame in frames.take_ready() {
                    self.send_text(frame).await?;
                }
                if chunk.len() < CATCH_UP_BATCH {
                    break;
                }
            }
        }
        // Ops the client holds only as placeholders and may see now.
        if matches!(s.viewer, Viewer::Participant(_)) {
            for WithheldRange(actor, first, last) in plan.ranges.iter().take(MAX_WITHHELD_RANGES) {
                let mut from = *first;
                while from <= *last {
                    let chunk = {
                        let st = s.room.state.lock().await;
                        st.entries_from(actor, from, plan.end, CATCH_UP_BATCH)
                    };
                    let Some(end) = chunk.last() else { break };
                    from = end.id.seq.saturating_add(1);
                    for entry in chunk.iter().filter(|e| e.id.seq <= *last) {
                        if s.viewer.may_see(entry, &plan.withheld_notes) {
                            frames.push(Cow::Borrowed(&entry.json));
                        }
                    }
                    for frame in frames.take_ready() {
                        self.send_text(frame).await?;
                    }
                    if chunk.len() < CATCH_UP_BATCH {
                        break;
                    }
                }
            }
        }
        for frame in frames.finish() {
            self.send_text(frame).await?;
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
                        Ok(ClientMsg::Ops { ops }) => {
                            Box::pin(self.submit(state, s, Batch::Ops(ops))).await?;
                        }
                        Ok(ClientMsg::Intent { op_id, intent }) if s.view.is_some() => {
                            Box::pin(self.submit(state, s, Batch::Intent { op_id, intent })).await?;
                            // The phone is not sent its own ops: it sees them in its view.
                            self.send_view(s).await?;
                        }
                        Ok(ClientMsg::Report { lang }) if s.view.is_some() => {
                            let report = match &s.principal {
                                Some(who) => Some(s.room.state.lock().await.report_for(who, lang)),
                                None => None,
                            };
                            if let Some((file_name, text)) = report {
                                self.send(&ServerMsg::Report { file_name, text }).await?;
                            }
                        }
                        Ok(ClientMsg::Intent { .. } | ClientMsg::Report { .. }) => {
                            self.error(ErrorCode::Malformed {
                                detail: "intents come from a phone that said view_hello".into(),
                            })
                            .await?;
                        }
                        Ok(ClientMsg::Ping { client_time_ms }) => {
                            self.send(&ServerMsg::Pong { client_time_ms, server_time_ms: now_ms() }).await?;
                        }
                        Ok(ClientMsg::Hello { .. } | ClientMsg::ViewHello { .. }) => {
                            self.error(ErrorCode::HelloFirst).await?;
                        }
                        Err(e) => self.error(e.to_error_code()).await?,
                    }
                }
                fan = s.fanout.recv() => match fan {
                    Ok(f) if revokes(&f, s) => {
                        self.error(ErrorCode::RemoteRevoked).await?;
                        self.close(close_code::POLICY, "remote revoked").await;
                        return Err(Gone);
                    }
                    Ok(f) if s.view.is_some() => {
                        if let Fanout::Presence(text) = &*f {
                            self.send_text(text.clone()).await?;
                        }
                        // Whatever else came meanwhile is seen in one new view.
                        let mut changed = matches!(&*f, Fanout::Ops { .. } | Fanout::Release { .. });
                        while let Ok(more) = s.fanout.try_recv() {
                            match &*more {
                                Fanout::Presence(text) => self.send_text(text.clone()).await?,
                                Fanout::Ops { .. } | Fanout::Release { .. } => changed = true,
                                Fanout::RemoteKey(_) => {}
                            }
                        }
                        if changed {
                            self.send_view(s).await?;
                        }
                    }
                    Ok(f) => {
                        for frame in frames_for(&f, s) {
                            self.send_text(frame).await?;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) if s.view.is_some() => {
                        // A view is computed from the room's state, not from what was
                        // missed: a phone that fell behind is simply sent the view as it is.
                        self.send_view(s).await?;
                    }
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

    /// A phone's view as it is now, sent as what changed since the last one it was sent.
    async fn send_view(&mut self, s: &mut Session) -> Result<(), Gone> {
        let (Some(last), Some(who)) = (s.view.as_mut(), s.principal.as_ref()) else {
            return Ok(());
        };
        let next = s.room.state.lock().await.view_for(who);
        let first = **last == PhoneView::default();
        let patch = if first {
            Some(ViewPatch::whole(&next))
        } else {
            ViewPatch::between(last, &next)
        };
        **last = next;
        match patch {
            Some(patch) => {
                self.send(&ServerMsg::View {
                    patch: Box::new(patch),
                })
                .await
            }
            None => Ok(()),
        }
    }

    async fn submit(
        &mut self,
        state: &AppState,
        s: &mut Session,
        batch: Batch,
    ) -> Result<(), Gone> {
        if matches!(&batch, Batch::Ops(ops) if ops.is_empty()) {
            return Ok(());
        }
        let submitted = state
            .hub
            .submit(
                &s.room,
                Sender {
                    writer: &s.writer,
                    role: s.role,
                    principal: s.principal.as_ref(),
                    remote: s.remote.as_ref(),
                },
                batch,
                s.id,
            )
            .await;
        let checked = match submitted {
            Ok(checked) => checked,
            Err(SubmitError::RateLimited(wait)) => {
                let retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
                return self.error(ErrorCode::RateLimited { retry_after_ms }).await;
            }
            Err(SubmitError::Store(e)) => {
                tracing::error!(%e, room = %s.room.id, "cannot store ops");
                return self.error(ErrorCode::StorageFailed).await;
            }
            Err(SubmitError::Revoked) => {
                // Nothing of the batch was stored; the phone says in words why.
                self.error(ErrorCode::RemoteRevoked).await?;
                self.close(close_code::POLICY, "remote revoked").await;
                return Err(Gone);
            }
        };
        let mut op_ids = checked.duplicates;
        // Refusal markers stored for this connection's refused ops are answered by
        // `Rejected`, not acked.
        op_ids.extend(
            checked
                .new
                .iter()
                .map(|e| e.id.clone())
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

/// A Hello's fields.
struct Hello {
    room: RoomId,
    credential: Credential,
    have: VersionVector,
    withheld: Vec<WithheldRange>,
    /// A phone without a replica: sent its view, not the room's ops.
    view: bool,
}

/// Whether `f` ends this connection: a remote whose key is no longer the room's.
fn revokes(f: &Fanout, s: &Session) -> bool {
    match (f, &s.remote) {
        (Fanout::RemoteKey(now), Some(mine)) => now.as_ref() != Some(mine),
        _ => false,
    }
}

/// The frames of a fan-out message that this connection may see.
fn frames_for(f: &Fanout, s: &Session) -> Vec<Utf8Bytes> {
    match f {
        Fanout::Presence(text) => vec![text.clone()],
        Fanout::RemoteKey(_) => Vec::new(),
        Fanout::Ops {
            skip,
            entries,
            full,
            public,
        } => {
            if *skip == Some(s.id) {
                return Vec::new();
            }
            let Some(public) = public else {
                return vec![full.clone()];
            };
            let wrote_one = entries
                .iter()
                .any(|(e, withheld)| *withheld && s.viewer.is_author_of(e));
            match &s.viewer {
                Viewer::Facilitator => vec![full.clone()],
                Viewer::Participant(_) if !wrote_one => vec![public.clone()],
                Viewer::Participant(_) => vec![ops_frame(entries.iter().map(|(e, withheld)| {
                    if *withheld && !s.viewer.is_author_of(e) {
                        Cow::Owned(e.placeholder_json())
                    } else {
                        Cow::Borrowed(&*e.json)
                    }
                }))],
            }
        }
        Fanout::Release { entries } => match &s.viewer {
            // The console and the projector had every op already.
            Viewer::Facilitator => Vec::new(),
            Viewer::Participant(_) => {
                let mut frames = Frames::default();
                for e in entries.iter().filter(|e| !s.viewer.is_author_of(e)) {
                    frames.push(Cow::Borrowed(&e.json));
                }
                frames.finish()
            }
        },
    }
}

/// The close code for a frame the WebSocket layer could not read.
fn close_for(e: axum::Error) -> (u16, &'static str) {
    let inner = e.into_inner();
    match inner.downcast_ref::<tungstenite::Error>() {
        Some(tungstenite::Error::Utf8(_)) => (close_code::INVALID, "text frame is not UTF-8"),
        Some(tungstenite::Error::Capacity(_)) => (close_code::SIZE, "message too large"),
        _ => (close_code::PROTOCOL, "malformed frame"),
    }
}

/// Completes once the relay is shutting down.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which also means the relay is stopping.
    let _ = rx.wait_for(|stop| *stop).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_built_ops_message_is_the_protocol_message() {
        let op = bijeen_core::Op {
            id: bijeen_core::OpId {
                actor: ActorId::new("a"),
                seq: 1,
            },
            hlc: bijeen_core::Hlc::default(),
            body: bijeen_core::OpBody::SetMeta(bijeen_core::op::MetaField::Title("t".into())),
        };
        let json = serde_json::to_string(&op).unwrap_or_default();
        let text = ops_frame([Cow::Borrowed(json.as_str()), Cow::Borrowed(json.as_str())]);
        assert_eq!(
            ServerMsg::from_json(text.as_str()),
            Ok(ServerMsg::Ops {
                ops: vec![op.clone(), op]
            })
        );
    }

    #[test]
    fn frames_stay_under_their_size_and_keep_every_op_in_order() {
        let ops: Vec<String> = (0..100)
            .map(|i| format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(i * 7)))
            .collect();
        let mut frames = Frames::default();
        for op in &ops {
            frames.push(Cow::Borrowed(op));
        }
        let frames = frames.finish();
        assert!(frames.len() > 1);
        let mut seen = Vec::new();
        for f in &frames {
            assert!(f.len() <= CATCH_UP_FRAME_BYTES, "{}", f.len());
            let v: serde_json::Value = serde_json::from_str(f.as_str()).unwrap_or_default();
            for op in v["ops"].as_array().into_iter().flatten() {
                seen.push(op["n"].as_u64().unwrap_or(u64::MAX));
            }
        }
        assert_eq!(seen, (0..100).collect::<Vec<u64>>());
    }
}
