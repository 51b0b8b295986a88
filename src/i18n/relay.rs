//! Strings of the relay link: inviting participants, joining by code, connection state.
//! A part of the one translation table ([`super::Strings::relay`]).

use bijeen_core::DomainError;
use bijeen_protocol::{Capacity, ErrorCode, RejectReason};

/// The language's words for the core's errors ([`super::Strings::domain_error`]).
pub type DomainText = fn(DomainError) -> String;

pub struct RelayStrings {
    pub invite_heading: &'static str,
    pub invite_button: &'static str,
    pub invite_help: &'static str,
    pub invite_code_label: &'static str,
    pub invite_link_label: &'static str,
    pub relay_refused: &'static str,
    pub join_code_label: &'static str,
    pub join_button: &'static str,
    /// Accessible name of the join QR code (console and projector).
    pub qr_label: &'static str,
    pub projector_join_heading: &'static str,
    pub projector_join_code_label: &'static str,
    pub projector_join_link_label: &'static str,
    /// The relay would not create a room: too many rooms, or too many attempts.
    pub rooms_full: &'static str,
}

/// The part of [`RelayStrings`] a participant's phone shows ([`super::PhoneStrings`]).
pub struct PhoneRelayStrings {
    pub relay_unreachable: &'static str,
    pub status_label: &'static str,
    pub status_connected: &'static str,
    pub status_connecting: &'static str,
    pub status_reconnecting: &'static str,
    pub status_failed: &'static str,
    pub offline_hint: &'static str,
    /// On a phone's own note or bear the relay has not taken yet.
    pub not_sent_yet: &'static str,
    /// A phone opened a workshop's participant page it never joined.
    pub phone_not_joined: &'static str,
    /// The phone's page is open in another tab of this browser already.
    pub phone_open_elsewhere: &'static str,
    /// Downloading one's contributions needs the relay, which is out of reach.
    pub report_needs_connection: &'static str,
    pub unsent: fn(usize) -> String,
    pub online: fn(u32) -> String,
    pub refused: fn(usize) -> String,
    pub join_heading: &'static str,
    pub join_looking: &'static str,
    pub join_not_found: &'static str,
    pub join_bad_code: &'static str,
    /// Why the link is trying again (a full room, a connection closed by the server).
    pub retrying: fn(&ErrorCode) -> Option<String>,
    /// Why the relay refused a change, for the line next to the count.
    pub refusal: fn(&RejectReason, DomainText) -> String,
    /// Too many rooms made, or codes tried, from this network in a short time.
    pub too_many_attempts: &'static str,
}

pub const NL: RelayStrings = RelayStrings {
    invite_heading: "Deelnemers op hun eigen apparaat",
    invite_button: "Deelnemers uitnodigen",
    invite_help: "Maakt een ruimte op deze server. Deelnemers doen mee met de code of de link, vanaf hun telefoon of laptop.",
    invite_code_label: "Code",
    invite_link_label: "Link voor deelnemers",
    relay_refused: "De server weigerde een ruimte te maken. Probeer het later opnieuw.",
    join_code_label: "Code van het scherm",
    join_button: "Meedoen",
    qr_label: "QR-code om mee te doen",
    projector_join_heading: "Doe mee met je telefoon",
    projector_join_code_label: "Code",
    projector_join_link_label: "of ga naar",
    rooms_full: "De server heeft zijn maximum aantal ruimtes bereikt. Probeer het later opnieuw; de workshop blijft in deze browser.",
};

pub const PHONE_NL: PhoneRelayStrings = PhoneRelayStrings {
    relay_unreachable: "Geen server bereikbaar: de workshop blijft in deze browser. Probeer het opnieuw als de verbinding terug is.",
    status_label: "Verbinding",
    status_connected: "Verbonden",
    status_connecting: "Verbinden…",
    status_reconnecting: "Opnieuw verbinden…",
    status_failed: "Verbinding geweigerd",
    offline_hint: "Je notities worden bewaard en verstuurd zodra je weer online bent.",
    not_sent_yet: "Nog niet verstuurd",
    phone_not_joined: "Deze telefoon doet nog niet mee aan deze workshop. Scan de QR-code op het scherm of typ de code op de beginpagina.",
    phone_open_elsewhere: "Deze workshop is al open in een ander tabblad van deze browser. Ga daarheen, of sluit dat tabblad en laad deze pagina opnieuw.",
    report_needs_connection: "Je bijdragen downloaden kan zodra je weer verbonden bent.",
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
    join_looking: "Workshop zoeken…",
    join_not_found: "Er is geen workshop met deze code. Kijk nog eens naar de code op het scherm.",
    join_bad_code: "Een code heeft zes tekens, zoals K7MX2Q.",
    retrying: |code| match code {
        ErrorCode::RoomFull { .. } => {
            Some("De ruimte is vol. Zodra er plek is, doe je vanzelf mee.".to_owned())
        }
        ErrorCode::Idle { .. } | ErrorCode::TooSlow => {
            Some("De verbinding viel stil en wordt opnieuw opgebouwd.".to_owned())
        }
        ErrorCode::ShuttingDown => {
            Some("De server start opnieuw op; je wijzigingen wachten tot hij terug is.".to_owned())
        }
        _ => None,
    },
    refusal: |reason, domain| {
        match reason {
        RejectReason::ClockAhead { .. } => {
            "De klok van dit apparaat loopt voor. Zet de tijd goed (automatisch instellen) en laad de pagina opnieuw.".to_owned()
        }
        RejectReason::Forbidden { error } => domain(*error),
        RejectReason::TooManyNotes { max } => {
            format!("Je hebt het maximum van {max} geeltjes bereikt.")
        }
        RejectReason::RoomFull { max } => {
            let people = if *max == 1 { "deelnemer" } else { "deelnemers" };
            format!("De workshop is vol: er doen al {max} {people} mee, er kan niemand meer bij.")
        }
        RejectReason::RoomCapacity {
            what: Capacity::Ops,
            ..
        } => "De ruimte is vol: de server bewaart er niets meer bij.".to_owned(),
        RejectReason::RoomCapacity {
            what: Capacity::Actors,
            ..
        } => "Er kunnen geen nieuwe apparaten meer bij in deze ruimte.".to_owned(),
        RejectReason::TooLarge { .. } => "Deze wijziging is te groot om te versturen.".to_owned(),
        RejectReason::NotYourActor { .. }
        | RejectReason::ZeroSeq
        | RejectReason::SeqTooLarge { .. }
        | RejectReason::ConflictingOp
        | RejectReason::BadActor => {
            "Deze wijziging past niet bij wat de server al heeft. Laad de pagina opnieuw.".to_owned()
        }
    }
    },
    too_many_attempts: "Er zijn vanaf dit netwerk net heel veel pogingen gedaan. Wacht een minuut en probeer het opnieuw.",
};

pub const EN: RelayStrings = RelayStrings {
    invite_heading: "Participants on their own devices",
    invite_button: "Invite participants",
    invite_help: "Creates a room on this server. Participants join with the code or the link, from their phone or laptop.",
    invite_code_label: "Code",
    invite_link_label: "Link for participants",
    relay_refused: "The server refused to create a room. Try again later.",
    join_code_label: "Code on the screen",
    join_button: "Join",
    qr_label: "QR code to join",
    projector_join_heading: "Join from your phone",
    projector_join_code_label: "Code",
    projector_join_link_label: "or go to",
    rooms_full: "The server has its maximum number of rooms. Try again later; the workshop stays in this browser.",
};

pub const PHONE_EN: PhoneRelayStrings = PhoneRelayStrings {
    relay_unreachable: "No server can be reached: the workshop stays in this browser. Try again when the connection is back.",
    status_label: "Connection",
    status_connected: "Connected",
    status_connecting: "Connecting…",
    status_reconnecting: "Reconnecting…",
    status_failed: "Connection refused",
    offline_hint: "Your notes are kept and sent as soon as you are back online.",
    not_sent_yet: "Not sent yet",
    phone_not_joined: "This phone has not joined this workshop yet. Scan the QR code on the screen or type the code on the home page.",
    phone_open_elsewhere: "This workshop is open in another tab of this browser already. Go there, or close that tab and reload this page.",
    report_needs_connection: "You can download your contributions once you are connected again.",
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
    join_looking: "Looking for the workshop…",
    join_not_found: "There is no workshop with this code. Look at the code on the screen again.",
    join_bad_code: "A code has six characters, like K7MX2Q.",
    retrying: |code| match code {
        ErrorCode::RoomFull { .. } => {
            Some("The room is full. You join by yourself as soon as there is room.".to_owned())
        }
        ErrorCode::Idle { .. } | ErrorCode::TooSlow => {
            Some("The connection went quiet and is being set up again.".to_owned())
        }
        ErrorCode::ShuttingDown => {
            Some("The server is restarting; your changes wait until it is back.".to_owned())
        }
        _ => None,
    },
    refusal: |reason, domain| {
        match reason {
        RejectReason::ClockAhead { .. } => {
            "This device's clock is fast. Set the time right (set automatically) and reload the page.".to_owned()
        }
        RejectReason::Forbidden { error } => domain(*error),
        RejectReason::TooManyNotes { max } => format!("You have reached the maximum of {max} notes."),
        RejectReason::RoomFull { max } => {
            let people = if *max == 1 { "participant" } else { "participants" };
            format!("The workshop is full: {max} {people} take part already, nobody else can join.")
        }
        RejectReason::RoomCapacity {
            what: Capacity::Ops,
            ..
        } => "The room is full: the server stores nothing more in it.".to_owned(),
        RejectReason::RoomCapacity {
            what: Capacity::Actors,
            ..
        } => "No more devices can join this room.".to_owned(),
        RejectReason::TooLarge { .. } => "This change is too large to send.".to_owned(),
        RejectReason::NotYourActor { .. }
        | RejectReason::ZeroSeq
        | RejectReason::SeqTooLarge { .. }
        | RejectReason::ConflictingOp
        | RejectReason::BadActor => {
            "This change does not fit what the server has. Reload the page.".to_owned()
        }
    }
    },
    too_many_attempts: "Very many attempts were just made from this network. Wait a minute and try again.",
};

/// What a phone that ran an earlier Bijeen is told while the changes it wrote offline then
/// are delivered (`phone/earlier_changes_first.rs`, `participant/back_to_phone.rs`). Not in the
/// table: only the phone's and the window's entries say it, and the table is linked into
/// every entry (these three cost the facilitator's 2.1 KB brotli there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EarlierChanges {
    /// On the phone, just before it goes to the window entry to send them.
    Sending,
    /// On the phone, while it has no network.
    WaitingForNetwork,
    /// On the window entry, while it sends them.
    BackSoon,
}

impl EarlierChanges {
    pub fn text(self, lang: super::Lang) -> &'static str {
        use super::Lang::{En, Nl};
        match (self, lang) {
            (EarlierChanges::Sending, Nl) => {
                "Deze telefoon heeft nog wijzigingen uit een eerdere versie van Bijeen. Die worden eerst verstuurd; daarna kom je vanzelf hier terug."
            }
            (EarlierChanges::Sending, En) => {
                "This phone still holds changes from an earlier version of Bijeen. They are sent first; then you come back here by yourself."
            }
            (EarlierChanges::WaitingForNetwork, Nl) => {
                "Deze telefoon heeft nog wijzigingen uit een eerdere versie van Bijeen. Ze worden verstuurd zodra je weer verbinding hebt; er gaat niets verloren."
            }
            (EarlierChanges::WaitingForNetwork, En) => {
                "This phone still holds changes from an earlier version of Bijeen. They are sent as soon as you have a connection again; nothing is lost."
            }
            (EarlierChanges::BackSoon, Nl) => {
                "Je eerdere wijzigingen worden verstuurd. Zodra de server ze heeft, ga je vanzelf terug naar je eigen scherm."
            }
            (EarlierChanges::BackSoon, En) => {
                "Your earlier changes are being sent. Once the server has them, you go back to your own screen by yourself."
            }
        }
    }
}
