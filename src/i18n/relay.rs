//! Strings of the relay link: inviting participants, joining by code, connection state.
//! A part of the one translation table ([`super::Strings::relay`]).

pub struct RelayStrings {
    pub invite_heading: &'static str,
    pub invite_button: &'static str,
    pub invite_help: &'static str,
    pub invite_code_label: &'static str,
    pub invite_link_label: &'static str,
    pub relay_unreachable: &'static str,
    pub relay_refused: &'static str,
    pub status_label: &'static str,
    pub status_connected: &'static str,
    pub status_connecting: &'static str,
    pub status_reconnecting: &'static str,
    pub status_failed: &'static str,
    pub offline_hint: &'static str,
    pub unsent: fn(usize) -> String,
    pub online: fn(u32) -> String,
    pub refused: fn(usize) -> String,
    pub join_heading: &'static str,
    pub join_code_label: &'static str,
    pub join_button: &'static str,
    pub join_looking: &'static str,
    pub join_not_found: &'static str,
    pub join_bad_code: &'static str,
    /// Accessible name of the join QR code (console and projector).
    pub qr_label: &'static str,
    pub projector_join_heading: &'static str,
    pub projector_join_code_label: &'static str,
    pub projector_join_link_label: &'static str,
}

pub const NL: RelayStrings = RelayStrings {
    invite_heading: "Deelnemers op hun eigen apparaat",
    invite_button: "Deelnemers uitnodigen",
    invite_help: "Maakt een ruimte op deze server. Deelnemers doen mee met de code of de link, vanaf hun telefoon of laptop.",
    invite_code_label: "Code",
    invite_link_label: "Link voor deelnemers",
    relay_unreachable: "Geen server bereikbaar: de workshop blijft in deze browser. Probeer het opnieuw als de verbinding terug is.",
    relay_refused: "De server weigerde een ruimte te maken. Probeer het later opnieuw.",
    status_label: "Verbinding",
    status_connected: "Verbonden",
    status_connecting: "Verbinden…",
    status_reconnecting: "Opnieuw verbinden…",
    status_failed: "Verbinding geweigerd",
    offline_hint: "Je notities worden bewaard en verstuurd zodra je weer online bent.",
    unsent: |n| {
        if n == 1 {
            "1 wijziging nog niet verstuurd".to_owned()
        } else {
            format!("{n} wijzigingen nog niet verstuurd")
        }
    },
    online: |n| format!("{n} online"),
    refused: |n| {
        if n == 1 {
            "1 wijziging geweigerd door de server".to_owned()
        } else {
            format!("{n} wijzigingen geweigerd door de server")
        }
    },
    join_heading: "Meedoen met een code",
    join_code_label: "Code van het scherm",
    join_button: "Meedoen",
    join_looking: "Workshop zoeken…",
    join_not_found: "Er is geen workshop met deze code. Kijk nog eens naar de code op het scherm.",
    join_bad_code: "Een code heeft zes tekens, zoals K7MX2Q.",
    qr_label: "QR-code om mee te doen",
    projector_join_heading: "Doe mee met je telefoon",
    projector_join_code_label: "Code",
    projector_join_link_label: "of ga naar",
};

pub const EN: RelayStrings = RelayStrings {
    invite_heading: "Participants on their own devices",
    invite_button: "Invite participants",
    invite_help: "Creates a room on this server. Participants join with the code or the link, from their phone or laptop.",
    invite_code_label: "Code",
    invite_link_label: "Link for participants",
    relay_unreachable: "No server can be reached: the workshop stays in this browser. Try again when the connection is back.",
    relay_refused: "The server refused to create a room. Try again later.",
    status_label: "Connection",
    status_connected: "Connected",
    status_connecting: "Connecting…",
    status_reconnecting: "Reconnecting…",
    status_failed: "Connection refused",
    offline_hint: "Your notes are kept and sent as soon as you are back online.",
    unsent: |n| {
        if n == 1 {
            "1 change not sent yet".to_owned()
        } else {
            format!("{n} changes not sent yet")
        }
    },
    online: |n| format!("{n} online"),
    refused: |n| {
        if n == 1 {
            "1 change refused by the server".to_owned()
        } else {
            format!("{n} changes refused by the server")
        }
    },
    join_heading: "Join with a code",
    join_code_label: "Code on the screen",
    join_button: "Join",
    join_looking: "Looking for the workshop…",
    join_not_found: "There is no workshop with this code. Look at the code on the screen again.",
    join_bad_code: "A code has six characters, like K7MX2Q.",
    qr_label: "QR code to join",
    projector_join_heading: "Join from your phone",
    projector_join_code_label: "Code",
    projector_join_link_label: "or go to",
};
