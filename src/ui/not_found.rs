use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::ui::page_frame::PageFrame;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageFrame>
            <h1>{move || i18n.t().not_found_title}</h1>
            <p>{move || i18n.t().not_found_text}</p>
            <p>
                <A href="/">{move || i18n.t().back_home}</A>
            </p>
        </PageFrame>
    }
}
