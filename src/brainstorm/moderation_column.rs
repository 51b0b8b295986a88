use bijeen_core::GroupId;
use leptos::prelude::*;

use crate::brainstorm::moderation_board::ModerationContext;
use crate::brainstorm::moderation_note::ModerationNote;
use crate::brainstorm::{colour_key, group_head};
use crate::i18n::use_i18n;
use crate::workshop::use_session;

/// One theme group's notes (or the notes without a group) on the console.
#[component]
pub fn ModerationColumn(group: Option<GroupId>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let ctx = expect_context::<ModerationContext>();
    let head = {
        let group = group.clone();
        Memo::new(move |_| session.with(|w| group_head(w, group.as_ref())).flatten())
    };
    let roots = {
        let group = group.clone();
        Memo::new(move |_| {
            ctx.layout.with(|l| {
                l.column(group.as_ref())
                    .map(|c| (c.roots.clone(), c.count))
                    .unwrap_or_default()
            })
        })
    };
    let name = move || {
        head.with(|h| match h {
            Some(h) if !h.name.is_empty() => h.name.clone(),
            _ => i18n.t().bs_no_group.to_owned(),
        })
    };
    let class = move || {
        let colour = head.with(|h| h.as_ref().and_then(|h| h.colour));
        format!(
            "bs-column group-{}",
            colour.map(colour_key).unwrap_or("none")
        )
    };
    let labelled_by = format!(
        "bs-col-{}",
        group.as_ref().map(|g| g.as_str()).unwrap_or("none")
    );
    let heading_id = format!(
        "bs-col-{}",
        group.as_ref().map(|g| g.as_str()).unwrap_or("none")
    );
    view! {
        <section class=class aria-labelledby=labelled_by
            data-column=group.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default()>
            <h3 id=heading_id class="bs-column__head">
                <span>{name}</span>
                <span class="bs-column__count">{move || (i18n.t().bs_note_count)(roots.with(|r| r.1))}</span>
            </h3>
            <ul class="bs-column__notes">
                <For each=move || roots.with(|r| r.0.clone()) key=|id| id.clone() let:id>
                    <ModerationNote id=id />
                </For>
            </ul>
        </section>
    }
    .into_any()
}
