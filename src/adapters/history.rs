//! The address bar, for entries without a router (see `logic::routes`): the current path as
//! a signal that follows the back and forward buttons, moving to another screen of the same
//! entry without loading a page, and (for the facilitator's entry) taking over clicks on
//! links to its own screens, as a router would.

use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// Why the address could not change; the current screen stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRefused(pub String);

/// The entry's current path, and the way to another of its screens. Copy, so a screen can
/// hold it in any closure.
#[derive(Clone, Copy)]
pub struct Navigator {
    path: RwSignal<String>,
}

impl Navigator {
    /// The current path ("/w/demo-1"), tracked.
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// Shows `path` as a new history entry (back returns here), from the top of the page,
    /// as following a link would. If the browser refuses to change the address, the screen
    /// changes anyway: the address then is one step behind, which a reload mends.
    pub fn go(&self, path: &str) {
        self.show(path, Entry::New);
    }

    /// Shows `path` in place of the current history entry, for a screen that only leads
    /// to the next one (the join link): back then skips it instead of running it again.
    pub fn replace(&self, path: &str) {
        self.show(path, Entry::Replace);
    }

    fn show(&self, path: &str, entry: Entry) {
        if let Err(refused) = set_path(path, entry) {
            leptos::logging::warn!("the address stays as it was: {refused:?}");
        }
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
        self.path.set(path_only(path).to_owned());
    }
}

/// Whether a change of address adds a history entry or takes the current one's place.
#[derive(Clone, Copy)]
enum Entry {
    New,
    Replace,
}

/// The navigator of this entry, in the context for its screens (see [`use_navigator`]).
pub fn provide_navigator() -> Navigator {
    let path = RwSignal::new(current_path());
    let navigator = Navigator { path };
    let back_and_forward = web_sys::window()
        .map(|window| EventListener::new(&window, "popstate", move |_| path.set(current_path())));
    let listener = SendWrapper::new(back_and_forward);
    on_cleanup(move || drop(listener.take()));
    provide_context(navigator);
    navigator
}

/// Shows a link to one of this entry's screens (those `shows` names) here, as a router
/// would; every other link (another entry's, another site's, a new tab, a download, an
/// in-page anchor) stays the browser's. Listened to on the document, so it hears every
/// link the screens draw.
pub fn take_over_links(navigator: Navigator, shows: fn(&str) -> bool) {
    let links = web_sys::window()
        .and_then(|window| window.document())
        .map(|document| {
            EventListener::new_with_options(
                &document,
                "click",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(target) = link_target(event).filter(|path| shows(path_only(path)))
                    else {
                        return;
                    };
                    event.prevent_default();
                    navigator.go(&target);
                },
            )
        });
    let listener = SendWrapper::new(links);
    on_cleanup(move || drop(listener.take()));
}

/// The navigator [`provide_navigator`] put in the context.
pub fn use_navigator() -> Navigator {
    expect_context::<Navigator>()
}

/// The path and query a plain left click on a same-origin link would load, if the click
/// was one; `None` for anything the browser should handle itself.
fn link_target(event: &web_sys::Event) -> Option<String> {
    let click = event.dyn_ref::<web_sys::MouseEvent>()?;
    let modified = click.meta_key() || click.ctrl_key() || click.shift_key() || click.alt_key();
    if click.default_prevented() || click.button() != 0 || modified {
        return None;
    }
    let element = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = element
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let target = anchor.target();
    if !(target.is_empty() || target == "_self") || anchor.has_attribute("download") {
        return None;
    }
    let location = web_sys::window()?.location();
    if anchor.origin() != location.origin().ok()? {
        return None;
    }
    let path = anchor.pathname();
    if !anchor.hash().is_empty() && location.pathname().ok()? == path {
        return None;
    }
    Some(format!("{path}{}", anchor.search()))
}

/// `path` without its query or fragment.
fn path_only(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

/// This page's path ("/j/K7MX2Q").
fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default()
}

/// Makes `path` the address, as a new history entry or in the current one's place,
/// without loading a page.
fn set_path(path: &str, entry: Entry) -> Result<(), HistoryRefused> {
    let window = web_sys::window().ok_or_else(|| HistoryRefused("no window".into()))?;
    let history = window
        .history()
        .map_err(|error| HistoryRefused(format!("{error:?}")))?;
    let state = wasm_bindgen::JsValue::NULL;
    match entry {
        Entry::New => history.push_state_with_url(&state, "", Some(path)),
        Entry::Replace => history.replace_state_with_url(&state, "", Some(path)),
    }
    .map_err(|error| HistoryRefused(format!("{error:?}")))
}
