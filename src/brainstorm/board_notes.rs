//! Each note of the brainstorm board as a card shows it, in a signal of its own.

use std::collections::HashMap;
use std::sync::Arc;

use bijeen_core::{Category, GroupId, Note, NoteId, ParticipantId, Workshop};
use leptos::prelude::{GetUntracked, Memo, Signal};

use crate::brainstorm::{BOARD, placement, vote_totals};
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::session::WorkshopSession;

/// What a card shows of one note. Compared by its `Memo`, so a card updates only when its
/// own note (or its votes) changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSnapshot {
    pub text: String,
    pub category: Option<Category>,
    pub group: Option<GroupId>,
    pub author: ParticipantId,
    pub author_name: String,
    pub hidden: bool,
    pub stacked: bool,
    pub cluster_title: String,
    /// Votes in the round shown for the board (open or last closed).
    pub votes: u32,
    /// The viewer's own dots on this note in the open round.
    pub my_votes: u32,
}

/// A [`NoteSnapshot`] borrowed from the workshop: compared with a card's last snapshot
/// first, so an unchanged note costs no allocation.
struct NoteView<'a> {
    text: &'a str,
    category: Option<Category>,
    group: Option<&'a GroupId>,
    author: &'a ParticipantId,
    author_name: &'a str,
    hidden: bool,
    stacked: bool,
    cluster_title: &'a str,
    votes: u32,
    my_votes: u32,
}

fn view_of<'a>(
    w: &'a Workshop,
    id: &NoteId,
    note: &'a Note,
    votes: u32,
    my_votes: u32,
) -> NoteView<'a> {
    let (root, group) = placement(w, id, note);
    NoteView {
        text: &note.text.value,
        category: *note.category,
        group,
        author: &note.author,
        author_name: w
            .participant(&note.author)
            .map(|p| p.name.value.as_str())
            .unwrap_or_default(),
        hidden: *note.hidden,
        stacked: root.is_some(),
        cluster_title: &note.cluster_title.value,
        votes,
        my_votes,
    }
}

impl NoteView<'_> {
    fn matches(&self, s: &NoteSnapshot) -> bool {
        self.text == s.text
            && self.category == s.category
            && self.group == s.group.as_ref()
            && *self.author == s.author
            && self.author_name == s.author_name
            && self.hidden == s.hidden
            && self.stacked == s.stacked
            && self.cluster_title == s.cluster_title
            && self.votes == s.votes
            && self.my_votes == s.my_votes
    }

    fn to_snapshot(&self) -> NoteSnapshot {
        NoteSnapshot {
            text: self.text.to_owned(),
            category: self.category,
            group: self.group.cloned(),
            author: self.author.clone(),
            author_name: self.author_name.to_owned(),
            hidden: self.hidden,
            stacked: self.stacked,
            cluster_title: self.cluster_title.to_owned(),
            votes: self.votes,
            my_votes: self.my_votes,
        }
    }
}

/// What changed in a board's notes since `shown` (what the cards show now): a new
/// snapshot for each note that is new or changed, `None` for each note that is gone.
/// Votes are tallied once here instead of once per note, and an unchanged note costs a
/// comparison, no allocation.
fn note_changes(
    w: &Workshop,
    me: Option<&ParticipantId>,
    shown: &HashMap<NoteId, Option<Arc<NoteSnapshot>>>,
) -> Vec<(NoteId, Option<Option<Arc<NoteSnapshot>>>)> {
    let totals = vote_totals(w);
    let mine: HashMap<&NoteId, u32> = match (me, w.open_round(BOARD)) {
        (Some(me), Some((round, _))) => w.votes_of(round, me).into_iter().collect(),
        _ => HashMap::new(),
    };
    let mut changes = Vec::new();
    let mut live = 0;
    let mut new = 0;
    for (id, note) in &w.notes {
        if !note.is_live() || note.board != BOARD {
            continue;
        }
        live += 1;
        let count = |map: &HashMap<&NoteId, u32>| map.get(id).copied().unwrap_or(0);
        let view = view_of(w, id, note, count(&totals), count(&mine));
        match shown.get(id) {
            Some(Some(snapshot)) if view.matches(snapshot) => continue,
            Some(_) => {}
            None => new += 1,
        }
        changes.push((id.clone(), Some(Some(Arc::new(view.to_snapshot())))));
    }
    // Every live note is shown now, so any more shown notes are gone.
    if shown.len() + new != live {
        changes.extend(
            shown
                .keys()
                .filter(|id| !w.note(id).is_some_and(|n| n.is_live() && n.board == BOARD))
                .map(|id| (id.clone(), None)),
        );
    }
    changes
}

/// Every live note of the brainstorm board as the viewer sees it, each note in a signal
/// of its own that a workshop listener sets only when that note changed: a new note wakes
/// its own card and the lists it is in, not the other cards.
#[derive(Clone, Copy)]
pub struct BoardNotes(KeyedSignals<NoteId, Option<Arc<NoteSnapshot>>>);

impl BoardNotes {
    /// The notes of `session`'s brainstorm board as `me` sees them (my dots included).
    pub fn new(session: WorkshopSession, me: Option<Memo<Option<ParticipantId>>>) -> Self {
        let notes = KeyedSignals::new(HashMap::new());
        let refresh = move |w: &Workshop| {
            let me = me.and_then(|me| me.get_untracked());
            if let Some(changes) = notes.with_values(|shown| note_changes(w, me.as_ref(), shown))
                && !changes.is_empty()
            {
                notes.apply(changes);
            }
        };
        session.with_untracked(refresh);
        session.listen(refresh);
        Self(notes)
    }

    /// One note, woken only when it changes.
    pub fn note(&self, id: &NoteId) -> Signal<Option<Arc<NoteSnapshot>>> {
        self.0.get(id)
    }
}
