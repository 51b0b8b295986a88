use bijeen_protocol::{Credential, RemoteKey, RemoteRequest, RemoteResponse};
use leptos::prelude::*;

use crate::adapters::http::{HttpError, post_json};
use crate::adapters::random::random_bytes;
use crate::adapters::window::origin;
use crate::i18n::use_i18n;
use crate::ui::qr_code::QrCodeImage;
use crate::workshop::use_session;

/// Hands the facilitator's phone a remote: registers a fresh remote key with the relay
/// (by the facilitator key), shows it as a link and QR code with a plain warning, and
/// revokes it. Only this console ever shows the key; the projector and the phones never
/// receive it.
#[component]
pub fn RemotePanel() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.t().remote;
    let session = use_session();
    let key = RwSignal::new(session.room_record().and_then(|record| record.remote));
    let message = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let linked = move || session.link_status().is_some();

    // Registers `next` (a fresh key, or none to revoke) and remembers it in this browser.
    let register = move |next: Option<RemoteKey>| {
        let Some(record) = session.room_record() else {
            message.set(Some(i18n.t().remote.needs_room));
            return;
        };
        let Credential::Facilitator {
            key: facilitator_key,
        } = record.credential.clone()
        else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = RemoteRequest {
                facilitator_key,
                remote_key: next.clone(),
            };
            let path = format!("/api/rooms/{}/remote", record.room.as_str());
            let outcome: Result<RemoteResponse, HttpError> = post_json(&path, &request).await;
            let r = i18n.t().remote;
            match outcome {
                Ok(_) => {
                    let revoked = next.is_none();
                    let mut record = record;
                    record.remote = next.clone();
                    match session.save_room_record(&record) {
                        Ok(()) => message.set(revoked.then_some(r.revoked_done)),
                        Err(error) => {
                            leptos::logging::warn!("cannot remember the remote key: {error:?}");
                            message.set(Some(r.refused));
                        }
                    }
                    key.set(next);
                }
                Err(HttpError::Unreachable) => message.set(Some(r.unreachable)),
                Err(_) => message.set(Some(r.refused)),
            }
            busy.set(false);
        });
    };
    let turn_on = move |_| register(Some(RemoteKey::from_random(random_bytes::<32>())));
    let revoke = move |_| register(None);
    // The key travels in the fragment: browsers never send it to a server, so it stays
    // out of access logs and Referer headers.
    let link = move |key: &RemoteKey| {
        session.room_record().map(|record| {
            format!(
                "{}/w/{}/remote#{}",
                origin(),
                record.room.as_str(),
                key.as_str()
            )
        })
    };
    view! {
        <Show when=linked>
            <section class="remote-panel panel" aria-labelledby="remote-heading">
                <h2 id="remote-heading">{move || r().panel_heading}</h2>
                {move || match key.get().and_then(|key| link(&key)) {
                    None => view! {
                        <p class="hint">{move || r().panel_help}</p>
                        <button type="button" disabled=move || busy.get() on:click=turn_on>
                            {move || r().turn_on}
                        </button>
                    }.into_any(),
                    Some(link) => view! {
                        <p class="remote-panel__warning" role="note">{move || r().warning}</p>
                        <p>
                            <span class="invite__label">{move || r().link_label}</span>
                            <a href=link.clone() rel="external" data-testid="remote-link">{link.clone()}</a>
                        </p>
                        <div class="invite__qr">
                            <QrCodeImage text=link label=Signal::derive(move || r().qr_label) />
                        </div>
                        <button type="button" class="danger" disabled=move || busy.get() on:click=revoke
                            data-testid="remote-revoke">
                            {move || r().revoke}
                        </button>
                    }.into_any(),
                }}
                <p class="field-error" role="alert">{move || message.get()}</p>
            </section>
        </Show>
    }
}
