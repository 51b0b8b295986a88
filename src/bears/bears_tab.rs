use bijeen_core::{BearPhase, NoteId};
use leptos::prelude::*;

use crate::bears::bear_card::BearCard;
use crate::bears::bear_cards::BearCards;
use crate::bears::phase_controls::PhaseControls;
use crate::bears::shoot_panel::ShootPanel;
use crate::bears::{phase_of, wall};
use crate::ui::tr;
use crate::workshop::use_session;

/// What the console's bear cards share: the wall's shape, the phase, and the bear being
/// stacked (picked with "Stack…", dropped with "Stack here").
#[derive(Clone, Copy)]
pub struct BearsContext {
    pub cards: BearCards,
    pub phase: Memo<BearPhase>,
    pub spotlight: Signal<Option<NoteId>>,
    pub stacking: RwSignal<Option<NoteId>>,
}

/// The console tab "Beren": phases, moderation, clustering and shooting.
#[component]
pub fn BearsTab() -> impl IntoView {
    let session = use_session();
    let wall = Memo::new(move |_| session.with(wall).unwrap_or_default());
    let phase = Memo::new(move |_| session.with(phase_of).unwrap_or_default());
    let stacking = RwSignal::new(None::<NoteId>);
    provide_context(BearsContext {
        cards: BearCards::new(session, None),
        phase,
        spotlight: session.select(None, |w| w.bear_wall.spotlight.value.clone()),
        stacking,
    });
    let shooting = move || phase.get() == BearPhase::Shoot;
    let empty = move || wall.with(|w| w.roots.is_empty());
    view! {
        <div class="bears-tab">
            <PhaseControls />
            <Show when=shooting>
                <ShootPanel />
            </Show>
            <section class="bears-list" aria-labelledby="bears-list-heading">
                <h2 id="bears-list-heading">{tr(|t| t.bears.list_heading)}</h2>
                <Show when=move || stacking.get().is_some()>
                    <p class="banner banner--ok" role="status">
                        {tr(|t| t.bears.stacking_hint)}
                        " "
                        <button type="button" on:click=move |_| stacking.set(None)>{tr(|t| t.phone.cancel_button)}</button>
                    </p>
                </Show>
                <Show when=empty>
                    <p class="empty">{tr(|t| t.bears.none_yet)}</p>
                </Show>
                <ul class="bears-list__items">
                    <For each=move || wall.with(|w| w.roots.clone()) key=|id| id.clone() let:id>
                        <BearCard id=id />
                    </For>
                </ul>
            </section>
        </div>
    }
    .into_any()
}
