//! What one change of the replica touched, so listeners redo only that.

use std::collections::BTreeSet;

use bijeen_core::op::NoteReach;
use bijeen_core::{NoteId, Op, Workshop};

/// More notes than this in one change (a reconnect catching up, a saved log read back)
/// count as everything: a listener then redoes them in one full pass, which costs about
/// what looking up that many notes one by one would, and the set stays small.
const MOST_NOTES_TOUCHED: usize = 256;

/// What one change of the replica touched, built from the ops really applied (an op that
/// arrives twice touches nothing). Notes only so far: the one thing a listener redoes per
/// item on big boards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Touched {
    /// Nothing changed: no reader or listener is woken.
    #[default]
    Nothing,
    /// Something changed, but no note other than these (an empty set, so no allocation,
    /// for a timer tick or an agenda edit).
    Notes(BTreeSet<NoteId>),
    /// Anything may have changed (a new replica, a refused op, a new voting round...).
    Everything,
}

impl Touched {
    /// Adds what `op`, already applied to `w`, touched (see [`bijeen_core::Op::note_reach_in`]).
    pub fn add_op(&mut self, op: &Op, w: &Workshop) {
        // Once everything is touched, a catch-up of thousands of ops skips the scan that
        // each created note would cost.
        if !matches!(self, Touched::Everything) {
            self.add(op.note_reach_in(w));
        }
    }

    /// Adds the notes one op can change (see [`NoteReach`]). An op that reaches no note
    /// still counts as a change: other listeners (the timer, the agenda) need to hear it.
    pub fn add(&mut self, reach: NoteReach) {
        match reach {
            NoteReach::All => *self = Touched::Everything,
            NoteReach::None => {
                if *self == Touched::Nothing {
                    *self = Touched::Notes(BTreeSet::new());
                }
            }
            NoteReach::One(id) => match self {
                Touched::Everything => {}
                Touched::Nothing => *self = Touched::Notes(BTreeSet::from([id])),
                Touched::Notes(ids) => {
                    ids.insert(id);
                    if ids.len() > MOST_NOTES_TOUCHED {
                        *self = Touched::Everything;
                    }
                }
            },
        }
    }

    /// Everything may have changed (a refused op taken back, a replica replaced).
    pub fn add_everything(&mut self) {
        *self = Touched::Everything;
    }

    pub fn is_nothing(&self) -> bool {
        *self == Touched::Nothing
    }
}

#[cfg(test)]
mod tests {
    use bijeen_core::NoteId;
    use bijeen_core::op::NoteReach;

    use super::*;

    #[test]
    fn a_change_that_reaches_no_note_still_counts_as_a_change() {
        let mut touched = Touched::Nothing;
        touched.add(NoteReach::None);
        assert_eq!(touched, Touched::Notes(BTreeSet::new()));
        assert!(!touched.is_nothing());
    }

    #[test]
    fn notes_are_collected_until_there_are_too_many_to_look_up_one_by_one() {
        let mut touched = Touched::Nothing;
        for n in 0..MOST_NOTES_TOUCHED {
            touched.add(NoteReach::One(NoteId::from(format!("n{n}").as_str())));
        }
        assert!(matches!(touched, Touched::Notes(ref ids) if ids.len() == MOST_NOTES_TOUCHED));
        touched.add(NoteReach::One(NoteId::from("one more")));
        assert_eq!(touched, Touched::Everything);
    }

    #[test]
    fn once_everything_is_touched_it_stays_so() {
        let mut touched = Touched::Nothing;
        touched.add(NoteReach::All);
        touched.add(NoteReach::One(NoteId::from("n1")));
        touched.add(NoteReach::None);
        assert_eq!(touched, Touched::Everything);
    }
}
