//! Unit tests of the domain rules, each named after the rule it checks.
#![allow(clippy::unwrap_used)]

use bijeen_core::op::{NoteField, OpBody};
use bijeen_core::*;

const T0: i64 = 1_741_939_200_000;
const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

fn seed() -> Doc {
    Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0)
}

/// A participant replica that has everything the facilitator has, and has joined.
fn participant(fac: &Doc, name: &str) -> (Doc, Vec<Op>) {
    let mut p = Doc::new(ActorId::new(name));
    for op in fac.missing_for(p.version_vector()) {
        p.receive(&op).unwrap();
    }
    let ops = p
        .execute(
            &Command::Join {
                name: name.to_uppercase(),
                group: None,
            },
            P,
            T0 + 1,
        )
        .unwrap();
    (p, ops)
}

fn sync(a: &mut Doc, b: &mut Doc) {
    for op in a.missing_for(b.version_vector()) {
        b.receive(&op).unwrap();
    }
    for op in b.missing_for(a.version_vector()) {
        a.receive(&op).unwrap();
    }
}

fn add_note(
    doc: &mut Doc,
    role: Role,
    board: BoardKind,
    text: &str,
) -> Result<NoteId, DomainError> {
    let ops = doc.execute(
        &Command::AddNote {
            board,
            group: None,
            category: None,
            text: text.into(),
            colour: None,
        },
        role,
        T0 + 10,
    )?;
    Ok(NoteId(ops[0].created_id().unwrap()))
}

fn open_board(fac: &mut Doc) {
    fac.execute(
        &Command::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
        F,
        T0 + 2,
    )
    .unwrap();
}

#[test]
fn participant_cannot_add_notes_to_a_closed_board() {
    let fac = seed();
    let (mut p, _) = participant(&fac, "p1");
    assert_eq!(
        add_note(&mut p, P, BoardKind::Brainstorm, "Bibliotheek"),
        Err(DomainError::BoardClosed)
    );
}

#[test]
fn participant_must_join_before_adding_notes() {
    let mut fac = seed();
    open_board(&mut fac);
    let mut p = Doc::new(ActorId::new("p1"));
    for op in fac.missing_for(p.version_vector()) {
        p.receive(&op).unwrap();
    }
    assert_eq!(
        add_note(&mut p, P, BoardKind::Brainstorm, "x"),
        Err(DomainError::NotJoined)
    );
}

#[test]
fn participant_edits_and_deletes_only_own_notes() {
    let mut fac = seed();
    open_board(&mut fac);
    let (mut p1, _) = participant(&fac, "p1");
    let (mut p2, _) = participant(&fac, "p2");
    let note = add_note(&mut p1, P, BoardKind::Brainstorm, "Bibliotheek").unwrap();
    sync(&mut p1, &mut p2);
    let edit = Command::EditNote {
        id: note.clone(),
        text: "Buurthuis".into(),
    };
    assert_eq!(p2.execute(&edit, P, T0 + 20), Err(DomainError::NotYourNote));
    assert_eq!(
        p2.execute(&Command::DeleteNote(note.clone()), P, T0 + 20),
        Err(DomainError::NotYourNote)
    );
    p1.execute(&edit, P, T0 + 20).unwrap();
    assert_eq!(
        p1.workshop().note(&note).unwrap().text.as_str(),
        "Buurthuis"
    );
    p1.execute(&Command::DeleteNote(note.clone()), P, T0 + 21)
        .unwrap();
    // Restoring and hiding are moderation, even for one's own note.
    assert_eq!(
        p1.execute(&Command::RestoreNote(note.clone()), P, T0 + 22),
        Err(DomainError::NotAllowedForRole)
    );
}

#[test]
fn participant_may_not_run_the_timer_or_edit_the_agenda() {
    let fac = seed();
    let (mut p, _) = participant(&fac, "p1");
    assert_eq!(
        p.execute(&Command::StartWorkshop, P, T0),
        Err(DomainError::NotAllowedForRole)
    );
    assert_eq!(
        p.execute(&Command::SetTitle("Mijn workshop".into()), P, T0),
        Err(DomainError::NotAllowedForRole)
    );
}

#[test]
fn participant_renames_and_regroups_only_themselves() {
    let fac = seed();
    let (mut p1, _) = participant(&fac, "p1");
    let group = fac.workshop().groups_in_order()[0].0.clone();
    p1.execute(
        &Command::Rename {
            name: "Anna".into(),
        },
        P,
        T0 + 5,
    )
    .unwrap();
    p1.execute(
        &Command::SetGroup {
            group: Some(group.clone()),
        },
        P,
        T0 + 6,
    )
    .unwrap();
    let me = ParticipantId::from("p1");
    assert_eq!(
        p1.workshop().participant(&me).unwrap().name.as_str(),
        "Anna"
    );
    assert_eq!(
        p1.execute(
            &Command::RenameParticipant {
                id: ParticipantId::from("fac"),
                name: "x".into()
            },
            P,
            T0 + 7
        ),
        Err(DomainError::UnknownParticipant)
    );
    let op = Op {
        id: OpId {
            actor: ActorId::new("p1"),
            seq: 99,
        },
        hlc: Hlc::default(),
        body: OpBody::SetParticipant {
            id: ParticipantId::from("p2"),
            field: op::ParticipantField::Name("gekaapt".into()),
        },
    };
    assert_eq!(
        authorize(p1.workshop(), &op, P),
        Err(DomainError::NotYourself)
    );
}

#[test]
fn bears_are_added_only_while_collecting_and_then_only_the_facilitator_edits_them() {
    let mut fac = seed();
    let (mut p, _) = participant(&fac, "p1");
    let bear = add_note(&mut p, P, BoardKind::Bears, "Geen tijd").unwrap();
    sync(&mut fac, &mut p);
    fac.execute(&Command::SetBearPhase(BearPhase::Reveal), F, T0 + 30)
        .unwrap();
    sync(&mut fac, &mut p);
    assert_eq!(
        add_note(&mut p, P, BoardKind::Bears, "Te laat"),
        Err(DomainError::BearWallNotCollecting)
    );
    assert_eq!(
        p.execute(
            &Command::EditNote {
                id: bear.clone(),
                text: "anders".into()
            },
            P,
            T0 + 31
        ),
        Err(DomainError::BearWallNotCollecting)
    );
    fac.execute(
        &Command::EditNote {
            id: bear,
            text: "Geen tijd voor netwerken".into(),
        },
        F,
        T0 + 32,
    )
    .unwrap();
}

#[test]
fn bears_are_hidden_until_reveal_and_anonymous_by_default() {
    let mut fac = seed();
    let (mut p1, _) = participant(&fac, "p1");
    let (mut p2, _) = participant(&fac, "p2");
    let bear = add_note(&mut p1, P, BoardKind::Bears, "Geen tijd").unwrap();
    sync(&mut p1, &mut p2);
    let w = p2.workshop();
    assert!(!w.visible_to(&bear, &ParticipantId::from("p2"), P));
    assert!(w.visible_to(&bear, &ParticipantId::from("p1"), P));
    assert!(w.visible_to(&bear, &ParticipantId::from("fac"), F));
    assert!(!w.author_shown(&bear));
    sync(&mut fac, &mut p2);
    fac.execute(&Command::SetBearPhase(BearPhase::Reveal), F, T0 + 30)
        .unwrap();
    sync(&mut fac, &mut p2);
    assert!(
        p2.workshop()
            .visible_to(&bear, &ParticipantId::from("p2"), P)
    );
}

#[test]
fn votes_stay_within_the_budget_of_the_round() {
    let mut fac = seed();
    open_board(&mut fac);
    let notes: Vec<NoteId> = (0..4)
        .map(|i| add_note(&mut fac, F, BoardKind::Brainstorm, &format!("idee {i}")).unwrap())
        .collect();
    fac.execute(
        &Command::OpenVoting {
            board: BoardKind::Brainstorm,
            budget: 3,
            allow_multiple: false,
        },
        F,
        T0 + 40,
    )
    .unwrap();
    let (mut p, _) = participant(&fac, "p1");
    for n in &notes[..3] {
        p.execute(&Command::CastVote { note: n.clone() }, P, T0 + 41)
            .unwrap();
    }
    assert_eq!(
        p.execute(
            &Command::CastVote {
                note: notes[3].clone()
            },
            P,
            T0 + 42
        ),
        Err(DomainError::VoteBudgetExhausted { budget: 3 })
    );
    p.execute(
        &Command::RemoveVote {
            note: notes[0].clone(),
        },
        P,
        T0 + 43,
    )
    .unwrap();
    assert_eq!(
        p.execute(
            &Command::CastVote {
                note: notes[1].clone()
            },
            P,
            T0 + 44
        ),
        Err(DomainError::OneVotePerNote)
    );
    p.execute(
        &Command::CastVote {
            note: notes[3].clone(),
        },
        P,
        T0 + 45,
    )
    .unwrap();
    assert_eq!(p.workshop().vote_total(&notes[3]), 1);
    fac.execute(
        &Command::CloseVoting {
            board: BoardKind::Brainstorm,
        },
        F,
        T0 + 46,
    )
    .unwrap();
    sync(&mut fac, &mut p);
    assert_eq!(
        p.execute(
            &Command::CastVote {
                note: notes[0].clone()
            },
            P,
            T0 + 47
        ),
        Err(DomainError::VotingClosed)
    );
    // Closed rounds still show their result.
    assert_eq!(fac.workshop().vote_total(&notes[3]), 1);
}

#[test]
fn multiple_dots_per_note_when_allowed() {
    let mut fac = seed();
    let n = add_note(&mut fac, F, BoardKind::Brainstorm, "idee").unwrap();
    fac.execute(
        &Command::OpenVoting {
            board: BoardKind::Brainstorm,
            budget: 3,
            allow_multiple: true,
        },
        F,
        T0 + 40,
    )
    .unwrap();
    let (mut p, _) = participant(&fac, "p1");
    for _ in 0..3 {
        p.execute(&Command::CastVote { note: n.clone() }, P, T0 + 41)
            .unwrap();
    }
    assert_eq!(p.workshop().vote_total(&n), 3);
}

#[test]
fn late_edit_never_resurrects_a_deleted_note() {
    let mut fac = seed();
    open_board(&mut fac);
    let (mut p, _) = participant(&fac, "p1");
    let n = add_note(&mut p, P, BoardKind::Brainstorm, "idee").unwrap();
    sync(&mut fac, &mut p);
    // Concurrently: the facilitator deletes, the author edits (with a later clock).
    fac.execute(&Command::DeleteNote(n.clone()), F, T0 + 50)
        .unwrap();
    p.execute(
        &Command::EditNote {
            id: n.clone(),
            text: "beter idee".into(),
        },
        P,
        T0 + 60,
    )
    .unwrap();
    sync(&mut fac, &mut p);
    assert!(fac.workshop().note(&n).is_none());
    assert_eq!(fac.workshop(), p.workshop());
    // Only an explicit restore brings it back, with the later text.
    fac.execute(&Command::RestoreNote(n.clone()), F, T0 + 70)
        .unwrap();
    assert_eq!(fac.workshop().note(&n).unwrap().text.as_str(), "beter idee");
}

#[test]
fn deleting_a_group_moves_its_notes_to_no_group_even_concurrently() {
    let mut fac = seed();
    open_board(&mut fac);
    let g = fac.workshop().groups_in_order()[0].0.clone();
    let (mut p, _) = participant(&fac, "p1");
    let n = add_note(&mut p, P, BoardKind::Brainstorm, "idee").unwrap();
    sync(&mut fac, &mut p);
    // The author moves the note into the group while the facilitator deletes the group.
    p.execute(
        &Command::MoveNote {
            id: n.clone(),
            group: Some(g.clone()),
            place: Place::End,
        },
        P,
        T0 + 80,
    )
    .unwrap();
    fac.execute(&Command::DeleteGroup(g.clone()), F, T0 + 70)
        .unwrap();
    sync(&mut fac, &mut p);
    assert_eq!(fac.workshop().note_group(&n), None);
    assert_eq!(fac.workshop(), p.workshop());
}

#[test]
fn concurrent_stacks_that_form_a_cycle_count_as_unstacked() {
    let mut a = seed();
    let n1 = add_note(&mut a, F, BoardKind::Brainstorm, "een").unwrap();
    let n2 = add_note(&mut a, F, BoardKind::Brainstorm, "twee").unwrap();
    let mut b = Doc::new(ActorId::new("fac2"));
    sync(&mut a, &mut b);
    a.execute(
        &Command::StackNote {
            id: n1.clone(),
            onto: n2.clone(),
        },
        F,
        T0 + 90,
    )
    .unwrap();
    b.execute(
        &Command::StackNote {
            id: n2.clone(),
            onto: n1.clone(),
        },
        F,
        T0 + 90,
    )
    .unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.workshop(), b.workshop());
    assert_eq!(a.workshop().stack_root(&n1), None);
    assert_eq!(a.workshop().stack_root(&n2), None);
}

#[test]
fn stacking_keeps_clusters_one_level_deep() {
    let mut a = seed();
    let n1 = add_note(&mut a, F, BoardKind::Brainstorm, "een").unwrap();
    let n2 = add_note(&mut a, F, BoardKind::Brainstorm, "twee").unwrap();
    let n3 = add_note(&mut a, F, BoardKind::Brainstorm, "drie").unwrap();
    let stack = |a: &mut Doc, id: &NoteId, onto: &NoteId| {
        a.execute(
            &Command::StackNote {
                id: id.clone(),
                onto: onto.clone(),
            },
            F,
            T0 + 90,
        )
    };
    stack(&mut a, &n2, &n1).unwrap();
    stack(&mut a, &n3, &n2).unwrap();
    assert_eq!(a.workshop().stack_root(&n3), Some(&n1));
    assert_eq!(stack(&mut a, &n1, &n3), Err(DomainError::StackOntoSelf));
    a.execute(
        &Command::SetClusterTitle {
            id: n1.clone(),
            title: "Getallen".into(),
        },
        F,
        T0 + 91,
    )
    .unwrap();
    assert_eq!(a.workshop().stacked_onto(&n1), vec![&n2, &n3]);
}

#[test]
fn taming_a_bear_creates_a_follow_up_action_linked_to_it() {
    let mut fac = seed();
    let bear = add_note(&mut fac, F, BoardKind::Bears, "Wie trekt het?").unwrap();
    fac.execute(
        &Command::TameBear {
            id: bear.clone(),
            action: None,
            owner: "Silvia".into(),
            due: Some("2025-04-01".into()),
        },
        F,
        T0 + 100,
    )
    .unwrap();
    let w = fac.workshop();
    assert_eq!(*w.note(&bear).unwrap().bear_status, BearStatus::Tamed);
    let actions = w.actions_for_bear(&bear);
    assert_eq!(actions.len(), 1);
    let a = actions[0].1;
    assert_eq!(a.text.as_str(), "Wie trekt het?");
    assert_eq!(a.owner.as_str(), "Silvia");
    assert_eq!(a.due.as_deref(), Some("2025-04-01"));
    assert_eq!(*a.list, AgreementList::FollowUp);
    assert_eq!(
        fac.execute(
            &Command::TameBear {
                id: bear,
                action: None,
                owner: "x".into(),
                due: Some("2025-02-30".into())
            },
            F,
            T0
        ),
        Err(DomainError::InvalidDate)
    );
}

#[test]
fn shooting_a_bear_records_the_answer() {
    let mut fac = seed();
    let bear = add_note(&mut fac, F, BoardKind::Bears, "Mag dit?").unwrap();
    fac.execute(
        &Command::ShootBear {
            id: bear.clone(),
            answer: " Ja, het mag. ".into(),
        },
        F,
        T0 + 100,
    )
    .unwrap();
    let n = fac.workshop().note(&bear).unwrap();
    assert_eq!(*n.bear_status, BearStatus::Shot);
    assert_eq!(n.bear_answer.as_str(), "Ja, het mag.");
}

#[test]
fn an_empty_field_is_refused_naming_the_field() {
    let mut fac = seed();
    let empty = |field| Err(DomainError::Empty { field });
    let bear = add_note(&mut fac, F, BoardKind::Bears, "Geen tijd").unwrap();
    let note = add_note(&mut fac, F, BoardKind::Brainstorm, "Bieb").unwrap();
    let block = fac.workshop().blocks_in_order()[0].0.clone();
    let group = fac.workshop().groups_in_order()[0].0.clone();
    let cases = [
        (
            Command::TameBear {
                id: bear.clone(),
                action: None,
                owner: " ".into(),
                due: None,
            },
            Field::Owner,
        ),
        (
            Command::AddNote {
                board: BoardKind::Bears,
                group: None,
                category: None,
                text: "".into(),
                colour: None,
            },
            Field::BearText,
        ),
        (
            Command::EditNote {
                id: bear,
                text: " ".into(),
            },
            Field::BearText,
        ),
        (
            Command::EditNote {
                id: note,
                text: "".into(),
            },
            Field::NoteText,
        ),
        (Command::SetTitle(" ".into()), Field::WorkshopTitle),
        (
            Command::EditBlock {
                id: block,
                edit: BlockEdit::Title("".into()),
            },
            Field::BlockTitle,
        ),
        (
            Command::AddGroup {
                name: "".into(),
                colour: None,
            },
            Field::GroupName,
        ),
        (
            Command::RenameGroup {
                id: group,
                name: " ".into(),
            },
            Field::GroupName,
        ),
        (
            Command::AddAgreement {
                list: AgreementList::FollowUp,
                text: "".into(),
                owner: "Silvia".into(),
                due: None,
            },
            Field::AgreementText,
        ),
        (
            Command::AddPlan {
                name: " ".into(),
                source_note: None,
            },
            Field::PlanName,
        ),
    ];
    for (command, field) in cases {
        let got = fac.execute(&command, F, T0 + 20).map(|_| ());
        assert_eq!(got, empty(field), "{command:?}");
    }
}

#[test]
fn empty_and_too_long_text_are_refused() {
    let mut fac = seed();
    assert_eq!(
        add_note(&mut fac, F, BoardKind::Brainstorm, "   "),
        Err(DomainError::Empty {
            field: Field::NoteText
        })
    );
    assert_eq!(
        add_note(&mut fac, F, BoardKind::Brainstorm, &"x".repeat(501)),
        Err(DomainError::TextTooLong { max: 500 })
    );
    // Characters, not bytes: 500 letters with diacritics fit.
    add_note(&mut fac, F, BoardKind::Brainstorm, &"é".repeat(500)).unwrap();
}

#[test]
fn durations_out_of_range_are_refused() {
    let mut fac = seed();
    let b = fac.workshop().blocks_in_order()[0].0.clone();
    assert_eq!(
        fac.execute(
            &Command::EditBlock {
                id: b,
                edit: BlockEdit::DurationMin(481)
            },
            F,
            T0
        ),
        Err(DomainError::DurationOutOfRange { min: 0, max: 480 })
    );
    assert_eq!(
        fac.execute(&Command::AdjustTimer { delta_min: 5 }, F, T0),
        Err(DomainError::TimerIdle)
    );
}

#[test]
fn relay_refuses_ops_that_skipped_decide() {
    let fac = seed();
    let op = Op {
        id: OpId {
            actor: ActorId::new("fac"),
            seq: 500,
        },
        hlc: Hlc::default(),
        body: OpBody::SetNote {
            id: NoteId::from("x"),
            field: NoteField::Text("  spaties  ".into()),
        },
    };
    assert_eq!(
        authorize(fac.workshop(), &op, F),
        Err(DomainError::NotNormalised)
    );
}

#[test]
fn moving_a_block_writes_only_its_own_order_key() {
    let mut fac = seed();
    let ids: Vec<BlockId> = fac
        .workshop()
        .blocks_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    let ops = fac
        .execute(
            &Command::MoveBlock {
                id: ids[6].clone(),
                place: Place::After(ids[0].clone()),
            },
            F,
            T0 + 5,
        )
        .unwrap();
    assert_eq!(ops.len(), 1);
    let order: Vec<BlockId> = fac
        .workshop()
        .blocks_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(order[1], ids[6]);
    assert_eq!(order[2], ids[1]);
}

#[test]
fn deleted_block_can_be_restored_by_undo() {
    let mut fac = seed();
    let b = fac.workshop().blocks_in_order()[1].0.clone();
    fac.execute(&Command::DeleteBlock(b.clone()), F, T0 + 5)
        .unwrap();
    assert_eq!(fac.workshop().blocks_in_order().len(), 6);
    fac.execute(&Command::RestoreBlock(b.clone()), F, T0 + 6)
        .unwrap();
    assert_eq!(fac.workshop().blocks_in_order()[1].0, &b);
    assert_eq!(
        fac.execute(&Command::RestoreBlock(b), F, T0 + 7),
        Err(DomainError::NotDeleted)
    );
}

#[test]
fn version_vector_counts_only_contiguous_ops() {
    let src = seed();
    let ops: Vec<Op> = src.ops().cloned().collect();
    let mut d = Doc::new(ActorId::new("x"));
    d.receive(&ops[0]).unwrap();
    d.receive(&ops[2]).unwrap();
    let fac = ActorId::new("fac");
    assert_eq!(d.version_vector().get(&fac), 1);
    // The gap is sent again; the op beyond it is kept.
    let missing = src.missing_for(d.version_vector());
    assert_eq!(missing.len(), ops.len() - 1);
    d.receive(&ops[1]).unwrap();
    assert_eq!(d.version_vector().get(&fac), 3);
}

#[test]
fn missing_for_gives_a_half_synced_peer_exactly_what_it_lacks() {
    let src = seed();
    let ops: Vec<Op> = src.ops().cloned().collect();
    let half = ops.len() / 2;
    let mut d = Doc::new(ActorId::new("x"));
    for op in &ops[..half] {
        d.receive(op).unwrap();
    }
    let missing = src.missing_for(d.version_vector());
    assert_eq!(missing, ops[half..].to_vec());
    for op in &missing {
        assert!(d.receive(op).unwrap());
    }
    assert_eq!(d.workshop(), src.workshop());
    assert!(src.missing_for(d.version_vector()).is_empty());
}

#[test]
fn receive_is_idempotent_and_refuses_a_conflicting_op() {
    let src = seed();
    let op = src.ops().next().unwrap().clone();
    let mut d = Doc::new(ActorId::new("x"));
    assert!(d.receive(&op).unwrap());
    assert!(!d.receive(&op).unwrap());
    let mut other = op.clone();
    other.body = OpBody::SetMeta(op::MetaField::Title("Anders".into()));
    assert_eq!(
        d.receive(&other),
        Err(ReceiveError::ConflictingOp(op.id.clone()))
    );
}

#[test]
fn snapshot_keeps_the_log_so_catch_up_works_after_load() {
    let mut fac = seed();
    add_note(
        &mut fac,
        F,
        BoardKind::Brainstorm,
        "Leeuwarden–Fryslân, \"quotes\"",
    )
    .unwrap();
    let loaded = Doc::load(&fac.save()).unwrap();
    assert_eq!(loaded, fac);
    let fresh = Doc::new(ActorId::new("y"));
    assert_eq!(
        loaded.missing_for(fresh.version_vector()),
        fac.missing_for(fresh.version_vector())
    );
    assert!(matches!(
        Doc::load("{\"format\":1"),
        Err(SnapshotError::Unreadable { .. })
    ));
}

#[test]
fn own_ops_echoed_back_after_an_old_reload_never_reuse_a_sequence_number() {
    let mut fac = seed();
    let old = fac.save();
    let newer = fac
        .execute(&Command::SetTitle("Nieuw".into()), F, T0 + 5)
        .unwrap();
    let mut reloaded = Doc::load(&old).unwrap();
    for op in &newer {
        reloaded.receive(op).unwrap();
    }
    let ops = reloaded
        .execute(&Command::SetTitle("Nog nieuwer".into()), F, T0 + 6)
        .unwrap();
    assert!(ops[0].id.seq > newer[0].id.seq);
}

#[test]
fn hlc_after_receiving_a_future_op_orders_local_edits_after_it() {
    let mut a = seed();
    let mut b = Doc::new(ActorId::new("b"));
    sync(&mut a, &mut b);
    // `a`'s clock runs an hour ahead; `b`'s later edit must still win.
    a.execute(&Command::SetTitle("Van A".into()), F, T0 + 3_600_000)
        .unwrap();
    sync(&mut a, &mut b);
    b.execute(&Command::SetTitle("Van B".into()), F, T0 + 10)
        .unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.workshop().meta.title.as_str(), "Van B");
}

#[test]
fn op_wire_format_is_compact_and_stable() {
    let op = Op {
        id: OpId {
            actor: ActorId::new("dev1"),
            seq: 7,
        },
        hlc: Hlc {
            wall_ms: 1_700_000_000_000,
            counter: 2,
        },
        body: OpBody::SetNote {
            id: NoteId::from("dev1-3"),
            field: NoteField::Hidden(true),
        },
    };
    let json = serde_json::to_string(&op).unwrap();
    assert_eq!(
        json,
        r#"{"id":["dev1",7],"hlc":[1700000000000,2],"body":{"set_note":{"id":"dev1-3","field":{"hidden":true}}}}"#
    );
    assert_eq!(serde_json::from_str::<Op>(&json).unwrap(), op);
}

#[test]
fn community_plans_warn_where_they_break_a_lesson() {
    let mut fac = seed();
    let ops = fac
        .execute(
            &Command::AddPlan {
                name: "Leesclub Noord".into(),
                source_note: None,
            },
            F,
            T0,
        )
        .unwrap();
    let id = PlanId(ops[0].created_id().unwrap());
    fac.execute(
        &Command::EditPlan {
            id: id.clone(),
            edit: PlanEdit::StartPhaseMonths(Some(6)),
        },
        F,
        T0 + 1,
    )
    .unwrap();
    let w = fac.workshop().plan(&id).unwrap().lesson_warnings();
    assert!(w.contains(&LessonWarning::RoleMissing(CommunityRole::Bouwer)));
    assert!(w.contains(&LessonWarning::NoMeasurableTarget));
    assert!(w.contains(&LessonWarning::StartPhaseTooShort { months: 6 }));
}

#[test]
fn agreements_move_between_lists_and_toggle_done() {
    let mut fac = seed();
    let ops = fac
        .execute(
            &Command::AddAgreement {
                list: AgreementList::OpenEnd,
                text: "Wie belt de gemeente?".into(),
                owner: "".into(),
                due: None,
            },
            F,
            T0,
        )
        .unwrap();
    let id = AgreementId(ops[0].created_id().unwrap());
    fac.execute(
        &Command::MoveAgreement {
            id: id.clone(),
            list: AgreementList::Agreement,
            place: Place::Start,
        },
        F,
        T0 + 1,
    )
    .unwrap();
    fac.execute(&Command::ToggleAgreementDone(id.clone()), F, T0 + 2)
        .unwrap();
    let w = fac.workshop();
    assert_eq!(w.agreements_in_order(AgreementList::Agreement).len(), 1);
    assert!(w.agreements_in_order(AgreementList::OpenEnd).is_empty());
    assert!(*w.agreement(&id).unwrap().done);
}
