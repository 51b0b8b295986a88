use bijeen_core::bear_wall::{effective_status, next_open};
use bijeen_core::{BearPhase, BearStatus, Command, NoteId};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// While the bear wall is being shot: the bear in the spotlight, the next open one, and
/// its fate (shot, tamed with an owner, parked), one tap each.
#[component]
pub fn RemoteBears() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.remote();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let run = move |command: Command| runner.run_into(error, command);
    let shooting = session.select(false, |w| *w.bear_wall.phase == BearPhase::Shoot);
    let spotlight = session.select(None, |w| {
        w.bear_wall
            .spotlight
            .value
            .clone()
            .and_then(|id| w.note(&id).map(|note| (id, note.text.value.clone())))
            .map(|(id, text)| (id.clone(), text, effective_status(w, &id)))
    });
    let next = session.select(None::<NoteId>, |w| {
        next_open(w, w.bear_wall.spotlight.value.as_ref(), true)
    });
    let owner = RwSignal::new(String::new());
    let spotlit_id = move || spotlight.with(|s| s.as_ref().map(|(id, _, _)| id.clone()));
    let is_open = move || spotlight.with(|s| matches!(s, Some((_, _, BearStatus::Open))));
    let mark = move |fate: fn(NoteId, String) -> Command| {
        if let Some(id) = spotlit_id() {
            run(fate(id, owner.get_untracked()));
        }
    };
    view! {
        <Show when=move || shooting.get()>
            <section class="remote__bears" aria-labelledby="remote-bears-heading">
                <h2 id="remote-bears-heading">{move || r().bears_heading}</h2>
                <p class="remote__bear" data-testid="remote-bear">
                    {move || spotlight.with(|s| s.as_ref().map(|(_, text, _)| text.clone()))}
                </p>
                <button type="button" class="remote__wide" data-testid="remote-next-bear"
                    disabled=move || next.with(Option::is_none)
                    on:click=move |_| {
                        if let Some(id) = next.get_untracked() {
                            run(Command::Spotlight(Some(id)));
                        }
                    }>
                    {move || if next.with(Option::is_some) { r().spotlight_next } else { r().no_open_bear }}
                </button>
                <Show when=is_open>
                    <div class="remote__fates">
                        <button type="button" data-testid="remote-shot"
                            on:click=move |_| mark(|id, _| Command::ShootBear { id, answer: String::new() })>
                            {move || r().shot}
                        </button>
                        <button type="button"
                            on:click=move |_| mark(|id, owner| Command::TameBear { id, action: None, owner, due: None })>
                            {move || r().tamed}
                        </button>
                        <button type="button" on:click=move |_| mark(|id, _| Command::ParkBear(id))>
                            {move || r().parked}
                        </button>
                    </div>
                    <label class="remote__owner">
                        <span>{move || r().owner_label}</span>
                        <input type="text" autocomplete="name" prop:value=move || owner.get()
                            on:input=move |ev| owner.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </section>
        </Show>
    }
}
