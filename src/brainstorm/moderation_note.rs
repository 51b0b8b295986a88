use bijeen_core::{Command, NoteId, Place};
use leptos::prelude::*;

use crate::ui::{tr, tr_about};

use crate::brainstorm::moderation_board::ModerationContext;
use crate::brainstorm::{bar_percent, category_class, category_name, group_from_key, group_key};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// One note as the facilitator moderates it: edit, move to another group, hide, delete,
/// stack onto another note (or unstack), name the cluster, and its votes as a bar.
#[component]
pub fn ModerationNote(id: NoteId, #[prop(optional)] nested: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let ctx = expect_context::<ModerationContext>();
    let error = error_slot();
    let note = ctx.notes.note(&id);
    let children = ctx.board.stack(&id);
    let read = move |f: fn(&crate::brainstorm::NoteSnapshot) -> String| {
        move || note.with(|n| n.as_deref().map(f).unwrap_or_default())
    };
    let text = read(|n| n.text.clone());
    let short = Memo::new(move |_| {
        let text = text();
        match text.char_indices().nth(40) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text,
        }
    });
    let hidden = move || note.with(|n| n.as_ref().is_some_and(|n| n.hidden));
    let votes = move || note.with(|n| n.as_ref().map(|n| n.votes).unwrap_or(0));
    let category = move || note.with(|n| n.as_ref().and_then(|n| n.category));
    let author = move || {
        note.with(|n| match n {
            Some(n) if !n.author_name.is_empty() => n.author_name.clone(),
            _ => i18n.t().bs_anonymous.to_owned(),
        })
    };
    let is_picked = {
        let id = id.clone();
        Memo::new(move |_| ctx.stacking.with(|s| s.as_ref() == Some(&id)))
    };
    let picking_other = move || ctx.stacking.with(Option::is_some) && !is_picked.get();

    let run = move |command: Command| runner.run_into(error, command);
    let edit = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            run(Command::EditNote {
                id: id.clone(),
                text: event_target_value(&ev).trim().to_owned(),
            })
        }
    };
    let move_to = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let key = event_target_value(&ev);
            let group = session.with(|w| group_from_key(w, &key)).flatten();
            run(Command::MoveNote {
                id: id.clone(),
                group,
                place: Place::End,
            })
        }
    };
    let toggle_hidden = {
        let id = id.clone();
        move |_| {
            run(Command::HideNote {
                id: id.clone(),
                hidden: !hidden(),
            })
        }
    };
    let delete = {
        let id = id.clone();
        move |_| run(Command::DeleteNote(id.clone()))
    };
    let pick = {
        let id = id.clone();
        move |_| {
            if is_picked.get_untracked() {
                ctx.stacking.set(None)
            } else {
                ctx.stacking.set(Some(id.clone()))
            }
        }
    };
    let stack_here = {
        let id = id.clone();
        move |_| {
            if let Some(picked) = ctx.stacking.get_untracked() {
                run(Command::StackNote {
                    id: picked,
                    onto: id.clone(),
                });
                ctx.stacking.set(None);
            }
        }
    };
    let unstack = {
        let id = id.clone();
        move |_| run(Command::Unstack(id.clone()))
    };
    let cluster_title = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            run(Command::SetClusterTitle {
                id: id.clone(),
                title: event_target_value(&ev).trim().to_owned(),
            })
        }
    };
    let current_group = move || note.with(|n| group_key(n.as_ref().and_then(|n| n.group.as_ref())));
    let has_children = move || children.with(|c| !c.is_empty());
    let bar = move || format!("{:.0}%", bar_percent(votes(), ctx.board.max_votes().get()));
    let text_id = format!("note-{}-text", id.as_str());
    let move_id = format!("note-{}-move", id.as_str());
    let cluster_id = format!("note-{}-cluster", id.as_str());

    // One class string: a reactive `class=` beside `class:` toggles drops the toggles
    // whenever it is set again (a recategorised note lost "hidden").
    let class = move || {
        let mut class = format!("mod-note {}", category_class(category()));
        for (on, name) in [
            (hidden(), " mod-note--hidden"),
            (is_picked.get(), " mod-note--picked"),
            (nested, " mod-note--nested"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        class
    };
    view! {
        <li class=class
            data-note=id.as_str().to_owned()>
            <div class="mod-note__head">
                <span class="category-badge">{move || category().map(|c| category_name(t().phone, c)).unwrap_or(t().phone.bs_no_category)}</span>
                <span class="mod-note__author">{author}</span>
                <Show when=hidden>
                    <span class="badge badge--hidden">{tr(|t| t.bs_hidden_badge)}</span>
                </Show>
            </div>
            <Show when=move || has_children() && !nested>
                <div class="field">
                    <label for=cluster_id.clone()>{tr(|t| t.bs_cluster_title_label)}</label>
                    <input id=cluster_id.clone() type="text" maxlength="200"
                        prop:value=read(|n| n.cluster_title.clone()) on:change=cluster_title.clone() />
                </div>
            </Show>
            <label class="visually-hidden" for=text_id.clone()>{tr(|t| t.phone.bs_note_text_label)}</label>
            <textarea id=text_id class="mod-note__text" rows="2" maxlength="500" prop:value=text on:change=edit></textarea>
            <Show when=move || ctx.has_round.get()>
                <div class="vote-result">
                    <span class="vote-result__bar" aria-hidden="true"><span style:width=bar></span></span>
                    <span class="vote-result__count" data-testid="votes">{move || (i18n.t().phone.bs_votes)(votes())}</span>
                </div>
            </Show>
            <div class="mod-note__actions">
                {(!nested).then(|| view! {
                    <label class="visually-hidden" for=move_id.clone()>{move || (t().bs_move_note_label)(&short.get())}</label>
                    <select id=move_id.clone() class="mod-note__move" on:change=move_to.clone()>
                        <option value="" selected=move || current_group().is_empty()>{tr(|t| t.phone.bs_no_group)}</option>
                        <For each=move || ctx.groups.get() key=|g| g.clone() let:g>
                            {
                                let key = g.0.as_str().to_owned();
                                let value = key.clone();
                                view! { <option value=value selected=move || current_group() == key>{g.1.clone()}</option> }
                            }
                        </For>
                    </select>
                })}
                <button type="button" aria-pressed=move || hidden().to_string() on:click=toggle_hidden
                    aria-label=tr_about(|t, s| (t.bs_hide_note)(s), short)>{tr(|t| t.bs_hide)}</button>
                {if nested {
                    view! {
                        <button type="button" on:click=unstack aria-label=tr_about(|t, s| (t.bs_unstack_note)(s), short)>{tr(|t| t.bs_unstack)}</button>
                    }.into_any()
                } else {
                    view! {
                        <Show when=picking_other fallback=move || view! {
                            <button type="button" aria-pressed=move || is_picked.get().to_string() on:click=pick.clone()
                                aria-label=tr_about(|t, s| (t.bs_stack_note)(s), short)>{tr(|t| t.bs_stack)}</button>
                        }>
                            <button type="button" class="primary" on:click=stack_here.clone()
                                aria-label=tr_about(|t, s| (t.bs_stack_here_label)(s), short)>{tr(|t| t.bs_stack_here)}</button>
                        </Show>
                    }.into_any()
                }}
                <button type="button" class="danger" on:click=delete
                    aria-label=tr_about(|t, s| (t.phone.bs_delete_note)(s), short)>{tr(|t| t.phone.delete_button)}</button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            {(!nested).then(|| view! {
                <Show when=has_children>
                    <ul class="mod-note__stack" aria-label=tr(|t| t.bs_stack_label)>
                        <For each=move || children.get() key=|id| id.clone() let:child>
                            {view! { <ModerationNote id=child nested=true /> }.into_any()}
                        </For>
                    </ul>
                </Show>
            })}
        </li>
    }
    .into_any()
}
