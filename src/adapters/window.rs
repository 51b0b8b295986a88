//! Opening the projector window, switching it to full screen, and loading a page of the
//! other entry (the facilitator's and the participant's are separate downloads).

/// Why a page could not be loaded; the current page stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLoadFailed(pub String);

/// Loads `path` from the server, leaving this app (as a plain link would).
pub fn load_page(path: &str) -> Result<(), PageLoadFailed> {
    on_location(|location| location.assign(path))
}

/// Loads `path` in place of this page, so back does not return to it: for a detour the
/// person did not choose.
pub fn replace_page(path: &str) -> Result<(), PageLoadFailed> {
    on_location(|location| location.replace(path))
}

/// Loads the current address from the server again.
pub fn reload_page() -> Result<(), PageLoadFailed> {
    on_location(|location| location.reload())
}

/// Runs one navigation on this page's location, its failure as a [`PageLoadFailed`].
fn on_location(
    go: impl FnOnce(&web_sys::Location) -> Result<(), wasm_bindgen::JsValue>,
) -> Result<(), PageLoadFailed> {
    let window = web_sys::window().ok_or_else(|| PageLoadFailed("no window".into()))?;
    go(&window.location()).map_err(|error| PageLoadFailed(format!("{error:?}")))
}

/// Opens `path` in a window named `name` (re-using it if it is already open), so one
/// click in the console always brings up the same projector window.
pub fn open_window(path: &str, name: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.open_with_url_and_target(path, name).ok().flatten())
        .is_some()
}

/// This page's origin ("http://192.168.1.20:8080"), for links to show to others.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

/// Toggles full screen for the whole page.
pub fn toggle_fullscreen() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else if let Some(root) = document.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// This page's query without its `?` (empty when there is none).
pub fn location_query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .map(|query| query.trim_start_matches('?').to_owned())
        .unwrap_or_default()
}

/// This page's fragment without its `#` (empty when there is none). Secrets in a link
/// travel there: a browser never sends the fragment to the server.
pub fn location_fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}
