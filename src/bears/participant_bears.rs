use bijeen_core::{BearPhase, Role};
use leptos::prelude::*;

use crate::bears::bear_cards::BearCards;
use crate::bears::bear_form::BearForm;
use crate::bears::own_bear::OwnBear;
use crate::bears::participant_wall_item::ParticipantWallItem;
use crate::bears::{BOARD, phase_name, phase_of, progress, wall};
use crate::i18n::use_i18n;
use crate::ui::tr_phone;
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// Whether the room is voting on the bears now: one signal for every card on the phone.
#[derive(Clone, Copy)]
pub struct BearVoting(pub Signal<bool>);

/// The participant's own bears while the wall collects (write, edit, withdraw); the wall
/// once it is revealed, with dots while the room votes and each bear's fate once shot.
#[component]
pub fn ParticipantBears() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let session = use_session();
    let me = expect_context::<Me>();
    let phase = Memo::new(move |_| session.with(phase_of).unwrap_or_default());
    provide_context(BearCards::new(session, Some(me)));
    provide_context(BearVoting(session.select(false, |w| {
        *w.bear_wall.phase == BearPhase::Vote && w.open_round(BOARD).is_some()
    })));
    let collecting = move || phase.get() == BearPhase::Collect;
    let mine = Memo::new(move |_| {
        let ids = me.ids();
        session
            .with(|w| {
                w.notes_in_order(BOARD)
                    .into_iter()
                    .filter(|(_, n)| ids.contains(&n.author))
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let roots = Memo::new(move |_| {
        let ids = me.ids();
        session
            .with(|w| {
                wall(w)
                    .roots
                    .into_iter()
                    .filter(|id| ids.iter().any(|me| w.visible_to(id, me, Role::Participant)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let dots = Memo::new(move |_| {
        let ids = me.ids();
        if ids.is_empty() {
            return None;
        }
        session
            .with(|w| {
                w.open_round(BOARD).map(|(id, round)| {
                    let used: u32 = ids.iter().map(|me| w.votes_used(id, me)).sum();
                    (round.budget.saturating_sub(used), round.budget)
                })
            })
            .flatten()
    });
    let status = move || {
        let p = session.with(progress).unwrap_or_default();
        let b = t().bears;
        match phase.get() {
            BearPhase::Collect => (b.my_count)(mine.with(Vec::len)),
            BearPhase::Shoot | BearPhase::Closed if p.total > 0 => (b.progress)(&p),
            other => format!("{} · {}", phase_name(t(), other), (b.count_in)(p.total)),
        }
    };
    view! {
        <section class="p-bears" aria-labelledby="p-bears-heading">
            <h2 id="p-bears-heading">{tr_phone(|t| t.bears.participant_heading)}</h2>
            <p class="p-bears__status" data-testid="p-bears-status" aria-live="polite">{status}</p>
            <Show when=collecting fallback=move || view! {
                {move || dots.get().map(|(left, budget)| view! {
                    <p class="votes-left" data-testid="bear-votes-left" role="status">{(t().bs_dots_left)(left, budget)}</p>
                })}
                <ul class="p-bears__wall">
                    <For each=move || roots.get() key=|id| id.clone() let:id>
                        <ParticipantWallItem id=id />
                    </For>
                </ul>
            }>
                <BearForm />
                <Show when=move || mine.with(|m| !m.is_empty())>
                    <h3 class="p-bears__mine-heading">{tr_phone(|t| t.bears.mine_heading)}</h3>
                </Show>
                <ul class="p-bears__mine">
                    <For each=move || mine.get() key=|id| id.clone() let:id>
                        <OwnBear id=id />
                    </For>
                </ul>
            </Show>
        </section>
    }
    .into_any()
}
