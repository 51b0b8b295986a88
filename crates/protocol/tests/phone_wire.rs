//! The phone's own message types (`bijeen_view::{Up, Down}`) and the protocol's are two
//! spellings of one wire format: what the phone writes the relay reads as the message
//! meant, and what the relay writes the phone reads. A renamed field on either side fails
//! here, not on a phone in the room.
#![allow(clippy::unwrap_used)]

use bijeen_core::{ActorId, DomainError, OpId, Role, VersionVector};
use bijeen_protocol::{
    ClientMsg, Credential, ErrorCode, JoinCode, PROTOCOL_VERSION, ParticipantSecret, RejectReason,
    RoomId, ServerMsg, decode_client,
};
use bijeen_view::{Down, Intent, OpRef, PhoneView, RuleName, Up, UpCredential, ViewPatch};

const ROOM: &str = "0123456789abcdef0123456789abcdef";
const SECRET: &str = "s3cr3t-s3cr3t-s3cr3t";

fn down(msg: &ServerMsg) -> Down {
    let json = serde_json::to_string(msg).unwrap();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[test]
fn what_the_phone_sends_the_relay_reads_as_meant() {
    let hello = Up::ViewHello {
        protocol_version: PROTOCOL_VERSION,
        room: ROOM.into(),
        credential: UpCredential::Participant {
            actor: "anna".into(),
            secret: SECRET.into(),
        },
    };
    assert_eq!(
        decode_client(&serde_json::to_string(&hello).unwrap()).unwrap(),
        ClientMsg::ViewHello {
            protocol_version: PROTOCOL_VERSION,
            room: RoomId::parse(ROOM).unwrap(),
            credential: Credential::Participant {
                actor: ActorId::new("anna"),
                secret: ParticipantSecret::parse(SECRET).unwrap(),
            },
        }
    );
    let intent = Intent::AddNote {
        group: Some("fac-3".into()),
        category: Some("activiteit".into()),
        text: "Leesclub".into(),
    };
    let up = Up::Intent {
        op_id: OpRef("anna".into(), 4),
        intent: intent.clone(),
    };
    assert_eq!(
        decode_client(&serde_json::to_string(&up).unwrap()).unwrap(),
        ClientMsg::Intent {
            op_id: OpId {
                actor: ActorId::new("anna"),
                seq: 4,
            },
            intent,
        }
    );
    let ping = Up::Ping { client_time_ms: 7 };
    assert_eq!(
        decode_client(&serde_json::to_string(&ping).unwrap()).unwrap(),
        ClientMsg::Ping { client_time_ms: 7 }
    );
}

#[test]
fn a_view_hello_of_another_version_is_told_the_version() {
    let json = format!(
        r#"{{"type":"view_hello","protocol_version":99,"room":"{ROOM}","credential":{{"participant":{{"actor":"anna","secret":"{SECRET}"}}}}}}"#
    );
    assert!(matches!(
        decode_client(&json),
        Err(bijeen_protocol::DecodeError::UnsupportedVersion { got: 99 })
    ));
}

#[test]
fn what_the_relay_sends_the_phone_reads_as_meant() {
    let anna = |seq| OpId {
        actor: ActorId::new("anna"),
        seq,
    };
    let welcome = ServerMsg::Welcome {
        protocol_version: PROTOCOL_VERSION,
        room: RoomId::parse(ROOM).unwrap(),
        role: Role::Participant,
        join_code: JoinCode::parse("ABC234").unwrap(),
        server_time_ms: 1000,
        server_vv: VersionVector([(ActorId::new("anna"), 3)].into_iter().collect()),
        online: 2,
        pseudonym: Some(ActorId::new("annapseudo")),
    };
    match down(&welcome) {
        Down::Welcome {
            server_time_ms,
            server_vv,
            online,
            pseudonym,
        } => {
            assert_eq!(server_time_ms, 1000);
            assert_eq!(server_vv.get("anna"), Some(&3));
            assert_eq!(online, 2);
            assert_eq!(pseudonym.as_deref(), Some("annapseudo"));
        }
        other => panic!("{other:?}"),
    }
    let mut view = PhoneView::default();
    view.head.title = "Werken in netwerken".into();
    let patch = ViewPatch::whole(&view);
    assert_eq!(
        down(&ServerMsg::View {
            patch: Box::new(patch.clone())
        }),
        Down::View {
            patch: Box::new(patch)
        }
    );
    assert_eq!(
        down(&ServerMsg::Ack {
            op_ids: vec![anna(1), anna(2)]
        }),
        Down::Ack {
            op_ids: vec![OpRef("anna".into(), 1), OpRef("anna".into(), 2)]
        }
    );
    for (reason, kind, rule, max) in [
        (
            RejectReason::Forbidden {
                error: DomainError::BoardClosed,
            },
            "forbidden",
            Some("board_closed"),
            None,
        ),
        (
            RejectReason::Forbidden {
                error: DomainError::TextTooLong { max: 500 },
            },
            "forbidden",
            Some("text_too_long"),
            None,
        ),
        (
            RejectReason::TooManyNotes { max: 50 },
            "too_many_notes",
            None,
            Some(50),
        ),
        (RejectReason::ConflictingOp, "conflicting_op", None, None),
    ] {
        match down(&ServerMsg::Rejected {
            op_id: anna(3),
            reason,
        }) {
            Down::Rejected { op_id, reason } => {
                assert_eq!(op_id, OpRef("anna".into(), 3));
                assert_eq!(reason.kind, kind);
                assert_eq!(reason.error, rule.map(|r| RuleName(r.into())));
                assert_eq!(reason.max, max);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        down(&ServerMsg::Pong {
            client_time_ms: 1,
            server_time_ms: 2
        }),
        Down::Pong {
            client_time_ms: 1,
            server_time_ms: 2
        }
    );
    assert_eq!(
        down(&ServerMsg::Presence { online: 5 }),
        Down::Presence { online: 5 }
    );
    match down(&ServerMsg::Error {
        code: ErrorCode::RateLimited {
            retry_after_ms: 250,
        },
    }) {
        Down::Error { code } => {
            assert_eq!(code.code, "rate_limited");
            assert_eq!(code.retry_after_ms, Some(250));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        down(&ServerMsg::Error {
            code: ErrorCode::RoomNotFound
        }),
        Down::Error {
            code: bijeen_view::DownCode {
                code: "room_not_found".into(),
                retry_after_ms: None
            }
        }
    );
    assert_eq!(down(&ServerMsg::Ops { ops: vec![] }), Down::Other);
}

#[test]
fn the_app_reads_a_refusals_rule_as_the_cores_error() {
    let msg = ServerMsg::Rejected {
        op_id: OpId {
            actor: ActorId::new("anna"),
            seq: 3,
        },
        reason: RejectReason::Forbidden {
            error: DomainError::TextTooLong { max: 500 },
        },
    };
    let json = serde_json::to_string(&msg).unwrap();
    match serde_json::from_str::<Down<DomainError>>(&json).unwrap() {
        Down::Rejected { reason, .. } => {
            assert_eq!(reason.error, Some(DomainError::TextTooLong { max: 500 }));
        }
        other => panic!("{other:?}"),
    }
    let report = ServerMsg::Report {
        file_name: "werken-in-netwerken-2025-03-14.md".into(),
        text: "# Mijn bijdragen".into(),
    };
    assert_eq!(
        serde_json::from_str::<Down>(&serde_json::to_string(&report).unwrap()).unwrap(),
        Down::Report {
            file_name: "werken-in-netwerken-2025-03-14.md".into(),
            text: "# Mijn bijdragen".into(),
        }
    );
    let up = bijeen_view::Up::Report {
        lang: bijeen_view::Lang::En,
    };
    assert_eq!(
        decode_client(&serde_json::to_string(&up).unwrap()).unwrap(),
        ClientMsg::Report {
            lang: bijeen_core::Lang::En
        }
    );
}
