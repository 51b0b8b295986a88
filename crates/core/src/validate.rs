//! Value rules shared by `decide` (for commands), `authorize` (for ops from the network)
//! and import (for files): one set of limits, so nothing the relay accepts can be refused
//! on reload, and nothing absurd is ever stored.

use crate::error::{DomainError, DomainResult, Field};
use crate::fractional_index;
use crate::op::{
    AgreementField, BlockDraft, BlockField, GroupField, MetaField, NoteField, OpBody,
    ParticipantField, PlanField,
};

/// Block titles, workshop title, group names, plan names, cluster titles.
pub const TITLE_MAX: u32 = 200;
/// Note text, agreement text, bear answers.
pub const NOTE_MAX: u32 = 500;
/// People's names, owners, role holders.
pub const NAME_MAX: u32 = 80;
/// Work form, materials, lead, list items.
pub const SHORT_MAX: u32 = 200;
/// Facilitator notes, practical assignment.
pub const LONG_MAX: u32 = 4000;
/// Items in a list (examples, partners, colleagues).
pub const LIST_MAX: u32 = 50;
/// Longest block: a whole working day.
pub const DURATION_MAX_MIN: u32 = 480;
pub const BUDGET_MIN: u32 = 1;
pub const BUDGET_MAX: u32 = 20;
pub const ADJUST_MAX_MIN: i32 = 120;
pub const TARGET_MAX: u32 = 1_000_000;
pub const MONTHS_MAX: u32 = 240;
pub const MINUTES_PER_DAY: u16 = 24 * 60;
pub const UTC_OFFSET_MAX_MIN: i16 = 14 * 60;

fn char_count(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
}

/// Trimmed text that must not be empty; an empty one is refused naming `field`.
pub fn required(s: &str, max: u32, field: Field) -> DomainResult<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DomainError::Empty { field });
    }
    optional(t, max)
}

/// Trimmed text that may be empty.
pub fn optional(s: &str, max: u32) -> DomainResult<String> {
    let t = s.trim();
    if char_count(t) > max {
        return Err(DomainError::TextTooLong { max });
    }
    Ok(t.to_owned())
}

/// Trimmed non-empty list items; blank items are dropped.
pub fn list(items: &[String], max_len: u32) -> DomainResult<Vec<String>> {
    let out: Vec<String> = items
        .iter()
        .map(|s| optional(s, max_len))
        .collect::<DomainResult<Vec<_>>>()?
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if out.len() > LIST_MAX as usize {
        return Err(DomainError::TooManyItems { max: LIST_MAX });
    }
    Ok(out)
}

pub fn duration(min: u16) -> DomainResult<u16> {
    if u32::from(min) > DURATION_MAX_MIN {
        return Err(DomainError::DurationOutOfRange {
            min: 0,
            max: DURATION_MAX_MIN,
        });
    }
    Ok(min)
}

pub fn time_of_day(min: u16) -> DomainResult<u16> {
    if min >= MINUTES_PER_DAY {
        return Err(DomainError::TimeOfDayOutOfRange);
    }
    Ok(min)
}

pub fn budget(b: u32) -> DomainResult<u32> {
    if !(BUDGET_MIN..=BUDGET_MAX).contains(&b) {
        return Err(DomainError::BudgetOutOfRange {
            min: BUDGET_MIN,
            max: BUDGET_MAX,
        });
    }
    Ok(b)
}

pub fn number(n: Option<u32>, max: u32) -> DomainResult<Option<u32>> {
    match n {
        Some(v) if v > max => Err(DomainError::NumberOutOfRange { max }),
        _ => Ok(n),
    }
}

/// `YYYY-MM-DD` naming a real calendar day.
pub fn date(s: &str) -> DomainResult<String> {
    let s = s.trim();
    if crate::calendar::parse_date(s).is_none() {
        return Err(DomainError::InvalidDate);
    }
    Ok(s.to_owned())
}

pub fn optional_date(s: Option<&str>) -> DomainResult<Option<String>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => date(d).map(Some),
    }
}

fn order(key: &str) -> DomainResult<()> {
    if fractional_index::is_valid(key) {
        Ok(())
    } else {
        Err(DomainError::InvalidOrderKey)
    }
}

/// Normalise and check a block draft.
pub fn block_draft(d: &BlockDraft) -> DomainResult<BlockDraft> {
    Ok(BlockDraft {
        title: required(&d.title, TITLE_MAX, Field::BlockTitle)?,
        duration_min: duration(d.duration_min)?,
        work_form: optional(&d.work_form, SHORT_MAX)?,
        materials: optional(&d.materials, SHORT_MAX)?,
        lead: optional(&d.lead, SHORT_MAX)?,
        notes: optional(&d.notes, LONG_MAX)?,
        examples: list(&d.examples, SHORT_MAX)?,
        activity: d.activity,
    })
}

/// Exact check (no normalising) that text is as `required` (when it names the `field`
/// that must not be empty) or `optional` would leave it.
fn exact(s: &str, max: u32, required_field: Option<Field>) -> DomainResult<()> {
    let n = match required_field {
        Some(field) => required(s, max, field)?,
        None => optional(s, max)?,
    };
    // An op from the network must already be normalised; a difference means a client
    // that skipped `decide`, and storing it would let replicas disagree with imports.
    if n != s {
        return Err(DomainError::NotNormalised);
    }
    Ok(())
}

fn exact_list(items: &[String], max_len: u32) -> DomainResult<()> {
    if list(items, max_len)?.len() != items.len() {
        return Err(DomainError::NotNormalised);
    }
    // `list` dropped no blank item, so each item only has to be trimmed.
    items.iter().try_for_each(|s| exact(s, max_len, None))
}

fn exact_date(d: Option<&String>) -> DomainResult<()> {
    match d {
        None => Ok(()),
        Some(d) => {
            if date(d)? != *d {
                return Err(DomainError::InvalidDate);
            }
            Ok(())
        }
    }
}

/// The field a note's text is: a bear's or a sticky note's.
pub fn note_field(board: crate::model::BoardKind) -> Field {
    match board {
        crate::model::BoardKind::Brainstorm => Field::NoteText,
        crate::model::BoardKind::Bears => Field::BearText,
    }
}

/// Check the values inside an op body (not who may send it: see `authorize`).
pub fn body(b: &OpBody) -> DomainResult<()> {
    match b {
        OpBody::SetMeta(f) => match f {
            MetaField::Title(v) => exact(v, TITLE_MAX, Some(Field::WorkshopTitle)),
            MetaField::Date(v) => exact_date(Some(v)),
            MetaField::PlannedStart(v) | MetaField::PlannedEnd(v) => time_of_day(*v).map(|_| ()),
            MetaField::UtcOffset(v) => {
                if v.unsigned_abs() > UTC_OFFSET_MAX_MIN.unsigned_abs() {
                    Err(DomainError::UtcOffsetOutOfRange)
                } else {
                    Ok(())
                }
            }
            MetaField::Language(_) | MetaField::Template(_) => Ok(()),
            MetaField::PracticalAssignment(v) => exact(v, LONG_MAX, None),
        },
        OpBody::CreateBlock { block, order: o } => {
            if block_draft(block)? != **block {
                return Err(DomainError::NotNormalised);
            }
            order(o)
        }
        OpBody::SetBlock { field, .. } => match field {
            BlockField::Title(v) => exact(v, TITLE_MAX, Some(Field::BlockTitle)),
            BlockField::DurationMin(v) => duration(*v).map(|_| ()),
            BlockField::WorkForm(v) | BlockField::Materials(v) | BlockField::Lead(v) => {
                exact(v, SHORT_MAX, None)
            }
            BlockField::Notes(v) => exact(v, LONG_MAX, None),
            BlockField::Examples(v) => exact_list(v, SHORT_MAX),
            BlockField::Order(v) => order(v),
            BlockField::Activity(_)
            | BlockField::ActualStart(_)
            | BlockField::ActualEnd(_)
            | BlockField::Deleted(_)
            | BlockField::Flexible(_) => Ok(()),
        },
        OpBody::SetTimer(_) => Ok(()),
        OpBody::CreateGroup { name, order: o, .. } => {
            exact(name, TITLE_MAX, Some(Field::GroupName))?;
            order(o)
        }
        OpBody::SetGroup { field, .. } => match field {
            GroupField::Name(v) => exact(v, TITLE_MAX, Some(Field::GroupName)),
            GroupField::Order(v) => order(v),
            GroupField::Colour(_) | GroupField::Deleted(_) => Ok(()),
        },
        OpBody::SetBoard { .. } | OpBody::SetBearWall(_) => Ok(()),
        OpBody::OpenVoting { budget: b, .. } => budget(*b).map(|_| ()),
        OpBody::CreateNote {
            board,
            text,
            order: o,
            ..
        } => {
            exact(text, NOTE_MAX, Some(note_field(*board)))?;
            order(o)
        }
        OpBody::SetNote { field, .. } => match field {
            NoteField::Text(v) => exact(v, NOTE_MAX, Some(Field::NoteText)),
            NoteField::Order(v) => order(v),
            NoteField::ClusterTitle(v) => exact(v, TITLE_MAX, None),
            NoteField::BearAnswer(v) => exact(v, NOTE_MAX, None),
            NoteField::Group(_)
            | NoteField::Category(_)
            | NoteField::Colour(_)
            | NoteField::StackedOn(_)
            | NoteField::Hidden(_)
            | NoteField::Deleted(_)
            | NoteField::BearStatus(_) => Ok(()),
        },
        OpBody::SetVote { count, .. } => {
            if *count > BUDGET_MAX {
                Err(DomainError::VoteBudgetExhausted { budget: BUDGET_MAX })
            } else {
                Ok(())
            }
        }
        OpBody::CreateAgreement {
            text,
            owner,
            due,
            order: o,
            ..
        } => {
            exact(text, NOTE_MAX, Some(Field::AgreementText))?;
            exact(owner, NAME_MAX, None)?;
            exact_date(due.as_ref())?;
            order(o)
        }
        OpBody::SetAgreement { field, .. } => match field {
            AgreementField::Text(v) => exact(v, NOTE_MAX, Some(Field::AgreementText)),
            AgreementField::Owner(v) => exact(v, NAME_MAX, None),
            AgreementField::Due(v) => exact_date(v.as_ref()),
            AgreementField::Order(v) => order(v),
            AgreementField::List(_) | AgreementField::Done(_) | AgreementField::Deleted(_) => {
                Ok(())
            }
        },
        OpBody::CreatePlan { name, .. } => exact(name, TITLE_MAX, Some(Field::PlanName)),
        OpBody::SetPlan { field, .. } => match field {
            PlanField::Name(v) => exact(v, TITLE_MAX, Some(Field::PlanName)),
            PlanField::Partners(v) => exact_list(v, SHORT_MAX),
            PlanField::Colleagues(v) => exact_list(v, NAME_MAX),
            PlanField::Bouwer(v) | PlanField::Verbinder(v) | PlanField::Aanjager(v) => {
                exact(v, NAME_MAX, None)
            }
            PlanField::TargetMembers(v) | PlanField::TargetActivities(v) => {
                number(*v, TARGET_MAX).map(|_| ())
            }
            PlanField::StartPhaseMonths(v) => number(*v, MONTHS_MAX).map(|_| ()),
            PlanField::TargetDate(v) => exact_date(v.as_ref()),
            PlanField::Deleted(_) => Ok(()),
        },
        OpBody::Join { name, .. } => exact(name, NAME_MAX, None),
        OpBody::Refused => Ok(()),
        // Only the relay makes placeholders, for what it sends; nobody may send one.
        OpBody::Withheld => Err(DomainError::NotAllowedForRole),
        OpBody::SetParticipant { field, .. } => match field {
            ParticipantField::Name(v) => exact(v, NAME_MAX, None),
            ParticipantField::Group(_) | ParticipantField::Role(_) => Ok(()),
        },
    }
}
