use leptos::html;
use leptos::prelude::*;

use crate::brainstorm::tr;

use crate::brainstorm::brainstorm_tab::BrainstormTab;
use crate::i18n::use_i18n;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Plan,
    Brainstorm,
}

/// The console's tabs under the run panel: "Programma" (the `children`) and "Brainstorm".
/// ARIA tabs: arrow keys, Home and End move between them (and do not reach the console's
/// own arrow-key shortcuts); both panels stay mounted so switching keeps what was typed.
#[component]
pub fn ConsoleTabs(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let selected = RwSignal::new(Tab::Plan);
    let plan_ref = NodeRef::<html::Button>::new();
    let brainstorm_ref = NodeRef::<html::Button>::new();
    let choose = move |tab: Tab| {
        selected.set(tab);
        let target = match tab {
            Tab::Plan => plan_ref,
            Tab::Brainstorm => brainstorm_ref,
        };
        if let Some(button) = target.get_untracked() {
            let _ = button.focus();
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowLeft" | "ArrowRight" => match selected.get_untracked() {
                Tab::Plan => Tab::Brainstorm,
                Tab::Brainstorm => Tab::Plan,
            },
            "Home" => Tab::Plan,
            "End" => Tab::Brainstorm,
            _ => return,
        };
        ev.prevent_default();
        ev.stop_propagation();
        choose(next);
    };
    let is = move |tab: Tab| move || selected.get() == tab;
    let tabindex = move |tab: Tab| move || if selected.get() == tab { "0" } else { "-1" };
    view! {
        <div class="console-tabs">
            <div class="console-tabs__list" role="tablist" aria-label=move || t().console_title on:keydown=keydown>
                <button type="button" role="tab" id="tab-plan" node_ref=plan_ref aria-controls="panel-plan"
                    aria-selected=move || is(Tab::Plan)().to_string() tabindex=tabindex(Tab::Plan)
                    on:click=move |_| selected.set(Tab::Plan)>{tr(|t| t.tab_plan)}</button>
                <button type="button" role="tab" id="tab-brainstorm" node_ref=brainstorm_ref aria-controls="panel-brainstorm"
                    aria-selected=move || is(Tab::Brainstorm)().to_string() tabindex=tabindex(Tab::Brainstorm)
                    on:click=move |_| selected.set(Tab::Brainstorm)>{tr(|t| t.bs_tab)}</button>
            </div>
            <div role="tabpanel" id="panel-plan" aria-labelledby="tab-plan" class="console-tabs__panel"
                hidden=move || !is(Tab::Plan)()>
                {children()}
            </div>
            <div role="tabpanel" id="panel-brainstorm" aria-labelledby="tab-brainstorm" class="console-tabs__panel"
                hidden=move || !is(Tab::Brainstorm)()>
                <BrainstormTab />
            </div>
        </div>
    }
    .into_any()
}
