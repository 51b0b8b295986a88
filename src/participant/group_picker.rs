use bijeen_core::Command;
use leptos::prelude::*;

use crate::brainstorm::{group_from_key, group_key};
use crate::i18n::use_i18n;
use crate::ui::group_select::GroupSelect;
use crate::ui::{Runner, error_slot, tr_phone};
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
    let who = move || {
        let t = t();
        mine.with(|m| match m {
            Some((name, _)) if !name.is_empty() => (t.phone.bs_joined_as)(name),
            _ => t.phone.bs_joined_anonymously.to_owned(),
        })
    };
    let current = move || mine.with(|m| m.as_ref().map(|m| m.1.clone()).unwrap_or_default());
    let change = move |key: String| {
        let group = session.with(|w| group_from_key(w, &key)).flatten();
        runner.run_into(error, Command::SetGroup { group });
    };
    view! {
        <section class="panel group-picker">
            <p class="group-picker__who" data-testid="joined-as">{who}</p>
            <div class="field">
                <label for="my-group">{tr_phone(|t| t.bs_group_label)}</label>
                <GroupSelect id="my-group" none_label=|t| t.bs_no_group current=Signal::derive(current) on_change=change />
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
