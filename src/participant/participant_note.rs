use bijeen_core::{Command, NoteId};
use leptos::prelude::*;

use crate::ui::{short_label, tr_phone, tr_phone_about};

use crate::brainstorm::{BOARD, BoardNotes, category_class, category_name, results_shown};
use crate::i18n::use_i18n;
use crate::ui::inline_edit::{InlineEditForm, use_inline_edit};
use crate::ui::vote_buttons::VoteButtons;
use crate::ui::{Runner, error_slot};
use crate::workshop::me::Me;
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// Whether voting is open and whether results are shown: one pair of signals for the whole
/// list (provided by the group's notes), set only when they change, so a new note does not
/// wake every card.
#[derive(Clone, Copy)]
pub struct RoundState {
    pub voting: Signal<bool>,
    pub results: Signal<bool>,
}

impl RoundState {
    pub fn new(session: WorkshopSession) -> Self {
        Self {
            voting: session.select(false, |w| w.open_round(BOARD).is_some()),
            results: session.select(false, results_shown),
        }
    }
}

/// One note in my group. My own notes can be edited and deleted (others' show no such
/// controls; the core refuses them anyway); while voting is open every note takes dots.
#[component]
pub fn ParticipantNote(id: NoteId) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let session = use_session();
    let me = expect_context::<Me>();
    let runner = Runner::from_context();
    let error = error_slot();
    // A vote's refusal ("all your dots are used") belongs to the round: it goes when the
    // round closes, instead of staying under the note for the rest of the morning.
    let vote_error = error_slot();
    let note = expect_context::<BoardNotes>().note(&id);
    let RoundState { voting, results } =
        use_context::<RoundState>().unwrap_or_else(|| RoundState::new(session));
    let mine = move || note.with(|n| n.as_ref().is_some_and(|n| me.wrote(&n.author)));
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let category = move || note.with(|n| n.as_ref().and_then(|n| n.category));
    let my_votes =
        Signal::derive(move || note.with(|n| n.as_ref().map(|n| n.my_votes).unwrap_or(0)));
    let note_id = StoredValue::new(id.clone());
    let edit = use_inline_edit(id.clone(), error);
    let delete = move |_| runner.run_into(error, Command::DeleteNote(note_id.get_value()));
    let short = Memo::new(move |_| short_label(&text()));
    let edit_id = format!("edit-{}", id.as_str());
    // One class string: a reactive `class=` beside `class:` toggles drops the toggles
    // whenever it is set again.
    let class = move || {
        let mine = if mine() { " p-note--mine" } else { "" };
        format!("p-note {}{mine}", category_class(category()))
    };
    view! {
        <li class=class data-note=id.as_str().to_owned()>
            <span class="category-badge">{move || category().map(|c| category_name(t(), c)).unwrap_or(t().bs_no_category)}</span>
            <Show when=move || mine()>
                <span class="badge">{tr_phone(|t| t.bs_mine_badge)}</span>
            </Show>
            <Show when=move || edit.editing.get() fallback=move || view! { <p class="p-note__text">{text}</p> }>
                <InlineEditForm edit=edit field_id=edit_id.clone() label=|t| t.bs_note_text_label />
            </Show>
            <Show when=move || results.get()>
                <p class="p-note__votes">{move || (t().bs_votes)(note.with(|n| n.as_ref().map(|n| n.votes).unwrap_or(0)))}</p>
            </Show>
            <div class="p-note__actions">
                <Show when=move || mine() && !edit.editing.get()>
                    <button type="button" on:click=move |_| edit.start(text()) aria-label=tr_phone_about(|t, s| (t.bs_edit_note)(s), short)>{tr_phone(|t| t.bs_edit)}</button>
                    <button type="button" class="danger" on:click=delete aria-label=tr_phone_about(|t, s| (t.bs_delete_note)(s), short)>{tr_phone(|t| t.delete_button)}</button>
                </Show>
                <Show when=move || voting.get()>
                    <VoteButtons note=note_id.get_value() my_votes=my_votes label=short error=vote_error />
                </Show>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || voting.get()>
                <p class="field-error" role="alert">{move || vote_error.get()}</p>
            </Show>
        </li>
    }
    .into_any()
}
