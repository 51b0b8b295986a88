use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The console tab "Afspraken": the three lists, the practical assignment, community plans.
#[component]
pub fn AgreementsTab() -> impl IntoView {
    let i18n = use_i18n();
    view! { <h2>{move || i18n.t().outcomes.tab_agreements}</h2> }
}
