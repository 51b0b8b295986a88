use bijeen_core::{Category, DomainError};
use bijeen_protocol::RejectReason;
use bijeen_view::Intent;
use leptos::prelude::*;

use crate::brainstorm::{category_class, category_key, category_name};
use crate::i18n::use_i18n;
use crate::phone::{refusal_text, use_phone};
use crate::ui::tr_phone;

/// A new note in my theme group: one of the four named, colour-coded categories and the
/// text. Sent at once, or kept until the relay is back; a refusal (empty, board closed) is
/// shown under the button when the relay answers.
#[component]
pub fn NoteForm() -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_phone();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let local_error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Netwerkpartner);
    let board_open = Memo::new(move |_| phone.view.with(|v| v.head.brainstorm.open));
    // A refusal is about the note it refused: gone once the next one is being written,
    // and a "board closed" gone once the board is open again.
    let closed_then = move || {
        asked
            .get()
            .and_then(|key| phone.refusal_of(key))
            .is_some_and(|r| {
                matches!(
                    r,
                    RejectReason::Forbidden {
                        error: DomainError::BoardClosed
                    }
                )
            })
    };
    let shown_error = move || {
        local_error
            .get()
            .or_else(|| (!(board_open.get() && closed_then())).then(error).flatten())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked().trim().to_owned();
        // Said at once rather than after a round trip: the relay would refuse it the same.
        if typed.is_empty() {
            local_error.set(Some((i18n.phone().domain_error)(
                bijeen_core::DomainError::EmptyText,
            )));
            return;
        }
        local_error.set(None);
        let group = phone.view.with_untracked(|v| v.head.me.group.clone());
        asked.set(Some(phone.ask(Intent::AddNote {
            group,
            category: Some(
                bijeen_core::phone_view::category_key(category.get_untracked()).to_owned(),
            ),
            text: typed,
        })));
        text.set(String::new());
    };
    view! {
        <form class="panel note-form" on:submit=submit>
            <h2>{tr_phone(|t| t.bs_add_note_heading)}</h2>
            <Show when=move || !board_open.get()>
                <p class="hint">{tr_phone(|t| t.bs_board_closed_hint)}</p>
            </Show>
            <fieldset class="note-form__categories">
                <legend>{tr_phone(|t| t.bs_category_label)}</legend>
                {Category::ALL.into_iter().map(|c| {
                    let id = format!("new-note-cat-{}", category_key(c));
                    view! {
                        <div class=format!("category-choice {}", category_class(Some(c)))>
                            <input type="radio" name="new-note-category" id=id.clone() value=category_key(c)
                                prop:checked=move || category.get() == c
                                on:change=move |_| category.set(c) />
                            <label for=id>{move || category_name(i18n.phone(), c)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="new-note-text">{tr_phone(|t| t.bs_note_text_label)}</label>
                <textarea id="new-note-text" rows="3" maxlength="500"
                    prop:value=move || text.get() on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        asked.set(None);
                        local_error.set(None);
                    }></textarea>
            </div>
            <button type="submit" class="primary big">{tr_phone(|t| t.bs_add_note)}</button>
            <p class="field-error" role="alert" data-testid="note-form-error">{shown_error}</p>
        </form>
    }
    .into_any()
}
