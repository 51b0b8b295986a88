use leptos::prelude::*;

use crate::adapters::download::DownloadError;
use crate::i18n::use_i18n;
use crate::outcomes::calendar_file::CalendarFile;
use crate::outcomes::{download_csv, download_report};
use crate::ui::tr;
use crate::ui::{DownloadBanner, download_json};
use crate::workshop::use_session;

/// The console tab "Export": JSON, Markdown report, print view, CSV, calendar file.
#[component]
pub fn ExportTab() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // What the last download did, said in words next to the buttons.
    let outcome = RwSignal::new(None::<Result<String, DownloadError>>);
    let json = move |_| {
        outcome.set(session.with_doc(download_json));
    };
    let report = move |_| {
        let lang = i18n.lang();
        outcome.set(session.with(|w| download_report(w, lang)));
    };
    let csv = move |_| {
        let lang = i18n.lang();
        outcome.set(session.with(|w| download_csv(w, lang)));
    };
    let report_href = format!("/w/{}/report", session.id());
    view! {
        <section class="panel oc-export" aria-labelledby="oc-export-heading">
            <h2 id="oc-export-heading">{tr(|t| t.outcomes.export_heading)}</h2>
            <p class="hint">{tr(|t| t.outcomes.export_intro)}</p>
            <ul class="oc-export__list">
                <li>
                    <button type="button" class="primary" on:click=json aria-describedby="oc-json-hint">{tr(|t| t.outcomes.json_button)}</button>
                    <p id="oc-json-hint" class="hint">{tr(|t| t.outcomes.json_hint)}</p>
                </li>
                <li>
                    <button type="button" on:click=report aria-describedby="oc-report-hint">{tr(|t| t.outcomes.report_button)}</button>
                    <p id="oc-report-hint" class="hint">{tr(|t| t.outcomes.report_hint)}</p>
                </li>
                <li>
                    <a href=report_href class="button" aria-describedby="oc-print-hint">{tr(|t| t.outcomes.print_link)}</a>
                    <p id="oc-print-hint" class="hint">{tr(|t| t.outcomes.print_hint)}</p>
                </li>
                <li>
                    <button type="button" on:click=csv aria-describedby="oc-csv-hint">{tr(|t| t.outcomes.csv_button)}</button>
                    <p id="oc-csv-hint" class="hint">{tr(|t| t.outcomes.csv_hint)}</p>
                </li>
                <CalendarFile outcome=outcome />
            </ul>
            <DownloadBanner outcome=outcome />
        </section>
    }
    .into_any()
}
