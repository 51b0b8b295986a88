//! Offline reload: registers the service worker (`sw.js`, copied to the site root by
//! Trunk) that keeps the app's shell and hashed assets, so a page that has loaded once
//! reloads with no network at all.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why the app cannot be kept for offline use. None of these stops the app: it only means
/// a reload needs the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfflineUnavailable {
    /// Service workers need a secure context: https, or localhost. A participant who opens
    /// the facilitator's LAN address over plain http gets the app without offline reload.
    NotSecure,
    /// The browser has no service workers (or they are switched off, e.g. private mode).
    NotSupported,
    /// The browser refused the worker; the message says why.
    Refused(String),
}

/// Registers `/sw.js` for the whole site. Resolves once the browser accepted it.
pub async fn keep_app_for_offline() -> Result<(), OfflineUnavailable> {
    let window = web_sys::window().ok_or(OfflineUnavailable::NotSupported)?;
    if !window.is_secure_context() {
        return Err(OfflineUnavailable::NotSecure);
    }
    let navigator = window.navigator();
    let has_workers = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_workers {
        return Err(OfflineUnavailable::NotSupported);
    }
    let registration = navigator.service_worker().register("/sw.js");
    JsFuture::from(registration)
        .await
        .map(|_| ())
        .map_err(|error| {
            let message = error
                .dyn_ref::<js_sys::Error>()
                .map(|error| String::from(error.message()))
                .unwrap_or_else(|| format!("{error:?}"));
            OfflineUnavailable::Refused(message)
        })
}
