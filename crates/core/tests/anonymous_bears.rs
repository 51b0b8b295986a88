//! The anonymity rule of the bear wall, one test per consequence: while the wall is
//! anonymous, nothing in a `bijeen/1` export, the Markdown report or the notes CSV links
//! a bear to a participant's name; in the live replica the author can still edit it.
#![allow(clippy::unwrap_used)]

use bijeen_core::op::OpBody;
use bijeen_core::*;
use serde_json::Value;

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

fn add(doc: &mut Doc, role: Role, board: BoardKind, text: &str, at: i64) -> NoteId {
    let ops = doc
        .execute(
            &Command::AddNote {
                board,
                group: None,
                category: None,
                text: text.into(),
                colour: None,
            },
            role,
            at,
        )
        .unwrap();
    NoteId(ops[0].created_id().unwrap())
}

/// A workshop in which two named participants wrote bears (one also edited hers and
/// wrote a named brainstorm note, and voted), the facilitator wrote a bear, stacked one
/// bear on another and tamed one into an action, all synced to the facilitator.
struct World {
    fac: Doc,
    /// (actor id, display name) of every participant.
    people: Vec<(&'static str, &'static str)>,
    bears: Vec<NoteId>,
}

fn world() -> World {
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
    let people = vec![
        ("a1b2c3d4", "Anneke de Vries"),
        ("e5f6a7b8", "Jelle Bakker"),
    ];
    let mut bears = Vec::new();
    for (i, (actor, name)) in people.iter().enumerate() {
        let at = T0 + 100 * (i as i64 + 1);
        let mut p = Doc::new(ActorId::new(*actor));
        sync(&mut fac, &mut p);
        p.execute(
            &Command::Join {
                name: (*name).into(),
                group: None,
            },
            P,
            at,
        )
        .unwrap();
        add(
            &mut p,
            P,
            BoardKind::Brainstorm,
            &format!("Idee van {name}"),
            at + 1,
        );
        let bear = add(
            &mut p,
            P,
            BoardKind::Bears,
            "Geen tijd voor netwerken",
            at + 2,
        );
        if i == 0 {
            p.execute(
                &Command::EditNote {
                    id: bear.clone(),
                    text: "Echt geen tijd".into(),
                },
                P,
                at + 3,
            )
            .unwrap();
        }
        bears.push(bear);
        sync(&mut fac, &mut p);
    }
    bears.push(add(&mut fac, F, BoardKind::Bears, "Wie betaalt?", T0 + 500));
    fac.execute(
        &Command::StackNote {
            id: bears[1].clone(),
            onto: bears[0].clone(),
        },
        F,
        T0 + 600,
    )
    .unwrap();
    fac.execute(
        &Command::TameBear {
            id: bears[0].clone(),
            action: None,
            owner: "Directie".into(),
            due: None,
        },
        F,
        T0 + 700,
    )
    .unwrap();
    assert!(*fac.workshop().bear_wall.anonymous, "anonymous by default");
    World { fac, people, bears }
}

/// Every actor that is tied to a name (has joined), with that name.
fn named_actors(ops: &[Op]) -> Vec<(String, String)> {
    ops.iter()
        .filter_map(|op| match &op.body {
            OpBody::Join { name, .. } => Some((op.id.actor.to_string(), name.clone())),
            _ => None,
        })
        .collect()
}

/// The ids of all bears in a log, and which ops touch them.
fn bear_ids(ops: &[Op]) -> Vec<NoteId> {
    ops.iter()
        .filter(|op| {
            matches!(
                op.body,
                OpBody::CreateNote {
                    board: BoardKind::Bears,
                    ..
                }
            )
        })
        .map(|op| NoteId(op.created_id().unwrap()))
        .collect()
}

fn exported_ops(json: &str) -> Vec<Op> {
    let v: Value = serde_json::from_str(json).unwrap();
    serde_json::from_value(v["ops"].clone()).unwrap()
}

#[test]
fn anonymous_bears_are_exported_without_any_op_linking_them_to_a_named_actor() {
    let w = world();
    let json = export::export_json(&w.fac, "t");
    let ops = exported_ops(&json);
    let named = named_actors(&ops);
    assert_eq!(
        named.len(),
        w.people.len(),
        "participants are still exported"
    );
    let bears = bear_ids(&ops);
    assert_eq!(bears.len(), 3);
    for op in &ops {
        let touches_bear_as_author = match &op.body {
            OpBody::CreateNote {
                board: BoardKind::Bears,
                ..
            } => true,
            OpBody::SetNote { id, .. } => bears.contains(id),
            _ => false,
        };
        if touches_bear_as_author {
            assert!(
                !named.iter().any(|(a, _)| *a == op.id.actor.as_str()),
                "bear op {:?} is made by a named actor",
                op.id
            );
        }
    }
    // Bear ids are derived from the creating op: none may repeat a named actor's id.
    for bear in &bears {
        for (actor, _) in &named {
            assert!(
                !bear.as_str().starts_with(actor.as_str()),
                "bear id {bear} names actor {actor}"
            );
        }
    }
    // And the original ids (which do) appear nowhere in the file.
    for bear in &w.bears[..2] {
        assert!(!json.contains(bear.as_str()), "{bear} is in the export");
    }
}

#[test]
fn anonymous_bears_keep_their_text_edits_stack_and_action_through_export_and_import() {
    let w = world();
    let json = export::export_json(&w.fac, "t");
    let imported = export::import_json(&json, ActorId::new("new-device")).unwrap();
    let live = w.fac.workshop();
    let back = imported.workshop();
    let texts = |ws: &Workshop| -> Vec<String> {
        ws.notes_in_order(BoardKind::Bears)
            .into_iter()
            .map(|(_, n)| n.text.value.clone())
            .collect()
    };
    assert_eq!(texts(back), texts(live));
    assert!(texts(back).contains(&"Echt geen tijd".to_owned()));
    let stacked: Vec<_> = back
        .notes_in_order(BoardKind::Bears)
        .into_iter()
        .filter(|(id, _)| back.stack_root(id).is_some())
        .collect();
    assert_eq!(stacked.len(), 1, "the stack survives the renaming");
    let tamed: Vec<_> = back
        .notes_in_order(BoardKind::Bears)
        .into_iter()
        .filter(|(_, n)| *n.bear_status == BearStatus::Tamed)
        .collect();
    assert_eq!(tamed.len(), 1);
    assert_eq!(
        back.actions_for_bear(tamed[0].0).len(),
        1,
        "action still linked"
    );
    assert_eq!(back.participants_joined().len(), w.people.len());
    assert_eq!(
        back.notes_in_order(BoardKind::Brainstorm).len(),
        live.notes_in_order(BoardKind::Brainstorm).len()
    );
}

#[test]
fn anonymous_bear_export_import_export_gives_identical_bytes() {
    let w = world();
    let once = export::export_json(&w.fac, "t");
    let imported = export::import_json(&once, ActorId::new("new-device")).unwrap();
    assert_eq!(export::export_json(&imported, "t"), once);
}

#[test]
fn bears_of_one_author_share_one_opaque_pseudonym_that_does_nothing_else() {
    let mut w = world();
    let p = w.people[0].0;
    // A second bear by the first participant, written on her device.
    let mut dev = Doc::new(ActorId::new(p));
    sync(&mut w.fac, &mut dev);
    add(
        &mut dev,
        P,
        BoardKind::Bears,
        "Te weinig collega's",
        T0 + 800,
    );
    sync(&mut w.fac, &mut dev);
    let ops = exported_ops(&export::export_json(&w.fac, "t"));
    let bears = bear_ids(&ops);
    let authors: Vec<String> = ops
        .iter()
        .filter(|op| {
            matches!(
                op.body,
                OpBody::CreateNote {
                    board: BoardKind::Bears,
                    ..
                }
            )
        })
        .map(|op| op.id.actor.to_string())
        .collect();
    let mut distinct = authors.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(authors.len(), 4);
    assert_eq!(distinct.len(), 3, "one pseudonym per author: {authors:?}");
    for pseudonym in &distinct {
        for op in ops.iter().filter(|op| op.id.actor.as_str() == pseudonym) {
            let bear_op = match &op.body {
                OpBody::CreateNote {
                    board: BoardKind::Bears,
                    ..
                } => true,
                OpBody::SetNote { id, .. } => bears.contains(id),
                _ => false,
            };
            assert!(bear_op, "pseudonym {pseudonym} also made {:?}", op.body);
        }
    }
    // Every actor's sequence numbers stay contiguous after ops moved away.
    let mut seqs: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
    for op in &ops {
        seqs.entry(op.id.actor.to_string())
            .or_default()
            .push(op.id.seq);
    }
    for (actor, s) in seqs {
        let expected: Vec<u64> = (1..=s.len() as u64).collect();
        assert_eq!(s, expected, "{actor} has a gap");
    }
}

#[test]
fn anonymous_bears_csv_names_no_author_and_shows_no_author_revealing_id() {
    let w = world();
    let csv = report::notes_csv(w.fac.workshop(), Lang::En);
    let bear_rows: Vec<&str> = csv.lines().filter(|l| l.contains(",Bears,")).collect();
    assert_eq!(bear_rows.len(), 3);
    for row in &bear_rows {
        for (actor, name) in &w.people {
            assert!(!row.contains(name), "{row} names {name}");
            assert!(!row.contains(actor), "{row} names actor {actor}");
        }
    }
    assert!(bear_rows.iter().any(|r| r.starts_with("bear-1,")));
    // The stacked bear points at its root by the same opaque label.
    assert!(bear_rows.iter().any(|r| r.contains(",bear-1,")));
    // Brainstorm notes keep their authors.
    assert!(csv.contains("Anneke de Vries"));
}

#[test]
fn anonymous_bears_markdown_report_names_no_author_next_to_a_bear() {
    let w = world();
    let md = report::markdown_report(w.fac.workshop(), Lang::Nl);
    for line in md
        .lines()
        .filter(|l| l.contains("geen tijd") || l.contains("Geen tijd"))
    {
        for (actor, name) in &w.people {
            assert!(!line.contains(name) && !line.contains(actor), "{line}");
        }
    }
    for bear in &w.bears {
        assert!(!md.contains(bear.as_str()));
    }
}

#[test]
fn a_named_bear_wall_exports_its_authors_unchanged() {
    let mut w = world();
    w.fac
        .execute(&Command::SetBearsAnonymous(false), F, T0 + 900)
        .unwrap();
    let json = export::export_json(&w.fac, "t");
    for bear in &w.bears {
        assert!(json.contains(bear.as_str()), "{bear} renamed");
    }
    let csv = report::notes_csv(w.fac.workshop(), Lang::En);
    assert!(csv.contains(&format!("{},Bears,", w.bears[0])));
}

#[test]
fn the_author_can_still_edit_their_anonymous_bear_live_and_nobody_else_can() {
    let w = world();
    let bear = w.bears[0].clone();
    let author = ActorId::new(w.people[0].0);
    let other = ActorId::new(w.people[1].0);
    let edit = |actor: &ActorId| {
        authorize_body(
            w.fac.workshop(),
            actor,
            &OpBody::SetNote {
                id: bear.clone(),
                field: op::NoteField::Text("Nog steeds geen tijd".into()),
            },
            P,
        )
    };
    // The wall is still collecting, so the author may edit; the other may not, and is
    // not even told that the bear exists (it is hidden from them until the reveal).
    assert_eq!(edit(&author), Ok(()));
    assert_eq!(edit(&other), Err(DomainError::UnknownNote));
}
