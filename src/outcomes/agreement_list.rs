use bijeen_core::{AgreementId, AgreementList, Command};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::outcomes::agreement_item::AgreementItem;
use crate::outcomes::{list_key, list_name};
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// One of the three lists: its items in order, a form to add one, and undo for the last
/// deletion (the core only tombstones, so restoring brings back exactly what was there).
#[component]
pub fn AgreementListPanel(list: AgreementList) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let key = list_key(list);
    let ids = Memo::new(move |_| {
        session
            .with(|w| {
                w.agreements_in_order(list)
                    .into_iter()
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<AgreementId>>()
            })
            .unwrap_or_default()
    });
    let is_empty = move || ids.with(Vec::is_empty);
    let deleted = RwSignal::new(None::<(AgreementId, String)>);
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let due_value = due.get_untracked();
        runner.run_into(
            error,
            Command::AddAgreement {
                list,
                text: text.get_untracked().trim().to_owned(),
                owner: owner.get_untracked().trim().to_owned(),
                due: (!due_value.is_empty()).then_some(due_value),
            },
        );
        if error.get_untracked().is_none() {
            text.set(String::new());
            owner.set(String::new());
            due.set(String::new());
        }
    };
    let undo = move |_| {
        if let Some((id, _)) = deleted.get_untracked() {
            runner.run_into(error, Command::RestoreAgreement(id));
            deleted.set(None);
        }
    };
    let heading_id = format!("oc-{key}-heading");
    let text_id = format!("oc-{key}-text");
    let owner_id = format!("oc-{key}-owner");
    let due_id = format!("oc-{key}-due");
    view! {
        <section class=format!("panel oc-list oc-list--{key}") aria-labelledby=heading_id.clone() data-list=key>
            <h2 id=heading_id.clone()>{move || list_name(t(), list)}</h2>
            <Show when=is_empty>
                <p class="empty">{tr(|t| t.outcomes.empty_list)}</p>
            </Show>
            <ol class="oc-items">
                <For each=move || ids.get() key=|id| id.clone()
                    children=move |id| view! { <AgreementItem id=id list=list order=ids deleted=deleted /> } />
            </ol>
            {move || deleted.get().map(|(_, text)| view! {
                <p class="oc-undo" role="status">
                    {(t().outcomes.item_deleted)(&text)} " "
                    <button type="button" on:click=undo>{t().undo}</button>
                </p>
            })}
            <form class="oc-add" on:submit=add>
                <div class="field oc-add__text">
                    <label for=text_id.clone()>{tr(|t| t.outcomes.new_item_label)}</label>
                    <input id=text_id type="text" maxlength="500"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for=owner_id.clone()>{tr(|t| t.outcomes.owner_label)}</label>
                    <input id=owner_id type="text" maxlength="80"
                        prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for=due_id.clone()>{tr(|t| t.outcomes.due_label)}</label>
                    <input id=due_id type="date"
                        prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{tr(|t| t.outcomes.add_item)}</button>
            </form>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
