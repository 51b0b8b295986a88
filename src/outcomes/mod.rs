//! The outcomes of a workshop: agreements, open ends and follow-up (tamed bears arrive
//! here), the practical assignment, community plans, and every export.
pub mod agreement_item;
pub mod agreement_list;
pub mod agreements_tab;
pub mod calendar_file;
pub mod community_plans;
pub mod export_tab;
pub mod markdown_view;
pub mod participant_outcomes;
pub mod plan_card;
pub mod plan_from_board;
pub mod practical_assignment;
pub mod projector_agreements;
pub mod report_page;

use bijeen_core::report::{file_name, file_stem};
use bijeen_core::{AgreementList, Workshop};

use crate::adapters::clock::now_ms;
use crate::adapters::download::{DownloadError, download_text};
use crate::i18n::{Lang, Strings};

/// The three lists in the order the room works through them.
pub const LISTS: [AgreementList; 3] = [
    AgreementList::Agreement,
    AgreementList::OpenEnd,
    AgreementList::FollowUp,
];

pub fn list_name(t: &'static Strings, list: AgreementList) -> &'static str {
    match list {
        AgreementList::Agreement => t.outcomes.list_agreements,
        AgreementList::OpenEnd => t.outcomes.list_open_ends,
        AgreementList::FollowUp => t.outcomes.list_follow_up,
    }
}

/// Stable keys for ids, `<select>` values and CSS classes.
pub fn list_key(list: AgreementList) -> &'static str {
    match list {
        AgreementList::Agreement => "agreements",
        AgreementList::OpenEnd => "open-ends",
        AgreementList::FollowUp => "follow-up",
    }
}

pub fn list_from_key(key: &str) -> Option<AgreementList> {
    LISTS.into_iter().find(|list| list_key(*list) == key)
}

/// The report's language follows the language on screen.
pub fn core_lang(lang: Lang) -> bijeen_core::Lang {
    match lang {
        Lang::Nl => bijeen_core::Lang::Nl,
        Lang::En => bijeen_core::Lang::En,
    }
}

/// "a, b ,, c" → ["a", "b", "c"]: the core refuses blank or untrimmed items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An empty field clears a target; anything else must be a whole number.
pub fn parse_count(text: &str) -> Result<Option<u32>, std::num::ParseIntError> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some)
    }
}

/// A file name from the workshop's title and date.
fn named(w: &Workshop, extension: &str) -> String {
    file_name(&w.meta.title, &w.meta.date, extension)
}

/// Downloads the Markdown report in `lang`; returns the file name.
pub fn download_report(w: &Workshop, lang: Lang) -> Result<String, DownloadError> {
    let name = named(w, "md");
    let text = bijeen_core::report::markdown_report(w, core_lang(lang));
    download_text(&name, "text/markdown;charset=utf-8", &text).map(|()| name)
}

/// Downloads every note as CSV, headers and values in `lang`. The byte-order mark makes
/// spreadsheet programs read the file as UTF-8, so "Leeuwarden–Fryslân" does not turn
/// into mojibake.
pub fn download_csv(w: &Workshop, lang: Lang) -> Result<String, DownloadError> {
    let name = named(w, "csv");
    let text = format!(
        "\u{feff}{}",
        bijeen_core::report::notes_csv(w, core_lang(lang))
    );
    download_text(&name, "text/csv;charset=utf-8", &text).map(|()| name)
}

/// Downloads the follow-up actions that have an owner and a due date as a calendar file
/// (see `bijeen_core::ics`), descriptions in `lang`; returns the file name. `workshop_id`
/// keeps each event's UID apart from another workshop's.
pub fn download_ics(w: &Workshop, workshop_id: &str, lang: Lang) -> Result<String, DownloadError> {
    let suffix = match lang {
        Lang::Nl => "vervolg",
        Lang::En => "follow-up",
    };
    let name = format!("{}-{suffix}.ics", file_stem(&w.meta.title, &w.meta.date));
    let text = bijeen_core::ics::follow_up_ics(w, workshop_id, core_lang(lang), now_ms());
    download_text(&name, "text/calendar;charset=utf-8", &text).map(|()| name)
}
