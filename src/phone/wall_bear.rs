use bijeen_view::BearStatus;
use leptos::prelude::*;

use crate::bears::{status_key, status_name};
use crate::i18n::use_i18n;
use crate::phone::phone_bears::bear_signal;
use crate::phone::vote_buttons::PhoneVoteButtons;
use crate::phone::{bear_status, use_phone};
use crate::ui::{short_label, tr_phone};

/// One bear (or cluster) of the revealed wall: its text and its cluster's, the dots while
/// the room votes, and once dealt with its status, answer and action. Names only when the
/// facilitator made the wall non-anonymous (the relay sends none otherwise).
#[component]
pub fn WallBear(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let phone = use_phone();
    let bear = bear_signal(id.clone());
    let voting = Memo::new(move |_| phone.view.with(|v| v.head.bears.dots.is_some()));
    let field = move |f: fn(&bijeen_view::BearView) -> String| {
        bear.with(|b| b.as_ref().map(f).unwrap_or_default())
    };
    let text = move || field(|b| b.text.clone());
    let label = Memo::new(move |_| short_label(&text()));
    let status = move || bear.with(|b| b.as_ref().map(|b| b.status).unwrap_or_default());
    let title = move || field(|b| b.cluster_title.clone());
    let answer = move || field(|b| b.answer.clone());
    let author = move || field(|b| b.author_name.clone().unwrap_or_default());
    let stacked = move || bear.with(|b| b.as_ref().map(|b| b.stacked.clone()).unwrap_or_default());
    let actions = move || bear.with(|b| b.as_ref().map(|b| b.actions.clone()).unwrap_or_default());
    let my_votes = Signal::derive(move || bear.with(|b| b.as_ref().map_or(0, |b| b.my_votes)));
    let class = move || format!("p-bear bear--{}", status_key(bear_status(status())));
    let vote_id = StoredValue::new(id.clone());
    view! {
        <li class=class data-bear=id.clone()>
            <Show when=move || !title().is_empty()>
                <p class="p-bear__cluster">{title}</p>
            </Show>
            <p class="p-bear__text">{text}</p>
            <Show when=move || !stacked().is_empty()>
                <ul class="p-bear__stack">
                    <For each=stacked key=|b| b.id.clone() let:child>
                        <li>{child.text}</li>
                    </For>
                </ul>
            </Show>
            <Show when=move || !author().is_empty()>
                <p class="p-bear__author">{author}</p>
            </Show>
            <Show when=move || status() != BearStatus::Open>
                <p class="p-bear__status"><span class="bear-status">{move || status_name(t(), bear_status(status()))}</span></p>
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
                    <PhoneVoteButtons note=vote_id.get_value() my_votes=my_votes label=label />
                </div>
            </Show>
        </li>
    }
    .into_any()
}
