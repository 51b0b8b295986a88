//! Several relays on one real PostgreSQL (a throw-away cluster per test, see
//! `support/pg.rs`): any relay serves any room, what one relay commits reaches the clients
//! of the others, and the room's rules hold whichever relay a client reaches.

#![cfg(unix)]

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bijeen_core::{ActorId, BoardKind, Command, Doc, NoteId, Op, OpId, Role, VersionVector};
use bijeen_protocol::{ErrorCode, FacilitatorKey, RejectReason, RoomId, ServerMsg, WithheldRange};
use bijeen_relay::Limits;
use support::*;

const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

fn add_note(text: &str) -> Command {
    Command::AddNote {
        board: BoardKind::Brainstorm,
        group: None,
        category: None,
        text: text.into(),
        colour: None,
    }
}

fn receive_all(doc: &mut Doc, ops: &[Op]) -> TestResult {
    for op in ops {
        doc.receive(op)?;
    }
    Ok(())
}

/// A client (participant or console) with its replica and every frame it was sent.
struct Client {
    doc: Doc,
    ws: WsClient,
    frames: Vec<String>,
    role: Role,
}

impl Client {
    async fn participant(
        addr: SocketAddr,
        room: &RoomId,
        actor: &str,
        doc: Doc,
    ) -> TestResult<Client> {
        let mut ws = WsClient::connect(addr, room).await?;
        let withheld = WithheldRange::covering(doc.placeholders());
        let (welcome, frames) = ws
            .hello_raw(
                room,
                participant(actor),
                &doc.version_vector().clone(),
                withheld,
            )
            .await?;
        let mut doc = doc;
        if let ServerMsg::Welcome {
            pseudonym: Some(p), ..
        } = welcome
        {
            doc.set_pseudonym(p);
        }
        receive_all(&mut doc, &ops_in(&frames))?;
        Ok(Client {
            doc,
            ws,
            frames,
            role: P,
        })
    }

    /// A participant that connects and joins.
    async fn join(addr: SocketAddr, room: &RoomId, actor: &str) -> TestResult<Client> {
        let mut c = Client::participant(addr, room, actor, Doc::new(ActorId::new(actor))).await?;
        let (acked, rejected) = c
            .act(Command::Join {
                name: format!("Naam van {actor}"),
                group: None,
            })
            .await?;
        assert_eq!((acked.len(), rejected.len()), (1, 0), "{rejected:?}");
        Ok(c)
    }

    async fn console(
        addr: SocketAddr,
        room: &RoomId,
        key: &FacilitatorKey,
        doc: Doc,
    ) -> TestResult<Client> {
        let mut ws = WsClient::connect(addr, room).await?;
        let (_, frames) = ws
            .hello_raw(
                room,
                facilitator(key),
                &doc.version_vector().clone(),
                vec![],
            )
            .await?;
        let mut doc = doc;
        receive_all(&mut doc, &ops_in(&frames))?;
        Ok(Client {
            doc,
            ws,
            frames,
            role: F,
        })
    }

    async fn act(&mut self, cmd: Command) -> TestResult<(Vec<OpId>, Vec<(OpId, RejectReason)>)> {
        let ops = self.doc.execute(&cmd, self.role, T0 + 1_000)?;
        self.ws.send_ops(ops).await
    }

    /// Waits until the replica holds `id` (fan-out between relays is asynchronous).
    async fn wait_for(&mut self, what: impl Fn(&Doc) -> bool) -> TestResult {
        let deadline = Instant::now() + WAIT;
        while !what(&self.doc) {
            if Instant::now() > deadline {
                return Err("waited in vain for another relay's ops".into());
            }
            match self.ws.next_raw(WAIT).await? {
                Some(frame) => {
                    receive_all(&mut self.doc, &ops_in(std::slice::from_ref(&frame)))?;
                    self.frames.push(frame);
                }
                None => return Err("socket closed".into()),
            }
        }
        Ok(())
    }

    fn has(&self, id: &OpId) -> bool {
        self.doc.version_vector().get(&id.actor) >= id.seq
    }
}

fn note_text<'d>(doc: &'d Doc, id: &OpId) -> Option<&'d str> {
    doc.workshop()
        .notes
        .get(&NoteId::from_op(id))
        .map(|n| n.text.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_serve_one_room_both_ways_and_a_third_catches_a_late_joiner_up() -> TestResult {
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let b = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(a.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    // The join code made on A is found on B.
    assert_eq!(join(b.addr, created.join_code.as_str()).await?, room);

    let mut console = Client::console(b.addr, &room, &created.facilitator_key, fac).await?;
    let mut anna = Client::join(a.addr, &room, "anna").await?;
    // A participant's note on A reaches the console on B...
    let note = anna
        .doc
        .execute(&add_note("Bibliotheek + school"), P, T0 + 1_000)?;
    let (acked, _) = anna.ws.send_ops(note.clone()).await?;
    assert_eq!(acked, vec![note[0].id.clone()]);
    let id = note[0].id.clone();
    console.wait_for(|d| note_text(d, &id).is_some()).await?;
    assert_eq!(note_text(&console.doc, &id), Some("Bibliotheek + school"));
    // ...and the console's change on B reaches the participant on A.
    let (acked, _) = console.act(Command::SetTitle("Netwerken".into())).await?;
    assert_eq!(acked.len(), 1);
    anna.wait_for(|d| d.workshop().meta.title.as_str() == "Netwerken")
        .await?;

    // A late joiner on a third relay, which has never hosted the room, gets everything.
    let c = fx.start(Limits::default()).await?;
    let late = Client::join(c.addr, &room, "laat").await?;
    assert!(late.has(&id), "the late joiner lacks anna's note");
    assert!(
        late.doc.workshop() == console.doc.workshop() || {
            // The console may not have heard of the late joiner's own Join yet.
            let mut c2 =
                Client::console(c.addr, &room, &created.facilitator_key, facilitator_doc()?)
                    .await?;
            c2.wait_for(|d| d.op_count() >= late.doc.op_count()).await?;
            c2.doc.workshop() == late.doc.workshop()
        }
    );
    assert_eq!(note_text(&late.doc, &id), Some("Bibliotheek + school"));
    assert_eq!(late.doc.workshop().meta.title.as_str(), "Netwerken");
    // And its Join reaches the other two relays' clients.
    let laat = ActorId::new("laat");
    anna.wait_for(|d| d.version_vector().get(&laat) >= 1)
        .await?;
    console
        .wait_for(|d| d.version_vector().get(&laat) >= 1)
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_bound_on_one_relay_cannot_be_claimed_on_another() -> TestResult {
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let b = fx.start(Limits::default()).await?;
    let created = create_room(a.addr, all_ops(&facilitator_doc()?)).await?;
    let room = created.room_id.clone();
    let _anna = Client::join(a.addr, &room, "anna").await?;
    // Same actor, another secret, another relay (which never hosted the room).
    let mut thief = WsClient::connect(b.addr, &room).await?;
    thief
        .send(&bijeen_protocol::ClientMsg::Hello {
            protocol_version: bijeen_protocol::PROTOCOL_VERSION,
            room: room.clone(),
            credential: bijeen_protocol::Credential::Participant {
                actor: ActorId::new("anna"),
                secret: bijeen_protocol::ParticipantSecret::from_random([7; 16]),
            },
            version_vector: VersionVector::default(),
            withheld: vec![],
        })
        .await?;
    assert!(matches!(
        thief.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    ));
    // The console's actor has ops and no secret: nobody may claim it on any relay.
    let mut thief = WsClient::connect(b.addr, &room).await?;
    thief
        .send(&bijeen_protocol::ClientMsg::Hello {
            protocol_version: bijeen_protocol::PROTOCOL_VERSION,
            room: room.clone(),
            credential: participant("fac"),
            version_vector: VersionVector::default(),
            withheld: vec![],
        })
        .await?;
    assert!(matches!(
        thief.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    ));
    // The real device is welcome on the other relay.
    let back = Client::participant(b.addr, &room, "anna", Doc::new(ActorId::new("anna"))).await?;
    assert!(back.doc.version_vector().get(&ActorId::new("anna")) >= 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_notes_stay_with_their_author_across_relays_until_the_reveal() -> TestResult {
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let b = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(a.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Client::console(a.addr, &room, &created.facilitator_key, fac).await?;
    console
        .act(Command::SetHideUntilReveal {
            board: BoardKind::Brainstorm,
            hide: true,
        })
        .await?;
    let mut writer = Client::join(a.addr, &room, "schrijver").await?;
    let mut eve = Client::join(b.addr, &room, "eve").await?;
    let secret = "geheim-over-de-relays";
    let (acked, _) = writer.act(add_note(secret)).await?;
    let id = acked[0].clone();
    // Eve on B gets the note's placeholder (her version vector stays whole), never its text.
    eve.wait_for(|d| d.version_vector().get(&id.actor) >= id.seq)
        .await?;
    assert!(
        eve.frames.iter().all(|f| !f.contains(secret)),
        "eve saw the hidden note"
    );
    assert_eq!(eve.doc.placeholders().count(), 1);
    // A device joining on a third relay while hidden learns nothing either.
    let c = fx.start(Limits::default()).await?;
    let late = Client::join(c.addr, &room, "laat").await?;
    assert!(late.frames.iter().all(|f| !f.contains(secret)));
    // The console on A reveals; eve on B gets the note, once.
    console
        .act(Command::Reveal {
            board: BoardKind::Brainstorm,
        })
        .await?;
    eve.wait_for(|d| note_text(d, &id) == Some(secret)).await?;
    let real = ops_in(&eve.frames)
        .into_iter()
        .filter(|o| o.id == id && !o.is_placeholder())
        .count();
    assert_eq!(real, 1, "the revealed note arrived {real} times");
    assert_eq!(eve.doc.placeholders().count(), 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_the_participant_limit_hold_whichever_relay_a_client_reaches() -> TestResult
{
    let fx = Fixture::postgres()?;
    let limits = Limits {
        ops_per_second: 1,
        ops_burst: 4,
        max_participants: 2,
        ..Limits::default()
    };
    let a = fx.start(limits.clone()).await?;
    let b = fx.start(limits.clone()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(a.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    // One device on both relays at once: the burst is shared, not doubled.
    let mut on_a = Client::join(a.addr, &room, "gulzig").await?; // 1 op of the burst
    let mut on_b = Client::participant(b.addr, &room, "gulzig", on_a.doc.clone()).await?;
    let mut accepted = 1;
    let mut limited = 0;
    for i in 0..8 {
        let client = if i % 2 == 0 { &mut on_a } else { &mut on_b };
        let ops = client
            .doc
            .execute(&add_note(&format!("n{i}")), P, T0 + 1_000)?;
        client
            .ws
            .send(&bijeen_protocol::ClientMsg::Ops { ops })
            .await?;
        loop {
            match client.ws.recv_skip_presence().await? {
                ServerMsg::Ack { .. } => {
                    accepted += 1;
                    break;
                }
                ServerMsg::Error {
                    code: ErrorCode::RateLimited { .. },
                } => {
                    limited += 1;
                    break;
                }
                ServerMsg::Ops { ops } => {
                    // Its own other connection's notes, through the other relay.
                    receive_all(&mut client.doc, &ops)?;
                }
                other => return Err(format!("unexpected {other:?}").into()),
            }
        }
        // Both replicas stay one device: take in what the other connection wrote.
        let (mine, other) = if i % 2 == 0 {
            (&on_a, &mut on_b)
        } else {
            (&on_b, &mut on_a)
        };
        let ops = mine.doc.missing_for(other.doc.version_vector());
        receive_all(&mut other.doc, &ops)?;
    }
    // The burst is 4 (plus well under one op of refill in this time): at most 5 in all.
    assert!(
        accepted <= 5,
        "{accepted} ops accepted over two relays, burst 4"
    );
    assert!(limited >= 3, "{limited} refused");

    // Participant limit 2: the second joins on B, the third is refused on either relay.
    let _second = Client::join(b.addr, &room, "tweede").await?;
    let mut third =
        Client::participant(a.addr, &room, "derde", Doc::new(ActorId::new("derde"))).await?;
    let (_, rejected) = third
        .act(Command::Join {
            name: "Derde".into(),
            group: None,
        })
        .await?;
    assert!(
        matches!(
            rejected.as_slice(),
            [(_, RejectReason::RoomFull { max: 2 })]
        ),
        "{rejected:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_is_the_sum_over_every_relay() -> TestResult {
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let b = fx.start(Limits::default()).await?;
    let created = create_room(a.addr, all_ops(&facilitator_doc()?)).await?;
    let room = created.room_id.clone();
    let mut first = WsClient::connect(a.addr, &room).await?;
    first
        .hello(&room, participant("een"), &VersionVector::default())
        .await?;
    let mut others = Vec::new();
    for (i, addr) in [b.addr, b.addr, a.addr].into_iter().enumerate() {
        let mut ws = WsClient::connect(addr, &room).await?;
        ws.hello(
            &room,
            participant(&format!("p{i}")),
            &VersionVector::default(),
        )
        .await?;
        others.push(ws);
    }
    // The first connection, on A, hears the total of both relays.
    let deadline = Instant::now() + WAIT;
    let mut last = 0;
    while last != 4 {
        if Instant::now() > deadline {
            return Err(format!("presence stayed at {last}, want 4").into());
        }
        if let ServerMsg::Presence { online } = first.recv().await? {
            last = online;
        }
    }
    // Two leave B: A's client hears 2.
    others.truncate(1);
    let deadline = Instant::now() + WAIT;
    while last != 2 {
        if Instant::now() > deadline {
            return Err(format!("presence stayed at {last}, want 2").into());
        }
        if let ServerMsg::Presence { online } = first.recv().await? {
            last = online;
        }
    }
    Ok(())
}

/// Ops of a busy room for the opening benchmark: notes on both boards and edits by the
/// console, one note in four ops. A note added to a board goes after its last one, so its
/// order key grows by a digit every ~60 notes of that board (`MAX_KEY_LEN` is 1,024) and
/// finding the last note costs a scan of the board: writing two notes in three ops on one
/// board ran out of keys on the way to 100,000 ops (`InvalidOrderKey`, after 452 s of
/// quadratic scanning). Spread like this, 100,000 ops hold 25,000 notes of keys around 210
/// digits long.
fn busy_room(ops: usize) -> TestResult<Doc> {
    let mut doc = facilitator_doc()?;
    let mut notes = Vec::new();
    while doc.op_count() < ops {
        let n = doc.op_count();
        if n % 4 != 0 && !notes.is_empty() {
            // Spread over every note written so far, not only the newest.
            let id = NoteId::from_op(&notes[(n * 7919) % notes.len()]);
            doc.execute(
                &Command::EditNote {
                    id,
                    text: format!("bewerkt {n}"),
                },
                F,
                T0 + 1_000,
            )?;
        } else {
            let board = if notes.len() % 2 == 0 {
                BoardKind::Brainstorm
            } else {
                BoardKind::Bears
            };
            let ops = doc.execute(
                &Command::AddNote {
                    board,
                    group: None,
                    category: None,
                    text: format!("idee {n} over samenwerken"),
                    colour: None,
                },
                F,
                T0 + 1_000,
            )?;
            notes.push(ops[0].id.clone());
        }
    }
    Ok(doc)
}

/// A relay that has never hosted a 25,000-op room opens it (first Hello to Welcome) well
/// under a second by replaying its log. Prints the median of several fresh relays:
/// `cargo test --release -p bijeen-relay --test postgres -- opens --nocapture`.
/// `BIJEEN_OPEN_OPS=25000,100000` measures those sizes in one run (the budget is for
/// 25,000 and below).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_25000_op_room_opens_on_a_fresh_relay_well_under_a_second() -> TestResult {
    let sizes: Vec<usize> = match std::env::var("BIJEEN_OPEN_OPS") {
        Ok(v) => v
            .split(',')
            .map(|n| n.trim().parse())
            .collect::<Result<_, _>>()?,
        Err(_) => vec![25_000],
    };
    let fx = Fixture::postgres()?;
    for ops_n in sizes {
        let median = open_room_on_fresh_relays(&fx, ops_n).await?;
        // Debug builds parse and allocate several times slower; the budget is for release.
        let budget = if cfg!(debug_assertions) {
            Duration::from_secs(3)
        } else {
            Duration::from_millis(500)
        };
        if ops_n <= 25_000 {
            assert!(median < budget, "median {median:?} over {budget:?}");
        }
    }
    Ok(())
}

/// Writes an `ops_n`-op room through one relay, then opens it on fresh relays; returns the
/// median time from Hello to Welcome.
async fn open_room_on_fresh_relays(fx: &Fixture, ops_n: usize) -> TestResult<Duration> {
    let limits = Limits {
        ops_per_second: 1_000_000,
        ops_burst: 1_000_000,
        ..Limits::default()
    };
    let writer = fx.start(limits.clone()).await?;
    let built = Instant::now();
    let doc = busy_room(ops_n)?;
    let all = all_ops(&doc);
    eprintln!(
        "{ops_n}-op room generated in {:.1} s",
        built.elapsed().as_secs_f64()
    );
    let created = create_room(writer.addr, all[..100].to_vec()).await?;
    let room = created.room_id.clone();
    let mut ws = WsClient::connect(writer.addr, &room).await?;
    ws.hello(
        &room,
        facilitator(&created.facilitator_key),
        &VersionVector::default(),
    )
    .await?;
    for chunk in all[100..].chunks(150) {
        let (acked, rejected) = ws.send_ops(chunk.to_vec()).await?;
        assert!(
            rejected.is_empty() && acked.len() == chunk.len(),
            "{rejected:?}"
        );
    }
    ws.close().await;
    writer.stop().await?;

    let mut times = Vec::new();
    for _ in 0..7 {
        let fresh = fx.start(limits.clone()).await?;
        let mut ws = WsClient::connect(fresh.addr, &room).await?;
        let started = Instant::now();
        let (welcome, ops) = ws
            .hello(
                &room,
                facilitator(&created.facilitator_key),
                doc.version_vector(),
            )
            .await?;
        times.push(started.elapsed());
        let ServerMsg::Welcome { server_vv, .. } = welcome else {
            return Err("no welcome".into());
        };
        assert_eq!(
            &server_vv,
            doc.version_vector(),
            "the opened room lacks ops"
        );
        assert!(ops.is_empty());
        ws.close().await;
        fresh.stop().await?;
    }
    // The rebuilt room is the room: a fresh console gets every op and the same workshop.
    let fresh = fx.start(limits.clone()).await?;
    let check = Client::console(
        fresh.addr,
        &room,
        &created.facilitator_key,
        Doc::new(ActorId::new("check")),
    )
    .await?;
    assert!(
        check.doc.workshop() == doc.workshop(),
        "the rebuilt room differs"
    );
    fresh.stop().await?;
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "opening a {ops_n}-op room on a fresh relay (replaying its log): median {:.1} ms (of {:?})",
        median.as_secs_f64() * 1000.0,
        times.iter().map(|t| t.as_millis()).collect::<Vec<_>>(),
    );
    Ok(median)
}

/// Schema 1 had a `snapshots` table; a relay of schema 2 drops it on start and serves the
/// rooms written before (and schema 3 adds the phone remote's table).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_migrates_schema_1_by_dropping_the_snapshot_rows() -> TestResult {
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(a.addr, all_ops(&fac)).await?;
    a.stop().await?;
    let db = fx.reader().await?;
    let StoreReader::Postgres(db) = &db else {
        return Err("not PostgreSQL".into());
    };
    // The database as a relay of schema 1 left it, snapshot row included.
    db.batch_execute(
        "CREATE TABLE snapshots (
            room_id text PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
            pos bigint NOT NULL,
            workshop text NOT NULL
        );
        INSERT INTO snapshots SELECT id, last_pos, '{}' FROM rooms;
        UPDATE bijeen_schema SET version = 1;",
    )
    .await?;
    let b = fx.start(Limits::default()).await?;
    let version: i32 = db
        .query_one("SELECT version FROM bijeen_schema", &[])
        .await?
        .get(0);
    assert_eq!(version, 3);
    let remotes = db
        .query("SELECT 1 FROM pg_tables WHERE tablename = 'remotes'", &[])
        .await?;
    assert_eq!(remotes.len(), 1, "no remotes table");
    let left = db
        .query("SELECT 1 FROM pg_tables WHERE tablename = 'snapshots'", &[])
        .await?;
    assert!(left.is_empty(), "the snapshots table is still there");
    let console = Client::console(
        b.addr,
        &created.room_id,
        &created.facilitator_key,
        Doc::new(ActorId::new("check")),
    )
    .await?;
    assert!(console.doc.workshop() == fac.workshop());
    Ok(())
}

/// A remote on relay B is cut off the moment the facilitator revokes its key on relay A,
/// and B refuses it afterwards: the key lives in the database, the news travels by NOTIFY.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_remote_on_one_relay_cuts_it_off_on_another() -> TestResult {
    use bijeen_protocol::{RemoteKey, RemoteRequest};
    let fx = Fixture::postgres()?;
    let a = fx.start(Limits::default()).await?;
    let b = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(a.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let key = RemoteKey::from_random([0x61; 32]);
    let set = |remote_key: Option<RemoteKey>| {
        serde_json::to_vec(&RemoteRequest {
            facilitator_key: created.facilitator_key.clone(),
            remote_key,
        })
    };
    let path = format!("/api/rooms/{room}/remote");
    let (status, _) = http(a.addr, "POST", &path, set(Some(key.clone()))?).await?;
    assert_eq!(status.as_u16(), 200);
    let credential = bijeen_protocol::Credential::Remote {
        actor: ActorId::new("phone"),
        secret: secret_for("phone"),
        key: key.clone(),
    };
    let mut phone = WsClient::connect(b.addr, &room).await?;
    phone
        .hello(&room, credential.clone(), &VersionVector::default())
        .await?;
    let (status, _) = http(a.addr, "POST", &path, set(None)?).await?;
    assert_eq!(status.as_u16(), 200);
    let code = loop {
        match phone.next(WAIT).await? {
            Some(ServerMsg::Error { code }) => break code,
            Some(_) => continue,
            None => return Err("closed without saying why".into()),
        }
    };
    assert_eq!(code, ErrorCode::RemoteRevoked);
    let mut again = WsClient::connect(b.addr, &room).await?;
    again
        .send(&bijeen_protocol::ClientMsg::Hello {
            protocol_version: bijeen_protocol::PROTOCOL_VERSION,
            room: room.clone(),
            credential,
            version_vector: VersionVector::default(),
            withheld: vec![],
        })
        .await?;
    match again.recv_skip_presence().await? {
        ServerMsg::Error { code } => assert_eq!(code, ErrorCode::RemoteRevoked),
        other => return Err(format!("expected a refusal, got {other:?}").into()),
    }
    Ok(())
}
