use leptos::prelude::*;

use crate::brainstorm::BOARD;
use crate::i18n::use_i18n;
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// While voting is open: how many dots are left, as words and as dots.
#[component]
pub fn VotesLeft() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = expect_context::<Me>();
    let left = Memo::new(move |_| {
        let me = me.id()?;
        session
            .with(|w| {
                w.open_round(BOARD).map(|(id, round)| {
                    let used = w.votes_used(id, &me);
                    (round.budget.saturating_sub(used), round.budget)
                })
            })
            .flatten()
    });
    move || {
        left.get().map(|(left, budget)| {
            let dots = (0..budget)
                .map(|i| if i < left { "●" } else { "○" })
                .collect::<String>();
            view! {
                <p class="votes-left" data-testid="votes-left" role="status">
                    <span class="votes-left__dots" aria-hidden="true">{dots}</span>
                    " "
                    {(i18n.phone().bs_dots_left)(left, budget)}
                </p>
            }
        })
    }
}
