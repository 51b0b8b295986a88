use bijeen_core::{Doc, Template};
use leptos::prelude::*;

use crate::adapters::history::use_navigator;
use crate::ui::tr;

use crate::adapters::clock::{now_ms, utc_offset_min};
use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::problem_banner::storage_text;
use crate::workshop::library;

/// Creates a workshop from a template and opens its console.
#[component]
pub fn NewWorkshop() -> impl IntoView {
    let i18n = use_i18n();
    let template = RwSignal::new(Template::WerkenInNetwerken);
    let error = RwSignal::new(None::<&'static str>);
    let navigator = use_navigator();
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let now = now_ms();
        let mut doc = Doc::from_template_at(
            template.get_untracked(),
            library::window_actor(),
            now,
            utc_offset_min(),
        );
        let id = library::new_workshop_id();
        match LocalStore::open().and_then(|store| library::save_new(&store, &id, &mut doc, now)) {
            Ok(_) => navigator.go(&format!("/w/{id}")),
            Err(problem) => error.set(Some(storage_text(i18n.t().phone, &problem))),
        }
    };
    view! {
        <form class="panel" on:submit=create aria-labelledby="new-heading">
            <h2 id="new-heading">{tr(|t| t.new_heading)}</h2>
            <label for="template">{tr(|t| t.template_label)}</label>
            <select
                id="template"
                on:change=move |event| {
                    template
                        .set(
                            if event_target_value(&event) == "empty" {
                                Template::Empty
                            } else {
                                Template::WerkenInNetwerken
                            },
                        )
                }
            >
                <option value="seed" selected=true>
                    {tr(|t| t.template_seed)}
                </option>
                <option value="empty">{tr(|t| t.template_empty)}</option>
            </select>
            <button type="submit" class="primary">
                {tr(|t| t.create_button)}
            </button>
            {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </form>
    }
}
