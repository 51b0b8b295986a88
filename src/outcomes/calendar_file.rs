use leptos::prelude::*;

use crate::adapters::download::DownloadError;
use crate::i18n::use_i18n;
use crate::outcomes::download_ics;
use crate::ui::tr;
use crate::workshop::use_session;

/// The Export tab's calendar file: the follow-up actions with an owner and a due date as
/// `.ics`, with how many there are now. Without any, the button says it is unavailable
/// (`aria-disabled`, so it stays in the tab order with its explanation) and a click tells
/// why in words instead of downloading an empty calendar.
#[component]
pub fn CalendarFile(outcome: RwSignal<Option<Result<String, DownloadError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let count = session.select(0, |w| bijeen_core::ics::calendar_actions(w).len());
    let none = move || count.get() == 0;
    // Whether a click found nothing to put in a calendar; shown only while that is so.
    let tried_empty = RwSignal::new(false);
    let download = move |_| {
        if count.get_untracked() == 0 {
            outcome.set(None);
            tried_empty.set(true);
            return;
        }
        tried_empty.set(false);
        let lang = i18n.lang();
        let id = session.id();
        outcome.set(session.with(|w| download_ics(w, &id, lang)));
    };
    view! {
        <li>
            <button type="button" on:click=download aria-describedby="oc-ics-hint"
                aria-disabled=move || none().then_some("true")>
                {tr(|t| t.outcomes.ics_button)}
            </button>
            <p id="oc-ics-hint" class="hint">{move || (t().outcomes.ics_hint)(count.get())}</p>
            <p class="oc-export__nothing" role="status">
                {move || (tried_empty.get() && none()).then(|| t().outcomes.ics_nothing)}
            </p>
        </li>
    }
    .into_any()
}
