use bijeen_protocol::RejectReason;
use bijeen_view::Intent;
use leptos::prelude::*;

use crate::phone::group_picker::PhoneGroupSelect;
use crate::phone::{refusal_text, use_phone};
use crate::ui::tr_phone;

/// Join with a display name, or anonymously, and optionally a theme group right away.
#[component]
pub fn JoinForm() -> impl IntoView {
    let phone = use_phone();
    let i18n = crate::i18n::use_i18n();
    let asked = RwSignal::new(None::<u64>);
    let error = refusal_text(phone, asked);
    let room_full = move || {
        let key = asked.get()?;
        matches!(phone.refusal_of(key), Some(RejectReason::RoomFull { .. }))
            .then(error)
            .flatten()
    };
    let name = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let join = move |name: String| {
        let group = Some(group.get_untracked()).filter(|g| !g.is_empty());
        asked.set(Some(phone.ask(Intent::Join { name, group })));
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
    // Asked for and not yet answered (offline): said, so the form does not look dead.
    let waiting = move || {
        asked
            .get()
            .is_some_and(|key| phone.pending.with(|p| p.iter().any(|p| p.key == key)))
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
                <PhoneGroupSelect id="join-group" none_label=|t| t.bs_choose_later current=group on_change=move |key| group.set(key) />
            </div>
            <div class="join-form__actions">
                <button type="submit" class="primary big">{tr_phone(|t| t.bs_join)}</button>
                <button type="button" on:click=move |_| join(String::new())>{tr_phone(|t| t.bs_join_anonymous)}</button>
            </div>
            <Show when=waiting>
                <p class="hint" role="status">{move || i18n.phone().relay.offline_hint}</p>
            </Show>
            <p class="field-error" role="alert">{move || if room_full().is_some() { None } else { error() }}</p>
            {move || room_full().map(|text| view! { <p class="field-error" role="alert" data-testid="join-refused">{text}</p> })}
        </form>
    }
    .into_any()
}
