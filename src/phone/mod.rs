//! The participant's phone (`participant.html`, for `/j/CODE` and `/w/ID/join`). It holds
//! no replica of the workshop: the relay sends the view this participant may see and takes
//! their intents ([`link`]), so the download carries none of the model, the merge or the
//! sync, and nothing hidden from this participant ever reaches the device. A participant's
//! window in the facilitator's own browser (no relay needed) is `participant/`, in the
//! window entry.

pub mod bear_form;
pub mod block_about;
pub mod earlier_changes_first;
pub mod group_notes;
pub mod group_picker;
pub mod join_form;
pub mod join_page;
pub mod link;
pub mod my_contributions;
pub mod note_form;
pub mod now_bar;
pub mod own_bear;
pub mod phone_bears;
pub mod phone_note;
pub mod phone_page;
pub mod single_tab;
pub mod vote_buttons;
pub mod wall_bear;

use bijeen_core::{BearPhase, BearStatus, Category};
use bijeen_protocol::RejectReason;
use bijeen_view as view;
use leptos::prelude::*;

use crate::i18n::use_i18n;
pub use link::PhoneLink;

pub fn use_phone() -> PhoneLink {
    expect_context::<PhoneLink>()
}

/// The refusal of the intent with `key`, in the active language, for the field-error line
/// next to the control that asked for it.
pub fn refusal_text(
    phone: PhoneLink,
    key: RwSignal<Option<u64>>,
) -> impl Fn() -> Option<String> + Copy {
    let i18n = use_i18n();
    move || {
        let key = key.get()?;
        let reason = phone.refusal_of(key)?;
        let t = i18n.phone();
        Some(match reason {
            RejectReason::Forbidden { error } => (t.domain_error)(error),
            other => (t.relay.refusal)(&other, t.domain_error),
        })
    }
}

/// A category from its wire name (the core's serde name).
pub fn category_of(name: &str) -> Option<Category> {
    Category::ALL
        .into_iter()
        .find(|c| bijeen_core::phone_view::category_key(*c) == name)
}

pub fn bear_phase(p: view::BearPhase) -> BearPhase {
    match p {
        view::BearPhase::Collect => BearPhase::Collect,
        view::BearPhase::Reveal => BearPhase::Reveal,
        view::BearPhase::Cluster => BearPhase::Cluster,
        view::BearPhase::Vote => BearPhase::Vote,
        view::BearPhase::Shoot => BearPhase::Shoot,
        view::BearPhase::Closed => BearPhase::Closed,
    }
}

pub fn bear_status(s: view::BearStatus) -> BearStatus {
    match s {
        view::BearStatus::Open => BearStatus::Open,
        view::BearStatus::Shot => BearStatus::Shot,
        view::BearStatus::Tamed => BearStatus::Tamed,
        view::BearStatus::Parked => BearStatus::Parked,
    }
}
