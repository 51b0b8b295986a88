//! Failover on PostgreSQL: 50 participants (driven by the real `ClientSession`, offline
//! queue included) write notes through HAProxy (round robin, no sticky sessions) to two
//! relays on one PostgreSQL, while one relay or the other is killed with SIGKILL and
//! restarted. Afterwards every op any relay acknowledged is stored once, and every replica
//! converges, whichever relay it last talked to.
//!
//! 10 kills in the test run; the 50 with
//! `BIJEEN_FAILOVER_KILLS=50 cargo test -p bijeen-relay --test pg_failover -- --nocapture`.

#![cfg(unix)]

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bijeen_core::{ActorId, BoardKind, Command as Cmd, Doc, OpId, Role, VersionVector};
use bijeen_protocol::{ClientSession, ConnState, RoomId, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use support::pg::PgCluster;
use support::*;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

const PARTICIPANTS: usize = 50;
const KILLS: usize = 10;

fn kills() -> usize {
    std::env::var("BIJEEN_FAILOVER_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(KILLS)
}
/// Time between kills (plus a random part up to the same again).
const UPTIME: Duration = Duration::from_millis(700);
/// Each participant writes a note about this often while the kills go on.
const WRITE_EVERY: Duration = Duration::from_millis(300);

/// A child process; killed on drop if a test fails half-way.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> TestResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A relay process on a fixed port (the load balancer's configuration names it), on the
/// cluster's database.
fn spawn_relay(dist: &Path, url: &str, port: u16) -> TestResult<Proc> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bijeen-relay"))
        .arg("--dist")
        .arg(dist)
        .args(["--database-url", url])
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        // HAProxy is the only client address the relays see.
        .args(["--trusted-proxy", "127.0.0.1"])
        .args(["--max-notes-per-participant", "1000000"])
        .args([
            "--room-ops-per-second",
            "100000",
            "--room-ops-burst",
            "100000",
        ])
        .args([
            "--max-connections-per-ip",
            "4096",
            "--connects-per-minute",
            "1000000",
            "--connects-burst",
            "100000",
            "--hellos-per-minute",
            "1000000",
            "--hellos-burst",
            "100000",
        ])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let proc = Proc(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    if !line.starts_with("Bijeen is running:") {
        return Err(format!("relay did not start: {line:?}").into());
    }
    Ok(proc)
}

/// HAProxy in front of `backends`: round robin, WebSocket upgrade passed through, health
/// checks on /healthz every 100 ms, and a refused connection sent to the other relay.
fn spawn_haproxy(dir: &Path, port: u16, backends: &[u16]) -> TestResult<Proc> {
    let haproxy = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .ok_or("haproxy not found: run `scripts/setup.sh --test` (installs Debian's haproxy)")?;
    let mut cfg = format!(
        "global\n  maxconn 4096\n\
         defaults\n  mode http\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n  \
         timeout tunnel 1h\n  retries 3\n  option redispatch 1\n\
         frontend bijeen\n  bind 127.0.0.1:{port}\n  option forwardfor\n  default_backend relays\n\
         backend relays\n  balance roundrobin\n  option httpchk GET /healthz\n"
    );
    for (i, b) in backends.iter().enumerate() {
        cfg.push_str(&format!(
            "  server relay{i} 127.0.0.1:{b} check inter 100ms fall 1 rise 1\n"
        ));
    }
    let path = dir.join("haproxy.cfg");
    std::fs::write(&path, cfg)?;
    let child = Command::new(haproxy)
        .arg("-db")
        .arg("-f")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    Ok(Proc(child))
}

async fn wait_for_port(addr: SocketAddr) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on {addr}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Tiny deterministic generator for jitter (no rand dependency for tests).
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
}

/// Everything acknowledged by the relay, across all participants and incarnations.
type Acked = Arc<Mutex<HashSet<OpId>>>;

struct Shared {
    addr: watch::Receiver<SocketAddr>,
    /// Flips once the kills are over: stop writing, flush, converge.
    done: watch::Receiver<bool>,
    acked: Acked,
    room: RoomId,
}

/// One participant: writes notes (queued while offline), reconnects forever, and after
/// `done` returns its doc once the relay has acknowledged its whole outbox.
async fn run_participant(n: usize, shared: Arc<Shared>) -> TestResult<Doc> {
    let name = format!("p{n:02}");
    let actor = ActorId::new(name.clone());
    let mut doc = Doc::new(actor.clone());
    let mut session = ClientSession::new(shared.room.clone(), participant_credential(&name));
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15 ^ ((n as u64 + 1) * 0x1000_0001));
    let mut joined = false;
    let mut next_write = Instant::now() + WRITE_EVERY.mul_f64(rng.unit());
    // The kills take about two uptimes each; then a minute and a half to settle.
    let kill_time = UPTIME.mul_f64(2.0 * kills() as f64);
    let deadline = Instant::now() + kill_time + Duration::from_secs(90);
    loop {
        if Instant::now() > deadline {
            return Err(format!("{name}: never settled").into());
        }
        let addr = *shared.addr.borrow();
        let ws = tokio_tungstenite::connect_async(format!("ws://{addr}/ws/{}", shared.room)).await;
        let Ok((mut ws, _)) = ws else {
            session.disconnected();
            if !*shared.done.borrow() {
                // Offline: written into the outbox, sent after the next Welcome.
                let queued = maybe_write(
                    &name,
                    &mut doc,
                    &mut session,
                    &mut joined,
                    &mut next_write,
                    &mut rng,
                )?;
                assert!(queued.is_empty(), "nothing goes out while offline");
            }
            // Short, jittered: the relay is back within milliseconds here.
            tokio::time::sleep(Duration::from_millis(20 + rng.next() % 30)).await;
            continue;
        };
        let hello = session.hello(&doc);
        if ws
            .send(Message::Text(hello.to_json().into()))
            .await
            .is_err()
        {
            session.disconnected();
            continue;
        }
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        let result: Result<Option<()>, ()> = loop {
            tokio::select! {
                msg = ws.next() => {
                    let text = match msg {
                        Some(Ok(Message::Text(t))) => t,
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break Err(()),
                        Some(Ok(_)) => continue,
                    };
                    let msg = ServerMsg::from_json(&text)?;
                    if let ServerMsg::Ack { op_ids } = &msg {
                        shared.acked.lock().map_err(|_| "poisoned")?.extend(op_ids.iter().cloned());
                    }
                    let out = session.handle(msg, &doc, now_ms());
                    for op in &out.apply {
                        doc.receive(op)?;
                    }
                    if !out.rejected.is_empty() {
                        return Err(format!("{name}: rejected {:?}", out.rejected).into());
                    }
                    for m in out.send {
                        if ws.send(Message::Text(m.to_json().into())).await.is_err() {
                            break;
                        }
                    }
                }
                _ = tick.tick() => {
                    let done = *shared.done.borrow();
                    let mut out = session.tick(now_ms());
                    if !done {
                        out.send.extend(maybe_write(
                            &name, &mut doc, &mut session, &mut joined, &mut next_write, &mut rng,
                        )?);
                    }
                    if done && session.unacked_count() == 0
                        && session.state() == &ConnState::Connected
                    {
                        break Ok(Some(()));
                    }
                    let mut failed = false;
                    for m in out.send {
                        if ws.send(Message::Text(m.to_json().into())).await.is_err() {
                            failed = true;
                            break;
                        }
                    }
                    if failed {
                        break Err(());
                    }
                }
            }
        };
        match result {
            Ok(Some(())) => {
                let _ = ws.close(None).await;
                return Ok(doc);
            }
            Ok(None) | Err(()) => session.disconnected(),
        }
    }
}

/// Join once the workshop has arrived, then write a note every so often, connected or not
/// (the session queues what it cannot send). Returns what to send now.
fn maybe_write(
    name: &str,
    doc: &mut Doc,
    session: &mut ClientSession,
    joined: &mut bool,
    next_write: &mut Instant,
    rng: &mut XorShift,
) -> TestResult<Vec<bijeen_protocol::ClientMsg>> {
    if Instant::now() < *next_write {
        return Ok(Vec::new());
    }
    *next_write = Instant::now() + WRITE_EVERY.mul_f64(0.5 + rng.unit());
    let cmd = if *joined {
        Cmd::AddNote {
            board: BoardKind::Brainstorm,
            group: None,
            category: None,
            text: format!("{name} idee {}", doc.op_count()),
            colour: None,
        }
    } else if doc.workshop().accepts_notes(BoardKind::Brainstorm) {
        *joined = true;
        Cmd::Join {
            name: name.to_owned(),
            group: None,
        }
    } else {
        return Ok(Vec::new());
    };
    let ops = doc.execute(&cmd, Role::Participant, now_ms())?;
    Ok(session.push_local(ops, now_ms()).send)
}

fn participant_credential(name: &str) -> bijeen_protocol::Credential {
    participant(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_writers_behind_haproxy_lose_nothing_while_relays_are_killed() -> TestResult {
    let started = Instant::now();
    let cluster = PgCluster::start()?;
    let url = cluster.url();
    let dist = tempfile::tempdir()?;
    write_dist(dist.path())?;
    let ports = [free_port()?, free_port()?];
    let mut relays = [
        spawn_relay(dist.path(), &url, ports[0])?,
        spawn_relay(dist.path(), &url, ports[1])?,
    ];
    let lb_port = free_port()?;
    let _lb = spawn_haproxy(cluster.dir(), lb_port, &ports)?;
    let addr = SocketAddr::from(([127, 0, 0, 1], lb_port));
    wait_for_port(addr).await?;
    // Until HAProxy's first health checks pass.
    let deadline = Instant::now() + Duration::from_secs(10);
    let created = loop {
        match create_room(addr, all_ops(&facilitator_doc()?)).await {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    let (_addr_tx, addr_rx) = watch::channel(addr);
    let (done_tx, done_rx) = watch::channel(false);
    let acked: Acked = Arc::default();
    let shared = Arc::new(Shared {
        addr: addr_rx,
        done: done_rx,
        acked: acked.clone(),
        room: created.room_id.clone(),
    });
    let tasks: Vec<_> = (0..PARTICIPANTS)
        .map(|n| tokio::spawn(run_participant(n, shared.clone())))
        .collect();

    let mut rng = XorShift(42);
    let kills = kills();
    let mut acked_before_kill = Vec::new();
    for k in 0..kills {
        tokio::time::sleep(UPTIME.mul_f64(1.0 + rng.unit())).await;
        let victim = k % 2;
        relays[victim].0.kill()?; // SIGKILL: no flush, no goodbye.
        relays[victim].0.wait()?;
        acked_before_kill.push(acked.lock().map_err(|_| "poisoned")?.len());
        // Clients move to the other relay meanwhile; then this one comes back.
        tokio::time::sleep(UPTIME.mul_f64(rng.unit())).await;
        relays[victim] = spawn_relay(dist.path(), &url, ports[victim])?;
    }
    tokio::time::sleep(UPTIME).await;
    done_tx.send(true)?;
    let mut docs = Vec::new();
    for t in tasks {
        docs.push(t.await??);
    }

    // Straight to one relay: its catch-up has every acknowledged op, each once.
    let direct = SocketAddr::from(([127, 0, 0, 1], ports[0]));
    let room = created.room_id.clone();
    let mut check = WsClient::connect(direct, &room).await?;
    let (_, all) = check
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    let stored: HashSet<OpId> = all.iter().map(|o| o.id.clone()).collect();
    assert_eq!(stored.len(), all.len(), "an op was stored twice");
    let acked = acked.lock().map_err(|_| "poisoned")?.clone();
    let lost: Vec<&OpId> = acked.iter().filter(|id| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "acked but lost: {lost:?}");
    let notes = all
        .iter()
        .filter(|o| matches!(o.body, bijeen_core::OpBody::CreateNote { .. }))
        .count();
    assert!(notes > PARTICIPANTS * 3, "only {notes} notes");
    assert!(acked_before_kill.windows(2).filter(|w| w[1] > w[0]).count() >= kills / 2);

    let mut reference = Doc::new(ActorId::new("reference"));
    for op in &all {
        reference.receive(op)?;
    }
    // Every participant, caught up once more through the load balancer, has that state.
    for doc in &mut docs {
        let name = doc.actor().to_string();
        let mut ws = WsClient::connect(addr, &room).await?;
        let vv = doc.version_vector().clone();
        let (_, ops) = ws.hello(&room, participant(&name), &vv).await?;
        for op in &ops {
            doc.receive(op)?;
        }
        ws.close().await;
        assert!(doc.workshop() == reference.workshop(), "{name} diverged");
        assert_eq!(doc.op_count(), reference.op_count(), "{name}");
    }
    eprintln!(
        "failover: {kills} SIGKILLs over two relays behind HAProxy, {} ops stored, {} acked, {} lost, {notes} notes, {:.1} s",
        all.len(),
        acked.len(),
        lost.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
