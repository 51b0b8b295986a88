use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::use_i18n;
use crate::shell::page_frame::PageFrame;

/// Placeholder until the brainstorm issue builds the participant view (name, theme group,
/// notes); it already resolves the link so shared join links keep working.
#[component]
pub fn ParticipantPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let workshop_id = move || params.read().get("id").unwrap_or_default();
    view! {
        <PageFrame>
            <h1>{move || i18n.t().participant_title}</h1>
            <p>
                {move || i18n.t().workshop_label} ": "
                <code class="workshop-id">{workshop_id}</code>
            </p>
            <p>{move || i18n.t().coming_participant}</p>
        </PageFrame>
    }
}
