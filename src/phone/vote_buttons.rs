use bijeen_view::Intent;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::phone::{refusal_text, use_phone};
use crate::ui::{tr_phone, tr_phone_about};

/// The dots a participant gives one card while a round is open: vote, take one back, and
/// how many of theirs it holds. `label` names the card in the buttons' accessible names.
#[component]
pub fn PhoneVoteButtons(
    note: String,
    #[prop(into)] my_votes: Signal<u32>,
    label: Memo<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_phone();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let note = StoredValue::new(note);
    let vote = move |_| {
        asked.set(Some(phone.ask(Intent::CastVote {
            note: note.get_value(),
        })))
    };
    let unvote = move |_| {
        asked.set(Some(phone.ask(Intent::RemoveVote {
            note: note.get_value(),
        })))
    };
    view! {
        <button type="button" class="vote-button" on:click=vote
            aria-label=tr_phone_about(|t, s| (t.bs_vote_for)(s), label)>{tr_phone(|t| t.bs_vote)}</button>
        <Show when=move || my_votes.get() != 0>
            <button type="button" on:click=unvote
                aria-label=tr_phone_about(|t, s| (t.bs_unvote_for)(s), label)>{tr_phone(|t| t.bs_unvote)}</button>
        </Show>
        <span class="p-note__my-votes" data-testid="my-votes">{move || (i18n.phone().bs_my_dots)(my_votes.get())}</span>
        <p class="field-error" role="alert">{error}</p>
    }
    .into_any()
}
