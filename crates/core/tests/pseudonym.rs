//! Bears under a pseudonym: while the wall is anonymous a participant writes, edits and
//! votes on bears under a second actor that never joins, so the log itself ties no bear to
//! a name; the rules the relay enforces for that pseudonym; and the refusals that must not
//! tell a participant which hidden notes exist.
#![allow(clippy::unwrap_used)]

use bijeen_core::op::{NoteField, OpBody};
use bijeen_core::*;

const T0: i64 = 1_741_939_200_000;
const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

fn sync(from: &Doc, to: &mut Doc) {
    for op in from.missing_for(to.version_vector()) {
        to.receive(&op).unwrap();
    }
}

fn both(a: &mut Doc, b: &mut Doc) {
    sync(a, b);
    sync(b, a);
}

fn add(doc: &mut Doc, board: BoardKind, text: &str, at: i64) -> Result<Vec<Op>, DomainError> {
    doc.execute(
        &Command::AddNote {
            board,
            group: None,
            category: None,
            text: text.into(),
            colour: None,
        },
        P,
        at,
    )
}

/// The facilitator with an open brainstorm board, and a joined participant `anna` whose
/// relay has named her pseudonym `p9`.
fn room() -> (Doc, Doc) {
    let mut fac = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
    fac.execute(
        &Command::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
        F,
        T0 + 1,
    )
    .unwrap();
    let mut anna = Doc::new(ActorId::new("anna"));
    sync(&fac, &mut anna);
    anna.set_pseudonym(ActorId::new("p9"));
    anna.execute(
        &Command::Join {
            name: "Anna".into(),
            group: None,
        },
        P,
        T0 + 2,
    )
    .unwrap();
    sync(&anna, &mut fac);
    (fac, anna)
}

fn principal(actor: &str, pseudonym: &str) -> Principal {
    Principal {
        actor: ActorId::new(actor),
        pseudonym: Some(ActorId::new(pseudonym)),
    }
}

#[test]
fn on_an_anonymous_wall_a_bear_is_written_under_the_pseudonym_which_never_joins() {
    let (mut fac, mut anna) = room();
    let ops = add(&mut anna, BoardKind::Bears, "Geen tijd", T0 + 10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].id.actor.as_str(), "p9");
    assert_eq!(ops[0].id.seq, 1, "the pseudonym numbers its own ops");
    let bear = NoteId(ops[0].created_id().unwrap());
    assert!(!bear.as_str().contains("anna"));
    // Her brainstorm note stays under her own name, numbered on from her Join.
    let note = add(&mut anna, BoardKind::Brainstorm, "Buurthuis", T0 + 11).unwrap();
    assert_eq!(note[0].id.actor.as_str(), "anna");
    assert_eq!(note[0].id.seq, 2);

    both(&mut anna, &mut fac);
    let w = fac.workshop();
    assert_eq!(w.notes[&bear].author.as_str(), "p9");
    assert!(w.participant(&ParticipantId::from("p9")).is_none());
    assert!(
        fac.ops()
            .filter(|o| o.id.actor.as_str() == "p9")
            .all(|o| matches!(o.body, OpBody::CreateNote { .. } | OpBody::SetNote { .. }))
    );

    // Her edits of the bear go under the pseudonym too, and only she may make them.
    let edit = anna
        .execute(
            &Command::EditNote {
                id: bear.clone(),
                text: "Geen tijd voor netwerken".into(),
            },
            P,
            T0 + 12,
        )
        .unwrap();
    assert_eq!(edit[0].id.actor.as_str(), "p9");
    assert_eq!(edit[0].id.seq, 2);
    assert_eq!(
        authorize_as(fac.workshop(), &edit[0], P, &principal("anna", "p9")),
        Ok(())
    );
}

#[test]
fn the_pseudonym_keeps_numbering_after_a_reload() {
    let (_, mut anna) = room();
    add(&mut anna, BoardKind::Bears, "Een", T0 + 10).unwrap();
    add(&mut anna, BoardKind::Bears, "Twee", T0 + 11).unwrap();
    let mut again = Doc::load_as(&anna.save(), ActorId::new("anna")).unwrap();
    again.set_pseudonym(ActorId::new("p9"));
    let ops = add(&mut again, BoardKind::Bears, "Drie", T0 + 12).unwrap();
    assert_eq!(ops[0].id.seq, 3);
}

#[test]
fn on_a_named_wall_bears_carry_the_participants_own_actor() {
    let (mut fac, mut anna) = room();
    fac.execute(&Command::SetBearsAnonymous(false), F, T0 + 5)
        .unwrap();
    sync(&fac, &mut anna);
    let ops = add(&mut anna, BoardKind::Bears, "Geen budget", T0 + 10).unwrap();
    assert_eq!(ops[0].id.actor.as_str(), "anna");
    // Once the wall is anonymous again, a bear she wrote under her name stays hers.
    fac.execute(&Command::SetBearsAnonymous(true), F, T0 + 20)
        .unwrap();
    sync(&fac, &mut anna);
    let bear = NoteId(ops[0].created_id().unwrap());
    let edit = anna
        .execute(
            &Command::EditNote {
                id: bear,
                text: "Geen geld".into(),
            },
            P,
            T0 + 21,
        )
        .unwrap();
    assert_eq!(edit[0].id.actor.as_str(), "anna");
}

fn body_create_bear() -> OpBody {
    OpBody::CreateNote {
        board: BoardKind::Bears,
        group: None,
        category: None,
        text: "x".into(),
        colour: Colour::default(),
        order: "m".into(),
    }
}

#[test]
fn a_pseudonym_may_only_write_bears_and_only_for_a_participant_who_joined() {
    let (fac, _) = room();
    let w = fac.workshop();
    let me = principal("anna", "p9");
    let p9 = ActorId::new("p9");
    let check =
        |actor: &ActorId, body: &OpBody, who: &Principal| authorize_body_as(w, actor, body, P, who);
    assert_eq!(check(&p9, &body_create_bear(), &me), Ok(()));
    let join = OpBody::Join {
        name: "Niemand".into(),
        group: None,
    };
    assert_eq!(check(&p9, &join, &me), Err(DomainError::NotAllowedForRole));
    let brainstorm = OpBody::CreateNote {
        board: BoardKind::Brainstorm,
        group: None,
        category: None,
        text: "x".into(),
        colour: Colour::default(),
        order: "m".into(),
    };
    assert_eq!(
        check(&p9, &brainstorm, &me),
        Err(DomainError::NotAllowedForRole)
    );
    let rename = OpBody::SetParticipant {
        id: ParticipantId::from("p9"),
        field: op::ParticipantField::Name("x".into()),
    };
    assert_eq!(
        check(&p9, &rename, &me),
        Err(DomainError::NotAllowedForRole)
    );
    // Not joined: the pseudonym of someone who never joined writes nothing.
    let stranger = principal("bob", "p7");
    assert_eq!(
        check(&ActorId::new("p7"), &body_create_bear(), &stranger),
        Err(DomainError::NotJoined)
    );
    // Neither a third actor nor another person's pseudonym.
    assert_eq!(
        check(&ActorId::new("p7"), &body_create_bear(), &me),
        Err(DomainError::NotYourself)
    );
}

#[test]
fn under_ones_own_name_no_bear_is_written_or_voted_on_while_the_wall_is_anonymous() {
    let (fac, _) = room();
    let me = principal("anna", "p9");
    assert_eq!(
        authorize_body_as(
            fac.workshop(),
            &ActorId::new("anna"),
            &body_create_bear(),
            P,
            &me
        ),
        Err(DomainError::BearsAreAnonymous)
    );
    // Without a pseudonym (an older client) the old rule still applies.
    assert_eq!(
        authorize_body(
            fac.workshop(),
            &ActorId::new("anna"),
            &body_create_bear(),
            P
        ),
        Ok(())
    );
}

#[test]
fn votes_of_a_participant_and_their_pseudonym_share_one_budget() {
    let (mut fac, mut anna) = room();
    // Anna writes three bears, the facilitator opens bear voting with 3 dots.
    let mut bears = Vec::new();
    for (i, text) in ["Een", "Twee", "Drie", "Vier"].iter().enumerate() {
        let ops = add(&mut anna, BoardKind::Bears, text, T0 + 10 + i as i64).unwrap();
        bears.push(NoteId(ops[0].created_id().unwrap()));
    }
    both(&mut anna, &mut fac);
    fac.execute(&Command::SetBearPhase(BearPhase::Vote), F, T0 + 30)
        .unwrap();
    sync(&fac, &mut anna);
    let round = fac
        .workshop()
        .open_round(BoardKind::Bears)
        .unwrap()
        .0
        .clone();
    let budget = fac
        .workshop()
        .open_round(BoardKind::Bears)
        .unwrap()
        .1
        .budget;
    for (i, bear) in bears.iter().take(budget as usize).enumerate() {
        let ops = anna
            .execute(
                &Command::CastVote { note: bear.clone() },
                P,
                T0 + 40 + i as i64,
            )
            .unwrap();
        assert_eq!(
            ops[0].id.actor.as_str(),
            "p9",
            "a bear vote is anonymous too"
        );
    }
    assert_eq!(
        anna.execute(
            &Command::CastVote {
                note: bears[3].clone()
            },
            P,
            T0 + 50
        ),
        Err(DomainError::VoteBudgetExhausted { budget })
    );
    // A hand-made ballot under her own name on top is refused by the same budget.
    both(&mut anna, &mut fac);
    fac.execute(&Command::SetBearsAnonymous(false), F, T0 + 60)
        .unwrap();
    let extra = OpBody::SetVote {
        round,
        note: bears[3].clone(),
        count: 1,
    };
    assert_eq!(
        authorize_body_as(
            fac.workshop(),
            &ActorId::new("anna"),
            &extra,
            P,
            &principal("anna", "p9")
        ),
        Err(DomainError::VoteBudgetExhausted { budget })
    );
}

#[test]
fn a_refusal_never_tells_a_participant_that_a_hidden_note_exists() {
    let (mut fac, mut anna) = room();
    fac.execute(
        &Command::SetHideUntilReveal {
            board: BoardKind::Brainstorm,
            hide: true,
        },
        F,
        T0 + 3,
    )
    .unwrap();
    sync(&fac, &mut anna);
    let mut bob = Doc::new(ActorId::new("bob"));
    sync(&fac, &mut bob);
    bob.execute(
        &Command::Join {
            name: "Bob".into(),
            group: None,
        },
        P,
        T0 + 4,
    )
    .unwrap();
    let ops = add(&mut bob, BoardKind::Brainstorm, "Geheim", T0 + 5).unwrap();
    let hidden = NoteId(ops[0].created_id().unwrap());
    both(&mut bob, &mut fac);
    let edit = OpBody::SetNote {
        id: hidden.clone(),
        field: NoteField::Text("ha".into()),
    };
    let w = fac.workshop();
    let anna_id = ActorId::new("anna");
    assert_eq!(
        authorize_body(w, &anna_id, &edit, P),
        Err(DomainError::UnknownNote),
        "the same answer as for a note that does not exist"
    );
    let missing = OpBody::SetNote {
        id: NoteId::from("bob-99"),
        field: NoteField::Text("ha".into()),
    };
    assert_eq!(
        authorize_body(w, &anna_id, &missing, P),
        Err(DomainError::UnknownNote)
    );
    // Once revealed it is visible, and then it is simply not hers.
    fac.execute(
        &Command::Reveal {
            board: BoardKind::Brainstorm,
        },
        F,
        T0 + 6,
    )
    .unwrap();
    assert_eq!(
        authorize_body(fac.workshop(), &anna_id, &edit, P),
        Err(DomainError::NotYourNote)
    );
}

#[test]
fn a_replica_that_saw_a_clock_far_ahead_still_stamps_near_its_own_time() {
    let (_, mut anna) = room();
    let poisoned = Op {
        id: OpId {
            actor: ActorId::new("mallory"),
            seq: 1,
        },
        hlc: Hlc {
            wall_ms: i64::MAX,
            counter: u32::MAX,
        },
        body: OpBody::SetMeta(op::MetaField::Title("ha".into())),
    };
    anna.receive(&poisoned).unwrap();
    let ops = add(&mut anna, BoardKind::Brainstorm, "Gewoon", T0 + 100).unwrap();
    assert!(ops[0].hlc.is_plausible_at(T0 + 100), "{:?}", ops[0].hlc);
    let next = add(&mut anna, BoardKind::Brainstorm, "Daarna", T0 + 100).unwrap();
    assert!(next[0].hlc > ops[0].hlc);
}

#[test]
fn a_placeholder_is_replaced_by_its_op_and_survives_a_reload() {
    let (mut fac, mut anna) = room();
    let mut bob = Doc::new(ActorId::new("bob"));
    sync(&fac, &mut bob);
    bob.execute(
        &Command::Join {
            name: "Bob".into(),
            group: None,
        },
        P,
        T0 + 4,
    )
    .unwrap();
    let ops = add(&mut bob, BoardKind::Brainstorm, "Later zichtbaar", T0 + 5).unwrap();
    both(&mut bob, &mut fac);
    let note = NoteId(ops[0].created_id().unwrap());
    // Anna gets Bob's join, and a placeholder for his note.
    for op in bob.ops() {
        let delivered = if op.id == ops[0].id {
            Op::placeholder_of(&op.id)
        } else {
            op.clone()
        };
        anna.receive(&delivered).unwrap();
    }
    assert!(!anna.workshop().notes.contains_key(&note));
    assert_eq!(anna.version_vector().get(&ActorId::new("bob")), 2);
    assert_eq!(
        anna.placeholders().cloned().collect::<Vec<_>>(),
        [ops[0].id.clone()]
    );
    // A second placeholder, or one after the op, changes nothing.
    assert_eq!(anna.receive(&Op::placeholder_of(&ops[0].id)), Ok(false));

    let mut reloaded = Doc::load_as(&anna.save(), ActorId::new("anna")).unwrap();
    assert_eq!(reloaded.placeholders().count(), 1);
    assert_eq!(reloaded.receive(&ops[0]), Ok(true));
    assert_eq!(
        reloaded.workshop().note(&note).unwrap().text.value,
        "Later zichtbaar"
    );
    assert_eq!(reloaded.placeholders().count(), 0);
    assert_eq!(reloaded.receive(&Op::placeholder_of(&ops[0].id)), Ok(false));
    assert_eq!(reloaded.receive(&ops[0]), Ok(false));
    // The filled replica equals one that got the op in the first place.
    let mut direct = Doc::new(ActorId::new("anna"));
    for op in reloaded.ops() {
        direct.receive(op).unwrap();
    }
    assert!(direct.workshop() == reloaded.workshop());
    // Placeholders carry nothing, not even the time.
    let json = serde_json::to_string(&Op::placeholder_of(&ops[0].id)).unwrap();
    assert_eq!(json, r#"{"id":["bob",2],"hlc":[0,0],"body":"withheld"}"#);
}
