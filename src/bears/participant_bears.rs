use leptos::prelude::*;

/// The participant's own bears while the wall collects; the wall once it is revealed.
#[component]
pub fn ParticipantBears() -> impl IntoView {}
