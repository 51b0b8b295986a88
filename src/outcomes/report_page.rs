use bijeen_core::Role;
use leptos::prelude::*;

use crate::adapters::download::print_page;
use crate::i18n::use_i18n;
use crate::outcomes::core_lang;
use crate::outcomes::markdown_view::MarkdownView;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::ProblemBanner;
use crate::ui::tr;
use crate::workshop::session::WorkshopSession;

/// The print view at `/w/{id}/report`: the same report as the Markdown download, laid out
/// for A4 by the print stylesheet, so "Save as PDF" gives a clean document. It follows
/// the workshop live, like every other window of this browser.
#[component]
pub fn ReportPage(
    /// The workshop's id in this browser (the route's `ID`).
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = WorkshopSession::open(id.clone(), Role::Facilitator);
    provide_context(session);
    let markdown = Memo::new(move |_| {
        let lang = core_lang(i18n.lang());
        session
            .with(|w| bijeen_core::report::markdown_report(w, lang))
            .unwrap_or_default()
    });
    view! {
        <PageFrame>
            <div class="oc-report__tools">
                <a href=format!("/w/{id}") class="button">{tr(|t| t.outcomes.back_to_console)}</a>
                <button type="button" class="primary" on:click=move |_| print_page()>{tr(|t| t.outcomes.print_button)}</button>
            </div>
            <ProblemBanner problem=Signal::derive(move || session.problem()) />
            <Show when=move || !session.is_loaded()>
                <h1>{tr(|t| t.outcomes.report_title)}</h1>
            </Show>
            <article class="oc-report" lang=move || i18n.lang().tag()>
                <MarkdownView markdown=markdown />
            </article>
        </PageFrame>
    }
    .into_any()
}
