use bijeen_core::{BearPhase, Command};
use leptos::prelude::*;

use crate::bears::{PHASES, phase_name, phase_of, progress};
use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The wall's phase (one button per phase, the current one pressed), anonymity, and how
/// many bears are in and shot.
#[component]
pub fn PhaseControls() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let phase = Memo::new(move |_| session.with(phase_of).unwrap_or_default());
    let anonymous = Memo::new(move |_| session.with(|w| *w.bear_wall.anonymous).unwrap_or(true));
    let counts = Memo::new(move |_| session.with(progress).unwrap_or_default());
    let set_phase = move |p: BearPhase| runner.run_into(error, Command::SetBearPhase(p));
    let toggle_anonymous = move |ev: leptos::ev::Event| {
        runner.run_into(error, Command::SetBearsAnonymous(event_target_checked(&ev)))
    };
    let status = move || {
        let c = counts.get();
        let b = t().phone.bears;
        if c.total == 0 {
            (b.count_in)(0)
        } else {
            format!("{} · {}", (b.count_in)(c.total), (b.progress)(&c))
        }
    };
    view! {
        <section class="panel bears-controls" aria-labelledby="bears-controls-heading">
            <h2 id="bears-controls-heading">{tr(|t| t.bears.wall_heading)}</h2>
            <p class="bears-controls__status" data-testid="bears-status" aria-live="polite">{status}</p>
            <div class="bears-phases" role="group" aria-label=tr(|t| t.bears.phase_label)>
                {PHASES.into_iter().enumerate().map(|(i, p)| {
                    let current = move || phase.get() == p;
                    view! {
                        <button type="button" class="bears-phases__step" class:primary=current
                            aria-pressed=move || current().to_string()
                            on:click=move |_| set_phase(p)>
                            <span class="bears-phases__number" aria-hidden="true">{i + 1}</span>
                            {move || phase_name(t().phone, p)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <p class="hint">{move || (t().bears.phase_hint)(phase.get())}</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || anonymous.get() on:change=toggle_anonymous />
                {tr(|t| t.bears.anonymous_label)}
            </label>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
