use bijeen_core::BearStatus;
use leptos::prelude::*;

use crate::bears::{SUMMARY_ORDER, effective_status, snapshot, status_key, status_name, wall};
use crate::i18n::use_i18n;
use crate::logic::fit_text::{with_soft_hyphens, word_em_css};
use crate::logic::summary_size::summary_size_vh;
use crate::workshop::use_session;

/// One bear (cluster) as the summary lists it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Line {
    key: String,
    text: String,
    stacked: Vec<String>,
    answer: String,
    actions: Vec<String>,
}

/// The closed wall: per status, every bear with the answer the room gave and the actions
/// it became. Read-only.
#[component]
pub fn ProjectorSummary() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let sections = Memo::new(move |_| {
        let t = i18n.t();
        session
            .with(|w| {
                let wall = wall(w);
                SUMMARY_ORDER
                    .into_iter()
                    .map(|status| {
                        let lines = wall
                            .roots
                            .iter()
                            .filter(|id| effective_status(w, id) == status)
                            .filter_map(|id| {
                                let s = snapshot(w, id, &[])?;
                                let stacked = wall
                                    .stacked(id)
                                    .iter()
                                    .filter_map(|c| w.note(c).map(|n| n.text.value.clone()))
                                    .collect();
                                let text = if s.cluster_title.is_empty() {
                                    s.text
                                } else {
                                    format!("{}: {}", s.cluster_title, s.text)
                                };
                                Some(Line {
                                    key: id.as_str().to_owned(),
                                    text,
                                    stacked,
                                    answer: if s.answer.is_empty() {
                                        String::new()
                                    } else {
                                        format!("{}: {}", t.phone.bears.answer_label, s.answer)
                                    },
                                    actions: s
                                        .actions
                                        .iter()
                                        .map(|a| {
                                            format!(
                                                "{}: {}",
                                                t.phone.bears.action_label,
                                                (t.phone.bears.action_line)(
                                                    &a.text,
                                                    &a.owner,
                                                    a.due.as_deref()
                                                )
                                            )
                                        })
                                        .collect(),
                                })
                            })
                            .collect::<Vec<_>>();
                        (status, lines)
                    })
                    .filter(|(status, lines)| !lines.is_empty() || *status != BearStatus::Open)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // Use the room: as large as the fullest column allows on the screen (a long word
    // shrinks further on its own, see `fit_text`).
    let size = move || {
        let columns = sections.with(|sections| {
            sections
                .iter()
                .map(|(_, lines)| {
                    lines
                        .iter()
                        .map(|line| {
                            [&line.text, &line.answer]
                                .into_iter()
                                .chain(&line.stacked)
                                .chain(&line.actions)
                                .filter(|text| !text.is_empty())
                                .map(|text| text.chars().count())
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        });
        format!("{:.1}vh", summary_size_vh(&columns))
    };
    view! {
        <div class="bear-summary" data-testid="bear-summary" style:--summary-size=size>
            <For each=move || sections.get() key=|s| s.clone() let:section>
                {
                    let (status, lines) = section;
                    let count = lines.len();
                    view! {
                        <section class=format!("bear-summary__column bear--{}", status_key(status))
                            aria-labelledby=format!("bear-summary-{}", status_key(status))
                            data-status=status_key(status)>
                            <h3 id=format!("bear-summary-{}", status_key(status)) class="bear-summary__head">
                                <span>{move || status_name(t().phone, status)}</span>
                                <span class="bear-summary__count">{count}</span>
                            </h3>
                            <ul class="bear-summary__items">
                                {lines.into_iter().map(|line| view! {
                                    <li class="bear-summary__item" data-bear=line.key>
                                        <p class="bear-summary__text" style:--word-em=word_em_css(&line.text, false, 0.0)>{with_soft_hyphens(&line.text)}</p>
                                        {(!line.stacked.is_empty()).then(|| view! {
                                            <ul class="bear-summary__stack">
                                                {line.stacked.into_iter().map(|s| view! { <li style:--word-em=word_em_css(&s, false, 0.0)>{with_soft_hyphens(&s)}</li> }).collect_view()}
                                            </ul>
                                        })}
                                        {(!line.answer.is_empty()).then(|| view! {
                                            <p class="bear-summary__answer" style:--word-em=word_em_css(&line.answer, false, 0.0)>{with_soft_hyphens(&line.answer)}</p>
                                        })}
                                        {line.actions.into_iter().map(|a| view! {
                                            <p class="bear-summary__action" style:--word-em=word_em_css(&a, false, 0.0)>{with_soft_hyphens(&a)}</p>
                                        }).collect_view()}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                }
            </For>
        </div>
    }
    .into_any()
}
