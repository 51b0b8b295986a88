use bijeen_core::{Category, Command};
use leptos::prelude::*;

use crate::brainstorm::{BOARD, category_class, category_key, category_name};
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot, tr_phone};
use crate::workshop::me::Me;
use crate::workshop::use_session;

/// A new note in my theme group: one of the four named, colour-coded categories and the
/// text. A refusal (empty, board closed) is shown under the button.
#[component]
pub fn NoteForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = expect_context::<Me>();
    let runner = Runner::from_context();
    let error = error_slot();
    let text = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Netwerkpartner);
    let board_open = Memo::new(move |_| session.with(|w| w.accepts_notes(BOARD)).unwrap_or(false));
    // A refusal is about the note it refused: gone once the next one is being written,
    // and one given while the board was closed gone once the board is open again.
    let refused_while_closed = RwSignal::new(false);
    let shown_error = move || {
        error
            .get()
            .filter(|_| !(board_open.get() && refused_while_closed.get()))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let group = me.0.get_untracked().and_then(|me| {
            session
                .with(|w| w.default_group_for(&me).cloned())
                .flatten()
        });
        runner.run_into(
            error,
            Command::AddNote {
                board: BOARD,
                group,
                category: Some(category.get_untracked()),
                text: text.get_untracked().trim().to_owned(),
                colour: None,
            },
        );
        if error.get_untracked().is_none() {
            text.set(String::new());
        } else {
            refused_while_closed.set(!board_open.get_untracked());
        }
    };
    view! {
        <form class="panel note-form" on:submit=submit>
            <h2>{tr_phone(|t| t.bs_add_note_heading)}</h2>
            <Show when=move || !board_open.get()>
                <p class="hint">{tr_phone(|t| t.bs_board_closed_hint)}</p>
            </Show>
            <fieldset class="note-form__categories">
                <legend>{tr_phone(|t| t.bs_category_label)}</legend>
                {Category::ALL.into_iter().map(|c| {
                    let id = format!("new-note-cat-{}", category_key(c));
                    view! {
                        <div class=format!("category-choice {}", category_class(Some(c)))>
                            <input type="radio" name="new-note-category" id=id.clone() value=category_key(c)
                                prop:checked=move || category.get() == c
                                on:change=move |_| category.set(c) />
                            <label for=id>{move || category_name(i18n.phone(), c)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="new-note-text">{tr_phone(|t| t.bs_note_text_label)}</label>
                <textarea id="new-note-text" rows="3" maxlength="500"
                    prop:value=move || text.get() on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        error.set(None);
                    }></textarea>
            </div>
            <button type="submit" class="primary big">{tr_phone(|t| t.bs_add_note)}</button>
            <p class="field-error" role="alert" data-testid="note-form-error">{shown_error}</p>
        </form>
    }
    .into_any()
}
