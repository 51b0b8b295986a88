//! Wall-clock time for the app. The core never reads a clock; screens get "now" from here
//! as a signal that ticks while mounted and catches up at once when a hidden tab returns
//! (browsers throttle timers in background tabs, so the tick alone would be late).

use leptos::prelude::*;

/// Unix epoch milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// `ms` as an ISO 8601 UTC timestamp ("2026-11-26T07:52:00.000Z").
pub fn iso_time(ms: i64) -> String {
    js_sys::Date::new(&(ms as f64).into())
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// `ms` as a medium date and short time in the given language ("26 nov 2026, 08:52").
pub fn local_date_time(ms: i64, locale: &str) -> String {
    let date = js_sys::Date::new(&(ms as f64).into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale, &options).into()
}

/// Local time minus UTC, in minutes (the browser's current zone).
pub fn utc_offset_min() -> i16 {
    // getTimezoneOffset is UTC minus local, in minutes; always within ±14 h.
    -(js_sys::Date::new_0().get_timezone_offset() as i16)
}

/// A signal of the current time that updates every `period_ms` while the calling
/// component lives, and immediately when the page becomes visible again.
pub fn use_now(period_ms: u32) -> ReadSignal<i64> {
    let (now, set_now) = signal(now_ms());
    let interval = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(
        period_ms,
        move || set_now.set(now_ms()),
    ));
    // `visibilitychange` fires at the document and bubbles to the window.
    let visible = window_event_listener_untyped("visibilitychange", move |_| set_now.set(now_ms()));
    on_cleanup(move || {
        drop(interval.take());
        visible.remove();
    });
    now
}
