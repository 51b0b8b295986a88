use bijeen_core::GroupId;
use leptos::prelude::*;

use crate::brainstorm::ColumnParts;
use crate::brainstorm::moderation_board::ModerationContext;
use crate::brainstorm::moderation_note::ModerationNote;
use crate::brainstorm::note_chunk::NoteChunks;
use crate::i18n::use_i18n;

/// One theme group's notes (or the notes without a group) on the console.
#[component]
pub fn ModerationColumn(group: Option<GroupId>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<ModerationContext>();
    let column = ColumnParts::new(ctx.board, group.clone());
    let class = move || format!("bs-column group-{}", column.colour.get());
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
                <span>{column.name}</span>
                <span class="bs-column__count">{move || (i18n.t().bs_note_count)(column.shape.with(|c| c.count))}</span>
            </h3>
            <ul class="bs-column__notes">
                <NoteChunks board=ctx.board group=group.clone() range=move || 0..column.chunks.get()
                    card=|id, _| view! { <ModerationNote id=id /> } />
            </ul>
        </section>
    }
    .into_any()
}
