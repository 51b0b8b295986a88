use bijeen_core::Command;
use leptos::prelude::*;

use crate::bears::BOARD;
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot, tr_phone};
use crate::workshop::use_session;

/// A new bear: one worry, question or obstacle per sticky note. Says whether the wall is
/// anonymous, so nobody has to wonder who will read their name.
#[component]
pub fn BearForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let text = RwSignal::new(String::new());
    let anonymous = Memo::new(move |_| session.with(|w| *w.bear_wall.anonymous).unwrap_or(true));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        runner.run_into(
            error,
            Command::AddNote {
                board: BOARD,
                group: None,
                category: None,
                text: text.get_untracked().trim().to_owned(),
                colour: None,
            },
        );
        if error.get_untracked().is_none() {
            text.set(String::new());
        }
    };
    view! {
        <form class="panel bear-form" on:submit=submit>
            <p class="bear-form__question">{tr_phone(|t| t.bears.question)}</p>
            <p class="hint" data-testid="bear-anonymity">
                {move || {
                    let b = i18n.phone().bears;
                    if anonymous.get() { b.anonymous_hint } else { b.named_hint }
                }}
            </p>
            <div class="field">
                <label for="new-bear-text">{tr_phone(|t| t.bears.text_label)}</label>
                <textarea id="new-bear-text" rows="3" maxlength="500"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="primary big">{tr_phone(|t| t.bears.add)}</button>
            <p class="field-error" role="alert" data-testid="bear-form-error">{move || error.get()}</p>
        </form>
    }
    .into_any()
}
