//! Window-wide keyboard shortcuts that stay out of the way while someone types.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Calls `handler` for keydown events on the window, except while focus is in a text
/// field, and removes the listener when the calling component is dropped.
pub fn use_shortcuts(handler: impl Fn(&web_sys::KeyboardEvent) + 'static) {
    // Untyped: one instantiation of Leptos's listener serves every window listener here.
    let listener = window_event_listener_untyped("keydown", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if event.ctrl_key() || event.meta_key() || event.alt_key() || is_typing(event) {
            return;
        }
        handler(event);
    });
    on_cleanup(move || listener.remove());
}

/// Whether the key belongs to the focused control (typing, or activating a button).
fn is_typing(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name();
    // Space on a focused button or link activates it; a shortcut on top would act twice.
    let activates = event.key() == " " && matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
    activates
        || matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.has_attribute("contenteditable")
}
