use bijeen_core::{Command, PlanId};
use leptos::prelude::*;

use crate::outcomes::plan_card::PlanCard;
use crate::outcomes::plan_from_board::PlanFromBoard;
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// Community plans: a new plan by name or from the brainstorm, and one card per plan.
#[component]
pub fn CommunityPlans() -> impl IntoView {
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let ids = Memo::new(move |_| {
        session
            .with(|w| {
                w.plans_live()
                    .into_iter()
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<PlanId>>()
            })
            .unwrap_or_default()
    });
    let name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        runner.run_into(
            error,
            Command::AddPlan {
                name: name.get_untracked().trim().to_owned(),
                source_note: None,
            },
        );
        if error.get_untracked().is_none() {
            name.set(String::new());
        }
    };
    view! {
        <section class="panel oc-plans" aria-labelledby="oc-plans-heading">
            <h2 id="oc-plans-heading">{tr(|t| t.outcomes.plans_heading)}</h2>
            <p class="hint">{tr(|t| t.outcomes.plans_intro)}</p>
            <div class="oc-plans__new">
                <form class="oc-add" on:submit=add>
                    <div class="field oc-add__text">
                        <label for="oc-new-plan">{tr(|t| t.outcomes.new_plan_label)}</label>
                        <input id="oc-new-plan" type="text" maxlength="200"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </div>
                    <button type="submit" class="primary">{tr(|t| t.outcomes.add_plan)}</button>
                </form>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <PlanFromBoard />
            </div>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{tr(|t| t.outcomes.no_plans)}</p>
            </Show>
            <div class="oc-plan-cards">
                <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <PlanCard id=id /> } />
            </div>
        </section>
    }
    .into_any()
}
