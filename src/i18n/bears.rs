//! Strings of the berenschiet wall: console tab, projector phases, participant collect view.
//! A part of the one translation table ([`super::Strings::bears`]).

pub struct BearStrings {
    pub tab: &'static str,
}

pub const NL: BearStrings = BearStrings { tab: "Beren" };

pub const EN: BearStrings = BearStrings { tab: "Bears" };
