use bijeen_core::report::file_name;
use bijeen_core::{PhoneLead, phone_lead};
use leptos::prelude::*;

use crate::adapters::download::{DownloadError, download_text};
use crate::i18n::use_i18n;
use crate::outcomes::core_lang;
use crate::ui::DownloadBanner;
use crate::ui::tr_phone;
use crate::workshop::use_session;

/// The participant's practical assignment (in the agreements and closing blocks, and once
/// the workshop is finished) and own export.
#[component]
pub fn ParticipantOutcomes() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let assignment = Memo::new(move |_| {
        session
            .with(|w| {
                // The agreements and closing blocks, and after the end (the core's rule).
                let closing =
                    matches!(phone_lead(w), PhoneLead::Assignment | PhoneLead::Agreements);
                (closing && !w.meta.practical_assignment.is_empty())
                    .then(|| w.meta.practical_assignment.value.clone())
            })
            .flatten()
    });
    let outcome = RwSignal::new(None::<Result<String, DownloadError>>);
    let export = move |_| {
        let Some(who) = session.with_doc(|doc| doc.principal()) else {
            return;
        };
        let lang = core_lang(i18n.lang());
        let result = session.with(|w| {
            let text = bijeen_core::report::participant_report(w, &who, lang);
            let name = file_name(&w.meta.title, &w.meta.date, "md");
            download_text(&name, "text/markdown;charset=utf-8", &text).map(|()| name)
        });
        outcome.set(result);
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
            <DownloadBanner outcome=outcome />
        </section>
    }
    .into_any()
}
