use leptos::prelude::*;

use crate::bears::wall_card::WallCard;
use crate::bears::{BOARD, snapshot};
use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::workshop::use_session;

/// The shoot phase on the projector: the one bear (or cluster) in the spotlight, large,
/// with its cluster's bears, and the answer or action once recorded.
#[component]
pub fn ProjectorSpotlight() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let spotlight = Memo::new(move |_| {
        session
            .with(|w| {
                w.bear_wall
                    .spotlight
                    .value
                    .clone()
                    .filter(|id| w.note(id).is_some_and(|n| n.board == BOARD))
            })
            .flatten()
    });
    let outcome = Memo::new(move |_| {
        spotlight
            .get()
            .and_then(|id| session.with(|w| snapshot(w, &id, &[])).flatten())
            .map(|s| (s.answer, s.actions))
    });
    let answer = move || outcome.with(|o| o.as_ref().map(|o| o.0.clone()).unwrap_or_default());
    let actions = move || outcome.with(|o| o.as_ref().map(|o| o.1.clone()).unwrap_or_default());
    view! {
        <div class="bear-spotlight" data-testid="bear-spotlight">
            {move || match spotlight.get() {
                Some(id) => view! {
                    <ul class="bear-spotlight__card">
                        <WallCard id=id large=true />
                    </ul>
                    <Show when=move || !answer().is_empty()>
                        <p class="bear-spotlight__answer"><strong>{tr(|t| t.phone.bears.answer_label)}": "</strong>{answer}</p>
                    </Show>
                    <For each=actions key=|a| a.text.clone() let:action>
                        <p class="bear-spotlight__answer"><strong>{tr(|t| t.phone.bears.action_label)}": "</strong>
                            {move || (t().phone.bears.action_line)(&action.text, &action.owner, action.due.as_deref())}</p>
                    </For>
                }
                .into_any(),
                None => view! { <p class="bear-spotlight__waiting">{tr(|t| t.bears.projector_waiting)}</p> }.into_any(),
            }}
        </div>
    }
    .into_any()
}
