use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Typing the code from the projector opens `/j/{code}`, which finds the room. That page
/// is the participant's entry, loaded from the server (this app has no participant screens).
#[component]
pub fn JoinWithCode() -> impl IntoView {
    let i18n = use_i18n();
    let r = move || i18n.t().relay;
    let code = RwSignal::new(String::new());
    let join = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if !typed.is_empty()
            && let Err(error) =
                crate::adapters::window::load_page(&format!("/j/{}", typed.to_uppercase()))
        {
            leptos::logging::warn!("cannot open the join page: {error:?}");
        }
    };
    view! {
        <form class="panel" on:submit=join aria-labelledby="join-heading">
            <h2 id="join-heading">{move || i18n.t().phone.relay.join_heading}</h2>
            <label for="join-code">{move || r().join_code_label}</label>
            <input
                id="join-code"
                type="text"
                inputmode="text"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                maxlength="9"
                class="code-input"
                prop:value=move || code.get()
                on:input=move |event| code.set(event_target_value(&event))
            />
            <button type="submit" class="primary">{move || r().join_button}</button>
        </form>
    }
}
