use leptos::prelude::*;

use crate::bears::BOARD;
use crate::i18n::use_i18n;
use crate::ui::tr;
use crate::workshop::use_session;

/// While the wall collects the projector shows only how many bears are in, never what
/// they say: a worry is written more freely when nobody can read along.
#[component]
pub fn CollectCount() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let count = Memo::new(move |_| session.with(|w| w.notes_in_order(BOARD).len()).unwrap_or(0));
    view! {
        <div class="bear-count" role="status">
            <p class="bear-count__number" data-testid="bear-count">{move || count.get()}</p>
            <p class="bear-count__label">{move || (i18n.t().bears.count_label)(count.get())}</p>
            <p class="bear-count__hint">{tr(|t| t.bears.collect_hint)}</p>
        </div>
    }
    .into_any()
}
