use bijeen_core::{BearPhase, BearStatus, Command, NoteId};
use leptos::prelude::*;

use crate::bears::bears_tab::BearsContext;
use crate::bears::{BearSnapshot, status_key, status_name};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::ui::{short_label, tr, tr_about};

/// One bear (or cluster) as the facilitator moderates it: edit the text, stack it onto
/// another bear, name the cluster, delete it, and in the shoot phase put it in the
/// spotlight. Stacked bears are listed under their cluster and can be taken off again.
#[component]
pub fn BearCard(id: NoteId, #[prop(optional)] nested: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let runner = Runner::from_context();
    let ctx = expect_context::<BearsContext>();
    let error = error_slot();
    let note = ctx.cards.card(&id);
    let stacked = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| n.stacked.iter().map(|b| b.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let spotlit = {
        let id = id.clone();
        Memo::new(move |_| ctx.spotlight.with(|s| s.as_ref() == Some(&id)))
    };
    let read = move |f: fn(&BearSnapshot) -> String| {
        move || note.with(|n| n.as_deref().map(f).unwrap_or_default())
    };
    let text = read(|n| n.text.clone());
    let label = Memo::new(move |_| short_label(&text()));
    let status = move || note.with(|n| n.as_ref().map(|n| n.status).unwrap_or_default());
    let author = read(|n| n.author_name.clone().unwrap_or_default());
    let answer = read(|n| n.answer.clone());
    let votes = move || note.with(|n| n.as_ref().map(|n| n.votes).unwrap_or(0));
    let note_id = StoredValue::new(id.clone());
    let is_picked = Memo::new(move |_| {
        ctx.stacking
            .with(|s| s.as_ref() == Some(&note_id.get_value()))
    });
    let picking_other = move || ctx.stacking.with(Option::is_some) && !is_picked.get();
    let has_stack = move || note.with(|n| n.as_ref().is_some_and(|n| !n.stacked.is_empty()));
    let shooting = move || ctx.phase.get() == BearPhase::Shoot;
    let show_votes = move || votes() != 0;

    let run = move |command: Command| runner.run_into(error, command);
    let edit = move |ev: leptos::ev::Event| {
        run(Command::EditNote {
            id: note_id.get_value(),
            text: event_target_value(&ev).trim().to_owned(),
        })
    };
    let cluster_title = move |ev: leptos::ev::Event| {
        run(Command::SetClusterTitle {
            id: note_id.get_value(),
            title: event_target_value(&ev).trim().to_owned(),
        })
    };
    let pick = move |_| {
        if is_picked.get_untracked() {
            ctx.stacking.set(None)
        } else {
            ctx.stacking.set(Some(note_id.get_value()))
        }
    };
    let stack_here = move |_| {
        if let Some(picked) = ctx.stacking.get_untracked() {
            run(Command::StackNote {
                id: picked,
                onto: note_id.get_value(),
            });
            ctx.stacking.set(None);
        }
    };
    let unstack = move |_| run(Command::Unstack(note_id.get_value()));
    let delete = move |_| run(Command::DeleteNote(note_id.get_value()));
    let spotlight = move |_| run(Command::Spotlight(Some(note_id.get_value())));

    let text_id = format!("bear-{}-text", id.as_str());
    let cluster_id = format!("bear-{}-cluster", id.as_str());
    // One class string: a reactive `class` next to `class:` toggles would overwrite them.
    let class = move || {
        let mut class = format!("bear-card bear--{}", status_key(status()));
        for (on, name) in [
            (nested, "bear-card--nested"),
            (is_picked.get(), "bear-card--picked"),
            (spotlit.get(), "bear-card--spotlit"),
        ] {
            if on {
                class.push(' ');
                class.push_str(name);
            }
        }
        class
    };
    view! {
        <li class=class data-bear=id.as_str().to_owned()>
            <div class="bear-card__head">
                <span class="bear-status">{move || status_name(t().phone, status())}</span>
                <Show when=move || !author().is_empty()>
                    <span class="bear-card__author">{author}</span>
                </Show>
                <Show when=show_votes>
                    <span class="bear-card__votes">{move || (t().phone.bs_votes)(votes())}</span>
                </Show>
                <Show when=move || spotlit.get()>
                    <span class="badge">{tr(|t| t.bears.spotlit_badge)}</span>
                </Show>
            </div>
            <Show when=move || has_stack() && !nested>
                <div class="field">
                    <label for=cluster_id.clone()>{tr(|t| t.bears.cluster_title_label)}</label>
                    <input id=cluster_id.clone() type="text" maxlength="200"
                        prop:value=read(|n| n.cluster_title.clone()) on:change=cluster_title />
                </div>
            </Show>
            <label class="visually-hidden" for=text_id.clone()>{tr(|t| t.phone.bears.text_label)}</label>
            <textarea id=text_id class="bear-card__text" rows="2" maxlength="500" prop:value=text on:change=edit></textarea>
            <Show when=move || !answer().is_empty()>
                <p class="bear-card__answer"><strong>{tr(|t| t.phone.bears.answer_label)}": "</strong>{answer}</p>
            </Show>
            <div class="bear-card__actions">
                {if nested {
                    view! {
                        <button type="button" on:click=unstack
                            aria-label=tr_about(|t, s| (t.bears.unstack_bear)(s), label)>{tr(|t| t.bs_unstack)}</button>
                    }.into_any()
                } else {
                    view! {
                        <Show when=move || shooting() && status() == BearStatus::Open && !spotlit.get()>
                            <button type="button" class="primary" on:click=spotlight
                                aria-label=tr_about(|t, s| (t.bears.spotlight_bear)(s), label)>{tr(|t| t.bears.spotlight)}</button>
                        </Show>
                        <Show when=picking_other fallback=move || view! {
                            <button type="button" aria-pressed=move || is_picked.get().to_string() on:click=pick
                                aria-label=tr_about(|t, s| (t.bears.stack_bear)(s), label)>{tr(|t| t.bs_stack)}</button>
                        }>
                            <button type="button" class="primary" on:click=stack_here
                                aria-label=tr_about(|t, s| (t.bears.stack_here_label)(s), label)>{tr(|t| t.bs_stack_here)}</button>
                        </Show>
                    }.into_any()
                }}
                <button type="button" class="danger" on:click=delete
                    aria-label=tr_about(|t, s| (t.bears.delete_bear)(s), label)>{tr(|t| t.phone.delete_button)}</button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            {(!nested).then(|| view! {
                <Show when=has_stack>
                    <ul class="bear-card__stack" aria-label=tr(|t| t.bears.cluster_label)>
                        <For each=stacked key=|id| id.clone() let:child>
                            {view! { <BearCard id=child nested=true /> }.into_any()}
                        </For>
                    </ul>
                </Show>
            })}
        </li>
    }
    .into_any()
}
