//! Room helpers for the WebSocket tests: a real relay on 127.0.0.1 port 0, HTTP calls for
//! rooms, and a WebSocket client speaking the protocol through tokio-tungstenite.

#![allow(dead_code)] // each test binary uses a different subset

#[cfg(unix)]
pub mod pg;

use std::error::Error;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use bijeen_core::{ActorId, Command, Doc, Op, OpId, Role, Template, VersionVector};
use bijeen_protocol::{
    ApiError, ClientMsg, CreateRoomRequest, CreateRoomResponse, Credential, FacilitatorKey,
    JoinResponse, PROTOCOL_VERSION, ParticipantSecret, RoomId, ServerMsg,
};
use bijeen_relay::{Config, Limits, NetLimits, Relay, RelayError};
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// How long a test waits for a message that should come.
pub const WAIT: Duration = Duration::from_secs(5);

pub const T0: i64 = 1_760_000_000_000;

pub fn write_dist(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>")?;
    std::fs::write(
        dir.join("participant.html"),
        "<!doctype html><title>p</title>",
    )?;
    std::fs::write(dir.join("remote.html"), "<!doctype html><title>r</title>")?;
    std::fs::write(dir.join("window.html"), "<!doctype html><title>w</title>")
}

pub fn config(dist: &Path, data: &Path, limits: Limits) -> Config {
    Config {
        dist: dist.to_path_buf(),
        host: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        data_dir: data.to_path_buf(),
        database_url: None,
        limits,
        net: NetLimits::default(),
        tls_cert: None,
        tls_key: None,
        trusted_proxies: Vec::new(),
        allowed_origins: Vec::new(),
    }
}

/// A relay running in this process.
pub struct Running {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), RelayError>>,
}

/// Per-address limits high enough for a test that plays a whole room from 127.0.0.1.
pub fn whole_room_from_one_address() -> NetLimits {
    NetLimits {
        max_connections_per_ip: 4_096,
        connects_per_minute: 1_000_000,
        connects_burst: 100_000,
        hellos_per_minute: 1_000_000,
        hellos_burst: 100_000,
        ..NetLimits::default()
    }
}

impl Running {
    pub async fn start(dist: &Path, data: &Path, limits: Limits) -> TestResult<Running> {
        Running::start_config(config(dist, data, limits)).await
    }

    pub async fn start_config(config: Config) -> TestResult<Running> {
        let relay = Relay::bind(config).await?;
        let addr = relay.local_addr();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(relay.run(async move {
            let _ = stopped.await;
        }));
        Ok(Running { addr, stop, task })
    }

    /// Graceful stop; must not wait out the 10 s grace for open WebSockets.
    pub async fn stop(self) -> TestResult {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(3), self.task).await???;
        Ok(())
    }
}

/// A relay over fresh temporary directories: SQLite, or with `BIJEEN_TEST_STORE=postgres`
/// a throw-away PostgreSQL cluster (so the same suite runs against both stores; a relay
/// "restarted" by a test is then a fresh relay on the same database).
pub struct Fixture {
    pub dist: TempDir,
    pub data: TempDir,
    #[cfg(unix)]
    pub pg: Option<pg::PgCluster>,
}

impl Fixture {
    pub fn new() -> TestResult<Fixture> {
        let dist = tempfile::tempdir()?;
        write_dist(dist.path())?;
        let postgres = std::env::var("BIJEEN_TEST_STORE").is_ok_and(|s| s == "postgres");
        Ok(Fixture {
            dist,
            data: tempfile::tempdir()?,
            #[cfg(unix)]
            pg: if postgres {
                Some(pg::PgCluster::start()?)
            } else {
                None
            },
        })
    }

    /// A fixture on PostgreSQL whatever the environment says.
    #[cfg(unix)]
    pub fn postgres() -> TestResult<Fixture> {
        let dist = tempfile::tempdir()?;
        write_dist(dist.path())?;
        Ok(Fixture {
            dist,
            data: tempfile::tempdir()?,
            pg: Some(pg::PgCluster::start()?),
        })
    }

    pub fn config(&self, limits: Limits) -> Config {
        #[allow(unused_mut)]
        let mut config = config(self.dist.path(), self.data.path(), limits);
        #[cfg(unix)]
        {
            config.database_url = self.pg.as_ref().map(pg::PgCluster::url);
        }
        config
    }

    pub async fn start(&self, limits: Limits) -> TestResult<Running> {
        Running::start_config(self.config(limits)).await
    }

    /// [`Fixture::start`] for a test whose many clients all come from 127.0.0.1.
    pub async fn start_crowded(&self, limits: Limits) -> TestResult<Running> {
        let mut config = self.config(limits);
        config.net = whole_room_from_one_address();
        Running::start_config(config).await
    }
}

/// One HTTP/1.1 request with a body; returns status and body bytes.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Vec<u8>,
) -> TestResult<(StatusCode, Bytes)> {
    let stream = TcpStream::connect(addr).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

pub async fn create_room(addr: SocketAddr, ops: Vec<Op>) -> TestResult<CreateRoomResponse> {
    let body = serde_json::to_vec(&CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops,
    })?;
    let (status, body) = http(addr, "POST", "/api/rooms", body).await?;
    if status != StatusCode::CREATED {
        let err: ApiError = serde_json::from_slice(&body)?;
        return Err(format!("create room: {status} {err:?}").into());
    }
    Ok(serde_json::from_slice(&body)?)
}

pub async fn join(addr: SocketAddr, code: &str) -> TestResult<RoomId> {
    let (status, body) = http(addr, "GET", &format!("/api/join/{code}"), vec![]).await?;
    if status != StatusCode::OK {
        return Err(format!("join {code}: {status}").into());
    }
    let r: JoinResponse = serde_json::from_slice(&body)?;
    Ok(r.room_id)
}

/// The facilitator's workshop: the seed template with the brainstorm board open.
pub fn facilitator_doc() -> TestResult<Doc> {
    let mut doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
    doc.execute(
        &Command::SetBoardOpen {
            board: bijeen_core::BoardKind::Brainstorm,
            open: true,
        },
        Role::Facilitator,
        T0,
    )?;
    Ok(doc)
}

/// The ops of `ops` frames among `frames` (other messages skipped).
pub fn ops_in(frames: &[String]) -> Vec<Op> {
    frames
        .iter()
        .filter_map(|f| match ServerMsg::from_json(f) {
            Ok(ServerMsg::Ops { ops }) => Some(ops),
            _ => None,
        })
        .flatten()
        .collect()
}

pub fn all_ops(doc: &Doc) -> Vec<Op> {
    doc.missing_for(&VersionVector::default())
}

pub fn secret_for(actor: &str) -> ParticipantSecret {
    let mut b = [0u8; 16];
    for (i, c) in actor.bytes().enumerate() {
        b[i % 16] ^= c.wrapping_add(i as u8);
    }
    b[15] ^= 0x5a;
    ParticipantSecret::from_random(b)
}

pub fn participant(actor: &str) -> Credential {
    Credential::Participant {
        actor: ActorId::new(actor),
        secret: secret_for(actor),
    }
}

pub fn facilitator(key: &FacilitatorKey) -> Credential {
    Credential::Facilitator { key: key.clone() }
}

pub struct WsClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    pub async fn connect(addr: SocketAddr, room: &RoomId) -> TestResult<WsClient> {
        let url = format!("ws://{addr}/ws/{room}");
        let (ws, _) = tokio_tungstenite::connect_async(url).await?;
        Ok(WsClient { ws })
    }

    pub async fn send(&mut self, msg: &ClientMsg) -> TestResult {
        self.send_text(msg.to_json()).await
    }

    pub async fn send_text(&mut self, text: String) -> TestResult {
        self.ws.send(Message::Text(text.into())).await?;
        Ok(())
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> TestResult {
        self.ws.send(Message::Binary(bytes.into())).await?;
        Ok(())
    }

    /// The next protocol message, or `None` when the socket closed. `wait` bounds the
    /// whole call: the relay's pings (every third of its idle limit) are skipped, and
    /// a timeout renewed per ping would never end on a socket that only hears pings.
    pub async fn next(&mut self, wait: Duration) -> TestResult<Option<ServerMsg>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .map_err(|_| format!("no message within {wait:?}"))?;
            match msg {
                Some(Ok(Message::Text(t))) => return Ok(Some(ServerMsg::from_json(&t)?)),
                Some(Ok(Message::Close(_))) | None => return Ok(None),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
            }
        }
    }

    pub async fn recv(&mut self) -> TestResult<ServerMsg> {
        self.next(WAIT).await?.ok_or_else(|| "socket closed".into())
    }

    /// The next message that is not presence.
    pub async fn recv_skip_presence(&mut self) -> TestResult<ServerMsg> {
        loop {
            match self.recv().await? {
                ServerMsg::Presence { .. } => continue,
                m => return Ok(m),
            }
        }
    }

    /// Say hello and return the Welcome plus every op of the catch-up that follows (the
    /// catch-up is known complete once a Pong to a ping sent after the Hello arrives).
    pub async fn hello(
        &mut self,
        room: &RoomId,
        credential: Credential,
        have: &VersionVector,
    ) -> TestResult<(ServerMsg, Vec<Op>)> {
        self.send(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential,
            version_vector: have.clone(),
            withheld: Vec::new(),
        })
        .await?;
        let welcome = self.recv_skip_presence().await?;
        if !matches!(welcome, ServerMsg::Welcome { .. }) {
            return Err(format!("expected welcome, got {welcome:?}").into());
        }
        let ops = self.drain_ops().await?;
        Ok((welcome, ops))
    }

    /// Ops until a round trip proves nothing more is queued before it.
    pub async fn drain_ops(&mut self) -> TestResult<Vec<Op>> {
        let marker = -7;
        self.send(&ClientMsg::Ping {
            client_time_ms: marker,
        })
        .await?;
        let mut ops = Vec::new();
        loop {
            match self.recv().await? {
                ServerMsg::Ops { ops: more } => ops.extend(more),
                ServerMsg::Pong { client_time_ms, .. } if client_time_ms == marker => {
                    return Ok(ops);
                }
                _ => {}
            }
        }
    }

    /// Send ops and collect the relay's verdicts: (acked ids, rejections).
    pub async fn send_ops(
        &mut self,
        ops: Vec<Op>,
    ) -> TestResult<(Vec<OpId>, Vec<(OpId, bijeen_protocol::RejectReason)>)> {
        let want = ops.len();
        self.send(&ClientMsg::Ops { ops }).await?;
        let mut acked = Vec::new();
        let mut rejected = Vec::new();
        while acked.len() + rejected.len() < want {
            match self.recv().await? {
                ServerMsg::Ack { op_ids } => acked.extend(op_ids),
                ServerMsg::Rejected { op_id, reason } => rejected.push((op_id, reason)),
                ServerMsg::Error { code } => return Err(format!("error: {code:?}").into()),
                _ => {}
            }
        }
        Ok((acked, rejected))
    }

    /// The next text frame as the wire carried it, or `None` when the socket closed.
    pub async fn next_raw(&mut self, wait: Duration) -> TestResult<Option<String>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .map_err(|_| format!("no message within {wait:?}"))?;
            match msg {
                Some(Ok(Message::Text(t))) => return Ok(Some(t.to_string())),
                Some(Ok(Message::Close(_))) | None => return Ok(None),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
            }
        }
    }

    /// Every text frame until a round trip proves nothing more is queued before it, raw.
    pub async fn drain_frames(&mut self) -> TestResult<Vec<String>> {
        let marker = -9;
        self.send(&ClientMsg::Ping {
            client_time_ms: marker,
        })
        .await?;
        let mut frames = Vec::new();
        loop {
            let text = self
                .next_raw(WAIT)
                .await?
                .ok_or("socket closed while draining")?;
            if let Ok(ServerMsg::Pong { client_time_ms, .. }) = ServerMsg::from_json(&text)
                && client_time_ms == marker
            {
                return Ok(frames);
            }
            frames.push(text);
        }
    }

    /// Say hello naming placeholders too; returns the Welcome and every frame of the
    /// catch-up, raw.
    pub async fn hello_raw(
        &mut self,
        room: &RoomId,
        credential: Credential,
        have: &VersionVector,
        withheld: Vec<bijeen_protocol::WithheldRange>,
    ) -> TestResult<(ServerMsg, Vec<String>)> {
        self.send(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential,
            version_vector: have.clone(),
            withheld,
        })
        .await?;
        let welcome = self.recv_skip_presence().await?;
        if !matches!(welcome, ServerMsg::Welcome { .. }) {
            return Err(format!("expected welcome, got {welcome:?}").into());
        }
        let frames = self.drain_frames().await?;
        Ok((welcome, frames))
    }

    /// Send a raw WebSocket message (for frames the protocol types cannot express).
    pub async fn send_message(&mut self, msg: Message) -> TestResult {
        self.ws.send(msg).await?;
        Ok(())
    }

    /// The next raw WebSocket message (close frames included).
    pub async fn next_message(&mut self, wait: Duration) -> TestResult<Option<Message>> {
        match tokio::time::timeout(wait, self.ws.next()).await {
            Err(_) => Err(format!("no message within {wait:?}").into()),
            Ok(None) => Ok(None),
            Ok(Some(m)) => Ok(Some(m?)),
        }
    }

    /// Whether the relay ends this socket within `wait`: a close frame, the end of the
    /// stream or a broken connection; whatever else arrives first is read and dropped.
    pub async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return false,
                Ok(None | Some(Ok(Message::Close(_)) | Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// Reads the relay's store behind its back, whichever store the fixture uses: the SQLite
/// file, or the PostgreSQL database (same tables and columns in both).
pub enum StoreReader {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client),
}

impl Fixture {
    pub async fn reader(&self) -> TestResult<StoreReader> {
        #[cfg(unix)]
        if let Some(pg) = &self.pg {
            let (client, connection) =
                tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls).await?;
            tokio::spawn(connection);
            return Ok(StoreReader::Postgres(client));
        }
        Ok(StoreReader::Sqlite(rusqlite::Connection::open(
            self.data.path().join(bijeen_relay::DB_FILE),
        )?))
    }
}

impl StoreReader {
    /// How many times the op `actor`/`seq` of `room` is stored (0 or 1).
    pub async fn op_count(&self, room: &RoomId, actor: &str, seq: u64) -> TestResult<i64> {
        let seq = i64::try_from(seq)?;
        Ok(match self {
            StoreReader::Sqlite(db) => db.query_row(
                "SELECT count(*) FROM ops WHERE room_id = ?1 AND actor = ?2 AND seq = ?3",
                rusqlite::params![room.as_str(), actor, seq],
                |r| r.get(0),
            )?,
            StoreReader::Postgres(db) => db
                .query_one(
                    "SELECT count(*) FROM ops WHERE room_id = $1 AND actor = $2 AND seq = $3",
                    &[&room.as_str(), &actor, &seq],
                )
                .await?
                .get(0),
        })
    }

    /// Every actor that has a secret bound to it, in any room.
    pub async fn bound_actors(&self) -> TestResult<Vec<String>> {
        Ok(match self {
            StoreReader::Sqlite(db) => {
                let mut stmt = db.prepare("SELECT actor FROM actors")?;
                stmt.query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            }
            StoreReader::Postgres(db) => db
                .query("SELECT actor FROM actors", &[])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect(),
        })
    }
}
