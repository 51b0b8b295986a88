use leptos::prelude::*;

use crate::i18n::relay::PhoneRelayStrings;
use crate::i18n::use_i18n;
use crate::workshop::relay_link::{LinkState, LinkStatus};
use crate::workshop::session::WorkshopSession;

/// Where a screen without a workshop session (the phone, which holds no replica) keeps its
/// link status, for the header and the now-bar.
#[derive(Clone, Copy)]
pub struct LinkStatusSource(pub Signal<Option<LinkStatus>>);

/// The link status of the screen: its source's, else its workshop session's.
fn link_status() -> Signal<Option<LinkStatus>> {
    if let Some(source) = use_context::<LinkStatusSource>() {
        return source.0;
    }
    let session = use_context::<WorkshopSession>();
    Signal::derive(move || session.and_then(|session| session.link_status()))
}

/// The relay connection in plain words, with the count of changes not yet acknowledged.
/// Shows nothing in local-only mode (no room) or outside a workshop.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let i18n = use_i18n();
    let status = link_status();
    move || {
        let status = status.get()?;
        let r = i18n.phone().relay;
        let (class, word, details) = describe(&status, r, i18n.phone().domain_error);
        Some(view! {
            <p class=class role="status" aria-label=r.status_label data-testid="connection" data-state=status.state.key()>
                <strong>{word}</strong>
                {(!details.is_empty()).then(|| view! { <span class="connection__details">{details.join(" · ")}</span> })}
            </p>
        })
    }
}

/// The same state, small, for the participant's sticky now-bar: on a phone the header
/// scrolls away, and "offline, 2 changes not sent" must stay in view. Hidden from
/// assistive technology, which hears the header's live status already.
#[component]
pub fn ConnectionBadge() -> impl IntoView {
    let i18n = use_i18n();
    let status = link_status();
    move || {
        let status = status.get()?;
        // Only what fits a phone's bar: the state, and the unsent count when there is one.
        let (class, word, _) = describe(&status, i18n.phone().relay, i18n.phone().domain_error);
        let unsent = (status.unacked > 0).then(|| (i18n.phone().relay.unsent)(status.unacked));
        Some(view! {
            <p class=format!("{class} connection--compact") aria-hidden="true" data-testid="connection-badge">
                <strong>{word}</strong>
                {unsent.map(|text| view! { <span class="connection__details">{text}</span> })}
            </p>
        })
    }
}

/// The CSS class, the state in a word, and the details (online count, unsent and refused
/// changes, the offline reassurance) of a link status.
fn describe(
    status: &LinkStatus,
    r: &'static PhoneRelayStrings,
    domain_error: fn(bijeen_core::DomainError) -> String,
) -> (&'static str, &'static str, Vec<String>) {
    let (class, word) = match status.state {
        LinkState::Connected => ("connection connection--ok", r.status_connected),
        LinkState::Connecting => ("connection connection--pending", r.status_connecting),
        LinkState::Reconnecting => ("connection connection--offline", r.status_reconnecting),
        LinkState::Failed => ("connection connection--failed", r.status_failed),
    };
    let mut details = Vec::new();
    if status.state == LinkState::Connected && status.online > 0 {
        details.push((r.online)(status.online));
    }
    if status.unacked > 0 {
        details.push((r.unsent)(status.unacked));
    }
    if status.refused > 0 {
        details.push((r.refused)(status.refused));
        if let Some(reason) = &status.last_refusal {
            details.push((r.refusal)(reason, domain_error));
        }
    }
    if status.state == LinkState::Reconnecting {
        match status.retrying_because.as_ref().and_then(r.retrying) {
            Some(why) => details.push(why),
            None => details.push(r.offline_hint.to_owned()),
        }
    }
    (class, word, details)
}
