use leptos::prelude::*;

use crate::ui::tr;
use leptos_router::components::A;

use crate::ui::connection_status::ConnectionStatus;
use crate::ui::language_switch::LanguageSwitch;

/// The app bar of the console, participant and home screens (the projector has none).
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{tr(|t| t.skip_to_content)}</a>
            <A href="/" attr:class="app-header__brand">
                <span class="app-header__name">"Bijeen"</span>
                <span class="app-header__tagline">{tr(|t| t.app_tagline)}</span>
            </A>
            <ConnectionStatus />
            <LanguageSwitch />
        </header>
    }
}
