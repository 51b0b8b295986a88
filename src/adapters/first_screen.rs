//! The static first screen of each entry's HTML (`index.html`, `participant.html`,
//! `remote.html`): plain HTML and CSS that the browser paints while the wasm is still
//! loading, so the page is never blank for the time a phone takes to fetch and compile the
//! app.

/// The id every HTML entry gives their static first screen.
const FIRST_SCREEN_ID: &str = "first-screen";

/// Removes the static first screen; called right before the app mounts, in the same task,
/// so no frame shows neither (or both).
pub fn take_over() {
    if let Some(first) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(FIRST_SCREEN_ID))
    {
        first.remove();
    }
}
