//! Typed domain errors. They carry numbers, never message strings: the app translates each
//! variant into the user's language; `Display` is for logs only.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The text field a refusal is about, so the words can name it ("Vul een eigenaar in.").
/// On the wire as its number in [`Field::ALL`]: a named enum's reader would cost the
/// phone's download a visitor of its own for a value only the app words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    WorkshopTitle,
    BlockTitle,
    GroupName,
    NoteText,
    BearText,
    AgreementText,
    PlanName,
    /// Who takes on a tamed bear's action.
    Owner,
    /// A tamed bear's action.
    Action,
}

impl Field {
    /// In wire order: append new fields at the end.
    pub const ALL: [Field; 9] = [
        Field::WorkshopTitle,
        Field::BlockTitle,
        Field::GroupName,
        Field::NoteText,
        Field::BearText,
        Field::AgreementText,
        Field::PlanName,
        Field::Owner,
        Field::Action,
    ];
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let index = Field::ALL.iter().position(|f| f == self).unwrap_or(0);
        s.serialize_u8(u8::try_from(index).unwrap_or(0))
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let index = u8::deserialize(d)?;
        Field::ALL
            .get(usize::from(index))
            .copied()
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown field {index}")))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DomainError {
    /// A required text field is empty (or only spaces).
    #[error("{field:?} is empty")]
    Empty { field: Field },
    /// What relays before [`DomainError::Empty`] sent for every empty field. No longer
    /// made; kept so that such a refusal still reads (the wire only ever adds variants).
    #[error("text is empty")]
    EmptyText,
    #[error("text is longer than {max} characters")]
    TextTooLong { max: u32 },
    #[error("more than {max} items in a list")]
    TooManyItems { max: u32 },
    #[error("duration must be between {min} and {max} minutes")]
    DurationOutOfRange { min: u32, max: u32 },
    #[error("timer adjustment must be between {min} and {max} minutes and not zero")]
    AdjustmentOutOfRange { min: i32, max: i32 },
    #[error("vote budget must be between {min} and {max}")]
    BudgetOutOfRange { min: u32, max: u32 },
    #[error("number must be at most {max}")]
    NumberOutOfRange { max: u32 },
    #[error("date is not a valid YYYY-MM-DD date")]
    InvalidDate,
    #[error("time of day must be between 00:00 and 23:59")]
    TimeOfDayOutOfRange,
    #[error("UTC offset must be between -14:00 and +14:00")]
    UtcOffsetOutOfRange,
    #[error("text has surrounding whitespace or blank list items (ops carry normalised values)")]
    NotNormalised,
    #[error("order key is malformed")]
    InvalidOrderKey,
    #[error("all {budget} votes are used")]
    VoteBudgetExhausted { budget: u32 },
    #[error("only one vote per note in this round")]
    OneVotePerNote,
    #[error("no vote on this note to remove")]
    NoVoteToRemove,
    #[error("voting is closed")]
    VotingClosed,
    #[error("the board is closed")]
    BoardClosed,
    #[error("the bear wall is past its collect phase")]
    BearWallNotCollecting,
    #[error("this note belongs to someone else")]
    NotYourNote,
    /// Bears on an anonymous wall are written and voted on under the participant's
    /// pseudonym, never under their own (named) actor.
    #[error("bears on an anonymous wall are written under a pseudonym")]
    BearsAreAnonymous,
    #[error("you can only change your own participant details")]
    NotYourself,
    #[error("not allowed for this role")]
    NotAllowedForRole,
    #[error("join the workshop first")]
    NotJoined,
    #[error("no such agenda block")]
    UnknownBlock,
    #[error("no such theme group")]
    UnknownGroup,
    #[error("no such note")]
    UnknownNote,
    #[error("no such voting round")]
    UnknownRound,
    #[error("no such agreement")]
    UnknownAgreement,
    #[error("no such community plan")]
    UnknownPlan,
    #[error("no such participant")]
    UnknownParticipant,
    #[error("the note is on the other board")]
    WrongBoard,
    #[error("only brainstorm notes have theme groups and categories")]
    NotOnBrainstormBoard,
    #[error("it is not deleted")]
    NotDeleted,
    #[error("the agenda has no blocks")]
    NoBlocks,
    #[error("this is the last block")]
    NoNextBlock,
    #[error("this is the first block")]
    NoPreviousBlock,
    #[error("the timer is not running a block")]
    TimerIdle,
    #[error("the timer is not running")]
    TimerNotRunning,
    #[error("the timer is not paused")]
    TimerNotPaused,
    #[error("a note cannot be stacked onto itself or its own stack")]
    StackOntoSelf,
    #[error("the note is not stacked")]
    NotStacked,
}

pub type DomainResult<T> = Result<T, DomainError>;

#[cfg(test)]
mod field_wire_tests {
    use super::*;

    #[test]
    fn every_field_reads_back_as_itself_and_an_unknown_number_is_refused() {
        for field in Field::ALL {
            let json = serde_json::to_string(&DomainError::Empty { field }).expect("json");
            let back: DomainError = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, DomainError::Empty { field }, "{json}");
        }
        assert!(serde_json::from_str::<Field>("9").is_err());
        assert!(serde_json::from_str::<Field>("\"owner\"").is_err());
    }
}
