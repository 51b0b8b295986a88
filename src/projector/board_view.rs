use std::collections::HashSet;

use bijeen_core::NoteId;
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::{BOARD, BoardLayout, BoardNotes, layout, results_shown};
use crate::i18n::{I18n, use_i18n};
use crate::projector::board_column::BoardColumn;
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// Above this many notes in a column, its notes are split over plain lists instead of
/// balanced CSS columns (see the density below).
const LONGEST_BALANCED_COLUMN: usize = 100;

/// What the projector's board cards share (one context for a card to look up, not five).
#[derive(Clone, Copy)]
pub struct BoardContext {
    pub i18n: I18n,
    pub session: WorkshopSession,
    pub notes: BoardNotes,
    pub board_layout: BoardLayout,
    /// Vote counts are shown once voting is closed (not while people are still voting).
    pub results: Signal<bool>,
    /// False while the board's first render is built: only notes that arrive later get
    /// the "new" highlight.
    pub ready: StoredValue<bool>,
    /// Notes this board has shown (filled when `ready` turns true, then by each new card):
    /// a note that moves to another list is drawn anew there, and is not new.
    pub seen: StoredValue<HashSet<NoteId>>,
    /// Lists per theme group (see `BoardColumn`).
    pub lists: Memo<usize>,
}

/// The brainstorm board on the big screen: one column per theme group, notes hidden by
/// the facilitator left out, others' notes withheld until reveal, results once voting
/// closed (sorted by votes), stacks as one card.
#[component]
pub fn BoardView() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Signals set only when their value changes (not memos of the workshop), so a new
    // note does not wake every card that reads them.
    let results = session.select(false, results_shown);
    let board_layout = BoardLayout::new(session, |w, order| {
        let revealed = w.is_revealed(BOARD);
        layout(w, order, results_shown(w), false, |_, note| {
            revealed && !*note.hidden
        })
    });
    let notes = BoardNotes::new(session, None);
    let columns = board_layout.columns();
    let fullest = board_layout.fullest();
    // Notes as large as the fullest column allows: a few notes are readable from the
    // back of the room; sixty still fit on one 1920×1080 screen. Notes flow down the
    // sub-columns, so the height a column needs is about its count / `sub` notes.
    let density = Memo::new(move |_| {
        let most = fullest.get();
        columns.with(|columns| {
            let (sub, size): (u32, f64) = match most {
                0..=4 => (1, 3.6),
                5..=8 => (2, 3.0),
                9..=14 => (2, 2.4),
                15..=24 => (3, 1.9),
                25..=40 => (4, 1.6),
                _ => (5, 1.3),
            };
            // Four or more columns are narrower: one sub-column fewer and a smaller font
            // would both cost height, so only the font shrinks (a little).
            let (sub, size) = if columns.len() <= 3 {
                (sub, size)
            } else {
                (sub.min(4), size * 0.85)
            };
            // A column that fits on the screen is one list the browser balances over
            // `sub` CSS columns. A longer one runs off the screen anyway, and balancing
            // a few hundred notes took the browser longer than drawing them: it is split
            // into `sub` plain lists of even length instead.
            let lists = if most > LONGEST_BALANCED_COLUMN {
                sub as usize
            } else {
                1
            };
            (sub, size, lists)
        })
    });
    let ready = StoredValue::new(false);
    let seen = StoredValue::new(HashSet::new());
    request_animation_frame(move || {
        ready.set_value(true);
        // Every note of the first render counts as seen (one pass here instead of a
        // thousand inserts while that render is built).
        board_layout.with_untracked(|l| {
            seen.update_value(|seen: &mut HashSet<NoteId>| {
                seen.extend(l.columns.iter().flat_map(|c| c.roots.iter().cloned()));
            });
        });
    });
    provide_context(BoardContext {
        i18n,
        session,
        notes,
        board_layout,
        results,
        ready,
        seen,
        lists: Memo::new(move |_| density.get().2),
    });
    // CSS columns per list: `auto` (none) when the notes are split over lists.
    let css_columns = move || {
        let (sub, _, lists) = density.get();
        if lists == 1 {
            sub.to_string()
        } else {
            "auto".to_owned()
        }
    };
    let status = move || {
        session
            .with(|w| {
                let t = i18n.t();
                if let Some((_, round)) = w.open_round(BOARD) {
                    (t.bs_projector_voting)(round.budget)
                } else if !w.is_revealed(BOARD) {
                    t.bs_projector_hidden.to_owned()
                } else if *w.board(BOARD).open {
                    t.bs_projector_open.to_owned()
                } else {
                    String::new()
                }
            })
            .unwrap_or_default()
    };
    view! {
        <section class="board" aria-labelledby="board-heading"
            style:--note-size=move || format!("{:.1}vh", density.get().1)
            style:--sub=css_columns>
            <h2 id="board-heading" class="board__status" data-testid="board-projector-status">
                <span class="visually-hidden">{tr(|t| t.activity_brainstorm)}": "</span>
                {status}
            </h2>
            <div class="board__columns" style:--columns=move || columns.with(Vec::len).to_string()>
                <For each=move || columns.get() key=|g| g.clone() let:group>
                    <BoardColumn group=group />
                </For>
            </div>
        </section>
    }
    .into_any()
}
