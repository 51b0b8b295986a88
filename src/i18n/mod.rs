//! One typed translation table. Every visible string is a field of [`Strings`], and each
//! language is a `const` value of that struct: a string missing in one language is a
//! compile error, never a blank on the projector. What a participant's phone shows is its
//! own part of it, [`PhoneStrings`] (`Strings::phone`), which the phone's screens read
//! through [`I18n::phone`]: the phone's entry links that part alone, 8.4 KB brotli less than
//! the whole table in both languages with every text function in it.

pub mod bears;
mod en;
mod nl;
pub mod outcomes;
pub mod relay;
pub mod remote;
pub mod schedule;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The languages the app speaks. Dutch first: the seed workshop is Dutch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag for `<html lang>`, so screen readers pronounce the right language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// What a phone shows, without linking the rest of the table.
    pub fn phone(self) -> &'static PhoneStrings {
        match self {
            Lang::Nl => &nl::PHONE_NL,
            Lang::En => &en::PHONE_EN,
        }
    }

    /// What the phone remote shows of its own, without linking the rest of the table.
    pub fn remote(self) -> &'static remote::RemoteStrings {
        match self {
            Lang::Nl => &remote::NL,
            Lang::En => &remote::EN,
        }
    }

    /// Back on schedule and starting late: the console's and the remote's.
    pub fn schedule(self) -> &'static schedule::ScheduleStrings {
        match self {
            Lang::Nl => &schedule::NL,
            Lang::En => &schedule::EN,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Nl => &nl::NL,
            Lang::En => &en::EN,
        }
    }

    /// Why an import was refused, in plain words. Not in [`Strings`]: only the home page
    /// imports, and a function in the table is linked into every entry that reads the table.
    pub fn import_error(self, error: &bijeen_core::export::ImportError) -> String {
        match self {
            Lang::Nl => nl::import_error(error),
            Lang::En => en::import_error(error),
        }
    }
}

/// Every string the user can see. Parameterised texts are functions, so word order can
/// differ per language; error texts are exhaustive matches over the core's typed errors.
pub struct Strings {
    /// What the phone shows too (its own table, see [`PhoneStrings`]).
    pub phone: &'static PhoneStrings,
    /// Inviting participants, joining by code, connection state.
    pub relay: &'static relay::RelayStrings,
    /// The berenschiet wall.
    pub bears: &'static bears::BearStrings,
    /// Agreements, community plans and export.
    pub outcomes: &'static outcomes::OutcomeStrings,
    /// Back on schedule, and starting when you start.
    pub schedule: &'static schedule::ScheduleStrings,
    /// The facilitator's phone remote.
    pub remote: &'static remote::RemoteStrings,
    pub nav_home: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_workshops_heading: &'static str,
    pub home_no_workshops: &'static str,
    pub home_roles_heading: &'static str,
    pub role_facilitator: &'static str,
    pub role_facilitator_text: &'static str,
    pub role_participant: &'static str,
    pub role_participant_text: &'static str,
    pub role_organiser: &'static str,
    pub role_organiser_text: &'static str,
    pub console_title: &'static str,
    pub projector_title: &'static str,
    pub coming_participant: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    // home: new, import, list
    pub new_heading: &'static str,
    pub template_label: &'static str,
    pub template_seed: &'static str,
    pub template_empty: &'static str,
    pub create_button: &'static str,
    pub import_heading: &'static str,
    pub import_label: &'static str,
    pub import_help: &'static str,
    pub import_failed: fn(usize) -> String,
    pub imported: fn(&str) -> String,
    pub column_title: &'static str,
    pub column_date: &'static str,
    pub column_changed: &'static str,
    pub column_actions: &'static str,
    pub open_button: &'static str,
    pub duplicate_button: &'static str,
    pub copy_suffix: &'static str,
    pub untitled: &'static str,
    pub delete_dialog_title: &'static str,
    pub delete_dialog_text: fn(&str) -> String,
    pub export_first_button: &'static str,
    pub delete_confirm_button: &'static str,
    pub export_json_button: &'static str,
    // console: plan
    pub tab_plan: &'static str,
    pub workshop_title_label: &'static str,
    pub workshop_date_label: &'static str,
    pub planned_start_label: &'static str,
    pub planned_end_label: &'static str,
    pub agenda_heading: &'static str,
    pub agenda_fits: fn(&str, &str) -> String,
    pub agenda_conflict: fn(&str, &str, i32) -> String,
    pub block_number: fn(usize) -> String,
    pub block_title_label: &'static str,
    pub block_duration_label: &'static str,
    pub block_work_form_label: &'static str,
    pub block_lead_label: &'static str,
    pub block_notes_label: &'static str,
    pub block_examples_label: &'static str,
    pub block_activity_label: &'static str,
    pub activity_none: &'static str,
    pub activity_brainstorm: &'static str,
    pub activity_bears: &'static str,
    pub activity_agreements: &'static str,
    pub minutes_short: &'static str,
    pub move_up: fn(&str) -> String,
    pub move_down: fn(&str) -> String,
    pub delete_block: fn(&str) -> String,
    pub start_this_block: fn(&str) -> String,
    pub drag_handle: fn(&str) -> String,
    pub add_block: &'static str,
    pub new_block_title: &'static str,
    pub block_deleted: fn(&str) -> String,
    pub undo: &'static str,
    pub details_toggle: &'static str,
    // console: run
    pub run_heading: &'static str,
    pub start_workshop: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub minus_minute: &'static str,
    pub plus_minute: &'static str,
    pub plus_five: &'static str,
    pub previous_block: &'static str,
    pub next_block: &'static str,
    pub finish_workshop: &'static str,
    /// The projector's closing line once the workshop is finished.
    pub finished_thanks: &'static str,
    pub reopen_workshop: &'static str,
    /// The projector during the last block when it has no duration (a closing moment).
    pub goodbye: &'static str,
    pub on_schedule: &'static str,
    pub minutes_behind: fn(i64) -> String,
    pub minutes_ahead: fn(i64) -> String,
    pub projected_end: fn(&str) -> String,
    pub timeline_label: &'static str,
    pub timeline_block: fn(&str, u16, Option<i64>) -> String,
    pub open_projector: &'static str,
    pub sound_on: &'static str,
    pub sound_off: &'static str,
    pub help_button: &'static str,
    pub help_title: &'static str,
    pub help_close: &'static str,
    pub shortcuts: [(&'static str, &'static str); 6],
    pub last_block: &'static str,
    pub starts_at: fn(&str) -> String,
    pub fullscreen: &'static str,
    pub agenda_strip_label: &'static str,
    // brainstorm board and participant view
    pub bs_tab: &'static str,
    pub bs_groups_heading: &'static str,
    pub bs_new_group_label: &'static str,
    pub bs_add_group: &'static str,
    pub bs_group_name_label: fn(usize) -> String,
    pub bs_group_colour_label: &'static str,
    pub bs_delete_group: fn(&str) -> String,
    pub bs_board_heading: &'static str,
    pub bs_board_is_open: &'static str,
    pub bs_board_is_closed: &'static str,
    pub bs_hidden_status: &'static str,
    pub bs_revealed_status: &'static str,
    pub bs_voting_status: fn(u32, bool) -> String,
    pub bs_open_board: &'static str,
    pub bs_close_board: &'static str,
    pub bs_hide_until_reveal: &'static str,
    pub bs_reveal: &'static str,
    pub bs_voting_heading: &'static str,
    pub bs_budget_label: &'static str,
    pub bs_allow_multiple: &'static str,
    pub bs_open_voting: &'static str,
    pub bs_close_voting: &'static str,
    pub bs_sort_by_votes: &'static str,
    pub bs_counters_heading: &'static str,
    pub bs_per_group: &'static str,
    pub bs_per_category: &'static str,
    pub bs_participants_label: &'static str,
    pub bs_participants_joined: &'static str,
    pub bs_participants_contributing: &'static str,
    pub bs_notes_heading: &'static str,
    pub bs_note_count: fn(usize) -> String,
    pub bs_stacking_hint: &'static str,
    pub bs_anonymous: &'static str,
    pub bs_hidden_badge: &'static str,
    pub bs_cluster_title_label: &'static str,
    pub bs_move_note_label: fn(&str) -> String,
    pub bs_hide: &'static str,
    pub bs_hide_note: fn(&str) -> String,
    pub bs_stack: &'static str,
    pub bs_stack_note: fn(&str) -> String,
    pub bs_stack_here: &'static str,
    pub bs_stack_here_label: fn(&str) -> String,
    pub bs_unstack: &'static str,
    pub bs_unstack_note: fn(&str) -> String,
    pub bs_stack_label: &'static str,
    pub bs_projector_hidden: &'static str,
    pub bs_projector_open: &'static str,
    pub bs_projector_voting: fn(u32) -> String,
}

/// Every string a participant's phone can show, its header, connection line and countdown
/// included: a table of its own, so the phone's entry links only this one (calling
/// [`Lang::strings`] links the whole table, in both languages, with every text function in
/// it). The other entries reach it as [`Strings::phone`].
pub struct PhoneStrings {
    pub relay: &'static relay::PhoneRelayStrings,
    pub bears: &'static bears::PhoneBearStrings,
    pub outcomes: &'static outcomes::PhoneOutcomeStrings,
    /// The language's own name, shown on the switch ("Nederlands", "English").
    pub language_name: &'static str,
    pub switch_language_label: &'static str,
    pub app_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub participant_title: &'static str,
    pub workshop_label: &'static str,
    pub back_home: &'static str,
    pub storage_unavailable: &'static str,
    pub storage_full: &'static str,
    pub storage_refused: &'static str,
    pub workshop_not_found: &'static str,
    pub workshop_damaged: &'static str,
    /// Changes from another window or the relay that clashed with this window's and were
    /// not taken in.
    pub changes_not_taken_in: fn(usize) -> String,
    pub delete_button: &'static str,
    pub cancel_button: &'static str,
    pub block_materials_label: &'static str,
    pub timer_idle: &'static str,
    /// After "finish workshop": on the console, the projector and the phones.
    pub workshop_finished: &'static str,
    pub timer_paused: &'static str,
    pub timer_overrun: &'static str,
    pub timer_warning: &'static str,
    pub time_left_label: &'static str,
    /// The phone's section on the running block: work form, examples, materials.
    pub block_about_heading: &'static str,
    pub up_next: fn(&str) -> String,
    pub lead_by: fn(&str) -> String,
    // errors from the core, in plain words
    pub domain_error: fn(bijeen_core::DomainError) -> String,
    pub bs_colour_yellow: &'static str,
    pub bs_colour_pink: &'static str,
    pub bs_colour_blue: &'static str,
    pub bs_colour_green: &'static str,
    pub bs_colour_orange: &'static str,
    pub bs_colour_purple: &'static str,
    pub bs_no_group: &'static str,
    pub bs_category_partner: &'static str,
    pub bs_category_network: &'static str,
    pub bs_category_form: &'static str,
    pub bs_category_activity: &'static str,
    pub bs_no_category: &'static str,
    pub bs_category_label: &'static str,
    pub bs_note_text_label: &'static str,
    pub bs_votes: fn(u32) -> String,
    pub bs_delete_note: fn(&str) -> String,
    pub bs_withheld: fn(usize) -> String,
    pub bs_now_label: &'static str,
    pub bs_join_heading: &'static str,
    pub bs_name_label: &'static str,
    pub bs_group_label: &'static str,
    pub bs_choose_later: &'static str,
    pub bs_join: &'static str,
    pub bs_join_anonymous: &'static str,
    pub bs_joined_as: fn(&str) -> String,
    pub bs_joined_anonymously: &'static str,
    pub bs_dots_left: fn(u32, u32) -> String,
    pub bs_add_note_heading: &'static str,
    pub bs_board_closed_hint: &'static str,
    pub bs_add_note: &'static str,
    pub bs_group_notes_heading: &'static str,
    pub bs_no_notes_yet: &'static str,
    pub bs_mine_badge: &'static str,
    pub bs_save: &'static str,
    pub bs_edit: &'static str,
    pub bs_edit_note: fn(&str) -> String,
    pub bs_vote: &'static str,
    pub bs_vote_for: fn(&str) -> String,
    pub bs_unvote: &'static str,
    pub bs_unvote_for: fn(&str) -> String,
    pub bs_my_dots: fn(u32) -> String,
}

const LANGUAGE_KEY: &str = "bijeen.language";
const LANGUAGE_CHANNEL: &str = "bijeen.language";

/// The active language, shared by every component through context. Switching persists the
/// choice and tells the other windows of this browser, so the projector follows the console.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
    channel: StoredValue<Option<crate::adapters::broadcast::Broadcast<Lang>>, LocalStorage>,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The strings of the active language; reading them subscribes the caller.
    pub fn t(&self) -> &'static Strings {
        self.lang.get().strings()
    }

    /// The phone's strings of the active language ([`PhoneStrings`]); reading them
    /// subscribes the caller.
    pub fn phone(&self) -> &'static PhoneStrings {
        self.lang.get().phone()
    }

    /// The remote's own strings of the active language; reading them subscribes the caller.
    pub fn remote(&self) -> &'static remote::RemoteStrings {
        self.lang.get().remote()
    }

    /// The schedule's strings of the active language; reading them subscribes the caller.
    pub fn schedule(&self) -> &'static schedule::ScheduleStrings {
        self.lang.get().schedule()
    }

    pub fn set(&self, lang: Lang) {
        if self.lang.get_untracked() == lang {
            return;
        }
        self.lang.set(lang);
        // A language that cannot be saved still applies to this window; nothing to report.
        if let Ok(store) = crate::adapters::storage::LocalStore::open() {
            let _ = store.set(LANGUAGE_KEY, &lang);
        }
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                let _ = channel.post(&lang);
            }
        });
    }
}

/// Creates the language context for the whole app: the saved choice, or Dutch.
pub fn provide_i18n() -> I18n {
    let saved = crate::adapters::storage::LocalStore::open()
        .ok()
        .and_then(|store| store.get::<Lang>(LANGUAGE_KEY).ok().flatten());
    let lang = RwSignal::new(saved.unwrap_or_default());
    // Another window switched: follow it. Applied in the callback, not in an effect.
    let channel =
        crate::adapters::broadcast::Broadcast::open(LANGUAGE_CHANNEL, move |other: Lang| {
            lang.set(other)
        })
        .ok();
    let i18n = I18n {
        lang,
        channel: StoredValue::new_local(channel),
    };
    // Mirror outward only: the document language follows the signal for screen readers.
    Effect::new(move |_| {
        let tag = lang.get().tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
