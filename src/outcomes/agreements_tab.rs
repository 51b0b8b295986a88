use leptos::prelude::*;

use crate::outcomes::LISTS;
use crate::outcomes::agreement_list::AgreementListPanel;
use crate::outcomes::community_plans::CommunityPlans;
use crate::outcomes::practical_assignment::PracticalAssignment;

/// The console tab "Afspraken": the three lists, the practical assignment, community plans.
#[component]
pub fn AgreementsTab() -> impl IntoView {
    view! {
        <div class="oc-tab">
            <div class="oc-lists">
                {LISTS.map(|list| view! { <AgreementListPanel list=list /> })}
            </div>
            <PracticalAssignment />
            <CommunityPlans />
        </div>
    }
    .into_any()
}
