use bijeen_core::AgreementList;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::outcomes::{LISTS, list_key, list_name};
use crate::ui::tr;
use crate::workshop::use_session;

#[derive(Clone, PartialEq)]
struct Line {
    text: String,
    /// Owner and due date, joined for reading from a distance.
    who: String,
    done: bool,
}

/// The projector while the agreements block runs: three columns (agreements, open ends,
/// follow-up with owners and dates) and the practical assignment underneath.
#[component]
pub fn AgreementsView() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let lines = move |list: AgreementList| {
        Memo::new(move |_| {
            session
                .with(|w| {
                    w.agreements_in_order(list)
                        .into_iter()
                        .map(|(_, a)| Line {
                            text: a.text.value.clone(),
                            who: [
                                a.owner.value.clone(),
                                a.due.value.clone().unwrap_or_default(),
                            ]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · "),
                            done: *a.done,
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let practical = Memo::new(move |_| {
        session
            .with(|w| w.meta.practical_assignment.value.clone())
            .unwrap_or_default()
    });
    let column = move |list: AgreementList| {
        let items = lines(list);
        view! {
            <section class=format!("oc-projector__column oc-list--{}", list_key(list))>
                <h2>{move || list_name(i18n.t(), list)}</h2>
                <Show when=move || items.with(Vec::is_empty)>
                    <p class="oc-projector__empty">{tr(|t| t.outcomes.projector_empty)}</p>
                </Show>
                <ul>
                    {move || items.get().into_iter().map(|line| {
                        let done = line.done;
                        view! {
                            <li class:oc-projector__done=done>
                                <span class="oc-projector__mark" aria-hidden="true">{if done { "✓" } else { "•" }}</span>
                                <span class="oc-projector__text">{line.text}</span>
                                {done.then(|| view! { <span class="visually-hidden">{move || format!(" ({})", i18n.t().outcomes.done_badge)}</span> })}
                                {(!line.who.is_empty()).then(|| view! { <span class="oc-projector__who">{line.who}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <div class="oc-projector">
            <div class="oc-projector__columns">{LISTS.map(column)}</div>
            <Show when=move || !practical.with(String::is_empty)>
                <section class="oc-projector__practical">
                    <h2>{tr(|t| t.phone.outcomes.practical_heading)}</h2>
                    <p>{move || practical.get()}</p>
                </section>
            </Show>
        </div>
    }
    .into_any()
}
