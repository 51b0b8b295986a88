use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::clock::{local_date_time, now_ms};
use crate::adapters::storage::{LocalStore, StorageError};
use crate::home::delete_dialog::DeleteDialog;
use crate::i18n::use_i18n;
use crate::ui::download_json;
use crate::ui::problem_banner::storage_text;
use crate::workshop::library::{self, Entry, LoadError};

/// The stored workshops with open, duplicate and delete.
#[component]
pub fn WorkshopList(
    #[prop(into)] entries: Signal<Vec<Entry>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let deleting = RwSignal::new(None::<Entry>);

    let problem = RwSignal::new(None::<&'static str>);
    let duplicate = move |entry: &Entry| {
        let t = i18n.t();
        match duplicate_workshop(entry, t.copy_suffix) {
            Ok(()) => {
                problem.set(None);
                on_change.run(());
            }
            Err(DuplicateError::Storage(error)) => problem.set(Some(storage_text(t.phone, &error))),
            Err(DuplicateError::Unreadable) => problem.set(Some(t.phone.workshop_damaged)),
        }
    };

    // Export straight from the list: the organiser need not open the console for it.
    let export = move |entry: &Entry| {
        let t = i18n.t();
        let result = LocalStore::open()
            .map_err(|error| storage_text(t.phone, &error))
            .and_then(
                |store| match library::load(&store, &entry.id, library::window_actor()) {
                    Ok(Some(doc)) => {
                        download_json(&doc).map_err(|_| t.phone.outcomes.download_failed)
                    }
                    Ok(None) | Err(LoadError::Damaged(_)) => Err(t.phone.workshop_damaged),
                    Err(LoadError::Storage(error)) => Err(storage_text(t.phone, &error)),
                },
            );
        problem.set(result.err());
    };

    view! {
        <Show
            when=move || !entries.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{tr(|t| t.home_no_workshops)}</p> }
        >
            <table class="workshop-list">
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.column_title)}</th>
                        <th scope="col">{tr(|t| t.column_date)}</th>
                        <th scope="col">{tr(|t| t.column_changed)}</th>
                        <th scope="col">{tr(|t| t.column_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || entries.get()
                        key=|entry| (entry.id.clone(), entry.updated_ms, entry.title.clone())
                        children=move |entry| {
                            let title = if entry.title.is_empty() {
                                i18n.t().untitled.to_owned()
                            } else {
                                entry.title.clone()
                            };
                            let hidden_title = title.clone();
                            let changed = entry.updated_ms;
                            let for_duplicate = entry.clone();
                            let for_delete = entry.clone();
                            let for_export = entry.clone();
                            let report_title = title.clone();
                            let export_title = title.clone();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/w/{}", entry.id)>{title}</a>
                                    </th>
                                    <td>{entry.date.clone()}</td>
                                    <td>{move || local_date_time(changed, i18n.lang().tag())}</td>
                                    <td class="row-actions">
                                        <a href=format!("/w/{}", entry.id) class="button">
                                            {tr(|t| t.open_button)}
                                            <span class="visually-hidden">": " {hidden_title.clone()}</span>
                                        </a>
                                        <button type="button" on:click=move |_| export(&for_export)>
                                            {tr(|t| t.export_json_button)}
                                            <span class="visually-hidden">": " {export_title.clone()}</span>
                                        </button>
                                        <a href=format!("/w/{}/report", entry.id) class="button">
                                            {tr(|t| t.outcomes.report_link)}
                                            <span class="visually-hidden">": " {report_title.clone()}</span>
                                        </a>
                                        <button type="button" on:click=move |_| duplicate(&for_duplicate)>
                                            {tr(|t| t.duplicate_button)}
                                        </button>
                                        <button
                                            type="button"
                                            class="danger"
                                            on:click=move |_| deleting.set(Some(for_delete.clone()))
                                        >
                                            {tr(|t| t.phone.delete_button)}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </Show>
        {move || problem.get().map(|text| view! { <p class="banner banner--problem" role="alert">{text}</p> })}
        {move || {
            deleting
                .get()
                .map(|entry| {
                    view! {
                        <DeleteDialog
                            entry=entry
                            on_close=Callback::new(move |deleted: bool| {
                                deleting.set(None);
                                if deleted {
                                    on_change.run(());
                                }
                            })
                        />
                    }
                })
        }}
    }
}

enum DuplicateError {
    Storage(StorageError),
    /// The stored workshop cannot be read back, so there is nothing to copy.
    Unreadable,
}

/// Copies a stored workshop under a new id: its export re-imported, so the copy has the
/// same content and a history of its own.
fn duplicate_workshop(entry: &Entry, copy_suffix: &str) -> Result<(), DuplicateError> {
    let store = LocalStore::open().map_err(DuplicateError::Storage)?;
    let actor = library::window_actor();
    let original = match library::load(&store, &entry.id, actor.clone()) {
        Ok(Some(doc)) => doc,
        Ok(None) | Err(LoadError::Damaged(_)) => return Err(DuplicateError::Unreadable),
        Err(LoadError::Storage(error)) => return Err(DuplicateError::Storage(error)),
    };
    let json = bijeen_core::export::export_json(&original, "");
    let mut copy =
        bijeen_core::export::import_json(&json, actor).map_err(|_| DuplicateError::Unreadable)?;
    let title = format!("{}{copy_suffix}", entry.title);
    // A title the core refuses (too long with the suffix) leaves the original title.
    let _ = copy.execute(
        &bijeen_core::Command::SetTitle(title),
        bijeen_core::Role::Facilitator,
        now_ms(),
    );
    library::save_new(&store, &library::new_workshop_id(), &mut copy, now_ms())
        .map(|_| ())
        .map_err(DuplicateError::Storage)
}
