use bijeen_core::GroupId;
use leptos::prelude::*;

use crate::brainstorm::ColumnParts;
use crate::brainstorm::note_chunk::NoteChunks;
use crate::i18n::use_i18n;
use crate::projector::board_note::BoardNote;
use crate::projector::board_view::BoardContext;

/// One theme group's column on the projector: its notes in one list over CSS columns, or,
/// for a column longer than the screen, split in order over a few plain lists (balancing
/// CSS columns over hundreds of notes took the browser longer than drawing them). Either
/// way the notes flow down and the reading order is the board order.
#[component]
pub fn BoardColumn(group: Option<GroupId>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<BoardContext>();
    let column = ColumnParts::new(ctx.board_layout, group.clone());
    let class = move || format!("board-column group-{}", column.colour.get());
    let withheld = move || column.shape.with(|c| c.withheld);
    let sub_columns = {
        let group = group.clone();
        move || {
            let lists = ctx.lists.get().max(1);
            (0..lists)
                .map(|part| {
                    // List `part` holds an even share of the chunks, the first lists
                    // fuller, so a new note joins the last list instead of moving a note
                    // from every list to the next.
                    let chunks = column.chunks;
                    let range = move || {
                        let all = chunks.get();
                        let per = all.div_ceil(lists);
                        (part * per).min(all)..((part + 1) * per).min(all)
                    };
                    view! {
                        <ul class="board-column__sub">
                            <NoteChunks board=ctx.board_layout group=group.clone() range=range
                                card=|id, cluster| view! { <BoardNote id=id cluster=cluster /> } />
                        </ul>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class=class data-column=group.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default()>
            <h3 class="board-column__head">
                <span class="board-column__name">{column.name}</span>
                <span class="board-column__count">{move || column.shape.with(|c| c.count)}</span>
            </h3>
            <Show when=move || withheld() != 0>
                <p class="board-column__withheld">{move || (i18n.t().phone.bs_withheld)(withheld())}</p>
            </Show>
            <div class="board-column__notes">{sub_columns}</div>
        </section>
    }
    .into_any()
}
