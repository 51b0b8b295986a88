use bijeen_core::schedule::{Proposal, ProposalKind, hhmm, lateness, proposals};
use bijeen_core::{LiveTimer, Workshop};
use leptos::prelude::*;

use crate::i18n::{Strings, use_i18n};
use crate::ui::{Runner, error_slot, tr};
use crate::workshop::use_session;

/// Back on schedule: while the agenda (before the start) or its live projection ends
/// after the planned close, the core's proposals, each with the end it gives and one
/// button that applies it as one step; the toast after it takes it back.
#[component]
pub fn ScheduleProposals(#[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let applied = RwSignal::new(None::<Proposal>);
    // Recomputed on every tick while a block runs (the projection moves with the clock)
    // and on every change; equal answers notify nobody.
    let offer = Memo::new(move |_| {
        timer.track();
        let now = session.now();
        session
            .with(|w| lateness(w, now).map(|late| (late.planned_end_min, proposals(w, now))))
            .flatten()
    });
    let apply = move |proposal: Proposal| {
        let result = runner.run(proposal.command());
        if result.is_ok() {
            applied.set(Some(proposal));
        }
        error.set(result.err());
    };
    let undo = move |_| {
        if let Some(proposal) = applied.get_untracked() {
            runner.run_into(error, proposal.undo_command());
        }
        applied.set(None);
    };
    let panel = move || {
        let (planned, list) = offer.get()?;
        let t = i18n.t();
        let items = session
            .with(|w| {
                list.into_iter()
                    .map(|p| {
                        let what = describe(t, w, &p.kind);
                        let changes = p
                            .shortened
                            .iter()
                            .map(|s| {
                                let title = block_title(w, &s.block);
                                view! { <li>{(t.schedule.shortened)(&title, s.from_min, s.to_min)}</li> }
                            })
                            .collect_view();
                        let late = (p.end_min - planned).max(0);
                        let label = (t.schedule.apply_label)(&what);
                        let (key, on_time) = (kind_key(&p.kind), p.on_time);
                        let end = (t.schedule.gives_end)(&hhmm(p.end_min), late);
                        view! {
                            <li class="proposal" data-kind=key>
                                <div class="proposal__text">
                                    <strong>{what}</strong>
                                    <span class="proposal__end" class:proposal__end--late=!on_time>
                                        {end}
                                    </span>
                                    <ul class="proposal__changes">{changes}</ul>
                                </div>
                                <button type="button" class="primary" aria-label=label
                                    on:click=move |_| apply(p.clone())>{t.schedule.apply}</button>
                            </li>
                        }
                    })
                    .collect_view()
            })
            .unwrap_or_default();
        let none = items
            .is_empty()
            .then(|| view! { <p>{t.schedule.none_possible}</p> });
        Some(view! {
            <section class="proposals" aria-labelledby="proposals-heading" data-testid="proposals">
                <h3 id="proposals-heading">{t.schedule.heading}</h3>
                <p>{(t.schedule.intro)(&hhmm(planned))}</p>
                <ul class="proposals__list">{items}</ul>
                {none}
            </section>
        })
    };
    view! {
        {panel}
        <p class="field-error" role="alert">{move || error.get()}</p>
        <Show when=move || applied.with(Option::is_some)>
            <div class="toast" role="status" data-testid="proposal-applied">
                <span>{tr(|t| t.schedule.applied)}</span>
                <button type="button" class="primary" on:click=undo>{tr(|t| t.undo)}</button>
            </div>
        </Show>
    }
}

fn block_title(w: &Workshop, id: &bijeen_core::BlockId) -> String {
    w.block(id)
        .map(|b| b.title.value.clone())
        .unwrap_or_default()
}

fn describe(t: &'static Strings, w: &Workshop, kind: &ProposalKind) -> String {
    match kind {
        ProposalKind::Proportional => t.schedule.proportional.to_owned(),
        ProposalKind::Flexible => t.schedule.flexible.to_owned(),
        ProposalKind::Drop { block } => (t.schedule.drop)(&block_title(w, block)),
        ProposalKind::Merge { first, second } => {
            (t.schedule.merge)(&block_title(w, first), &block_title(w, second))
        }
    }
}

fn kind_key(kind: &ProposalKind) -> &'static str {
    match kind {
        ProposalKind::Proportional => "proportional",
        ProposalKind::Flexible => "flexible",
        ProposalKind::Drop { .. } => "drop",
        ProposalKind::Merge { .. } => "merge",
    }
}
