use bijeen_core::GroupId;
use leptos::prelude::*;

use crate::brainstorm::ColumnParts;
use crate::i18n::use_i18n;
use crate::projector::board_note::BoardNote;
use crate::projector::board_view::BoardContext;

/// One theme group's column on the projector.
#[component]
pub fn BoardColumn(group: Option<GroupId>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<BoardContext>();
    let column = ColumnParts::new(ctx.layout, group.clone());
    let class = move || format!("board-column group-{}", column.colour.get());
    let withheld = move || column.notes.with(|c| c.withheld);
    view! {
        <section class=class data-column=group.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default()>
            <h3 class="board-column__head">
                <span class="board-column__name">{column.name}</span>
                <span class="board-column__count">{move || column.notes.with(|c| c.count)}</span>
            </h3>
            <Show when=move || withheld() != 0>
                <p class="board-column__withheld">{move || (i18n.t().bs_withheld)(withheld())}</p>
            </Show>
            <ul class="board-column__notes">
                <For each=move || column.notes.with(|c| c.roots.clone()) key=|id| id.clone() let:id>
                    <BoardNote id=id />
                </For>
            </ul>
        </section>
    }
    .into_any()
}
