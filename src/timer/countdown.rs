use bijeen_core::LiveTimer;
use leptos::prelude::*;

use crate::ui::tr_phone;

use crate::i18n::use_i18n;
use crate::timer::{Tone, clock_text, progress};

/// The big digits and the progress bar. The digits are a live region only for the
/// state word, not for every second (a screen reader must not read a ticking clock).
#[component]
pub fn Countdown(
    #[prop(into)] timer: Signal<Option<LiveTimer>>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let tone = move || Tone::of(timer.get().as_ref());
    // A block without a duration is a moment: no digits and no bar, nothing runs out.
    let moment = move || timer.with(|t| t.as_ref().is_some_and(|t| t.moment));
    let digits = move || {
        timer
            .get()
            .map(|timer| clock_text(timer.remaining_ms))
            .unwrap_or_else(|| "–:––".to_owned())
    };
    let state_word = move || {
        let t = i18n.phone();
        match tone() {
            Tone::Idle => t.timer_idle,
            Tone::Paused => t.timer_paused,
            Tone::Warning => t.timer_warning,
            Tone::Overrun => t.timer_overrun,
            Tone::Running => "",
        }
    };
    let percent = move || {
        timer
            .get()
            .map(|timer| progress(&timer) * 100.0)
            .unwrap_or(0.0)
    };
    view! {
        <div class=move || format!("countdown {} {}", tone().class(), if large { "countdown--large" } else { "" })
            class:countdown--moment=moment>
            <p class="countdown__digits" role="timer" aria-label=tr_phone(|t| t.time_left_label)>
                {digits}
            </p>
            <div
                class="countdown__bar"
                role="progressbar"
                aria-label=tr_phone(|t| t.time_left_label)
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || format!("{:.0}", percent())
            >
                <div class="countdown__fill" style:width=move || format!("{:.1}%", percent())></div>
            </div>
            <p class="countdown__state" aria-live="polite">
                {state_word}
            </p>
        </div>
    }
}
