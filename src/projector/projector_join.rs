use leptos::prelude::*;

use crate::adapters::window::origin;
use crate::i18n::use_i18n;
use crate::ui::qr_code::QrCodeImage;
use crate::workshop::session::WorkshopSession;

/// How to join, on the big screen: the room code in huge letters, the link and its QR
/// code once this workshop has a relay room. Nothing in local-only mode: there is nothing
/// another device could join.
#[component]
pub fn ProjectorJoin() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.t().relay;
    let session = use_context::<WorkshopSession>();
    // The code is known from the room record this browser keeps (the console that made
    // the room is a window of the same browser); a participant's record has none.
    let join_code = Memo::new(move |_| {
        session
            .and_then(|session| session.link_status())
            .and_then(|status| status.join_code)
    });
    move || {
        let code = join_code.get()?;
        let link = format!("{}/j/{code}", origin());
        // People type what they read: the scheme is noise on a screen, the browser adds it.
        let shown_link = link
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_owned();
        Some(view! {
            <aside class="projector-join" aria-labelledby="projector-join-heading">
                <QrCodeImage text=link label=Signal::derive(move || r().qr_label) />
                <div class="projector-join__text">
                    <h2 id="projector-join-heading" class="projector-join__heading">{move || r().projector_join_heading}</h2>
                    <p class="projector-join__code">
                        <span class="projector-join__label">{move || r().projector_join_code_label}</span>
                        <strong data-testid="projector-join-code">{code}</strong>
                    </p>
                    <p class="projector-join__link">
                        <span class="projector-join__label">{move || r().projector_join_link_label}</span>
                        <span data-testid="projector-join-link">{shown_link}</span>
                    </p>
                </div>
            </aside>
        })
    }
}
