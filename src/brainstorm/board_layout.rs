//! The shape of a brainstorm board: which notes stand in which column, and the stacks.

use std::cell::RefCell;

use bijeen_core::{GroupId, NoteId, Workshop};
use leptos::prelude::{
    Memo, RwSignal, Set, SetValue, Signal, StoredValue, With, WithUntracked, WithValue,
};

use crate::brainstorm::{colour_key, group_head};
use crate::i18n::use_i18n;
use crate::logic::board_layout::{ChunkKey, ColumnLayout, ColumnShape, Layout};
use crate::logic::board_order::BoardOrder;
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::replica::Touched;
use crate::workshop::session::WorkshopSession;

/// A board's [`Layout`] kept by a workshop listener and handed out in pieces, each a
/// signal of its own set only when that piece changed: the list of columns, each column's
/// counts, each chunk of [`CHUNK`](crate::logic::board_layout::CHUNK) notes, each stack, the most votes on one note. A note
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
    /// How many chunks of notes the column lists (changes every [`CHUNK`](crate::logic::board_layout::CHUNK) notes).
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
                    _ => i18n.t().phone.bs_no_group.to_owned(),
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
