use bijeen_protocol::{CreateRoomRequest, CreateRoomResponse, Credential, PROTOCOL_VERSION};
use leptos::prelude::*;

use crate::adapters::http::{HttpError, post_json};
use crate::adapters::window::origin;
use crate::i18n::use_i18n;
use crate::ui::qr_code::QrCodeImage;
use crate::workshop::relay_link::RoomRecord;
use crate::workshop::use_session;

/// Invites participants on their own devices: creates a relay room for this workshop
/// and shows its join code and link. The facilitator key stays in this browser.
#[component]
pub fn InvitePanel() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.t().relay;
    let session = use_session();
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let invite = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = CreateRoomRequest {
                protocol_version: PROTOCOL_VERSION,
                ops: Vec::new(),
            };
            let outcome: Result<CreateRoomResponse, HttpError> =
                post_json("/api/rooms", &request).await;
            let r = i18n.t().relay;
            match outcome {
                Ok(room) => {
                    let record = RoomRecord {
                        room: room.room_id,
                        credential: Credential::Facilitator {
                            key: room.facilitator_key,
                        },
                        join_code: Some(room.join_code),
                        remote: None,
                    };
                    match session.connect_room(record) {
                        Ok(()) => problem.set(None),
                        Err(error) => problem.set(Some(crate::ui::problem_banner::storage_text(
                            i18n.t().phone,
                            &error,
                        ))),
                    }
                }
                Err(HttpError::Unreachable) => {
                    problem.set(Some(i18n.t().phone.relay.relay_unreachable))
                }
                Err(HttpError::Refused { status: 503, .. }) => problem.set(Some(r.rooms_full)),
                Err(HttpError::Refused { status: 429, .. }) => {
                    problem.set(Some(i18n.t().phone.relay.too_many_attempts))
                }
                Err(_) => problem.set(Some(r.relay_refused)),
            }
            busy.set(false);
        });
    };
    let join_code = move || session.link_status().and_then(|status| status.join_code);
    let join_link = move |code: &str| format!("{}/j/{code}", origin());
    view! {
        <section class="invite panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{move || r().invite_heading}</h2>
            {move || match join_code() {
                None => view! {
                    <p class="hint">{move || r().invite_help}</p>
                    <button type="button" class="primary" disabled=move || busy.get() on:click=invite>
                        {move || r().invite_button}
                    </button>
                }.into_any(),
                Some(code) => {
                    let link = join_link(&code);
                    view! {
                        <p class="invite__code">
                            <span class="invite__label">{move || r().invite_code_label}</span>
                            <strong data-testid="join-code">{code}</strong>
                        </p>
                        <p>
                            <span class="invite__label">{move || r().invite_link_label}</span>
                            // The participant's entry is its own page: the router must not take this click.
                            <a href=link.clone() rel="external" data-testid="join-link">{link.clone()}</a>
                        </p>
                        <div class="invite__qr">
                            <QrCodeImage text=link label=Signal::derive(move || r().qr_label) />
                        </div>
                    }.into_any()
                }
            }}
            <p class="field-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}
