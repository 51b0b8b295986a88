use leptos::prelude::*;

use crate::ui::tr;

use crate::adapters::window::open_window;
use crate::console::sound_cues::save_muted;
use crate::i18n::use_i18n;
use crate::ui::{DownloadBanner, download_json};
use crate::workshop::use_session;

/// Projector, sound, shortcuts help and export: the console's always-there buttons.
#[component]
pub fn ConsoleToolbar(muted: RwSignal<bool>, help_open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let open_projector = move |_| {
        let id = session.id();
        open_window(
            &format!("/w/{id}/present"),
            &format!("bijeen-projector-{id}"),
        );
    };
    let toggle_sound = move |_| {
        let now_muted = !muted.get_untracked();
        muted.set(now_muted);
        save_muted(now_muted);
    };
    // A download the browser refused is said next to the toolbar, never dropped.
    let exported = RwSignal::new(None);
    let export = move |_| exported.set(session.with_doc(download_json));
    view! {
        <div class="toolbar" role="toolbar" aria-label=tr(|t| t.console_title)>
            <button type="button" class="primary" on:click=open_projector>
                {tr(|t| t.open_projector)}
            </button>
            <button
                type="button"
                aria-pressed=move || (!muted.get()).to_string()
                on:click=toggle_sound
            >
                {move || if muted.get() { t().sound_off } else { t().sound_on }}
            </button>
            <button type="button" on:click=export>
                {tr(|t| t.export_json_button)}
            </button>
            <button
                type="button"
                aria-haspopup="dialog"
                aria-keyshortcuts="?"
                on:click=move |_| help_open.set(true)
            >
                {tr(|t| t.help_button)}
                " (?)"
            </button>
        </div>
        <DownloadBanner outcome=exported />
    }
}
