//! Rooms over real WebSockets against a relay on 127.0.0.1 (port 0) in this process.

mod support;

use std::time::Duration;

use bijeen_core::{
    ActorId, BoardKind, Command, Doc, DomainError, NoteId, Op, OpBody, OpId, Role, VersionVector,
};
use bijeen_protocol::{
    ClientMsg, ErrorCode, FacilitatorKey, JoinCode, PROTOCOL_VERSION, RejectReason, RoomId,
    ServerMsg,
};
use bijeen_relay::Limits;
use hyper::StatusCode;
use support::*;

fn note(doc: &mut Doc, text: &str) -> TestResult<Vec<Op>> {
    Ok(doc.execute(
        &Command::AddNote {
            board: BoardKind::Brainstorm,
            group: None,
            category: None,
            text: text.into(),
            colour: None,
        },
        Role::Participant,
        T0 + 1_000,
    )?)
}

fn join_cmd(doc: &mut Doc, name: &str) -> TestResult<Vec<Op>> {
    Ok(doc.execute(
        &Command::Join {
            name: name.into(),
            group: None,
        },
        Role::Participant,
        T0 + 500,
    )?)
}

fn receive_all(doc: &mut Doc, ops: &[Op]) -> TestResult {
    for op in ops {
        doc.receive(op)?;
    }
    Ok(())
}

/// A participant that has caught up and joined; returns its doc and connection.
async fn joined_participant(
    addr: std::net::SocketAddr,
    room: &RoomId,
    actor: &str,
) -> TestResult<(Doc, WsClient)> {
    let mut doc = Doc::new(ActorId::new(actor));
    let mut ws = WsClient::connect(addr, room).await?;
    let (_, ops) = ws
        .hello(room, participant(actor), doc.version_vector())
        .await?;
    receive_all(&mut doc, &ops)?;
    let ops = join_cmd(&mut doc, actor)?;
    let (acked, rejected) = ws.send_ops(ops).await?;
    assert_eq!((acked.len(), rejected.len()), (1, 0), "{rejected:?}");
    Ok((doc, ws))
}

#[tokio::test]
async fn create_join_by_code_and_catch_up_both_ways() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let mut fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    assert_eq!(created.room_id.as_str().len(), 32);

    // The code as people type it finds the room; a wrong one does not.
    let code = created.join_code.as_str().to_lowercase();
    let typed = format!("{}-{}", &code[..3], &code[3..]);
    assert_eq!(join(relay.addr, &typed).await?, created.room_id);
    let (status, _) = http(relay.addr, "GET", "/api/join/ZZZZZZ", vec![]).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let room = created.room_id.clone();
    let mut console = WsClient::connect(relay.addr, &room).await?;
    let (welcome, ops) = console
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            fac.version_vector(),
        )
        .await?;
    assert!(ops.is_empty(), "the facilitator already has everything");
    match welcome {
        ServerMsg::Welcome {
            role,
            join_code,
            server_vv,
            online,
            ..
        } => {
            assert_eq!(role, Role::Facilitator);
            assert_eq!(join_code, created.join_code);
            assert_eq!(&server_vv, fac.version_vector());
            assert_eq!(online, 1);
        }
        other => return Err(format!("{other:?}").into()),
    }

    // A new participant gets the whole workshop.
    let mut p = Doc::new(ActorId::new("p1"));
    let mut ws = WsClient::connect(relay.addr, &room).await?;
    let (_, ops) = ws
        .hello(&room, participant("p1"), p.version_vector())
        .await?;
    assert_eq!(ops.len(), fac.op_count());
    receive_all(&mut p, &ops)?;
    assert_eq!(p.workshop(), fac.workshop());
    ws.close().await;

    // Both write while the participant is offline.
    let fac_ops = fac.execute(
        &Command::SetTitle("Netwerken".into()),
        Role::Facilitator,
        T0,
    )?;
    let (acked, _) = console.send_ops(fac_ops).await?;
    assert_eq!(acked.len(), 1);
    let mut offline = join_cmd(&mut p, "Anna")?;
    offline.extend(note(&mut p, "bibliotheek + school")?);
    offline.extend(note(&mut p, "leesclub")?);

    // Reconnect: the relay sends what p lacks, p sends what the relay lacks.
    let mut ws = WsClient::connect(relay.addr, &room).await?;
    let (welcome, ops) = ws
        .hello(&room, participant("p1"), p.version_vector())
        .await?;
    assert_eq!(ops.len(), 1, "only the new title");
    receive_all(&mut p, &ops)?;
    let ServerMsg::Welcome { server_vv, .. } = welcome else {
        return Err("no welcome".into());
    };
    let lacking = p.missing_for(&server_vv);
    assert_eq!(lacking, offline);
    let (acked, rejected) = ws.send_ops(lacking).await?;
    assert_eq!((acked.len(), rejected.len()), (3, 0), "{rejected:?}");

    // The console got them, forwarded, and everyone converges.
    let mut got = Vec::new();
    while got.len() < 3 {
        if let ServerMsg::Ops { ops } = console.recv().await? {
            got.extend(ops);
        }
    }
    receive_all(&mut fac, &got)?;
    assert_eq!(p.workshop(), fac.workshop());
    assert_eq!(
        fac.workshop().notes_in_order(BoardKind::Brainstorm).len(),
        2
    );
    relay.stop().await
}

#[tokio::test]
async fn ops_are_forwarded_only_once_committed() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut projector = WsClient::connect(relay.addr, &room).await?;
    projector
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            fac.version_vector(),
        )
        .await?;
    let (mut p, mut ws) = joined_participant(relay.addr, &room, "p1").await?;
    // SQLite or PostgreSQL, whichever the relay writes to.
    let db = fx.reader().await?;
    let mut seen = 0;
    for i in 0..20 {
        let ops = note(&mut p, &format!("idee {i}"))?;
        let want = ops[0].id.clone();
        ws.send(&ClientMsg::Ops { ops }).await?;
        // The moment the projector sees an op, it must already be in the database.
        let mut arrived = false;
        while !arrived {
            if let ServerMsg::Ops { ops } = projector.recv().await? {
                for op in ops {
                    let stored = db.op_count(&room, op.id.actor.as_str(), op.id.seq).await?;
                    assert_eq!(stored, 1, "{} forwarded before it was stored", op.id);
                    arrived |= op.id == want;
                    seen += 1;
                }
            }
        }
    }
    assert_eq!(seen, 21, "the join and 20 notes");
    relay.stop().await
}

#[tokio::test]
async fn unauthorised_ops_are_rejected_and_nobody_sees_them() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut projector = WsClient::connect(relay.addr, &room).await?;
    projector
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            fac.version_vector(),
        )
        .await?;

    let (mut p2, mut ws2) = joined_participant(relay.addr, &room, "p2").await?;
    let p2_note = note(&mut p2, "van p2")?;
    let p2_note_id = NoteId::from_op(&p2_note[0].id);
    ws2.send_ops(p2_note).await?;
    let (mut p1, mut ws1) = joined_participant(relay.addr, &room, "p1").await?;
    receive_all(&mut p1, &ws1.drain_ops().await?)?;
    projector.drain_ops().await?;
    ws2.drain_ops().await?;

    // 1. Forging another author: an op stamped as p2, sent by p1.
    let mut forged = note(&mut p2.clone(), "namens p2")?;
    forged[0].id.seq += 50;
    // 2. Starting the timer: a hacked client that claims the facilitator role locally
    // (decide would refuse a participant).
    let timer = p1.execute(&Command::StartWorkshop, Role::Facilitator, T0)?;
    // 3. Deleting p2's note.
    let delete = p1.execute(&Command::DeleteNote(p2_note_id), Role::Facilitator, T0)?;
    let bad = [forged, timer, delete].concat();
    let bad_ids: Vec<OpId> = bad.iter().map(|o| o.id.clone()).collect();
    let (acked, rejected) = ws1.send_ops(bad).await?;
    assert!(acked.is_empty(), "{acked:?}");
    let reasons: Vec<RejectReason> = rejected.into_iter().map(|(_, r)| r).collect();
    assert_eq!(reasons.len(), bad_ids.len());
    assert_eq!(
        reasons[0],
        RejectReason::NotYourActor {
            actor: ActorId::new("p1")
        }
    );
    // Starting the workshop is a few ops (timer, block start), all refused.
    for r in &reasons[1..reasons.len() - 1] {
        assert_eq!(
            r,
            &RejectReason::Forbidden {
                error: DomainError::NotAllowedForRole
            }
        );
    }
    assert_eq!(
        reasons[reasons.len() - 1],
        RejectReason::Forbidden {
            error: DomainError::NotYourNote
        }
    );

    // A legitimate op afterwards is the next thing with content the others see: the
    // rejected ones were never forwarded (fan-out is in order), only refusal markers
    // for the sender's own numbers, which carry nothing of the refused op.
    let good = note(&mut p1, "mag wel")?;
    let (acked, _) = ws1.send_ops(good.clone()).await?;
    assert_eq!(acked, vec![good[0].id.clone()]);
    for observer in [&mut projector, &mut ws2] {
        loop {
            match observer.recv_skip_presence().await? {
                ServerMsg::Ops { ops } if ops.iter().all(Op::is_refusal) => {
                    assert!(ops.iter().all(|o| bad_ids[1..].contains(&o.id)), "{ops:?}");
                }
                ServerMsg::Ops { ops } => {
                    assert_eq!(ops, good);
                    break;
                }
                other => return Err(format!("expected the good op, got {other:?}").into()),
            }
        }
    }
    // And they are not stored: a fresh client's catch-up has only their markers, and
    // nothing at all for the forged id of another actor.
    let mut late = WsClient::connect(relay.addr, &room).await?;
    let (_, all) = late
        .hello(&room, participant("late"), &VersionVector::default())
        .await?;
    assert!(
        all.iter()
            .filter(|o| bad_ids.contains(&o.id))
            .all(Op::is_refusal)
    );
    assert!(all.iter().all(|o| o.id != bad_ids[0]));
    assert!(all.iter().any(|o| o.id == good[0].id));
    relay.stop().await
}

#[tokio::test]
async fn a_refused_op_leaves_a_refusal_marker_so_every_version_vector_stays_contiguous()
-> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let (mut p1, mut ws1) = joined_participant(relay.addr, &room, "p1").await?;
    // A hacked client starts the workshop (facilitator only), then adds a fine note.
    let bad = p1.execute(&Command::StartWorkshop, Role::Facilitator, T0)?;
    let good = note(&mut p1, "mag wel")?;
    let (acked, rejected) = ws1.send_ops([bad.clone(), good.clone()].concat()).await?;
    assert_eq!(acked, vec![good[0].id.clone()], "markers are not acked");
    assert_eq!(rejected.len(), bad.len());
    // The sender retracts what was refused: its timer never started.
    assert!(p1.workshop().timer.current.is_some());
    for (id, _) in &rejected {
        assert!(p1.refuse(id));
    }
    assert!(p1.workshop().timer.current.is_none());

    // A fresh client gets a log without a gap: the refused numbers are markers.
    let mut late = WsClient::connect(relay.addr, &room).await?;
    let (welcome, all) = late
        .hello(&room, participant("late"), &VersionVector::default())
        .await?;
    let me = ActorId::new("p1");
    let ServerMsg::Welcome { server_vv, .. } = welcome else {
        return Err("no welcome".into());
    };
    assert_eq!(
        server_vv.get(&me),
        good[0].id.seq,
        "the relay's vector passes the gap"
    );
    let mut late_doc = Doc::new(ActorId::new("late"));
    receive_all(&mut late_doc, &all)?;
    assert_eq!(late_doc.version_vector().get(&me), good[0].id.seq);
    for b in &bad {
        let stored = all.iter().find(|o| o.id == b.id).ok_or("marker missing")?;
        assert_eq!(stored, &Op::refusal_of(b));
    }
    // Sender and everyone else agree on state and vectors.
    assert_eq!(late_doc.workshop(), p1.workshop());
    assert_eq!(late_doc.version_vector(), p1.version_vector());
    // And the sender, reconnecting, owes the relay nothing.
    let (welcome, _) = WsClient::connect(relay.addr, &room)
        .await?
        .hello(&room, participant("p1"), p1.version_vector())
        .await?;
    let ServerMsg::Welcome { server_vv, .. } = welcome else {
        return Err("no welcome".into());
    };
    assert!(p1.missing_for(&server_vv).is_empty());
    relay.stop().await
}

#[tokio::test]
async fn credentials_are_checked() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let none = VersionVector::default();

    let expect_error = |want: ErrorCode| {
        move |msg: ServerMsg| match msg {
            ServerMsg::Error { code } if code == want => Ok(()),
            other => Err(format!("expected {want:?}, got {other:?}")),
        }
    };
    let hello = |room: &RoomId, credential| ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
        withheld: Vec::new(),
    };

    let mut ws = WsClient::connect(relay.addr, &room).await?;
    // Wrong key, claiming the facilitator's actor, unknown room, mismatched room: each a
    // typed error, and the connection stays usable.
    ws.send(&hello(
        &room,
        facilitator(&FacilitatorKey::from_random([0; 32])),
    ))
    .await?;
    expect_error(ErrorCode::BadCredential)(ws.recv().await?)?;
    ws.send(&hello(&room, participant("fac"))).await?;
    expect_error(ErrorCode::BadCredential)(ws.recv().await?)?;
    let other = RoomId::from_random([9; 16]);
    ws.send(&hello(&other, participant("p1"))).await?;
    expect_error(ErrorCode::RoomMismatch)(ws.recv().await?)?;
    let mut nowhere = WsClient::connect(relay.addr, &other).await?;
    nowhere.send(&hello(&other, participant("p1"))).await?;
    expect_error(ErrorCode::RoomNotFound)(nowhere.recv().await?)?;

    // First use binds p1's secret; someone else claiming p1 later is refused.
    ws.hello(&room, participant("p1"), &none).await?;
    let mut thief = WsClient::connect(relay.addr, &room).await?;
    let stolen = bijeen_protocol::Credential::Participant {
        actor: ActorId::new("p1"),
        secret: secret_for("someone else"),
    };
    thief.send(&hello(&room, stolen)).await?;
    expect_error(ErrorCode::BadCredential)(thief.recv_skip_presence().await?)?;
    // p1 itself may reconnect.
    let mut again = WsClient::connect(relay.addr, &room).await?;
    again.hello(&room, participant("p1"), &none).await?;
    relay.stop().await
}

#[tokio::test]
async fn bad_messages_get_errors_and_the_relay_keeps_serving() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let mut ws = WsClient::connect(relay.addr, &room).await?;

    let malformed = |m: ServerMsg| {
        matches!(
            m,
            ServerMsg::Error {
                code: ErrorCode::Malformed { .. }
            }
        )
    };
    ws.send_text("garbage".into()).await?;
    assert!(malformed(ws.recv().await?));
    ws.send(&ClientMsg::Ops { ops: vec![] }).await?;
    assert_eq!(
        ws.recv().await?,
        ServerMsg::Error {
            code: ErrorCode::HelloFirst
        }
    );
    // A future client: a clear version error, not a hang.
    ws.send_text(format!(
        r#"{{"type":"hello","protocol_version":99,"room":"{room}","credential":{{"quantum":{{}}}}}}"#
    ))
    .await?;
    assert_eq!(
        ws.recv().await?,
        ServerMsg::Error {
            code: ErrorCode::UnsupportedVersion {
                supported: vec![PROTOCOL_VERSION]
            }
        }
    );
    // The same connection can still say a proper hello.
    ws.hello(&room, participant("p1"), &VersionVector::default())
        .await?;

    ws.send_text(format!("\"{}\"", "x".repeat(70 * 1024)))
        .await?;
    assert_eq!(
        ws.recv().await?,
        ServerMsg::Error {
            code: ErrorCode::MessageTooLarge { max: 65_536 }
        }
    );
    ws.send_binary(vec![1, 2, 3]).await?;
    assert!(malformed(ws.recv().await?));
    ws.send_text("{\"type\":\"ops\",\"ops\":[{}]}".into())
        .await?;
    assert!(malformed(ws.recv().await?));
    // Still serving this connection.
    assert!(ws.drain_ops().await?.is_empty());

    // Far beyond the limit the socket layer closes this connection...
    let mut huge = WsClient::connect(relay.addr, &room).await?;
    huge.send_text("y".repeat(1024 * 1024)).await.ok();
    assert!(huge.next(WAIT).await.ok().flatten().is_none());
    // ...and everyone else carries on.
    assert!(ws.drain_ops().await?.is_empty());
    let mut other = WsClient::connect(relay.addr, &room).await?;
    other
        .hello(&room, participant("p2"), &VersionVector::default())
        .await?;
    relay.stop().await
}

#[tokio::test]
async fn rate_limit_answers_with_a_delay_and_later_ops_get_through() -> TestResult {
    let fx = Fixture::new()?;
    // A slow refill (two ops a second after a burst of five), so ten ops sent one after
    // another meet the limit however slowly a busy machine sends them: at ten a second,
    // a loaded CI machine sent them slowly enough to never be limited.
    const RATE: u32 = 2;
    let limits = Limits {
        ops_per_second: RATE,
        ops_burst: 5,
        ..Limits::default()
    };
    let relay = fx.start(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let (mut p, mut ws) = joined_participant(relay.addr, &room, "p1").await?;
    let mut ops = Vec::new();
    for i in 0..10 {
        ops.extend(note(&mut p, &format!("n{i}"))?);
    }
    for op in &ops {
        ws.send(&ClientMsg::Ops {
            ops: vec![op.clone()],
        })
        .await?;
    }
    let mut acked = Vec::new();
    let mut retry = None;
    let mut answers = 0;
    while answers < ops.len() {
        match ws.recv().await? {
            ServerMsg::Ack { op_ids } => {
                acked.extend(op_ids);
                answers += 1;
            }
            ServerMsg::Error {
                code: ErrorCode::RateLimited { retry_after_ms },
            } => {
                assert!(
                    retry_after_ms > 0 && retry_after_ms <= 1_000,
                    "{retry_after_ms}"
                );
                retry = Some(retry_after_ms);
                answers += 1;
            }
            _ => {}
        }
    }
    let retry = retry.ok_or("never rate limited")?;
    assert!(acked.len() >= 4 && acked.len() < 10, "{}", acked.len());
    // The client waits as told and resends what was not acked, as one batch (here after
    // waiting long enough for the bucket to hold the whole batch).
    let rest: Vec<Op> = ops.into_iter().filter(|o| !acked.contains(&o.id)).collect();
    let n = rest.len();
    let refill_ms = u64::try_from(n).unwrap_or(u64::MAX) * 1_000 / u64::from(RATE);
    tokio::time::sleep(Duration::from_millis(retry.max(refill_ms + 200))).await;
    let (again, rejected) = ws.send_ops(rest).await?;
    assert_eq!((again.len(), rejected.len()), (n, 0));
    relay.stop().await
}

#[tokio::test]
async fn note_participant_and_room_limits() -> TestResult {
    let fx = Fixture::new()?;
    let limits = Limits {
        max_notes_per_participant: 2,
        max_participants: 2,
        max_rooms: 1,
        ..Limits::default()
    };
    let relay = fx.start(limits).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();

    let (mut p1, mut ws1) = joined_participant(relay.addr, &room, "p1").await?;
    let ops = [
        note(&mut p1, "een")?,
        note(&mut p1, "twee")?,
        note(&mut p1, "drie")?,
    ]
    .concat();
    let (acked, rejected) = ws1.send_ops(ops).await?;
    assert_eq!(acked.len(), 2);
    assert_eq!(
        rejected.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        [RejectReason::TooManyNotes { max: 2 }]
    );

    joined_participant(relay.addr, &room, "p2").await?;
    let mut p3 = Doc::new(ActorId::new("p3"));
    let mut ws3 = WsClient::connect(relay.addr, &room).await?;
    let (_, ops) = ws3
        .hello(&room, participant("p3"), p3.version_vector())
        .await?;
    receive_all(&mut p3, &ops)?;
    let (_, rejected) = ws3.send_ops(join_cmd(&mut p3, "p3")?).await?;
    assert_eq!(rejected[0].1, RejectReason::RoomFull { max: 2 });

    let body = serde_json::to_vec(&bijeen_protocol::CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops: vec![],
    })?;
    let (status, body) = http(relay.addr, "POST", "/api/rooms", body).await?;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let err: bijeen_protocol::ApiError = serde_json::from_slice(&body)?;
    assert_eq!(err.error, ErrorCode::TooManyRooms { max: 1 });
    relay.stop().await
}

#[tokio::test]
async fn room_creation_checks_its_input() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let (status, _) = http(relay.addr, "POST", "/api/rooms", b"nope".to_vec()).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = br#"{"protocol_version":42,"ops":[]}"#.to_vec();
    let (status, body) = http(relay.addr, "POST", "/api/rooms", body).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let err: bijeen_protocol::ApiError = serde_json::from_slice(&body)?;
    assert!(matches!(err.error, ErrorCode::UnsupportedVersion { .. }));
    // An invalid op (empty note text) is refused with its id.
    let mut bad = facilitator_doc()?;
    let mut ops = all_ops(&bad);
    let mut op = bad
        .execute(
            &Command::AddNote {
                board: BoardKind::Brainstorm,
                group: None,
                category: None,
                text: "x".into(),
                colour: None,
            },
            Role::Facilitator,
            T0,
        )?
        .remove(0);
    if let OpBody::CreateNote { text, .. } = &mut op.body {
        text.clear();
    }
    ops.push(op.clone());
    let body = serde_json::to_vec(&bijeen_protocol::CreateRoomRequest {
        protocol_version: PROTOCOL_VERSION,
        ops,
    })?;
    let (status, body) = http(relay.addr, "POST", "/api/rooms", body).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: bijeen_protocol::ApiError = serde_json::from_slice(&body)?;
    assert_eq!(err.rejected.map(|(id, _)| id), Some(op.id));
    // Empty rooms are fine: the facilitator's first hello uploads the workshop.
    let created = create_room(relay.addr, vec![]).await?;
    assert!(JoinCode::parse(created.join_code.as_str()).is_ok());
    relay.stop().await
}

#[tokio::test]
async fn presence_counts_connections() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let created = create_room(relay.addr, vec![]).await?;
    let room = created.room_id.clone();
    let none = VersionVector::default();
    let mut a = WsClient::connect(relay.addr, &room).await?;
    a.hello(&room, participant("a"), &none).await?;
    let mut b = WsClient::connect(relay.addr, &room).await?;
    b.hello(&room, participant("b"), &none).await?;
    presence_reaches(&mut a, 2).await?;
    b.close().await;
    presence_reaches(&mut a, 1).await?;
    relay.stop().await
}

/// Reads presence counts until `online` arrives. Through PostgreSQL a count is summed from
/// every relay's rows and announced by NOTIFY, so an earlier count (this client alone) may
/// still arrive after a later join; anything but a presence count fails the test.
async fn presence_reaches(client: &mut WsClient, online: u32) -> TestResult {
    loop {
        match client.recv().await? {
            ServerMsg::Presence { online: now } if now == online => return Ok(()),
            ServerMsg::Presence { .. } => {}
            other => return Err(format!("expected presence {online}, got {other:?}").into()),
        }
    }
}

#[tokio::test]
async fn restart_keeps_rooms_and_every_acked_op() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let (mut p, mut ws) = joined_participant(relay.addr, &room, "p1").await?;
    let mut acked_ids = Vec::new();
    for i in 0..5 {
        let (acked, _) = ws.send_ops(note(&mut p, &format!("n{i}"))?).await?;
        acked_ids.extend(acked);
    }
    // Shutdown closes the open WebSocket instead of waiting out the grace period.
    relay.stop().await?;
    assert!(ws.next(WAIT).await.ok().flatten().is_none());

    let relay = fx.start(Limits::default()).await?;
    assert_eq!(join(relay.addr, created.join_code.as_str()).await?, room);
    let mut console = WsClient::connect(relay.addr, &room).await?;
    let (_, all) = console
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    for id in &acked_ids {
        assert!(all.iter().any(|o| &o.id == id), "{id} lost");
    }
    let mut replica = Doc::new(ActorId::new("check"));
    receive_all(&mut replica, &all)?;
    assert_eq!(replica.workshop(), p.workshop());
    // p1's secret is still bound after the restart.
    let mut thief = WsClient::connect(relay.addr, &room).await?;
    thief
        .send(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential: bijeen_protocol::Credential::Participant {
                actor: ActorId::new("p1"),
                secret: secret_for("not p1"),
            },
            version_vector: VersionVector::default(),
            withheld: Vec::new(),
        })
        .await?;
    assert_eq!(
        thief.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    relay.stop().await
}
