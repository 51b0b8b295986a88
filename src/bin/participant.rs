//! The participant's phone entry: Trunk builds this binary from `participant.html`. It links
//! only the phone's screens (`phone/`), which hold no replica: the relay sends the view and
//! takes intents, so a phone downloads a fraction of the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    bijeen::start_participant();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Bijeen app runs in a browser: build it with `trunk build` (see README.md).");
}
