use bijeen_core::export::{ImportError, ImportErrorKind, import_json};
use leptos::prelude::*;

use crate::ui::tr;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::adapters::clock::now_ms;
use crate::adapters::storage::LocalStore;
use crate::i18n::use_i18n;
use crate::ui::problem_banner::storage_text;
use crate::workshop::library;

/// The largest file the core accepts; checked before reading so a huge file never has to
/// be loaded into memory just to be refused.
const MAX_IMPORT_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Imported(String),
    Refused(Vec<ImportError>),
    NotSaved(&'static str),
}

/// Imports a JSON export as a new workshop; a bad file lists every problem the core found
/// and touches nothing.
#[component]
pub fn ImportWorkshop(on_imported: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let outcome = RwSignal::new(None::<Outcome>);
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Let the same file be chosen again after it is fixed.
        input.set_value("");
        if file.size() > MAX_IMPORT_BYTES {
            outcome.set(Some(Outcome::Refused(vec![ImportError {
                path: "$".to_owned(),
                kind: ImportErrorKind::TooLarge {
                    bytes: file.size() as usize,
                },
            }])));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default();
            let result = match import_json(&text, library::window_actor()) {
                Err(errors) => Outcome::Refused(errors.0),
                Ok(mut doc) => {
                    let id = library::new_workshop_id();
                    let title = doc.workshop().meta.title.value.clone();
                    match LocalStore::open()
                        .and_then(|store| library::save_new(&store, &id, &mut doc, now_ms()))
                    {
                        Ok(_) => Outcome::Imported(title),
                        Err(error) => Outcome::NotSaved(storage_text(i18n.t().phone, &error)),
                    }
                }
            };
            if matches!(result, Outcome::Imported(_)) {
                on_imported.run(());
            }
            outcome.set(Some(result));
        });
    };
    view! {
        <section class="panel" aria-labelledby="import-heading">
            <h2 id="import-heading">{tr(|t| t.import_heading)}</h2>
            // The browser's own picker button speaks the browser's language ("Choose File"),
            // not the page's: the input is hidden but stays focusable, and its label is the
            // button one sees (Enter or Space on the focused input opens the picker too).
            <div class="file-pick">
                <input
                    id="import-file"
                    class="visually-hidden"
                    type="file"
                    accept="application/json,.json"
                    aria-describedby="import-help"
                    on:change=on_change
                />
                <label for="import-file" class="button file-pick__button">{tr(|t| t.import_label)}</label>
            </div>
            <p id="import-help" class="hint">
                {tr(|t| t.import_help)}
            </p>
            <div aria-live="polite">
                {move || {
                    outcome
                        .get()
                        .map(|outcome| match outcome {
                            Outcome::Imported(title) => {
                                view! { <p class="banner banner--ok">{(t().imported)(&title)}</p> }
                                    .into_any()
                            }
                            Outcome::NotSaved(text) => {
                                view! { <p class="banner banner--problem" role="alert">{text}</p> }
                                    .into_any()
                            }
                            Outcome::Refused(errors) => {
                                view! {
                                    <div class="banner banner--problem import-errors" role="alert">
                                        <p>{(t().import_failed)(errors.len())}</p>
                                        <ul>
                                            {errors
                                                .iter()
                                                .map(|error| view! { <li>{i18n.lang().import_error(error)}</li> })
                                                .collect_view()}
                                        </ul>
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </div>
        </section>
    }
}
