//! The shape of a brainstorm board: which notes stand in which column, and the stacks.

use std::cell::RefCell;
use std::collections::BTreeMap;

use bijeen_core::{GroupId, Note, NoteId, Workshop};
use leptos::prelude::{
    Memo, RwSignal, Set, SetValue, Signal, StoredValue, With, WithUntracked, WithValue,
};

use crate::brainstorm::board_order::BoardOrder;
use crate::brainstorm::{colour_key, group_head, placement, vote_totals};
use crate::i18n::use_i18n;
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::replica::Touched;
use crate::workshop::session::WorkshopSession;

/// Top-level notes per chunk: the unit a column's list is built from. A column is a list
/// of chunks and each chunk a keyed list of at most this many notes, so a new note at the
/// end of a column of a thousand re-lists one chunk, not a thousand keys (re-listing every
/// note of the column was most of the projector's time per note).
pub const CHUNK: usize = 8;

/// What a column shows besides its notes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnShape {
    /// Notes in the column including stacked ones (shown or not).
    pub count: usize,
    /// Notes in the column the viewer may not see yet (hidden until reveal).
    pub withheld: usize,
    /// Top-level notes shown (a cluster counts once).
    pub roots: usize,
}

impl ColumnShape {
    /// How many chunks the column's notes fill.
    pub fn chunks(&self) -> usize {
        self.roots.div_ceil(CHUNK)
    }
}

/// Which chunk of which column: the "no group" column is `None`.
pub type ChunkKey = (Option<GroupId>, usize);

/// A board's [`Layout`] kept by a workshop listener and handed out in pieces, each a
/// signal of its own set only when that piece changed: the list of columns, each column's
/// counts, each chunk of [`CHUNK`] notes, each stack, the most votes on one note. A note
/// added to a board of a thousand wakes its column's counts and one chunk.
#[derive(Clone, Copy)]
pub struct BoardLayout {
    columns: RwSignal<Vec<Option<GroupId>>>,
    fullest: RwSignal<usize>,
    max_votes: RwSignal<u32>,
    shapes: KeyedSignals<Option<GroupId>, ColumnShape>,
    chunks: KeyedSignals<ChunkKey, Vec<(NoteId, bool)>>,
    stacks: KeyedSignals<NoteId, Vec<NoteId>>,
    /// The whole layout as last handed out, to find what changed.
    last: StoredValue<Layout>,
}

impl BoardLayout {
    /// `compute` lays the board out from the workshop and its notes in board order (kept
    /// here between changes, see [`BoardOrder`]).
    pub fn new(
        session: WorkshopSession,
        compute: impl Fn(&Workshop, &BoardOrder) -> Layout + 'static,
    ) -> Self {
        let order = RefCell::new(BoardOrder::default());
        let lay_out = move |w: &Workshop| {
            let mut order = order.borrow_mut();
            order.update(w);
            compute(w, &order)
        };
        let initial = session.with_untracked(&lay_out).unwrap_or_default();
        let this = Self {
            columns: RwSignal::new(initial.column_groups()),
            fullest: RwSignal::new(initial.fullest()),
            max_votes: RwSignal::new(initial.max_votes),
            shapes: KeyedSignals::new(initial.shapes().collect()),
            chunks: KeyedSignals::new(
                initial
                    .chunk_changes(&Layout::default())
                    .into_iter()
                    .collect(),
            ),
            stacks: KeyedSignals::new(
                initial
                    .stacks
                    .iter()
                    .map(|(root, notes)| (root.clone(), notes.clone()))
                    .collect(),
            ),
            last: StoredValue::new(initial),
        };
        session.listen_touched(move |w, touched| {
            // A change that reaches no note (a timer tick, an agenda edit) leaves the board
            // as it is: groups, reveal and voting changes count as touching every note.
            if matches!(touched, Touched::Notes(notes) if notes.is_empty()) {
                return;
            }
            this.hand_out(lay_out(w));
        });
        this
    }

    /// Sets the pieces of `next` that differ from the last layout, and only those.
    fn hand_out(&self, next: Layout) {
        let Some(changes) = self.last.try_with_value(|last| {
            if *last == next {
                return None;
            }
            let shapes: Vec<_> = next
                .shapes()
                .filter(|(group, shape)| {
                    last.column(group.as_ref()).map(ColumnLayout::shape) != Some(*shape)
                })
                .map(|(group, shape)| (group, Some(shape)))
                .collect();
            let chunks: Vec<_> = next
                .chunk_changes(last)
                .into_iter()
                .map(|(key, chunk)| (key, Some(chunk)))
                .chain(
                    last.chunks_gone_in(&next)
                        .into_iter()
                        .map(|key| (key, None)),
                )
                .collect();
            Some((shapes, chunks, last.stacks != next.stacks))
        }) else {
            return;
        };
        let Some((shapes, chunks, stacks_changed)) = changes else {
            return;
        };
        set_if_changed(self.columns, next.column_groups());
        set_if_changed(self.fullest, next.fullest());
        set_if_changed(self.max_votes, next.max_votes);
        if stacks_changed {
            self.stacks.replace_all(
                next.stacks
                    .iter()
                    .map(|(root, notes)| (root.clone(), notes.clone()))
                    .collect(),
            );
        }
        self.shapes.apply(shapes);
        self.chunks.apply(chunks);
        self.last.set_value(next);
    }

    /// The columns in order: theme groups, then "no group" when it is shown.
    pub fn columns(&self) -> Signal<Vec<Option<GroupId>>> {
        self.columns.into()
    }

    /// Most notes in one column (what the projector sizes its notes by).
    pub fn fullest(&self) -> Signal<usize> {
        self.fullest.into()
    }

    /// Most votes on one note, for scaling the result bars.
    pub fn max_votes(&self) -> Signal<u32> {
        self.max_votes.into()
    }

    /// One column's counts.
    pub fn shape(&self, group: &Option<GroupId>) -> Signal<ColumnShape> {
        self.shapes.get(group)
    }

    /// The top-level notes of chunk `index` of a column, each with "is a cluster".
    pub fn chunk(&self, group: Option<GroupId>, index: usize) -> Signal<Vec<(NoteId, bool)>> {
        self.chunks.get(&(group, index))
    }

    /// The notes stacked onto `id` (empty for most notes).
    pub fn stack(&self, id: &NoteId) -> Signal<Vec<NoteId>> {
        self.stacks.get(id)
    }

    /// Reads the whole layout without subscribing (every note shown, for instance).
    pub fn with_untracked<R>(&self, read: impl FnOnce(&Layout) -> R) -> Option<R> {
        self.last.try_with_value(read)
    }
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, next: T) {
    if signal.with_untracked(|current| *current != next) {
        signal.set(next);
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

impl ColumnLayout {
    pub fn shape(&self) -> ColumnShape {
        ColumnShape {
            count: self.count,
            withheld: self.withheld,
            roots: self.roots.len(),
        }
    }
}

impl Layout {
    pub fn column(&self, group: Option<&GroupId>) -> Option<&ColumnLayout> {
        self.columns.iter().find(|c| c.group.as_ref() == group)
    }

    fn column_groups(&self) -> Vec<Option<GroupId>> {
        self.columns.iter().map(|c| c.group.clone()).collect()
    }

    fn fullest(&self) -> usize {
        self.columns.iter().map(|c| c.count).max().unwrap_or(0)
    }

    fn shapes(&self) -> impl Iterator<Item = (Option<GroupId>, ColumnShape)> + '_ {
        self.columns.iter().map(|c| (c.group.clone(), c.shape()))
    }

    /// Chunk `index` of `column` as its list shows it: notes with "is a cluster".
    fn chunk<'a>(
        &'a self,
        column: &'a ColumnLayout,
        index: usize,
    ) -> impl Iterator<Item = (&'a NoteId, bool)> + Clone + 'a {
        column
            .roots
            .iter()
            .skip(index * CHUNK)
            .take(CHUNK)
            .map(|root| (root, self.stacks.contains_key(root)))
    }

    /// The chunks of this layout that `last` did not show the same: compared in place,
    /// so an unchanged chunk costs no allocation.
    fn chunk_changes(&self, last: &Layout) -> Vec<(ChunkKey, Vec<(NoteId, bool)>)> {
        let mut changes = Vec::new();
        for column in &self.columns {
            let before = last.column(column.group.as_ref());
            for index in 0..column.shape().chunks() {
                let now = self.chunk(column, index);
                let same = before.is_some_and(|before| now.clone().eq(last.chunk(before, index)));
                if !same {
                    let notes = now.map(|(id, cluster)| (id.clone(), cluster)).collect();
                    changes.push(((column.group.clone(), index), notes));
                }
            }
        }
        changes
    }

    /// The chunks this layout has and `next` has not (a column shrank or went).
    fn chunks_gone_in(&self, next: &Layout) -> Vec<ChunkKey> {
        let mut gone = Vec::new();
        for column in &self.columns {
            let kept = next
                .column(column.group.as_ref())
                .map_or(0, |c| c.shape().chunks());
            gone.extend((kept..column.shape().chunks()).map(|index| (column.group.clone(), index)));
        }
        gone
    }
}

/// What every board column shows besides its notes, whichever board it is on (console or
/// projector): its name ("no group" in the active language), its colour key and its
/// counts. Each column reads only its own counts, so a note added elsewhere leaves it
/// alone.
#[derive(Clone, Copy)]
pub struct ColumnParts {
    pub name: Signal<String>,
    /// `yellow`, ... or `none`, for the `group-*` class.
    pub colour: Signal<&'static str>,
    pub shape: Signal<ColumnShape>,
    /// How many chunks of notes the column lists (changes every [`CHUNK`] notes).
    pub chunks: Memo<usize>,
}

impl ColumnParts {
    pub fn new(board: BoardLayout, group: Option<GroupId>) -> Self {
        let i18n = use_i18n();
        let session = crate::workshop::use_session();
        let head = {
            let group = group.clone();
            Memo::new(move |_| session.with(|w| group_head(w, group.as_ref())).flatten())
        };
        let shape = board.shape(&group);
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
            shape,
            chunks: Memo::new(move |_| shape.with(ColumnShape::chunks)),
        }
    }
}

/// Lays out the brainstorm board. `show` says which notes the viewer may see; the others
/// are only counted. The "no group" column comes last and only when it has notes or
/// `always_no_group`. With `sort_by_votes`, stacks are ordered by their total votes.
pub fn layout(
    w: &Workshop,
    order: &BoardOrder,
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
    let totals = vote_totals(w);
    let votes = |id: &NoteId| totals.get(id).copied().unwrap_or(0);
    for (id, note) in order
        .notes()
        .filter_map(|id| w.notes.get(id).map(|note| (id, note)))
    {
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
            None => columns[column].roots.push(id.clone()),
        }
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
