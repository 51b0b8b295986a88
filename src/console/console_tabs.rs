use leptos::html;
use leptos::prelude::*;

use crate::ui::tr;

use crate::bears::bears_tab::BearsTab;
use crate::brainstorm::brainstorm_tab::BrainstormTab;
use crate::i18n::{Strings, use_i18n};
use crate::outcomes::agreements_tab::AgreementsTab;
use crate::outcomes::export_tab::ExportTab;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Plan,
    Brainstorm,
    Bears,
    Agreements,
    Export,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Plan,
        Tab::Brainstorm,
        Tab::Bears,
        Tab::Agreements,
        Tab::Export,
    ];

    fn key(self) -> &'static str {
        match self {
            Tab::Plan => "plan",
            Tab::Brainstorm => "brainstorm",
            Tab::Bears => "bears",
            Tab::Agreements => "agreements",
            Tab::Export => "export",
        }
    }

    fn label(self, t: &'static Strings) -> &'static str {
        match self {
            Tab::Plan => t.tab_plan,
            Tab::Brainstorm => t.bs_tab,
            Tab::Bears => t.bears.tab,
            Tab::Agreements => t.outcomes.tab_agreements,
            Tab::Export => t.outcomes.tab_export,
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0)
    }

    /// The tab `step` places along, wrapping round (arrow keys).
    fn step(self, step: isize) -> Tab {
        let len = Tab::ALL.len() as isize;
        let index = (self.index() as isize + step).rem_euclid(len);
        Tab::ALL[index as usize]
    }
}

/// The console's tabs under the run panel: "Programma" (the `children`), "Brainstorm",
/// "Beren", "Afspraken" and "Export". ARIA tabs: arrow keys, Home and End move between
/// them (and do not reach the console's own arrow-key shortcuts).
///
/// The programme stays mounted (its editors keep what was typed); the other panels are
/// mounted only while selected, so a hidden board with a thousand notes costs nothing
/// when a note arrives.
#[component]
pub fn ConsoleTabs(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(Tab::Plan);
    let buttons: [NodeRef<html::Button>; 5] = std::array::from_fn(|_| NodeRef::new());
    let choose = move |tab: Tab| {
        selected.set(tab);
        if let Some(button) = buttons[tab.index()].get_untracked() {
            let _ = button.focus();
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let current = selected.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowLeft" => current.step(-1),
            "ArrowRight" => current.step(1),
            "Home" => Tab::Plan,
            "End" => Tab::Export,
            _ => return,
        };
        ev.prevent_default();
        ev.stop_propagation();
        choose(next);
    };
    let is = move |tab: Tab| move || selected.get() == tab;
    let tab_button = move |tab: Tab| {
        let key = tab.key();
        view! {
            <button type="button" role="tab" id=format!("tab-{key}") node_ref=buttons[tab.index()]
                aria-controls=format!("panel-{key}")
                aria-selected=move || is(tab)().to_string()
                tabindex=move || if is(tab)() { "0" } else { "-1" }
                on:click=move |_| selected.set(tab)>{move || tab.label(i18n.t())}</button>
        }
    };
    let lazy_panel = move |tab: Tab, panel: fn() -> AnyView| {
        let key = tab.key();
        view! {
            <div role="tabpanel" id=format!("panel-{key}") aria-labelledby=format!("tab-{key}")
                class="console-tabs__panel" hidden=move || !is(tab)()>
                <Show when=is(tab)>{panel()}</Show>
            </div>
        }
    };
    view! {
        <div class="console-tabs">
            <div class="console-tabs__list" role="tablist" aria-label=tr(|t| t.console_title) on:keydown=keydown>
                {Tab::ALL.map(tab_button)}
            </div>
            <div role="tabpanel" id="panel-plan" aria-labelledby="tab-plan" class="console-tabs__panel"
                hidden=move || !is(Tab::Plan)()>
                {children()}
            </div>
            {lazy_panel(Tab::Brainstorm, || view! { <BrainstormTab /> }.into_any())}
            {lazy_panel(Tab::Bears, || view! { <BearsTab /> }.into_any())}
            {lazy_panel(Tab::Agreements, || view! { <AgreementsTab /> }.into_any())}
            {lazy_panel(Tab::Export, || view! { <ExportTab /> }.into_any())}
        </div>
    }
    .into_any()
}
