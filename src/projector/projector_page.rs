use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::use_i18n;

/// The projector has no header and no controls: everything on it is for the room.
#[component]
pub fn ProjectorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let workshop_id = move || params.read().get("id").unwrap_or_default();
    view! {
        <main id="main" class="projector">
            <h1 class="projector__title">{move || i18n.t().projector_title}</h1>
            <p class="projector__subtitle">
                {move || i18n.t().workshop_label} " " <span class="workshop-id">{workshop_id}</span>
            </p>
            <p class="projector__subtitle">{move || i18n.t().coming_projector}</p>
        </main>
    }
}
