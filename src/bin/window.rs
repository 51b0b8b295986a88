//! The entry of a participant's window in the facilitator's own browser (`/w/ID/window`):
//! Trunk builds this binary from `window.html`. The workshop is in this browser's storage,
//! so the window keeps a replica and works without a relay.

#[cfg(target_arch = "wasm32")]
fn main() {
    bijeen::start_window();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Bijeen app runs in a browser: build it with `trunk build` (see README.md).");
}
