//! Translated text for views: one concrete signal type per kind of text, so every label
//! shares one instantiation of the view code (the wasm stays small).

use leptos::prelude::{Memo, Signal, With};

use crate::i18n::{PhoneStrings, Strings, use_i18n};

/// A translated text that follows the active language.
pub fn tr(pick: fn(&'static Strings) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()))
}

/// [`tr`] from the phone's own table: what the phone's entry and the screens it shares
/// with the others (header, connection line, countdown) use, so it links no other string.
pub fn tr_phone(pick: fn(&'static PhoneStrings) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.phone()))
}

/// [`tr_about`] from the phone's own table.
pub fn tr_phone_about(
    pick: fn(&'static PhoneStrings, &str) -> String,
    subject: Memo<String>,
) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || subject.with(|s| pick(i18n.phone(), s)))
}

/// [`tr`] for a text about something (a note, a group): `pick(strings, subject)`.
pub fn tr_about(
    pick: fn(&'static Strings, &str) -> String,
    subject: Memo<String>,
) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || subject.with(|s| pick(i18n.t(), s)))
}

/// The first 40 characters of a card's text, for the accessible names of its buttons.
pub fn short_label(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}
