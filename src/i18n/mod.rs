//! One typed translation table. Every visible string is a field of [`Strings`], and each
//! language is a `const` value of that struct: a string missing in one language is a
//! compile error, never a blank on the projector.

mod en;
mod nl;

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

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Nl => &nl::NL,
            Lang::En => &en::EN,
        }
    }
}

/// Every string the user can see. Parameterised texts are functions, so word order can
/// differ per language.
pub struct Strings {
    /// The language's own name, shown on the switch ("Nederlands", "English").
    pub language_name: &'static str,
    pub switch_language_label: &'static str,
    pub app_tagline: &'static str,
    pub skip_to_content: &'static str,
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
    pub participant_title: &'static str,
    pub workshop_label: &'static str,
    pub coming_console: &'static str,
    pub coming_projector: &'static str,
    pub coming_participant: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub storage_unavailable: &'static str,
    pub storage_full: &'static str,
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
