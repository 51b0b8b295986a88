use bijeen_view::Intent;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::phone::{refusal_text, use_phone};
use crate::ui::tr_phone;

/// A new bear: a question, obstacle or worry, anonymous unless the facilitator made the
/// wall named (said above the field, so nobody writes a worry thinking it is anonymous).
#[component]
pub fn BearForm() -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_phone();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let local_error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let anonymous = Memo::new(move |_| phone.view.with(|v| v.head.bears.anonymous));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked().trim().to_owned();
        if typed.is_empty() {
            local_error.set(Some((i18n.phone().domain_error)(
                bijeen_core::DomainError::EmptyText,
            )));
            return;
        }
        local_error.set(None);
        asked.set(Some(phone.ask(Intent::AddBear { text: typed })));
        text.set(String::new());
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
            <p class="field-error" role="alert" data-testid="bear-form-error">{move || local_error.get().or_else(error)}</p>
        </form>
    }
    .into_any()
}
