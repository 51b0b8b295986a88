use bijeen_view::Intent;
use leptos::prelude::*;

use crate::i18n::PhoneStrings;
use crate::phone::{refusal_text, use_phone};
use crate::ui::tr_phone;

/// Who I am here and which theme group I am in (changeable at any time).
#[component]
pub fn GroupPicker() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let phone = use_phone();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let me = Memo::new(move |_| phone.view.with(|v| v.head.me.clone()));
    let who = move || {
        let t = i18n.phone();
        me.with(|m| {
            if m.name.is_empty() {
                t.bs_joined_anonymously.to_owned()
            } else {
                (t.bs_joined_as)(&m.name)
            }
        })
    };
    let current = Signal::derive(move || me.with(|m| m.group.clone().unwrap_or_default()));
    let change = move |key: String| {
        let group = (!key.is_empty()).then_some(key);
        asked.set(Some(phone.ask(Intent::SetGroup { group })));
    };
    view! {
        <section class="panel group-picker">
            <p class="group-picker__who" data-testid="joined-as">{who}</p>
            <div class="field">
                <label for="my-group">{tr_phone(|t| t.bs_group_label)}</label>
                <PhoneGroupSelect id="my-group" none_label=|t| t.bs_no_group current=current on_change=change />
            </div>
            <p class="field-error" role="alert">{error}</p>
        </section>
    }
    .into_any()
}

/// A `<select>` of the workshop's theme groups, first "none" (worded by `none_label`); its
/// value is the group's id, empty for none.
#[component]
pub fn PhoneGroupSelect(
    id: &'static str,
    none_label: fn(&'static PhoneStrings) -> &'static str,
    #[prop(into)] current: Signal<String>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    let phone = use_phone();
    let groups = Memo::new(move |_| {
        phone.view.with(|v| {
            v.head
                .groups
                .iter()
                .map(|g| (g.id.clone(), g.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <select id=id on:change=move |ev| on_change(event_target_value(&ev))>
            <option value="" selected=move || current.with(String::is_empty)>{tr_phone(none_label)}</option>
            <For each=move || groups.get() key=|g| g.clone() let:g>
                {
                    let key = g.0.clone();
                    view! { <option value=g.0 selected=move || current.with(|c| *c == key)>{g.1}</option> }
                }
            </For>
        </select>
    }
    .into_any()
}
