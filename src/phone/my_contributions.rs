use leptos::prelude::*;

use crate::i18n::{Lang, use_i18n};
use crate::phone::use_phone;
use crate::ui::{DownloadBanner, tr_phone};

/// The practical assignment (in the agreements and closing blocks, and once the workshop is
/// finished) and my own contributions as a file, which the relay puts together: it has the
/// workshop, this phone only its view.
#[component]
pub fn MyContributions() -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_phone();
    let assignment = Memo::new(move |_| phone.view.with(|v| v.head.assignment.clone()));
    let offline = RwSignal::new(false);
    let export = move |_| {
        let lang = match i18n.lang() {
            Lang::Nl => bijeen_view::Lang::Nl,
            Lang::En => bijeen_view::Lang::En,
        };
        phone.report.set(None);
        offline.set(!phone.request_report(lang));
    };
    view! {
        {move || assignment.get().map(|text| view! {
            <section class="panel oc-assignment" aria-labelledby="oc-assignment-heading">
                <h2 id="oc-assignment-heading">{tr_phone(|t| t.outcomes.practical_heading)}</h2>
                <p class="oc-assignment__text">{text}</p>
            </section>
        })}
        <section class="panel oc-my-export" aria-labelledby="oc-my-export-heading">
            <h2 id="oc-my-export-heading">{tr_phone(|t| t.outcomes.my_export_heading)}</h2>
            <p class="hint">{tr_phone(|t| t.outcomes.my_export_hint)}</p>
            <button type="button" on:click=export>{tr_phone(|t| t.outcomes.my_export_button)}</button>
            <Show when=move || offline.get()>
                <p class="banner banner--problem" role="alert">{tr_phone(|t| t.relay.report_needs_connection)}</p>
            </Show>
            <DownloadBanner outcome=phone.report />
        </section>
    }
    .into_any()
}
