use std::collections::{HashMap, HashSet};

use bijeen_core::{Category, ParticipantId};
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::{BOARD, category_class, category_name, placement};
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
    // One pass over the notes (a board of a thousand is counted on every change), with
    // as little per note as it takes: the few live groups are compared in a short list
    // instead of looked up in the workshop, and an author is put in the set only when it
    // differs from the previous note's (a note's id starts with its author's actor, so
    // one author's notes mostly come one after another).
    let counts = Memo::new(move |_| {
        session.with(|w| {
            let live_groups = w.groups_in_order();
            let mut per_group = vec![0_usize; live_groups.len()];
            let mut no_group = 0;
            let mut per_category: HashMap<Category, usize> = HashMap::new();
            let mut uncategorised = 0;
            let mut authors: HashSet<&ParticipantId> = HashSet::new();
            let mut last_author = None;
            for (id, note) in &w.notes {
                if !note.is_live() || note.board != BOARD {
                    continue;
                }
                let group = if note.stacked_on.is_some() {
                    placement(w, id, note).1
                } else {
                    note.group.as_ref()
                };
                match group.and_then(|g| live_groups.iter().position(|(live, _)| *live == g)) {
                    Some(index) => per_group[index] += 1,
                    None => no_group += 1,
                }
                match *note.category {
                    Some(c) => *per_category.entry(c).or_default() += 1,
                    None => uncategorised += 1,
                }
                if last_author != Some(&note.author) {
                    authors.insert(&note.author);
                    last_author = Some(&note.author);
                }
            }
            let groups = live_groups
                .iter()
                .zip(per_group)
                .map(|((_, g), n)| (g.name.value.clone(), n))
                .collect();
            let categories = Category::ALL
                .into_iter()
                .map(|c| (c, per_category.get(&c).copied().unwrap_or(0)))
                .collect();
            let joined = w.participants_joined();
            let contributing = joined.iter().filter(|(p, _)| authors.contains(*p)).count();
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
                            {row(t.phone.bs_no_group.to_owned(), "bs-count".into(), c.no_group)}
                        </dl></div>
                        <div><h3>{t.bs_per_category}</h3><dl>
                            {c.categories.into_iter().map(|(cat, n)| row(category_name(t.phone, cat).to_owned(), format!("bs-count {}", category_class(Some(cat))), n)).collect_view()}
                            {row(t.phone.bs_no_category.to_owned(), "bs-count".into(), c.uncategorised)}
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
