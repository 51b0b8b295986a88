use bijeen_protocol::Credential;
use leptos::prelude::*;

use crate::adapters::network::{NetworkEvents, is_online};
use crate::adapters::storage::LocalStore;
use crate::adapters::window::replace_page;
use crate::i18n::relay::EarlierChanges;
use crate::i18n::use_i18n;
use crate::logic::routes::PhoneRoute;
use crate::ui::page_frame::PageFrame;
use crate::workshop::relay_link::{load_room, outbox_holds_changes};

/// Shows the phone's screens (its children) once no change of an earlier Bijeen is left
/// on this phone.
///
/// Before the phone had an entry of its own it kept a replica, and what it wrote offline
/// waits in that replica's outbox as ops, which this entry cannot send (it links no op
/// types). The window entry can: the phone goes there first, which sends them as it always
/// has and returns (`participant/back_to_phone.rs`). Until then this page opens no link of
/// its own: it would number its intents as the very ops the relay has not seen yet, and
/// the relay would take the older ones for resends of the newer.
#[component]
pub fn EarlierChangesFirst(workshop: String, children: ChildrenFn) -> impl IntoView {
    if !holds_earlier_changes(&workshop) {
        return children().into_any();
    }
    let detour = PhoneRoute::earlier_changes_path(&workshop);
    let online = is_online();
    if online {
        go(&detour);
    } else {
        // The window entry may not be kept for offline use on this phone: it is loaded once
        // the browser says the network is back.
        let events = NetworkEvents::watch(|| (), move || go(&detour));
        let events = send_wrapper::SendWrapper::new(events);
        on_cleanup(move || drop(events.take()));
    }
    let message = if online {
        EarlierChanges::Sending
    } else {
        EarlierChanges::WaitingForNetwork
    };
    let i18n = use_i18n();
    view! {
        <PageFrame>
            <div class="join">
                <p class="banner" role="status" data-testid="earlier-changes">
                    {move || message.text(i18n.lang())}
                </p>
            </div>
        </PageFrame>
    }
    .into_any()
}

/// Whether the replica this phone kept under its participant's actor holds unsent changes.
/// A storage that cannot be opened says nothing here: the phone's own link reports it. An
/// outbox that cannot be read is one the replica's link could not read either (it starts
/// afresh without it), so the phone goes on, and says so in the console.
fn holds_earlier_changes(workshop: &str) -> bool {
    let Ok(store) = LocalStore::open() else {
        return false;
    };
    let Some(record) = load_room(&store, workshop) else {
        return false;
    };
    let Credential::Participant { actor, .. } = &record.credential else {
        return false;
    };
    outbox_holds_changes(&store, workshop, actor).unwrap_or_else(|error| {
        leptos::logging::warn!("Bijeen cannot read the earlier outbox of {workshop}: {error:?}");
        false
    })
}

fn go(path: &str) {
    if let Err(failed) = replace_page(path) {
        // The message stays on screen and the changes stay in storage for the next load.
        leptos::logging::warn!("Bijeen could not load {path}: {failed:?}");
    }
}
