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
