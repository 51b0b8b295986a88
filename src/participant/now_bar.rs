use bijeen_core::LiveTimer;
use leptos::prelude::*;

use crate::ui::tr_phone;

use crate::timer::countdown::Countdown;
use crate::timer::use_now_title;
use crate::ui::connection_status::ConnectionBadge;
use crate::workshop::use_session;

/// Always at the top: the block that runs now and the time left in it.
#[component]
pub fn NowBar(#[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let session = use_session();
    let finished = session.select(false, |w| w.is_finished());
    let title = use_now_title(session, timer);
    view! {
        <section class="now-bar" aria-labelledby="now-bar-heading">
            <h2 id="now-bar-heading" class="now-bar__label">{tr_phone(|t| t.bs_now_label)}</h2>
            <p class="now-bar__block" data-testid="participant-block">{title}</p>
            <Show when=move || !finished.get()>
                <Countdown timer=timer />
            </Show>
            <ConnectionBadge />
        </section>
    }
    .into_any()
}
