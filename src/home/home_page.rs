use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::shell::page_frame::PageFrame;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <PageFrame>
            <section class="hero" aria-labelledby="home-title">
                <h1 id="home-title">{move || t().home_title}</h1>
                <p class="lead">{move || t().home_intro}</p>
            </section>
            <section aria-labelledby="workshops-heading">
                <h2 id="workshops-heading">{move || t().home_workshops_heading}</h2>
                <p class="empty">{move || t().home_no_workshops}</p>
            </section>
            <section aria-labelledby="roles-heading">
                <h2 id="roles-heading">{move || t().home_roles_heading}</h2>
                <ul class="role-cards">
                    <li class="card">
                        <h3>{move || t().role_facilitator}</h3>
                        <p>{move || t().role_facilitator_text}</p>
                    </li>
                    <li class="card">
                        <h3>{move || t().role_participant}</h3>
                        <p>{move || t().role_participant_text}</p>
                    </li>
                    <li class="card">
                        <h3>{move || t().role_organiser}</h3>
                        <p>{move || t().role_organiser_text}</p>
                    </li>
                </ul>
            </section>
        </PageFrame>
    }
}
