//! The berenschiet wall's rules that every screen shares: which status a bear has in
//! effect, how far the shooting is, the order of the wall and the next bear to shoot.
//!
//! A cluster is a stack of bears (`StackNote`): its root carries the cluster's title,
//! status and answer, and the bears stacked on it share them. So a bear counts as shot
//! when its cluster is, and merging never loses what anyone wrote.

use std::collections::BTreeMap;

use crate::ids::NoteId;
use crate::model::{BearStatus, BoardKind, Workshop};

const BOARD: BoardKind = BoardKind::Bears;

/// The status a bear has in effect: a stacked bear shares its cluster's.
pub fn effective_status(w: &Workshop, id: &NoteId) -> BearStatus {
    let root = w.stack_root(id).unwrap_or(id);
    w.note(root).map(|n| *n.bear_status).unwrap_or_default()
}

/// How far the shooting is: every bear counts, a cluster's bears with their cluster, each
/// under the status it has in effect (a tamed or parked bear is not a shot one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub total: usize,
    pub open: usize,
    pub shot: usize,
    pub tamed: usize,
    pub parked: usize,
}

impl Progress {
    pub fn count(&self, status: BearStatus) -> usize {
        match status {
            BearStatus::Open => self.open,
            BearStatus::Shot => self.shot,
            BearStatus::Tamed => self.tamed,
            BearStatus::Parked => self.parked,
        }
    }

    /// The statuses to show, in the order they were dealt with (shot, tamed, parked, then
    /// open), each with its count; a status no bear has is left out, so "open" is there
    /// exactly while a bear is still open.
    pub fn parts(&self) -> impl Iterator<Item = (BearStatus, usize)> + '_ {
        [
            BearStatus::Shot,
            BearStatus::Tamed,
            BearStatus::Parked,
            BearStatus::Open,
        ]
        .into_iter()
        .map(|s| (s, self.count(s)))
        .filter(|&(_, n)| n > 0)
    }
}

pub fn progress(w: &Workshop) -> Progress {
    let mut p = Progress::default();
    for (id, _) in w.notes_in_order(BOARD) {
        p.total += 1;
        match effective_status(w, id) {
            BearStatus::Open => p.open += 1,
            BearStatus::Shot => p.shot += 1,
            BearStatus::Tamed => p.tamed += 1,
            BearStatus::Parked => p.parked += 1,
        }
    }
    p
}

/// The wall's shape: cluster roots in shooting order, each with its stacked bears.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wall {
    pub roots: Vec<NoteId>,
    pub stacks: BTreeMap<NoteId, Vec<NoteId>>,
}

impl Wall {
    pub fn stacked(&self, root: &NoteId) -> Vec<NoteId> {
        self.stacks.get(root).cloned().unwrap_or_default()
    }
}

/// Votes on a cluster: its root's and its stacked bears'.
pub fn cluster_votes(w: &Workshop, root: &NoteId) -> u32 {
    w.vote_total(root)
        + w.stacked_onto(root)
            .into_iter()
            .map(|id| w.vote_total(id))
            .sum::<u32>()
}

/// The wall in wall order; once a voting round has been held, the biggest bears (most
/// dots) come first, because those are the ones the room wants shot.
pub fn wall(w: &Workshop) -> Wall {
    let stacks: BTreeMap<NoteId, Vec<NoteId>> = w
        .stacks(BOARD)
        .into_iter()
        .map(|(root, children)| (root.clone(), children.into_iter().cloned().collect()))
        .collect();
    let mut roots: Vec<NoteId> = w
        .notes_in_order(BOARD)
        .into_iter()
        .filter(|(id, _)| w.stack_root(id).is_none())
        .map(|(id, _)| id.clone())
        .collect();
    if w.shown_round(BOARD).is_some() && w.open_round(BOARD).is_none() {
        // Stable: equal totals keep the wall order.
        roots.sort_by_cached_key(|id| std::cmp::Reverse(cluster_votes(w, id)));
    }
    Wall { roots, stacks }
}

/// The next (or previous) open cluster after `from` in shooting order, wrapping round;
/// the first (or last) open one when nothing is spotlighted.
pub fn next_open(w: &Workshop, from: Option<&NoteId>, forward: bool) -> Option<NoteId> {
    let mut roots = wall(w).roots;
    if !forward {
        roots.reverse();
    }
    let start = from
        .and_then(|from| roots.iter().position(|id| id == from))
        .map_or(0, |i| i + 1);
    let len = roots.len();
    (0..len)
        .map(|step| &roots[(start + step) % len.max(1)])
        .find(|id| Some(*id) != from && effective_status(w, id) == BearStatus::Open)
        .cloned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};

    const T0: i64 = 1_741_939_200_000;
    const F: Role = Role::Facilitator;

    fn bear(doc: &mut Doc, text: &str, at: i64) -> NoteId {
        let ops = doc
            .execute(
                &Command::AddNote {
                    board: BOARD,
                    group: None,
                    category: None,
                    text: text.into(),
                    colour: None,
                },
                F,
                at,
            )
            .unwrap();
        NoteId(ops[0].created_id().unwrap())
    }

    /// Three bears, the second stacked onto the first.
    fn wall_of_three() -> (Doc, [NoteId; 3]) {
        let mut doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
        let ids = [
            bear(&mut doc, "Tijd", T0 + 1),
            bear(&mut doc, "Uren", T0 + 2),
            bear(&mut doc, "Geld", T0 + 3),
        ];
        let stack = Command::StackNote {
            id: ids[1].clone(),
            onto: ids[0].clone(),
        };
        doc.execute(&stack, F, T0 + 4).unwrap();
        (doc, ids)
    }

    #[test]
    fn a_stacked_bear_shares_its_clusters_status_and_counts_as_shot_with_it() {
        let (mut doc, ids) = wall_of_three();
        let shoot = Command::ShootBear {
            id: ids[0].clone(),
            answer: "Plan het in".into(),
        };
        doc.execute(&shoot, F, T0 + 5).unwrap();
        let w = doc.workshop();
        assert_eq!(effective_status(w, &ids[1]), BearStatus::Shot);
        assert_eq!(effective_status(w, &ids[2]), BearStatus::Open);
        let p = progress(w);
        assert_eq!((p.total, p.shot, p.open), (3, 2, 1));
    }

    #[test]
    fn progress_counts_shot_tamed_and_parked_bears_apart() {
        let (mut doc, ids) = wall_of_three();
        let extra = bear(&mut doc, "Draagvlak", T0 + 5);
        let tame = Command::TameBear {
            id: ids[0].clone(),
            action: None,
            owner: "Silvia".into(),
            due: None,
        };
        doc.execute(&tame, F, T0 + 6).unwrap();
        doc.execute(&Command::ParkBear(ids[2].clone()), F, T0 + 7)
            .unwrap();
        let p = progress(doc.workshop());
        assert_eq!(
            p,
            Progress {
                total: 4,
                open: 1,
                shot: 0,
                tamed: 2,
                parked: 1,
            }
        );
        let shoot = Command::ShootBear {
            id: extra,
            answer: String::new(),
        };
        doc.execute(&shoot, F, T0 + 8).unwrap();
        let p = progress(doc.workshop());
        assert_eq!((p.shot, p.tamed, p.parked, p.open), (1, 2, 1, 0));
    }

    #[test]
    fn progress_leaves_out_empty_statuses_and_shows_open_while_a_bear_is_open() {
        let p = Progress {
            total: 4,
            open: 1,
            shot: 2,
            tamed: 0,
            parked: 1,
        };
        let parts: Vec<_> = p.parts().collect();
        assert_eq!(
            parts,
            [
                (BearStatus::Shot, 2),
                (BearStatus::Parked, 1),
                (BearStatus::Open, 1)
            ]
        );
        let done = Progress {
            open: 0,
            shot: 3,
            ..p
        };
        assert!(done.parts().all(|(s, _)| s != BearStatus::Open));
        let untouched = Progress {
            total: 2,
            open: 2,
            ..Progress::default()
        };
        assert_eq!(
            untouched.parts().collect::<Vec<_>>(),
            [(BearStatus::Open, 2)]
        );
    }

    #[test]
    fn the_wall_lists_cluster_roots_with_their_stacked_bears() {
        let (doc, ids) = wall_of_three();
        let wall = wall(doc.workshop());
        assert_eq!(wall.roots, vec![ids[0].clone(), ids[2].clone()]);
        assert_eq!(wall.stacked(&ids[0]), vec![ids[1].clone()]);
    }

    #[test]
    fn next_open_skips_what_is_done_and_wraps_round() {
        let (mut doc, ids) = wall_of_three();
        let w = doc.workshop();
        assert_eq!(next_open(w, None, true), Some(ids[0].clone()));
        assert_eq!(next_open(w, Some(&ids[0]), true), Some(ids[2].clone()));
        assert_eq!(next_open(w, Some(&ids[2]), true), Some(ids[0].clone()));
        assert_eq!(next_open(w, None, false), Some(ids[2].clone()));
        doc.execute(&Command::ParkBear(ids[2].clone()), F, T0 + 5)
            .unwrap();
        assert_eq!(next_open(doc.workshop(), Some(&ids[0]), true), None);
    }
}
