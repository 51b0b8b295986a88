use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::modal::Modal;
use crate::ui::problem_banner::storage_text;
use crate::ui::{DownloadBanner, download_json};
use crate::workshop::library::{self, Entry};

/// Asks before deleting and offers the JSON export first: a deleted workshop is gone.
/// A modal `<dialog>` keeps focus inside it and closes on Escape.
#[component]
pub fn DeleteDialog(entry: Entry, on_close: Callback<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    // What went wrong, said in the dialog: it stays open, nothing was deleted.
    let exported = RwSignal::new(None);
    let failed = RwSignal::new(None::<String>);
    let id = entry.id.clone();
    let export = move |_| match LocalStore::open()
        .map_err(library::LoadError::from)
        .and_then(|store| library::load(&store, &id, library::window_actor()))
    {
        Ok(Some(doc)) => exported.set(Some(download_json(&doc))),
        Ok(None) => failed.set(Some(i18n.t().phone.workshop_not_found.to_owned())),
        Err(library::LoadError::Damaged(reason)) => failed.set(Some(format!(
            "{} ({reason})",
            i18n.t().phone.workshop_damaged
        ))),
        Err(library::LoadError::Storage(error)) => {
            failed.set(Some(storage_text(i18n.t().phone, &error).to_owned()))
        }
    };
    let id = entry.id.clone();
    let delete = move |_| match LocalStore::open().and_then(|store| library::delete(&store, &id)) {
        Ok(()) => on_close.run(true),
        Err(error) => failed.set(Some(storage_text(i18n.t().phone, &error).to_owned())),
    };
    let title = if entry.title.is_empty() {
        i18n.t().untitled.to_owned()
    } else {
        entry.title.clone()
    };
    view! {
        <Modal open=true labelled_by="delete-title" on_close=Callback::new(move |()| on_close.run(false))>
            <h2 id="delete-title">{tr(|t| t.delete_dialog_title)}</h2>
            <p>{move || (t().delete_dialog_text)(&title)}</p>
            <div class="dialog__actions">
                <button type="button" on:click=export>
                    {tr(|t| t.export_first_button)}
                </button>
                <button type="button" class="danger" on:click=delete>
                    {tr(|t| t.delete_confirm_button)}
                </button>
                <button type="button" autofocus on:click=move |_| on_close.run(false)>
                    {tr(|t| t.phone.cancel_button)}
                </button>
            </div>
            <DownloadBanner outcome=exported />
            <p class="field-error" role="alert">{move || failed.get()}</p>
        </Modal>
    }
}
