use bijeen_core::{NoteId, Role};
use leptos::prelude::*;

use crate::ui::tr_phone;

use crate::brainstorm::{BOARD, BoardNotes, results_shown};
use crate::i18n::use_i18n;
use crate::participant::participant_note::{ParticipantNote, RoundState};
use crate::workshop::me::Me;
use crate::workshop::use_session;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Visible {
    notes: Vec<NoteId>,
    /// Other participants' notes in my group that wait for the reveal.
    withheld: usize,
}

/// The notes of my theme group that I may see: mine always, the others' once revealed
/// (and not hidden by the facilitator). After voting closes, the most-voted come first.
#[component]
pub fn GroupNotes() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.phone();
    let session = use_session();
    let me = expect_context::<Me>();
    let visible = Memo::new(move |_| {
        let Some(me) = me.id() else {
            return Visible::default();
        };
        session
            .with(|w| {
                let group = w
                    .participant(&me)
                    .and_then(|p| p.group.as_ref())
                    .filter(|g| w.group(g).is_some());
                let mut out = Visible::default();
                for (id, note) in w.notes_in_order(BOARD) {
                    if w.note_group(id) != group {
                        continue;
                    }
                    if w.visible_to(id, &me, Role::Participant) {
                        out.notes.push(id.clone());
                    } else if !*note.hidden {
                        out.withheld += 1;
                    }
                }
                if results_shown(w) {
                    out.notes
                        .sort_by_cached_key(|id| std::cmp::Reverse(w.vote_total(id)));
                }
                out
            })
            .unwrap_or_default()
    });
    provide_context(BoardNotes::new(session, Some(me.0)));
    provide_context(RoundState::new(session));
    let withheld = move || visible.with(|v| v.withheld);
    view! {
        <section class="group-notes" aria-labelledby="group-notes-heading">
            <h2 id="group-notes-heading">{tr_phone(|t| t.bs_group_notes_heading)}</h2>
            <Show when=move || withheld() != 0>
                <p class="hint" data-testid="withheld">{move || (t().bs_withheld)(withheld())}</p>
            </Show>
            <Show when=move || visible.with(|v| v.notes.is_empty())>
                <p class="empty">{tr_phone(|t| t.bs_no_notes_yet)}</p>
            </Show>
            <ul class="group-notes__list">
                <For each=move || visible.with(|v| v.notes.clone()) key=|id| id.clone() let:id>
                    <ParticipantNote id=id />
                </For>
            </ul>
        </section>
    }
    .into_any()
}
