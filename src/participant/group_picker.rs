use bijeen_core::Command;
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::{group_from_key, group_key};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// Who I am here and which theme group I am in (changeable at any time).
#[component]
pub fn GroupPicker() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let me = expect_context::<Me>();
    let runner = Runner::from_context();
    let error = error_slot();
    let mine = Memo::new(move |_| {
        let me = me.id()?;
        session
            .with(|w| {
                w.participant(&me).map(|p| {
                    let group = p.group.as_ref().filter(|g| w.group(g).is_some());
                    (p.name.value.clone(), group_key(group))
                })
            })
            .flatten()
    });
    let groups = Memo::new(move |_| {
        session
            .with(|w| {
                w.groups_in_order()
                    .into_iter()
                    .map(|(id, g)| (id.as_str().to_owned(), g.name.value.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let who = move || {
        let t = t();
        mine.with(|m| match m {
            Some((name, _)) if !name.is_empty() => (t.bs_joined_as)(name),
            _ => t.bs_joined_anonymously.to_owned(),
        })
    };
    let current = move || mine.with(|m| m.as_ref().map(|m| m.1.clone()).unwrap_or_default());
    let change = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        let group = session.with(|w| group_from_key(w, &key)).flatten();
        runner.run_into(error, Command::SetGroup { group });
    };
    view! {
        <section class="panel group-picker">
            <p class="group-picker__who" data-testid="joined-as">{who}</p>
            <div class="field">
                <label for="my-group">{tr(|t| t.bs_group_label)}</label>
                <select id="my-group" on:change=change>
                    <option value="" selected=move || current().is_empty()>{tr(|t| t.bs_no_group)}</option>
                    <For each=move || groups.get() key=|g| g.clone() let:g>
                        {
                            let key = g.0.clone();
                            view! { <option value=g.0 selected=move || current() == key>{g.1}</option> }
                        }
                    </For>
                </select>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
