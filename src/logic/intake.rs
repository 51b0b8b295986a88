//! Taking ops made elsewhere (another window, storage, the relay) into the replica: the
//! one place that decides what they touched and which of them could not be taken.

use bijeen_core::{Doc, Op, OpId, ReceiveError};

use crate::logic::touched::Touched;

/// What taking a batch in did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Intake {
    pub touched: Touched,
    /// Ops refused by the core (a reused sequence number, a sequence number 0): the
    /// replica kept what it had, and the user must hear of it.
    pub conflicts: Vec<ReceiveError>,
}

/// Takes `ops` into `doc` and takes back its ops the relay `refused` (see
/// [`Doc::refuse`]). Only new ops touch anything, so a batch heard twice (from another
/// window, then from the relay) wakes nobody the second time.
pub fn take_in(doc: &mut Doc, ops: &[Op], refused: &[&OpId]) -> Intake {
    let mut intake = Intake::default();
    for op in ops {
        match doc.receive(op) {
            Ok(true) => intake.touched.add_op(op, doc.workshop()),
            Ok(false) => {}
            Err(error) => intake.conflicts.push(error),
        }
    }
    for id in refused {
        // The state is rebuilt without the refused op: anything may differ.
        if doc.refuse(id) {
            intake.touched.add_everything();
        }
    }
    intake
}

#[cfg(test)]
mod tests {
    use bijeen_core::{ActorId, BoardKind, Command, Role};

    use super::*;

    fn note(doc: &mut Doc, text: &str) -> Vec<Op> {
        doc.execute(
            &Command::AddNote {
                board: BoardKind::Brainstorm,
                text: text.into(),
                category: None,
                group: None,
                colour: None,
            },
            Role::Facilitator,
            1_000,
        )
        .expect("a valid note")
    }

    #[test]
    fn a_new_op_touches_its_note_and_one_heard_twice_touches_nothing() {
        let mut there = Doc::new(ActorId::new("there"));
        let ops = note(&mut there, "Bibliotheek en school");
        let mut here = Doc::new(ActorId::new("here"));
        let first = take_in(&mut here, &ops, &[]);
        assert!(matches!(first.touched, Touched::Notes(ref ids) if ids.len() == 1));
        assert!(first.conflicts.is_empty());
        assert_eq!(take_in(&mut here, &ops, &[]), Intake::default());
    }

    #[test]
    fn an_op_that_reuses_an_id_is_reported_not_dropped() {
        let mut a = Doc::new(ActorId::new("same"));
        let mut b = Doc::new(ActorId::new("same"));
        let first = note(&mut a, "Eerste");
        let clash = note(&mut b, "Tweede, zelfde nummer");
        let mut here = Doc::new(ActorId::new("here"));
        take_in(&mut here, &first, &[]);
        let intake = take_in(&mut here, &clash, &[]);
        assert_eq!(intake.conflicts.len(), 1, "{intake:?}");
        assert!(matches!(
            intake.conflicts[0],
            ReceiveError::ConflictingOp(_)
        ));
        assert_eq!(
            here.workshop().notes_in_order(BoardKind::Brainstorm).len(),
            1
        );
    }

    #[test]
    fn a_refused_op_is_taken_back_and_touches_everything() {
        let mut here = Doc::new(ActorId::new("here"));
        let ops = note(&mut here, "Te veel");
        let intake = take_in(&mut here, &[], &[&ops[0].id]);
        assert_eq!(intake.touched, Touched::Everything);
        assert!(
            here.workshop()
                .notes_in_order(BoardKind::Brainstorm)
                .is_empty()
        );
        // Refusing again changes nothing.
        assert_eq!(take_in(&mut here, &[], &[&ops[0].id]), Intake::default());
    }
}
