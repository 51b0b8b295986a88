//! The berenschiet wall: participants write their worries (beren op de weg) during the
//! break, the facilitator reveals, clusters and "shoots" them one at a time in plenary.
//!
//! A cluster is a stack of bears on the core's notes (`StackNote`): its root carries the
//! cluster title, the status and the answer, and the bears stacked on it share them. So a
//! bear is counted as shot when its cluster is, and merging never loses what anyone wrote.
pub mod bear_card;
pub mod bear_cards;
pub mod bear_form;
pub mod bears_tab;
pub mod collect_count;
pub mod own_bear;
pub mod participant_bears;
pub mod participant_wall_item;
pub mod phase_controls;
pub mod projector_spotlight;
pub mod projector_summary;
pub mod projector_wall;
pub mod shoot_panel;
pub mod wall_card;

use bijeen_core::{BearPhase, BearStatus, BoardKind, NoteId, ParticipantId, Workshop};

use crate::i18n::PhoneStrings;

// The wall's rules live in the core, shared by every screen and the report.
pub use bijeen_core::bear_wall::{
    Progress, Wall, cluster_votes, effective_status, next_open, progress, wall,
};

/// The board this feature is about.
pub const BOARD: BoardKind = BoardKind::Bears;

/// The phases in the order the facilitator walks through them.
pub const PHASES: [BearPhase; 6] = [
    BearPhase::Collect,
    BearPhase::Reveal,
    BearPhase::Cluster,
    BearPhase::Vote,
    BearPhase::Shoot,
    BearPhase::Closed,
];

/// The statuses in the order the closed summary lists them (what was dealt with first).
pub const SUMMARY_ORDER: [BearStatus; 4] = [
    BearStatus::Shot,
    BearStatus::Tamed,
    BearStatus::Parked,
    BearStatus::Open,
];

pub fn phase_name(t: &'static PhoneStrings, phase: BearPhase) -> &'static str {
    let b = t.bears;
    match phase {
        BearPhase::Collect => b.phase_collect,
        BearPhase::Reveal => b.phase_reveal,
        BearPhase::Cluster => b.phase_cluster,
        BearPhase::Vote => b.phase_vote,
        BearPhase::Shoot => b.phase_shoot,
        BearPhase::Closed => b.phase_closed,
    }
}

/// Stable keys for CSS classes and test hooks (`bear--shot`).
pub fn status_key(status: BearStatus) -> &'static str {
    match status {
        BearStatus::Open => "open",
        BearStatus::Shot => "shot",
        BearStatus::Tamed => "tamed",
        BearStatus::Parked => "parked",
    }
}

pub fn status_name(t: &'static PhoneStrings, status: BearStatus) -> &'static str {
    let b = t.bears;
    match status {
        BearStatus::Open => b.status_open,
        BearStatus::Shot => b.status_shot,
        BearStatus::Tamed => b.status_tamed,
        BearStatus::Parked => b.status_parked,
    }
}

/// A follow-up action made by taming a bear, as the wall shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionLine {
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
}

/// What a card shows of one bear (see [`bear_cards::BearCards`]: compared, so a card
/// updates only when its own bear changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BearSnapshot {
    pub text: String,
    /// The author's name, only when the wall is not anonymous and the author gave one.
    pub author_name: Option<String>,
    pub author: ParticipantId,
    pub status: BearStatus,
    pub answer: String,
    pub cluster_title: String,
    /// Votes on the bear and its cluster in the round shown.
    pub votes: u32,
    /// The viewer's own dots on this bear in the open round.
    pub my_votes: u32,
    pub actions: Vec<ActionLine>,
    /// The bears stacked onto this one (its cluster), in stacking order.
    pub stacked: Vec<StackedBear>,
}

/// A bear in a cluster, as its cluster's card lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackedBear {
    pub id: NoteId,
    pub text: String,
    pub author_name: Option<String>,
}

/// What a bear card shows; `me` are the viewer's ids (their own and their pseudonym), for
/// their dots on it.
pub fn snapshot(w: &Workshop, id: &NoteId, me: &[ParticipantId]) -> Option<BearSnapshot> {
    let note = w.note(id).filter(|n| n.board == BOARD)?;
    let my_votes = me.iter().map(|me| w.my_votes_on(id, me)).sum();
    let root = w.stack_root(id).unwrap_or(id);
    Some(BearSnapshot {
        text: note.text.value.clone(),
        author_name: author_name(w, id, &note.author),
        author: note.author.clone(),
        status: effective_status(w, id),
        answer: note.bear_answer.value.clone(),
        cluster_title: note.cluster_title.value.clone(),
        votes: if root == id {
            cluster_votes(w, id)
        } else {
            w.vote_total(id)
        },
        my_votes,
        actions: w
            .actions_for_bear(id)
            .into_iter()
            .map(|(_, a)| ActionLine {
                text: a.text.value.clone(),
                owner: a.owner.value.clone(),
                due: a.due.value.clone(),
            })
            .collect(),
        stacked: w
            .stacked_onto(id)
            .into_iter()
            .filter_map(|child| {
                w.note(child).map(|n| StackedBear {
                    id: child.clone(),
                    text: n.text.value.clone(),
                    author_name: author_name(w, child, &n.author),
                })
            })
            .collect(),
    })
}

/// The author's name when the wall shows it (not anonymous, and a name given).
fn author_name(w: &Workshop, id: &NoteId, author: &ParticipantId) -> Option<String> {
    if !w.author_shown(id) {
        return None;
    }
    w.participant(author)
        .map(|p| p.name.value.clone())
        .filter(|name| !name.is_empty())
}

/// The current phase of the wall (collect when no workshop is loaded).
pub fn phase_of(w: &Workshop) -> BearPhase {
    *w.bear_wall.phase
}
