use leptos::prelude::*;

use crate::ui::tr_phone;

use crate::ui::connection_status::ConnectionStatus;
use crate::ui::language_switch::LanguageSwitch;

/// The app bar of the console, participant and home screens (the projector has none).
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{tr_phone(|t| t.skip_to_content)}</a>
            // A plain link: the facilitator's router takes it over, and a phone entry (which
            // has no router) loads the facilitator's page from the server.
            <a href="/" class="app-header__brand">
                <span class="app-header__name">"Bijeen"</span>
                <span class="app-header__tagline">{tr_phone(|t| t.app_tagline)}</span>
            </a>
            <ConnectionStatus />
            <LanguageSwitch />
        </header>
    }
}
