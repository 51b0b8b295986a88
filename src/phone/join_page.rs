use bijeen_core::ActorId;
use bijeen_protocol::{Credential, JoinCode, JoinResponse, ParticipantSecret};
use leptos::prelude::*;

use crate::adapters::http::{HttpError, get_json};
use crate::adapters::random::{random_bytes, random_hex};
use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::storage_text;
use crate::workshop::relay_link::{RoomRecord, load_room, save_room};

/// Looks up the code, remembers how this phone enters the room (a participant identity of
/// its own; an earlier one for the same room is kept, the relay knows its notes), and opens
/// the participant's screen; what it shows arrives from the relay.
#[component]
pub fn JoinPage(
    /// The code as typed in the address (the route's `CODE`).
    code: String,
    /// Called with the room's id once this phone may enter it.
    on_joined: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.phone().relay;
    let problem = RwSignal::new(None::<&'static str>);
    match JoinCode::parse(&code) {
        Err(_) => problem.set(Some(i18n.phone().relay.join_bad_code)),
        Ok(code) => {
            leptos::task::spawn_local(async move {
                let answer: Result<JoinResponse, HttpError> =
                    get_json(&format!("/api/join/{}", code.as_str())).await;
                let r = i18n.phone().relay;
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
                let entered = LocalStore::open().and_then(|store| {
                    let known = load_room(&store, room.as_str())
                        .filter(|known| matches!(known.credential, Credential::Participant { .. }));
                    match known {
                        Some(_) => Ok(()),
                        None => save_room(
                            &store,
                            room.as_str(),
                            &RoomRecord {
                                room: room.clone(),
                                credential: Credential::Participant {
                                    actor: ActorId::new(random_hex(8)),
                                    secret: ParticipantSecret::from_random(random_bytes::<16>()),
                                },
                                join_code: Some(code),
                                remote: None,
                            },
                        ),
                    }
                });
                match entered {
                    Ok(()) => on_joined.run(room.as_str().to_owned()),
                    Err(error) => problem.set(Some(storage_text(i18n.phone(), &error))),
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
