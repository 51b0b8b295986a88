//! The root components: language context and the routes of DESIGN.md.
//!
//! There are three entries, each its own binary and HTML page, and the relay serves each its
//! routes. [`App`] is the facilitator's (home, console, projector, report); [`ParticipantApp`]
//! is the phone's (joining by code, the participant's screen), so a phone that scans the join
//! code downloads none of the console, and the facilitator's download carries none of the
//! phone's screens; [`RemoteApp`] is the facilitator's phone remote, which neither of the
//! others carries. Links from one to another load the page from the server.

use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

use crate::adapters::history::{provide_navigator, take_over_links};
use crate::console::console_page::ConsolePage;
use crate::home::home_page::HomePage;
use crate::i18n::provide_i18n;
use crate::logic::routes::{FacilitatorRoute, PhoneRoute};
use crate::outcomes::report_page::ReportPage;
use crate::participant::participant_page::ParticipantPage;
use crate::phone::earlier_changes_first::EarlierChangesFirst;
use crate::phone::join_page::JoinPage;
use crate::phone::phone_page::PhonePage;
use crate::phone::single_tab::SingleTab;
use crate::projector::projector_page::ProjectorPage;
use crate::remote::remote_page::RemotePage;
use crate::ui::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let navigator = provide_navigator();
    take_over_links(navigator, FacilitatorRoute::shows);
    let screen = Memo::new(move |_| FacilitatorRoute::of(&navigator.path()));
    move || {
        own_screen(|| match screen.get() {
            FacilitatorRoute::Home => view! { <HomePage /> }.into_any(),
            FacilitatorRoute::Console { workshop } => {
                view! { <ConsolePage id=workshop /> }.into_any()
            }
            FacilitatorRoute::Projector { workshop } => {
                view! { <ProjectorPage id=workshop /> }.into_any()
            }
            FacilitatorRoute::Report { workshop } => {
                view! { <ReportPage id=workshop /> }.into_any()
            }
            FacilitatorRoute::NotFound => view! { <NotFound /> }.into_any(),
        })
    }
}

/// The phone's entry: the relay serves it for exactly these two routes. It holds no
/// replica (`phone/`). Every link on its screens loads a page from the server.
#[component]
pub fn ParticipantApp() -> impl IntoView {
    provide_i18n();
    let navigator = provide_navigator();
    // Joining replaces the join link with the participant's screen: back then leaves the
    // workshop's pages instead of looking the code up again and bouncing forward.
    let joined = Callback::new(move |workshop: String| {
        navigator.replace(&PhoneRoute::participant_path(&workshop))
    });
    let screen = Memo::new(move |_| PhoneRoute::of(&navigator.path()));
    move || {
        own_screen(|| match screen.get() {
            PhoneRoute::Join { code } => view! { <JoinPage code on_joined=joined /> }.into_any(),
            PhoneRoute::Participant { workshop } => {
                // Copied into each layer's children, which may be built more than once.
                let id = StoredValue::new(workshop);
                view! {
                    <SingleTab workshop=id.get_value()>
                        <EarlierChangesFirst workshop=id.get_value()>
                            <PhonePage id=id.get_value() />
                        </EarlierChangesFirst>
                    </SingleTab>
                }
                .into_any()
            }
            PhoneRoute::Window { .. } | PhoneRoute::Remote { .. } | PhoneRoute::Elsewhere => {
                view! { <LoadFacilitatorApp /> }.into_any()
            }
        })
    }
}

/// A participant's window in the facilitator's own browser (`/w/ID/window`): the workshop
/// is in this browser's storage, so the window keeps a replica and needs no relay. Its own
/// entry, so neither the phone nor the console carries it.
#[component]
pub fn WindowApp() -> impl IntoView {
    provide_i18n();
    let navigator = provide_navigator();
    let screen = Memo::new(move |_| PhoneRoute::of(&navigator.path()));
    move || {
        own_screen(|| match screen.get() {
            PhoneRoute::Window { workshop } => view! { <ParticipantPage id=workshop /> }.into_any(),
            _ => view! { <LoadFacilitatorApp /> }.into_any(),
        })
    }
}

/// The facilitator's phone remote: its own entry, for this one route.
#[component]
pub fn RemoteApp() -> impl IntoView {
    provide_i18n();
    let navigator = provide_navigator();
    let screen = Memo::new(move |_| PhoneRoute::of(&navigator.path()));
    move || {
        own_screen(|| match screen.get() {
            PhoneRoute::Remote { room } => view! { <RemotePage room /> }.into_any(),
            _ => view! { <LoadFacilitatorApp /> }.into_any(),
        })
    }
}

/// Builds a screen under an owner of its own, which its view keeps while it is shown and
/// lets go when the next screen replaces it: what a screen provides (its workshop session)
/// is found by everything it draws, also later, and goes with it. A router gives each
/// route the same; without one the next screen would find the last one's disposed session.
fn own_screen(build: impl FnOnce() -> AnyView) -> OwnedView<AnyView> {
    let owner = Owner::new();
    let screen = owner.with(build);
    OwnedView::new_with_owner(screen, owner)
}

/// Any other route (the header's home link, say) belongs to the facilitator's entry: the page
/// is loaded from the server, which answers those routes with it.
#[component]
fn LoadFacilitatorApp() -> impl IntoView {
    if let Err(error) = crate::adapters::window::reload_page() {
        leptos::logging::warn!("cannot load the facilitator's app: {error:?}");
    }
}
