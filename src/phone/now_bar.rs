use bijeen_core::schedule::{LiveState, is_warning};
use bijeen_core::{BlockId, LiveTimer};
use bijeen_view::{Now, Run};
use leptos::prelude::*;

use crate::adapters::clock::use_now;
use crate::phone::use_phone;
use crate::timer::countdown::Countdown;
use crate::ui::connection_status::ConnectionBadge;
use crate::ui::tr_phone;

/// Always at the top: the block that runs now and the time left in it, counted on the
/// relay's clock, and the connection state (the header scrolls away on a phone).
#[component]
pub fn NowBar() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let phone = use_phone();
    let now = use_now(250);
    let block = Memo::new(move |_| phone.view.with(|v| v.head.now.clone()));
    let timer = Signal::derive(move || {
        let Now::Block(block) = block.get() else {
            return None;
        };
        let remaining_ms = match block.run {
            Run::Idle => return None,
            Run::Running { ends_at_ms } => ends_at_ms - (now.get() + phone.clock_offset_ms()),
            Run::Paused { remaining_ms } => remaining_ms,
        };
        let duration_ms = block.duration_ms;
        Some(LiveTimer {
            block: BlockId::from(block.id.as_str()),
            state: match block.run {
                Run::Paused { .. } => LiveState::Paused,
                _ => LiveState::Running,
            },
            duration_ms,
            remaining_ms,
            elapsed_ms: None,
            warning: duration_ms > 0 && is_warning(duration_ms, remaining_ms),
            overrun: duration_ms > 0 && remaining_ms < 0,
            moment: duration_ms == 0,
            drift_min: None,
            projected_end_ms: 0,
            projected_end_min: None,
            projected_drift_min: None,
        })
    });
    let title = move || {
        let t = i18n.phone();
        match block.get() {
            Now::Block(b) if timer.with(Option::is_some) => b.title,
            Now::Finished => t.workshop_finished.to_owned(),
            _ => t.timer_idle.to_owned(),
        }
    };
    view! {
        <section class="now-bar" aria-labelledby="now-bar-heading">
            <h2 id="now-bar-heading" class="now-bar__label">{tr_phone(|t| t.bs_now_label)}</h2>
            <p class="now-bar__block" data-testid="participant-block">{title}</p>
            // Before the workshop starts the title already says so: no empty clock under it.
            <Show when=move || timer.with(Option::is_some)>
                <Countdown timer=timer />
            </Show>
            <ConnectionBadge />
        </section>
    }
    .into_any()
}
