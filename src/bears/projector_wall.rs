use leptos::prelude::*;

/// The projector while the bear block runs: the count while collecting, the wall, the
/// spotlighted bear while shooting, the summary once closed.
#[component]
pub fn BearWallView() -> impl IntoView {}
