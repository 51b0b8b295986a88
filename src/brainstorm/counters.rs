use bijeen_core::Category;
use leptos::prelude::*;

use crate::brainstorm::tr;

use crate::brainstorm::{BOARD, category_class, category_name};
use crate::i18n::use_i18n;
use crate::workshop::use_session;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Counts {
    groups: Vec<(String, usize)>,
    no_group: usize,
    categories: Vec<(Category, usize)>,
    uncategorised: usize,
    joined: usize,
    contributing: usize,
}

/// Notes per theme group and per category, and how many participants take part.
#[component]
pub fn Counters() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let counts = Memo::new(move |_| {
        session.with(|w| {
            let notes = w.notes_in_order(BOARD);
            let groups = w
                .groups_in_order()
                .into_iter()
                .map(|(id, g)| {
                    let n = notes
                        .iter()
                        .filter(|(note, _)| w.note_group(note) == Some(id))
                        .count();
                    (g.name.value.clone(), n)
                })
                .collect();
            let no_group = notes
                .iter()
                .filter(|(note, _)| w.note_group(note).is_none())
                .count();
            let categories = Category::ALL
                .into_iter()
                .map(|c| {
                    (
                        c,
                        notes.iter().filter(|(_, n)| *n.category == Some(c)).count(),
                    )
                })
                .collect();
            let uncategorised = notes.iter().filter(|(_, n)| n.category.is_none()).count();
            let joined = w.participants_joined();
            let contributing = joined
                .iter()
                .filter(|(p, _)| notes.iter().any(|(_, n)| n.author == **p))
                .count();
            Counts {
                groups,
                no_group,
                categories,
                uncategorised,
                joined: joined.len(),
                contributing,
            }
        })
    });
    let row = |label: String, class: String, n: usize| {
        view! {
            <div class=class>
                <dt>{label}</dt>
                <dd>{n}</dd>
            </div>
        }
    };
    view! {
        <section class="panel bs-counters" aria-labelledby="bs-counters-heading" data-testid="counters">
            <h2 id="bs-counters-heading">{tr(|t| t.bs_counters_heading)}</h2>
            {move || counts.get().map(|c| {
                let t = t();
                view! {
                    <div class="bs-counters__grid">
                        <div><h3>{t.bs_per_group}</h3><dl>
                            {c.groups.into_iter().map(|(name, n)| row(name, "bs-count".into(), n)).collect_view()}
                            {row(t.bs_no_group.to_owned(), "bs-count".into(), c.no_group)}
                        </dl></div>
                        <div><h3>{t.bs_per_category}</h3><dl>
                            {c.categories.into_iter().map(|(cat, n)| row(category_name(t, cat).to_owned(), format!("bs-count {}", category_class(Some(cat))), n)).collect_view()}
                            {row(t.bs_no_category.to_owned(), "bs-count".into(), c.uncategorised)}
                        </dl></div>
                        <div><h3>{t.bs_participants_label}</h3><dl>
                            {row(t.bs_participants_joined.to_owned(), "bs-count".into(), c.joined)}
                            {row(t.bs_participants_contributing.to_owned(), "bs-count".into(), c.contributing)}
                        </dl></div>
                    </div>
                }
            })}
        </section>
    }
    .into_any()
}
