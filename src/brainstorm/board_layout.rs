//! The shape of a brainstorm board: which notes stand in which column, and the stacks.

use std::collections::BTreeMap;

use bijeen_core::{GroupId, Note, NoteId, Workshop};
use leptos::prelude::{GetUntracked, Memo, RwSignal, Set, Signal, With, WithUntracked};

use crate::brainstorm::{BOARD, colour_key, group_head, placement, vote_totals};
use crate::i18n::use_i18n;
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::session::WorkshopSession;

/// A board's [`Layout`] kept by a workshop listener, with every stack (and the most votes
/// on one note) in a signal of its own: cards read their stack without being woken by
/// every note added elsewhere on the board.
#[derive(Clone, Copy)]
pub struct BoardLayout {
    pub layout: Signal<Layout>,
    /// Most votes on one note, for scaling the result bars.
    pub max_votes: Signal<u32>,
    stacks: KeyedSignals<NoteId, Vec<NoteId>>,
}

impl BoardLayout {
    pub fn new(session: WorkshopSession, compute: impl Fn(&Workshop) -> Layout + 'static) -> Self {
        let initial = session.with_untracked(&compute).unwrap_or_default();
        let stacks = KeyedSignals::new(
            initial
                .stacks
                .iter()
                .map(|(root, notes)| (root.clone(), notes.clone()))
                .collect(),
        );
        let max_votes = RwSignal::new(initial.max_votes);
        let layout = RwSignal::new(initial);
        session.listen(move |w| {
            let next = compute(w);
            if layout.with_untracked(|l| *l == next) {
                return;
            }
            if layout.with_untracked(|l| l.stacks != next.stacks) {
                stacks.replace_all(
                    next.stacks
                        .iter()
                        .map(|(root, notes)| (root.clone(), notes.clone()))
                        .collect(),
                );
            }
            if max_votes.get_untracked() != next.max_votes {
                max_votes.set(next.max_votes);
            }
            layout.set(next);
        });
        Self {
            layout: layout.into(),
            max_votes: max_votes.into(),
            stacks,
        }
    }

    /// The notes stacked onto `id` (empty for most notes).
    pub fn stack(&self, id: &NoteId) -> Signal<Vec<NoteId>> {
        self.stacks.get(id)
    }
}

/// One column of a board: a theme group (or no group) and its top-level notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnLayout {
    pub group: Option<GroupId>,
    pub roots: Vec<NoteId>,
    /// Notes in the column including stacked ones (shown or not).
    pub count: usize,
    /// Notes in the column the viewer may not see yet (hidden until reveal).
    pub withheld: usize,
}

/// The shape of a board: which notes are where. Cards read their content themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<ColumnLayout>,
    /// Stack root -> notes stacked onto it, in order.
    pub stacks: BTreeMap<NoteId, Vec<NoteId>>,
    /// Most votes on one note, for scaling the result bars.
    pub max_votes: u32,
}

impl Layout {
    pub fn column(&self, group: Option<&GroupId>) -> Option<&ColumnLayout> {
        self.columns.iter().find(|c| c.group.as_ref() == group)
    }
}

/// A column's notes as its view lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnNotes {
    pub roots: Vec<NoteId>,
    /// For each root, whether notes are stacked onto it (a cluster).
    pub clusters: Vec<bool>,
    pub count: usize,
    pub withheld: usize,
}

/// What every board column shows, whichever board it is on (console or projector): its
/// name ("no group" in the active language), its colour key and its notes. Each column
/// reads only its own slice of the layout, so a note added elsewhere leaves it alone.
#[derive(Clone, Copy)]
pub struct ColumnParts {
    pub name: Signal<String>,
    /// `yellow`, ... or `none`, for the `group-*` class.
    pub colour: Signal<&'static str>,
    pub notes: Memo<ColumnNotes>,
}

impl ColumnParts {
    pub fn new(layout: Signal<Layout>, group: Option<GroupId>) -> Self {
        let i18n = use_i18n();
        let session = crate::workshop::use_session();
        let head = {
            let group = group.clone();
            Memo::new(move |_| session.with(|w| group_head(w, group.as_ref())).flatten())
        };
        let notes = Memo::new(move |_| {
            layout.with(|l| {
                l.column(group.as_ref())
                    .map(|c| ColumnNotes {
                        roots: c.roots.clone(),
                        clusters: c.roots.iter().map(|r| l.stacks.contains_key(r)).collect(),
                        count: c.count,
                        withheld: c.withheld,
                    })
                    .unwrap_or_default()
            })
        });
        Self {
            name: Signal::derive(move || {
                head.with(|h| match h {
                    Some(h) if !h.name.is_empty() => h.name.clone(),
                    _ => i18n.t().bs_no_group.to_owned(),
                })
            }),
            colour: Signal::derive(move || {
                head.with(|h| h.as_ref().and_then(|h| h.colour).map(colour_key))
                    .unwrap_or("none")
            }),
            notes,
        }
    }
}

/// Lays out the brainstorm board. `show` says which notes the viewer may see; the others
/// are only counted. The "no group" column comes last and only when it has notes or
/// `always_no_group`. With `sort_by_votes`, stacks are ordered by their total votes.
pub fn layout(
    w: &Workshop,
    sort_by_votes: bool,
    always_no_group: bool,
    show: impl Fn(&NoteId, &Note) -> bool,
) -> Layout {
    let mut columns: Vec<ColumnLayout> = w
        .groups_in_order()
        .into_iter()
        .map(|(id, _)| ColumnLayout {
            group: Some(id.clone()),
            roots: Vec::new(),
            count: 0,
            withheld: 0,
        })
        .collect();
    columns.push(ColumnLayout {
        group: None,
        roots: Vec::new(),
        count: 0,
        withheld: 0,
    });
    let no_group = columns.len() - 1;
    let index: BTreeMap<GroupId, usize> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.group.clone().map(|g| (g, i)))
        .collect();
    let mut stacks: BTreeMap<NoteId, Vec<NoteId>> = BTreeMap::new();
    let mut max_votes = 0;
    let mut placed: Vec<(usize, NoteId)> = Vec::new();
    let totals = vote_totals(w);
    let votes = |id: &NoteId| totals.get(id).copied().unwrap_or(0);
    for (id, note) in w.notes_in_order(BOARD) {
        let (root, group) = placement(w, id, note);
        let column = group
            .and_then(|g| index.get(g).copied())
            .unwrap_or(no_group);
        columns[column].count += 1;
        if !show(id, note) {
            columns[column].withheld += 1;
            continue;
        }
        max_votes = max_votes.max(votes(id));
        match root {
            Some(root) => stacks.entry(root.clone()).or_default().push(id.clone()),
            None => placed.push((column, id.clone())),
        }
    }
    for (column, id) in placed {
        columns[column].roots.push(id);
    }
    if sort_by_votes {
        let total = |id: &NoteId| -> u32 {
            votes(id)
                + stacks
                    .get(id)
                    .map(|s| s.iter().map(votes).sum::<u32>())
                    .unwrap_or(0)
        };
        for column in &mut columns {
            // Stable: equal totals keep the board order.
            column
                .roots
                .sort_by_cached_key(|id| std::cmp::Reverse(total(id)));
        }
    }
    if !always_no_group && columns[no_group].count == 0 {
        columns.pop();
    }
    Layout {
        columns,
        stacks,
        max_votes,
    }
}
