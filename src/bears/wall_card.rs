use bijeen_core::{BearStatus, NoteId};
use leptos::prelude::*;

use crate::bears::bear_cards::BearCards;
use crate::bears::{status_key, status_name};
use crate::i18n::use_i18n;
use crate::logic::fit_text::{with_soft_hyphens, word_em_css};

/// The cluster title's `letter-spacing` in the stylesheet, so its width is estimated right.
const CLUSTER_LETTER_SPACING_EM: f32 = 0.02;

/// One bear (or cluster, with its stacked bears) on the projector's wall. The author is
/// shown only when the wall is not anonymous.
#[component]
pub fn WallCard(id: NoteId, #[prop(optional)] large: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let note = expect_context::<BearCards>().card(&id);
    let stacked = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| {
                    n.stacked
                        .iter()
                        .map(|b| (b.id.clone(), b.text.clone(), b.author_name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let has_stack = move || note.with(|n| n.as_ref().is_some_and(|n| !n.stacked.is_empty()));
    let raw_text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let text = move || with_soft_hyphens(&raw_text());
    let title = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| n.cluster_title.clone())
                .unwrap_or_default()
        })
    };
    let author = move || {
        note.with(|n| {
            n.as_ref()
                .and_then(|n| n.author_name.clone())
                .unwrap_or_default()
        })
    };
    let status = move || note.with(|n| n.as_ref().map(|n| n.status).unwrap_or_default());
    let votes = move || note.with(|n| n.as_ref().map(|n| n.votes).unwrap_or(0));
    // One class string: a reactive `class` next to `class:` toggles would overwrite them.
    let class = move || {
        format!(
            "wall-card bear--{}{}{}",
            status_key(status()),
            if large { " wall-card--large" } else { "" },
            if !has_stack() {
                ""
            } else {
                " wall-card--cluster"
            }
        )
    };
    view! {
        <li class=class data-bear=id.as_str().to_owned()>
            <Show when=move || !title().is_empty()>
                <p class="wall-card__cluster" style:--word-em=move || word_em_css(&title(), true, CLUSTER_LETTER_SPACING_EM)>{move || with_soft_hyphens(&title())}</p>
            </Show>
            <p class="wall-card__text" style:--word-em=move || word_em_css(&raw_text(), false, 0.0)>{text}</p>
            <Show when=move || !author().is_empty()>
                <p class="wall-card__author">{author}</p>
            </Show>
            <Show when=has_stack>
                <ul class="wall-card__stack">
                    <For each=stacked key=|(id, _, _)| id.clone() let:child>
                        <li data-bear=child.0.as_str().to_owned() style:--word-em=word_em_css(&child.1, false, 0.0)>
                            {with_soft_hyphens(&child.1)}
                            {child.2.clone().map(|name| view! { <span class="wall-card__author">" — "{name}</span> })}
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || status() != BearStatus::Open || votes() != 0>
                <p class="wall-card__meta">
                    <Show when=move || status() != BearStatus::Open>
                        <span class="bear-status">{move || status_name(t().phone, status())}</span>" "
                    </Show>
                    <Show when=move || votes() != 0>
                        <span class="wall-card__votes">{move || (t().phone.bs_votes)(votes())}</span>
                    </Show>
                </p>
            </Show>
        </li>
    }
    .into_any()
}
