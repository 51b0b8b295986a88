//! The root components: language context and the routes of DESIGN.md.
//!
//! There are three entries, each its own binary and HTML page, and the relay serves each its
//! routes. [`App`] is the facilitator's (home, console, projector, report); [`ParticipantApp`]
//! is the phone's (joining by code, the participant's screen), so a phone that scans the join
//! code downloads none of the console, and the facilitator's download carries none of the
//! phone's screens; [`RemoteApp`] is the facilitator's phone remote, which neither of the
//! others carries. Links from one to another load the page from the server.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::console::console_page::ConsolePage;
use crate::home::home_page::HomePage;
use crate::i18n::provide_i18n;
use crate::join::join_page::JoinPage;
use crate::outcomes::report_page::ReportPage;
use crate::participant::participant_page::ParticipantPage;
use crate::projector::projector_page::ProjectorPage;
use crate::remote::remote_page::RemotePage;
use crate::ui::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/w/:id") view=ConsolePage />
                <Route path=path!("/w/:id/present") view=ProjectorPage />
                <Route path=path!("/w/:id/report") view=ReportPage />
            </Routes>
        </Router>
    }
}

/// The phone's entry: the relay serves it for exactly these two routes.
#[component]
pub fn ParticipantApp() -> impl IntoView {
    provide_i18n();
    view! {
        <Router>
            <Routes fallback=LoadFacilitatorApp>
                <Route path=path!("/w/:id/join") view=ParticipantPage />
                <Route path=path!("/j/:code") view=JoinPage />
            </Routes>
        </Router>
    }
}

/// The facilitator's phone remote: its own entry, for this one route.
#[component]
pub fn RemoteApp() -> impl IntoView {
    provide_i18n();
    view! {
        <Router>
            <Routes fallback=LoadFacilitatorApp>
                <Route path=path!("/w/:id/remote") view=RemotePage />
            </Routes>
        </Router>
    }
}

/// Any other route (the header's home link, say) belongs to the facilitator's entry: the page
/// is loaded from the server, which answers those routes with it.
#[component]
fn LoadFacilitatorApp() -> impl IntoView {
    if let Err(error) = crate::adapters::window::reload_page() {
        leptos::logging::warn!("cannot load the facilitator's app: {error:?}");
    }
}
