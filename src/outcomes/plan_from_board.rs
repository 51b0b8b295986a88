use bijeen_core::validate::TITLE_MAX;
use bijeen_core::{BoardKind, Command, NoteId};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// How many brainstorm ideas are offered as a start for a plan.
const OFFERED: usize = 8;

#[derive(Clone, PartialEq)]
struct Idea {
    id: NoteId,
    /// The cluster's title when the note heads a named cluster, else its text.
    label: String,
    votes: u32,
}

/// The brainstorm's most-voted notes and clusters, each with a button that starts a
/// community plan named after it (and linked to it).
#[component]
pub fn PlanFromBoard() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let ideas = Memo::new(move |_| {
        session
            .with(|w| {
                let stacks = w.stacks(BoardKind::Brainstorm);
                let mut ideas: Vec<Idea> = w
                    .notes_in_order(BoardKind::Brainstorm)
                    .into_iter()
                    .filter(|(id, _)| w.stack_root(id).is_none())
                    .map(|(id, note)| {
                        let stacked = stacks.get(id).map(Vec::as_slice).unwrap_or_default();
                        let votes =
                            w.vote_total(id) + stacked.iter().map(|s| w.vote_total(s)).sum::<u32>();
                        let label = if note.cluster_title.is_empty() {
                            note.text.value.clone()
                        } else {
                            note.cluster_title.value.clone()
                        };
                        Idea {
                            id: id.clone(),
                            label,
                            votes,
                        }
                    })
                    .collect();
                // Stable: equal votes keep board order.
                ideas.sort_by_key(|idea| std::cmp::Reverse(idea.votes));
                ideas.truncate(OFFERED);
                ideas
            })
            .unwrap_or_default()
    });
    let create = move |idea: &Idea| {
        // A note may be longer than a plan name may be.
        let name: String = idea.label.chars().take(TITLE_MAX as usize).collect();
        runner.run_into(
            error,
            Command::AddPlan {
                name: name.trim().to_owned(),
                source_note: Some(idea.id.clone()),
            },
        );
    };
    view! {
        <div class="oc-from-board">
            <h3>{tr(|t| t.outcomes.from_board_heading)}</h3>
            <p class="hint">{tr(|t| t.outcomes.from_board_hint)}</p>
            <Show when=move || ideas.with(Vec::is_empty)>
                <p class="empty">{tr(|t| t.outcomes.no_board_notes)}</p>
            </Show>
            <ul class="oc-ideas">
                <For each=move || ideas.get() key=|idea| (idea.id.clone(), idea.label.clone(), idea.votes)
                    children=move |idea| {
                        let label = idea.label.clone();
                        let votes = idea.votes;
                        view! {
                            <li class="oc-idea">
                                <span class="oc-idea__text">{idea.label.clone()}</span>
                                <span class="oc-idea__votes">{move || (t().outcomes.votes)(votes)}</span>
                                <button type="button" aria-label=move || (t().outcomes.plan_from)(&label)
                                    on:click=move |_| create(&idea)>{tr(|t| t.outcomes.plan_from_button)}</button>
                            </li>
                        }
                    } />
            </ul>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
    .into_any()
}
