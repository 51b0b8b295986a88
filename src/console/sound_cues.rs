use bijeen_core::LiveTimer;
use leptos::prelude::*;

use crate::adapters::sound::{Cue, play};
use crate::adapters::storage::LocalStore;

const MUTED_KEY: &str = "bijeen.sound-muted";

pub fn load_muted() -> bool {
    LocalStore::open()
        .ok()
        .and_then(|store| store.get::<bool>(MUTED_KEY).ok().flatten())
        .unwrap_or(false)
}

pub fn save_muted(muted: bool) {
    if let Ok(store) = LocalStore::open() {
        let _ = store.set(MUTED_KEY, &muted);
    }
}

/// Plays a cue when the running block enters its warning time and when it reaches zero.
/// The effect only mirrors the timer outward into sound; it writes no state.
#[component]
pub fn SoundCues(
    #[prop(into)] timer: Signal<Option<LiveTimer>>,
    muted: RwSignal<bool>,
) -> impl IntoView {
    Effect::new(move |previous: Option<Option<(String, bool, bool)>>| {
        let now = timer
            .get()
            .map(|t| (t.block.as_str().to_owned(), t.warning, t.overrun));
        if let (Some(Some(before)), Some(after)) = (&previous, &now)
            && before.0 == after.0
            && !muted.get_untracked()
        {
            if !before.1 && after.1 {
                play(Cue::Warning);
            } else if !before.2 && after.2 {
                play(Cue::TimeUp);
            }
        }
        now
    });
}
