//! Commands: what a person asks for, as plain data. [`decide`] (in `decide/`) turns one
//! into ops, or refuses it with a typed [`crate::DomainError`].

use serde::{Deserialize, Serialize};

use crate::ids::{ActorId, AgreementId, BlockId, GroupId, NoteId, ParticipantId, PlanId};
use crate::model::{Activity, AgreementList, BearPhase, BoardKind, Category, Colour, Lang, Role};
use crate::op::BlockDraft;
use crate::pseudonym::Principal;

pub use crate::decide::decide;

/// Who is asking, as what, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecideCtx {
    pub actor: ActorId,
    pub role: Role,
    /// Unix epoch milliseconds (from the app's clock adapter, never read here).
    pub now_ms: i64,
    /// A participant's bear pseudonym, once the relay has named it ([`crate::pseudonym`]).
    pub pseudonym: Option<ActorId>,
}

impl DecideCtx {
    /// Who is asking, with every actor they write under.
    pub fn principal(&self) -> Principal {
        Principal {
            actor: self.actor.clone(),
            pseudonym: self.pseudonym.clone(),
        }
    }
}

/// Where an item goes in an ordered list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place<T> {
    Start,
    End,
    After(T),
}

/// Block fields a facilitator edits directly (order, timing and deletion have commands).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockEdit {
    Title(String),
    DurationMin(u16),
    WorkForm(String),
    Materials(String),
    Lead(String),
    Notes(String),
    Examples(Vec<String>),
    Activity(Activity),
    /// May proposals to get back on schedule shorten it ([`crate::model::Block::is_flexible`]).
    Flexible(bool),
}

/// One step of a proposal to get back on schedule ([`crate::schedule::proposals`]): the
/// same edits a facilitator makes by hand, so applying one is ordinary ops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleChange {
    Edit { block: BlockId, edit: BlockEdit },
    Delete(BlockId),
    Restore(BlockId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementEdit {
    Text(String),
    Owner(String),
    /// `YYYY-MM-DD`, or `None` / empty to clear.
    Due(Option<String>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanEdit {
    Name(String),
    Partners(Vec<String>),
    Bouwer(String),
    Verbinder(String),
    Aanjager(String),
    Colleagues(Vec<String>),
    TargetMembers(Option<u32>),
    TargetActivities(Option<u32>),
    TargetDate(Option<String>),
    StartPhaseMonths(Option<u32>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    // Workshop details.
    SetTitle(String),
    /// `YYYY-MM-DD`.
    SetDate(String),
    /// Minutes since midnight.
    SetPlannedStart(u16),
    /// Minutes since midnight.
    SetPlannedEnd(u16),
    /// Local time minus UTC, minutes.
    SetUtcOffset(i16),
    SetLanguage(Lang),
    SetPracticalAssignment(String),

    // Agenda.
    AddBlock {
        place: Place<BlockId>,
        block: BlockDraft,
    },
    EditBlock {
        id: BlockId,
        edit: BlockEdit,
    },
    MoveBlock {
        id: BlockId,
        place: Place<BlockId>,
    },
    DeleteBlock(BlockId),
    /// Undo of `DeleteBlock`.
    RestoreBlock(BlockId),
    /// Several agenda edits as one step: a proposal to get back on schedule, or its undo.
    Reschedule(Vec<ScheduleChange>),

    // Timer.
    /// Start the first block.
    StartWorkshop,
    /// Move the day's planned start (and its close, keeping the day's length) to now,
    /// then start the first block ([`crate::schedule::rebase`]).
    RebaseAndStart,
    StartBlock(BlockId),
    PauseTimer,
    ResumeTimer,
    AdjustTimer {
        delta_min: i32,
    },
    NextBlock,
    PreviousBlock,
    /// End the current block and stop the timer.
    FinishWorkshop,

    // Theme groups of the brainstorm board.
    AddGroup {
        name: String,
        colour: Option<Colour>,
    },
    RenameGroup {
        id: GroupId,
        name: String,
    },
    RecolourGroup {
        id: GroupId,
        colour: Colour,
    },
    MoveGroup {
        id: GroupId,
        place: Place<GroupId>,
    },
    /// Its notes (and participants) move to no group.
    DeleteGroup(GroupId),

    // Boards.
    SetBoardOpen {
        board: BoardKind,
        open: bool,
    },
    SetHideUntilReveal {
        board: BoardKind,
        hide: bool,
    },
    Reveal {
        board: BoardKind,
    },
    OpenVoting {
        board: BoardKind,
        budget: u32,
        allow_multiple: bool,
    },
    CloseVoting {
        board: BoardKind,
    },

    // Notes (brainstorm notes and bears).
    AddNote {
        board: BoardKind,
        group: Option<GroupId>,
        category: Option<Category>,
        text: String,
        colour: Option<Colour>,
    },
    EditNote {
        id: NoteId,
        text: String,
    },
    SetNoteCategory {
        id: NoteId,
        category: Option<Category>,
    },
    RecolourNote {
        id: NoteId,
        colour: Colour,
    },
    MoveNote {
        id: NoteId,
        group: Option<GroupId>,
        place: Place<NoteId>,
    },
    HideNote {
        id: NoteId,
        hidden: bool,
    },
    DeleteNote(NoteId),
    RestoreNote(NoteId),
    StackNote {
        id: NoteId,
        onto: NoteId,
    },
    Unstack(NoteId),
    SetClusterTitle {
        id: NoteId,
        title: String,
    },

    // Votes (by the acting participant, in the board's open round).
    CastVote {
        note: NoteId,
    },
    RemoveVote {
        note: NoteId,
    },

    // Bear wall.
    SetBearPhase(BearPhase),
    SetBearsAnonymous(bool),
    Spotlight(Option<NoteId>),
    ShootBear {
        id: NoteId,
        answer: String,
    },
    /// Turn a bear into a follow-up action; `action` defaults to the bear's text.
    TameBear {
        id: NoteId,
        action: Option<String>,
        owner: String,
        due: Option<String>,
    },
    ParkBear(NoteId),
    ReopenBear(NoteId),

    // Agreements, open ends, follow-up actions.
    AddAgreement {
        list: AgreementList,
        text: String,
        owner: String,
        due: Option<String>,
    },
    EditAgreement {
        id: AgreementId,
        edit: AgreementEdit,
    },
    ToggleAgreementDone(AgreementId),
    MoveAgreement {
        id: AgreementId,
        list: AgreementList,
        place: Place<AgreementId>,
    },
    DeleteAgreement(AgreementId),
    RestoreAgreement(AgreementId),

    // Community plans.
    AddPlan {
        name: String,
        source_note: Option<NoteId>,
    },
    EditPlan {
        id: PlanId,
        edit: PlanEdit,
    },
    DeletePlan(PlanId),

    // Participants (the acting device's own record unless an id is given).
    Join {
        name: String,
        group: Option<GroupId>,
    },
    Rename {
        name: String,
    },
    SetGroup {
        group: Option<GroupId>,
    },
    RenameParticipant {
        id: ParticipantId,
        name: String,
    },
    SetParticipantGroup {
        id: ParticipantId,
        group: Option<GroupId>,
    },
    SetParticipantRole {
        id: ParticipantId,
        role: Role,
    },
}
