use leptos::html;
use leptos::prelude::*;

use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::download_json;
use crate::workshop::library::{self, Entry};

/// Asks before deleting and offers the JSON export first: a deleted workshop is gone.
/// A modal `<dialog>` keeps focus inside it and closes on Escape.
#[component]
pub fn DeleteDialog(entry: Entry, on_close: Callback<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    });
    let id = entry.id.clone();
    let export = move |_| {
        if let Ok(store) = LocalStore::open()
            && let Ok(Some(doc)) = library::load(&store, &id, library::window_actor())
        {
            let _ = download_json(&doc);
        }
    };
    let id = entry.id.clone();
    let delete = move |_| {
        let deleted = LocalStore::open()
            .and_then(|store| library::delete(&store, &id))
            .is_ok();
        on_close.run(deleted);
    };
    let title = if entry.title.is_empty() {
        i18n.t().untitled.to_owned()
    } else {
        entry.title.clone()
    };
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            aria-labelledby="delete-title"
            on:cancel=move |_: leptos::ev::Event| on_close.run(false)
        >
            <h2 id="delete-title">{move || t().delete_dialog_title}</h2>
            <p>{move || (t().delete_dialog_text)(&title)}</p>
            <div class="dialog__actions">
                <button type="button" on:click=export>
                    {move || t().export_first_button}
                </button>
                <button type="button" class="danger" on:click=delete>
                    {move || t().delete_confirm_button}
                </button>
                <button type="button" autofocus on:click=move |_| on_close.run(false)>
                    {move || t().cancel_button}
                </button>
            </div>
        </dialog>
    }
}
