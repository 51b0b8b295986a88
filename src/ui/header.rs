use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::ui::connection_status::ConnectionStatus;
use crate::ui::language_switch::LanguageSwitch;

/// The app bar of the console, participant and home screens (the projector has none).
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{move || i18n.t().skip_to_content}</a>
            <A href="/" attr:class="app-header__brand">
                <span class="app-header__name">"Bijeen"</span>
                <span class="app-header__tagline">{move || i18n.t().app_tagline}</span>
            </A>
            <ConnectionStatus />
            <LanguageSwitch />
        </header>
    }
}
