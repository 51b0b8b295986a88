use bijeen_core::Command;
use leptos::prelude::*;

use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// The practical assignment the facilitator sets; participants see it when the closing
/// block runs. Saved when the field is left, like every other console field.
#[component]
pub fn PracticalAssignment() -> impl IntoView {
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let saved = RwSignal::new(false);
    let text = Memo::new(move |_| {
        session
            .with(|w| w.meta.practical_assignment.value.clone())
            .unwrap_or_default()
    });
    let save = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev).trim().to_owned();
        if value == text.get_untracked() {
            return;
        }
        runner.run_into(error, Command::SetPracticalAssignment(value));
        saved.set(error.get_untracked().is_none());
    };
    view! {
        <section class="panel oc-practical" aria-labelledby="oc-practical-heading">
            <h2 id="oc-practical-heading">{tr(|t| t.phone.outcomes.practical_heading)}</h2>
            <div class="field">
                <label for="oc-practical">{tr(|t| t.outcomes.practical_label)}</label>
                <textarea id="oc-practical" rows="3" maxlength="4000" aria-describedby="oc-practical-hint"
                    prop:value=move || text.get() on:change=save on:input=move |_| saved.set(false)></textarea>
                <p id="oc-practical-hint" class="hint">{tr(|t| t.outcomes.practical_hint)}</p>
            </div>
            <p class="oc-saved" aria-live="polite">{move || saved.get().then(|| tr(|t| t.outcomes.saved).get())}</p>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
