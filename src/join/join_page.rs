use bijeen_core::Doc;
use bijeen_protocol::{Credential, JoinCode, JoinResponse, ParticipantSecret};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::adapters::clock::now_ms;
use crate::adapters::http::{HttpError, get_json};
use crate::adapters::random::random_bytes;
use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::storage_text;
use crate::workshop::library;
use crate::workshop::relay_link::{self, RoomRecord};

/// Looks up the code, remembers how this browser enters the room (a participant identity
/// of its own), and opens the participant view; the workshop itself arrives from the relay.
#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.t().relay;
    let params = use_params_map();
    let code_text = params.read_untracked().get("code").unwrap_or_default();
    let problem = RwSignal::new(None::<&'static str>);
    let navigate = use_navigate();
    match JoinCode::parse(&code_text) {
        Err(_) => problem.set(Some(i18n.t().relay.join_bad_code)),
        Ok(code) => {
            leptos::task::spawn_local(async move {
                let answer: Result<JoinResponse, HttpError> =
                    get_json(&format!("/api/join/{}", code.as_str())).await;
                let r = i18n.t().relay;
                let room = match answer {
                    Ok(answer) => answer.room_id,
                    Err(HttpError::Refused { status: 404, .. }) => {
                        return problem.set(Some(r.join_not_found));
                    }
                    Err(HttpError::Unreachable) => return problem.set(Some(r.relay_unreachable)),
                    Err(HttpError::Refused { status: 429, .. }) => {
                        return problem.set(Some(r.too_many_attempts));
                    }
                    Err(_) => return problem.set(Some(r.join_not_found)),
                };
                match enter_room(
                    room.as_str(),
                    RoomRecord {
                        room: room.clone(),
                        credential: new_participant(),
                        join_code: Some(code),
                    },
                ) {
                    Ok(()) => navigate(&format!("/w/{}/join", room.as_str()), Default::default()),
                    Err(error) => problem.set(Some(storage_text(i18n.t(), &error))),
                }
            });
        }
    }
    view! {
        <PageFrame>
            <h1>{move || r().join_heading}</h1>
            {move || match problem.get() {
                None => view! { <p aria-live="polite">{move || r().join_looking}</p> }.into_any(),
                Some(text) => view! { <p class="banner banner--problem" role="alert">{text}</p> }.into_any(),
            }}
        </PageFrame>
    }
}

fn new_participant() -> Credential {
    Credential::Participant {
        actor: library::window_actor(),
        secret: ParticipantSecret::from_random(random_bytes::<16>()),
    }
}

/// Stores the room under the workshop id it is known by here (the room id), keeping an
/// earlier identity for it if this browser joined before, and an empty replica that the
/// relay fills.
fn enter_room(
    workshop: &str,
    fresh: RoomRecord,
) -> Result<(), crate::adapters::storage::StorageError> {
    let store = LocalStore::open()?;
    let record = relay_link::load_room(&store, workshop)
        .filter(|known| known.room == fresh.room)
        .unwrap_or(fresh);
    relay_link::save_room(&store, workshop, &record)?;
    if store.get_raw(&library::doc_key(workshop))?.is_none() {
        let actor = match &record.credential {
            Credential::Participant { actor, .. } => actor.clone(),
            Credential::Facilitator { .. } => library::window_actor(),
        };
        library::save_new(&store, workshop, &mut Doc::new(actor), now_ms())?;
    }
    Ok(())
}
