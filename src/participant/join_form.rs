use bijeen_core::Command;
use bijeen_protocol::RejectReason;
use leptos::prelude::*;

use crate::brainstorm::group_from_key;
use crate::i18n::use_i18n;
use crate::ui::group_select::GroupSelect;
use crate::ui::{Runner, error_slot, tr_phone};
use crate::workshop::use_session;

/// Join with a display name, or anonymously, and optionally a theme group right away.
#[component]
pub fn JoinForm() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let runner = Runner::from_context();
    let error = error_slot();
    // The relay refused the join (the room is full): said here, where it was asked for,
    // not only in the connection line.
    let refused = move || {
        let status = session.link_status()?;
        let reason = status
            .last_refusal
            .filter(|r| matches!(r, RejectReason::RoomFull { .. }))?;
        Some((i18n.phone().relay.refusal)(
            &reason,
            i18n.phone().domain_error,
        ))
    };
    let name = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let join = move |name: String| {
        let group = session
            .with(|w| group_from_key(w, &group.get_untracked()))
            .flatten();
        runner.run_into(error, Command::Join { name, group });
    };
    // What the static first screen's form took while the app loaded: the name, and the
    // join itself if Meedoen was pressed then.
    if let Some(pending) = crate::adapters::first_screen::take_pending_join() {
        name.set(pending.name.clone());
        if pending.join {
            join(pending.name.trim().to_owned());
        }
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        join(name.get_untracked().trim().to_owned());
    };
    view! {
        <form class="panel join-form" on:submit=submit>
            <h2>{tr_phone(|t| t.bs_join_heading)}</h2>
            <div class="field">
                <label for="join-name">{tr_phone(|t| t.bs_name_label)}</label>
                <input id="join-name" type="text" maxlength="80" autocomplete="nickname"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="join-group">{tr_phone(|t| t.bs_group_label)}</label>
                <GroupSelect id="join-group" none_label=|t| t.bs_choose_later current=group on_change=move |key| group.set(key) />
            </div>
            <div class="join-form__actions">
                <button type="submit" class="primary big">{tr_phone(|t| t.bs_join)}</button>
                <button type="button" on:click=move |_| join(String::new())>{tr_phone(|t| t.bs_join_anonymous)}</button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            {move || refused().map(|text| view! { <p class="field-error" role="alert" data-testid="join-refused">{text}</p> })}
        </form>
    }
    .into_any()
}
