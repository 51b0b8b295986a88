use bijeen_core::LiveTimer;
use leptos::prelude::*;

use crate::ui::tr;

use crate::i18n::use_i18n;
use crate::timer::countdown::Countdown;
use crate::ui::connection_status::ConnectionBadge;
use crate::workshop::use_session;

/// Always at the top: the block that runs now and the time left in it.
#[component]
pub fn NowBar(#[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let finished = session.select(false, |w| w.is_finished());
    let title = move || {
        session
            .with(|w| {
                w.timer
                    .value
                    .current
                    .as_ref()
                    .and_then(|id| w.block(id))
                    .map(|b| b.title.value.clone())
            })
            .flatten()
            .filter(|_| timer.with(Option::is_some))
            .unwrap_or_else(|| {
                let t = i18n.t();
                if finished.get() {
                    t.workshop_finished
                } else {
                    t.timer_idle
                }
                .to_owned()
            })
    };
    view! {
        <section class="now-bar" aria-labelledby="now-bar-heading">
            <h2 id="now-bar-heading" class="now-bar__label">{tr(|t| t.bs_now_label)}</h2>
            <p class="now-bar__block" data-testid="participant-block">{title}</p>
            <Show when=move || !finished.get()>
                <Countdown timer=timer />
            </Show>
            <ConnectionBadge />
        </section>
    }
    .into_any()
}
