//! Ops the relay refuses: a refusal marker takes the refused op's place, so the sender's
//! state loses its effect and every version vector stays contiguous.
#![allow(clippy::unwrap_used)]

use bijeen_core::op::OpBody;
use bijeen_core::*;

const T0: i64 = 1_741_939_200_000;
const F: Role = Role::Facilitator;
const P: Role = Role::Participant;

/// The facilitator's replica with an open brainstorm board, and a joined participant
/// that has written a note and then edited it (three ops: join, create, edit).
fn setup() -> (Doc, Doc, NoteId) {
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
    let mut p = Doc::new(ActorId::new("p1"));
    for op in fac.missing_for(p.version_vector()) {
        p.receive(&op).unwrap();
    }
    p.execute(
        &Command::Join {
            name: "Piet".into(),
            group: None,
        },
        P,
        T0 + 2,
    )
    .unwrap();
    let ops = p
        .execute(
            &Command::AddNote {
                board: BoardKind::Brainstorm,
                group: None,
                category: None,
                text: "Bibliotheek als spil".into(),
                colour: None,
            },
            P,
            T0 + 3,
        )
        .unwrap();
    let note = NoteId(ops[0].created_id().unwrap());
    p.execute(
        &Command::EditNote {
            id: note.clone(),
            text: "Bibliotheek als netwerkspil".into(),
        },
        P,
        T0 + 4,
    )
    .unwrap();
    (fac, p, note)
}

fn op_of(doc: &Doc, actor: &str, seq: u64) -> Op {
    doc.ops()
        .find(|o| o.id.actor.as_str() == actor && o.id.seq == seq)
        .unwrap()
        .clone()
}

#[test]
fn a_refused_op_is_retracted_from_the_senders_state_and_its_sequence_number_still_counts() {
    let (_, mut p, note) = setup();
    assert!(p.workshop().note(&note).is_some());
    let create = op_of(&p, "p1", 2);
    assert!(p.refuse(&create.id));
    assert!(
        p.workshop().note(&note).is_none(),
        "the refused note is gone"
    );
    assert_eq!(p.version_vector().get(&ActorId::new("p1")), 3);
    assert!(op_of(&p, "p1", 2).is_refusal());
    assert!(!p.refuse(&create.id), "refusing twice changes nothing");
    // The next local op continues the numbering.
    let next = p.execute(
        &Command::Rename {
            name: "Piet J.".into(),
        },
        P,
        T0 + 5,
    );
    assert_eq!(next.unwrap()[0].id.seq, 4);
}

#[test]
fn a_refused_op_and_its_refusal_converge_in_either_order() {
    let (fac, p, _) = setup();
    let create = op_of(&p, "p1", 2);
    let marker = Op::refusal_of(&create);
    let rest: Vec<Op> = p.ops().filter(|o| o.id != create.id).cloned().collect();

    let mut first_op = fac.clone();
    first_op.receive(&create).unwrap();
    for o in &rest {
        first_op.receive(o).unwrap();
    }
    assert_eq!(first_op.receive(&marker), Ok(true));

    let mut first_marker = fac.clone();
    first_marker.receive(&marker).unwrap();
    for o in &rest {
        first_marker.receive(o).unwrap();
    }
    assert_eq!(first_marker.receive(&create), Ok(false), "the refusal wins");

    let mut sender = p.clone();
    sender.refuse(&create.id);
    for o in fac.ops() {
        sender.receive(o).unwrap();
    }
    assert_eq!(first_op.workshop(), first_marker.workshop());
    assert_eq!(first_op.workshop(), sender.workshop());
    assert_eq!(first_op.version_vector(), first_marker.version_vector());
    assert_eq!(first_op.version_vector(), sender.version_vector());
}

#[test]
fn a_refusal_marker_with_another_clock_is_a_conflict_not_a_retraction() {
    let (fac, p, _) = setup();
    let create = op_of(&p, "p1", 2);
    let mut forged = Op::refusal_of(&create);
    forged.hlc.wall_ms += 1;
    let mut d = fac.clone();
    d.receive(&create).unwrap();
    assert!(matches!(
        d.receive(&forged),
        Err(ReceiveError::ConflictingOp(_))
    ));
}

#[test]
fn refusal_markers_survive_save_load_and_export_import() {
    let (_, mut p, note) = setup();
    p.refuse(&op_of(&p, "p1", 2).id);
    let loaded = Doc::load(&p.save()).unwrap();
    assert_eq!(loaded, p);
    let json = export::export_json(&p, "t");
    let imported = export::import_json(&json, ActorId::new("x")).unwrap();
    assert!(imported.workshop().note(&note).is_none());
    assert!(
        imported
            .ops()
            .any(|o| matches!(o.body, OpBody::Refused) && o.id.seq == 2)
    );
    assert_eq!(
        serde_json::to_string(&OpBody::Refused).unwrap(),
        "\"refused\""
    );
}
