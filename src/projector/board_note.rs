use bijeen_core::NoteId;
use leptos::prelude::*;

use crate::brainstorm::{category_class, category_name};
use crate::logic::fit_text::{with_soft_hyphens, word_em_css};
use crate::projector::board_view::BoardContext;

/// One note (or a cluster: the root with its stacked notes) on the projector. It reads its
/// own note and its own stack, each a signal woken only when that one changes, and draws
/// its content in one piece: a card changes rarely, so a few reactive nodes per card (a
/// thousand cards on a full board) beat fine-grained updates inside it.
#[component]
pub fn BoardNote(id: NoteId, cluster: bool) -> impl IntoView + use<> {
    let ctx = expect_context::<BoardContext>();
    let BoardContext { i18n, session, .. } = ctx;
    // New on this board: not drawn in its first render, and not a note that moved to
    // another list (it is drawn anew there).
    let fresh = ctx.ready.get_value()
        && ctx
            .seen
            .try_update_value(|seen| seen.insert(id.clone()))
            .unwrap_or(false);
    let note = ctx.notes.note(&id);
    // Only a cluster watches its stack (a note that becomes one is drawn anew).
    let stacked = cluster.then(|| ctx.board_layout.stack(&id));
    let data_note = id.as_str().to_owned();
    // The whole card in one piece: a card changes rarely, and one reactive node per card
    // (not one per part) keeps drawing a thousand of them fast.
    move || {
        let t = i18n.t();
        let stack = stacked.map(|s| s.get()).unwrap_or_default();
        let n = note.get()?;
        // One class string: a reactive `class=` beside `class:` toggles drops the toggles
        // whenever it is set again.
        let mut class = format!("board-note {}", category_class(n.category));
        if fresh {
            class.push_str(" board-note--new");
        }
        if !stack.is_empty() {
            class.push_str(" board-note--cluster");
        }
        let votes = ctx.results.get().then(|| {
            // Only a cluster reads its stacked notes' votes from the workshop.
            let stacked_votes = if stack.is_empty() {
                0
            } else {
                session
                    .with(|w| stack.iter().map(|n| w.vote_total(n)).sum::<u32>())
                    .unwrap_or(0)
            };
            view! { <p class="board-note__votes" data-testid="votes">{(t.phone.bs_votes)(n.votes + stacked_votes)}</p> }
        });
        let children = (!stack.is_empty()).then(|| {
            view! {
                <ul class="board-note__stack">
                    {stack.into_iter().map(|child| view! { <StackedText id=child /> }).collect_view()}
                </ul>
            }
        });
        // Typed (not `into_any`): no boxing per card.
        Some(view! {
            <li class=class data-note=data_note.clone()>
                {(!n.cluster_title.is_empty()).then(|| view! {
                    <p class="board-note__cluster" style:--word-em=word_em_css(&n.cluster_title, true, CLUSTER_LETTER_SPACING_EM)>{with_soft_hyphens(&n.cluster_title)}</p>
                })}
                {n.category.map(|c| view! { <span class="category-badge">{category_name(t.phone, c)}</span> })}
                <p class="board-note__text" style:--word-em=word_em_css(&n.text, false, 0.0)>{with_soft_hyphens(&n.text)}</p>
                {children}
                {votes}
            </li>
        })
    }
}

/// The cluster title's `letter-spacing` in the stylesheet, so its width is estimated right.
const CLUSTER_LETTER_SPACING_EM: f32 = 0.02;

/// A note stacked under a cluster's root: its text and category.
#[component]
fn StackedText(id: NoteId) -> impl IntoView {
    let BoardContext { i18n, notes, .. } = expect_context::<BoardContext>();
    let note = notes.note(&id);
    let content = move || {
        let id = id.as_str().to_owned();
        note.with(|n| {
            let category = n.as_ref().and_then(|n| n.category);
            let text = n.as_ref().map(|n| n.text.clone()).unwrap_or_default();
            let word_em = word_em_css(&text, false, 0.0);
            let text = with_soft_hyphens(&text);
            view! {
                <li class=format!("board-note__stacked {}", category_class(category)) data-note=id
                    style:--word-em=word_em>
                    <span class="category-badge category-badge--small">{category.map(|c| category_name(i18n.t().phone, c)).unwrap_or_default()}</span>" "
                    {text}
                </li>
            }
        })
    };
    view! { {content} }.into_any()
}
