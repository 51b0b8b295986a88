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

/// Where the participant page's static join form leaves what was typed before the app
/// arrived, and whether Meedoen was pressed (written by `first-join.js`).
const PENDING_NAME_KEY: &str = "bijeen.first-join.name";
const PENDING_JOIN_KEY: &str = "bijeen.first-join.join";

/// What the static join form took before the app mounted: the name typed, and whether
/// Meedoen was pressed already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingJoin {
    pub name: String,
    pub join: bool,
}

/// Takes (and forgets) what the static join form took, so it is acted on once.
pub fn take_pending_join() -> Option<PendingJoin> {
    let storage = web_sys::window()?.session_storage().ok()??;
    let name = storage.get_item(PENDING_NAME_KEY).ok()??;
    let join = storage.get_item(PENDING_JOIN_KEY).ok().flatten().is_some();
    for key in [PENDING_NAME_KEY, PENDING_JOIN_KEY] {
        if let Err(error) = storage.remove_item(key) {
            leptos::logging::warn!("cannot forget the first screen's join: {error:?}");
        }
    }
    Some(PendingJoin { name, join })
}

/// The key that tells `first-join.js` this browser has joined workshop `id` by name, so a
/// returning phone's first screen carries no join form (the app shows its own screen).
fn joined_key(workshop: &str) -> String {
    format!("bijeen.joined.{workshop}")
}

/// Notes, for the next first screen, that this browser has joined `workshop`. Only a hint
/// for the page's first frames: without it a joined phone shows the static join form
/// until the app has loaded and replaces it with the participant's screen.
pub fn remember_joined(workshop: &str) {
    let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten())
    else {
        return;
    };
    let key = joined_key(workshop);
    if matches!(storage.get_item(&key), Ok(Some(_))) {
        return;
    }
    if let Err(error) = storage.set_item(&key, "1") {
        leptos::logging::warn!("the next first screen will offer the join form again: {error:?}");
    }
}
