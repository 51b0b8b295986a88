//! The live timer as both the console and the projector show it: one reading of the core's
//! `live()` per tick, and the words and colours that go with it.

pub mod countdown;
pub mod rebase_dialog;
pub mod timeline;

use bijeen_core::schedule::LiveState;
use bijeen_core::{LiveTimer, live};
use leptos::prelude::*;

use crate::adapters::clock::use_now;
use crate::workshop::session::WorkshopSession;

/// How often the countdown is recomputed. Four times a second keeps the seconds digit
/// within a quarter second of the truth without measurable cost.
const TICK_MS: u32 = 250;

/// The timer at "now", recomputed every tick; `None` while no block runs.
pub fn use_live_timer(session: WorkshopSession) -> Memo<Option<LiveTimer>> {
    let tick = use_now(TICK_MS);
    Memo::new(move |_| {
        // The tick only says "recompute"; the time itself is read fresh, so a change
        // that arrives between ticks is never shown against a stale clock.
        tick.track();
        let now = session.now();
        session.with(|workshop| live(workshop, now)).flatten()
    })
}

/// What runs now, in words: the running block's title, or that nothing runs yet or that the
/// workshop is finished. The phone's now-bar and the remote both lead with it.
pub fn use_now_title(session: WorkshopSession, timer: Signal<Option<LiveTimer>>) -> Signal<String> {
    let i18n = crate::i18n::use_i18n();
    let finished = session.select(false, |w| w.is_finished());
    Signal::derive(move || {
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
                let t = i18n.phone();
                if finished.get() {
                    t.workshop_finished
                } else {
                    t.timer_idle
                }
                .to_owned()
            })
    })
}

/// The colour state of a timer: what the projector's background and digits follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Idle,
    Running,
    Warning,
    Overrun,
    Paused,
}

impl Tone {
    pub fn of(timer: Option<&LiveTimer>) -> Tone {
        match timer {
            None => Tone::Idle,
            // A paused clock is not moving, whatever it shows: say so first.
            Some(timer) if timer.state == LiveState::Paused => Tone::Paused,
            Some(timer) if timer.overrun => Tone::Overrun,
            Some(timer) if timer.warning => Tone::Warning,
            Some(_) => Tone::Running,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Tone::Idle => "tone-idle",
            Tone::Running => "tone-running",
            Tone::Warning => "tone-warning",
            Tone::Overrun => "tone-overrun",
            Tone::Paused => "tone-paused",
        }
    }
}

/// `mm:ss` of the time left, or `+mm:ss` of the overrun. Seconds round up while counting
/// down, so "0:00" appears exactly when time is up, and down while counting up.
pub fn clock_text(remaining_ms: i64) -> String {
    if remaining_ms >= 0 {
        let seconds = (remaining_ms + 999) / 1000;
        format!("{}:{:02}", seconds / 60, seconds % 60)
    } else {
        let seconds = -remaining_ms / 1000;
        format!("+{}:{:02}", seconds / 60, seconds % 60)
    }
}

/// Share of the block's time used, 0.0 to 1.0, for the progress bar.
pub fn progress(timer: &LiveTimer) -> f64 {
    if timer.duration_ms <= 0 {
        return 1.0;
    }
    let used = timer.duration_ms - timer.remaining_ms;
    (used as f64 / timer.duration_ms as f64).clamp(0.0, 1.0)
}

/// "7 min achter" / "3 min voor" / "Op schema" for a drift in minutes (positive = late).
pub fn drift_text(t: &'static crate::i18n::Strings, drift_min: i64) -> String {
    match drift_min {
        0 => t.on_schedule.to_owned(),
        late if late > 0 => (t.minutes_behind)(late),
        early => (t.minutes_ahead)(-early),
    }
}
