use bijeen_core::GroupId;
use leptos::prelude::*;

use crate::brainstorm::{colour_key, group_head};
use crate::i18n::use_i18n;
use crate::projector::board_note::BoardNote;
use crate::projector::board_view::BoardContext;
use crate::workshop::use_session;

/// One theme group's column on the projector.
#[component]
pub fn BoardColumn(group: Option<GroupId>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let ctx = expect_context::<BoardContext>();
    let head = {
        let group = group.clone();
        Memo::new(move |_| session.with(|w| group_head(w, group.as_ref())).flatten())
    };
    let column = {
        let group = group.clone();
        Memo::new(move |_| {
            ctx.layout.with(|l| {
                l.column(group.as_ref())
                    .map(|c| (c.roots.clone(), c.count, c.withheld))
                    .unwrap_or_default()
            })
        })
    };
    let name = move || {
        head.with(|h| match h {
            Some(h) if !h.name.is_empty() => h.name.clone(),
            _ => i18n.t().bs_no_group.to_owned(),
        })
    };
    let class = move || {
        let colour = head.with(|h| h.as_ref().and_then(|h| h.colour));
        format!(
            "board-column group-{}",
            colour.map(colour_key).unwrap_or("none")
        )
    };
    let withheld = move || column.with(|c| c.2);
    view! {
        <section class=class data-column=group.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default()>
            <h3 class="board-column__head">
                <span class="board-column__name">{name}</span>
                <span class="board-column__count">{move || column.with(|c| c.1)}</span>
            </h3>
            <Show when=move || withheld() != 0>
                <p class="board-column__withheld">{move || (i18n.t().bs_withheld)(withheld())}</p>
            </Show>
            <ul class="board-column__notes">
                <For each=move || column.with(|c| c.0.clone()) key=|id| id.clone() let:id>
                    <BoardNote id=id />
                </For>
            </ul>
        </section>
    }
    .into_any()
}
