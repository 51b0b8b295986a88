use bijeen_core::Role;
use bijeen_protocol::{Credential, ErrorCode, ParticipantSecret, RemoteKey, RoomId};
use leptos::prelude::*;

use crate::adapters::random::random_bytes;
use crate::adapters::window::location_fragment;
use crate::i18n::use_i18n;
use crate::remote::remote_bears::RemoteBears;
use crate::remote::remote_controls::RemoteControls;
use crate::timer::countdown::Countdown;
use crate::timer::{use_live_timer, use_now_title};
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::{ProblemBanner, storage_text};
use crate::workshop::library;
use crate::workshop::relay_link::{self, RoomRecord};
use crate::workshop::session::WorkshopSession;

/// The remote's page: checks the link, remembers this phone's remote identity for the
/// room, and shows the controls once the relay has sent the workshop. A revoked key
/// replaces everything with the plain reason.
#[component]
pub fn RemotePage(
    /// The room's id (the route's `ID`).
    room: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.remote();
    let parsed = RoomId::parse(&room)
        .ok()
        .zip(RemoteKey::parse(&location_fragment()).ok());
    let Some((room, key)) = parsed else {
        return view! {
            <PageFrame>
                <h1>{move || r().page_title}</h1>
                <p class="banner banner--problem" role="alert">{move || r().bad_link}</p>
            </PageFrame>
        }
        .into_any();
    };
    // Its own workshop id: a participant's identity for the same room in this browser
    // stays apart from the remote's.
    let workshop = format!("remote-{}", room.as_str());
    let fresh = RoomRecord {
        room,
        credential: Credential::Remote {
            actor: library::window_actor(),
            secret: ParticipantSecret::from_random(random_bytes::<16>()),
            key,
        },
        join_code: None,
        remote: None,
    };
    // The same key keeps this phone's actor (the relay has its ops); a new link starts a
    // new identity.
    let same_key =
        |known: &RoomRecord, fresh: &RoomRecord| match (&known.credential, &fresh.credential) {
            (Credential::Remote { key: a, .. }, Credential::Remote { key: b, .. }) => {
                known.room == fresh.room && a == b
            }
            _ => false,
        };
    if let Err(error) = relay_link::enter_room(&workshop, fresh, same_key) {
        let text = storage_text(i18n.phone(), &error);
        return view! {
            <PageFrame>
                <h1>{move || r().page_title}</h1>
                <p class="banner banner--problem" role="alert">{text}</p>
            </PageFrame>
        }
        .into_any();
    }
    let session = WorkshopSession::open(workshop, Role::Facilitator);
    provide_context(session);
    let timer = use_live_timer(session);
    let revoked = move || {
        session
            .link_status()
            .is_some_and(|status| status.failure == Some(ErrorCode::RemoteRevoked))
    };
    let finished = session.select(false, |w| w.is_finished());
    let title = use_now_title(session, timer.into());
    view! {
        <PageFrame>
            <div class="remote">
                <h1 class="visually-hidden">{move || r().page_title}</h1>
                <Show
                    when=move || !revoked()
                    fallback=move || view! {
                        <p class="banner banner--problem remote__revoked" role="alert" data-testid="remote-revoked">
                            {move || r().revoked}
                        </p>
                    }
                >
                    <section class="remote__now" aria-labelledby="remote-now">
                        <h2 id="remote-now" class="remote__title" data-testid="remote-block">{title}</h2>
                        // The header says whether the phone is connected; this short page never
                        // scrolls it away.
                        <Show when=move || !finished.get()>
                            <Countdown timer=timer />
                        </Show>
                    </section>
                    <ProblemBanner problem=Signal::derive(move || session.problem()) />
                    <Show when=move || session.with(|w| !w.blocks.is_empty()).unwrap_or(false)>
                        // While the bears are shot they are what the phone is for, so they
                        // come first and their fates fit the first screen; the timer follows.
                        <RemoteBears />
                        <RemoteControls timer=timer />
                    </Show>
                </Show>
            </div>
        </PageFrame>
    }
    .into_any()
}
