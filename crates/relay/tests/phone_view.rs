//! A participant's phone without a replica (`view_hello`): it is sent its view and sends
//! intents. Hostile tests first, on every frame the phone's socket carries: no hidden note,
//! no anonymous bear's author, no other participant's name; an intent decided for anyone
//! but its sender is refused; a resent intent is applied once.

mod support;

use std::time::Duration;

use bijeen_core::{ActorId, BearPhase, BoardKind, Command, Doc, OpId, Role};
use bijeen_protocol::{
    ClientMsg, Credential, ErrorCode, FacilitatorKey, PROTOCOL_VERSION, RoomId, ServerMsg,
};
use bijeen_relay::Limits;
use bijeen_view::{Intent, PhoneView};
use support::*;

/// The facilitator's console: its replica and connection.
struct Console {
    doc: Doc,
    ws: WsClient,
}

impl Console {
    async fn open(
        addr: std::net::SocketAddr,
        room: &RoomId,
        key: &FacilitatorKey,
        doc: Doc,
    ) -> TestResult<Console> {
        let mut ws = WsClient::connect(addr, room).await?;
        let (_, ops) = ws
            .hello(room, facilitator(key), &doc.version_vector().clone())
            .await?;
        let mut c = Console { doc, ws };
        for op in ops {
            c.doc.receive(&op)?;
        }
        Ok(c)
    }

    async fn act(&mut self, cmd: Command) -> TestResult {
        let ops = self.doc.execute(&cmd, Role::Facilitator, T0 + 100)?;
        let (_, rejected) = self.ws.send_ops(ops).await?;
        assert!(rejected.is_empty(), "{rejected:?}");
        Ok(())
    }

    /// Everything the room sent since, applied.
    async fn listen(&mut self) -> TestResult {
        for op in self.ws.drain_ops().await? {
            self.doc.receive(&op)?;
        }
        Ok(())
    }

    fn note_texts(&self) -> Vec<String> {
        self.doc
            .workshop()
            .notes
            .values()
            .filter(|n| n.is_live())
            .map(|n| n.text.value.clone())
            .collect()
    }
}

/// A phone as the view-based app is: its view, its numbering, and every raw frame.
struct Phone {
    actor: String,
    ws: WsClient,
    view: PhoneView,
    frames: Vec<String>,
    pseudonym: Option<String>,
    next_own: u64,
    next_pseudonym: u64,
}

/// What the relay answered one intent.
#[derive(Debug, PartialEq)]
enum Verdict {
    Acked,
    Rejected(bijeen_protocol::RejectReason),
}

impl Phone {
    async fn connect(addr: std::net::SocketAddr, room: &RoomId, actor: &str) -> TestResult<Phone> {
        let mut ws = WsClient::connect(addr, room).await?;
        ws.send(&ClientMsg::ViewHello {
            protocol_version: PROTOCOL_VERSION,
            room: room.clone(),
            credential: participant(actor),
        })
        .await?;
        let mut phone = Phone {
            actor: actor.into(),
            ws,
            view: PhoneView::default(),
            frames: Vec::new(),
            pseudonym: None,
            next_own: 1,
            next_pseudonym: 1,
        };
        let welcome = phone.ws.recv_skip_presence().await?;
        let ServerMsg::Welcome {
            server_vv,
            pseudonym,
            ..
        } = welcome
        else {
            return Err(format!("expected welcome, got {welcome:?}").into());
        };
        phone.next_own = server_vv.get(&ActorId::new(actor)) + 1;
        if let Some(p) = &pseudonym {
            phone.next_pseudonym = server_vv.get(p) + 1;
        }
        phone.pseudonym = pseudonym.map(|p| p.as_str().to_owned());
        phone.listen().await?;
        Ok(phone)
    }

    fn take(&mut self, frame: &str) -> TestResult<Option<ServerMsg>> {
        self.frames.push(frame.to_owned());
        // Read as the phone reads it.
        if let bijeen_view::Down::View { patch } = serde_json::from_str::<bijeen_view::Down>(frame)?
        {
            self.view.apply(*patch);
            return Ok(None);
        }
        Ok(Some(ServerMsg::from_json(frame)?))
    }

    /// Reads everything queued.
    async fn listen(&mut self) -> TestResult {
        for frame in self.ws.drain_frames().await? {
            self.take(&frame)?;
        }
        Ok(())
    }

    fn next_id(&mut self, by_pseudonym: bool) -> OpId {
        if by_pseudonym {
            let seq = self.next_pseudonym;
            self.next_pseudonym += 1;
            OpId {
                actor: ActorId::new(self.pseudonym.clone().unwrap_or_default()),
                seq,
            }
        } else {
            let seq = self.next_own;
            self.next_own += 1;
            OpId {
                actor: ActorId::new(self.actor.clone()),
                seq,
            }
        }
    }

    /// Sends `intent` as `op_id` and reads up to its verdict (and the view after it).
    async fn send(&mut self, op_id: OpId, intent: Intent) -> TestResult<Verdict> {
        self.ws
            .send(&ClientMsg::Intent {
                op_id: op_id.clone(),
                intent,
            })
            .await?;
        let verdict = loop {
            let frame = self
                .ws
                .next_raw(Duration::from_secs(5))
                .await?
                .ok_or("closed")?;
            match self.take(&frame)? {
                Some(ServerMsg::Ack { op_ids }) if op_ids.contains(&op_id) => break Verdict::Acked,
                Some(ServerMsg::Rejected { op_id: id, reason }) if id == op_id => {
                    break Verdict::Rejected(reason);
                }
                Some(ServerMsg::Error { code }) => return Err(format!("error {code:?}").into()),
                _ => {}
            }
        };
        self.listen().await?;
        Ok(verdict)
    }

    async fn intend(&mut self, intent: Intent) -> TestResult<Verdict> {
        let by_pseudonym =
            matches!(intent, Intent::AddBear { .. }) && self.view.head.bears.anonymous;
        let id = self.next_id(by_pseudonym);
        self.send(id, intent).await
    }

    fn saw(&self, text: &str) -> bool {
        self.frames.iter().any(|f| f.contains(text))
    }
}

async fn room_with_console(relay: &Running) -> TestResult<(RoomId, Console)> {
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let console =
        Console::open(relay.addr, &created.room_id, &created.facilitator_key, fac).await?;
    Ok((created.room_id, console))
}

fn join(name: &str) -> Intent {
    Intent::Join {
        name: name.into(),
        group: None,
    }
}

fn note(text: &str) -> Intent {
    Intent::AddNote {
        group: None,
        category: Some("netwerkpartner".into()),
        text: text.into(),
    }
}

#[tokio::test]
async fn a_phone_is_sent_its_view_and_never_a_hidden_note_or_another_participants_name()
-> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let (room, mut console) = room_with_console(&relay).await?;
    console
        .act(Command::SetHideUntilReveal {
            board: BoardKind::Brainstorm,
            hide: true,
        })
        .await?;
    let mut anna = Phone::connect(relay.addr, &room, "anna").await?;
    assert_eq!(
        anna.view.head.title,
        console.doc.workshop().meta.title.value
    );
    assert!(!anna.view.head.me.joined);
    assert_eq!(anna.intend(join("Anna")).await?, Verdict::Acked);
    assert!(
        anna.view.head.me.joined,
        "her view says she joined: {:?}",
        anna.view.head.me
    );
    let mut bob = Phone::connect(relay.addr, &room, "bob").await?;
    assert_eq!(bob.intend(join("Bob Geheimnaam")).await?, Verdict::Acked);
    assert_eq!(
        bob.intend(note("Bibliotheek Hoorn als partner")).await?,
        Verdict::Acked
    );
    assert_eq!(bob.view.notes.len(), 1, "his own note at once");
    assert!(bob.view.notes[0].mine);

    anna.listen().await?;
    assert!(anna.view.notes.is_empty());
    assert_eq!(anna.view.head.brainstorm.withheld, 1);
    assert!(
        !anna.saw("Bibliotheek Hoorn"),
        "a hidden note reached another phone"
    );
    console.listen().await?;
    assert!(
        console
            .note_texts()
            .contains(&"Bibliotheek Hoorn als partner".to_owned())
    );

    console
        .act(Command::Reveal {
            board: BoardKind::Brainstorm,
        })
        .await?;
    anna.listen().await?;
    assert_eq!(anna.view.notes.len(), 1);
    assert_eq!(anna.view.notes[0].text, "Bibliotheek Hoorn als partner");
    assert!(!anna.view.notes[0].mine);
    assert!(
        !anna.saw("Geheimnaam"),
        "another participant's name reached a phone"
    );
    assert!(!anna.saw(r#""type":"ops""#), "a view phone is sent no ops");
    relay.stop().await
}

#[tokio::test]
async fn an_anonymous_bear_reaches_other_phones_without_its_author() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let (room, mut console) = room_with_console(&relay).await?;
    let mut anna = Phone::connect(relay.addr, &room, "anna").await?;
    anna.intend(join("Anna")).await?;
    let mut bob = Phone::connect(relay.addr, &room, "bob").await?;
    bob.intend(join("Bob Geheimnaam")).await?;
    assert!(bob.view.head.bears.anonymous);
    assert_eq!(
        bob.intend(Intent::AddBear {
            text: "Geen tijd voor netwerken".into()
        })
        .await?,
        Verdict::Acked
    );
    assert_eq!(bob.view.bears.len(), 1);
    assert!(bob.view.bears[0].mine && bob.view.bears[0].by_pseudonym);
    anna.listen().await?;
    assert!(
        !anna.saw("Geen tijd"),
        "a bear reached another phone while collecting"
    );

    // (`send_ops` reads past the room's ops to its answer: take them first.)
    console.listen().await?;
    console
        .act(Command::SetBearPhase(BearPhase::Reveal))
        .await?;
    anna.listen().await?;
    assert_eq!(anna.view.bears.len(), 1);
    assert_eq!(anna.view.bears[0].author_name, None);
    assert!(!anna.saw("Geheimnaam") && !anna.saw(r#""bob""#));
    // Under the pseudonym in the log too: nothing ties the bear to Bob's actor.
    let bear = console
        .doc
        .workshop()
        .notes
        .values()
        .find(|n| n.text.value == "Geen tijd voor netwerken")
        .ok_or("the console has the bear")?;
    assert_eq!(Some(bear.author.as_str()), bob.pseudonym.as_deref());
    relay.stop().await
}

#[tokio::test]
async fn an_intent_for_someone_elses_note_or_actor_is_refused_and_changes_nothing() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let (room, mut console) = room_with_console(&relay).await?;
    let mut bob = Phone::connect(relay.addr, &room, "bob").await?;
    bob.intend(join("Bob")).await?;
    bob.intend(note("Van Bob")).await?;
    let bobs = bob.view.notes[0].id.clone();
    let mut eve = Phone::connect(relay.addr, &room, "eve").await?;
    eve.intend(join("Eve")).await?;

    let edit = Intent::EditNote {
        id: bobs.clone(),
        text: "Van Eve".into(),
    };
    assert!(matches!(
        eve.intend(edit.clone()).await?,
        Verdict::Rejected(_)
    ));
    assert!(matches!(
        eve.intend(Intent::DeleteNote { id: bobs.clone() }).await?,
        Verdict::Rejected(_)
    ));
    // Numbered as Bob: his actor is not hers.
    let as_bob = OpId {
        actor: ActorId::new("bob"),
        seq: 99,
    };
    assert!(matches!(
        eve.send(as_bob, note("Ik ben Bob")).await?,
        Verdict::Rejected(_)
    ));
    // Refused intents keep her numbering whole: the next one is taken.
    assert_eq!(eve.intend(note("Van Eve zelf")).await?, Verdict::Acked);

    console.listen().await?;
    let texts = console.note_texts();
    assert!(texts.contains(&"Van Bob".to_owned()), "{texts:?}");
    assert!(
        !texts.iter().any(|t| t == "Van Eve" || t == "Ik ben Bob"),
        "{texts:?}"
    );
    assert!(texts.contains(&"Van Eve zelf".to_owned()));

    // Ops from a view phone are checked as any participant's; intents from a replica
    // client are not taken.
    let mut replica = WsClient::connect(relay.addr, &room).await?;
    replica
        .hello(&room, participant("mallory"), &Default::default())
        .await?;
    replica
        .send(&ClientMsg::Intent {
            op_id: OpId {
                actor: ActorId::new("mallory"),
                seq: 1,
            },
            intent: join("M"),
        })
        .await?;
    assert!(matches!(
        replica.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::Malformed { .. }
        }
    ));
    relay.stop().await
}

#[tokio::test]
async fn the_console_cannot_ask_for_a_view() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let fac = facilitator_doc()?;
    let created = create_room(relay.addr, all_ops(&fac)).await?;
    let mut ws = WsClient::connect(relay.addr, &created.room_id).await?;
    ws.send(&ClientMsg::ViewHello {
        protocol_version: PROTOCOL_VERSION,
        room: created.room_id.clone(),
        credential: Credential::Facilitator {
            key: created.facilitator_key.clone(),
        },
    })
    .await?;
    assert!(matches!(
        ws.recv_skip_presence().await?,
        ServerMsg::Error {
            code: ErrorCode::Malformed { .. }
        }
    ));
    relay.stop().await
}

#[tokio::test]
async fn an_intent_sent_again_after_a_lost_answer_is_applied_once() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let (room, mut console) = room_with_console(&relay).await?;
    let mut anna = Phone::connect(relay.addr, &room, "anna").await?;
    anna.intend(join("Anna")).await?;
    let id = anna.next_id(false);
    // Sent, and the connection lost before the answer was read.
    anna.ws
        .send(&ClientMsg::Intent {
            op_id: id.clone(),
            intent: note("Eenmaal"),
        })
        .await?;
    anna.ws.drain_frames().await?;
    drop(anna);
    let mut anna = Phone::connect(relay.addr, &room, "anna").await?;
    assert_eq!(
        anna.next_own,
        id.seq + 1,
        "the relay's vector says it was stored"
    );
    assert_eq!(
        anna.send(id.clone(), note("Eenmaal")).await?,
        Verdict::Acked
    );
    // Resent with other words: still the stored op, never a second note.
    assert_eq!(anna.send(id, note("Tweemaal")).await?, Verdict::Acked);
    console.listen().await?;
    let texts = console.note_texts();
    assert_eq!(
        texts.iter().filter(|t| t.as_str() == "Eenmaal").count(),
        1,
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t == "Tweemaal"));
    assert_eq!(anna.view.notes.len(), 1);
    relay.stop().await
}

#[tokio::test]
async fn a_phone_downloads_its_own_contributions_and_nobody_elses() -> TestResult {
    let fx = Fixture::new()?;
    let relay = fx.start_crowded(Limits::default()).await?;
    let (room, _console) = room_with_console(&relay).await?;
    let mut anna = Phone::connect(relay.addr, &room, "anna").await?;
    anna.intend(join("Anna")).await?;
    anna.intend(note("Samen met de school")).await?;
    anna.intend(Intent::AddBear {
        text: "Wie betaalt dit?".into(),
    })
    .await?;
    let mut bob = Phone::connect(relay.addr, &room, "bob").await?;
    bob.intend(join("Bob")).await?;
    bob.intend(note("Van Bob")).await?;
    anna.ws
        .send(&ClientMsg::Report {
            lang: bijeen_core::Lang::Nl,
        })
        .await?;
    let report = loop {
        let frame = anna
            .ws
            .next_raw(Duration::from_secs(5))
            .await?
            .ok_or("closed")?;
        if let bijeen_view::Down::Report { file_name, text } =
            serde_json::from_str::<bijeen_view::Down>(&frame)?
        {
            break (file_name, text);
        }
    };
    let (file_name, report) = report;
    assert!(
        file_name.ends_with(".md") && file_name.starts_with("werken-in-netwerken"),
        "{file_name}"
    );
    assert!(report.contains("Samen met de school"), "{report}");
    assert!(report.contains("Wie betaalt dit?"), "{report}");
    assert!(!report.contains("Van Bob"), "{report}");
    relay.stop().await
}
