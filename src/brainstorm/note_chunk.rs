use std::sync::Arc;

use bijeen_core::{GroupId, NoteId};
use leptos::prelude::*;

use crate::brainstorm::BoardLayout;

/// Chunks drawn before the board's first paint, per list: more than a 1080-pixel screen
/// shows of one list, so what is on the screen is there at once.
const FIRST_PAINT_CHUNKS: usize = 3;
/// Chunks added per frame after that: a board of a thousand notes fills in over a few
/// frames below the fold instead of holding back the first one.
const CHUNKS_PER_FRAME: usize = 16;

/// Chunks `first..end` of a column's notes (see [`crate::logic::board_layout::CHUNK`]),
/// each drawn by `card(note, is_cluster)`. Neither the chunks nor this list add an element:
/// the cards stand straight in the column's `<ul>`, in board order.
///
/// A long list is drawn over a few frames: the first chunks before the first paint, the
/// rest after it, [`CHUNKS_PER_FRAME`] at a time. Opening a board of a thousand notes then
/// shows its first screen in one frame (drawing every card first took a quarter second).
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
    let range = Arc::new(range);
    let drawn = RwSignal::new(FIRST_PAINT_CHUNKS);
    draw_more_after_paint(drawn, {
        let range = range.clone();
        move || range().len()
    });
    let range = move || {
        let all = range();
        all.start..all.end.min(all.start.saturating_add(drawn.get()))
    };
    view! {
        <For each=range key=|index| *index let:index>
            {note_chunk(board, group.clone(), index, card.clone())}
        </For>
    }
}

/// After the next paint, raises `drawn` by [`CHUNKS_PER_FRAME`], and again after each
/// paint, until the list (`chunks` long now) is drawn whole; then the limit is lifted, so
/// notes that arrive later show at once. Stops when the list is gone.
fn draw_more_after_paint(drawn: RwSignal<usize>, chunks: impl Fn() -> usize + 'static) {
    request_animation_frame(move || {
        // A task queued from an animation frame runs after that frame's paint.
        set_timeout(
            move || {
                let Some(now) = drawn.try_get_untracked() else {
                    return;
                };
                if now >= chunks() {
                    drawn.set(usize::MAX);
                    return;
                }
                drawn.set(now + CHUNKS_PER_FRAME);
                draw_more_after_paint(drawn, chunks);
            },
            std::time::Duration::ZERO,
        );
    });
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
