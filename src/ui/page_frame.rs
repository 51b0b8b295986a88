use leptos::prelude::*;

use crate::ui::header::Header;

/// Header plus a `<main>` landmark with the id the skip link points to.
#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    view! {
        <Header />
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
    }
}
