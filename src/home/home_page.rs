use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::storage::LocalStore;
use crate::home::import_workshop::ImportWorkshop;
use crate::home::join_with_code::JoinWithCode;
use crate::home::new_workshop::NewWorkshop;
use crate::home::workshop_list::WorkshopList;
use crate::i18n::use_i18n;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::storage_text;
use crate::workshop::library;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let store = LocalStore::open();
    let storage_problem = store.as_ref().err().cloned();
    let entries = RwSignal::new(store.as_ref().map(library::list).unwrap_or_default());
    // Components that change the library call this; it re-reads the list.
    let refresh = Callback::new(move |_: ()| {
        if let Ok(store) = LocalStore::open() {
            entries.set(library::list(&store));
        }
    });
    view! {
        <PageFrame>
            <section class="hero" aria-labelledby="home-title">
                <h1 id="home-title">{tr(|t| t.home_title)}</h1>
                <p class="lead">{tr(|t| t.home_intro)}</p>
            </section>
            {storage_problem
                .map(|error| {
                    view! {
                        <p class="banner banner--problem" role="alert">
                            {move || storage_text(t().phone, &error)}
                        </p>
                    }
                })}
            <div class="home-actions">
                <NewWorkshop />
                <JoinWithCode />
                <ImportWorkshop on_imported=refresh />
            </div>
            <section aria-labelledby="workshops-heading">
                <h2 id="workshops-heading">{tr(|t| t.home_workshops_heading)}</h2>
                <WorkshopList entries=Signal::derive(move || entries.get()) on_change=refresh />
            </section>
            <section aria-labelledby="roles-heading">
                <h2 id="roles-heading">{tr(|t| t.home_roles_heading)}</h2>
                <ul class="role-cards">
                    <li class="card">
                        <h3>{tr(|t| t.role_facilitator)}</h3>
                        <p>{tr(|t| t.role_facilitator_text)}</p>
                    </li>
                    <li class="card">
                        <h3>{tr(|t| t.role_participant)}</h3>
                        <p>{tr(|t| t.role_participant_text)}</p>
                    </li>
                    <li class="card">
                        <h3>{tr(|t| t.role_organiser)}</h3>
                        <p>{tr(|t| t.role_organiser_text)}</p>
                    </li>
                </ul>
            </section>
        </PageFrame>
    }
}
