use bijeen_core::{GroupId, NoteId};
use leptos::prelude::*;

use crate::brainstorm::tr;

use crate::brainstorm::moderation_column::ModerationColumn;
use crate::brainstorm::{BOARD, BoardNotes, BoardStacks, Layout, layout};
use crate::workshop::use_session;

/// What the moderation cards share: the board's shape, the note being stacked (picked
/// with "Stack…", dropped with "Stack here"), and whether a voting round has results.
#[derive(Clone, Copy)]
pub struct ModerationContext {
    pub layout: Memo<Layout>,
    pub stacking: RwSignal<Option<NoteId>>,
    pub has_round: Memo<bool>,
    pub groups: Memo<Vec<(GroupId, String)>>,
}

/// Every note of the board, one column per theme group, for the facilitator to moderate.
#[component]
pub fn ModerationBoard(#[prop(into)] sort_by_votes: Signal<bool>) -> impl IntoView {
    let session = use_session();
    let board = Memo::new(move |_| {
        session
            .with(|w| layout(w, sort_by_votes.get(), true, |_, _| true))
            .unwrap_or_default()
    });
    let has_round = Memo::new(move |_| {
        session
            .with(|w| w.shown_round(BOARD).is_some())
            .unwrap_or(false)
    });
    let groups = Memo::new(move |_| {
        session
            .with(|w| {
                w.groups_in_order()
                    .into_iter()
                    .map(|(id, g)| (id.clone(), g.name.value.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    provide_context(BoardNotes::new(session, None));
    provide_context(BoardStacks::new(board));
    let stacking = RwSignal::new(None::<NoteId>);
    provide_context(ModerationContext {
        layout: board,
        stacking,
        has_round,
        groups,
    });
    let columns = Memo::new(move |_| {
        board.with(|l| {
            l.columns
                .iter()
                .map(|c| c.group.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="bs-moderation" aria-labelledby="bs-moderation-heading">
            <h2 id="bs-moderation-heading">{tr(|t| t.bs_notes_heading)}</h2>
            <Show when=move || stacking.get().is_some()>
                <p class="banner banner--ok bs-moderation__picking" role="status">
                    {tr(|t| t.bs_stacking_hint)}
                    " "
                    <button type="button" on:click=move |_| stacking.set(None)>{tr(|t| t.cancel_button)}</button>
                </p>
            </Show>
            <div class="bs-columns">
                <For each=move || columns.get() key=|g| g.clone() let:group>
                    <ModerationColumn group=group />
                </For>
            </div>
        </section>
    }
    .into_any()
}
