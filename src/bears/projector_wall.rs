use bijeen_core::BearPhase;
use leptos::prelude::*;

use crate::bears::bear_cards::BearCards;
use crate::bears::collect_count::CollectCount;
use crate::bears::projector_spotlight::ProjectorSpotlight;
use crate::bears::projector_summary::ProjectorSummary;
use crate::bears::wall_card::WallCard;
use crate::bears::{BOARD, phase_name, phase_of, progress, wall};
use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::workshop::use_session;

/// The projector while the bear block runs: the count while collecting, the wall, the
/// spotlighted bear while shooting, the summary once closed. Never a participant's name
/// while the wall is anonymous; the progress is always in view once the wall is revealed.
#[component]
pub fn BearWallView() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let phase = Memo::new(move |_| session.with(phase_of).unwrap_or_default());
    provide_context(BearCards::new(session, None));
    let counts = Memo::new(move |_| session.with(progress).unwrap_or_default());
    let roots = Memo::new(move |_| session.with(|w| wall(w).roots).unwrap_or_default());
    let voting_budget = Memo::new(move |_| {
        session
            .with(|w| w.open_round(BOARD).map(|(_, r)| r.budget))
            .flatten()
    });
    let status = move || {
        let t = t();
        match (phase.get(), voting_budget.get()) {
            (BearPhase::Vote, Some(budget)) => (t.bears.projector_voting)(budget),
            (p, _) => phase_name(t.phone, p).to_owned(),
        }
    };
    let progress_text = move || {
        let c = counts.get();
        let b = t().phone.bears;
        if c.total == 0 {
            (b.count_in)(0)
        } else {
            (b.progress)(&c)
        }
    };
    let body = move || match phase.get() {
        BearPhase::Collect => view! { <CollectCount /> }.into_any(),
        BearPhase::Shoot => view! { <ProjectorSpotlight /> }.into_any(),
        BearPhase::Closed => view! { <ProjectorSummary /> }.into_any(),
        BearPhase::Reveal | BearPhase::Cluster | BearPhase::Vote => view! {
            <ul class="bear-wall__cards">
                <For each=move || roots.get() key=|id| id.clone() let:id>
                    <WallCard id=id />
                </For>
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="bear-wall" aria-labelledby="bear-wall-heading">
            <div class="bear-wall__head">
                <h2 id="bear-wall-heading" class="bear-wall__status" data-testid="bear-wall-status">
                    <span class="visually-hidden">{tr(|t| t.activity_bears)}": "</span>
                    {status}
                </h2>
                <Show when=move || phase.get() != BearPhase::Collect>
                    <p class="bear-wall__progress" data-testid="bear-progress">{progress_text}</p>
                </Show>
            </div>
            {body}
        </section>
    }
    .into_any()
}
