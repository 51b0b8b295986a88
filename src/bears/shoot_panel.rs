use bijeen_core::{BearStatus, Command, NoteId};
use leptos::prelude::*;

use crate::adapters::keyboard::use_shortcuts;
use crate::bears::bears_tab::BearsContext;
use crate::bears::{BearSnapshot, next_open, status_key, status_name};
use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The shoot phase: the bear in the spotlight (with its cluster's bears), the answer the
/// room gave, and its fate: shot, tamed into a follow-up action (owner, due date) or
/// parked. Next and previous open bear with the buttons or the bracket keys.
#[component]
pub fn ShootPanel() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let ctx = expect_context::<BearsContext>();
    let error = error_slot();
    let run = move |command: Command| runner.run_into(error, command);

    // The spotlit bear and its card (a deleted bear has none, and is not spotlit).
    let bear = Memo::new(move |_| {
        ctx.spotlight
            .get()
            .and_then(|id| ctx.cards.card(&id).get().map(|card| (id, card)))
    });
    let spotlight = Memo::new(move |_| bear.with(|b| b.as_ref().map(|(id, _)| id.clone())));
    let bear = Memo::new(move |_| bear.with(|b| b.as_ref().map(|(_, card)| card.clone())));
    let stacked = move || {
        bear.with(|b| {
            b.as_ref()
                .map(|b| {
                    b.stacked
                        .iter()
                        .map(|c| (c.id.clone(), c.text.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let read = move |f: fn(&BearSnapshot) -> String| {
        move || bear.with(|b| b.as_deref().map(f).unwrap_or_default())
    };
    let has_bear = move || bear.with(Option::is_some);
    let status = move || bear.with(|b| b.as_ref().map(|b| b.status).unwrap_or_default());
    let is_open = move || status() == BearStatus::Open;
    let title = read(|b| b.cluster_title.clone());

    let answer = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let clear_drafts = move || {
        answer.set(String::new());
        action.set(String::new());
        owner.set(String::new());
        due.set(String::new());
    };

    let go = move |forward: bool| {
        let current = spotlight.get_untracked();
        let next = session
            .with(|w| next_open(w, current.as_ref(), forward))
            .flatten();
        match next {
            Some(id) => {
                clear_drafts();
                run(Command::Spotlight(Some(id)));
            }
            None => error.set(Some(t().bears.no_open_bears.to_owned())),
        }
    };
    use_shortcuts(move |event| match event.key().as_str() {
        "]" => {
            event.prevent_default();
            go(true);
        }
        "[" => {
            event.prevent_default();
            go(false);
        }
        _ => {}
    });
    let with_id = move |make: fn(NoteId) -> Command| {
        if let Some(id) = spotlight.get_untracked() {
            run(make(id));
        }
    };
    let shoot = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(id) = spotlight.get_untracked() {
            run(Command::ShootBear {
                id,
                answer: answer.get_untracked().trim().to_owned(),
            });
        }
    };
    let tame = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(id) = spotlight.get_untracked() {
            let due = due.get_untracked();
            let action = action.get_untracked().trim().to_owned();
            run(Command::TameBear {
                id,
                action: (!action.is_empty()).then_some(action),
                owner: owner.get_untracked().trim().to_owned(),
                due: (!due.is_empty()).then_some(due),
            });
        }
    };
    let park = move |_| with_id(Command::ParkBear);
    let reopen = move |_| with_id(Command::ReopenBear);
    let leave = move |_| run(Command::Spotlight(None));
    let class = move || format!("panel bears-shoot bear--{}", status_key(status()));

    view! {
        <section class=class aria-labelledby="bears-shoot-heading" data-testid="shoot-panel">
            <h2 id="bears-shoot-heading">{tr(|t| t.bears.shoot_heading)}</h2>
            <div class="bears-shoot__nav">
                <button type="button" on:click=move |_| go(false)>
                    {tr(|t| t.bears.previous_open)}" " <kbd aria-hidden="true">"["</kbd>
                </button>
                <button type="button" class="primary" on:click=move |_| go(true)>
                    {tr(|t| t.bears.next_open)}" " <kbd aria-hidden="true">"]"</kbd>
                </button>
                <Show when=has_bear>
                    <button type="button" on:click=leave>{tr(|t| t.bears.leave_spotlight)}</button>
                </Show>
            </div>
            <Show when=has_bear fallback=|| view! { <p class="empty">{tr(|t| t.bears.no_spotlight)}</p> }>
                <div class="bears-shoot__bear">
                    <Show when=move || !title().is_empty()>
                        <p class="bears-shoot__cluster">{title}</p>
                    </Show>
                    <p class="bears-shoot__text" data-testid="spotlight-text">{read(|b| b.text.clone())}</p>
                    <ul class="bears-shoot__stack">
                        <For each=stacked key=|(id, _)| id.clone() let:child>
                            <li>{child.1}</li>
                        </For>
                    </ul>
                    <p class="bears-shoot__status">
                        <span class="bear-status">{move || status_name(t().phone, status())}</span>
                    </p>
                </div>
                <Show when=is_open fallback=move || view! {
                    <div class="bears-shoot__outcome">
                        <Show when=move || !read(|b| b.answer.clone())().is_empty()>
                            <p><strong>{tr(|t| t.phone.bears.answer_label)}": "</strong>{read(|b| b.answer.clone())}</p>
                        </Show>
                        <button type="button" on:click=reopen>{tr(|t| t.bears.reopen)}</button>
                    </div>
                }>
                    <div class="bears-shoot__forms">
                        <form class="bears-shoot__form" on:submit=shoot>
                            <div class="field">
                                <label for="bear-answer">{tr(|t| t.bears.answer_field)}</label>
                                <textarea id="bear-answer" rows="3" maxlength="500" prop:value=move || answer.get()
                                    on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                            </div>
                            <button type="submit" class="primary">{tr(|t| t.bears.shoot)}</button>
                        </form>
                        <form class="bears-shoot__form" on:submit=tame>
                            <fieldset>
                                <legend>{tr(|t| t.bears.tame_legend)}</legend>
                                <div class="field">
                                    <label for="bear-action">{tr(|t| t.bears.action_field)}</label>
                                    <input id="bear-action" type="text" maxlength="500" prop:value=move || action.get()
                                        placeholder=read(|b| b.text.clone())
                                        on:input=move |ev| action.set(event_target_value(&ev)) />
                                </div>
                                <div class="field">
                                    <label for="bear-owner">{tr(|t| t.bears.owner_field)}</label>
                                    <input id="bear-owner" type="text" maxlength="100" prop:value=move || owner.get()
                                        on:input=move |ev| owner.set(event_target_value(&ev)) />
                                </div>
                                <div class="field">
                                    <label for="bear-due">{tr(|t| t.bears.due_field)}</label>
                                    <input id="bear-due" type="date" prop:value=move || due.get()
                                        on:input=move |ev| due.set(event_target_value(&ev)) />
                                </div>
                                <button type="submit">{tr(|t| t.bears.tame)}</button>
                            </fieldset>
                        </form>
                        <div class="bears-shoot__form">
                            <p class="hint">{tr(|t| t.bears.park_hint)}</p>
                            <button type="button" on:click=park>{tr(|t| t.bears.park)}</button>
                        </div>
                    </div>
                </Show>
            </Show>
            <p class="field-error" role="alert" data-testid="shoot-error">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
