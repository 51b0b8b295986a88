use bijeen_view::{Intent, NoteView};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::phone::phone_note::PhoneNote;
use crate::phone::use_phone;
use crate::ui::tr_phone;

/// The notes of my theme group that I may see (the relay sends only those: mine always,
/// the others' once revealed and not hidden), most-voted first once results are shown; my
/// notes not yet sent come last, marked as such. While voting is open: my dots left.
#[component]
pub fn GroupNotes() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let phone = use_phone();
    let ids = Memo::new(move |_| {
        phone
            .view
            .with(|v| v.notes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    });
    let withheld = Memo::new(move |_| phone.view.with(|v| v.head.brainstorm.withheld));
    let dots = Memo::new(move |_| phone.view.with(|v| v.head.brainstorm.dots));
    let unsent = Memo::new(move |_| {
        phone.pending.with(|p| {
            p.iter()
                .filter_map(|p| match &p.intent {
                    Intent::AddNote { text, category, .. } => {
                        Some((p.key, text.clone(), category.clone()))
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let empty = move || ids.with(Vec::is_empty) && unsent.with(Vec::is_empty);
    view! {
        {move || dots.get().map(|d| {
            let dots = (0..d.budget).map(|i| if i < d.left { "●" } else { "○" }).collect::<String>();
            view! {
                <p class="votes-left" data-testid="votes-left" role="status">
                    <span class="votes-left__dots" aria-hidden="true">{dots}</span>
                    " "
                    {(t().bs_dots_left)(d.left, d.budget)}
                </p>
            }
        })}
        <section class="group-notes" aria-labelledby="group-notes-heading">
            <h2 id="group-notes-heading">{tr_phone(|t| t.bs_group_notes_heading)}</h2>
            <Show when=move || withheld.get() != 0>
                <p class="hint" data-testid="withheld">{move || (t().bs_withheld)(withheld.get() as usize)}</p>
            </Show>
            <Show when=empty>
                <p class="empty">{tr_phone(|t| t.bs_no_notes_yet)}</p>
            </Show>
            <ul class="group-notes__list">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <PhoneNote id=id />
                </For>
                <For each=move || unsent.get() key=|(key, _, _)| *key let:note>
                    <li class=format!("p-note p-note--mine p-note--unsent {}", crate::brainstorm::category_class(note.2.as_deref().and_then(crate::phone::category_of)))>
                        <span class="badge">{move || i18n.phone().relay.not_sent_yet}</span>
                        <p class="p-note__text">{note.1.clone()}</p>
                    </li>
                </For>
            </ul>
        </section>
    }
    .into_any()
}

/// One note of the view, by id (a card updates only when its own note changed).
pub fn note_signal(id: String) -> Memo<Option<NoteView>> {
    let phone = use_phone();
    Memo::new(move |_| {
        phone
            .view
            .with(|v| v.notes.iter().find(|n| n.id == id).cloned())
    })
}
