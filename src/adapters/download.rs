//! Saving a text file to the user's downloads: a Blob, an object URL, a click on a
//! temporary link, and the URL released again.

use wasm_bindgen::JsCast;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("the browser refused to create the file")]
    BlobRefused,
    #[error("there is no document to download from")]
    NoDocument,
}

pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadError::BlobRefused)?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::BlobRefused)?;
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or(DownloadError::NoDocument)?;
    let link = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or(DownloadError::NoDocument)?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Opens the browser's print dialog (where "Save as PDF" lives).
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        // A browser without printing has nothing to report back.
        let _ = window.print();
    }
}
