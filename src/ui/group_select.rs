//! Choosing a theme group from a list: joining, changing one's group.

use leptos::prelude::*;

use crate::i18n::PhoneStrings;
use crate::ui::tr_phone;
use crate::workshop::use_session;

/// A `<select>` of the workshop's theme groups, first "none" (worded by `none_label`);
/// its value is a group key (see `brainstorm::group_from_key`). `current` is the key
/// shown as chosen; `on_change` gets the chosen key.
#[component]
pub fn GroupSelect(
    id: &'static str,
    none_label: fn(&'static PhoneStrings) -> &'static str,
    #[prop(into)] current: Signal<String>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    let session = use_session();
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
