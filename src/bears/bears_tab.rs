use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The console tab "Beren": phases, moderation, clustering and shooting.
#[component]
pub fn BearsTab() -> impl IntoView {
    let i18n = use_i18n();
    view! { <h2>{move || i18n.t().bears.tab}</h2> }
}
