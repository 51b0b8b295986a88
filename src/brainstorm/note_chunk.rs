use bijeen_core::{GroupId, NoteId};
use leptos::prelude::*;

use crate::brainstorm::BoardLayout;

/// Chunks `first..end` of a column's notes (see [`crate::brainstorm::CHUNK`]), each drawn
/// by `card(note, is_cluster)`. Neither the chunks nor this list add an element: the cards
/// stand straight in the column's `<ul>`, in board order.
#[component]
pub fn NoteChunks<R, C, V>(
    board: BoardLayout,
    group: Option<GroupId>,
    /// The chunk indices to draw: changes only every few notes.
    range: R,
    card: C,
) -> impl IntoView
where
    R: Fn() -> std::ops::Range<usize> + Send + Sync + 'static,
    C: Fn(NoteId, bool) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <For each=range key=|index| *index let:index>
            {note_chunk(board, group.clone(), index, card.clone())}
        </For>
    }
}

/// One chunk: a keyed list of at most `CHUNK` notes that wakes only when these notes do.
/// Keyed by note and "is a cluster", so a note that becomes a cluster is drawn anew.
fn note_chunk<C, V>(
    board: BoardLayout,
    group: Option<GroupId>,
    index: usize,
    card: C,
) -> impl IntoView
where
    C: Fn(NoteId, bool) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let notes = board.chunk(group, index);
    view! {
        <For each=move || notes.get() key=|note| note.clone()
            children=move |(id, cluster)| card(id, cluster) />
    }
}
