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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error, Serialize)]
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

/// [`DomainError`]'s struct fields side by side: one flat reader for every variant instead
/// of serde's derived reader with a visitor per variant (the largest error reader in the
/// app's wasm). The JSON is serde's external tagging: `"voting_closed"`, or
/// `{"text_too_long":{"max":280}}`.
#[derive(Default, Deserialize)]
struct DomainFields {
    field: Option<Field>,
    min: Option<i64>,
    max: Option<i64>,
    budget: Option<i64>,
}

fn need<T>(value: Option<T>, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}

fn number<T: TryFrom<i64>>(value: Option<i64>, name: &str) -> Result<T, String> {
    T::try_from(need(value, name)?).map_err(|_| format!("`{name}` out of range"))
}

impl DomainError {
    fn from_wire(name: &str, f: DomainFields) -> Result<DomainError, String> {
        Ok(match name {
            "empty" => DomainError::Empty {
                field: need(f.field, "field")?,
            },
            "empty_text" => DomainError::EmptyText,
            "text_too_long" => DomainError::TextTooLong {
                max: number(f.max, "max")?,
            },
            "too_many_items" => DomainError::TooManyItems {
                max: number(f.max, "max")?,
            },
            "duration_out_of_range" => DomainError::DurationOutOfRange {
                min: number(f.min, "min")?,
                max: number(f.max, "max")?,
            },
            "adjustment_out_of_range" => DomainError::AdjustmentOutOfRange {
                min: number(f.min, "min")?,
                max: number(f.max, "max")?,
            },
            "budget_out_of_range" => DomainError::BudgetOutOfRange {
                min: number(f.min, "min")?,
                max: number(f.max, "max")?,
            },
            "number_out_of_range" => DomainError::NumberOutOfRange {
                max: number(f.max, "max")?,
            },
            "invalid_date" => DomainError::InvalidDate,
            "time_of_day_out_of_range" => DomainError::TimeOfDayOutOfRange,
            "utc_offset_out_of_range" => DomainError::UtcOffsetOutOfRange,
            "not_normalised" => DomainError::NotNormalised,
            "invalid_order_key" => DomainError::InvalidOrderKey,
            "vote_budget_exhausted" => DomainError::VoteBudgetExhausted {
                budget: number(f.budget, "budget")?,
            },
            "one_vote_per_note" => DomainError::OneVotePerNote,
            "no_vote_to_remove" => DomainError::NoVoteToRemove,
            "voting_closed" => DomainError::VotingClosed,
            "board_closed" => DomainError::BoardClosed,
            "bear_wall_not_collecting" => DomainError::BearWallNotCollecting,
            "not_your_note" => DomainError::NotYourNote,
            "bears_are_anonymous" => DomainError::BearsAreAnonymous,
            "not_yourself" => DomainError::NotYourself,
            "not_allowed_for_role" => DomainError::NotAllowedForRole,
            "not_joined" => DomainError::NotJoined,
            "unknown_block" => DomainError::UnknownBlock,
            "unknown_group" => DomainError::UnknownGroup,
            "unknown_note" => DomainError::UnknownNote,
            "unknown_round" => DomainError::UnknownRound,
            "unknown_agreement" => DomainError::UnknownAgreement,
            "unknown_plan" => DomainError::UnknownPlan,
            "unknown_participant" => DomainError::UnknownParticipant,
            "wrong_board" => DomainError::WrongBoard,
            "not_on_brainstorm_board" => DomainError::NotOnBrainstormBoard,
            "not_deleted" => DomainError::NotDeleted,
            "no_blocks" => DomainError::NoBlocks,
            "no_next_block" => DomainError::NoNextBlock,
            "no_previous_block" => DomainError::NoPreviousBlock,
            "timer_idle" => DomainError::TimerIdle,
            "timer_not_running" => DomainError::TimerNotRunning,
            "timer_not_paused" => DomainError::TimerNotPaused,
            "stack_onto_self" => DomainError::StackOntoSelf,
            "not_stacked" => DomainError::NotStacked,
            other => return Err(format!("unknown variant `{other}`")),
        })
    }
}

impl<'de> Deserialize<'de> for DomainError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DomainErrorVisitor)
    }
}

struct DomainErrorVisitor;

impl<'de> serde::de::Visitor<'de> for DomainErrorVisitor {
    type Value = DomainError;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a domain error")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<DomainError, E> {
        DomainError::from_wire(name, DomainFields::default()).map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<DomainError, A::Error> {
        use serde::de::Error;
        let name: String = map
            .next_key()?
            .ok_or_else(|| A::Error::custom("an empty object is no domain error"))?;
        let fields: DomainFields = map.next_value()?;
        if map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            return Err(A::Error::custom("a domain error has one variant"));
        }
        DomainError::from_wire(&name, fields).map_err(A::Error::custom)
    }
}

#[cfg(test)]
mod field_wire_tests {
    use super::*;

    /// One of each. The match has no wildcard: a new variant must be added here.
    fn every_domain_error() -> Vec<DomainError> {
        let all = vec![
            DomainError::Empty {
                field: Field::Owner,
            },
            DomainError::EmptyText,
            DomainError::TextTooLong { max: 7 },
            DomainError::TooManyItems { max: 7 },
            DomainError::DurationOutOfRange { min: 7, max: 7 },
            DomainError::AdjustmentOutOfRange { min: -5, max: 5 },
            DomainError::BudgetOutOfRange { min: 7, max: 7 },
            DomainError::NumberOutOfRange { max: 7 },
            DomainError::InvalidDate,
            DomainError::TimeOfDayOutOfRange,
            DomainError::UtcOffsetOutOfRange,
            DomainError::NotNormalised,
            DomainError::InvalidOrderKey,
            DomainError::VoteBudgetExhausted { budget: 7 },
            DomainError::OneVotePerNote,
            DomainError::NoVoteToRemove,
            DomainError::VotingClosed,
            DomainError::BoardClosed,
            DomainError::BearWallNotCollecting,
            DomainError::NotYourNote,
            DomainError::BearsAreAnonymous,
            DomainError::NotYourself,
            DomainError::NotAllowedForRole,
            DomainError::NotJoined,
            DomainError::UnknownBlock,
            DomainError::UnknownGroup,
            DomainError::UnknownNote,
            DomainError::UnknownRound,
            DomainError::UnknownAgreement,
            DomainError::UnknownPlan,
            DomainError::UnknownParticipant,
            DomainError::WrongBoard,
            DomainError::NotOnBrainstormBoard,
            DomainError::NotDeleted,
            DomainError::NoBlocks,
            DomainError::NoNextBlock,
            DomainError::NoPreviousBlock,
            DomainError::TimerIdle,
            DomainError::TimerNotRunning,
            DomainError::TimerNotPaused,
            DomainError::StackOntoSelf,
            DomainError::NotStacked,
        ];
        for error in &all {
            match error {
                DomainError::Empty { .. }
                | DomainError::EmptyText
                | DomainError::TextTooLong { .. }
                | DomainError::TooManyItems { .. }
                | DomainError::DurationOutOfRange { .. }
                | DomainError::AdjustmentOutOfRange { .. }
                | DomainError::BudgetOutOfRange { .. }
                | DomainError::NumberOutOfRange { .. }
                | DomainError::InvalidDate
                | DomainError::TimeOfDayOutOfRange
                | DomainError::UtcOffsetOutOfRange
                | DomainError::NotNormalised
                | DomainError::InvalidOrderKey
                | DomainError::VoteBudgetExhausted { .. }
                | DomainError::OneVotePerNote
                | DomainError::NoVoteToRemove
                | DomainError::VotingClosed
                | DomainError::BoardClosed
                | DomainError::BearWallNotCollecting
                | DomainError::NotYourNote
                | DomainError::BearsAreAnonymous
                | DomainError::NotYourself
                | DomainError::NotAllowedForRole
                | DomainError::NotJoined
                | DomainError::UnknownBlock
                | DomainError::UnknownGroup
                | DomainError::UnknownNote
                | DomainError::UnknownRound
                | DomainError::UnknownAgreement
                | DomainError::UnknownPlan
                | DomainError::UnknownParticipant
                | DomainError::WrongBoard
                | DomainError::NotOnBrainstormBoard
                | DomainError::NotDeleted
                | DomainError::NoBlocks
                | DomainError::NoNextBlock
                | DomainError::NoPreviousBlock
                | DomainError::TimerIdle
                | DomainError::TimerNotRunning
                | DomainError::TimerNotPaused
                | DomainError::StackOntoSelf
                | DomainError::NotStacked => {}
            }
        }
        all
    }

    #[test]
    fn every_domain_error_reads_back_as_itself() {
        for error in every_domain_error() {
            let json = serde_json::to_string(&error).expect("json");
            let back: DomainError = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, error, "{json}");
        }
        for bad in [
            r#""no_such_error""#,
            r#"{"text_too_long":{}}"#,
            r#"{"text_too_long":{"max":-1}}"#,
            "{}",
            "3",
        ] {
            assert!(serde_json::from_str::<DomainError>(bad).is_err(), "{bad}");
        }
    }

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
