use leptos::prelude::*;

/// The participant's practical assignment (when the closing block runs) and own export.
#[component]
pub fn ParticipantOutcomes() -> impl IntoView {}
