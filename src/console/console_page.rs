use bijeen_core::Role;
use leptos::prelude::*;

use crate::console::agenda_editor::AgendaEditor;
use crate::console::console_tabs::ConsoleTabs;
use crate::console::console_toolbar::ConsoleToolbar;
use crate::console::invite_panel::InvitePanel;
use crate::console::remote_panel::RemotePanel;
use crate::console::run_panel::RunPanel;
use crate::console::sound_cues::SoundCues;
use crate::console::workshop_details::WorkshopDetails;
use crate::i18n::use_i18n;
use crate::timer::use_live_timer;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::ProblemBanner;
use crate::workshop::session::WorkshopSession;

#[component]
pub fn ConsolePage(
    /// The workshop's id in this browser (the route's `ID`).
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = WorkshopSession::open(id, Role::Facilitator);
    provide_context(session);
    let timer = use_live_timer(session);
    let muted = RwSignal::new(crate::console::sound_cues::load_muted());
    let help_open = RwSignal::new(false);
    let title = move || {
        session
            .with(|workshop| workshop.meta.title.value.clone())
            .filter(|title| !title.is_empty())
            .unwrap_or_else(|| i18n.t().console_title.to_owned())
    };
    view! {
        <PageFrame>
            <div class="console__head">
                <h1 class="console__title">{title}</h1>
                <Show when=move || session.is_loaded()>
                    <ConsoleToolbar muted=muted help_open=help_open />
                </Show>
            </div>
            <ProblemBanner problem=Signal::derive(move || session.problem()) />
            <Show when=move || session.is_loaded()>
                <div class="console">
                    <RunPanel timer=timer help_open=help_open />
                    <SoundCues timer=timer muted=muted />
                    <InvitePanel />
                    <RemotePanel />
                    <ConsoleTabs>
                        <WorkshopDetails />
                        <AgendaEditor timer=timer />
                    </ConsoleTabs>
                </div>
            </Show>
        </PageFrame>
    }
}
