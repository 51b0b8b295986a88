//! What a participant's phone is sent: its view (`phone_view`) holds what its screen may
//! show and nothing else. Each test is an attempt to read what must stay hidden, checked
//! on the view's JSON, which is what reaches the device.
#![allow(clippy::unwrap_used)]

use bijeen_core::phone_view::{command_of, phone_view};
use bijeen_core::*;
use bijeen_view::{Intent, Now, PhoneView};

const T0: i64 = 1_741_939_200_000;
const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

fn sync(a: &mut Doc, b: &mut Doc) {
    for op in a.missing_for(b.version_vector()) {
        b.receive(&op).unwrap();
    }
    for op in b.missing_for(a.version_vector()) {
        a.receive(&op).unwrap();
    }
}

struct Room {
    fac: Doc,
    anna: Doc,
    bob: Doc,
    group: GroupId,
}

impl Room {
    fn new() -> Self {
        let mut fac = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
        fac.execute(
            &Command::SetBoardOpen {
                board: BoardKind::Brainstorm,
                open: true,
            },
            F,
            T0,
        )
        .unwrap();
        let group = fac.workshop().groups_in_order()[0].0.clone();
        let mut anna = Doc::new(ActorId::new("anna"));
        let mut bob = Doc::new(ActorId::new("bob"));
        bob.set_pseudonym(ActorId::new("bobpseudo"));
        sync(&mut fac, &mut anna);
        sync(&mut fac, &mut bob);
        let mut room = Room {
            fac,
            anna,
            bob,
            group,
        };
        room.anna_does(&Command::Join {
            name: "Anna".into(),
            group: Some(room.group.clone()),
        });
        room.bob_does(&Command::Join {
            name: "Bob Geheimnaam".into(),
            group: Some(room.group.clone()),
        });
        room
    }

    fn sync_all(&mut self) {
        sync(&mut self.anna, &mut self.fac);
        sync(&mut self.bob, &mut self.fac);
        sync(&mut self.fac, &mut self.anna);
        sync(&mut self.fac, &mut self.bob);
    }

    fn fac_does(&mut self, cmd: &Command) {
        self.fac.execute(cmd, F, T0 + 10).unwrap();
        self.sync_all();
    }

    fn anna_does(&mut self, cmd: &Command) -> Vec<Op> {
        let ops = self.anna.execute(cmd, P, T0 + 5).unwrap();
        self.sync_all();
        ops
    }

    fn bob_does(&mut self, cmd: &Command) -> Vec<Op> {
        let ops = self.bob.execute(cmd, P, T0 + 5).unwrap();
        self.sync_all();
        ops
    }

    fn view_of_anna(&self) -> (PhoneView, String) {
        let v = phone_view(self.fac.workshop(), &self.anna.principal());
        let json = serde_json::to_string(&v).unwrap();
        (v, json)
    }

    fn view_of_bob(&self) -> (PhoneView, String) {
        let v = phone_view(self.fac.workshop(), &self.bob.principal());
        let json = serde_json::to_string(&v).unwrap();
        (v, json)
    }

    fn add_note(&mut self, who: &str, text: &str) -> NoteId {
        let cmd = Command::AddNote {
            board: BoardKind::Brainstorm,
            group: Some(self.group.clone()),
            category: Some(Category::Netwerkpartner),
            text: text.into(),
            colour: None,
        };
        let ops = if who == "anna" {
            self.anna_does(&cmd)
        } else {
            self.bob_does(&cmd)
        };
        NoteId(ops[0].created_id().unwrap())
    }
}

#[test]
fn a_note_hidden_until_the_reveal_reaches_only_its_author() {
    let mut room = Room::new();
    room.fac_does(&Command::SetHideUntilReveal {
        board: BoardKind::Brainstorm,
        hide: true,
    });
    room.add_note("bob", "Bibliotheek Hoorn als partner");
    let (anna, json) = room.view_of_anna();
    assert!(!json.contains("Bibliotheek Hoorn"), "{json}");
    assert!(anna.notes.is_empty());
    assert_eq!(anna.head.brainstorm.withheld, 1, "she is told one waits");
    let (bob, _) = room.view_of_bob();
    assert_eq!(bob.notes.len(), 1);
    assert!(bob.notes[0].mine);

    room.fac_does(&Command::Reveal {
        board: BoardKind::Brainstorm,
    });
    let (anna, _) = room.view_of_anna();
    assert_eq!(anna.notes.len(), 1);
    assert!(!anna.notes[0].mine);
    assert_eq!(anna.head.brainstorm.withheld, 0);
}

#[test]
fn a_note_the_facilitator_hides_is_gone_from_the_other_phones_and_not_counted() {
    let mut room = Room::new();
    let note = room.add_note("bob", "Iets ongepasts");
    assert!(room.view_of_anna().1.contains("Iets ongepasts"));
    room.fac_does(&Command::HideNote {
        id: note,
        hidden: true,
    });
    let (anna, json) = room.view_of_anna();
    assert!(!json.contains("Iets ongepasts"), "{json}");
    assert_eq!(anna.head.brainstorm.withheld, 0);
    assert!(
        room.view_of_bob().1.contains("Iets ongepasts"),
        "its author keeps it"
    );
}

#[test]
fn nobody_elses_name_group_or_actor_reaches_a_phone() {
    let mut room = Room::new();
    room.add_note("bob", "Samen met het archief");
    let (_, json) = room.view_of_anna();
    assert!(json.contains("Samen met het archief"));
    assert!(!json.contains("Geheimnaam"), "{json}");
    assert!(!json.contains("\"bob\""), "{json}");
    let (bob, _) = room.view_of_bob();
    assert_eq!(
        bob.head.me.name, "Bob Geheimnaam",
        "a phone sees its own name"
    );
}

#[test]
fn an_anonymous_bear_reaches_the_wall_without_its_author() {
    let mut room = Room::new();
    let ops = room.bob_does(&Command::AddNote {
        board: BoardKind::Bears,
        group: None,
        category: None,
        text: "Geen tijd voor netwerken".into(),
        colour: None,
    });
    assert_eq!(ops[0].id.actor.as_str(), "bobpseudo");
    let (anna, json) = room.view_of_anna();
    assert!(
        anna.bears.is_empty(),
        "while collecting, a phone sees only its own"
    );
    assert!(!json.contains("Geen tijd"));
    let (bob, _) = room.view_of_bob();
    assert_eq!(bob.bears.len(), 1);
    assert!(bob.bears[0].mine && bob.bears[0].by_pseudonym);

    room.fac_does(&Command::SetBearPhase(BearPhase::Reveal));
    let (anna, json) = room.view_of_anna();
    assert_eq!(anna.bears.len(), 1);
    assert!(!anna.bears[0].mine && !anna.bears[0].by_pseudonym);
    assert_eq!(anna.bears[0].author_name, None);
    assert!(
        !json.contains("Geheimnaam") && !json.contains("\"bob\""),
        "{json}"
    );
    assert!(!json.contains("by_pseudonym"), "{json}");
}

#[test]
fn the_facilitators_own_notes_on_a_block_stay_on_the_console() {
    let mut room = Room::new();
    let block = room.fac.workshop().blocks_in_order()[1].0.clone();
    room.fac_does(&Command::EditBlock {
        id: block.clone(),
        edit: BlockEdit::Notes("Draaiboek: Katja belt om 10:20".into()),
    });
    room.fac_does(&Command::AddAgreement {
        list: AgreementList::OpenEnd,
        text: "Budget nog onduidelijk".into(),
        owner: "Katja".into(),
        due: None,
    });
    room.fac_does(&Command::StartBlock(block));
    let (anna, json) = room.view_of_anna();
    assert!(matches!(anna.head.now, Now::Block(_)));
    assert!(!json.contains("Draaiboek"), "{json}");
    assert!(!json.contains("Budget nog"), "{json}");
}

#[test]
fn an_intent_is_decided_as_the_participants_own_command() {
    let mut room = Room::new();
    let bobs = room.add_note("bob", "Van Bob");
    let ctx = DecideCtx {
        actor: room.anna.actor().clone(),
        role: P,
        now_ms: T0 + 20,
        pseudonym: None,
    };
    let w = room.fac.workshop();
    let add = command_of(&Intent::AddNote {
        group: Some(room.group.0.clone()),
        category: Some("activiteit".into()),
        text: "Leesclub".into(),
    })
    .unwrap();
    assert_eq!(
        decide(w, &add, &ctx).unwrap().len(),
        1,
        "one intent, one op"
    );
    let edit = command_of(&Intent::EditNote {
        id: bobs.0.clone(),
        text: "Van Anna".into(),
    })
    .unwrap();
    assert_eq!(decide(w, &edit, &ctx), Err(DomainError::NotYourNote));
    assert!(
        command_of(&Intent::AddNote {
            group: None,
            category: Some("geheim".into()),
            text: "x".into(),
        })
        .is_err(),
        "an unknown category is refused"
    );
}
