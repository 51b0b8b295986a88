use bijeen_core::schedule::{LiveState, hhmm};
use bijeen_core::{Command, LiveTimer};
use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::keyboard::use_shortcuts;
use crate::console::help_dialog::HelpDialog;
use crate::i18n::use_i18n;
use crate::timer::countdown::Countdown;
use crate::timer::drift_text;
use crate::timer::rebase_dialog::{RebaseDialog, start_or_ask};
use crate::timer::timeline::Timeline;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The running block: countdown, drift, projected end, the timer controls and the
/// timeline. Also owns the keyboard shortcuts, which drive the same commands.
#[component]
pub fn RunPanel(
    #[prop(into)] timer: Signal<Option<LiveTimer>>,
    help_open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let error = error_slot();
    let runner = Runner::from_context();
    let run = move |command: Command| runner.run_into(error, command);

    let finished = session.select(false, |w| w.is_finished());
    let reopen = move || {
        if let Some(block) = session.with(|w| w.block_to_reopen()).flatten() {
            run(Command::StartBlock(block));
        }
    };
    let current_title = move || {
        if finished.get() {
            return Some(t().phone.workshop_finished.to_owned());
        }
        session
            .with(|workshop| {
                workshop
                    .timer
                    .value
                    .current
                    .as_ref()
                    .and_then(|id| workshop.block(id))
                    // Before the start: the block that Start will begin.
                    .or_else(|| workshop.blocks_in_order().first().map(|(_, block)| *block))
                    .map(|block| block.title.value.clone())
            })
            .flatten()
    };
    let is_running = move || timer.with(|t| matches!(t, Some(t) if t.state == LiveState::Running));
    let is_paused = move || timer.with(|t| matches!(t, Some(t) if t.state == LiveState::Paused));
    let has_timer = move || timer.with(Option::is_some);

    // Start when you start: far from the planned start, ask first (RebaseDialog).
    let rebase_offer = RwSignal::new(None);
    let start = move || start_or_ask(session, rebase_offer, run);
    let toggle_pause = move || {
        if is_running() {
            run(Command::PauseTimer);
        } else if is_paused() {
            run(Command::ResumeTimer);
        } else if !has_timer()
            && !finished.get_untracked()
            && rebase_offer.with_untracked(Option::is_none)
        {
            start();
        }
    };
    use_shortcuts(move |event| {
        let handled = match event.key().as_str() {
            " " => {
                toggle_pause();
                true
            }
            "n" | "N" | "ArrowRight" => {
                run(Command::NextBlock);
                true
            }
            "p" | "P" | "ArrowLeft" => {
                run(Command::PreviousBlock);
                true
            }
            "+" | "=" => {
                run(Command::AdjustTimer { delta_min: 1 });
                true
            }
            "-" | "_" => {
                run(Command::AdjustTimer { delta_min: -1 });
                true
            }
            "?" => {
                help_open.update(|open| *open = !*open);
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });

    let status_line = move || {
        let t = i18n.t();
        timer.get().map(|live| {
            let mut parts = Vec::new();
            if let Some(drift) = live.drift_min {
                parts.push(drift_text(t, drift));
            }
            if let Some(end) = live.projected_end_min {
                let mut text = (t.projected_end)(&hhmm(end));
                if let Some(late) = live.projected_drift_min.filter(|late| *late != 0) {
                    text.push_str(&format!(" ({})", drift_text(t, late)));
                }
                parts.push(text);
            }
            parts.join(" · ")
        })
    };

    view! {
        <section class="run-panel" aria-labelledby="run-heading">
            <div class="run-panel__now">
                <h2 id="run-heading" class="run-panel__label">{tr(|t| t.run_heading)}</h2>
                <p class="run-panel__block">
                    {move || current_title().unwrap_or_else(|| t().phone.timer_idle.to_owned())}
                </p>
                <Show when=move || !finished.get()>
                    <Countdown timer=timer />
                </Show>
                <p class="run-panel__status" data-testid="drift">{status_line}</p>
            </div>
            <div class="run-panel__controls" role="group" aria-label=tr(|t| t.run_heading)>
                <Show when=move || !has_timer() && !finished.get()>
                    <button type="button" class="primary big" aria-keyshortcuts="Space" on:click=move |_| start()>
                        {tr(|t| t.start_workshop)}
                    </button>
                </Show>
                // Finished is a state of its own: it reopens where it ended, never anew.
                <Show when=move || finished.get()>
                    <button type="button" class="primary big" on:click=move |_| reopen()>
                        {tr(|t| t.reopen_workshop)}
                    </button>
                </Show>
                <Show when=is_running>
                    <button type="button" class="primary big" aria-keyshortcuts="Space" on:click=move |_| toggle_pause()>
                        {tr(|t| t.pause)}
                    </button>
                </Show>
                <Show when=is_paused>
                    <button type="button" class="primary big" aria-keyshortcuts="Space" on:click=move |_| toggle_pause()>
                        {tr(|t| t.resume)}
                    </button>
                </Show>
                <button type="button" disabled=move || !has_timer() aria-keyshortcuts="-"
                    on:click=move |_| run(Command::AdjustTimer { delta_min: -1 })>
                    {tr(|t| t.minus_minute)}
                </button>
                <button type="button" disabled=move || !has_timer() aria-keyshortcuts="+"
                    on:click=move |_| run(Command::AdjustTimer { delta_min: 1 })>
                    {tr(|t| t.plus_minute)}
                </button>
                <button type="button" disabled=move || !has_timer()
                    on:click=move |_| run(Command::AdjustTimer { delta_min: 5 })>
                    {tr(|t| t.plus_five)}
                </button>
                <button type="button" disabled=move || !has_timer() aria-keyshortcuts="P ArrowLeft"
                    on:click=move |_| run(Command::PreviousBlock)>
                    {tr(|t| t.previous_block)}
                </button>
                <button type="button" disabled=move || !has_timer() aria-keyshortcuts="N ArrowRight"
                    on:click=move |_| run(Command::NextBlock)>
                    {tr(|t| t.next_block)}
                </button>
                <button type="button" disabled=move || !has_timer()
                    on:click=move |_| run(Command::FinishWorkshop)>
                    {tr(|t| t.finish_workshop)}
                </button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Timeline session=session timer=timer />
            <HelpDialog open=help_open />
            <RebaseDialog offer=rebase_offer error=error />
        </section>
    }
}
