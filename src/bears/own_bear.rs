use bijeen_core::{Command, NoteId};
use leptos::prelude::*;

use crate::bears::{short, snapshot};
use crate::ui::{Runner, error_slot};
use crate::ui::{tr, tr_about};
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// One of my own bears while the wall collects: edit it or withdraw it (after the reveal
/// only the facilitator edits; the core refuses it then anyway).
#[component]
pub fn OwnBear(id: NoteId) -> impl IntoView {
    let session = use_session();
    let me = expect_context::<Me>();
    let runner = Runner::from_context();
    let error = error_slot();
    let note_id = StoredValue::new(id.clone());
    let note = Memo::new(move |_| {
        let me = me.ids();
        session
            .with(|w| snapshot(w, &note_id.get_value(), &me))
            .flatten()
    });
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let label = Memo::new(move |_| short(&text()));
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let start_edit = move |_| {
        draft.set(text());
        error.set(None);
        editing.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        runner.run_into(
            error,
            Command::EditNote {
                id: note_id.get_value(),
                text: draft.get_untracked().trim().to_owned(),
            },
        );
        if error.get_untracked().is_none() {
            editing.set(false);
        }
    };
    let withdraw = move |_| runner.run_into(error, Command::DeleteNote(note_id.get_value()));
    let edit_id = format!("edit-bear-{}", id.as_str());
    view! {
        <li class="p-bear p-bear--mine" data-bear=id.as_str().to_owned()>
            <Show when=move || editing.get() fallback=move || view! { <p class="p-bear__text">{text}</p> }>
                <form class="p-note__edit" on:submit=save>
                    <label for=edit_id.clone()>{tr(|t| t.bears.text_label)}</label>
                    <textarea id=edit_id.clone() rows="3" maxlength="500" prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <div class="p-note__actions">
                        <button type="submit" class="primary">{tr(|t| t.bs_save)}</button>
                        <button type="button" on:click=move |_| { editing.set(false); error.set(None); }>{tr(|t| t.cancel_button)}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || !editing.get()>
                <div class="p-note__actions">
                    <button type="button" on:click=start_edit
                        aria-label=tr_about(|t, s| (t.bears.edit_bear)(s), label)>{tr(|t| t.bs_edit)}</button>
                    <button type="button" class="danger" on:click=withdraw
                        aria-label=tr_about(|t, s| (t.bears.withdraw_bear)(s), label)>{tr(|t| t.bears.withdraw)}</button>
                </div>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
