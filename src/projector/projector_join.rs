use leptos::prelude::*;

/// How to join, on the big screen: the room code and its QR code once a room exists.
#[component]
pub fn ProjectorJoin() -> impl IntoView {}
