use leptos::prelude::*;

use crate::ui::{tr, tr_phone};

use crate::ui::page_frame::PageFrame;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <PageFrame>
            <h1>{tr(|t| t.not_found_title)}</h1>
            <p>{tr(|t| t.not_found_text)}</p>
            <p>
                <a href="/">{tr_phone(|t| t.back_home)}</a>
            </p>
        </PageFrame>
    }
}
