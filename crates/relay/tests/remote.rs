//! The facilitator's phone remote, attacked: a key nobody registered, a key registered
//! with the wrong facilitator key, a remote writing as someone else, a participant claiming
//! the remote's actor, and a remote that goes on after the facilitator revoked it.

mod support;

use std::time::Duration;

use bijeen_core::{ActorId, Command, Doc, Op, Role, VersionVector};
use bijeen_protocol::{
    ApiError, ClientMsg, Credential, ErrorCode, FacilitatorKey, ParticipantSecret, RejectReason,
    RemoteKey, RemoteRequest, RemoteResponse, RoomId, ServerMsg,
};
use bijeen_relay::Limits;
use hyper::StatusCode;
use support::*;

fn remote(actor: &str, key: &RemoteKey) -> Credential {
    Credential::Remote {
        actor: ActorId::new(actor),
        secret: secret_for(actor),
        key: key.clone(),
    }
}

async fn set_remote(
    addr: std::net::SocketAddr,
    room: &RoomId,
    facilitator_key: &FacilitatorKey,
    remote_key: Option<&RemoteKey>,
) -> TestResult<(StatusCode, Vec<u8>)> {
    let body = serde_json::to_vec(&RemoteRequest {
        facilitator_key: facilitator_key.clone(),
        remote_key: remote_key.cloned(),
    })?;
    let (status, body) = http(addr, "POST", &format!("/api/rooms/{room}/remote"), body).await?;
    Ok((status, body.to_vec()))
}

fn hello(room: &RoomId, credential: Credential) -> ClientMsg {
    ClientMsg::Hello {
        protocol_version: bijeen_protocol::PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
        withheld: vec![],
    }
}

/// Sends a Hello that must be refused with `code`, then the socket must close.
async fn refused_with(
    addr: std::net::SocketAddr,
    room: &RoomId,
    credential: Credential,
    code: ErrorCode,
) -> TestResult {
    let mut ws = WsClient::connect(addr, room).await?;
    ws.send(&hello(room, credential)).await?;
    match ws.recv_skip_presence().await? {
        ServerMsg::Error { code: got } => assert_eq!(got, code),
        other => return Err(format!("expected {code:?}, got {other:?}").into()),
    }
    Ok(())
}

/// The error that ends a connection, skipping whatever ops and presence come first; then
/// the socket must be closed.
async fn ended_with(ws: &mut WsClient) -> TestResult<ErrorCode> {
    loop {
        match ws.next(WAIT).await? {
            Some(ServerMsg::Error { code }) => {
                let after = ws.next(WAIT).await?;
                assert!(
                    after.is_none(),
                    "the socket stays open after {code:?}: {after:?}"
                );
                return Ok(code);
            }
            Some(_) => continue,
            None => return Err("closed without saying why".into()),
        }
    }
}

/// A remote's replica: the room's workshop, written as the remote's own actor.
fn remote_doc(actor: &str, ops: &[Op]) -> TestResult<Doc> {
    let mut doc = Doc::new(ActorId::new(actor));
    for op in ops {
        doc.receive(op)?;
    }
    Ok(doc)
}

#[tokio::test]
async fn a_phone_remote_steers_as_its_own_actor_only_while_its_key_is_the_rooms() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let mut fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let key = RemoteKey::from_random([0x42; 32]);

    // Before the facilitator registers a key, no key opens the room.
    refused_with(
        relay.addr,
        &room,
        remote("phone1", &key),
        ErrorCode::RemoteRevoked,
    )
    .await?;
    // Registering needs the facilitator key; a wrong one learns nothing, not even whether
    // the room exists.
    let wrong = FacilitatorKey::from_random([9; 32]);
    let (status, body) = set_remote(relay.addr, &room, &wrong, Some(&key)).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let unknown = RoomId::from_random([3; 16]);
    let (status_unknown, body_unknown) =
        set_remote(relay.addr, &unknown, &wrong, Some(&key)).await?;
    assert_eq!((status_unknown, &body_unknown), (status, &body));
    let err: ApiError = serde_json::from_slice(&body)?;
    assert_eq!(err.error, ErrorCode::BadCredential);
    refused_with(
        relay.addr,
        &room,
        remote("phone1", &key),
        ErrorCode::RemoteRevoked,
    )
    .await?;

    let (status, body) =
        set_remote(relay.addr, &room, &created.facilitator_key, Some(&key)).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(serde_json::from_slice::<RemoteResponse>(&body)?.active);

    let mut console = WsClient::connect(relay.addr, &room).await?;
    console
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &fac.version_vector().clone(),
        )
        .await?;

    // The remote comes in as a facilitator device and sees the whole workshop.
    let mut phone = WsClient::connect(relay.addr, &room).await?;
    let (welcome, ops) = phone
        .hello(&room, remote("phone1", &key), &VersionVector::default())
        .await?;
    let ServerMsg::Welcome {
        role, pseudonym, ..
    } = welcome
    else {
        return Err("no welcome".into());
    };
    assert_eq!(role, Role::Facilitator);
    assert_eq!(pseudonym, None, "a remote writes no bears");
    let mut doc = remote_doc("phone1", &ops)?;
    assert_eq!(doc.workshop().blocks.len(), fac.workshop().blocks.len());

    // It starts the workshop and pauses it; the console hears both, written by the remote.
    let mut steer = doc.execute(&Command::StartWorkshop, Role::Facilitator, T0 + 1_000)?;
    steer.extend(doc.execute(&Command::PauseTimer, Role::Facilitator, T0 + 2_000)?);
    let (acked, rejected) = phone.send_ops(steer.clone()).await?;
    assert_eq!(
        (acked.len(), rejected.len()),
        (steer.len(), 0),
        "{rejected:?}"
    );
    let heard = console.drain_ops().await?;
    assert_eq!(
        heard.iter().map(|o| &o.id).collect::<Vec<_>>(),
        steer.iter().map(|o| &o.id).collect::<Vec<_>>()
    );
    assert!(heard.iter().all(|o| o.id.actor.as_str() == "phone1"));

    // Writing as the console's actor is refused: a remote is its own actor and nobody else.
    let forged = fac.execute(
        &Command::SetTitle("Overgenomen".into()),
        Role::Facilitator,
        T0 + 3_000,
    )?;
    let (_, rejected) = phone.send_ops(forged).await?;
    assert!(
        matches!(
            rejected.as_slice(),
            [(_, RejectReason::NotYourActor { .. })]
        ),
        "{rejected:?}"
    );

    // The remote's actor is bound to its device: a participant with another secret cannot
    // take it over, and neither can a second phone with the same link.
    let thief = Credential::Participant {
        actor: ActorId::new("phone1"),
        secret: ParticipantSecret::from_random([1; 16]),
    };
    refused_with(relay.addr, &room, thief, ErrorCode::BadCredential).await?;
    let second = Credential::Remote {
        actor: ActorId::new("phone1"),
        secret: ParticipantSecret::from_random([2; 16]),
        key: key.clone(),
    };
    refused_with(relay.addr, &room, second, ErrorCode::BadCredential).await?;
    // A participant's own credential never steers.
    let mut participant_ws = WsClient::connect(relay.addr, &room).await?;
    let (welcome, _) = participant_ws
        .hello(&room, participant("pp"), &VersionVector::default())
        .await?;
    assert!(matches!(
        welcome,
        ServerMsg::Welcome {
            role: Role::Participant,
            ..
        }
    ));
    let mut pdoc = remote_doc("pp", &ops)?;
    let pause = pdoc.execute(&Command::StartWorkshop, Role::Facilitator, T0 + 3_500)?;
    let (_, rejected) = participant_ws.send_ops(pause).await?;
    assert!(
        !rejected.is_empty()
            && rejected
                .iter()
                .all(|(_, r)| matches!(r, RejectReason::Forbidden { .. })),
        "{rejected:?}"
    );

    // Revoked: the live remote is told and cut off at once, and nothing it sends later
    // can land, not on this connection and not on a new one.
    let (status, body) = set_remote(relay.addr, &room, &created.facilitator_key, None).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(!serde_json::from_slice::<RemoteResponse>(&body)?.active);
    // Sent right after the revocation, before the remote could have heard of it.
    let late = doc.execute(&Command::ResumeTimer, Role::Facilitator, T0 + 4_000)?;
    let _ = phone.send(&ClientMsg::Ops { ops: late.clone() }).await;
    assert_eq!(ended_with(&mut phone).await?, ErrorCode::RemoteRevoked);
    refused_with(
        relay.addr,
        &room,
        remote("phone1", &key),
        ErrorCode::RemoteRevoked,
    )
    .await?;

    // A new key replaces the old one: the old link stays dead, the new one works.
    let fresh = RemoteKey::from_random([0x43; 32]);
    set_remote(relay.addr, &room, &created.facilitator_key, Some(&fresh)).await?;
    refused_with(
        relay.addr,
        &room,
        remote("phone1", &key),
        ErrorCode::RemoteRevoked,
    )
    .await?;
    let mut phone2 = WsClient::connect(relay.addr, &room).await?;
    phone2
        .hello(&room, remote("phone2", &fresh), &VersionVector::default())
        .await?;
    // Replacing the key cuts the remotes of the old one, this one included once replaced.
    set_remote(
        relay.addr,
        &room,
        &created.facilitator_key,
        Some(&RemoteKey::from_random([0x44; 32])),
    )
    .await?;
    assert_eq!(ended_with(&mut phone2).await?, ErrorCode::RemoteRevoked);

    // What the revoked remote sent never reached the room.
    assert!(!late.is_empty());
    let mut again = WsClient::connect(relay.addr, &room).await?;
    let (_, everything) = again
        .hello(
            &room,
            facilitator(&created.facilitator_key),
            &VersionVector::default(),
        )
        .await?;
    assert!(!everything.iter().any(|o| late.iter().any(|l| l.id == o.id)));
    relay.stop().await?;
    Ok(())
}

#[tokio::test]
async fn a_remote_key_survives_a_relay_restart_and_so_does_its_revocation() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let room = created.room_id.clone();
    let key = RemoteKey::from_random([0x51; 32]);
    set_remote(relay.addr, &room, &created.facilitator_key, Some(&key)).await?;
    relay.stop().await?;

    let relay = fx.start(Limits::default()).await?;
    let mut phone = WsClient::connect(relay.addr, &room).await?;
    phone
        .hello(&room, remote("phone1", &key), &VersionVector::default())
        .await?;
    set_remote(relay.addr, &room, &created.facilitator_key, None).await?;
    assert_eq!(ended_with(&mut phone).await?, ErrorCode::RemoteRevoked);
    relay.stop().await?;

    let relay = fx.start(Limits::default()).await?;
    refused_with(
        relay.addr,
        &room,
        remote("phone1", &key),
        ErrorCode::RemoteRevoked,
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(10)).await;
    relay.stop().await?;
    Ok(())
}
