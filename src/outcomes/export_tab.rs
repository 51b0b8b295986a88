use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The console tab "Export": JSON, Markdown report, print view, CSV.
#[component]
pub fn ExportTab() -> impl IntoView {
    let i18n = use_i18n();
    view! { <h2>{move || i18n.t().outcomes.tab_export}</h2> }
}
