use bijeen_core::fractional_index::place_one_step;
use bijeen_core::{Colour, Command, GroupId};
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::{colour_from_key, colour_key, colour_name};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// One theme group: its name, colour, place and delete. Deleting never loses notes: they
/// move to "no group".
#[component]
pub fn GroupRow(id: GroupId, order: Memo<Vec<GroupId>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let group = {
        let id = id.clone();
        Memo::new(move |_| {
            session
                .with(|w| w.group(&id).map(|g| (g.name.value.clone(), *g.colour)))
                .flatten()
        })
    };
    let name = move || group.with(|g| g.as_ref().map(|g| g.0.clone()).unwrap_or_default());
    let colour = move || group.with(|g| g.as_ref().map(|g| g.1).unwrap_or_default());
    let index = {
        let id = id.clone();
        Memo::new(move |_| order.with(|o| o.iter().position(|g| *g == id).unwrap_or(0)))
    };
    let is_first = move || index.get() == 0;
    let is_last = move || index.get() + 1 >= order.with(Vec::len);

    let rename = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let name = event_target_value(&ev).trim().to_owned();
            runner.run_into(
                error,
                Command::RenameGroup {
                    id: id.clone(),
                    name,
                },
            )
        }
    };
    let recolour = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            if let Some(colour) = colour_from_key(&event_target_value(&ev)) {
                runner.run_into(
                    error,
                    Command::RecolourGroup {
                        id: id.clone(),
                        colour,
                    },
                )
            }
        }
    };
    let move_to = {
        let id = id.clone();
        move |up: bool| {
            let place = order.with_untracked(|o| place_one_step(o, &id, up));
            if let Some(place) = place {
                runner.run_into(
                    error,
                    Command::MoveGroup {
                        id: id.clone(),
                        place,
                    },
                );
            }
        }
    };
    let move_up = move_to.clone();
    let move_down = move_to;
    let delete = {
        let id = id.clone();
        move |_| runner.run_into(error, Command::DeleteGroup(id.clone()))
    };
    let name_id = format!("group-{}-name", id.as_str());
    let colour_id = format!("group-{}-colour", id.as_str());

    view! {
        <li class=move || format!("bs-group-row group-{}", colour_key(colour())) data-group=id.as_str().to_owned()>
            <div class="field">
                <label for=name_id.clone()>{move || (t().bs_group_name_label)(index.get() + 1)}</label>
                <input id=name_id type="text" maxlength="80" prop:value=name on:change=rename />
            </div>
            <div class="field">
                <label for=colour_id.clone()>{tr(|t| t.bs_group_colour_label)}</label>
                <select id=colour_id on:change=recolour>
                    {Colour::ALL.into_iter().map(|c| view! {
                        <option value=colour_key(c) selected=move || colour() == c>{move || colour_name(i18n.t().phone, c)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="bs-group-row__actions">
                <button type="button" class="icon" aria-label=move || (t().move_up)(&name())
                    disabled=is_first on:click=move |_| move_up(true)>"↑"</button>
                <button type="button" class="icon" aria-label=move || (t().move_down)(&name())
                    disabled=is_last on:click=move |_| move_down(false)>"↓"</button>
                <button type="button" class="icon danger" aria-label=move || (t().bs_delete_group)(&name())
                    on:click=delete>"✕"</button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
    .into_any()
}
