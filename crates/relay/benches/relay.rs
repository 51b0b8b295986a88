//! Relay load figures (`cargo bench -p bijeen-relay --bench relay`), against the built
//! relay binary in its own process on 127.0.0.1:
//!
//! 1. latency: 100 participants in one room writing 20 notes/s in total; send → the
//!    projector's receive, p50/p99/max (budget p99 < 50 ms);
//! 2. memory: 1,000 rooms with idle clients, relay RSS (budget < 300 MB at 30 per room);
//! 3. restart-to-serving with those 1,000 rooms on disk;
//! 4. sockets: 200 connections that say Hello to a 100,000-op room and never read, relay
//!    RSS before and at its peak (budget < 200 MB): a catch-up must not copy the log per
//!    connection, and a client that takes nothing must not hold it.
//!
//! 5. phones: what a room's phones cost it. Ten participants have written 1,000 notes in the
//!    seed's three theme groups; `n` phones that hold no replica (`ViewHello`) joined the
//!    first group (400 of the notes), so after every change the relay computes each phone's
//!    view. One more participant writes 10 notes/s for 10 s: send → the projector's receive,
//!    p50/p99, with no phones and with 100, `BENCH_ROUNDS` times (default 3) interleaved;
//!    medians and their ratios to no phones.
//!
//! `BENCH_CLIENTS_PER_ROOM` (default 15) sets the idle clients per room: the process file
//! limit (often 20,000) caps how many sockets one machine can hold on both ends.
//! `BENCH_ONLY=latency`, `BENCH_ONLY=memory` (includes restart) or `BENCH_ONLY=sockets`
//! or `BENCH_ONLY=phones` runs one part.
//!
//! Stores: `BENCH_STORE=postgres` runs the latency and memory parts against relays on a
//! throw-away PostgreSQL cluster (`tests/support/pg.rs`), `BENCH_RELAYS=2` with two relays
//! on it (the projector on the first, participants alternating between them, so half the
//! ops cross relays). `BENCH_STORE=compare` runs the latency part for SQLite with one relay
//! and PostgreSQL with one and two relays, `BENCH_ROUNDS` times (default 3) interleaved,
//! and prints medians and their ratios to SQLite; `BENCH_ROOMS` (default 1,000) sets the
//! rooms of the memory part.

use std::collections::HashMap;
use std::error::Error;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bijeen_core::{ActorId, BoardKind, Command as Cmd, Doc, OpId, Role, Template, VersionVector};
use bijeen_protocol::{
    ClientMsg, CreateRoomRequest, CreateRoomResponse, Credential, PROTOCOL_VERSION,
    ParticipantSecret, RoomId, ServerMsg,
};
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

type R<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// The tests' throw-away PostgreSQL cluster, shared with the bench (it names its result
/// type `super::TestResult`).
#[path = "../tests/support/pg.rs"]
#[allow(dead_code)]
mod pg;
type TestResult<T = ()> = R<T>;
use pg::PgCluster;

/// Where the relays of a part keep their rooms.
enum Store {
    Sqlite,
    Postgres { relays: usize },
}

impl Store {
    fn from_env() -> R<Store> {
        let relays: usize = std::env::var("BENCH_RELAYS")
            .ok()
            .map(|v| v.parse())
            .transpose()?
            .unwrap_or(1);
        match std::env::var("BENCH_STORE").as_deref() {
            Err(_) | Ok("sqlite") if relays == 1 => Ok(Store::Sqlite),
            Err(_) | Ok("sqlite") => Err("BENCH_RELAYS > 1 needs BENCH_STORE=postgres".into()),
            Ok("postgres") => Ok(Store::Postgres { relays }),
            Ok(other) => Err(format!("BENCH_STORE={other}: sqlite, postgres or compare").into()),
        }
    }

    fn name(&self) -> String {
        match self {
            Store::Sqlite => "SQLite, 1 relay".into(),
            Store::Postgres { relays } => format!("PostgreSQL, {relays} relay(s)"),
        }
    }

    /// Starts the relays (and the cluster they share); they stop when dropped.
    fn start(&self, dist: &Path, extra: &[&str]) -> R<Relays> {
        match self {
            Store::Sqlite => {
                let data = tempfile::tempdir()?;
                let (proc, addr) = spawn_relay_with(dist, data.path(), extra)?;
                Ok(Relays {
                    procs: vec![(proc, addr)],
                    args: extra.iter().map(|a| a.to_string()).collect(),
                    data,
                    _pg: None,
                })
            }
            Store::Postgres { relays } => {
                let pg = PgCluster::start()?;
                let url = pg.url();
                let data = tempfile::tempdir()?;
                let mut args = vec!["--database-url", url.as_str()];
                args.extend_from_slice(extra);
                let procs = (0..*relays)
                    .map(|_| spawn_relay_with(dist, data.path(), &args))
                    .collect::<R<Vec<_>>>()?;
                Ok(Relays {
                    procs,
                    args: args.iter().map(|a| a.to_string()).collect(),
                    data,
                    _pg: Some(pg),
                })
            }
        }
    }
}

/// Relay processes (killed on drop, before their cluster is stopped).
struct Relays {
    procs: Vec<(Proc, SocketAddr)>,
    args: Vec<String>,
    data: tempfile::TempDir,
    _pg: Option<PgCluster>,
}

impl Relays {
    fn addr(&self, i: usize) -> SocketAddr {
        self.procs[i % self.procs.len()].1
    }
    fn pid(&self, i: usize) -> u32 {
        self.procs[i].0.0.id()
    }
    /// Kills relay `i` (SIGKILL) and starts it again on the same store.
    fn restart(&mut self, i: usize, dist: &Path) -> R<SocketAddr> {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        // The old process is killed before the new one opens the store.
        self.procs[i] = (Proc(Command::new("true").spawn()?), self.procs[i].1);
        self.procs[i] = spawn_relay_with(dist, self.data.path(), &args)?;
        Ok(self.procs[i].1)
    }
}

const T0: i64 = 1_760_000_000_000;

const UNLIMITED_PER_IP: [&str; 14] = [
    "--max-connections-per-ip",
    "1000000",
    "--connects-per-minute",
    "1000000",
    "--connects-burst",
    "1000000",
    "--hellos-per-minute",
    "1000000",
    "--hellos-burst",
    "1000000",
    "--rooms-per-minute",
    "1000000",
    "--rooms-burst",
    "1000000",
];

struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_relay_with(dist: &Path, data: &Path, extra: &[&str]) -> R<(Proc, SocketAddr)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bijeen-relay"))
        .arg("--dist")
        .arg(dist)
        .arg("--data-dir")
        .arg(data)
        .args(["--host", "127.0.0.1", "--port", "0"])
        // Every simulated client comes from 127.0.0.1: lift the per-address limits, which
        // exist for exactly that pattern.
        .args(UNLIMITED_PER_IP)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let proc = Proc(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let port: u16 = line
        .trim_end()
        .strip_prefix("Bijeen is running: http://127.0.0.1:")
        .and_then(|r| r.strip_suffix('/'))
        .ok_or_else(|| format!("unexpected first line {line:?}"))?
        .parse()?;
    Ok((proc, SocketAddr::from(([127, 0, 0, 1], port))))
}

fn rss_mb(pid: u32) -> R<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .ok_or("no VmRSS")?
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()?;
    Ok(kb / 1024.0)
}

fn cpu_ticks(pid: u32) -> R<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = stat.rsplit(')').next().ok_or("stat")?;
    let f: Vec<&str> = after.split_whitespace().collect();
    Ok(f[11].parse::<u64>()? + f[12].parse::<u64>()?)
}

async fn create_room(addr: SocketAddr, ops: Vec<bijeen_core::Op>) -> R<CreateRoomResponse> {
    let stream = TcpStream::connect(addr).await?;
    let (mut tx, conn) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let body = serde_json::to_vec(&CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops,
    })?;
    let req = hyper::Request::post("/api/rooms")
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))?;
    let res = tx.send_request(req).await?;
    let body = res.into_body().collect().await?.to_bytes();
    Ok(serde_json::from_slice(&body)?)
}

fn workshop() -> R<Doc> {
    let mut doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
    doc.execute(
        &Cmd::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
        Role::Facilitator,
        T0,
    )?;
    Ok(doc)
}

/// A room made of `fac`'s workshop, and its facilitator's connection (the projector or
/// the console of a part).
async fn room_with_facilitator(addr: SocketAddr, fac: &Doc) -> R<(RoomId, Ws)> {
    let created = create_room(addr, fac.missing_for(&VersionVector::default())).await?;
    let facilitator = connect(
        addr,
        &created.room_id,
        Credential::Facilitator {
            key: created.facilitator_key.clone(),
        },
    )
    .await?;
    Ok((created.room_id, facilitator))
}

fn secret(i: usize) -> ParticipantSecret {
    let mut b = [7u8; 16];
    b[..8].copy_from_slice(&(i as u64).to_le_bytes());
    ParticipantSecret::from_random(b)
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn connect(addr: SocketAddr, room: &RoomId, credential: Credential) -> R<Ws> {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws/{room}")).await?;
    let hello = ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
        withheld: Vec::new(),
    };
    ws.send(Message::Text(hello.to_json().into())).await?;
    // Welcome, then catch-up; wait for the Welcome only.
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => {
                if let ServerMsg::Welcome { .. } = ServerMsg::from_json(&t)? {
                    return Ok(ws);
                }
                if let ServerMsg::Error { code } = ServerMsg::from_json(&t)? {
                    return Err(format!("hello refused: {code:?}").into());
                }
            }
            Some(Ok(_)) => {}
            _ => return Err("closed before welcome".into()),
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// What one latency run measured.
struct Latency {
    p50: f64,
    p99: f64,
    /// Of the ops sent to another relay than the projector's (two relays only).
    cross_p99: Option<f64>,
}

async fn latency(dist: &Path, store: &Store) -> R<Latency> {
    const PARTICIPANTS: usize = 100;
    const RATE: f64 = 20.0;
    const SECONDS: u64 = 15;
    let relays = store.start(dist, &[])?;
    let n_relays = relays.procs.len();
    let addr = relays.addr(0);
    let fac = workshop()?;
    let created = create_room(addr, fac.missing_for(&VersionVector::default())).await?;
    let room = created.room_id.clone();
    // When each op was sent, and whether through another relay than the projector's.
    let sent: Arc<Mutex<HashMap<OpId, (Instant, bool)>>> = Arc::default();
    let mut projector = connect(
        addr,
        &room,
        Credential::Facilitator {
            key: created.facilitator_key.clone(),
        },
    )
    .await?;

    // Participants: join, then send a note whenever the scheduler says so.
    let mut senders = Vec::new();
    for i in 0..PARTICIPANTS {
        let actor = format!("p{i:03}");
        let other_relay = i % n_relays != 0;
        let ws = connect(
            relays.addr(i),
            &room,
            Credential::Participant {
                actor: ActorId::new(actor.clone()),
                secret: secret(i),
            },
        )
        .await?;
        let (mut sink, mut stream) = ws.split();
        // Keep reading (acks and everyone's forwarded notes), as a phone would.
        let (doc_tx, mut doc_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let mut doc = Doc::new(ActorId::new(actor.clone()));
        for op in fac.ops() {
            doc.receive(op)?;
        }
        let join = doc.execute(
            &Cmd::Join {
                name: actor.clone(),
                group: None,
            },
            Role::Participant,
            T0,
        )?;
        sink.send(Message::Text(ClientMsg::Ops { ops: join }.to_json().into()))
            .await?;
        tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
        let sent = sent.clone();
        tokio::spawn(async move {
            let mut k = 0;
            while doc_rx.recv().await.is_some() {
                k += 1;
                let Ok(ops) = doc.execute(
                    &Cmd::AddNote {
                        board: BoardKind::Brainstorm,
                        group: None,
                        category: None,
                        text: format!("idee {k} van {}", doc.actor()),
                        colour: None,
                    },
                    Role::Participant,
                    T0 + k,
                ) else {
                    break;
                };
                let text = ClientMsg::Ops { ops: ops.clone() }.to_json();
                if let Ok(mut s) = sent.lock() {
                    s.insert(ops[0].id.clone(), (Instant::now(), other_relay));
                }
                if sink.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
        });
        senders.push(doc_tx);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cpu0 = (0..n_relays)
        .map(|i| cpu_ticks(relays.pid(i)))
        .collect::<R<Vec<_>>>()?;

    // The projector measures arrival times.
    let received: Arc<Mutex<Vec<(f64, bool)>>> = Arc::default();
    let rec = received.clone();
    let sent2 = sent.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = projector.next().await {
            let now = Instant::now();
            if let Message::Text(t) = msg
                && let Ok(ServerMsg::Ops { ops }) = ServerMsg::from_json(&t)
            {
                let sent = sent2.lock().map(|s| s.clone()).unwrap_or_default();
                for op in ops {
                    if let Some((at, cross)) = sent.get(&op.id)
                        && let Ok(mut r) = rec.lock()
                    {
                        r.push((now.duration_since(*at).as_secs_f64() * 1000.0, *cross));
                    }
                }
            }
        }
    });
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / RATE));
    let total = (RATE as u64) * SECONDS;
    for k in 0..total {
        tick.tick().await;
        let _ = senders[(k as usize * 37) % PARTICIPANTS].send(());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cpu: Vec<f64> = (0..n_relays)
        .map(|i| {
            cpu_ticks(relays.pid(i))
                .map(|t| (t - cpu0[i]) as f64 / 100.0 / (SECONDS as f64 + 0.5) * 100.0)
        })
        .collect::<R<_>>()?;
    reader.abort();
    let all = received.lock().map_err(|_| "poisoned")?.clone();
    let sorted = |cross: Option<bool>| {
        let mut v: Vec<f64> = all
            .iter()
            .filter(|(_, c)| cross.is_none_or(|want| *c == want))
            .map(|(ms, _)| *ms)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    };
    let lat = sorted(None);
    if lat.is_empty() {
        return Err("no notes arrived".into());
    }
    let cross = sorted(Some(true));
    let cross_p99 = (!cross.is_empty()).then(|| percentile(&cross, 0.99));
    // Each relay commits the notes of its own participants (and forwards everyone's).
    let per_relay: Vec<String> = cpu
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mine = (0..PARTICIPANTS).filter(|p| p % n_relays == i).count() as f64;
            format!(
                "relay {}: {:.1} ops/s committed, CPU {c:.0}% of one core",
                i + 1,
                RATE * mine / PARTICIPANTS as f64
            )
        })
        .collect();
    println!(
        "latency ({}): {PARTICIPANTS} participants, {RATE} notes/s for {SECONDS} s: {} of {total} received; \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (budget p99 < 50 ms){}; {}",
        store.name(),
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat[lat.len() - 1],
        cross_p99.map_or(String::new(), |p| format!(
            "; through the other relay p50 {:.2} ms, p99 {p:.2} ms",
            percentile(&cross, 0.50)
        )),
        per_relay.join(", "),
    );
    Ok(Latency {
        p50: percentile(&lat, 0.50),
        p99: percentile(&lat, 0.99),
        cross_p99,
    })
}

/// How many interleaved rounds a comparing part runs (`BENCH_ROUNDS`, default 3).
fn bench_rounds() -> usize {
    std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// For each variant's runs, the median p50 and the median p99.
fn medians_of(runs: &[Vec<Latency>]) -> Vec<(f64, f64)> {
    runs.iter()
        .map(|r| {
            (
                median(r.iter().map(|l| l.p50).collect()),
                median(r.iter().map(|l| l.p99).collect()),
            )
        })
        .collect()
}

/// SQLite with one relay, PostgreSQL with one and two, in turns; medians and ratios.
async fn compare(dist: &Path) -> R {
    let rounds = bench_rounds();
    let stores = [
        Store::Sqlite,
        Store::Postgres { relays: 1 },
        Store::Postgres { relays: 2 },
    ];
    let mut runs: Vec<Vec<Latency>> = stores.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (store, runs) in stores.iter().zip(&mut runs) {
            runs.push(latency(dist, store).await?);
        }
    }
    let medians = medians_of(&runs);
    let (base50, base99) = medians[0];
    for ((store, (p50, p99)), runs) in stores.iter().zip(&medians).zip(&runs) {
        let cross: Vec<f64> = runs.iter().filter_map(|l| l.cross_p99).collect();
        println!(
            "compare ({}, median of {rounds}): p50 {p50:.2} ms ({:.2}x SQLite), p99 {p99:.2} ms ({:.2}x SQLite){}",
            store.name(),
            p50 / base50,
            p99 / base99,
            if cross.is_empty() {
                String::new()
            } else {
                format!("; through the other relay p99 {:.2} ms", median(cross))
            }
        );
    }
    Ok(())
}

async fn memory_and_restart(dist: &Path, store: &Store) -> R {
    let rooms_n: usize = std::env::var("BENCH_ROOMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let per_room: usize = std::env::var("BENCH_CLIENTS_PER_ROOM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let relays = store.start(dist, &[])?;
    let addr = relays.addr(0);
    let pid = relays.pid(0);
    let base = rss_mb(pid)?;
    let ops = workshop()?.missing_for(&VersionVector::default());
    // What every joining client is sent to catch up: the whole seed workshop.
    let catch_up_kb = serde_json::to_string(&ops)?.len() as f64 / 1024.0;
    let mut rooms = Vec::with_capacity(rooms_n);
    let t = Instant::now();
    for _ in 0..rooms_n {
        rooms.push(create_room(addr, ops.clone()).await?);
    }
    let create_s = t.elapsed().as_secs_f64();
    let with_rooms = rss_mb(pid)?;

    let mut clients = Vec::with_capacity(rooms_n * per_room);
    let t = Instant::now();
    for c in 0..per_room {
        for (r, room) in rooms.iter().enumerate() {
            let ws = connect(
                addr,
                &room.room_id,
                Credential::Participant {
                    actor: ActorId::new(format!("r{r}c{c}")),
                    secret: secret(r * 100 + c),
                },
            )
            .await?;
            // Idle clients still read (presence), like a phone with the tab open.
            let (sink, mut stream) = ws.split();
            tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
            clients.push(sink);
        }
    }
    let connect_s = t.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cpu0 = cpu_ticks(pid)?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_cpu = (cpu_ticks(pid)? - cpu0) as f64 / 5.0;
    let loaded = rss_mb(pid)?;
    let n = clients.len();
    let per_conn_kb = (loaded - with_rooms) * 1024.0 / n as f64;
    println!(
        "memory ({}): relay RSS {base:.1} MB empty, {with_rooms:.1} MB with {rooms_n} rooms (created in {create_s:.1} s), \
         {loaded:.1} MB with {n} idle clients ({per_room}/room, connected in {connect_s:.1} s): \
         {per_conn_kb:.1} KB per connection (catch-up {catch_up_kb:.1} KB) → 30/room ≈ {:.0} MB (budget < 300 MB); \
         idle CPU {idle_cpu:.1}% of one core",
        store.name(),
        with_rooms + per_conn_kb * (rooms_n * 30) as f64 / 1024.0
    );
    drop(clients);

    // Restart: process start → first line (rooms loaded, port bound) → a Welcome.
    let t = Instant::now();
    let mut relays = relays;
    let addr = relays.restart(0, dist)?;
    let pid = relays.pid(0);
    let up = t.elapsed();
    let last = rooms.last().ok_or("no rooms")?;
    let ws = connect(
        addr,
        &last.room_id,
        Credential::Facilitator {
            key: last.facilitator_key.clone(),
        },
    )
    .await?;
    let serving = t.elapsed();
    drop(ws);
    println!(
        "restart ({}): {rooms_n} rooms ({} ops each) on disk: listening after {:.0} ms, first Welcome after {:.0} ms; RSS {:.1} MB",
        store.name(),
        ops.len(),
        up.as_secs_f64() * 1000.0,
        serving.as_secs_f64() * 1000.0,
        rss_mb(pid)?
    );
    Ok(())
}

/// Sends `ops` on `ws` and waits for their Ack (or Rejected).
async fn send_and_wait(ws: &mut Ws, ops: Vec<bijeen_core::Op>) -> R {
    let mut want = ops.len();
    ws.send(Message::Text(ClientMsg::Ops { ops }.to_json().into()))
        .await?;
    while want > 0 {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => match ServerMsg::from_json(&t)? {
                ServerMsg::Ack { op_ids } => want = want.saturating_sub(op_ids.len()),
                ServerMsg::Rejected { .. } => want = want.saturating_sub(1),
                ServerMsg::Error { code } => return Err(format!("{code:?}").into()),
                _ => {}
            },
            Some(Ok(_)) => {}
            _ => return Err("closed while waiting for an ack".into()),
        }
    }
    Ok(())
}

/// Part 5: the same room with no phones and with 100, in turns; medians and ratios.
async fn phones(dist: &Path, store: &Store) -> R {
    let rounds = bench_rounds();
    let counts = [0usize, 100];
    let mut runs: Vec<Vec<Latency>> = counts.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (i, n) in counts.iter().enumerate() {
            runs[i].push(phones_round(dist, store, *n).await?);
        }
    }
    let medians = medians_of(&runs);
    let (base50, base99) = medians[0];
    for (n, (p50, p99)) in counts.iter().zip(&medians) {
        println!(
            "phones ({}, median of {rounds}): {n} view phones in a room of 1,000 notes: p50 {p50:.2} ms ({:.2}x no phones), p99 {p99:.2} ms ({:.2}x no phones)",
            store.name(),
            p50 / base50,
            p99 / base99
        );
    }
    Ok(())
}

/// One room of part 5 with `n` view phones: the latency of one participant's notes to the
/// projector while every change makes the relay compute each phone's view.
async fn phones_round(dist: &Path, store: &Store, n: usize) -> R<Latency> {
    const RATE: f64 = 10.0;
    const SECONDS: u64 = 10;
    let relays = store.start(dist, &[])?;
    let addr = relays.addr(0);
    let fac = workshop()?;
    let groups: Vec<bijeen_core::GroupId> = fac
        .workshop()
        .groups_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    let (room, mut projector) = room_with_facilitator(addr, &fac).await?;
    // The brainstorm so far: ten participants, a hundred notes each, in turns over the groups.
    let participant =
        |actor: &ActorId, group: &bijeen_core::GroupId| -> R<(Doc, Vec<bijeen_core::Op>)> {
            let mut doc = Doc::new(actor.clone());
            for op in fac.ops() {
                doc.receive(op)?;
            }
            let join = doc.execute(
                &Cmd::Join {
                    name: actor.as_str().to_owned(),
                    group: Some(group.clone()),
                },
                Role::Participant,
                T0,
            )?;
            Ok((doc, join))
        };
    let note = |doc: &mut Doc, group: &bijeen_core::GroupId, k: i64| {
        doc.execute(
            &Cmd::AddNote {
                board: BoardKind::Brainstorm,
                group: Some(group.clone()),
                category: None,
                text: format!("idee {k} van {}", doc.actor()),
                colour: None,
            },
            Role::Participant,
            T0 + k,
        )
    };
    for w in 0..10 {
        let actor = ActorId::new(format!("w{w:02}"));
        let group = &groups[w % groups.len()];
        let mut ws = connect(
            addr,
            &room,
            Credential::Participant {
                actor: actor.clone(),
                secret: secret(1_000 + w),
            },
        )
        .await?;
        let (mut doc, mut ops) = participant(&actor, group)?;
        for k in 1..=100 {
            ops.extend(note(&mut doc, group, k)?);
        }
        for chunk in ops.chunks(50) {
            send_and_wait(&mut ws, chunk.to_vec()).await?;
        }
    }
    // The phones: each joins the first group by intent and then reads whatever it is sent.
    let view_notes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for i in 0..n {
        let actor = ActorId::new(format!("p{i:03}"));
        let (mut ws, _) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/ws/{room}")).await?;
        let hello = ClientMsg::ViewHello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential: Credential::Participant {
                actor: actor.clone(),
                secret: secret(i),
            },
        };
        ws.send(Message::Text(hello.to_json().into())).await?;
        let join = ClientMsg::Intent {
            op_id: OpId {
                actor: actor.clone(),
                seq: 1,
            },
            intent: bijeen_view::Intent::Join {
                name: actor.as_str().to_owned(),
                group: Some(groups[0].as_str().to_owned()),
            },
        };
        ws.send(Message::Text(join.to_json().into())).await?;
        let counted = (i == 0).then(|| view_notes.clone());
        tokio::spawn(async move {
            let mut view = bijeen_view::PhoneView::default();
            while let Some(Ok(msg)) = ws.next().await {
                if let (Some(counted), Message::Text(t)) = (&counted, &msg)
                    && let Ok(bijeen_view::Down::View { patch }) =
                        serde_json::from_str::<bijeen_view::Down>(t)
                {
                    view.apply(*patch);
                    counted.store(view.notes.len(), std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
    }
    // The writer measured: one more participant in the first group.
    let writer = ActorId::new("m");
    let mut ws = connect(
        addr,
        &room,
        Credential::Participant {
            actor: writer.clone(),
            secret: secret(5_000),
        },
    )
    .await?;
    let (mut doc, join) = participant(&writer, &groups[0])?;
    send_and_wait(&mut ws, join).await?;
    let (mut sink, mut stream) = ws.split();
    tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let sent: Arc<Mutex<HashMap<OpId, Instant>>> = Arc::default();
    let received: Arc<Mutex<Vec<f64>>> = Arc::default();
    let (rec, sent2) = (received.clone(), sent.clone());
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = projector.next().await {
            let now = Instant::now();
            if let Message::Text(t) = msg
                && let Ok(ServerMsg::Ops { ops }) = ServerMsg::from_json(&t)
            {
                let sent = sent2.lock().map(|s| s.clone()).unwrap_or_default();
                for op in ops {
                    if let Some(at) = sent.get(&op.id)
                        && let Ok(mut r) = rec.lock()
                    {
                        r.push(now.duration_since(*at).as_secs_f64() * 1000.0);
                    }
                }
            }
        }
    });
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / RATE));
    let total = (RATE as u64) * SECONDS;
    for k in 0..total {
        tick.tick().await;
        let ops = note(&mut doc, &groups[0], 1_000 + k as i64)?;
        if let Ok(mut s) = sent.lock() {
            s.insert(ops[0].id.clone(), Instant::now());
        }
        sink.send(Message::Text(ClientMsg::Ops { ops }.to_json().into()))
            .await?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    reader.abort();
    let mut lat = received.lock().map_err(|_| "poisoned")?.clone();
    lat.sort_by(|a, b| a.total_cmp(b));
    if lat.is_empty() {
        return Err("no notes arrived".into());
    }
    let shown = view_notes.load(std::sync::atomic::Ordering::Relaxed);
    if n > 0 && shown < 400 {
        return Err(
            format!("the first phone shows {shown} notes, not the group's 400 and more").into(),
        );
    }
    println!(
        "  phones round: {n} view phones (the first shows {shown} notes), {} of {total} notes received; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat[lat.len() - 1],
    );
    Ok(Latency {
        p50: percentile(&lat, 0.50),
        p99: percentile(&lat, 0.99),
        cross_p99: None,
    })
}

async fn non_reading_sockets(dist: &Path) -> R {
    const OPS: usize = 100_000;
    const NOTES: usize = 1_000;
    const SOCKETS: usize = 200;
    let data = tempfile::tempdir()?;
    let (relay, addr) = spawn_relay_with(
        dist,
        data.path(),
        &["--ops-per-second", "1000000", "--ops-burst", "1000000"],
    )?;
    let mut fac = workshop()?;
    let (room, mut console) = room_with_facilitator(addr, &fac).await?;
    let t = Instant::now();
    let mut notes: Vec<bijeen_core::NoteId> = Vec::new();
    let mut batch = Vec::new();
    for i in 0..OPS {
        let cmd = if i < NOTES {
            Cmd::AddNote {
                board: BoardKind::Brainstorm,
                group: None,
                category: None,
                text: format!("notitie {i} over samenwerken met de bibliotheek"),
                colour: None,
            }
        } else {
            Cmd::EditNote {
                id: notes[i % NOTES].clone(),
                text: format!("bewerking {i} van een notitie over samenwerken"),
            }
        };
        let ops = fac.execute(&cmd, Role::Facilitator, T0 + i as i64)?;
        if i < NOTES {
            notes.push(bijeen_core::NoteId::from_op(&ops[0].id));
        }
        batch.extend(ops);
        if batch.len() == 250 {
            send_and_wait(&mut console, std::mem::take(&mut batch)).await?;
        }
    }
    send_and_wait(&mut console, batch).await?;
    let upload_s = t.elapsed().as_secs_f64();
    drop(console);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let base = rss_mb(relay.0.id())?;
    let mut sockets = Vec::with_capacity(SOCKETS);
    for i in 0..SOCKETS {
        let (mut ws, _) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/ws/{room}")).await?;
        let hello = ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential: Credential::Participant {
                actor: ActorId::new(format!("lui{i}")),
                secret: secret(10_000 + i),
            },
            version_vector: VersionVector::default(),
            withheld: Vec::new(),
        };
        ws.send(Message::Text(hello.to_json().into())).await?;
        // ...and never reads again.
        sockets.push(ws);
    }
    let mut peak = base;
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(15) {
        peak = peak.max(rss_mb(relay.0.id())?);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let after = rss_mb(relay.0.id())?;
    // A client that reads still gets everything.
    let t = Instant::now();
    let mut reader = connect(
        addr,
        &room,
        Credential::Participant {
            actor: ActorId::new("leest"),
            secret: secret(99_999),
        },
    )
    .await?;
    let mut got = 0usize;
    reader
        .send(Message::Text(
            ClientMsg::Ping { client_time_ms: -1 }.to_json().into(),
        ))
        .await?;
    while let Some(Ok(msg)) = reader.next().await {
        if let Message::Text(t) = msg {
            match ServerMsg::from_json(&t)? {
                ServerMsg::Ops { ops } => got += ops.len(),
                ServerMsg::Pong {
                    client_time_ms: -1, ..
                } => break,
                _ => {}
            }
        }
    }
    println!(
        "sockets: a room of {} ops (uploaded in {upload_s:.1} s); relay RSS {base:.1} MB, \
         peak {peak:.1} MB with {SOCKETS} sockets that never read ({:.0} KB each; budget < 200 MB), \
         {after:.1} MB 15 s later; a reading client got {got} ops in {:.2} s",
        fac.op_count(),
        (peak - base) * 1024.0 / SOCKETS as f64,
        t.elapsed().as_secs_f64()
    );
    drop(sockets);
    Ok(())
}

fn main() -> R {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too: keep that cheap.
    if !std::env::args().any(|a| a == "--bench") {
        println!("relay bench: run with cargo bench -p bijeen-relay --bench relay");
        return Ok(());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dist = tempfile::tempdir()?;
    std::fs::write(dist.path().join("index.html"), "<!doctype html>")?;
    std::fs::write(dist.path().join("participant.html"), "<!doctype html>")?;
    std::fs::write(dist.path().join("remote.html"), "<!doctype html>")?;
    std::fs::write(dist.path().join("window.html"), "<!doctype html>")?;
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    rt.block_on(async {
        if std::env::var("BENCH_STORE").as_deref() == Ok("compare") {
            return compare(dist.path()).await;
        }
        let store = Store::from_env()?;
        if only.is_empty() || only == "latency" {
            latency(dist.path(), &store).await?;
        }
        if only.is_empty() || only == "memory" {
            memory_and_restart(dist.path(), &store).await?;
        }
        if only.is_empty() || only == "sockets" {
            non_reading_sockets(dist.path()).await?;
        }
        if only.is_empty() || only == "phones" {
            phones(dist.path(), &store).await?;
        }
        Ok(())
    })
}
