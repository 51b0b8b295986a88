use bijeen_core::{GroupId, NoteId};
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::moderation_column::ModerationColumn;
use crate::brainstorm::{BOARD, BoardLayout, BoardNotes, layout};
use crate::workshop::use_session;

/// What the moderation cards share: the board's notes and shape, the note being stacked
/// (picked with "Stack…", dropped with "Stack here"), and whether a voting round has
/// results.
#[derive(Clone, Copy)]
pub struct ModerationContext {
    pub notes: BoardNotes,
    pub board: BoardLayout,
    pub stacking: RwSignal<Option<NoteId>>,
    pub has_round: Signal<bool>,
    pub groups: Signal<Vec<(GroupId, String)>>,
}

/// Every note of the board, one column per theme group, for the facilitator to moderate.
/// Switching the order (board order or most votes first) draws the board anew: the cards'
/// values are kept up to date by workshop listeners, which do not follow other signals.
#[component]
pub fn ModerationBoard(#[prop(into)] sort_by_votes: Signal<bool>) -> impl IntoView {
    move || {
        let sort_by_votes = sort_by_votes.get();
        view! { <SortedModerationBoard sort_by_votes=sort_by_votes /> }
    }
}

#[component]
fn SortedModerationBoard(sort_by_votes: bool) -> impl IntoView {
    let session = use_session();
    let board_layout = BoardLayout::new(session, move |w, order| {
        layout(w, order, sort_by_votes, true, |_, _| true)
    });
    // Signals set only when their value changes: every card reads them.
    let has_round = session.select(false, |w| w.shown_round(BOARD).is_some());
    let groups = session.select(Vec::new(), |w| {
        w.groups_in_order()
            .into_iter()
            .map(|(id, g)| (id.clone(), g.name.value.clone()))
            .collect()
    });
    let stacking = RwSignal::new(None::<NoteId>);
    provide_context(ModerationContext {
        notes: BoardNotes::new(session, None),
        board: board_layout,
        stacking,
        has_round,
        groups,
    });
    let columns = board_layout.columns();
    view! {
        <section class="bs-moderation" aria-labelledby="bs-moderation-heading">
            <h2 id="bs-moderation-heading">{tr(|t| t.bs_notes_heading)}</h2>
            <Show when=move || stacking.get().is_some()>
                <p class="banner banner--ok bs-moderation__picking" role="status">
                    {tr(|t| t.bs_stacking_hint)}
                    " "
                    <button type="button" on:click=move |_| stacking.set(None)>{tr(|t| t.phone.cancel_button)}</button>
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
