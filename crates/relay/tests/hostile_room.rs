//! An attacker with the join code and a client of their own, against a relay on 127.0.0.1
//! in this process. One test per promise of "who sees what" and "no single client can
//! break a room": each reads every frame the wire carries, not what an app would show.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use bijeen_core::op::{MetaField, ParticipantField};
use bijeen_core::{
    ActorId, BoardKind, Command, Doc, DomainError, Hlc, NoteId, Op, OpBody, OpId, ParticipantId,
    Role, VersionVector,
};
use bijeen_protocol::{
    Capacity, ClientMsg, Credential, ErrorCode, FacilitatorKey, RejectReason, RoomId, ServerMsg,
    WithheldRange,
};
use bijeen_relay::Limits;
use support::*;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

/// A Hello from a client that has nothing yet.
fn hello_msg(room: &RoomId, credential: Credential) -> ClientMsg {
    ClientMsg::Hello {
        protocol_version: bijeen_protocol::PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
        withheld: vec![],
    }
}

fn exec(doc: &mut Doc, cmd: Command, role: Role, at: i64) -> TestResult<Vec<Op>> {
    Ok(doc.execute(&cmd, role, at)?)
}

fn add_note(board: BoardKind, text: &str) -> Command {
    Command::AddNote {
        board,
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

/// A participant device: its replica, its connection, and the raw frames it has seen.
struct Device {
    doc: Doc,
    ws: WsClient,
    frames: Vec<String>,
    pseudonym: Option<ActorId>,
}

impl Device {
    async fn join(addr: std::net::SocketAddr, room: &RoomId, actor: &str) -> TestResult<Device> {
        let mut d = Device::connect(addr, room, actor, Doc::new(ActorId::new(actor))).await?;
        let ops = exec(
            &mut d.doc,
            Command::Join {
                name: format!("Naam van {actor}"),
                group: None,
            },
            P,
            T0 + 500,
        )?;
        let (acked, rejected) = d.ws.send_ops(ops).await?;
        assert_eq!((acked.len(), rejected.len()), (1, 0), "{rejected:?}");
        Ok(d)
    }

    async fn connect(
        addr: std::net::SocketAddr,
        room: &RoomId,
        actor: &str,
        mut doc: Doc,
    ) -> TestResult<Device> {
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
        let ServerMsg::Welcome { pseudonym, .. } = welcome else {
            return Err("no welcome".into());
        };
        if let Some(p) = &pseudonym {
            doc.set_pseudonym(p.clone());
        }
        receive_all(&mut doc, &ops_in(&frames))?;
        Ok(Device {
            doc,
            ws,
            frames,
            pseudonym,
        })
    }

    /// Run a command and send its ops; returns them.
    async fn act(&mut self, cmd: Command, at: i64) -> TestResult<Vec<Op>> {
        let ops = exec(&mut self.doc, cmd, P, at)?;
        let (_, rejected) = self.ws.send_ops(ops.clone()).await?;
        assert!(rejected.is_empty(), "{rejected:?}");
        Ok(ops)
    }

    /// Read everything queued for this device and apply it.
    async fn listen(&mut self) -> TestResult<Vec<String>> {
        let frames = self.ws.drain_frames().await?;
        receive_all(&mut self.doc, &ops_in(&frames))?;
        self.frames.extend(frames.iter().cloned());
        Ok(frames)
    }
}

/// The facilitator's console: its replica and connection.
struct Console {
    doc: Doc,
    ws: WsClient,
    frames: Vec<String>,
}

impl Console {
    async fn open(
        addr: std::net::SocketAddr,
        room: &RoomId,
        key: &FacilitatorKey,
        doc: Doc,
    ) -> TestResult<Console> {
        let mut ws = WsClient::connect(addr, room).await?;
        let (_, frames) = ws
            .hello_raw(
                room,
                facilitator(key),
                &doc.version_vector().clone(),
                vec![],
            )
            .await?;
        let mut c = Console { doc, ws, frames };
        let ops = ops_in(&c.frames);
        receive_all(&mut c.doc, &ops)?;
        Ok(c)
    }

    async fn act(&mut self, cmd: Command, at: i64) -> TestResult<Vec<Op>> {
        let ops = exec(&mut self.doc, cmd, F, at)?;
        let (_, rejected) = self.ws.send_ops(ops.clone()).await?;
        assert!(rejected.is_empty(), "{rejected:?}");
        Ok(ops)
    }

    async fn listen(&mut self) -> TestResult<Vec<String>> {
        let frames = self.ws.drain_frames().await?;
        receive_all(&mut self.doc, &ops_in(&frames))?;
        self.frames.extend(frames.iter().cloned());
        Ok(frames)
    }
}

/// How many times each op id arrived for real (placeholders not counted).
fn real_arrivals(frames: &[String]) -> BTreeMap<OpId, usize> {
    let mut n = BTreeMap::new();
    for op in ops_in(frames) {
        if !op.is_placeholder() {
            *n.entry(op.id).or_default() += 1;
        }
    }
    n
}

#[tokio::test]
async fn hidden_notes_reach_nobody_but_their_author_until_the_reveal_then_everyone_once()
-> TestResult {
    let fx = Fixture::new()?;
    let mut relay = fx.start_crowded(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    console
        .act(
            Command::SetHideUntilReveal {
                board: BoardKind::Brainstorm,
                hide: true,
            },
            T0 + 10,
        )
        .await?;

    let mut eve = Device::join(relay.addr, &room, "eve").await?;
    let mut writers = Vec::new();
    let mut secrets = Vec::new();
    let mut created_notes = Vec::new();
    for i in 0..5 {
        let mut d = Device::join(relay.addr, &room, &format!("w{i}")).await?;
        for k in 0..3 {
            let text = format!("geheim-{i}-{k}");
            let ops = d
                .act(add_note(BoardKind::Brainstorm, &text), T0 + 1_000)
                .await?;
            created_notes.push(ops[0].id.clone());
            secrets.push(text);
        }
        // An edit while hidden travels the same way.
        let first = NoteId::from_op(&created_notes[created_notes.len() - 3]);
        let text = format!("geheim-{i}-bewerkt");
        d.act(
            Command::EditNote {
                id: first,
                text: text.clone(),
            },
            T0 + 1_100,
        )
        .await?;
        secrets.push(text);
        writers.push(d);
    }
    // The author's own second tab sees her notes at once.
    let own_tab = Device::connect(relay.addr, &room, "w0", Doc::new(ActorId::new("w0"))).await?;
    assert!(
        secrets
            .iter()
            .filter(|s| s.starts_with("geheim-0-"))
            .all(|s| own_tab.frames.iter().any(|f| f.contains(s.as_str())))
    );

    let no_secret = |frames: &[String], who: &str| {
        for f in frames {
            for s in &secrets {
                assert!(!f.contains(s.as_str()), "{who} got {s:?} while hidden: {f}");
            }
        }
    };
    eve.listen().await?;
    no_secret(&eve.frames, "eve live");
    let late = Device::join(relay.addr, &room, "late").await?;
    no_secret(&late.frames, "a late joiner");
    // Placeholders keep every version vector whole.
    assert_eq!(
        eve.doc.version_vector().get(&ActorId::new("w3")),
        writers[3].doc.version_vector().get(&ActorId::new("w3"))
    );
    assert_eq!(eve.doc.placeholders().count(), 20);
    // Category, author and group of the hidden notes: not in any frame either.
    for op in ops_in(&eve.frames) {
        if created_notes.contains(&op.id) {
            assert!(op.is_placeholder(), "{op:?}");
        }
    }

    // After a restart, a new device still learns nothing.
    drop(eve.ws);
    drop(late.ws);
    for d in writers.drain(..) {
        drop(d.ws);
    }
    drop(own_tab.ws);
    drop(console.ws);
    relay.stop().await?;
    relay = fx.start_crowded(Limits::default()).await?;
    let after_restart = Device::join(relay.addr, &room, "nieuw").await?;
    no_secret(&after_restart.frames, "a device after a restart");
    let mut console =
        Console::open(relay.addr, &room, &created.facilitator_key, console.doc).await?;
    // Eve comes back with her placeholders while still hidden: nothing new for her.
    let mut eve = Device::connect(relay.addr, &room, "eve", eve.doc).await?;
    no_secret(&eve.frames, "eve after reconnecting");

    // The reveal: every note reaches eve exactly once, and her replica is whole.
    console
        .act(
            Command::Reveal {
                board: BoardKind::Brainstorm,
            },
            T0 + 2_000,
        )
        .await?;
    eve.listen().await?;
    let arrivals = real_arrivals(&eve.frames);
    for id in &created_notes {
        assert_eq!(arrivals.get(id), Some(&1), "{id} after the reveal");
    }
    assert_eq!(eve.doc.placeholders().count(), 0);
    for s in &secrets {
        let shown = eve
            .doc
            .workshop()
            .notes
            .values()
            .any(|n| n.text.as_str() == s.as_str());
        assert!(shown || s.ends_with("-0"), "{s} missing after the reveal");
    }
    // Late joiner after the reveal: everything, once.
    let latest = Device::join(relay.addr, &room, "laatst").await?;
    let arrivals = real_arrivals(&latest.frames);
    for id in &created_notes {
        assert_eq!(arrivals.get(id), Some(&1), "{id} for a late joiner");
    }
    // And the device that joined while hidden gets them on reconnect, once.
    let nieuw = after_restart;
    drop(nieuw.ws);
    let nieuw = Device::connect(relay.addr, &room, "nieuw", nieuw.doc).await?;
    let arrivals = real_arrivals(&nieuw.frames);
    for id in &created_notes {
        assert_eq!(arrivals.get(id), Some(&1), "{id} on reconnect");
    }
    assert_eq!(nieuw.doc.placeholders().count(), 0);
    console.listen().await?;
    relay.stop().await
}

#[tokio::test]
async fn anonymous_bears_cannot_be_tied_to_anyone_by_any_frame_or_the_log() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    let mut eve = Device::join(relay.addr, &room, "eve").await?;

    let mut people = Vec::new();
    let mut bears = Vec::new();
    for i in 0..4 {
        let mut d = Device::join(relay.addr, &room, &format!("p{i}")).await?;
        let pseudonym = d.pseudonym.clone().ok_or("no pseudonym in the welcome")?;
        assert_ne!(pseudonym.as_str(), format!("p{i}"));
        d.act(add_note(BoardKind::Brainstorm, "Buurthuis"), T0 + 900)
            .await?;
        for k in 0..2 {
            let ops = d
                .act(
                    add_note(BoardKind::Bears, &format!("zorg {i}.{k}")),
                    T0 + 1_000,
                )
                .await?;
            assert_eq!(ops[0].id.actor, pseudonym);
            bears.push(NoteId::from_op(&ops[0].id));
        }
        // Edit one, withdraw the other.
        let n = bears.len();
        d.act(
            Command::EditNote {
                id: bears[n - 2].clone(),
                text: format!("zorg {i} anders"),
            },
            T0 + 1_100,
        )
        .await?;
        d.act(Command::DeleteNote(bears[n - 1].clone()), T0 + 1_200)
            .await?;
        people.push(d);
    }
    // Stack one bear on another, reveal, vote.
    console.listen().await?;
    console
        .act(
            Command::StackNote {
                id: bears[2].clone(),
                onto: bears[0].clone(),
            },
            T0 + 1_300,
        )
        .await?;
    console
        .act(
            Command::SetBearPhase(bijeen_core::BearPhase::Vote),
            T0 + 1_400,
        )
        .await?;
    for d in &mut people {
        d.listen().await?;
        let ops = d
            .act(
                Command::CastVote {
                    note: bears[4].clone(),
                },
                T0 + 1_500,
            )
            .await?;
        assert_eq!(Some(&ops[0].id.actor), d.pseudonym.as_ref());
    }
    console.listen().await?;
    eve.listen().await?;

    let joined: BTreeSet<String> = console
        .doc
        .workshop()
        .participants
        .keys()
        .map(|p| p.as_str().to_owned())
        .collect();
    let pseudonyms: BTreeSet<String> = people
        .iter()
        .filter_map(|d| d.pseudonym.as_ref().map(|p| p.to_string()))
        .collect();
    assert_eq!(joined.len(), 5);
    for p in &pseudonyms {
        assert!(!joined.contains(p));
    }
    // No frame the facilitator or eve received holds a pseudonym's op and a named op.
    for (who, frames) in [("the console", &console.frames), ("eve", &eve.frames)] {
        for f in frames.iter() {
            let Ok(ServerMsg::Ops { ops }) = ServerMsg::from_json(f) else {
                continue;
            };
            let actors: BTreeSet<String> = ops.iter().map(|o| o.id.actor.to_string()).collect();
            let anonymous = actors.iter().any(|a| pseudonyms.contains(a));
            let named = actors.iter().any(|a| joined.contains(a));
            assert!(
                !(anonymous && named),
                "{who} got a frame tying a bear to a name: {f}"
            );
        }
    }
    // In the relay's log every bear op (create, edit, withdraw, vote) is a pseudonym's,
    // and the pseudonym does nothing else.
    let log = console.doc.ops().cloned().collect::<Vec<_>>();
    for op in &log {
        let bear = op
            .concerns_note()
            .and_then(|n| console.doc.workshop().notes.get(&n))
            .is_some_and(|n| n.board == BoardKind::Bears);
        let by_pseudonym = pseudonyms.contains(op.id.actor.as_str());
        if bear && !op.id.actor.as_str().starts_with("fac") {
            assert!(by_pseudonym, "a bear op under a name: {op:?}");
        }
        if by_pseudonym {
            assert!(bear, "a pseudonym did something else: {op:?}");
        }
    }
    for b in &bears {
        for name in &joined {
            assert!(!b.as_str().contains(name.as_str()), "{b} names {name}");
        }
    }
    // The facilitator's export says no more.
    let export = bijeen_core::export::export_json(&console.doc, "t");
    for p in &people {
        let me = p.doc.actor().as_str();
        for b in &bears {
            let n = console.doc.workshop().notes.get(b).ok_or("bear")?;
            assert_ne!(n.author.as_str(), me);
        }
        assert!(export.contains(me), "named activity of {me} is exported");
    }
    // The relay stores secrets for named actors only, and nothing naming a pseudonym's owner.
    let bound = fx.reader().await?.bound_actors().await?;
    assert!(!bound.is_empty(), "the named actors' secrets are stored");
    assert!(bound.iter().all(|a| !pseudonyms.contains(a)));

    // Under one's own name, or someone else's pseudonym, no bear gets in.
    let p0 = &mut people[0];
    let named_bear = Op {
        id: OpId {
            actor: p0.doc.actor().clone(),
            seq: p0.doc.version_vector().get(p0.doc.actor()) + 1,
        },
        hlc: Hlc {
            wall_ms: T0 + 2_000,
            counter: 0,
        },
        body: OpBody::SetNote {
            id: bears[0].clone(),
            field: bijeen_core::op::NoteField::Text("x".into()),
        },
    };
    let (_, rejected) = p0.ws.send_ops(vec![named_bear]).await?;
    assert!(
        matches!(rejected[0].1, RejectReason::Forbidden { .. }),
        "{rejected:?}"
    );
    let other = people[1].pseudonym.clone().ok_or("pseudonym")?;
    let forged = Op {
        id: OpId {
            actor: other.clone(),
            seq: 99,
        },
        hlc: Hlc {
            wall_ms: T0 + 2_000,
            counter: 0,
        },
        body: OpBody::SetNote {
            id: bears[2].clone(),
            field: bijeen_core::op::NoteField::Deleted(true),
        },
    };
    let (_, rejected) = people[0].ws.send_ops(vec![forged]).await?;
    assert!(
        matches!(rejected[0].1, RejectReason::NotYourActor { .. }),
        "{rejected:?}"
    );
    // A pseudonym cannot be claimed as a device of its own.
    let mut thief = WsClient::connect(relay.addr, &room).await?;
    thief
        .send(&hello_msg(&room, participant(other.as_str())))
        .await?;
    assert_eq!(
        thief.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    relay.stop().await
}

#[tokio::test]
async fn a_clock_from_the_far_future_is_refused_and_the_facilitators_rename_holds() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    let mut mallory = Device::join(relay.addr, &room, "mallory").await?;
    let me = ParticipantId::from("mallory");
    let mut poisoned = Vec::new();
    for (k, wall_ms) in [i64::MAX, -5, now() + 10 * 60_000].into_iter().enumerate() {
        poisoned.push(Op {
            id: OpId {
                actor: ActorId::new("mallory"),
                seq: 2 + k as u64,
            },
            hlc: Hlc {
                wall_ms,
                counter: u32::MAX,
            },
            body: OpBody::SetParticipant {
                id: me.clone(),
                field: ParticipantField::Name(format!("Ik win altijd {k}")),
            },
        });
    }
    let (acked, rejected) = mallory.ws.send_ops(poisoned).await?;
    assert!(acked.is_empty());
    assert_eq!(rejected.len(), 3);
    for (_, reason) in &rejected {
        assert_eq!(
            reason,
            &RejectReason::ClockAhead {
                max_ahead_ms: 60_000
            }
        );
    }
    // The facilitator, from a console and from a second window, at an honest time.
    console.listen().await?;
    console
        .act(
            Command::RenameParticipant {
                id: me.clone(),
                name: "Mallory (hernoemd)".into(),
            },
            now(),
        )
        .await?;
    let second = Doc::new(ActorId::new("fac2"));
    let mut window = Console::open(relay.addr, &room, &created.facilitator_key, second).await?;
    window
        .act(
            Command::SetTitle("Titel uit het tweede venster".into()),
            now(),
        )
        .await?;
    let late = Device::join(relay.addr, &room, "later").await?;
    let w = late.doc.workshop();
    assert_eq!(
        w.participant(&me).map(|p| p.name.as_str()),
        Some("Mallory (hernoemd)")
    );
    assert_eq!(w.meta.title.as_str(), "Titel uit het tweede venster");
    // A facilitator connection is held to the same clock.
    let ahead = Op {
        id: OpId {
            actor: ActorId::new("fac2"),
            seq: 50,
        },
        hlc: Hlc {
            wall_ms: now() + 3_600_000,
            counter: 0,
        },
        body: OpBody::SetMeta(MetaField::Title("Later".into())),
    };
    let (_, rejected) = window.ws.send_ops(vec![ahead]).await?;
    assert!(matches!(rejected[0].1, RejectReason::ClockAhead { .. }));
    relay.stop().await
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn reconnecting_does_not_refill_the_rate_limit() -> TestResult {
    let fx = Fixture::new()?;
    let limits = Limits {
        ops_per_second: 2,
        ops_burst: 5,
        ..Limits::default()
    };
    // The per-address limit on new connections would stop this attacker too; what is
    // tested here is the room's own limit, for an attacker with many addresses.
    let relay = fx.start_crowded(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut p = Device::join(relay.addr, &room, "spam").await?;
    let started = Instant::now();
    let mut stored = 1; // the join
    let mut limited = 0;
    while started.elapsed() < Duration::from_secs(3) {
        let ops = exec(
            &mut p.doc,
            add_note(BoardKind::Brainstorm, "x"),
            P,
            T0 + 1_000,
        )?;
        p.ws.send(&ClientMsg::Ops { ops }).await?;
        match p.ws.recv_skip_presence().await? {
            ServerMsg::Ack { op_ids } => stored += op_ids.len(),
            ServerMsg::Error {
                code: ErrorCode::RateLimited { .. },
            } => {
                limited += 1;
                // What a bypass looked like: a fresh connection for a fresh bucket.
                drop(p.ws);
                p = Device::connect(relay.addr, &room, "spam", p.doc).await?;
            }
            other => return Err(format!("{other:?}").into()),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let allowed = 5.0 + 2.0 * elapsed + 1.0;
    eprintln!(
        "rate limit: {stored} ops stored in {elapsed:.1} s ({:.1}/s) across {limited} reconnects, limit 2/s + 5",
        stored as f64 / elapsed
    );
    assert!(limited > 0);
    assert!(
        (stored as f64) <= allowed,
        "{stored} ops stored in {elapsed:.1} s with reconnects (limit {allowed:.0})"
    );
    relay.stop().await
}

#[tokio::test]
async fn a_full_room_still_lets_the_facilitator_in_and_says_so_retryably() -> TestResult {
    let fx = Fixture::new()?;
    let limits = Limits {
        max_participants: 2,
        max_connections_per_actor: 3,
        ..Limits::default()
    };
    let relay = fx.start_crowded(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    // Sockets that never say Hello count for nothing.
    let mut silent = Vec::new();
    for _ in 0..100 {
        silent.push(WsClient::connect(relay.addr, &room).await?);
    }
    // Participant connections fill the room (limit + headroom of 50).
    let mut held = Vec::new();
    for i in 0..52 {
        let mut ws = WsClient::connect(relay.addr, &room).await?;
        ws.hello(
            &room,
            participant(&format!("x{i}")),
            &VersionVector::default(),
        )
        .await?;
        held.push(ws);
    }
    let mut one_more = WsClient::connect(relay.addr, &room).await?;
    one_more
        .send(&hello_msg(&room, participant("x999")))
        .await?;
    let refusal = one_more.recv_skip_presence().await?;
    let ServerMsg::Error { code } = refusal else {
        return Err(format!("{refusal:?}").into());
    };
    assert_eq!(code, ErrorCode::RoomFull { max: 2 });
    assert!(!code.is_fatal(), "a full room is worth trying again");
    assert!(
        one_more.next(WAIT).await?.is_none(),
        "and the socket is closed"
    );
    // The facilitator always gets in.
    let mut console = WsClient::connect(relay.addr, &room).await?;
    let (welcome, _) = console
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    assert!(matches!(welcome, ServerMsg::Welcome { .. }));
    // One device may not take every place with its own sockets either.
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut tabs = Vec::new();
    for _ in 0..3 {
        let mut ws = WsClient::connect(relay.addr, &room).await?;
        ws.hello(&room, participant("greedy"), &VersionVector::default())
            .await?;
        tabs.push(ws);
    }
    let mut fourth = WsClient::connect(relay.addr, &room).await?;
    fourth
        .send(&hello_msg(&room, participant("greedy")))
        .await?;
    assert!(matches!(
        fourth.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::RoomFull { .. }
        }
    ));
    drop(silent);
    relay.stop().await
}

#[tokio::test]
async fn a_room_holds_at_most_its_ops_and_actors() -> TestResult {
    let fx = Fixture::new()?;
    let fac = facilitator_doc()?;
    let base = all_ops(&fac).len() as u32;
    let limits = Limits {
        max_ops_per_room: base + 5,
        max_actors_per_room: 3,
        ..Limits::default()
    };
    let relay = fx.start(limits).await?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    // New actors: the room has "fac"; two more fit.
    let mut ops = Vec::new();
    for (i, actor) in ["a1", "a2", "a3"].into_iter().enumerate() {
        ops.push(Op {
            id: OpId {
                actor: ActorId::new(actor),
                seq: 1,
            },
            hlc: Hlc {
                wall_ms: T0 + i as i64,
                counter: 0,
            },
            body: OpBody::SetMeta(MetaField::Title(format!("t{i}"))),
        });
    }
    let (acked, rejected) = console.ws.send_ops(ops).await?;
    assert_eq!(acked.len(), 2);
    assert_eq!(
        rejected[0].1,
        RejectReason::RoomCapacity {
            what: Capacity::Actors,
            max: 3
        }
    );
    // Ops: three more fit (two went above).
    let mut ops = Vec::new();
    for i in 0..5 {
        ops.extend(exec(
            &mut console.doc,
            Command::SetTitle(format!("titel {i}")),
            F,
            T0 + 100 + i,
        )?);
    }
    let (acked, rejected) = console.ws.send_ops(ops).await?;
    assert_eq!(acked.len(), 3);
    assert!(rejected.iter().all(|(_, r)| *r
        == RejectReason::RoomCapacity {
            what: Capacity::Ops,
            max: base + 5
        }));
    relay.stop().await
}

#[tokio::test]
async fn actor_ids_must_be_short_and_plain() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    for actor in ["x".repeat(60_000), "a\u{7}b".to_owned(), String::new()] {
        let mut ws = WsClient::connect(relay.addr, &room).await?;
        ws.send(&hello_msg(
            &room,
            Credential::Participant {
                actor: ActorId::new(actor.clone()),
                secret: secret_for("s"),
            },
        ))
        .await?;
        let answer = ws.recv_skip_presence().await?;
        assert!(
            matches!(
                answer,
                ServerMsg::Error {
                    code: ErrorCode::Malformed { .. } | ErrorCode::MessageTooLarge { .. }
                }
            ),
            "{} chars: {answer:?}",
            actor.len()
        );
    }
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    let odd = Op {
        id: OpId {
            actor: ActorId::new("kwaad\ndeel"),
            seq: 1,
        },
        hlc: Hlc {
            wall_ms: T0,
            counter: 0,
        },
        body: OpBody::SetMeta(MetaField::Title("x".into())),
    };
    let (_, rejected) = console.ws.send_ops(vec![odd]).await?;
    assert_eq!(rejected[0].1, RejectReason::BadActor);
    relay.stop().await
}

#[tokio::test]
async fn bad_frames_get_the_right_close_code_and_a_close_is_answered() -> TestResult {
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();

    let mut ws = WsClient::connect(relay.addr, &room).await?;
    let not_utf8 = Frame::message(vec![0x66, 0xff, 0xfe, 0x6f], OpCode::Data(Data::Text), true);
    ws.send_message(Message::Frame(not_utf8)).await?;
    let mut code = None;
    while let Some(m) = ws.next_message(WAIT).await? {
        if let Message::Close(Some(frame)) = m {
            code = Some(frame.code);
            break;
        }
    }
    assert_eq!(
        code,
        Some(CloseCode::Invalid),
        "1007 for a text frame that is not UTF-8"
    );

    let mut ws = WsClient::connect(relay.addr, &room).await?;
    ws.hello(&room, participant("netjes"), &VersionVector::default())
        .await?;
    ws.send_message(Message::Close(None)).await?;
    let mut answered = false;
    while let Ok(Some(m)) = ws.next_message(WAIT).await {
        if matches!(m, Message::Close(_)) {
            answered = true;
            break;
        }
    }
    assert!(answered, "the relay answers a close frame");
    relay.stop().await
}

#[tokio::test]
async fn a_connection_that_goes_silent_is_closed_and_leaves_the_presence_count() -> TestResult {
    let fx = Fixture::new()?;
    let limits = Limits {
        ws_idle_secs: 1,
        ..Limits::default()
    };
    let relay = fx.start(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = WsClient::connect(relay.addr, &room).await?;
    console
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    let mut gone = WsClient::connect(relay.addr, &room).await?;
    gone.hello(&room, participant("weg"), &VersionVector::default())
        .await?;
    // `gone` stops reading (so it answers no ping) while the console keeps talking. The
    // console hears the count in order: 1 (itself, possibly only after its catch-up), 2
    // (`gone` came in), then 1 once `gone` is closed. Taking the first 1 for the drop
    // would read `gone` while the relay still pings it, and answering keeps it alive.
    let started = Instant::now();
    let mut counts = Vec::new();
    while counts.last() != Some(&1) || !counts.contains(&2) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "presence never dropped back to 1: {counts:?}"
        );
        console.send(&ClientMsg::Ping { client_time_ms: 1 }).await?;
        if let Some(ServerMsg::Presence { online }) = console.next(WAIT).await? {
            counts.push(online);
        }
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    // Its socket is closed (the relay's last words, an `idle` error, may be lost with it:
    // the kernel drops unread data when the closed socket is written to).
    assert!(
        gone.ends_within(WAIT).await,
        "the silent socket is still open"
    );
    relay.stop().await
}

#[tokio::test]
async fn sockets_that_never_read_cost_no_copy_of_a_big_room() -> TestResult {
    let fx = Fixture::new()?;
    let limits = Limits {
        ops_per_second: 100_000,
        ops_burst: 100_000,
        ..Limits::default()
    };
    let relay = fx.start_crowded(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    let long = "Een lange notitie over netwerkpartners in de bibliotheek. ".repeat(3);
    // 1,000 notes edited 19 times each: 20,000 ops.
    let mut batch = Vec::new();
    let mut notes: Vec<NoteId> = Vec::new();
    for i in 0..20_000 {
        let cmd = if i < 1_000 {
            add_note(BoardKind::Brainstorm, &format!("{i} {long}"))
        } else {
            Command::EditNote {
                id: notes[i as usize % 1_000].clone(),
                text: format!("{i} {long}"),
            }
        };
        let ops = exec(&mut console.doc, cmd, F, T0 + i)?;
        if i < 1_000 {
            notes.push(NoteId::from_op(&ops[0].id));
        }
        batch.extend(ops);
        if batch.len() == 100 {
            console.ws.send_ops(std::mem::take(&mut batch)).await?;
        }
    }
    let before = rss_mb()?;
    let mut sockets = Vec::new();
    for i in 0..100 {
        let mut ws = WsClient::connect(relay.addr, &room).await?;
        ws.send(&hello_msg(&room, participant(&format!("lui{i}"))))
            .await?;
        sockets.push(ws);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_mb()?;
    eprintln!(
        "non-reading sockets: test process RSS {before:.0} -> {after:.0} MB for 100 sockets on 20,000 ops"
    );
    // Each used to get its own copy of the log (~12 MB of ops here).
    assert!(
        after - before < 80.0,
        "RSS grew {before:.0} -> {after:.0} MB for 100 sockets that never read"
    );
    // Once their sends have timed out, they no longer count as in the room: a socket that
    // fails during its catch-up must give its place back, or a room fills with ghosts.
    // Each send gives up after SEND_TIMEOUT (10 s) once it blocks; on a loaded machine the
    // hundred catch-ups take a few seconds more to block, so the count is polled for.
    let started = Instant::now();
    let online = loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut check = WsClient::connect(relay.addr, &room).await?;
        let (welcome, _) = check
            .hello(
                &room,
                facilitator(&created.facilitator_key),
                &console.doc.version_vector().clone(),
            )
            .await?;
        let ServerMsg::Welcome { online, .. } = welcome else {
            return Err("no welcome".into());
        };
        check.close().await;
        if online <= 3 || started.elapsed() > Duration::from_secs(40) {
            break online;
        }
    };
    assert!(
        online <= 3,
        "{online} connections counted 40 s after the non-readers stopped reading"
    );
    // A reader still gets all of it, in order, with a contiguous vector.
    let mut reader = WsClient::connect(relay.addr, &room).await?;
    let (_, ops) = reader
        .hello(&room, participant("leest"), &VersionVector::default())
        .await?;
    let mut doc = Doc::new(ActorId::new("leest"));
    receive_all(&mut doc, &ops)?;
    assert_eq!(doc.version_vector(), console.doc.version_vector());
    drop(sockets);
    relay.stop().await
}

/// This process's resident memory in MB.
fn rss_mb() -> TestResult<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("no VmRSS")?;
    Ok(kb / 1024.0)
}

#[tokio::test]
async fn probing_for_hidden_notes_gets_the_same_answer_as_for_none() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut console = Console::open(relay.addr, &room, &created.facilitator_key, fac).await?;
    console
        .act(
            Command::SetHideUntilReveal {
                board: BoardKind::Brainstorm,
                hide: true,
            },
            T0 + 10,
        )
        .await?;
    let mut bob = Device::join(relay.addr, &room, "bob").await?;
    let ops = bob
        .act(add_note(BoardKind::Brainstorm, "verborgen"), T0 + 20)
        .await?;
    let hidden = NoteId::from_op(&ops[0].id);
    let mut eve = Device::join(relay.addr, &room, "eve").await?;
    let seq = eve.doc.version_vector().get(&ActorId::new("eve"));
    let probe = |id: NoteId, seq: u64| Op {
        id: OpId {
            actor: ActorId::new("eve"),
            seq,
        },
        hlc: Hlc {
            wall_ms: T0 + 30,
            counter: 0,
        },
        body: OpBody::SetNote {
            id,
            field: bijeen_core::op::NoteField::Text("hoi".into()),
        },
    };
    let (_, r1) = eve.ws.send_ops(vec![probe(hidden, seq + 1)]).await?;
    let (_, r2) = eve
        .ws
        .send_ops(vec![probe(NoteId::from("bob-77"), seq + 2)])
        .await?;
    let unknown = RejectReason::Forbidden {
        error: DomainError::UnknownNote,
    };
    assert_eq!(r1[0].1, unknown);
    assert_eq!(r2[0].1, unknown);
    relay.stop().await
}
