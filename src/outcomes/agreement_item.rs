use std::sync::Arc;

use bijeen_core::fractional_index::place_one_step;
use bijeen_core::{AgreementEdit, AgreementId, AgreementList, Command, Place, Workshop};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::outcomes::{LISTS, list_from_key, list_key, list_name};
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// What an agreement's card shows.
#[derive(Clone, PartialEq)]
struct Snapshot {
    text: String,
    owner: String,
    due: String,
    done: bool,
    /// The text of the bear this action tames, so the room sees where it came from.
    bear: Option<String>,
}

/// What the card of agreement `id` shows, as a signal a workshop listener sets only when
/// it changed (see `Replica::select`).
fn card(session: WorkshopSession, id: AgreementId) -> Signal<Option<Arc<Snapshot>>> {
    session.select(None, move |w: &Workshop| {
        w.agreement(&id).map(|a| {
            Arc::new(Snapshot {
                text: a.text.value.clone(),
                owner: a.owner.value.clone(),
                due: a.due.value.clone().unwrap_or_default(),
                done: *a.done,
                bear: a
                    .bear
                    .as_ref()
                    .and_then(|bear| w.notes.get(bear))
                    .map(|bear| bear.text.value.clone()),
            })
        })
    })
}

/// One agreement, open end or action: tick off, edit text, owner and due date, move up
/// or down or to another list, delete (the list offers undo).
#[component]
pub fn AgreementItem(
    id: AgreementId,
    list: AgreementList,
    order: Memo<Vec<AgreementId>>,
    deleted: RwSignal<Option<(AgreementId, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let runner = Runner::from_context();
    let error = error_slot();
    let item = card(use_session(), id.clone());
    let read = move |pick: fn(&Snapshot) -> String| {
        move || item.with(|s| s.as_deref().map(pick).unwrap_or_default())
    };
    let text = read(|s| s.text.clone());
    let done = move || item.with(|s| s.as_ref().is_some_and(|s| s.done));
    let bear = move || item.with(|s| s.as_ref().and_then(|s| s.bear.clone()));
    let index = {
        let id = id.clone();
        Memo::new(move |_| order.with(|o| o.iter().position(|a| *a == id).unwrap_or(0)))
    };
    let is_first = move || index.get() == 0;
    let is_last = move || index.get() + 1 >= order.with(Vec::len);

    let edit = {
        let id = id.clone();
        move |make: fn(String) -> AgreementEdit| {
            let id = id.clone();
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev).trim().to_owned();
                runner.run_into(
                    error,
                    Command::EditAgreement {
                        id: id.clone(),
                        edit: make(value),
                    },
                )
            }
        }
    };
    let toggle = {
        let id = id.clone();
        move |_| runner.run_into(error, Command::ToggleAgreementDone(id.clone()))
    };
    let move_by = {
        let id = id.clone();
        move |up: bool| {
            let place = order.with_untracked(|o| place_one_step(o, &id, up));
            if let Some(place) = place {
                runner.run_into(
                    error,
                    Command::MoveAgreement {
                        id: id.clone(),
                        list,
                        place,
                    },
                );
            }
        }
    };
    let move_up = move_by.clone();
    let move_down = move_by;
    let to_list = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            if let Some(target) = list_from_key(&event_target_value(&ev))
                && target != list
            {
                runner.run_into(
                    error,
                    Command::MoveAgreement {
                        id: id.clone(),
                        list: target,
                        place: Place::End,
                    },
                );
            }
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let text = item.with_untracked(|s| s.as_ref().map(|s| s.text.clone()));
            runner.run_into(error, Command::DeleteAgreement(id.clone()));
            if error.get_untracked().is_none() {
                deleted.set(Some((id.clone(), text.unwrap_or_default())));
            }
        }
    };
    let base = format!("oc-item-{}", id.as_str());
    let text_id = format!("{base}-text");
    let owner_id = format!("{base}-owner");
    let due_id = format!("{base}-due");
    let list_id = format!("{base}-list");
    let done_label = move || (t().outcomes.done_label)(&text());

    view! {
        <li class="oc-item" class:oc-item--done=done data-agreement=id.as_str().to_owned()>
            <div class="oc-item__main">
                <input type="checkbox" class="oc-item__done" prop:checked=done aria-label=done_label on:change=toggle />
                <div class="field oc-item__text">
                    <label for=text_id.clone() class="visually-hidden">{tr(|t| t.outcomes.item_text_label)}</label>
                    <input id=text_id type="text" maxlength="500" prop:value=text on:change=edit(AgreementEdit::Text) />
                </div>
            </div>
            {move || bear().map(|bear| view! { <p class="oc-item__bear">{(t().outcomes.from_bear)(&bear)}</p> })}
            <div class="oc-item__meta">
                <div class="field">
                    <label for=owner_id.clone()>{tr(|t| t.outcomes.owner_label)}</label>
                    <input id=owner_id type="text" maxlength="80" prop:value=read(|s| s.owner.clone())
                        on:change=edit(AgreementEdit::Owner) />
                </div>
                <div class="field">
                    <label for=due_id.clone()>{tr(|t| t.outcomes.due_label)}</label>
                    <input id=due_id type="date" prop:value=read(|s| s.due.clone())
                        on:change=edit(|d| AgreementEdit::Due((!d.is_empty()).then_some(d))) />
                </div>
                <div class="field">
                    <label for=list_id.clone() class="visually-hidden">{move || (t().outcomes.move_to_list)(&text())}</label>
                    <select id=list_id on:change=to_list>
                        {LISTS.map(|l| view! {
                            <option value=list_key(l) selected=l == list>{move || list_name(i18n.t(), l)}</option>
                        })}
                    </select>
                </div>
                <div class="oc-item__actions">
                    <button type="button" class="icon" aria-label=move || (t().move_up)(&text())
                        disabled=is_first on:click=move |_| move_up(true)>"↑"</button>
                    <button type="button" class="icon" aria-label=move || (t().move_down)(&text())
                        disabled=is_last on:click=move |_| move_down(false)>"↓"</button>
                    <button type="button" class="icon danger" aria-label=move || (t().outcomes.delete_item)(&text())
                        on:click=delete>"✕"</button>
                </div>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
