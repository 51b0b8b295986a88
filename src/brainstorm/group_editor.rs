use bijeen_core::{Command, GroupId};
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::group_row::GroupRow;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The theme groups: add one, and per group rename, recolour, reorder and delete.
#[component]
pub fn GroupEditor() -> impl IntoView {
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let order = Memo::new(move |_| {
        session
            .with(|w| {
                w.groups_in_order()
                    .into_iter()
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<GroupId>>()
            })
            .unwrap_or_default()
    });
    let new_name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        runner.run_into(error, Command::AddGroup { name, colour: None });
        if error.get_untracked().is_none() {
            new_name.set(String::new());
        }
    };
    view! {
        <section class="panel bs-groups" aria-labelledby="bs-groups-heading">
            <h2 id="bs-groups-heading">{tr(|t| t.bs_groups_heading)}</h2>
            <ol class="bs-groups__list">
                <For each=move || order.get() key=|id| id.clone() let:id>
                    <GroupRow id=id order=order />
                </For>
            </ol>
            <form class="bs-groups__add" on:submit=add>
                <div class="field">
                    <label for="bs-new-group">{tr(|t| t.bs_new_group_label)}</label>
                    <input id="bs-new-group" type="text" maxlength="80" prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev)) />
                </div>
                <button type="submit">{tr(|t| t.bs_add_group)}</button>
            </form>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
