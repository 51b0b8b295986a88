use bijeen_core::{BearPhase, BearStatus, Command, NoteId};
use leptos::prelude::*;

use crate::bears::{short, snapshot, status_key, status_name};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::ui::{tr, tr_about};
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// One bear (or cluster) of the revealed wall on a phone: its text and its cluster's, the
/// dots while the room votes, and once dealt with its status, answer and action. Names
/// only when the facilitator made the wall non-anonymous.
#[component]
pub fn ParticipantWallItem(id: NoteId) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let me = expect_context::<Me>();
    let runner = Runner::from_context();
    let error = error_slot();
    let note_id = StoredValue::new(id.clone());
    let note = Memo::new(move |_| {
        let me = me.ids();
        session
            .with(|w| snapshot(w, &note_id.get_value(), &me))
            .flatten()
    });
    let stacked = Memo::new(move |_| {
        session
            .with(|w| {
                w.stacked_onto(&note_id.get_value())
                    .into_iter()
                    .filter_map(|c| w.note(c).map(|n| (c.clone(), n.text.value.clone())))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let voting = Memo::new(move |_| {
        session
            .with(|w| {
                *w.bear_wall.phase == BearPhase::Vote && w.open_round(crate::bears::BOARD).is_some()
            })
            .unwrap_or(false)
    });
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let label = Memo::new(move |_| short(&text()));
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
    let my_votes = move || note.with(|n| n.as_ref().map(|n| n.my_votes).unwrap_or(0));
    let vote = move |_| {
        runner.run_into(
            error,
            Command::CastVote {
                note: note_id.get_value(),
            },
        )
    };
    let unvote = move |_| {
        runner.run_into(
            error,
            Command::RemoveVote {
                note: note_id.get_value(),
            },
        )
    };
    let class = move || format!("p-bear bear--{}", status_key(status()));
    view! {
        <li class=class data-bear=id.as_str().to_owned()>
            <Show when=move || !title().is_empty()>
                <p class="p-bear__cluster">{title}</p>
            </Show>
            <p class="p-bear__text">{text}</p>
            <Show when=move || stacked.with(|s| !s.is_empty())>
                <ul class="p-bear__stack">
                    <For each=move || stacked.get() key=|(id, _)| id.clone() let:child>
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
                <p class="p-bear__answer"><strong>{tr(|t| t.bears.answer_label)}": "</strong>{answer}</p>
            </Show>
            <For each=actions key=|a| a.text.clone() let:action>
                <p class="p-bear__action"><strong>{tr(|t| t.bears.action_label)}": "</strong>
                    {move || (t().bears.action_line)(&action.text, &action.owner, action.due.as_deref())}</p>
            </For>
            <Show when=move || voting.get()>
                <div class="p-note__actions">
                    <button type="button" class="vote-button" on:click=vote
                        aria-label=tr_about(|t, s| (t.bs_vote_for)(s), label)>{tr(|t| t.bs_vote)}</button>
                    <Show when=move || my_votes() != 0>
                        <button type="button" on:click=unvote
                            aria-label=tr_about(|t, s| (t.bs_unvote_for)(s), label)>{tr(|t| t.bs_unvote)}</button>
                    </Show>
                    <span class="p-note__my-votes">{move || (t().bs_my_dots)(my_votes())}</span>
                </div>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
