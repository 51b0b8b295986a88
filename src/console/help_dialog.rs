use leptos::html;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The keyboard shortcuts, opened with `?` or the toolbar button.
#[component]
pub fn HelpDialog(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    // Mirror the open flag onto the native dialog (which traps focus and handles Escape).
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if open.get() {
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
            } else if dialog.open() {
                dialog.close();
            }
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            aria-labelledby="help-title"
            on:close=move |_: leptos::ev::Event| open.set(false)
        >
            <h2 id="help-title">{move || i18n.t().help_title}</h2>
            <dl class="shortcuts">
                {move || {
                    i18n.t()
                        .shortcuts
                        .iter()
                        .map(|(key, what)| view! {
                            <div>
                                <dt><kbd>{*key}</kbd></dt>
                                <dd>{*what}</dd>
                            </div>
                        })
                        .collect_view()
                }}
            </dl>
            <h3 class="shortcuts__heading">{move || i18n.t().bears.shortcuts_heading}</h3>
            <dl class="shortcuts">
                {move || {
                    i18n.t()
                        .bears
                        .shortcuts
                        .iter()
                        .map(|(key, what)| view! {
                            <div>
                                <dt><kbd>{*key}</kbd></dt>
                                <dd>{*what}</dd>
                            </div>
                        })
                        .collect_view()
                }}
            </dl>
            <div class="dialog__actions">
                <button type="button" class="primary" on:click=move |_| open.set(false)>
                    {move || i18n.t().help_close}
                </button>
            </div>
        </dialog>
    }
}
