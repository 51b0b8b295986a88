//! Workshops in this browser: the library of stored workshops and the live session of the
//! one on screen (state, commands, sync between windows).

pub mod keyed_signals;
pub mod library;
pub mod me;
pub mod relay_link;
pub mod replica;
pub mod session;
pub mod sync;

/// The session of the workshop on screen, provided by the console, projector and
/// participant pages to their components.
pub fn use_session() -> session::WorkshopSession {
    leptos::prelude::expect_context::<session::WorkshopSession>()
}
