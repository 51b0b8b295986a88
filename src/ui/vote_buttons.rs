//! The dots a participant gives one card while a round is open: vote, take one back, and
//! how many of theirs it holds. Shared by brainstorm notes and bears on the phone.

use bijeen_core::{Command, NoteId};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::{Runner, tr_phone, tr_phone_about};

/// `label` names the card in the buttons' accessible names; a refusal goes to `error`.
#[component]
pub fn VoteButtons(
    note: NoteId,
    my_votes: Signal<u32>,
    label: Memo<String>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let runner = Runner::from_context();
    let note = StoredValue::new(note);
    let vote = move |_| {
        runner.run_into(
            error,
            Command::CastVote {
                note: note.get_value(),
            },
        )
    };
    let unvote = move |_| {
        runner.run_into(
            error,
            Command::RemoveVote {
                note: note.get_value(),
            },
        )
    };
    view! {
        <button type="button" class="vote-button" on:click=vote
            aria-label=tr_phone_about(|t, s| (t.bs_vote_for)(s), label)>{tr_phone(|t| t.bs_vote)}</button>
        <Show when=move || my_votes.get() != 0>
            <button type="button" on:click=unvote
                aria-label=tr_phone_about(|t, s| (t.bs_unvote_for)(s), label)>{tr_phone(|t| t.bs_unvote)}</button>
        </Show>
        <span class="p-note__my-votes" data-testid="my-votes">{move || (i18n.phone().bs_my_dots)(my_votes.get())}</span>
    }
    .into_any()
}
