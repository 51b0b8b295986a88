//! The root component: language context and the routes of DESIGN.md.

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
                <Route path=path!("/w/:id/join") view=ParticipantPage />
                <Route path=path!("/w/:id/report") view=ReportPage />
                <Route path=path!("/j/:code") view=JoinPage />
            </Routes>
        </Router>
    }
}
