use leptos::prelude::*;

use crate::adapters::window::{location_query, replace_page};
use crate::i18n::relay::EarlierChanges;
use crate::i18n::use_i18n;
use crate::logic::routes::PhoneRoute;
use crate::workshop::relay_link::LinkState;
use crate::workshop::session::WorkshopSession;

/// On a phone sent here to deliver the changes an earlier Bijeen kept offline
/// (`phone/earlier_changes_first.rs`): says so, and returns to the phone's own screen once the
/// relay has acknowledged every one of them. Shows nothing on any other window.
#[component]
pub fn BackToPhone(
    /// The workshop's id in this browser.
    workshop: String,
) -> impl IntoView {
    if !PhoneRoute::returns_to_phone(&location_query()) {
        return ().into_any();
    }
    let session = expect_context::<WorkshopSession>();
    let i18n = use_i18n();
    let home = PhoneRoute::participant_path(&workshop);
    // A side effect outside the app (the address), not app state. The outbox is saved
    // before the link publishes a status, so nothing is left behind in it when this runs.
    Effect::new(move |_| {
        let delivered = session
            .link_status()
            .is_some_and(|link| link.state == LinkState::Connected && link.unacked == 0);
        if delivered && let Err(failed) = replace_page(&home) {
            leptos::logging::warn!("Bijeen could not load {home}: {failed:?}");
        }
    });
    view! {
        <p class="banner" role="status" data-testid="earlier-changes">
            {move || EarlierChanges::BackSoon.text(i18n.lang())}
        </p>
    }
    .into_any()
}
