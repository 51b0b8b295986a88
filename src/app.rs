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

use send_wrapper::SendWrapper;

use crate::adapters::history;
use crate::console::console_page::ConsolePage;
use crate::home::home_page::HomePage;
use crate::i18n::provide_i18n;
use crate::join::join_page::JoinPage;
use crate::logic::phone_route::PhoneRoute;
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

/// The phone's entry: the relay serves it for exactly these two routes. It reads the
/// address itself (`logic::phone_route`): a router would be a large part of a phone's
/// download for two routes and one navigation.
#[component]
pub fn ParticipantApp() -> impl IntoView {
    provide_i18n();
    let route = use_phone_route();
    // Joining moves to the participant's screen as a new history entry, as a link would.
    let joined = Callback::new(move |workshop: String| {
        let path = PhoneRoute::participant_path(&workshop);
        if let Err(refused) = history::push_path(&path) {
            leptos::logging::warn!("the address stays the join link: {refused:?}");
        }
        route.set(PhoneRoute::of(&path));
    });
    let screen = Memo::new(move |_| route.get());
    move || match screen.get() {
        PhoneRoute::Join { code } => view! { <JoinPage code on_joined=joined /> }.into_any(),
        PhoneRoute::Participant { workshop } => {
            view! { <ParticipantPage id=workshop /> }.into_any()
        }
        PhoneRoute::Remote { .. } | PhoneRoute::Elsewhere => {
            view! { <LoadFacilitatorApp /> }.into_any()
        }
    }
}

/// The facilitator's phone remote: its own entry, for this one route.
#[component]
pub fn RemoteApp() -> impl IntoView {
    provide_i18n();
    let route = use_phone_route();
    let screen = Memo::new(move |_| route.get());
    move || match screen.get() {
        PhoneRoute::Remote { room } => view! { <RemotePage room /> }.into_any(),
        _ => view! { <LoadFacilitatorApp /> }.into_any(),
    }
}

/// The phone entry's route, following the back and forward buttons.
fn use_phone_route() -> RwSignal<PhoneRoute> {
    let route = RwSignal::new(PhoneRoute::of(&history::current_path()));
    let listener = SendWrapper::new(history::on_path_change(move |path| {
        route.set(PhoneRoute::of(&path))
    }));
    on_cleanup(move || drop(listener.take()));
    route
}

/// Any other route (the header's home link, say) belongs to the facilitator's entry: the page
/// is loaded from the server, which answers those routes with it.
#[component]
fn LoadFacilitatorApp() -> impl IntoView {
    if let Err(error) = crate::adapters::window::reload_page() {
        leptos::logging::warn!("cannot load the facilitator's app: {error:?}");
    }
}
