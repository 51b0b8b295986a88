//! Hostile clients against the relay's transport: silent and dribbling sockets, socket
//! floods, guessing join codes, mass room creation, connection floods, foreign pages,
//! over-long paths, a copy of the database, and TLS.
//!
//! Most run the relay in this process on 127.0.0.1 (port 0) with short timeouts. The
//! file-descriptor tests run the binary under a 1,024-descriptor limit, the common default
//! that 1,100 silent sockets used to exhaust.

mod support;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use bijeen_core::VersionVector;
use bijeen_protocol::{
    ApiError, ClientMsg, CreateRoomRequest, CreateRoomResponse, ErrorCode, FacilitatorKey,
    PROTOCOL_VERSION, RoomId, ServerMsg,
};
use bijeen_relay::{Config, DB_FILE, Limits, NetLimits, Relay, RelayError};
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sha2::Digest;
use support::*;
use tempfile::TempDir;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

// ---------------------------------------------------------------------------------------
// Harness

const INLINE_SCRIPT: &str = "\nimport init from '/bijeen-3f2a9c1b0d4e5f67.js';\nawait init();\n";
const HASHED_JS: &str = "/bijeen-3f2a9c1b0d4e5f67.js";

/// The participant entry's own bootstrap script (the relay allows both entries' scripts).
const PARTICIPANT_SCRIPT: &str =
    "\nimport init from '/participant-3f2a9c1b0d4e5f67.js';\nawait init();\n";

/// The phone remote's entry's bootstrap script.
const REMOTE_SCRIPT: &str = "\nimport init from '/remote-3f2a9c1b0d4e5f67.js';\nawait init();\n";

/// The stylesheet both entries inline, so their first screen paints after one round trip.
const INLINE_STYLE: &str = "\nbody { margin: 0; }\n";

/// A dist shaped like Trunk's two builds: each entry with an inline bootstrap script and an
/// inline stylesheet, and a hashed module.
fn write_app(dir: &Path, script: &str) -> std::io::Result<()> {
    let page = |script: &str| {
        format!(
            "<!doctype html><html><head><title>t</title><style>{INLINE_STYLE}</style><script type=\"module\">{script}</script></head><body></body></html>"
        )
    };
    std::fs::write(dir.join("index.html"), page(script))?;
    std::fs::write(dir.join("participant.html"), page(PARTICIPANT_SCRIPT))?;
    std::fs::write(dir.join("remote.html"), page(REMOTE_SCRIPT))?;
    std::fs::write(dir.join("window.html"), page(PARTICIPANT_SCRIPT))?;
    std::fs::write(
        dir.join(HASHED_JS.trim_start_matches('/')),
        "export default function init() {}\n",
    )
}

struct Server {
    addr: SocketAddr,
    url: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), RelayError>>,
    dist: TempDir,
    data: TempDir,
}

impl Server {
    async fn start(tweak: impl FnOnce(&mut Config)) -> TestResult<Server> {
        let dist = tempfile::tempdir()?;
        write_app(dist.path(), INLINE_SCRIPT)?;
        let data = tempfile::tempdir()?;
        Self::start_in(dist, data, tweak).await
    }

    async fn start_in(
        dist: TempDir,
        data: TempDir,
        tweak: impl FnOnce(&mut Config),
    ) -> TestResult<Server> {
        let mut config = support::config(dist.path(), data.path(), Limits::default());
        tweak(&mut config);
        let relay = Relay::bind(config).await?;
        let addr = relay.local_addr();
        let url = relay.url();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(relay.run(async move {
            let _ = stopped.await;
        }));
        Ok(Server {
            addr,
            url,
            stop,
            task,
            dist,
            data,
        })
    }

    /// Stops the relay and hands back its directories.
    async fn stop(self) -> TestResult<(TempDir, TempDir)> {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(5), self.task).await???;
        Ok((self.dist, self.data))
    }
}

fn net(tweak: impl FnOnce(&mut NetLimits)) -> impl FnOnce(&mut Config) {
    move |config: &mut Config| tweak(&mut config.net)
}

/// One request on a fresh connection over any stream; the whole response.
async fn request_over<S>(
    stream: S,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> TestResult<Response<Bytes>>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut builder = Request::builder().method(method).uri(path);
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        builder = builder.header("host", "localhost");
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = sender
        .send_request(builder.body(Full::new(Bytes::from(body)))?)
        .await?;
    let (parts, body) = response.into_parts();
    Ok(Response::from_parts(
        parts,
        body.collect().await?.to_bytes(),
    ))
}

async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> TestResult<Response<Bytes>> {
    let host = addr.to_string();
    let mut all = vec![("host", host.as_str())];
    all.extend_from_slice(headers);
    request_over(
        TcpStream::connect(addr).await?,
        method,
        path,
        &all,
        Vec::new(),
    )
    .await
}

/// A connection whose client address is `src` (Linux routes all of 127/8 over loopback).
async fn connect_from(src: Ipv4Addr, addr: SocketAddr) -> TestResult<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind((src, 0).into())?;
    Ok(socket.connect(addr).await?)
}

async fn healthz_from(src: Ipv4Addr, addr: SocketAddr) -> TestResult<StatusCode> {
    let stream = connect_from(src, addr).await?;
    let response = request_over(stream, "GET", "/healthz", &[], Vec::new()).await?;
    Ok(response.status())
}

/// How long until the peer closes `stream` (EOF or reset), or `None` within `limit`.
/// Whatever the relay sends before closing is read and ignored.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let t = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        let left = limit.checked_sub(t.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(t.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Whether the relay has closed `stream` already (an EOF or a reset is waiting), without
/// waiting: checking a thousand sockets must not take longer than the timeouts measured.
fn is_closed(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

fn header<'a>(response: &'a Response<Bytes>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn api_error(response: &Response<Bytes>) -> TestResult<ErrorCode> {
    Ok(serde_json::from_slice::<ApiError>(response.body())?.error)
}

/// A 429 as the API promises it: `Retry-After` and a retryable `rate_limited`.
fn assert_rate_limited(response: &Response<Bytes>) -> TestResult {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = header(response, "retry-after")
        .ok_or("no Retry-After")?
        .parse()?;
    assert!(retry >= 1, "Retry-After {retry}");
    match api_error(response)? {
        ErrorCode::RateLimited { retry_after_ms } => assert!(retry_after_ms > 0),
        other => return Err(format!("expected rate_limited, got {other:?}").into()),
    }
    Ok(())
}

async fn create(addr: SocketAddr, headers: &[(&str, &str)]) -> TestResult<Response<Bytes>> {
    let body = serde_json::to_vec(&CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops: vec![],
    })?;
    let host = addr.to_string();
    let mut all = vec![
        ("host", host.as_str()),
        ("content-type", "application/json"),
    ];
    all.extend_from_slice(headers);
    request_over(
        TcpStream::connect(addr).await?,
        "POST",
        "/api/rooms",
        &all,
        body,
    )
    .await
}

/// The WebSocket handshake's status (101 when it upgraded), with optional Origin.
async fn ws_status(addr: SocketAddr, room: &RoomId, origin: Option<&str>) -> TestResult<u16> {
    let mut req = format!("ws://{addr}/ws/{room}").into_client_request()?;
    if let Some(origin) = origin {
        req.headers_mut().insert("origin", origin.parse()?);
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, response)) => {
            drop(ws);
            Ok(response.status().as_u16())
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Ok(response.status().as_u16())
        }
        Err(e) => Err(e.into()),
    }
}

/// The relay binary under a 1,024 file-descriptor limit (soft and hard), logging at info
/// to a file.
struct Limited {
    child: Child,
    addr: SocketAddr,
    log: std::path::PathBuf,
    _dirs: (TempDir, TempDir),
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Limited {
    fn spawn(args: &[&str]) -> TestResult<Limited> {
        let dist = tempfile::tempdir()?;
        write_app(dist.path(), INLINE_SCRIPT)?;
        let data = tempfile::tempdir()?;
        let log = data.path().join("relay.log");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -n 1024 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_bijeen-relay"))
            .arg("--dist")
            .arg(dist.path())
            .arg("--data-dir")
            .arg(data.path().join("data"))
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(File::create(&log)?)
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port: u16 = line
            .trim_end()
            .strip_prefix("Bijeen is running: http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .ok_or_else(|| format!("unexpected first line: {line:?}"))?
            .parse()?;
        Ok(Limited {
            child,
            addr: (Ipv4Addr::LOCALHOST, port).into(),
            log,
            _dirs: (dist, data),
        })
    }

    fn log(&self) -> TestResult<String> {
        Ok(std::fs::read_to_string(&self.log)?)
    }
}

async fn open_silent(addr: SocketAddr, n: usize) -> TestResult<Vec<TcpStream>> {
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        sockets.push(TcpStream::connect(addr).await?);
    }
    Ok(sockets)
}

async fn count_closed(sockets: &[TcpStream]) -> usize {
    // Lets the runtime take in the sockets' latest readiness first.
    tokio::task::yield_now().await;
    sockets.iter().filter(|s| is_closed(s)).count()
}

// ---------------------------------------------------------------------------------------
// 1. Timeouts and connection caps

#[tokio::test]
async fn silent_sockets_leave_healthz_reachable_and_are_closed_within_the_header_timeout()
-> TestResult {
    let relay = Limited::spawn(&["--header-timeout", "2s"])?;
    let t = Instant::now();
    let silent = open_silent(relay.addr, 1_100).await?;
    let opened = t.elapsed();

    // Another client (another address) gets an answer at once.
    let t_health = Instant::now();
    let status = tokio::time::timeout(
        Duration::from_secs(1),
        healthz_from([127, 0, 0, 2].into(), relay.addr),
    )
    .await
    .map_err(|_| "healthz from 127.0.0.2 took over 1 s")??;
    assert_eq!(status, StatusCode::OK);
    let health_ms = t_health.elapsed().as_millis();

    // Past the header timeout every silent socket is gone: those over the per-address cap at
    // once, the others when their time ran out.
    tokio::time::sleep_until((t + opened + Duration::from_millis(3_000)).into()).await;
    let closed = count_closed(&silent).await;
    println!(
        "1,100 silent sockets (opened in {opened:?}): /healthz from 127.0.0.2 answered in \
         {health_ms} ms; {closed} closed by the relay within 3 s of the last one"
    );
    assert_eq!(closed, 1_100);
    let log = relay.log()?;
    assert!(log.contains("file-descriptor limit"), "{log}");
    assert!(
        log.contains("soft=1024") && log.contains("hard=1024"),
        "{log}"
    );
    Ok(())
}

#[tokio::test]
async fn over_the_connection_cap_new_sockets_are_closed_at_once_and_serving_continues() -> TestResult
{
    // Per-address cap out of the way and a long header timeout: the global cap (below the
    // 1,024 descriptors) is all that 1,100 sockets meet.
    let relay = Limited::spawn(&[
        "--header-timeout",
        "60s",
        "--max-connections",
        "100000",
        "--max-connections-per-ip",
        "100000",
    ])?;
    let mut silent = open_silent(relay.addr, 1_100).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let closed_at_once = count_closed(&silent).await;
    // While full, a newcomer is turned away at once instead of waiting in the backlog.
    let mut newcomer = connect_from([127, 0, 0, 2].into(), relay.addr).await?;
    let newcomer_closed = closed_within(&mut newcomer, Duration::from_secs(1)).await;
    // As soon as sockets go away, the relay serves again.
    silent.truncate(800);
    let t = Instant::now();
    let status = loop {
        match tokio::time::timeout(
            Duration::from_millis(500),
            healthz_from([127, 0, 0, 2].into(), relay.addr),
        )
        .await
        {
            Ok(Ok(status)) => break status,
            _ if t.elapsed() > Duration::from_secs(3) => {
                return Err("relay not serving 3 s after sockets closed".into());
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    println!(
        "1,100 sockets against a cap of 896 (1,024 descriptors): {closed_at_once} closed at once, a newcomer closed after {newcomer_closed:?}; /healthz OK {:?} after 300 left",
        t.elapsed()
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(closed_at_once, 1_100 - 896);
    assert!(newcomer_closed.is_some());
    let log = relay.log()?;
    assert!(log.contains("max_connections=896"), "{log}");
    assert!(log.contains("capped"), "{log}");
    assert!(log.contains("connection cap reached"), "{log}");
    // The accept loop never ran out of descriptors.
    assert!(!log.contains("cannot accept"), "{log}");
    Ok(())
}

#[tokio::test]
async fn silent_and_dribbling_sockets_are_closed_within_the_header_timeout() -> TestResult {
    let timeout = Duration::from_secs(2);
    let relay = Server::start(net(|n| n.header_timeout = timeout)).await?;
    let limit = timeout + Duration::from_millis(1_500);

    let silent = async {
        let mut s = TcpStream::connect(relay.addr).await?;
        TestResult::Ok(closed_within(&mut s, limit).await)
    };
    // Slowloris: a header byte per second, never finishing the request.
    let dribble = async {
        // From before the relay accepts, so the time measured is never short.
        let t = Instant::now();
        let mut s = TcpStream::connect(relay.addr).await?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await?;
        while t.elapsed() < limit {
            if s.write_all(b"a").await.is_err() {
                return TestResult::Ok(Some(t.elapsed()));
            }
            if closed_within(&mut s, Duration::from_secs(1))
                .await
                .is_some()
            {
                return Ok(Some(t.elapsed()));
            }
        }
        Ok(None)
    };
    let (silent, dribble) = tokio::join!(silent, dribble);
    let (silent, dribble) = (silent?, dribble?);
    println!(
        "header timeout {timeout:?}: silent closed after {silent:?}, dribbling after {dribble:?}"
    );
    let silent = silent.ok_or("silent socket still open")?;
    let dribble = dribble.ok_or("dribbling socket still open")?;
    assert!(silent >= timeout - Duration::from_millis(100), "{silent:?}");
    assert!(
        dribble >= timeout - Duration::from_millis(100),
        "{dribble:?}"
    );
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn keep_alive_connections_get_the_header_timeout_between_requests() -> TestResult {
    let timeout = Duration::from_secs(2);
    let relay = Server::start(net(|n| n.header_timeout = timeout)).await?;
    let limit = timeout + Duration::from_millis(1_500);
    let one_request = async |s: &mut TcpStream| -> TestResult {
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await?;
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !String::from_utf8_lossy(&got).contains("\"ok\"") {
            let n = s.read(&mut buf).await?;
            if n == 0 {
                return Err("closed before the response".into());
            }
            got.extend_from_slice(&buf[..n]);
        }
        Ok(())
    };
    let idle = async {
        let mut s = TcpStream::connect(relay.addr).await?;
        // Busy for longer than the timeout first: the clock starts at each response.
        for _ in 0..3 {
            one_request(&mut s).await?;
            tokio::time::sleep(timeout / 2).await;
        }
        TestResult::Ok(closed_within(&mut s, limit).await)
    };
    let dribble_second = async {
        let mut s = TcpStream::connect(relay.addr).await?;
        one_request(&mut s).await?;
        s.write_all(b"GET /healthz HTTP/1.1\r\n").await?;
        let t = Instant::now();
        while t.elapsed() < limit {
            if s.write_all(b"X").await.is_err() {
                return TestResult::Ok(Some(t.elapsed()));
            }
            if closed_within(&mut s, Duration::from_millis(500))
                .await
                .is_some()
            {
                return Ok(Some(t.elapsed()));
            }
        }
        Ok(None)
    };
    let (idle, dribble) = tokio::join!(idle, dribble_second);
    let (idle, dribble) = (idle?, dribble?);
    println!("keep-alive: idle closed after {idle:?}, dribbled second request after {dribble:?}");
    assert!(idle.is_some(), "idle keep-alive connection still open");
    assert!(dribble.is_some(), "dribbled second request still open");
    relay.stop().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 2./3. Client addresses and rate limits

#[tokio::test]
async fn join_code_guesses_are_rate_limited() -> TestResult {
    let relay = Server::start(|_| {}).await?;
    let defaults = NetLimits::default();
    let stream = TcpStream::connect(relay.addr).await?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let t = Instant::now();
    let (mut answered, mut limited) = (0u32, 0u32);
    let mut last_429 = None;
    let mut code = 0u32;
    while t.elapsed() < Duration::from_secs(2) {
        code += 1;
        // Distinct well-formed codes, as a guesser would send them.
        let guess: String = (0..6)
            .map(|i| {
                let a = bijeen_protocol::JoinCode::ALPHABET.as_bytes();
                char::from(a[((code >> (i * 4)) as usize) % a.len()])
            })
            .collect();
        let req = Request::get(format!("/api/join/{guess}"))
            .header("host", relay.addr.to_string())
            .body(Full::new(Bytes::new()))?;
        let response = sender.send_request(req).await?;
        let (parts, body) = response.into_parts();
        let response = Response::from_parts(parts, body.collect().await?.to_bytes());
        match response.status() {
            StatusCode::NOT_FOUND => answered += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                limited += 1;
                last_429 = Some(response);
            }
            other => return Err(format!("unexpected {other}").into()),
        }
    }
    println!(
        "join guesses in 2 s on one connection: {answered} answered, {limited} refused with 429"
    );
    let allowed = defaults.joins_burst + 2 * defaults.joins_per_minute / 60 + 1;
    assert!(
        answered <= allowed,
        "{answered} answered (allowed {allowed})"
    );
    assert!(limited > 0);
    assert_rate_limited(&last_429.ok_or("no 429")?)?;
    // Limits are per address: another client still gets its answer.
    let other = connect_from([127, 0, 0, 2].into(), relay.addr).await?;
    let response = request_over(other, "GET", "/api/join/ZZZZZZ", &[], Vec::new()).await?;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn room_creation_bursts_are_limited() -> TestResult {
    let relay = Server::start(|_| {}).await?;
    let defaults = NetLimits::default();
    let t = Instant::now();
    let mut created = 0u32;
    let mut refused = None;
    while t.elapsed() < Duration::from_secs(2) {
        let response = create(relay.addr, &[]).await?;
        match response.status() {
            StatusCode::CREATED => created += 1,
            _ => {
                refused = Some(response);
                break;
            }
        }
    }
    println!("rooms created from one address before a 429: {created}");
    assert_eq!(created, defaults.rooms_burst);
    assert_rate_limited(&refused.ok_or("never limited")?)?;
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn new_websocket_connection_floods_are_limited() -> TestResult {
    let relay = Server::start(|_| {}).await?;
    let defaults = NetLimits::default();
    let room: CreateRoomResponse = serde_json::from_slice(create(relay.addr, &[]).await?.body())?;
    let t = Instant::now();
    let (mut opened, mut limited) = (0u32, 0u32);
    while t.elapsed() < Duration::from_secs(2) {
        match ws_status(relay.addr, &room.room_id, None).await? {
            101 => opened += 1,
            429 => limited += 1,
            other => return Err(format!("handshake answered {other}").into()),
        }
    }
    println!(
        "websocket connections in 2 s from one address: {opened} opened, {limited} refused with 429"
    );
    let allowed = defaults.connects_burst + 2 * defaults.connects_per_minute / 60 + 1;
    assert!(opened <= allowed, "{opened} opened (allowed {allowed})");
    assert!(limited > 0);
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn only_a_trusted_proxy_may_name_the_client_address() -> TestResult {
    let small = |n: &mut NetLimits| {
        n.joins_burst = 2;
        n.joins_per_minute = 1;
    };
    // Behind a trusted proxy on 127.0.0.1: each forwarded client has its own bucket, and
    // whatever a client put in front of the proxy's entry is ignored.
    let relay = Server::start(|c| {
        small(&mut c.net);
        c.trusted_proxies = vec![Ipv4Addr::LOCALHOST.into()];
    })
    .await?;
    for i in 0..10 {
        let xff = format!("198.51.100.{i}, 203.0.113.{i}");
        let response = request(
            relay.addr,
            "GET",
            "/api/join/ZZZZZZ",
            &[("x-forwarded-for", &xff)],
        )
        .await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "client {i}");
    }
    let mut statuses = Vec::new();
    for i in 0..3 {
        let xff = format!("198.51.100.{i}, 203.0.113.77");
        statuses.push(
            request(
                relay.addr,
                "GET",
                "/api/join/ZZZZZZ",
                &[("x-forwarded-for", &xff)],
            )
            .await?
            .status(),
        );
    }
    assert_eq!(
        statuses,
        [
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    relay.stop().await?;

    // Without trust, X-Forwarded-For is only a string the client chose.
    let relay = Server::start(|c| small(&mut c.net)).await?;
    let mut statuses = Vec::new();
    for i in 0..3 {
        let xff = format!("203.0.113.{i}");
        statuses.push(
            request(
                relay.addr,
                "GET",
                "/api/join/ZZZZZZ",
                &[("x-forwarded-for", &xff)],
            )
            .await?
            .status(),
        );
    }
    assert_eq!(
        statuses,
        [
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    relay.stop().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 4. Secrets at rest

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every byte SQLite keeps on disk: the database and its WAL and shared-memory files.
fn db_bytes(data: &Path) -> TestResult<Vec<u8>> {
    let mut all = Vec::new();
    for name in [
        DB_FILE.to_string(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
    ] {
        match std::fs::read(data.join(name)) {
            Ok(bytes) => all.extend(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(all)
}

#[cfg(unix)]
fn mode(path: &Path) -> TestResult<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

async fn hello_result(
    addr: SocketAddr,
    room: &RoomId,
    credential: bijeen_protocol::Credential,
) -> TestResult<ServerMsg> {
    let mut ws = WsClient::connect(addr, room).await?;
    ws.send(&ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
        withheld: Vec::new(),
    })
    .await?;
    let answer = ws.recv_skip_presence().await?;
    ws.close().await;
    Ok(answer)
}

#[cfg(unix)]
#[tokio::test]
async fn secrets_are_hashed_at_rest_and_the_files_are_private() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir()?;
    // An existing directory of ours that is too open gets tightened.
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o755))?;
    let dist = tempfile::tempdir()?;
    write_app(dist.path(), INLINE_SCRIPT)?;
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let room = create_room(relay.addr, all_ops(&facilitator_doc()?)).await?;
    let welcome = hello_result(relay.addr, &room.room_id, participant("p1")).await?;
    assert!(matches!(welcome, ServerMsg::Welcome { .. }), "{welcome:?}");
    // While the relay runs, SQLite's -wal and -shm files exist next to the database.
    let dir = relay.data.path();
    let modes = (
        mode(dir)?,
        mode(&dir.join(DB_FILE))?,
        mode(&dir.join(format!("{DB_FILE}-wal")))?,
        mode(&dir.join(format!("{DB_FILE}-shm")))?,
    );
    let bytes_running = db_bytes(dir)?;
    let (dist, data) = relay.stop().await?;

    let mut bytes = db_bytes(data.path())?;
    bytes.extend(bytes_running);
    let key_on_disk = contains(&bytes, room.facilitator_key.as_str());
    let secret_on_disk = contains(&bytes, secret_for("p1").as_str());
    println!(
        "on disk: key {key_on_disk}, secret {secret_on_disk}; modes {:o} {:o} {:o} {:o}",
        modes.0, modes.1, modes.2, modes.3
    );
    assert!(!key_on_disk, "facilitator key in plaintext on disk");
    assert!(!secret_on_disk, "participant secret in plaintext on disk");
    assert_eq!(modes, (0o700, 0o600, 0o600, 0o600));

    // After a restart the hashes still let the right people in, and only them.
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let fac = hello_result(
        relay.addr,
        &room.room_id,
        facilitator(&room.facilitator_key),
    )
    .await?;
    assert!(matches!(fac, ServerMsg::Welcome { .. }), "{fac:?}");
    let p1 = hello_result(relay.addr, &room.room_id, participant("p1")).await?;
    assert!(matches!(p1, ServerMsg::Welcome { .. }), "{p1:?}");
    let wrong = bijeen_protocol::Credential::Participant {
        actor: bijeen_core::ActorId::new("p1"),
        secret: secret_for("p2"),
    };
    let refused = hello_result(relay.addr, &room.room_id, wrong).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    let other_key = FacilitatorKey::from_random([9; 32]);
    let refused = hello_result(relay.addr, &room.room_id, facilitator(&other_key)).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    relay.stop().await?;
    Ok(())
}

#[cfg(unix)]
#[tokio::test]
async fn a_plaintext_database_is_migrated_in_place_and_its_credentials_still_work() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir()?;
    let key = FacilitatorKey::from_random([42; 32]);
    let room_id = RoomId::from_random([7; 16]);
    let secret = secret_for("p1");
    {
        // The schema and contents a relay before hashing wrote.
        let db = rusqlite::Connection::open(data.path().join(DB_FILE))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.execute_batch(
            "CREATE TABLE rooms (id TEXT PRIMARY KEY, join_code TEXT NOT NULL UNIQUE,
                facilitator_key TEXT NOT NULL, created_ms INTEGER NOT NULL);
            CREATE TABLE ops (room_id TEXT NOT NULL REFERENCES rooms(id), actor TEXT NOT NULL,
                seq INTEGER NOT NULL, op TEXT NOT NULL, PRIMARY KEY (room_id, actor, seq)) WITHOUT ROWID;
            CREATE TABLE actors (room_id TEXT NOT NULL REFERENCES rooms(id), actor TEXT NOT NULL,
                secret TEXT NOT NULL, PRIMARY KEY (room_id, actor)) WITHOUT ROWID;",
        )?;
        // Created just now: an old room nobody used for a month would expire.
        let created_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64;
        db.execute(
            "INSERT INTO rooms VALUES (?1, 'ABCDEF', ?2, ?3)",
            rusqlite::params![room_id.as_str(), key.as_str(), created_ms],
        )?;
        for op in all_ops(&facilitator_doc()?) {
            db.execute(
                "INSERT INTO ops VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    room_id.as_str(),
                    op.id.actor.as_str(),
                    op.id.seq as i64,
                    serde_json::to_string(&op)?
                ],
            )?;
        }
        db.execute(
            "INSERT INTO actors VALUES (?1, 'p1', ?2)",
            rusqlite::params![room_id.as_str(), secret.as_str()],
        )?;
    }
    std::fs::set_permissions(
        data.path().join(DB_FILE),
        std::fs::Permissions::from_mode(0o644),
    )?;
    assert!(
        contains(&db_bytes(data.path())?, key.as_str()),
        "the old database holds the key"
    );

    let dist = tempfile::tempdir()?;
    write_app(dist.path(), INLINE_SCRIPT)?;
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let fac = hello_result(relay.addr, &room_id, facilitator(&key)).await?;
    assert!(matches!(fac, ServerMsg::Welcome { .. }), "{fac:?}");
    let p1 = hello_result(relay.addr, &room_id, participant("p1")).await?;
    assert!(matches!(p1, ServerMsg::Welcome { .. }), "{p1:?}");
    let wrong = bijeen_protocol::Credential::Participant {
        actor: bijeen_core::ActorId::new("p1"),
        secret: secret_for("p2"),
    };
    let refused = hello_result(relay.addr, &room_id, wrong).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    let (_dist, data) = relay.stop().await?;

    let bytes = db_bytes(data.path())?;
    assert!(
        !contains(&bytes, key.as_str()),
        "key left in plaintext after the migration"
    );
    assert!(
        !contains(&bytes, secret.as_str()),
        "secret left in plaintext after the migration"
    );
    assert_eq!(mode(&data.path().join(DB_FILE))?, 0o600);
    let db = rusqlite::Connection::open(data.path().join(DB_FILE))?;
    let version: i32 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(version, 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 5. Hardening headers and the WebSocket Origin rule

fn sha256_source(script: &str) -> String {
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn assert_hardened(response: &Response<Bytes>, what: &str, script: &str, host: &str) {
    let csp = header(response, "content-security-policy").unwrap_or_default();
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .unwrap_or_default()
            .to_string()
    };
    let scripts = directive("script-src");
    assert!(scripts.contains("'self'"), "{what}: {csp}");
    assert!(scripts.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(scripts.contains(&sha256_source(script)), "{what}: {csp}");
    let styles = directive("style-src");
    assert!(
        styles.contains("'self'") && styles.contains(&sha256_source(INLINE_STYLE)),
        "{what}: {csp}"
    );
    assert!(!styles.contains("unsafe-inline"), "{what}: {csp}");
    assert!(
        !scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
    assert_eq!(
        directive("frame-ancestors"),
        "frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(directive("base-uri"), "base-uri 'none'", "{what}");
    assert_eq!(directive("object-src"), "object-src 'none'", "{what}");
    let connect = directive("connect-src");
    assert!(
        connect.contains("'self'") && connect.contains(&format!("ws://{host}")),
        "{what}: {csp}"
    );
    assert_eq!(
        header(response, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header(response, "referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
}

#[tokio::test]
async fn every_response_carries_the_hardening_headers() -> TestResult {
    let relay = Server::start(|_| {}).await?;
    let host = relay.addr.to_string();
    for (path, status) in [
        ("/", StatusCode::OK),
        ("/w/abc/present", StatusCode::OK),
        ("/j/ABC123", StatusCode::OK),
        (HASHED_JS, StatusCode::OK),
        ("/api/join/ZZZZZZ", StatusCode::NOT_FOUND),
        ("/healthz", StatusCode::OK),
        ("/missing-0123456789abcdef.js", StatusCode::NOT_FOUND),
    ] {
        let response = request(relay.addr, "GET", path, &[]).await?;
        assert_eq!(response.status(), status, "{path}");
        assert_hardened(&response, path, INLINE_SCRIPT, &host);
        assert_hardened(&response, path, PARTICIPANT_SCRIPT, &host);
        assert_hardened(&response, path, REMOTE_SCRIPT, &host);
    }
    // A new build (new inline script) is picked up without a restart.
    let newer = "\nimport init from '/bijeen-0000111122223333.js';\nawait init();\n";
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    write_app(relay.dist.path(), newer)?;
    let response = request(relay.addr, "GET", "/", &[]).await?;
    assert_hardened(&response, "/ after a rebuild", newer, &host);
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn websocket_origins_are_checked() -> TestResult {
    let app: bijeen_relay::Origin = "https://app.example".parse()?;
    let relay = Server::start(|c| c.allowed_origins = vec![app]).await?;
    let room: CreateRoomResponse = serde_json::from_slice(create(relay.addr, &[]).await?.body())?;
    let own = format!("http://{}", relay.addr);
    let other_port = format!("http://127.0.0.1:{}", relay.addr.port() + 1);
    let cases = [
        (None, 101),
        (Some(own.as_str()), 101),
        (Some("https://app.example"), 101),
        (Some("https://evil.example"), 403),
        (Some(other_port.as_str()), 403),
        (Some("null"), 403),
    ];
    let mut got = Vec::new();
    for (origin, _) in &cases {
        got.push((
            *origin,
            ws_status(relay.addr, &room.room_id, *origin).await?,
        ));
    }
    println!("websocket handshakes by Origin: {got:?}");
    for ((origin, want), (_, status)) in cases.iter().zip(&got) {
        assert_eq!(status, want, "{origin:?}");
    }
    relay.stop().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 6. Over-long paths

/// Counts events at ERROR level.
struct ErrorCount(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ErrorCount {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() == tracing::Level::ERROR {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The status line of a raw request (hyper's client refuses URIs this long).
async fn raw_status(addr: SocketAddr, path: &str) -> TestResult<String> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out);
    Ok(text.lines().next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn over_long_path_segments_get_a_quiet_404() -> TestResult {
    use tracing_subscriber::layer::SubscriberExt;
    let errors = Arc::new(AtomicUsize::new(0));
    // This test's runtime is single-threaded, so the relay's tasks run under this subscriber.
    let _guard = tracing::subscriber::set_default(
        tracing_subscriber::registry().with(ErrorCount(Arc::clone(&errors))),
    );
    let relay = Server::start(|_| {}).await?;
    let long = "a".repeat(10_000);
    let cases = [
        format!("/ws/{long}"),
        format!("/api/join/{long}"),
        format!("/{long}.js"),
        format!("/{long}"),
        format!("/w/{long}/join"),
        "/a".repeat(1_500),
    ];
    for path in &cases {
        let status = raw_status(relay.addr, path).await?;
        assert_eq!(
            status,
            "HTTP/1.1 404 Not Found",
            "{}… ({} bytes)",
            &path[..12],
            path.len()
        );
    }
    // Past what a URI may hold at all, hyper answers before any route is involved.
    let huge = format!("/ws/{}", "a".repeat(100_000));
    let status = raw_status(relay.addr, &huge).await?;
    assert_eq!(status, "HTTP/1.1 414 URI Too Long");
    // The relay is fine and said nothing at error level.
    assert_eq!(
        request(relay.addr, "GET", "/healthz", &[]).await?.status(),
        StatusCode::OK
    );
    relay.stop().await?;
    assert_eq!(errors.load(Ordering::Relaxed), 0, "error-level log lines");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 7. TLS

struct Pki {
    dir: TempDir,
    cert: rustls::pki_types::CertificateDer<'static>,
}

impl Pki {
    fn new() -> TestResult<Pki> {
        let dir = tempfile::tempdir()?;
        let made =
            rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])?;
        std::fs::write(dir.path().join("cert.pem"), made.cert.pem())?;
        std::fs::write(dir.path().join("key.pem"), made.signing_key.serialize_pem())?;
        Ok(Pki {
            dir,
            cert: made.cert.der().clone(),
        })
    }

    fn cert(&self) -> std::path::PathBuf {
        self.dir.path().join("cert.pem")
    }

    fn key(&self) -> std::path::PathBuf {
        self.dir.path().join("key.pem")
    }

    fn connector(&self) -> TestResult<tokio_rustls::TlsConnector> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.cert.clone())?;
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
    }

    async fn connect(
        &self,
        addr: SocketAddr,
    ) -> TestResult<tokio_rustls::client::TlsStream<TcpStream>> {
        let tcp = TcpStream::connect(addr).await?;
        let name = rustls::pki_types::ServerName::try_from("localhost")?;
        Ok(self.connector()?.connect(name, tcp).await?)
    }
}

async fn start_tls(pki: &Pki, tweak: impl FnOnce(&mut Config)) -> TestResult<Server> {
    let (cert, key) = (pki.cert(), pki.key());
    Server::start(move |c| {
        c.tls_cert = Some(cert);
        c.tls_key = Some(key);
        tweak(c);
    })
    .await
}

#[tokio::test]
async fn https_and_wss_with_a_self_signed_certificate() -> TestResult {
    let pki = Pki::new()?;
    let relay = start_tls(&pki, |_| {}).await?;
    assert_eq!(relay.url, format!("https://{}/", relay.addr));
    let host = format!("localhost:{}", relay.addr.port());

    let health = request_over(
        pki.connect(relay.addr).await?,
        "GET",
        "/healthz",
        &[("host", &host)],
        vec![],
    )
    .await?;
    assert_eq!(health.status(), StatusCode::OK);

    let body = serde_json::to_vec(&CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops: all_ops(&facilitator_doc()?),
    })?;
    let created = request_over(
        pki.connect(relay.addr).await?,
        "POST",
        "/api/rooms",
        &[("host", &host), ("content-type", "application/json")],
        body,
    )
    .await?;
    assert_eq!(created.status(), StatusCode::CREATED);
    let room: CreateRoomResponse = serde_json::from_slice(created.body())?;

    let url = format!("wss://{host}/ws/{}", room.room_id);
    let (mut ws, _) = tokio_tungstenite::client_async(url, pki.connect(relay.addr).await?).await?;
    let hello = ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
        room: room.room_id.clone(),
        credential: facilitator(&room.facilitator_key),
        version_vector: VersionVector::default(),
        withheld: Vec::new(),
    };
    ws.send(Message::Text(hello.to_json().into())).await?;
    let welcome = loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await?
            .ok_or("closed")??;
        if let Message::Text(t) = msg {
            match ServerMsg::from_json(&t)? {
                ServerMsg::Presence { .. } => continue,
                m => break m,
            }
        }
    };
    assert!(matches!(welcome, ServerMsg::Welcome { .. }), "{welcome:?}");
    let _ = ws.close(None).await;
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn plain_http_on_the_tls_port_is_sent_to_https() -> TestResult {
    let pki = Pki::new()?;
    let relay = start_tls(&pki, |_| {}).await?;
    let host = format!("192.168.1.5:{}", relay.addr.port());
    let stream = TcpStream::connect(relay.addr).await?;
    let response =
        request_over(stream, "GET", "/w/abc/join?x=1", &[("host", &host)], vec![]).await?;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        header(&response, "location"),
        Some(format!("https://{host}/w/abc/join?x=1").as_str())
    );
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn silent_tls_clients_are_dropped_within_the_timeout() -> TestResult {
    let pki = Pki::new()?;
    let timeout = Duration::from_secs(1);
    let relay = start_tls(&pki, net(move |n| n.header_timeout = timeout)).await?;
    let limit = timeout + Duration::from_millis(1_500);
    let mut silent = TcpStream::connect(relay.addr).await?;
    // A handshake that starts (a TLS record type byte) and then stalls.
    let mut stalled = TcpStream::connect(relay.addr).await?;
    stalled.write_all(&[0x16, 0x03, 0x01]).await?;
    let (a, b) = tokio::join!(
        closed_within(&mut silent, limit),
        closed_within(&mut stalled, limit)
    );
    println!("TLS: silent client dropped after {a:?}, stalled handshake after {b:?}");
    assert!(a.is_some() && b.is_some());
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn tls_misconfiguration_is_a_clear_error_naming_the_file() -> TestResult {
    let pki = Pki::new()?;
    let dist = tempfile::tempdir()?;
    write_app(dist.path(), INLINE_SCRIPT)?;
    let data = tempfile::tempdir()?;
    let bind = async |cert: Option<&Path>, key: Option<&Path>| -> String {
        let mut config = support::config(dist.path(), data.path(), Limits::default());
        config.tls_cert = cert.map(Path::to_path_buf);
        config.tls_key = key.map(Path::to_path_buf);
        match Relay::bind(config).await {
            Ok(_) => "bound".into(),
            Err(e) => e.to_string(),
        }
    };
    let (cert, key) = (pki.cert(), pki.key());
    let msg = bind(Some(&cert), None).await;
    assert!(
        msg.contains("--tls-key") && msg.contains("BIJEEN_TLS_KEY"),
        "{msg}"
    );
    let msg = bind(None, Some(&key)).await;
    assert!(msg.contains("--tls-cert"), "{msg}");
    let missing = pki.dir.path().join("nope.pem");
    let msg = bind(Some(&missing), Some(&key)).await;
    assert!(msg.contains("nope.pem"), "{msg}");
    let garbage = pki.dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate")?;
    let msg = bind(Some(&garbage), Some(&key)).await;
    assert!(
        msg.contains("garbage.pem") && msg.contains("CERTIFICATE"),
        "{msg}"
    );
    let msg = bind(Some(&cert), Some(&garbage)).await;
    assert!(
        msg.contains("garbage.pem") && msg.contains("PRIVATE KEY"),
        "{msg}"
    );
    // A key of another certificate.
    let other = Pki::new()?;
    let msg = bind(Some(&cert), Some(&other.key())).await;
    assert!(msg.contains("key.pem") && msg.contains("cert.pem"), "{msg}");
    println!("key mismatch: {msg}");
    Ok(())
}
