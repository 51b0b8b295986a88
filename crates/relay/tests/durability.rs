//! Durability: 50 participants write notes (driven by the real `ClientSession`, offline
//! queue included) while the relay process is killed with SIGKILL and restarted 20 times.
//! Afterwards every op the relay ever acknowledged is stored and every replica converges.
//!
//! As a benchmark of the durability loop (minutes, not part of the test run's budget):
//! `BIJEEN_DURABILITY_KILLS=200 cargo test --release -p bijeen-relay --test durability -- --nocapture`.

#![cfg(unix)]

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bijeen_core::{ActorId, BoardKind, Command as Cmd, Doc, OpId, Role, VersionVector};
use bijeen_protocol::{ClientSession, ConnState, RoomId, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use support::*;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

const PARTICIPANTS: usize = 50;
const KILLS: usize = 20;

/// Kills in this run: [`KILLS`], or `BIJEEN_DURABILITY_KILLS`.
fn kills() -> usize {
    std::env::var("BIJEEN_DURABILITY_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(KILLS)
}
/// Time the relay runs between kills (plus a random part up to the same again).
const UPTIME: Duration = Duration::from_millis(500);
/// Each participant writes a note about this often while the kills go on.
const WRITE_EVERY: Duration = Duration::from_millis(300);

/// The relay process; killed on drop if a test fails half-way.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_relay(dist: &std::path::Path, data: &std::path::Path) -> TestResult<(Proc, SocketAddr)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bijeen-relay"))
        .arg("--dist")
        .arg(dist)
        .arg("--data-dir")
        .arg(data)
        .args(["--host", "127.0.0.1", "--port", "0"])
        // What is tested is durability: a long run writes more notes per participant than
        // a workshop's cap allows.
        .args(["--max-notes-per-participant", "1000000"])
        .args([
            "--room-ops-per-second",
            "100000",
            "--room-ops-burst",
            "100000",
        ])
        // Fifty writers reconnecting after every kill, all from 127.0.0.1.
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
    let port: u16 = line
        .trim_end()
        .strip_prefix("Bijeen is running: http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .ok_or_else(|| format!("unexpected first line: {line:?}"))?
        .parse()?;
    Ok((proc, SocketAddr::from(([127, 0, 0, 1], port))))
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
async fn acked_ops_survive_sigkill_and_everyone_converges() -> TestResult {
    let started = Instant::now();
    let dist = tempfile::tempdir()?;
    write_dist(dist.path())?;
    let data = tempfile::tempdir()?;
    let (mut relay, addr) = spawn_relay(dist.path(), data.path())?;

    let fac = facilitator_doc()?;
    let created = create_room(addr, all_ops(&fac)).await?;
    let (addr_tx, addr_rx) = watch::channel(addr);
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
    let mut acked_before_kill = Vec::new();
    let kills = kills();
    for _ in 0..kills {
        tokio::time::sleep(UPTIME.mul_f64(1.0 + rng.unit())).await;
        relay.0.kill()?; // SIGKILL: no flush, no goodbye.
        relay.0.wait()?;
        acked_before_kill.push(acked.lock().map_err(|_| "poisoned")?.len());
        let (next, addr) = spawn_relay(dist.path(), data.path())?;
        relay = next;
        addr_tx.send(addr)?;
    }
    // Let the last incarnation take writes for a moment, then settle.
    tokio::time::sleep(UPTIME).await;
    done_tx.send(true)?;
    let mut docs = Vec::new();
    for t in tasks {
        docs.push(t.await??);
    }

    // A fresh client's catch-up has every acknowledged op...
    let addr = *addr_tx.borrow();
    let room = created.room_id.clone();
    let mut check = WsClient::connect(addr, &room).await?;
    let (_, all) = check
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    let stored: HashSet<OpId> = all.iter().map(|o| o.id.clone()).collect();
    let acked = acked.lock().map_err(|_| "poisoned")?.clone();
    let lost: Vec<&OpId> = acked.iter().filter(|id| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "acked but lost: {lost:?}");
    let notes = all
        .iter()
        .filter(|o| matches!(o.body, bijeen_core::OpBody::CreateNote { .. }))
        .count();
    // Writes really happened throughout the kills (not all before the first one).
    assert!(notes > PARTICIPANTS * 5, "only {notes} notes");
    assert!(acked_before_kill.windows(2).filter(|w| w[1] > w[0]).count() >= kills / 2);

    // ...and every participant, catching up once more after everyone has flushed, ends
    // with exactly that state.
    let mut reference = Doc::new(ActorId::new("reference"));
    for op in &all {
        reference.receive(op)?;
    }
    for doc in &mut docs {
        let name = doc.actor().to_string();
        let mut ws = WsClient::connect(addr, &room).await?;
        let vv = doc.version_vector().clone();
        let (_, ops) = ws.hello(&room, participant(&name), &vv).await?;
        for op in &ops {
            doc.receive(op)?;
        }
        ws.close().await;
        // Not assert_eq: the Debug of two workshops is megabytes.
        assert!(doc.workshop() == reference.workshop(), "{name} diverged");
        assert_eq!(doc.op_count(), reference.op_count(), "{name}");
    }
    eprintln!(
        "durability: {kills} SIGKILLs, {} ops stored, {} acked, {} lost, {notes} notes, {:.1} s",
        all.len(),
        acked.len(),
        lost.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
