//! The brainstorm board's kept note order against a fresh sort (host: no browser needed).

use bijeen_core::{ActorId, BoardKind, Command, Doc, Place, Role, Workshop};

use bijeen::logic::board_order::BoardOrder;

fn in_order(w: &Workshop) -> Vec<String> {
    w.notes_in_order(BoardKind::Brainstorm)
        .into_iter()
        .map(|(id, _)| id.as_str().to_owned())
        .collect()
}

fn kept(order: &BoardOrder) -> Vec<String> {
    order.notes().map(|id| id.as_str().to_owned()).collect()
}

fn run(doc: &mut Doc, command: Command) {
    doc.execute(&command, Role::Facilitator, 1_000)
        .expect("the command is valid");
}

fn add(doc: &mut Doc, board: BoardKind, text: &str) {
    run(
        doc,
        Command::AddNote {
            board,
            group: None,
            category: None,
            text: text.to_owned(),
            colour: None,
        },
    );
}

/// After every kind of change the kept order is the order sorted anew: new notes (one
/// at a time and in bulk), notes moved to the start, the end and between others,
/// deleted and restored notes, and notes of the other board left out.
#[test]
fn follows_every_change_as_a_fresh_sort_would() {
    let mut doc = Doc::new(ActorId::new("test"));
    let mut order = BoardOrder::default();
    let check = |doc: &Doc, order: &mut BoardOrder| {
        order.update(doc.workshop());
        assert_eq!(kept(order), in_order(doc.workshop()));
    };
    check(&doc, &mut order);
    for i in 0..50 {
        add(&mut doc, BoardKind::Brainstorm, &format!("idee {i}"));
    }
    check(&doc, &mut order);
    for i in 0..5 {
        add(&mut doc, BoardKind::Brainstorm, &format!("nog {i}"));
        add(&mut doc, BoardKind::Bears, &format!("beer {i}"));
        check(&doc, &mut order);
    }
    let ids: Vec<_> = in_order(doc.workshop());
    let id = |i: usize| bijeen_core::NoteId::from(ids[i].as_str());
    for (note, place) in [
        (id(10), Place::Start),
        (id(0), Place::End),
        (id(20), Place::After(id(3))),
    ] {
        run(
            &mut doc,
            Command::MoveNote {
                id: note,
                group: None,
                place,
            },
        );
        check(&doc, &mut order);
    }
    run(&mut doc, Command::DeleteNote(id(7)));
    check(&doc, &mut order);
    run(&mut doc, Command::DeleteNote(id(8)));
    run(&mut doc, Command::DeleteNote(id(9)));
    check(&doc, &mut order);
    run(&mut doc, Command::RestoreNote(id(8)));
    check(&doc, &mut order);
    assert_eq!(kept(&order).len(), 53);
}
