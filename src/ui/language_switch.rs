use leptos::prelude::*;

use crate::ui::tr_phone;

use crate::i18n::{Lang, use_i18n};

/// Two toggle buttons, each named in its own language so a visitor who reads neither
/// label of the group still finds theirs.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch" role="group" aria-label=tr_phone(|t| t.switch_language_label)>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.tag()
                            class="language-switch__option"
                            aria-pressed=move || (i18n.lang() == lang).to_string()
                            data-lang=lang.tag()
                            on:click=move |_| i18n.set(lang)
                        >
                            {lang.phone().language_name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
