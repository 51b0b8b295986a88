use bijeen_core::NoteId;
use leptos::prelude::*;

use crate::brainstorm::{category_class, category_name, note_memo, stack_memo};
use crate::i18n::use_i18n;
use crate::projector::board_view::BoardContext;
use crate::workshop::use_session;

/// One note (or a cluster: the root with its stacked notes) on the projector. Its own
/// `Memo` (over the board's note index) keeps it from re-rendering when another note
/// changes.
#[component]
pub fn BoardNote(id: NoteId) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let ctx = expect_context::<BoardContext>();
    let fresh = ctx.ready.get_value();
    let note = note_memo(id.clone(), None);
    let stacked = stack_memo(id.clone(), ctx.layout);
    let category = move || note.with(|n| n.as_ref().and_then(|n| n.category));
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let title = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| n.cluster_title.clone())
                .unwrap_or_default()
        })
    };
    let votes = move || note.with(|n| n.as_ref().map(|n| n.votes).unwrap_or(0));
    let cluster_votes = move || {
        votes()
            + stacked.with(|s| {
                session
                    .with(|w| s.iter().map(|n| w.vote_total(n)).sum::<u32>())
                    .unwrap_or(0)
            })
    };
    let badge = move || {
        category()
            .map(|c| category_name(i18n.t(), c))
            .unwrap_or_default()
    };
    // One class string: a reactive `class=` beside `class:` toggles drops the toggles
    // whenever it is set again (a recategorised note lost its cluster look).
    let class = move || {
        let mut class = format!("board-note {}", category_class(category()));
        if fresh {
            class.push_str(" board-note--new");
        }
        if stacked.with(|s| !s.is_empty()) {
            class.push_str(" board-note--cluster");
        }
        class
    };
    view! {
        <li class=class
            data-note=id.as_str().to_owned()>
            <Show when=move || !title().is_empty()>
                <p class="board-note__cluster">{title}</p>
            </Show>
            <Show when=move || category().is_some()>
                <span class="category-badge">{badge}</span>
            </Show>
            <p class="board-note__text">{text}</p>
            <Show when=move || stacked.with(|s| !s.is_empty())>
                <ul class="board-note__stack">
                    <For each=move || stacked.get() key=|id| id.clone() let:child>
                        <StackedText id=child />
                    </For>
                </ul>
            </Show>
            <Show when=move || ctx.results.get()>
                <p class="board-note__votes" data-testid="votes">{move || (i18n.t().bs_votes)(cluster_votes())}</p>
            </Show>
        </li>
    }
    .into_any()
}

/// A note stacked under a cluster's root: its text and category.
#[component]
fn StackedText(id: NoteId) -> impl IntoView {
    let i18n = use_i18n();
    let note = note_memo(id.clone(), None);
    let category = move || note.with(|n| n.as_ref().and_then(|n| n.category));
    view! {
        <li class=move || format!("board-note__stacked {}", category_class(category()))
            data-note=id.as_str().to_owned()>
            <span class="category-badge category-badge--small">{move || category().map(|c| category_name(i18n.t(), c)).unwrap_or_default()}</span>" "
            {move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default())}
        </li>
    }
    .into_any()
}
