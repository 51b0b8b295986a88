//! Bijeen, the browser app: a Leptos (client-side rendered) app whose screens read the
//! workshop state kept by `bijeen-core` and whose adapters wrap the browser APIs.
//!
//! Only [`logic`] is built for the host (and tested there by `cargo test`); everything else
//! needs a browser and exists on wasm32 only, which keeps the host build fast.

#[cfg(target_arch = "wasm32")]
pub mod adapters;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bears;
#[cfg(target_arch = "wasm32")]
pub mod brainstorm;
#[cfg(target_arch = "wasm32")]
pub mod console;
#[cfg(target_arch = "wasm32")]
pub mod home;
#[cfg(target_arch = "wasm32")]
pub mod i18n;
pub mod logic;
#[cfg(target_arch = "wasm32")]
pub mod outcomes;
#[cfg(target_arch = "wasm32")]
pub mod participant;
#[cfg(target_arch = "wasm32")]
pub mod phone;
#[cfg(target_arch = "wasm32")]
pub mod projector;
#[cfg(target_arch = "wasm32")]
pub mod remote;
#[cfg(target_arch = "wasm32")]
pub mod timer;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod workshop;

/// Mounts the whole app on `<body>`; called once from `main`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    boot(app::App);
}

/// Mounts the phone remote's entry on `<body>`; called once from `bin/remote.rs`.
#[cfg(target_arch = "wasm32")]
pub fn start_remote() {
    boot(app::RemoteApp);
}

/// Mounts the participant's phone entry on `<body>`; called once from `bin/participant.rs`.
#[cfg(target_arch = "wasm32")]
pub fn start_participant() {
    boot(app::ParticipantApp);
}

/// Mounts the entry of a participant's window in the facilitator's browser; called once
/// from `bin/window.rs`.
#[cfg(target_arch = "wasm32")]
pub fn start_window() {
    boot(app::WindowApp);
}

#[cfg(target_arch = "wasm32")]
fn boot<V: leptos::IntoView + 'static>(root: fn() -> V) {
    console_error_panic_hook::set_once();
    // The window's actor is settled before any screen can write under it (one lock
    // request: well under a frame). Leptos's executor starts with the mount, so this
    // task runs on wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async move {
        workshop::library::claim_window_actor().await;
        // The page's static first screen (index.html) painted while the wasm loaded; the
        // app's own screen takes its place.
        adapters::first_screen::take_over();
        leptos::mount::mount_to_body(root);
        // After mounting, so the first paint never waits for it. Without a worker the app
        // still runs; only a reload without network fails, as it would for any web page.
        if let Err(reason) = adapters::offline::keep_app_for_offline().await {
            leptos::logging::warn!("Bijeen is not kept for offline use: {reason:?}");
        }
    });
}
