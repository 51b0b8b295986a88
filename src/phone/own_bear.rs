use bijeen_view::Intent;
use leptos::prelude::*;

use crate::phone::phone_bears::bear_signal;
use crate::phone::{refusal_text, use_phone};
use crate::ui::{short_label, tr_phone, tr_phone_about};

/// One of my bears while the wall collects: edit it in place or withdraw it.
#[component]
pub fn OwnBear(id: String) -> impl IntoView {
    let phone = use_phone();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let bear = bear_signal(id.clone());
    let note_id = StoredValue::new(id.clone());
    let text = move || bear.with(|b| b.as_ref().map(|b| b.text.clone()).unwrap_or_default());
    let label = Memo::new(move |_| short_label(&text()));
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let withdraw = move |_| {
        asked.set(Some(phone.ask(Intent::DeleteNote {
            id: note_id.get_value(),
        })))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        asked.set(Some(phone.ask(Intent::EditNote {
            id: note_id.get_value(),
            text: draft.get_untracked().trim().to_owned(),
        })));
        editing.set(false);
    };
    let edit_id = format!("edit-bear-{id}");
    view! {
        <li class="p-bear p-bear--mine" data-bear=id.clone()>
            <Show when=move || editing.get() fallback=move || view! { <p class="p-bear__text">{text}</p> }>
                <form class="p-note__edit" on:submit=save>
                    <label for=edit_id.clone()>{tr_phone(|t| t.bears.text_label)}</label>
                    <textarea id=edit_id.clone() rows="3" maxlength="500" prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <div class="p-note__actions">
                        <button type="submit" class="primary">{tr_phone(|t| t.bs_save)}</button>
                        <button type="button" on:click=move |_| editing.set(false)>{tr_phone(|t| t.cancel_button)}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || !editing.get()>
                <div class="p-note__actions">
                    <button type="button" on:click=move |_| { draft.set(text()); editing.set(true); }
                        aria-label=tr_phone_about(|t, s| (t.bears.edit_bear)(s), label)>{tr_phone(|t| t.bs_edit)}</button>
                    <button type="button" class="danger" on:click=withdraw
                        aria-label=tr_phone_about(|t, s| (t.bears.withdraw_bear)(s), label)>{tr_phone(|t| t.bears.withdraw)}</button>
                </div>
            </Show>
            <p class="field-error" role="alert">{error}</p>
        </li>
    }
    .into_any()
}
