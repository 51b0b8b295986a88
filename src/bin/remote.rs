//! The facilitator's phone remote: Trunk builds this binary from `remote.html`. It links
//! only the remote's screen (`app::RemoteApp`), so the facilitator's phone downloads neither
//! the console nor the participant's screens, and neither of those carries the remote.

#[cfg(target_arch = "wasm32")]
fn main() {
    bijeen::start_remote();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Bijeen app runs in a browser: build it with `trunk build` (see README.md).");
}
