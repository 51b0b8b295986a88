//! Downloading the workshop on screen.

use bijeen_core::Doc;

use crate::adapters::clock::{iso_time, now_ms};
use crate::adapters::download::{DownloadError, download_text, file_name};

/// Downloads `doc` as a `bijeen/1` JSON file named after its title and date; returns the
/// file name.
pub fn download_json(doc: &Doc) -> Result<String, DownloadError> {
    let exported_at = iso_time(now_ms());
    let meta = &doc.workshop().meta;
    let json = bijeen_core::export::export_json(doc, &exported_at);
    let name = file_name(&meta.title.value, &meta.date.value, "json");
    download_text(&name, "application/json", &json).map(|()| name)
}
