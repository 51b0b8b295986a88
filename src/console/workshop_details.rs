use bijeen_core::Command;
use bijeen_core::schedule::{hhmm, parse_hhmm};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot, tr};
use crate::workshop::use_session;

/// Title, date and the planned start and close of the workshop.
#[component]
pub fn WorkshopDetails() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = error_slot();
    let runner = Runner::from_context();
    let run_into = move |slot, command| runner.run_into(slot, command);
    let meta = Memo::new(move |_| session.with(|w| w.meta.clone()));
    let title = move || {
        meta.with(|m| {
            m.as_ref()
                .map(|m| m.title.value.clone())
                .unwrap_or_default()
        })
    };
    let date = move || meta.with(|m| m.as_ref().map(|m| m.date.value.clone()).unwrap_or_default());
    let start = move || {
        meta.with(|m| {
            m.as_ref()
                .map(|m| hhmm(i64::from(*m.planned_start_min)))
                .unwrap_or_default()
        })
    };
    let end = move || {
        meta.with(|m| {
            m.as_ref()
                .map(|m| hhmm(i64::from(*m.planned_end_min)))
                .unwrap_or_default()
        })
    };
    let set_time = move |value: String, make: fn(u16) -> Command| match parse_hhmm(&value) {
        Some(minutes) => run_into(error, make(minutes)),
        None => error.set(Some((i18n.t().phone.domain_error)(
            bijeen_core::DomainError::TimeOfDayOutOfRange,
        ))),
    };
    view! {
        <section class="workshop-details panel" aria-label=tr(|t| t.phone.workshop_label)>
            <div class="field field--wide">
                <label for="workshop-title">{tr(|t| t.workshop_title_label)}</label>
                <input id="workshop-title" type="text" prop:value=title
                    on:change=move |ev| run_into(error, Command::SetTitle(event_target_value(&ev).trim().to_owned())) />
            </div>
            <div class="field">
                <label for="workshop-date">{tr(|t| t.workshop_date_label)}</label>
                <input id="workshop-date" type="date" prop:value=date
                    on:change=move |ev| run_into(error, Command::SetDate(event_target_value(&ev))) />
            </div>
            <div class="field">
                <label for="planned-start">{tr(|t| t.planned_start_label)}</label>
                <input id="planned-start" type="time" prop:value=start
                    on:change=move |ev| set_time(event_target_value(&ev), Command::SetPlannedStart) />
            </div>
            <div class="field">
                <label for="planned-end">{tr(|t| t.planned_end_label)}</label>
                <input id="planned-end" type="time" prop:value=end
                    on:change=move |ev| set_time(event_target_value(&ev), Command::SetPlannedEnd) />
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
