use bijeen_core::{Activity, Workshop};
use leptos::prelude::*;

use crate::ui::DownloadBanner;

use crate::adapters::download::{DownloadError, download_text, file_name};
use crate::i18n::use_i18n;
use crate::outcomes::core_lang;
use crate::ui::tr;
use crate::workshop::use_session;

/// Whether the closing block runs: the running block is the agreements block, or the
/// last block of the agenda.
fn closing_block_runs(w: &Workshop) -> bool {
    let Some(current) = w.timer.current.as_ref() else {
        return false;
    };
    let blocks = w.blocks_in_order();
    let is_last = blocks.last().is_some_and(|(id, _)| *id == current);
    let is_agreements = w
        .block(current)
        .is_some_and(|b| *b.activity == Activity::Agreements);
    is_last || is_agreements
}

/// The participant's practical assignment (when the closing block runs) and own export.
#[component]
pub fn ParticipantOutcomes() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let assignment = Memo::new(move |_| {
        session
            .with(|w| {
                (closing_block_runs(w) && !w.meta.practical_assignment.is_empty())
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
                <h2 id="oc-assignment-heading">{tr(|t| t.outcomes.practical_heading)}</h2>
                <p class="oc-assignment__text">{text}</p>
            </section>
        })}
        <section class="panel oc-my-export" aria-labelledby="oc-my-export-heading">
            <h2 id="oc-my-export-heading">{tr(|t| t.outcomes.my_export_heading)}</h2>
            <p class="hint">{tr(|t| t.outcomes.my_export_hint)}</p>
            <button type="button" on:click=export>{tr(|t| t.outcomes.my_export_button)}</button>
            <DownloadBanner outcome=outcome />
        </section>
    }
    .into_any()
}
