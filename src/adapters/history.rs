//! The address bar of a phone entry, which has no router (see `logic::phone_route`): moving
//! to another of its screens without loading a page, and hearing the back button.

use gloo_events::EventListener;

/// Why the address could not change; the current screen stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRefused(pub String);

/// This page's path ("/j/K7MX2Q").
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default()
}

/// Makes `path` the address as a new history entry (back returns to this one), without
/// loading a page.
pub fn push_path(path: &str) -> Result<(), HistoryRefused> {
    let window = web_sys::window().ok_or_else(|| HistoryRefused("no window".into()))?;
    let history = window
        .history()
        .map_err(|error| HistoryRefused(format!("{error:?}")))?;
    history
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .map_err(|error| HistoryRefused(format!("{error:?}")))
}

/// Calls `on_change` with the new path each time the back or forward button changes the
/// address; the listener goes when the handle is dropped.
pub fn on_path_change(on_change: impl Fn(String) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "popstate", move |_| {
        on_change(current_path())
    }))
}
