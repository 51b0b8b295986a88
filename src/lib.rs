//! Bijeen, the browser app: a Leptos (client-side rendered) app whose screens read the
//! workshop state kept by `bijeen-core` and whose adapters wrap the browser APIs.
//!
//! Everything here needs a browser, so the modules only exist on wasm32; the host build of
//! this crate is empty and keeps `cargo test --workspace` fast.
#![cfg(target_arch = "wasm32")]

pub mod adapters;
pub mod app;
pub mod bears;
pub mod brainstorm;
pub mod console;
pub mod home;
pub mod i18n;
pub mod join;
pub mod outcomes;
pub mod participant;
pub mod projector;
pub mod timer;
pub mod ui;
pub mod workshop;

/// Mounts the app on `<body>`; called once from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // After mounting, so the first paint never waits for it. Without a worker the app
    // still runs; only a reload without network fails, as it would for any web page.
    leptos::task::spawn_local(async {
        if let Err(reason) = adapters::offline::keep_app_for_offline().await {
            leptos::logging::warn!("Bijeen is not kept for offline use: {reason:?}");
        }
    });
}
