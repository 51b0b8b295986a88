use bijeen_view::Intent;
use leptos::prelude::*;

use crate::brainstorm::{category_class, category_name};
use crate::i18n::use_i18n;
use crate::phone::group_notes::note_signal;
use crate::phone::vote_buttons::PhoneVoteButtons;
use crate::phone::{category_of, refusal_text, use_phone};
use crate::ui::{short_label, tr_phone, tr_phone_about};

/// One note in my group. My own notes can be edited and deleted (others' show no such
/// controls; the relay refuses them anyway); while voting is open every note takes dots.
#[component]
pub fn PhoneNote(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let phone = use_phone();
    let note = note_signal(id.clone());
    let voting = Memo::new(move |_| phone.view.with(|v| v.head.brainstorm.dots.is_some()));
    let results = Memo::new(move |_| phone.view.with(|v| v.head.brainstorm.results));
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let mine = move || note.with(|n| n.as_ref().is_some_and(|n| n.mine));
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let category = move || {
        note.with(|n| {
            n.as_ref()
                .and_then(|n| n.category.as_deref().and_then(category_of))
        })
    };
    let my_votes = Signal::derive(move || note.with(|n| n.as_ref().map_or(0, |n| n.my_votes)));
    let short = Memo::new(move |_| short_label(&text()));
    let note_id = StoredValue::new(id.clone());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let delete = move |_| {
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
    let edit_id = format!("edit-{id}");
    let class = move || {
        let mine = if mine() { " p-note--mine" } else { "" };
        format!("p-note {}{mine}", category_class(category()))
    };
    view! {
        <li class=class data-note=id.clone()>
            <span class="category-badge">{move || category().map(|c| category_name(t(), c)).unwrap_or(t().bs_no_category)}</span>
            <Show when=mine>
                <span class="badge">{tr_phone(|t| t.bs_mine_badge)}</span>
            </Show>
            <Show when=move || editing.get() fallback=move || view! { <p class="p-note__text">{text}</p> }>
                <form class="p-note__edit" on:submit=save>
                    <label for=edit_id.clone()>{tr_phone(|t| t.bs_note_text_label)}</label>
                    <textarea id=edit_id.clone() rows="3" maxlength="500" prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <div class="p-note__actions">
                        <button type="submit" class="primary">{tr_phone(|t| t.bs_save)}</button>
                        <button type="button" on:click=move |_| editing.set(false)>{tr_phone(|t| t.cancel_button)}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || results.get()>
                <p class="p-note__votes">{move || (t().bs_votes)(note.with(|n| n.as_ref().and_then(|n| n.votes).unwrap_or(0)))}</p>
            </Show>
            <div class="p-note__actions">
                <Show when=move || mine() && !editing.get()>
                    <button type="button" on:click=move |_| { draft.set(text()); editing.set(true); }
                        aria-label=tr_phone_about(|t, s| (t.bs_edit_note)(s), short)>{tr_phone(|t| t.bs_edit)}</button>
                    <button type="button" class="danger" on:click=delete aria-label=tr_phone_about(|t, s| (t.bs_delete_note)(s), short)>{tr_phone(|t| t.delete_button)}</button>
                </Show>
                <Show when=move || voting.get()>
                    <PhoneVoteButtons note=note_id.get_value() my_votes=my_votes label=short />
                </Show>
            </div>
            <p class="field-error" role="alert">{error}</p>
        </li>
    }
    .into_any()
}
