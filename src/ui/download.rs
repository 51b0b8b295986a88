//! Downloading the workshop on screen.

use bijeen_core::Doc;
use bijeen_core::report::file_name;
use leptos::prelude::*;

use crate::adapters::clock::{iso_time, now_ms};
use crate::adapters::download::{DownloadError, download_text};

/// Downloads `doc` as a `bijeen/1` JSON file named after its title and date; returns the
/// file name.
pub fn download_json(doc: &Doc) -> Result<String, DownloadError> {
    let exported_at = iso_time(now_ms());
    let meta = &doc.workshop().meta;
    let json = bijeen_core::export::export_json(doc, &exported_at);
    let name = file_name(&meta.title.value, &meta.date.value, "json");
    download_text(&name, "application/json", &json).map(|()| name)
}

/// What the last download did, said in words next to its button.
#[component]
pub fn DownloadBanner(outcome: RwSignal<Option<Result<String, DownloadError>>>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let t = move || i18n.phone();
    view! {
        <div aria-live="polite">
            {move || outcome.get().map(|result| match result {
                Ok(name) => view! { <p class="banner banner--ok">{(t().outcomes.downloaded)(&name)}</p> }.into_any(),
                Err(_) => view! { <p class="banner banner--problem" role="alert">{t().outcomes.download_failed}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}
