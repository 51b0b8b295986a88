//! Commands (what a person asks for) and `decide` (turning one into ops, or refusing it
//! with a typed [`DomainError`]). `decide` reads the state and the context; it never
//! writes. The ops it returns are checked with [`crate::authorize`] before they leave, so
//! the app cannot make an op the relay would refuse.

use serde::{Deserialize, Serialize};

use crate::authorize::authorize_body_as;
use crate::error::{DomainError, DomainResult};
use crate::fractional_index;
use crate::ids::{ActorId, AgreementId, BlockId, GroupId, NoteId, ParticipantId, PlanId};
use crate::model::{
    Activity, AgreementList, BearPhase, BearStatus, BoardKind, Category, Colour,
    DEFAULT_VOTE_BUDGET, Lang, Role, Run, Timer, Voting, Workshop,
};
use crate::op::{
    AgreementField, BearWallField, BlockDraft, BlockField, BoardField, GroupField, MetaField,
    NoteField, OpBody, ParticipantField, PlanField,
};
use crate::pseudonym::{Principal, writer_of};
use crate::validate::{self as v, LONG_MAX, NAME_MAX, NOTE_MAX, SHORT_MAX, TITLE_MAX};

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

    // Timer.
    /// Start the first block.
    StartWorkshop,
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

/// Turn a command into the ops that carry it out, or refuse it.
///
/// The result is checked op by op with [`authorize_body_as`] for `ctx.role`, so a participant
/// gets `NotAllowedForRole` / `NotYourNote` / `BoardClosed` here, exactly as the relay
/// would answer.
pub fn decide(w: &Workshop, cmd: &Command, ctx: &DecideCtx) -> DomainResult<Vec<OpBody>> {
    let ops = decide_unchecked(w, cmd, ctx)?;
    let principal = ctx.principal();
    for op in &ops {
        authorize_body_as(w, writer_of(w, op, &principal), op, ctx.role, &principal)?;
    }
    Ok(ops)
}

fn one(b: OpBody) -> DomainResult<Vec<OpBody>> {
    Ok(vec![b])
}

fn meta(f: MetaField) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetMeta(f))
}

fn block_op(id: &BlockId, field: BlockField) -> OpBody {
    OpBody::SetBlock {
        id: id.clone(),
        field,
    }
}

fn note_op(id: &NoteId, field: NoteField) -> OpBody {
    OpBody::SetNote {
        id: id.clone(),
        field,
    }
}

/// An order key for `place` in a list sorted by `(key, id)`, leaving out `moving`.
/// `None` when the `After` anchor is not in the list.
fn order_for<K: PartialEq>(
    list: &[(&K, &str)],
    place: &Place<K>,
    moving: Option<&K>,
) -> Option<String> {
    let list: Vec<&(&K, &str)> = list.iter().filter(|(k, _)| Some(*k) != moving).collect();
    match place {
        Place::Start => Some(fractional_index::between(
            None,
            list.first().map(|(_, o)| *o),
        )),
        Place::End => Some(fractional_index::between(
            list.last().map(|(_, o)| *o),
            None,
        )),
        Place::After(anchor) => {
            let i = list.iter().position(|(k, _)| *k == anchor)?;
            Some(fractional_index::between(
                Some(list[i].1),
                list.get(i + 1).map(|(_, o)| *o),
            ))
        }
    }
}

fn live_block<'a>(w: &'a Workshop, id: &BlockId) -> DomainResult<&'a crate::model::Block> {
    w.block(id).ok_or(DomainError::UnknownBlock)
}

fn live_note<'a>(w: &'a Workshop, id: &NoteId) -> DomainResult<&'a crate::model::Note> {
    w.note(id).ok_or(DomainError::UnknownNote)
}

fn live_bear<'a>(w: &'a Workshop, id: &NoteId) -> DomainResult<&'a crate::model::Note> {
    let n = live_note(w, id)?;
    if n.board != BoardKind::Bears {
        return Err(DomainError::WrongBoard);
    }
    Ok(n)
}

fn group_ref(w: &Workshop, g: &Option<GroupId>) -> DomainResult<Option<GroupId>> {
    match g {
        Some(id) if w.group(id).is_none() => Err(DomainError::UnknownGroup),
        _ => Ok(g.clone()),
    }
}

/// Ops to leave the running block (if any) and run `id` from `now`.
fn start_block(w: &Workshop, id: &BlockId, now: i64) -> DomainResult<Vec<OpBody>> {
    let b = live_block(w, id)?;
    let mut ops = Vec::new();
    let t = &*w.timer;
    if let Some(cur) = &t.current
        && cur != id
        && t.run != Run::Idle
    {
        ops.push(block_op(cur, BlockField::ActualEnd(Some(now))));
    }
    // The first start is the one reported as "actual start"; coming back to a block
    // reopens it rather than rewriting history.
    if b.actual_start_ms.is_none() {
        ops.push(block_op(id, BlockField::ActualStart(Some(now))));
    }
    if b.actual_end_ms.is_some() {
        ops.push(block_op(id, BlockField::ActualEnd(None)));
    }
    ops.push(OpBody::SetTimer(Timer {
        current: Some(id.clone()),
        run: Run::Running {
            ends_at_ms: now.saturating_add(i64::from(*b.duration_min) * 60_000),
        },
    }));
    Ok(ops)
}

/// The live block before/after the current one in agenda order.
fn neighbour(w: &Workshop, forward: bool) -> DomainResult<BlockId> {
    let cur = w.timer.current.clone().ok_or(DomainError::TimerIdle)?;
    let key = w
        .blocks
        .get(&cur)
        .map(|b| (b.order.value.clone(), cur.clone()))
        .ok_or(DomainError::UnknownBlock)?;
    let blocks = w.blocks_in_order();
    let found = if forward {
        blocks
            .iter()
            .find(|(id, b)| (b.order.value.clone(), (*id).clone()) > key)
    } else {
        blocks
            .iter()
            .rev()
            .find(|(id, b)| (b.order.value.clone(), (*id).clone()) < key)
    };
    match found {
        Some((id, _)) => Ok((*id).clone()),
        None if forward => Err(DomainError::NoNextBlock),
        None => Err(DomainError::NoPreviousBlock),
    }
}

/// The participant whose ballot on `note` a vote command changes: the actor the ballot op
/// will be written under ([`writer_of`]).
fn ballot_writer(
    w: &Workshop,
    round: &crate::ids::RoundId,
    note: &NoteId,
    principal: &Principal,
) -> ParticipantId {
    let ballot = OpBody::SetVote {
        round: round.clone(),
        note: note.clone(),
        count: 0,
    };
    ParticipantId::of(writer_of(w, &ballot, principal))
}

fn decide_unchecked(w: &Workshop, cmd: &Command, ctx: &DecideCtx) -> DomainResult<Vec<OpBody>> {
    let now = ctx.now_ms;
    let me = ParticipantId::of(&ctx.actor);
    match cmd {
        Command::SetTitle(t) => meta(MetaField::Title(v::required(t, TITLE_MAX)?)),
        Command::SetDate(d) => meta(MetaField::Date(v::date(d)?)),
        Command::SetPlannedStart(m) => meta(MetaField::PlannedStart(v::time_of_day(*m)?)),
        Command::SetPlannedEnd(m) => meta(MetaField::PlannedEnd(v::time_of_day(*m)?)),
        Command::SetUtcOffset(m) => meta(MetaField::UtcOffset(*m)),
        Command::SetLanguage(l) => meta(MetaField::Language(*l)),
        Command::SetPracticalAssignment(t) => {
            meta(MetaField::PracticalAssignment(v::optional(t, LONG_MAX)?))
        }

        Command::AddBlock { place, block } => {
            let block = v::block_draft(block)?;
            let list = block_orders(w);
            let order = order_for(&list, place, None).ok_or(DomainError::UnknownBlock)?;
            one(OpBody::CreateBlock {
                block: Box::new(block),
                order,
            })
        }
        Command::EditBlock { id, edit } => {
            live_block(w, id)?;
            let field = match edit {
                BlockEdit::Title(t) => BlockField::Title(v::required(t, TITLE_MAX)?),
                BlockEdit::DurationMin(m) => BlockField::DurationMin(v::duration(*m)?),
                BlockEdit::WorkForm(t) => BlockField::WorkForm(v::optional(t, SHORT_MAX)?),
                BlockEdit::Materials(t) => BlockField::Materials(v::optional(t, SHORT_MAX)?),
                BlockEdit::Lead(t) => BlockField::Lead(v::optional(t, SHORT_MAX)?),
                BlockEdit::Notes(t) => BlockField::Notes(v::optional(t, LONG_MAX)?),
                BlockEdit::Examples(l) => BlockField::Examples(v::list(l, SHORT_MAX)?),
                BlockEdit::Activity(a) => BlockField::Activity(*a),
            };
            one(block_op(id, field))
        }
        Command::MoveBlock { id, place } => {
            live_block(w, id)?;
            let list = block_orders(w);
            let order = order_for(&list, place, Some(id)).ok_or(DomainError::UnknownBlock)?;
            one(block_op(id, BlockField::Order(order)))
        }
        Command::DeleteBlock(id) => {
            live_block(w, id)?;
            one(block_op(id, BlockField::Deleted(true)))
        }
        Command::RestoreBlock(id) => match w.blocks.get(id) {
            Some(b) if b.created && *b.deleted => one(block_op(id, BlockField::Deleted(false))),
            Some(b) if b.created => Err(DomainError::NotDeleted),
            _ => Err(DomainError::UnknownBlock),
        },

        Command::StartWorkshop => {
            let first = w
                .blocks_in_order()
                .first()
                .map(|(id, _)| (*id).clone())
                .ok_or(DomainError::NoBlocks)?;
            start_block(w, &first, now)
        }
        Command::StartBlock(id) => start_block(w, id, now),
        Command::PauseTimer => match w.timer.run {
            Run::Running { ends_at_ms } => one(OpBody::SetTimer(Timer {
                current: w.timer.current.clone(),
                run: Run::Paused {
                    remaining_ms: ends_at_ms.saturating_sub(now),
                },
            })),
            _ => Err(DomainError::TimerNotRunning),
        },
        Command::ResumeTimer => match w.timer.run {
            Run::Paused { remaining_ms } => one(OpBody::SetTimer(Timer {
                current: w.timer.current.clone(),
                run: Run::Running {
                    ends_at_ms: now.saturating_add(remaining_ms),
                },
            })),
            _ => Err(DomainError::TimerNotPaused),
        },
        Command::AdjustTimer { delta_min } => {
            if *delta_min == 0 || delta_min.abs() > v::ADJUST_MAX_MIN {
                return Err(DomainError::AdjustmentOutOfRange {
                    min: -v::ADJUST_MAX_MIN,
                    max: v::ADJUST_MAX_MIN,
                });
            }
            let delta = i64::from(*delta_min) * 60_000;
            let run = match w.timer.run {
                Run::Running { ends_at_ms } => Run::Running {
                    ends_at_ms: ends_at_ms.saturating_add(delta),
                },
                Run::Paused { remaining_ms } => Run::Paused {
                    remaining_ms: remaining_ms.saturating_add(delta),
                },
                Run::Idle => return Err(DomainError::TimerIdle),
            };
            one(OpBody::SetTimer(Timer {
                current: w.timer.current.clone(),
                run,
            }))
        }
        Command::NextBlock => start_block(w, &neighbour(w, true)?, now),
        Command::PreviousBlock => start_block(w, &neighbour(w, false)?, now),
        Command::FinishWorkshop => {
            let cur = w.timer.current.clone().ok_or(DomainError::TimerIdle)?;
            Ok(vec![
                block_op(&cur, BlockField::ActualEnd(Some(now))),
                OpBody::SetTimer(Timer {
                    current: None,
                    run: Run::Idle,
                }),
            ])
        }

        Command::AddGroup { name, colour } => {
            let groups = w.groups_in_order();
            let colour = colour.unwrap_or(Colour::ALL[groups.len() % Colour::ALL.len()]);
            let order =
                fractional_index::between(groups.last().map(|(_, g)| g.order.as_str()), None);
            one(OpBody::CreateGroup {
                name: v::required(name, TITLE_MAX)?,
                colour,
                order,
            })
        }
        Command::RenameGroup { id, name } => {
            w.group(id).ok_or(DomainError::UnknownGroup)?;
            one(OpBody::SetGroup {
                id: id.clone(),
                field: GroupField::Name(v::required(name, TITLE_MAX)?),
            })
        }
        Command::RecolourGroup { id, colour } => {
            w.group(id).ok_or(DomainError::UnknownGroup)?;
            one(OpBody::SetGroup {
                id: id.clone(),
                field: GroupField::Colour(*colour),
            })
        }
        Command::MoveGroup { id, place } => {
            w.group(id).ok_or(DomainError::UnknownGroup)?;
            let list: Vec<(&GroupId, &str)> = w
                .groups_in_order()
                .into_iter()
                .map(|(id, g)| (id, g.order.as_str()))
                .collect();
            let order = order_for(&list, place, Some(id)).ok_or(DomainError::UnknownGroup)?;
            one(OpBody::SetGroup {
                id: id.clone(),
                field: GroupField::Order(order),
            })
        }
        Command::DeleteGroup(id) => {
            w.group(id).ok_or(DomainError::UnknownGroup)?;
            let mut ops = vec![OpBody::SetGroup {
                id: id.clone(),
                field: GroupField::Deleted(true),
            }];
            // Notes moved in concurrently are handled by `Workshop::note_group`, which
            // ignores dead groups; these ops make the stored data say the same.
            for (nid, n) in &w.notes {
                if n.is_live() && n.group.as_ref() == Some(id) {
                    ops.push(note_op(nid, NoteField::Group(None)));
                }
            }
            for (pid, p) in &w.participants {
                if p.joined && p.group.as_ref() == Some(id) {
                    ops.push(OpBody::SetParticipant {
                        id: pid.clone(),
                        field: ParticipantField::Group(None),
                    });
                }
            }
            Ok(ops)
        }

        Command::SetBoardOpen { board, open } => one(OpBody::SetBoard {
            board: *board,
            field: BoardField::Open(*open),
        }),
        Command::SetHideUntilReveal { board, hide } => one(OpBody::SetBoard {
            board: *board,
            field: BoardField::HideUntilRevealed(*hide),
        }),
        Command::Reveal { board } => one(OpBody::SetBoard {
            board: *board,
            field: BoardField::Revealed(true),
        }),
        Command::OpenVoting {
            board,
            budget,
            allow_multiple,
        } => one(OpBody::OpenVoting {
            board: *board,
            budget: v::budget(*budget)?,
            allow_multiple: *allow_multiple,
        }),
        Command::CloseVoting { board } => {
            let round = w.board(*board).voting.round.clone();
            one(OpBody::SetBoard {
                board: *board,
                field: BoardField::Voting(Voting { open: false, round }),
            })
        }

        Command::AddNote {
            board,
            group,
            category,
            text,
            colour,
        } => {
            let text = v::required(text, NOTE_MAX)?;
            if *board == BoardKind::Bears && (group.is_some() || category.is_some()) {
                return Err(DomainError::NotOnBrainstormBoard);
            }
            let group = group_ref(w, group)?;
            let colour = colour
                .or_else(|| group.as_ref().and_then(|g| w.group(g)).map(|g| *g.colour))
                .unwrap_or_default();
            // After the board's last note: the greatest (order, id), as `notes_in_order`
            // sorts, found without sorting a board of a thousand notes on every add.
            let last = w
                .notes
                .iter()
                .filter(|(_, n)| n.is_live() && n.board == *board)
                .map(|(id, n)| (n.order.as_str(), id))
                .max();
            let order = fractional_index::between(last.map(|(order, _)| order), None);
            one(OpBody::CreateNote {
                board: *board,
                group,
                category: *category,
                text,
                colour,
                order,
            })
        }
        Command::EditNote { id, text } => {
            live_note(w, id)?;
            one(note_op(id, NoteField::Text(v::required(text, NOTE_MAX)?)))
        }
        Command::SetNoteCategory { id, category } => {
            if live_note(w, id)?.board != BoardKind::Brainstorm {
                return Err(DomainError::NotOnBrainstormBoard);
            }
            one(note_op(id, NoteField::Category(*category)))
        }
        Command::RecolourNote { id, colour } => {
            live_note(w, id)?;
            one(note_op(id, NoteField::Colour(*colour)))
        }
        Command::MoveNote { id, group, place } => {
            let n = live_note(w, id)?;
            if n.board != BoardKind::Brainstorm && group.is_some() {
                return Err(DomainError::NotOnBrainstormBoard);
            }
            let group = group_ref(w, group)?;
            let list: Vec<(&NoteId, &str)> = w
                .notes_in_order(n.board)
                .into_iter()
                .map(|(id, n)| (id, n.order.as_str()))
                .collect();
            let order = order_for(&list, place, Some(id)).ok_or(DomainError::UnknownNote)?;
            let mut ops = Vec::new();
            if *n.group != group {
                ops.push(note_op(id, NoteField::Group(group)));
            }
            ops.push(note_op(id, NoteField::Order(order)));
            Ok(ops)
        }
        Command::HideNote { id, hidden } => {
            live_note(w, id)?;
            one(note_op(id, NoteField::Hidden(*hidden)))
        }
        Command::DeleteNote(id) => {
            live_note(w, id)?;
            one(note_op(id, NoteField::Deleted(true)))
        }
        Command::RestoreNote(id) => match w.notes.get(id) {
            Some(n) if n.created && *n.deleted => one(note_op(id, NoteField::Deleted(false))),
            Some(n) if n.created => Err(DomainError::NotDeleted),
            _ => Err(DomainError::UnknownNote),
        },
        Command::StackNote { id, onto } => {
            let n = live_note(w, id)?;
            let target = live_note(w, onto)?;
            if n.board != target.board {
                return Err(DomainError::WrongBoard);
            }
            let root = w.stack_root(onto).unwrap_or(onto).clone();
            if root == *id {
                return Err(DomainError::StackOntoSelf);
            }
            // Keep stacks one level deep: what was stacked on `id` moves onto the root.
            let mut ops = vec![note_op(id, NoteField::StackedOn(Some(root.clone())))];
            for child in w.stacked_onto(id) {
                ops.push(note_op(child, NoteField::StackedOn(Some(root.clone()))));
            }
            Ok(ops)
        }
        Command::Unstack(id) => {
            if live_note(w, id)?.stacked_on.is_none() {
                return Err(DomainError::NotStacked);
            }
            one(note_op(id, NoteField::StackedOn(None)))
        }
        Command::SetClusterTitle { id, title } => {
            live_note(w, id)?;
            one(note_op(
                id,
                NoteField::ClusterTitle(v::optional(title, TITLE_MAX)?),
            ))
        }

        Command::CastVote { note } => {
            let n = live_note(w, note)?;
            let (round_id, round) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
            let principal = ctx.principal();
            let used: u32 = principal
                .actors()
                .map(|a| w.votes_used(round_id, &ParticipantId::of(a)))
                .sum();
            if used >= round.budget {
                return Err(DomainError::VoteBudgetExhausted {
                    budget: round.budget,
                });
            }
            let voter = ballot_writer(w, round_id, note, &principal);
            let current = current_votes(w, round_id, &voter, note);
            if !round.allow_multiple && current >= 1 {
                return Err(DomainError::OneVotePerNote);
            }
            one(OpBody::SetVote {
                round: round_id.clone(),
                note: note.clone(),
                count: current + 1,
            })
        }
        Command::RemoveVote { note } => {
            let n = live_note(w, note)?;
            let (round_id, _) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
            let voter = ballot_writer(w, round_id, note, &ctx.principal());
            let current = current_votes(w, round_id, &voter, note);
            if current == 0 {
                return Err(DomainError::NoVoteToRemove);
            }
            one(OpBody::SetVote {
                round: round_id.clone(),
                note: note.clone(),
                count: current - 1,
            })
        }

        Command::SetBearPhase(phase) => {
            let mut ops = vec![OpBody::SetBearWall(BearWallField::Phase(*phase))];
            let open = w.open_round(BoardKind::Bears).is_some();
            if *phase == BearPhase::Vote && !open {
                ops.push(OpBody::OpenVoting {
                    board: BoardKind::Bears,
                    budget: DEFAULT_VOTE_BUDGET,
                    allow_multiple: false,
                });
            } else if *phase != BearPhase::Vote && open {
                ops.push(OpBody::SetBoard {
                    board: BoardKind::Bears,
                    field: BoardField::Voting(Voting {
                        open: false,
                        round: w.bears_board.voting.round.clone(),
                    }),
                });
            }
            Ok(ops)
        }
        Command::SetBearsAnonymous(a) => one(OpBody::SetBearWall(BearWallField::Anonymous(*a))),
        Command::Spotlight(id) => {
            if let Some(id) = id {
                live_bear(w, id)?;
            }
            one(OpBody::SetBearWall(BearWallField::Spotlight(id.clone())))
        }
        Command::ShootBear { id, answer } => {
            live_bear(w, id)?;
            Ok(vec![
                note_op(id, NoteField::BearStatus(BearStatus::Shot)),
                note_op(id, NoteField::BearAnswer(v::optional(answer, NOTE_MAX)?)),
            ])
        }
        Command::TameBear {
            id,
            action,
            owner,
            due,
        } => {
            let bear = live_bear(w, id)?;
            let text = match action.as_deref().map(str::trim) {
                Some(a) if !a.is_empty() => v::required(a, NOTE_MAX)?,
                _ => bear.text.value.clone(),
            };
            let order = fractional_index::between(
                w.agreements_in_order(AgreementList::FollowUp)
                    .last()
                    .map(|(_, a)| a.order.as_str()),
                None,
            );
            Ok(vec![
                note_op(id, NoteField::BearStatus(BearStatus::Tamed)),
                OpBody::CreateAgreement {
                    list: AgreementList::FollowUp,
                    text,
                    owner: v::required(owner, NAME_MAX)?,
                    due: v::optional_date(due.as_deref())?,
                    order,
                    bear: Some(id.clone()),
                },
            ])
        }
        Command::ParkBear(id) => {
            live_bear(w, id)?;
            one(note_op(id, NoteField::BearStatus(BearStatus::Parked)))
        }
        Command::ReopenBear(id) => {
            live_bear(w, id)?;
            one(note_op(id, NoteField::BearStatus(BearStatus::Open)))
        }

        Command::AddAgreement {
            list,
            text,
            owner,
            due,
        } => {
            let order = fractional_index::between(
                w.agreements_in_order(*list)
                    .last()
                    .map(|(_, a)| a.order.as_str()),
                None,
            );
            one(OpBody::CreateAgreement {
                list: *list,
                text: v::required(text, NOTE_MAX)?,
                owner: v::optional(owner, NAME_MAX)?,
                due: v::optional_date(due.as_deref())?,
                order,
                bear: None,
            })
        }
        Command::EditAgreement { id, edit } => {
            w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
            let field = match edit {
                AgreementEdit::Text(t) => AgreementField::Text(v::required(t, NOTE_MAX)?),
                AgreementEdit::Owner(t) => AgreementField::Owner(v::optional(t, NAME_MAX)?),
                AgreementEdit::Due(d) => AgreementField::Due(v::optional_date(d.as_deref())?),
            };
            one(OpBody::SetAgreement {
                id: id.clone(),
                field,
            })
        }
        Command::ToggleAgreementDone(id) => {
            let a = w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
            one(OpBody::SetAgreement {
                id: id.clone(),
                field: AgreementField::Done(!*a.done),
            })
        }
        Command::MoveAgreement { id, list, place } => {
            let a = w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
            let items: Vec<(&AgreementId, &str)> = w
                .agreements_in_order(*list)
                .into_iter()
                .map(|(id, a)| (id, a.order.as_str()))
                .collect();
            let order = order_for(&items, place, Some(id)).ok_or(DomainError::UnknownAgreement)?;
            let mut ops = Vec::new();
            if *a.list != *list {
                ops.push(OpBody::SetAgreement {
                    id: id.clone(),
                    field: AgreementField::List(*list),
                });
            }
            ops.push(OpBody::SetAgreement {
                id: id.clone(),
                field: AgreementField::Order(order),
            });
            Ok(ops)
        }
        Command::DeleteAgreement(id) => {
            w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
            one(OpBody::SetAgreement {
                id: id.clone(),
                field: AgreementField::Deleted(true),
            })
        }
        Command::RestoreAgreement(id) => match w.agreements.get(id) {
            Some(a) if a.created && *a.deleted => one(OpBody::SetAgreement {
                id: id.clone(),
                field: AgreementField::Deleted(false),
            }),
            Some(a) if a.created => Err(DomainError::NotDeleted),
            _ => Err(DomainError::UnknownAgreement),
        },

        Command::AddPlan { name, source_note } => {
            if let Some(n) = source_note {
                live_note(w, n)?;
            }
            one(OpBody::CreatePlan {
                name: v::required(name, TITLE_MAX)?,
                source_note: source_note.clone(),
            })
        }
        Command::EditPlan { id, edit } => {
            w.plan(id).ok_or(DomainError::UnknownPlan)?;
            let field = match edit {
                PlanEdit::Name(t) => PlanField::Name(v::required(t, TITLE_MAX)?),
                PlanEdit::Partners(l) => PlanField::Partners(v::list(l, SHORT_MAX)?),
                PlanEdit::Bouwer(t) => PlanField::Bouwer(v::optional(t, NAME_MAX)?),
                PlanEdit::Verbinder(t) => PlanField::Verbinder(v::optional(t, NAME_MAX)?),
                PlanEdit::Aanjager(t) => PlanField::Aanjager(v::optional(t, NAME_MAX)?),
                PlanEdit::Colleagues(l) => PlanField::Colleagues(v::list(l, NAME_MAX)?),
                PlanEdit::TargetMembers(n) => {
                    PlanField::TargetMembers(v::number(*n, v::TARGET_MAX)?)
                }
                PlanEdit::TargetActivities(n) => {
                    PlanField::TargetActivities(v::number(*n, v::TARGET_MAX)?)
                }
                PlanEdit::TargetDate(d) => PlanField::TargetDate(v::optional_date(d.as_deref())?),
                PlanEdit::StartPhaseMonths(n) => {
                    PlanField::StartPhaseMonths(v::number(*n, v::MONTHS_MAX)?)
                }
            };
            one(OpBody::SetPlan {
                id: id.clone(),
                field,
            })
        }
        Command::DeletePlan(id) => {
            w.plan(id).ok_or(DomainError::UnknownPlan)?;
            one(OpBody::SetPlan {
                id: id.clone(),
                field: PlanField::Deleted(true),
            })
        }

        Command::Join { name, group } => one(OpBody::Join {
            name: v::optional(name, NAME_MAX)?,
            group: group_ref(w, group)?,
        }),
        Command::Rename { name } => {
            w.participant(&me).ok_or(DomainError::NotJoined)?;
            one(OpBody::SetParticipant {
                id: me,
                field: ParticipantField::Name(v::optional(name, NAME_MAX)?),
            })
        }
        Command::SetGroup { group } => {
            w.participant(&me).ok_or(DomainError::NotJoined)?;
            one(OpBody::SetParticipant {
                id: me,
                field: ParticipantField::Group(group_ref(w, group)?),
            })
        }
        Command::RenameParticipant { id, name } => {
            w.participant(id).ok_or(DomainError::UnknownParticipant)?;
            one(OpBody::SetParticipant {
                id: id.clone(),
                field: ParticipantField::Name(v::optional(name, NAME_MAX)?),
            })
        }
        Command::SetParticipantGroup { id, group } => {
            w.participant(id).ok_or(DomainError::UnknownParticipant)?;
            one(OpBody::SetParticipant {
                id: id.clone(),
                field: ParticipantField::Group(group_ref(w, group)?),
            })
        }
        Command::SetParticipantRole { id, role } => {
            w.participant(id).ok_or(DomainError::UnknownParticipant)?;
            one(OpBody::SetParticipant {
                id: id.clone(),
                field: ParticipantField::Role(*role),
            })
        }
    }
}

fn block_orders(w: &Workshop) -> Vec<(&BlockId, &str)> {
    w.blocks_in_order()
        .into_iter()
        .map(|(id, b)| (id, b.order.as_str()))
        .collect()
}

fn current_votes(
    w: &Workshop,
    round: &crate::ids::RoundId,
    who: &ParticipantId,
    note: &NoteId,
) -> u32 {
    w.votes
        .get(round)
        .and_then(|r| r.get(who))
        .and_then(|m| m.get(note))
        .map_or(0, |c| **c)
}
