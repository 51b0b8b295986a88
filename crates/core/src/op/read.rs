//! [`OpBody`]'s deserializer, written out. It reads exactly the JSON serde's derive read
//! (`tests/op_reader.rs` compares the two), with one reader for all fifteen struct
//! variants instead of one per variant: the variant's name picks its [`Shape`], and one
//! key loop reads each known key with its type into a [`Values`] slot, skips unknown
//! keys, and builds the body once the object ends. The field enums of the `set_*`
//! variants (`BlockField`, ...) are read the same way, through one table each
//! ([`FieldTable`]), so each value type is read in one place. The derive's per-variant
//! readers were the largest function of the app's wasm.
//!
//! The enums are still read through `deserialize_enum`, so everything the deserializer
//! decides about enums stays as it was: a unit variant as a string (or as a key with
//! `null`), exactly one key per body, and a struct variant as an object or as an array
//! of its fields in order.
//!
//! A new variant or field does not compile until it is placed here: [`kind_of`] and the
//! field enums' lists match without a wildcard, and bodies are built as struct literals.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::{Deserialize, Deserializer};

use super::{
    AgreementField, BlockDraft, BlockField, BoardField, GroupField, NoteField, OpBody,
    ParticipantField, PlanField,
};
use crate::ids::{AgreementId, BlockId, GroupId, NoteId, ParticipantId, PlanId, RoundId};
use crate::model::{
    Activity, AgreementList, BearStatus, BoardKind, Category, Colour, Role, Voting,
};

/// The variants' wire names in declaration order, paired with [`KINDS`]; also the list
/// an "unknown variant" refusal gives, as the derive's did.
const VARIANTS: [&str; 20] = [
    "set_meta",
    "create_block",
    "set_block",
    "set_timer",
    "create_group",
    "set_group",
    "set_board",
    "open_voting",
    "set_bear_wall",
    "create_note",
    "set_note",
    "set_vote",
    "create_agreement",
    "set_agreement",
    "create_plan",
    "set_plan",
    "join",
    "set_participant",
    "refused",
    "withheld",
];

const KINDS: [Kind; 20] = [
    Kind::SetMeta,
    Kind::Struct(Struct::CreateBlock),
    Kind::Struct(Struct::SetBlock),
    Kind::SetTimer,
    Kind::Struct(Struct::CreateGroup),
    Kind::Struct(Struct::SetGroup),
    Kind::Struct(Struct::SetBoard),
    Kind::Struct(Struct::OpenVoting),
    Kind::SetBearWall,
    Kind::Struct(Struct::CreateNote),
    Kind::Struct(Struct::SetNote),
    Kind::Struct(Struct::SetVote),
    Kind::Struct(Struct::CreateAgreement),
    Kind::Struct(Struct::SetAgreement),
    Kind::Struct(Struct::CreatePlan),
    Kind::Struct(Struct::SetPlan),
    Kind::Struct(Struct::Join),
    Kind::Struct(Struct::SetParticipant),
    Kind::Refused,
    Kind::Withheld,
];

/// Which variant a body is, before its value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
enum Kind {
    SetMeta,
    SetTimer,
    SetBearWall,
    Refused,
    Withheld,
    Struct(Struct),
}

/// The struct variants.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
enum Struct {
    CreateBlock,
    SetBlock,
    CreateGroup,
    SetGroup,
    SetBoard,
    OpenVoting,
    CreateNote,
    SetNote,
    SetVote,
    CreateAgreement,
    SetAgreement,
    CreatePlan,
    SetPlan,
    Join,
    SetParticipant,
}

/// The kind of every body, matched without a wildcard: a new variant of [`OpBody`] does
/// not compile until it is given a kind here, and so a place in [`VARIANTS`].
fn kind_of(body: &OpBody) -> Kind {
    match body {
        OpBody::SetMeta(_) => Kind::SetMeta,
        OpBody::CreateBlock { .. } => Kind::Struct(Struct::CreateBlock),
        OpBody::SetBlock { .. } => Kind::Struct(Struct::SetBlock),
        OpBody::SetTimer(_) => Kind::SetTimer,
        OpBody::CreateGroup { .. } => Kind::Struct(Struct::CreateGroup),
        OpBody::SetGroup { .. } => Kind::Struct(Struct::SetGroup),
        OpBody::SetBoard { .. } => Kind::Struct(Struct::SetBoard),
        OpBody::OpenVoting { .. } => Kind::Struct(Struct::OpenVoting),
        OpBody::SetBearWall(_) => Kind::SetBearWall,
        OpBody::CreateNote { .. } => Kind::Struct(Struct::CreateNote),
        OpBody::SetNote { .. } => Kind::Struct(Struct::SetNote),
        OpBody::SetVote { .. } => Kind::Struct(Struct::SetVote),
        OpBody::CreateAgreement { .. } => Kind::Struct(Struct::CreateAgreement),
        OpBody::SetAgreement { .. } => Kind::Struct(Struct::SetAgreement),
        OpBody::CreatePlan { .. } => Kind::Struct(Struct::CreatePlan),
        OpBody::SetPlan { .. } => Kind::Struct(Struct::SetPlan),
        OpBody::Join { .. } => Kind::Struct(Struct::Join),
        OpBody::SetParticipant { .. } => Kind::Struct(Struct::SetParticipant),
        OpBody::Refused => Kind::Refused,
        OpBody::Withheld => Kind::Withheld,
    }
}

// Only the tests call it; this keeps it compiled (and so exhaustive) in every build.
const _: fn(&OpBody) -> Kind = kind_of;

/// Where a struct variant's field is kept while its object is read: one slot per field
/// name and type (`id` and `field` have a slot per variant, as their types differ).
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
enum Slot {
    Block,
    Order,
    Name,
    Colour,
    Board,
    Budget,
    AllowMultiple,
    Group,
    Category,
    Text,
    Round,
    Note,
    Count,
    List,
    Owner,
    Due,
    Bear,
    SourceNote,
    /// Every variant's `id`: all entity ids are transparent strings, read as one.
    Id,
    BlockField,
    GroupField,
    BoardField,
    NoteField,
    AgreementField,
    PlanField,
    ParticipantField,
}

// `Values::seen` has a bit for every slot.
const _: () = assert!((Slot::ParticipantField as u32) < u32::BITS);

impl Slot {
    const fn name(self) -> &'static str {
        match self {
            Slot::Block => "block",
            Slot::Order => "order",
            Slot::Name => "name",
            Slot::Colour => "colour",
            Slot::Board => "board",
            Slot::Budget => "budget",
            Slot::AllowMultiple => "allow_multiple",
            Slot::Group => "group",
            Slot::Category => "category",
            Slot::Text => "text",
            Slot::Round => "round",
            Slot::Note => "note",
            Slot::Count => "count",
            Slot::List => "list",
            Slot::Owner => "owner",
            Slot::Due => "due",
            Slot::Bear => "bear",
            Slot::SourceNote => "source_note",
            Slot::Id => "id",
            Slot::BlockField
            | Slot::GroupField
            | Slot::BoardField
            | Slot::NoteField
            | Slot::AgreementField
            | Slot::PlanField
            | Slot::ParticipantField => "field",
        }
    }
}

/// A struct variant's fields in declaration order (the order of the array form), with
/// their wire names, and the variant's own name for refusals.
struct Shape {
    variant: &'static str,
    slots: &'static [Slot],
    names: &'static [&'static str],
}

const fn names<const N: usize>(slots: [Slot; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = slots[i].name();
        i += 1;
    }
    out
}

macro_rules! shape {
    ($variant:literal: $($slot:ident),+) => {
        const {
            &Shape {
                variant: $variant,
                slots: &[$(Slot::$slot),+],
                names: &names([$(Slot::$slot),+]),
            }
        }
    };
}

impl Struct {
    fn shape(self) -> &'static Shape {
        match self {
            Struct::CreateBlock => shape!("create_block": Block, Order),
            Struct::SetBlock => shape!("set_block": Id, BlockField),
            Struct::CreateGroup => shape!("create_group": Name, Colour, Order),
            Struct::SetGroup => shape!("set_group": Id, GroupField),
            Struct::SetBoard => shape!("set_board": Board, BoardField),
            Struct::OpenVoting => shape!("open_voting": Board, Budget, AllowMultiple),
            Struct::CreateNote => {
                shape!("create_note": Board, Group, Category, Text, Colour, Order)
            }
            Struct::SetNote => shape!("set_note": Id, NoteField),
            Struct::SetVote => shape!("set_vote": Round, Note, Count),
            Struct::CreateAgreement => {
                shape!("create_agreement": List, Text, Owner, Due, Order, Bear)
            }
            Struct::SetAgreement => shape!("set_agreement": Id, AgreementField),
            Struct::CreatePlan => shape!("create_plan": Name, SourceNote),
            Struct::SetPlan => shape!("set_plan": Id, PlanField),
            Struct::Join => shape!("join": Name, Group),
            Struct::SetParticipant => shape!("set_participant": Id, ParticipantField),
        }
    }
}

/// The slots of every struct variant side by side; `None` until its key is read (an
/// `Option` field's slot is `Option<Option<T>>`: absent, `null` or a value). Ids are
/// kept as the strings they are on the wire (the id types are `#[serde(transparent)]`
/// over `String`, so this is their own reader) and wrapped when the body is built: one
/// string reader for them all instead of one copy per id type.
#[derive(Default)]
struct Values {
    /// Bit `slot as u32` is set once that slot's key was read, so a key given twice is
    /// refused before its value is read, where the derive refused it.
    seen: u32,
    block: Option<Box<BlockDraft>>,
    order: Option<String>,
    name: Option<String>,
    colour: Option<Colour>,
    board: Option<BoardKind>,
    budget: Option<u32>,
    allow_multiple: Option<bool>,
    group: Option<Option<String>>,
    category: Option<Option<Category>>,
    text: Option<String>,
    round: Option<String>,
    note: Option<String>,
    count: Option<u32>,
    list: Option<AgreementList>,
    owner: Option<String>,
    due: Option<Option<String>>,
    bear: Option<Option<String>>,
    source_note: Option<Option<String>>,
    id: Option<String>,
    block_field: Option<BlockField>,
    group_field: Option<GroupField>,
    board_field: Option<BoardField>,
    note_field: Option<NoteField>,
    agreement_field: Option<AgreementField>,
    plan_field: Option<PlanField>,
    participant_field: Option<ParticipantField>,
}

/// A required field's value, or serde's refusal.
fn need<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

impl Values {
    /// The body of variant `s` from its read fields. A missing `Option` field is `None`,
    /// as with the derive; any other missing field refuses the body, the first in
    /// declaration order named.
    fn build<E: de::Error>(mut self, s: Struct) -> Result<OpBody, E> {
        // Slots are taken out of `self`, not moved into locals: a refusal then drops
        // `self` in one call instead of each return dropping every slot left.
        let v = &mut self;
        Ok(match s {
            Struct::CreateBlock => OpBody::CreateBlock {
                block: need(v.block.take(), "block")?,
                order: need(v.order.take(), "order")?,
            },
            Struct::SetBlock => OpBody::SetBlock {
                id: BlockId(need(v.id.take(), "id")?),
                field: need(v.block_field.take(), "field")?,
            },
            Struct::CreateGroup => OpBody::CreateGroup {
                name: need(v.name.take(), "name")?,
                colour: need(v.colour.take(), "colour")?,
                order: need(v.order.take(), "order")?,
            },
            Struct::SetGroup => OpBody::SetGroup {
                id: GroupId(need(v.id.take(), "id")?),
                field: need(v.group_field.take(), "field")?,
            },
            Struct::SetBoard => OpBody::SetBoard {
                board: need(v.board.take(), "board")?,
                field: need(v.board_field.take(), "field")?,
            },
            Struct::OpenVoting => OpBody::OpenVoting {
                board: need(v.board.take(), "board")?,
                budget: need(v.budget.take(), "budget")?,
                allow_multiple: need(v.allow_multiple.take(), "allow_multiple")?,
            },
            Struct::CreateNote => OpBody::CreateNote {
                board: need(v.board.take(), "board")?,
                group: group(v.group.take().flatten()),
                category: v.category.take().flatten(),
                text: need(v.text.take(), "text")?,
                colour: need(v.colour.take(), "colour")?,
                order: need(v.order.take(), "order")?,
            },
            Struct::SetNote => OpBody::SetNote {
                id: NoteId(need(v.id.take(), "id")?),
                field: need(v.note_field.take(), "field")?,
            },
            Struct::SetVote => OpBody::SetVote {
                round: RoundId(need(v.round.take(), "round")?),
                note: NoteId(need(v.note.take(), "note")?),
                count: need(v.count.take(), "count")?,
            },
            Struct::CreateAgreement => OpBody::CreateAgreement {
                list: need(v.list.take(), "list")?,
                text: need(v.text.take(), "text")?,
                owner: need(v.owner.take(), "owner")?,
                due: v.due.take().flatten(),
                order: need(v.order.take(), "order")?,
                bear: note(v.bear.take().flatten()),
            },
            Struct::SetAgreement => OpBody::SetAgreement {
                id: AgreementId(need(v.id.take(), "id")?),
                field: need(v.agreement_field.take(), "field")?,
            },
            Struct::CreatePlan => OpBody::CreatePlan {
                name: need(v.name.take(), "name")?,
                source_note: note(v.source_note.take().flatten()),
            },
            Struct::SetPlan => OpBody::SetPlan {
                id: PlanId(need(v.id.take(), "id")?),
                field: need(v.plan_field.take(), "field")?,
            },
            Struct::Join => OpBody::Join {
                name: need(v.name.take(), "name")?,
                group: group(v.group.take().flatten()),
            },
            Struct::SetParticipant => OpBody::SetParticipant {
                id: ParticipantId(need(v.id.take(), "id")?),
                field: need(v.participant_field.take(), "field")?,
            },
        })
    }
}

/// Reads one field's value into its slot, with the slot's type.
struct Fill<'a> {
    slot: Slot,
    values: &'a mut Values,
}

fn fill<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    place: &mut Option<T>,
    d: D,
) -> Result<(), D::Error> {
    *place = Some(T::deserialize(d)?);
    Ok(())
}

impl<'de> DeserializeSeed<'de> for Fill<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let v = self.values;
        match self.slot {
            Slot::Block => fill(&mut v.block, d),
            Slot::Order => fill(&mut v.order, d),
            Slot::Name => fill(&mut v.name, d),
            Slot::Colour => fill(&mut v.colour, d),
            Slot::Board => fill(&mut v.board, d),
            Slot::Budget => fill(&mut v.budget, d),
            Slot::AllowMultiple => fill(&mut v.allow_multiple, d),
            Slot::Group => fill(&mut v.group, d),
            Slot::Category => fill(&mut v.category, d),
            Slot::Text => fill(&mut v.text, d),
            Slot::Round => fill(&mut v.round, d),
            Slot::Note => fill(&mut v.note, d),
            Slot::Count => fill(&mut v.count, d),
            Slot::List => fill(&mut v.list, d),
            Slot::Owner => fill(&mut v.owner, d),
            Slot::Due => fill(&mut v.due, d),
            Slot::Bear => fill(&mut v.bear, d),
            Slot::SourceNote => fill(&mut v.source_note, d),
            Slot::Id => fill(&mut v.id, d),
            Slot::BlockField => d.deserialize_enum(
                BLOCK_FIELD.name,
                BLOCK_FIELD.names,
                FieldEnum(BLOCK_FIELD, v),
            ),
            Slot::GroupField => d.deserialize_enum(
                GROUP_FIELD.name,
                GROUP_FIELD.names,
                FieldEnum(GROUP_FIELD, v),
            ),
            Slot::BoardField => d.deserialize_enum(
                BOARD_FIELD.name,
                BOARD_FIELD.names,
                FieldEnum(BOARD_FIELD, v),
            ),
            Slot::NoteField => {
                d.deserialize_enum(NOTE_FIELD.name, NOTE_FIELD.names, FieldEnum(NOTE_FIELD, v))
            }
            Slot::AgreementField => d.deserialize_enum(
                AGREEMENT_FIELD.name,
                AGREEMENT_FIELD.names,
                FieldEnum(AGREEMENT_FIELD, v),
            ),
            Slot::PlanField => {
                d.deserialize_enum(PLAN_FIELD.name, PLAN_FIELD.names, FieldEnum(PLAN_FIELD, v))
            }
            Slot::ParticipantField => d.deserialize_enum(
                PARTICIPANT_FIELD.name,
                PARTICIPANT_FIELD.names,
                FieldEnum(PARTICIPANT_FIELD, v),
            ),
        }
    }
}

/// One of the field enums (`BlockField`, ...): its variants' names in declaration order,
/// and for each, how its value is read and put into its slot. The derive wrote one
/// reader per variant; here each value type is read in one place ([`Put`]) for all of
/// them, and only the closures that wrap and store the value are per variant.
struct FieldTable {
    name: &'static str,
    names: &'static [&'static str],
    puts: &'static [Put],
}

/// How a field enum's variant value is read, and where it goes. `Option<GroupId>` and
/// `Option<NoteId>` are read as `Option<String>`: the ids are transparent strings, so
/// that is the same reader.
#[derive(Clone, Copy)]
enum Put {
    Str(fn(&mut Values, String)),
    Strs(fn(&mut Values, Vec<String>)),
    OptStr(fn(&mut Values, Option<String>)),
    Bool(fn(&mut Values, bool)),
    OptBool(fn(&mut Values, Option<bool>)),
    U16(fn(&mut Values, u16)),
    OptU32(fn(&mut Values, Option<u32>)),
    OptI64(fn(&mut Values, Option<i64>)),
    Activity(fn(&mut Values, Activity)),
    Colour(fn(&mut Values, Colour)),
    OptCategory(fn(&mut Values, Option<Category>)),
    Voting(fn(&mut Values, Voting)),
    BearStatus(fn(&mut Values, BearStatus)),
    List(fn(&mut Values, AgreementList)),
    Role(fn(&mut Values, Role)),
}

/// A field enum's table: `field_enum!(Slot, Enum: "wire_name" => Variant(Put), ...)`.
macro_rules! field_enum {
    ($slot:ident, $enum:ident: $($wire:literal => $variant:ident($put:ident $(, $wrap:expr)?)),+ $(,)?) => {
        &FieldTable {
            name: stringify!($enum),
            names: &[$($wire),+],
            puts: &[$(Put::$put(|v, x| v.$slot = Some($enum::$variant($( ($wrap) )? (x)))) ),+],
        }
    };
}

fn group(x: Option<String>) -> Option<GroupId> {
    x.map(GroupId)
}

fn note(x: Option<String>) -> Option<NoteId> {
    x.map(NoteId)
}

const BLOCK_FIELD: &FieldTable = field_enum!(block_field, BlockField:
    "title" => Title(Str),
    "duration_min" => DurationMin(U16),
    "work_form" => WorkForm(Str),
    "materials" => Materials(Str),
    "lead" => Lead(Str),
    "notes" => Notes(Str),
    "examples" => Examples(Strs),
    "activity" => Activity(Activity),
    "order" => Order(Str),
    "actual_start" => ActualStart(OptI64),
    "actual_end" => ActualEnd(OptI64),
    "deleted" => Deleted(Bool),
    "flexible" => Flexible(OptBool),
);

const GROUP_FIELD: &FieldTable = field_enum!(group_field, GroupField:
    "name" => Name(Str),
    "colour" => Colour(Colour),
    "order" => Order(Str),
    "deleted" => Deleted(Bool),
);

const BOARD_FIELD: &FieldTable = field_enum!(board_field, BoardField:
    "open" => Open(Bool),
    "hide_until_revealed" => HideUntilRevealed(Bool),
    "revealed" => Revealed(Bool),
    "voting" => Voting(Voting),
);

const NOTE_FIELD: &FieldTable = field_enum!(note_field, NoteField:
    "text" => Text(Str),
    "group" => Group(OptStr, group),
    "category" => Category(OptCategory),
    "colour" => Colour(Colour),
    "order" => Order(Str),
    "stacked_on" => StackedOn(OptStr, note),
    "cluster_title" => ClusterTitle(Str),
    "hidden" => Hidden(Bool),
    "deleted" => Deleted(Bool),
    "bear_status" => BearStatus(BearStatus),
    "bear_answer" => BearAnswer(Str),
);

const AGREEMENT_FIELD: &FieldTable = field_enum!(agreement_field, AgreementField:
    "list" => List(List),
    "text" => Text(Str),
    "owner" => Owner(Str),
    "due" => Due(OptStr),
    "done" => Done(Bool),
    "order" => Order(Str),
    "deleted" => Deleted(Bool),
);

const PLAN_FIELD: &FieldTable = field_enum!(plan_field, PlanField:
    "name" => Name(Str),
    "partners" => Partners(Strs),
    "bouwer" => Bouwer(Str),
    "verbinder" => Verbinder(Str),
    "aanjager" => Aanjager(Str),
    "colleagues" => Colleagues(Strs),
    "target_members" => TargetMembers(OptU32),
    "target_activities" => TargetActivities(OptU32),
    "target_date" => TargetDate(OptStr),
    "start_phase_months" => StartPhaseMonths(OptU32),
    "deleted" => Deleted(Bool),
);

const PARTICIPANT_FIELD: &FieldTable = field_enum!(participant_field, ParticipantField:
    "name" => Name(Str),
    "group" => Group(OptStr, group),
    "role" => Role(Role),
);

/// Every variant of every field enum, matched without a wildcard: a new variant does
/// not compile until it is listed here, and so (by the tests) in its table above.
const _: fn(&BlockField, &GroupField, &BoardField, &NoteField) = |b, g, bo, n| {
    match b {
        BlockField::Title(_)
        | BlockField::DurationMin(_)
        | BlockField::WorkForm(_)
        | BlockField::Materials(_)
        | BlockField::Lead(_)
        | BlockField::Notes(_)
        | BlockField::Examples(_)
        | BlockField::Activity(_)
        | BlockField::Order(_)
        | BlockField::ActualStart(_)
        | BlockField::ActualEnd(_)
        | BlockField::Deleted(_)
        | BlockField::Flexible(_) => {}
    }
    match g {
        GroupField::Name(_)
        | GroupField::Colour(_)
        | GroupField::Order(_)
        | GroupField::Deleted(_) => {}
    }
    match bo {
        BoardField::Open(_)
        | BoardField::HideUntilRevealed(_)
        | BoardField::Revealed(_)
        | BoardField::Voting(_) => {}
    }
    match n {
        NoteField::Text(_)
        | NoteField::Group(_)
        | NoteField::Category(_)
        | NoteField::Colour(_)
        | NoteField::Order(_)
        | NoteField::StackedOn(_)
        | NoteField::ClusterTitle(_)
        | NoteField::Hidden(_)
        | NoteField::Deleted(_)
        | NoteField::BearStatus(_)
        | NoteField::BearAnswer(_) => {}
    }
};

const _: fn(&AgreementField, &PlanField, &ParticipantField) = |a, p, pa| {
    match a {
        AgreementField::List(_)
        | AgreementField::Text(_)
        | AgreementField::Owner(_)
        | AgreementField::Due(_)
        | AgreementField::Done(_)
        | AgreementField::Order(_)
        | AgreementField::Deleted(_) => {}
    }
    match p {
        PlanField::Name(_)
        | PlanField::Partners(_)
        | PlanField::Bouwer(_)
        | PlanField::Verbinder(_)
        | PlanField::Aanjager(_)
        | PlanField::Colleagues(_)
        | PlanField::TargetMembers(_)
        | PlanField::TargetActivities(_)
        | PlanField::TargetDate(_)
        | PlanField::StartPhaseMonths(_)
        | PlanField::Deleted(_) => {}
    }
    match pa {
        ParticipantField::Name(_) | ParticipantField::Group(_) | ParticipantField::Role(_) => {}
    }
};

/// Reads a field enum's value (`{"variant": value}`) into its slot.
struct FieldEnum<'a>(&'static FieldTable, &'a mut Values);

impl<'de> Visitor<'de> for FieldEnum<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.0.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (put, variant) = data.variant_seed(FieldVariant(self.0))?;
        let v = self.1;
        match put {
            Put::Str(put) => put(v, variant.newtype_variant()?),
            Put::Strs(put) => put(v, variant.newtype_variant()?),
            Put::OptStr(put) => put(v, variant.newtype_variant()?),
            Put::Bool(put) => put(v, variant.newtype_variant()?),
            Put::OptBool(put) => put(v, variant.newtype_variant()?),
            Put::U16(put) => put(v, variant.newtype_variant()?),
            Put::OptU32(put) => put(v, variant.newtype_variant()?),
            Put::OptI64(put) => put(v, variant.newtype_variant()?),
            Put::Activity(put) => put(v, variant.newtype_variant()?),
            Put::Colour(put) => put(v, variant.newtype_variant()?),
            Put::OptCategory(put) => put(v, variant.newtype_variant()?),
            Put::Voting(put) => put(v, variant.newtype_variant()?),
            Put::BearStatus(put) => put(v, variant.newtype_variant()?),
            Put::List(put) => put(v, variant.newtype_variant()?),
            Put::Role(put) => put(v, variant.newtype_variant()?),
        }
        Ok(())
    }
}

/// Reads a field enum's variant name.
struct FieldVariant(&'static FieldTable);

impl<'de> DeserializeSeed<'de> for FieldVariant {
    type Value = Put;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Put, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldVariant {
    type Value = Put;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Put, E> {
        self.0
            .names
            .iter()
            .zip(self.0.puts)
            .find(|(n, _)| **n == name)
            .map(|(_, put)| *put)
            .ok_or_else(|| E::unknown_variant(name, self.0.names))
    }
}

/// Reads a key of a struct variant's object: its slot, or `None` for a key the variant
/// does not have (skipped, as the derive skipped it).
struct Key(&'static Shape);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<Slot>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Slot>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<Slot>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<Slot>, E> {
        Ok(self
            .0
            .names
            .iter()
            .zip(self.0.slots)
            .find(|(name, _)| **name == key)
            .map(|(_, slot)| *slot))
    }
}

/// Reads a struct variant's value, from an object or from an array.
struct Fields(Struct);

impl<'de> Visitor<'de> for Fields {
    type Value = OpBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct variant `{}`", self.0.shape().variant)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OpBody, A::Error> {
        let shape = self.0.shape();
        let mut values = Values::default();
        while let Some(slot) = map.next_key_seed(Key(shape))? {
            match slot {
                Some(slot) => {
                    let bit = 1 << slot as u32;
                    if values.seen & bit != 0 {
                        return Err(de::Error::duplicate_field(slot.name()));
                    }
                    values.seen |= bit;
                    map.next_value_seed(Fill {
                        slot,
                        values: &mut values,
                    })?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        values.build(self.0)
    }

    /// The fields in declaration order, every one of them required (`Option`s too), as
    /// the derive read an array.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OpBody, A::Error> {
        let mut values = Values::default();
        for (i, &slot) in self.0.shape().slots.iter().enumerate() {
            let fill = Fill {
                slot,
                values: &mut values,
            };
            if seq.next_element_seed(fill)?.is_none() {
                return Err(de::Error::invalid_length(i, &self));
            }
        }
        values.build(self.0)
    }
}

/// Reads a variant's name.
struct Variant;

impl<'de> DeserializeSeed<'de> for Variant {
    type Value = Kind;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Variant {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Kind, E> {
        VARIANTS
            .iter()
            .zip(KINDS)
            .find(|(v, _)| **v == name)
            .map(|(_, kind)| kind)
            .ok_or_else(|| E::unknown_variant(name, &VARIANTS))
    }
}

struct Body;

impl<'de> Visitor<'de> for Body {
    type Value = OpBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("enum OpBody")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<OpBody, A::Error> {
        let (kind, variant) = data.variant_seed(Variant)?;
        match kind {
            Kind::SetMeta => variant.newtype_variant().map(OpBody::SetMeta),
            Kind::SetTimer => variant.newtype_variant().map(OpBody::SetTimer),
            Kind::SetBearWall => variant.newtype_variant().map(OpBody::SetBearWall),
            Kind::Refused => variant.unit_variant().map(|()| OpBody::Refused),
            Kind::Withheld => variant.unit_variant().map(|()| OpBody::Withheld),
            Kind::Struct(s) => variant.struct_variant(s.shape().names, Fields(s)),
        }
    }
}

impl<'de> Deserialize<'de> for OpBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OpBody, D::Error> {
        d.deserialize_enum("OpBody", &VARIANTS, Body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timer;
    use crate::op::BearWallField;
    use crate::op::MetaField;

    /// One body of every kind.
    fn sample(kind: Kind) -> OpBody {
        let s = || String::from("x");
        match kind {
            Kind::SetMeta => OpBody::SetMeta(MetaField::Title(s())),
            Kind::SetTimer => OpBody::SetTimer(Timer::default()),
            Kind::SetBearWall => OpBody::SetBearWall(BearWallField::Anonymous(true)),
            Kind::Refused => OpBody::Refused,
            Kind::Withheld => OpBody::Withheld,
            Kind::Struct(st) => match st {
                Struct::CreateBlock => OpBody::CreateBlock {
                    block: Box::default(),
                    order: s(),
                },
                Struct::SetBlock => OpBody::SetBlock {
                    id: BlockId(s()),
                    field: BlockField::Deleted(true),
                },
                Struct::CreateGroup => OpBody::CreateGroup {
                    name: s(),
                    colour: Colour::Blue,
                    order: s(),
                },
                Struct::SetGroup => OpBody::SetGroup {
                    id: GroupId(s()),
                    field: GroupField::Deleted(true),
                },
                Struct::SetBoard => OpBody::SetBoard {
                    board: BoardKind::Bears,
                    field: BoardField::Open(true),
                },
                Struct::OpenVoting => OpBody::OpenVoting {
                    board: BoardKind::Bears,
                    budget: 3,
                    allow_multiple: true,
                },
                Struct::CreateNote => OpBody::CreateNote {
                    board: BoardKind::Bears,
                    group: Some(GroupId(s())),
                    category: Some(Category::Activiteit),
                    text: s(),
                    colour: Colour::Pink,
                    order: s(),
                },
                Struct::SetNote => OpBody::SetNote {
                    id: NoteId(s()),
                    field: NoteField::Hidden(true),
                },
                Struct::SetVote => OpBody::SetVote {
                    round: RoundId(s()),
                    note: NoteId(s()),
                    count: 1,
                },
                Struct::CreateAgreement => OpBody::CreateAgreement {
                    list: AgreementList::FollowUp,
                    text: s(),
                    owner: s(),
                    due: Some(s()),
                    order: s(),
                    bear: Some(NoteId(s())),
                },
                Struct::SetAgreement => OpBody::SetAgreement {
                    id: AgreementId(s()),
                    field: AgreementField::Done(true),
                },
                Struct::CreatePlan => OpBody::CreatePlan {
                    name: s(),
                    source_note: Some(NoteId(s())),
                },
                Struct::SetPlan => OpBody::SetPlan {
                    id: PlanId(s()),
                    field: PlanField::Deleted(true),
                },
                Struct::Join => OpBody::Join {
                    name: s(),
                    group: Some(GroupId(s())),
                },
                Struct::SetParticipant => OpBody::SetParticipant {
                    id: ParticipantId(s()),
                    field: ParticipantField::Name(s()),
                },
            },
        }
    }

    /// The tables agree with the derived writer: every variant's name, and every struct
    /// variant's field names in the order they are written.
    #[test]
    fn the_tables_name_what_the_writer_writes() {
        for (name, kind) in VARIANTS.iter().zip(KINDS) {
            let body = sample(kind);
            assert_eq!(kind_of(&body), kind);
            let json = serde_json::to_value(&body).expect("writes");
            let written_name = match &json {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Object(m) => m.keys().next().cloned().expect("one key"),
                other => panic!("{other}"),
            };
            assert_eq!(&written_name, name);
            if let Kind::Struct(s) = kind {
                let shape = s.shape();
                assert_eq!(shape.variant, *name);
                assert_eq!(shape.names.len(), shape.slots.len());
                // Key order as written (serde_json's `Value` map sorts keys).
                let text = serde_json::to_string(&body).expect("writes");
                let mut at: Vec<usize> = shape
                    .names
                    .iter()
                    .map(|n| text.find(&format!("\"{n}\":")).expect("written"))
                    .collect();
                let written = at.clone();
                at.sort_unstable();
                assert_eq!(at, written, "{name}: fields out of order");
                let fields = json[*name].as_object().expect("object");
                assert_eq!(fields.len(), shape.names.len(), "{name}");
            }
            let back: OpBody = serde_json::from_value(json).expect("reads");
            assert_eq!(back, body);
        }
    }
}
