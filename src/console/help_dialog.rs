use leptos::prelude::*;

use crate::ui::tr;

use crate::i18n::{Strings, use_i18n};
use crate::ui::modal::Modal;

/// The keyboard shortcuts, opened with `?` or the toolbar button.
#[component]
pub fn HelpDialog(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Modal open=open labelled_by="help-title" on_close=Callback::new(move |()| open.set(false))>
            <h2 id="help-title">{tr(|t| t.help_title)}</h2>
            <ShortcutList pick=|t| &t.shortcuts />
            <h3 class="shortcuts__heading">{tr(|t| t.bears.shortcuts_heading)}</h3>
            <ShortcutList pick=|t| &t.bears.shortcuts />
            <div class="dialog__actions">
                <button type="button" class="primary" on:click=move |_| open.set(false)>
                    {tr(|t| t.help_close)}
                </button>
            </div>
        </Modal>
    }
}

/// Keys and what they do, in the active language.
#[component]
fn ShortcutList(
    pick: fn(&'static Strings) -> &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="shortcuts">
            {move || {
                pick(i18n.t())
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
    }
}
