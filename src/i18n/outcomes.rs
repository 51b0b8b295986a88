//! Strings of the outcomes: agreements, open ends, follow-up, community plans, and export.
//! A part of the one translation table ([`super::Strings::outcomes`]).

pub struct OutcomeStrings {
    pub tab_agreements: &'static str,
    pub tab_export: &'static str,
}

pub const NL: OutcomeStrings = OutcomeStrings {
    tab_agreements: "Afspraken",
    tab_export: "Export",
};

pub const EN: OutcomeStrings = OutcomeStrings {
    tab_agreements: "Agreements",
    tab_export: "Export",
};
