//! The participant's entry: Trunk builds this binary from `participant.html`. It links only
//! the participant's routes (`app::ParticipantApp`), so a phone downloads a fraction of the
//! whole app.

#[cfg(target_arch = "wasm32")]
fn main() {
    bijeen::start_participant();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Bijeen app runs in a browser: build it with `trunk build` (see README.md).");
}
