//! Window-wide keyboard shortcuts that stay out of the way while someone types.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `handler` for keydown events on the window, except while focus is in a text
/// field, and removes the listener when the calling component is dropped.
pub fn use_shortcuts(handler: impl Fn(&web_sys::KeyboardEvent) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() || is_typing(&event) {
                return;
            }
            handler(&event);
        });
    let _ = window.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
    let held = SendWrapper::new((window, listener));
    on_cleanup(move || {
        let (window, listener) = held.take();
        let _ = window
            .remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
    });
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
