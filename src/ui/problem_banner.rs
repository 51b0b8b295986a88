use leptos::prelude::*;

use crate::adapters::storage::StorageError;
use crate::i18n::use_i18n;
use crate::workshop::session::SessionProblem;

/// A plain-words banner for anything that keeps a workshop from being shown or saved.
#[component]
pub fn ProblemBanner(#[prop(into)] problem: Signal<Option<SessionProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.phone();
        problem.get().map(|problem| {
            let text = match problem {
                SessionProblem::NotFound => t.workshop_not_found.to_owned(),
                SessionProblem::Damaged(reason) => format!("{} ({reason})", t.workshop_damaged),
                SessionProblem::Storage(error) => storage_text(t, &error).to_owned(),
                SessionProblem::NotTakenIn(count) => (t.changes_not_taken_in)(count),
            };
            view! { <p class="banner banner--problem" role="alert">{text}</p> }
        })
    }
}

pub fn storage_text(t: &'static crate::i18n::PhoneStrings, error: &StorageError) -> &'static str {
    match error {
        StorageError::Unavailable => t.storage_unavailable,
        StorageError::QuotaExceeded => t.storage_full,
        StorageError::WriteRefused(_) | StorageError::Unreadable { .. } => t.storage_refused,
    }
}
