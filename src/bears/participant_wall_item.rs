use bijeen_core::{BearStatus, NoteId};
use leptos::prelude::*;

use crate::bears::bear_cards::BearCards;
use crate::bears::participant_bears::BearVoting;
use crate::bears::{status_key, status_name};
use crate::i18n::use_i18n;
use crate::ui::vote_buttons::VoteButtons;
use crate::ui::{error_slot, short_label, tr_phone};

/// One bear (or cluster) of the revealed wall on a phone: its text and its cluster's, the
/// dots while the room votes, and once dealt with its status, answer and action. Names
/// only when the facilitator made the wall non-anonymous.
#[component]
pub fn ParticipantWallItem(id: NoteId) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let error = error_slot();
    let vote_id = StoredValue::new(id.clone());
    let note = expect_context::<BearCards>().card(&id);
    let voting = expect_context::<BearVoting>().0;
    let stacked = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| {
                    n.stacked
                        .iter()
                        .map(|b| (b.id.clone(), b.text.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let label = Memo::new(move |_| short_label(&text()));
    let status = move || note.with(|n| n.as_ref().map(|n| n.status).unwrap_or_default());
    let title = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| n.cluster_title.clone())
                .unwrap_or_default()
        })
    };
    let answer = move || note.with(|n| n.as_ref().map(|n| n.answer.clone()).unwrap_or_default());
    let author = move || {
        note.with(|n| {
            n.as_ref()
                .and_then(|n| n.author_name.clone())
                .unwrap_or_default()
        })
    };
    let actions = move || note.with(|n| n.as_ref().map(|n| n.actions.clone()).unwrap_or_default());
    let my_votes =
        Signal::derive(move || note.with(|n| n.as_ref().map(|n| n.my_votes).unwrap_or(0)));
    let class = move || format!("p-bear bear--{}", status_key(status()));
    view! {
        <li class=class data-bear=id.as_str().to_owned()>
            <Show when=move || !title().is_empty()>
                <p class="p-bear__cluster">{title}</p>
            </Show>
            <p class="p-bear__text">{text}</p>
            <Show when=move || note.with(|n| n.as_ref().is_some_and(|n| !n.stacked.is_empty()))>
                <ul class="p-bear__stack">
                    <For each=stacked key=|(id, _)| id.clone() let:child>
                        <li>{child.1}</li>
                    </For>
                </ul>
            </Show>
            <Show when=move || !author().is_empty()>
                <p class="p-bear__author">{author}</p>
            </Show>
            <Show when=move || status() != BearStatus::Open>
                <p class="p-bear__status"><span class="bear-status">{move || status_name(t(), status())}</span></p>
            </Show>
            <Show when=move || !answer().is_empty()>
                <p class="p-bear__answer"><strong>{tr_phone(|t| t.bears.answer_label)}": "</strong>{answer}</p>
            </Show>
            <For each=actions key=|a| a.text.clone() let:action>
                <p class="p-bear__action"><strong>{tr_phone(|t| t.bears.action_label)}": "</strong>
                    {move || (t().bears.action_line)(&action.text, &action.owner, action.due.as_deref())}</p>
            </For>
            <Show when=move || voting.get()>
                <div class="p-note__actions">
                    <VoteButtons note=vote_id.get_value() my_votes=my_votes label=label error=error />
                </div>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
