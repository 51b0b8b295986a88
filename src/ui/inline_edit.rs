//! Editing one's own card in place: the card's text becomes a form, saved as an
//! `EditNote` and closed only when the core accepted it (a refusal stays next to the form).

use bijeen_core::{Command, NoteId};
use leptos::prelude::*;

use crate::i18n::PhoneStrings;
use crate::ui::{Runner, tr_phone};

/// The edit state of one card. `Copy`, so its handlers go straight into the view.
#[derive(Clone, Copy)]
pub struct InlineEdit {
    pub editing: RwSignal<bool>,
    draft: RwSignal<String>,
    note: StoredValue<NoteId>,
    error: RwSignal<Option<String>>,
    runner: Runner,
}

/// The edit state of note `note`, whose refusals go to `error`.
pub fn use_inline_edit(note: NoteId, error: RwSignal<Option<String>>) -> InlineEdit {
    InlineEdit {
        editing: RwSignal::new(false),
        draft: RwSignal::new(String::new()),
        note: StoredValue::new(note),
        error,
        runner: Runner::from_context(),
    }
}

impl InlineEdit {
    /// Opens the form with the card's `current` text.
    pub fn start(&self, current: String) {
        self.draft.set(current);
        self.error.set(None);
        self.editing.set(true);
    }

    pub fn cancel(&self) {
        self.editing.set(false);
        self.error.set(None);
    }

    fn save(&self) {
        self.runner.run_into(
            self.error,
            Command::EditNote {
                id: self.note.get_value(),
                text: self.draft.get_untracked().trim().to_owned(),
            },
        );
        if self.error.get_untracked().is_none() {
            self.editing.set(false);
        }
    }
}

/// The form of an [`InlineEdit`]; `label` names the text field.
#[component]
pub fn InlineEditForm(
    edit: InlineEdit,
    field_id: String,
    label: fn(&'static PhoneStrings) -> &'static str,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.save();
    };
    view! {
        <form class="p-note__edit" on:submit=submit>
            <label for=field_id.clone()>{tr_phone(label)}</label>
            <textarea id=field_id rows="3" maxlength="500" prop:value=move || edit.draft.get()
                on:input=move |ev| edit.draft.set(event_target_value(&ev))></textarea>
            <div class="p-note__actions">
                <button type="submit" class="primary">{tr_phone(|t| t.bs_save)}</button>
                <button type="button" on:click=move |_| edit.cancel()>{tr_phone(|t| t.cancel_button)}</button>
            </div>
        </form>
    }
    .into_any()
}
