//! A modal dialog on the native `<dialog>`: the browser keeps focus inside it, closes it on
//! Escape and gives it back to where it came from.

use leptos::html;
use leptos::prelude::*;

/// Shown while `open` is true; `on_close` hears every way it closes (Escape, a button).
/// `labelled_by` is the id of the heading among `children`.
#[component]
pub fn Modal(
    #[prop(into)] open: Signal<bool>,
    labelled_by: &'static str,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // Mirrors the flag onto the element; it writes no signal.
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if open.get() {
                if !dialog.open() && dialog.show_modal().is_err() {
                    // Not connected to the document yet: shown without the modal trap.
                    dialog.set_open(true);
                }
            } else if dialog.open() {
                dialog.close();
            }
        }
    });
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by
            on:close=move |_: leptos::ev::Event| on_close.run(())>
            {children()}
        </dialog>
    }
    .into_any()
}
