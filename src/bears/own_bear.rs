use bijeen_core::{Command, NoteId};
use leptos::prelude::*;

use crate::bears::bear_cards::BearCards;
use crate::ui::inline_edit::{InlineEditForm, use_inline_edit};
use crate::ui::short_label;
use crate::ui::{Runner, error_slot, tr_phone, tr_phone_about};

/// One of my own bears while the wall collects: edit it or withdraw it (after the reveal
/// only the facilitator edits; the core refuses it then anyway).
#[component]
pub fn OwnBear(id: NoteId) -> impl IntoView {
    let runner = Runner::from_context();
    let error = error_slot();
    let note_id = StoredValue::new(id.clone());
    let note = expect_context::<BearCards>().card(&id);
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let label = Memo::new(move |_| short_label(&text()));
    let edit = use_inline_edit(id.clone(), error);
    let withdraw = move |_| runner.run_into(error, Command::DeleteNote(note_id.get_value()));
    let edit_id = format!("edit-bear-{}", id.as_str());
    view! {
        <li class="p-bear p-bear--mine" data-bear=id.as_str().to_owned()>
            <Show when=move || edit.editing.get() fallback=move || view! { <p class="p-bear__text">{text}</p> }>
                <InlineEditForm edit=edit field_id=edit_id.clone() label=|t| t.bears.text_label />
            </Show>
            <Show when=move || !edit.editing.get()>
                <div class="p-note__actions">
                    <button type="button" on:click=move |_| edit.start(text())
                        aria-label=tr_phone_about(|t, s| (t.bears.edit_bear)(s), label)>{tr_phone(|t| t.bs_edit)}</button>
                    <button type="button" class="danger" on:click=withdraw
                        aria-label=tr_phone_about(|t, s| (t.bears.withdraw_bear)(s), label)>{tr_phone(|t| t.bears.withdraw)}</button>
                </div>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
