use bijeen_core::schedule::hhmm;
use bijeen_core::{Activity, BearPhase, BoardKind, Role, schedule};
use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::window::toggle_fullscreen;
use crate::bears::projector_wall::BearWallView;
use crate::i18n::use_i18n;
use crate::outcomes::projector_agreements::AgreementsView;
use crate::projector::agenda_strip::AgendaStrip;
use crate::projector::board_view::BoardView;
use crate::projector::projector_join::ProjectorJoin;
use crate::timer::countdown::Countdown;
use crate::timer::{Tone, drift_text, use_live_timer};
use crate::ui::problem_banner::ProblemBanner;
use crate::workshop::session::WorkshopSession;

#[derive(Clone, Debug, PartialEq)]
struct Showing {
    title: String,
    work_form: String,
    /// The lead, unless the work form already names it.
    lead: Option<String>,
    next: Option<String>,
    activity: Activity,
    /// What the room discusses in this block (the seed's six examples, say).
    examples: Vec<String>,
    /// Bears handed in so far, while the wall collects during the block before the bear
    /// block (the break): the room sees the count grow and the break's time left.
    bears_in: Option<usize>,
}

/// The big screen. No edit controls: the current block, a countdown readable from 10 m,
/// work form and lead, what comes next, and the agenda. It follows the console through
/// the workshop session (BroadcastChannel, storage as fallback).
#[component]
pub fn ProjectorPage(
    /// The workshop's id in this browser (the route's `ID`).
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    // The projector never sends a command; the facilitator role only lets it see what
    // the facilitator sees (hidden notes stay hidden in later screens by their own rules).
    let session = WorkshopSession::open(id, Role::Facilitator);
    provide_context(session);
    let timer = use_live_timer(session);
    let tone = move || Tone::of(timer.get().as_ref());

    let showing = Memo::new(move |_| {
        session
            .with(|w| {
                let blocks = w.blocks_in_order();
                let current = w.timer.value.current.clone();
                let position = current
                    .as_ref()
                    .and_then(|c| blocks.iter().position(|(id, _)| *id == c));
                // Idle: show the first block as what is about to start.
                let index = position.unwrap_or(0);
                let (_, block) = blocks.get(index)?;
                Some(Showing {
                    title: block.title.value.clone(),
                    work_form: block.work_form.value.clone(),
                    lead: block.lead_beside_work_form().map(str::to_owned),
                    next: blocks
                        .get(index + 1)
                        .map(|(_, next)| next.title.value.clone()),
                    activity: *block.activity,
                    examples: block.examples.value.clone(),
                    bears_in: blocks
                        .get(index + 1)
                        .filter(|(_, next)| {
                            *next.activity == Activity::Bears
                                && *block.activity == Activity::None
                                && *w.bear_wall.phase == BearPhase::Collect
                        })
                        .map(|_| w.notes_in_order(BoardKind::Bears).len()),
                })
            })
            .flatten()
    });
    let workshop_title = move || {
        session
            .with(|w| w.meta.title.value.clone())
            .unwrap_or_default()
    };
    let starts_at = move || {
        session
            .with(|w| {
                let s = schedule(w);
                (i18n.t().starts_at)(&hhmm(i64::from(s.planned_start_min)))
            })
            .unwrap_or_default()
    };
    let footer = move || {
        let t = i18n.t();
        timer.get().map(|live| {
            let mut parts = Vec::new();
            if let Some(end) = live.projected_end_min {
                parts.push((t.projected_end)(&hhmm(end)));
            }
            if let Some(drift) = live.projected_drift_min {
                parts.push(drift_text(t, drift));
            }
            parts.join(" · ")
        })
    };

    // A running block with an activity shows that activity (board, bear wall, agreements)
    // under a small countdown; only the activity's own changes re-render it.
    let live_activity = Memo::new(move |_| {
        if timer.with(Option::is_none) {
            return None;
        }
        showing.with(|s| {
            s.as_ref()
                .map(|s| s.activity)
                .filter(|a| *a != Activity::None)
        })
    });
    let board = Memo::new(move |_| live_activity.get().is_some());
    let finished = session.select(false, |w| w.is_finished());
    // After "finish": the room sees that it ended, and what was agreed.
    let finished_view = move || {
        view! {
            <h1 class="projector__title" data-testid="projector-block">{tr(|t| t.phone.workshop_finished)}</h1>
            <p class="projector__meta">{tr(|t| t.finished_thanks)}</p>
            <div class="projector__closing">
                <AgreementsView />
            </div>
        }
    };
    let board_view = move || {
        view! {
            <div class="projector__board-head">
                {move || showing.get().map(|showing| view! {
                    <h1 class="projector__title projector__title--board" data-testid="projector-block">{showing.title}</h1>
                })}
                <Countdown timer=timer />
            </div>
            {move || match live_activity.get() {
                Some(Activity::Bears) => view! { <BearWallView /> }.into_any(),
                Some(Activity::Agreements) => view! { <AgreementsView /> }.into_any(),
                _ => view! { <BoardView /> }.into_any(),
            }}
        }
    };

    view! {
        <main id="main" class=move || format!("projector {}", tone().class()) class:projector--board=move || board.get()>
            <Show when=move || !session.is_loaded()>
                <h1 class="projector__title">{tr(|t| t.projector_title)}</h1>
                <ProblemBanner problem=Signal::derive(move || session.problem()) />
            </Show>
            <Show when=move || session.is_loaded()>
                <header class="projector__top">
                    <p class="projector__workshop">{workshop_title}</p>
                    <button type="button" class="projector__fullscreen" on:click=move |_| toggle_fullscreen()>
                        {tr(|t| t.fullscreen)}
                    </button>
                </header>
                <Show when=move || !board.get() fallback=board_view>
                <Show when=move || !finished.get() fallback=finished_view>
                {move || showing.get().map(|showing| {
                    let lead = showing.lead.as_deref().map(|lead| (i18n.t().phone.lead_by)(lead)).unwrap_or_default();
                    let meta = [showing.work_form.clone(), lead]
                        .into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" · ");
                    let examples = showing.examples;
                    view! {
                        <h1 class="projector__title" data-testid="projector-block">{showing.title}</h1>
                        <p class="projector__meta">{meta}</p>
                        {(!examples.is_empty()).then(|| view! {
                            <ul class="projector__examples" data-testid="projector-examples">
                                {examples.into_iter().map(|example| view! { <li>{example}</li> }).collect_view()}
                            </ul>
                        })}
                    }
                })}
                <Countdown timer=timer large=true />
                <Show when=move || {
                    timer.with(|t| t.as_ref().is_some_and(|t| t.moment))
                        && showing.with(|s| s.as_ref().is_some_and(|s| s.next.is_none()))
                }>
                    <p class="projector__goodbye" data-testid="projector-goodbye">{tr(|t| t.goodbye)}</p>
                </Show>
                {move || showing.with(|s| s.as_ref().and_then(|s| s.bears_in)).map(|n| view! {
                    <p class="projector__bears-in" data-testid="projector-bears-in">{(i18n.t().phone.bears.count_in)(n)}</p>
                })}
                <Show when=move || timer.with(Option::is_none)>
                    <p class="projector__meta">{starts_at}</p>
                </Show>
                <p class="projector__footer">
                    <span class="projector__next">
                        {move || showing.get().map(|s| match s.next {
                            Some(next) => (i18n.t().phone.up_next)(&next),
                            None => i18n.t().last_block.to_owned(),
                        })}
                    </span>
                    <span class="projector__projection">{footer}</span>
                </p>
                <ProjectorJoin />
                <AgendaStrip session=session />
                </Show>
                </Show>
            </Show>
        </main>
    }
}
