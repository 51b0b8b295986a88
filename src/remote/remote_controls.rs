use bijeen_core::schedule::LiveState;
use bijeen_core::{BoardKind, Command, LiveTimer};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::timer::rebase_dialog::{RebaseDialog, start_or_ask};
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The timer and the agenda under one thumb: start or pause/resume (the largest button),
/// −1/+1/+5 minutes, previous and next block, and revealing a board that hides its notes.
#[component]
pub fn RemoteControls(#[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.remote();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let run = move |command: Command| runner.run_into(error, command);
    let state = move || timer.with(|t| t.as_ref().map(|t| t.state));
    let finished = session.select(false, |w| w.is_finished());
    let primary = move || match state() {
        Some(LiveState::Running) => (r().pause, Command::PauseTimer),
        Some(LiveState::Paused) => (r().resume, Command::ResumeTimer),
        _ => (r().start, Command::StartWorkshop),
    };
    // Started far from the planned start, the remote asks first, as the console does: a
    // facilitator who starts late from the phone gets the same choice to move the plan.
    let rebase_offer = RwSignal::new(None);
    let press_primary = move || match primary().1 {
        Command::StartWorkshop => start_or_ask(session, rebase_offer, run),
        command => run(command),
    };
    let has_timer = move || state().is_some();
    // The brainstorm board hides its notes until the facilitator reveals them.
    let to_reveal = session.select(false, |w| {
        let board = w.board(BoardKind::Brainstorm);
        *board.hide_until_revealed && !w.is_revealed(BoardKind::Brainstorm)
    });
    view! {
        <div class="remote__controls" role="group" aria-labelledby="remote-now">
            <Show when=move || !finished.get()>
                <button type="button" class="primary remote__primary" data-testid="remote-primary"
                    on:click=move |_| press_primary()>
                    {move || primary().0}
                </button>
            </Show>
            <Show when=has_timer>
                <div class="remote__row">
                    <button type="button" on:click=move |_| run(Command::AdjustTimer { delta_min: -1 })>
                        {move || r().minus_one}
                    </button>
                    <button type="button" data-testid="remote-plus-one"
                        on:click=move |_| run(Command::AdjustTimer { delta_min: 1 })>
                        {move || r().plus_one}
                    </button>
                    <button type="button" on:click=move |_| run(Command::AdjustTimer { delta_min: 5 })>
                        {move || r().plus_five}
                    </button>
                </div>
                <div class="remote__row">
                    <button type="button" on:click=move |_| run(Command::PreviousBlock)>
                        {move || r().previous}
                    </button>
                    <button type="button" data-testid="remote-next" on:click=move |_| run(Command::NextBlock)>
                        {move || r().next}
                    </button>
                </div>
            </Show>
            <Show when=move || to_reveal.get()>
                <button type="button" class="remote__wide"
                    on:click=move |_| run(Command::Reveal { board: BoardKind::Brainstorm })>
                    {move || r().reveal}
                </button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <RebaseDialog offer=rebase_offer error=error />
        </div>
    }
}
