//! The web app's entry point. Trunk builds this binary for wasm32; on the host it only
//! exists so `cargo test --workspace` and clippy can build the whole workspace.

#[cfg(target_arch = "wasm32")]
fn main() {
    bijeen::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Bijeen app runs in a browser: build it with `trunk build` (see README.md).");
}
