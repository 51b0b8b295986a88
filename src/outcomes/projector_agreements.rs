use leptos::prelude::*;

/// The projector while the agreements block runs.
#[component]
pub fn AgreementsView() -> impl IntoView {}
