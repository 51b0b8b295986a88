use bijeen_core::bear_wall::Progress;
use bijeen_view::{BearPhase, Intent};
use leptos::prelude::*;

use crate::bears::phase_name;
use crate::i18n::use_i18n;
use crate::phone::bear_form::BearForm;
use crate::phone::own_bear::OwnBear;
use crate::phone::wall_bear::WallBear;
use crate::phone::{bear_phase, use_phone};
use crate::ui::tr_phone;

/// My own bears while the wall collects (write, edit, withdraw); the wall once it is
/// revealed, with dots while the room votes and each bear's fate once shot.
#[component]
pub fn PhoneBears() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let phone = use_phone();
    let wall = Memo::new(move |_| phone.view.with(|v| v.head.bears.clone()));
    let ids = Memo::new(move |_| {
        phone
            .view
            .with(|v| v.bears.iter().map(|b| b.id.clone()).collect::<Vec<_>>())
    });
    let collecting = move || wall.with(|w| w.phase == BearPhase::Collect);
    let unsent = Memo::new(move |_| {
        phone.pending.with(|p| {
            p.iter()
                .filter_map(|p| match &p.intent {
                    Intent::AddBear { text } => Some((p.key, text.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let status = move || {
        let b = t().bears;
        wall.with(|w| {
            let p = Progress {
                total: w.progress.total as usize,
                open: w.progress.open as usize,
                shot: w.progress.shot as usize,
                tamed: w.progress.tamed as usize,
                parked: w.progress.parked as usize,
            };
            match w.phase {
                BearPhase::Collect => (b.my_count)(ids.with(Vec::len) + unsent.with(Vec::len)),
                BearPhase::Shoot | BearPhase::Closed if p.total > 0 => (b.progress)(&p),
                other => format!(
                    "{} · {}",
                    phase_name(t(), bear_phase(other)),
                    (b.count_in)(p.total)
                ),
            }
        })
    };
    let dots = move || wall.with(|w| w.dots);
    view! {
        <section class="p-bears" aria-labelledby="p-bears-heading">
            <h2 id="p-bears-heading">{tr_phone(|t| t.bears.participant_heading)}</h2>
            <p class="p-bears__status" data-testid="p-bears-status" aria-live="polite">{status}</p>
            <Show when=collecting fallback=move || view! {
                {move || dots().map(|d| view! {
                    <p class="votes-left" data-testid="bear-votes-left" role="status">{(t().bs_dots_left)(d.left, d.budget)}</p>
                })}
                <ul class="p-bears__wall">
                    <For each=move || ids.get() key=|id| id.clone() let:id>
                        <WallBear id=id />
                    </For>
                </ul>
            }>
                <BearForm />
                <Show when=move || !ids.with(Vec::is_empty) || !unsent.with(Vec::is_empty)>
                    <h3 class="p-bears__mine-heading">{tr_phone(|t| t.bears.mine_heading)}</h3>
                </Show>
                <ul class="p-bears__mine">
                    <For each=move || ids.get() key=|id| id.clone() let:id>
                        <OwnBear id=id />
                    </For>
                    <For each=move || unsent.get() key=|(key, _)| *key let:bear>
                        <li class="p-bear p-bear--mine p-bear--unsent">
                            <span class="badge">{move || i18n.phone().relay.not_sent_yet}</span>
                            <p class="p-bear__text">{bear.1.clone()}</p>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
    .into_any()
}

/// One bear of the view, by id.
pub fn bear_signal(id: String) -> Memo<Option<bijeen_view::BearView>> {
    let phone = use_phone();
    Memo::new(move |_| {
        phone
            .view
            .with(|v| v.bears.iter().find(|b| b.id == id).cloned())
    })
}
