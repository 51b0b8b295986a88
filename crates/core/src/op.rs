//! Ops: the wire format the relay stores and replicas exchange, and `apply`.
//!
//! Stability: the serde names of [`OpBody`] variants and of their fields are the wire
//! format (`bijeen/1`). Add variants; never rename or remove one.
//!
//! Every op writes last-writer-wins registers stamped `(hlc, actor, seq)`, or creates an
//! entity whose id is derived from the op id. Ops that mention an entity not created yet
//! (possible when delivery is reordered) still take effect on a placeholder that stays
//! invisible until its creating op arrives, which is what makes `apply` commutative.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{
    ActorId, AgreementId, BlockId, GroupId, Hlc, NoteId, OpId, ParticipantId, PlanId, RoundId,
    Stamp,
};
use crate::lww::Lww;
use crate::model::{
    Activity, AgreementList, BearPhase, BearStatus, BoardKind, Category, Colour, Lang, Role,
    Template, Timer, VoteRound, Voting, Workshop,
};

mod read;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub hlc: Hlc,
    pub body: OpBody,
}

impl Op {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            hlc: self.hlc,
            actor: self.id.actor.clone(),
            seq: self.id.seq,
        }
    }

    /// The marker that replaces `op` once the relay has refused it: same id and clock, no
    /// effect. The relay and the sender build it independently, byte for byte the same.
    /// Its clock only tells which op it stands for: replicas never take it as the time (an
    /// op may have been refused for a clock far in the future).
    pub fn refusal_of(op: &Op) -> Op {
        Op {
            id: op.id.clone(),
            hlc: op.hlc,
            body: OpBody::Refused,
        }
    }

    pub fn is_refusal(&self) -> bool {
        matches!(self.body, OpBody::Refused)
    }

    /// What a participant's device gets in place of an op it may not see yet (another
    /// participant's note on a board that hides notes until reveal): the id, so version
    /// vectors stay contiguous, and nothing else, not even the clock. The relay sends the
    /// real op once it may be seen, and [`crate::Doc::receive`] puts it in the
    /// placeholder's place.
    pub fn placeholder_of(id: &OpId) -> Op {
        Op {
            id: id.clone(),
            hlc: Hlc::default(),
            body: OpBody::Withheld,
        }
    }

    pub fn is_placeholder(&self) -> bool {
        matches!(self.body, OpBody::Withheld)
    }

    /// The note whose visibility decides who may receive this op: the note it creates,
    /// edits or votes on. `None` for ops everyone in the room may see.
    pub fn concerns_note(&self) -> Option<NoteId> {
        match &self.body {
            OpBody::CreateNote { .. } => Some(NoteId::from_op(&self.id)),
            OpBody::SetNote { id, .. } => Some(id.clone()),
            OpBody::SetVote { note, .. } => Some(note.clone()),
            _ => None,
        }
    }

    /// The id of the entity this op creates, if it creates one (`"{actor}-{seq}"`).
    pub fn created_id(&self) -> Option<String> {
        match self.body {
            OpBody::CreateBlock { .. }
            | OpBody::CreateGroup { .. }
            | OpBody::CreateNote { .. }
            | OpBody::CreateAgreement { .. }
            | OpBody::CreatePlan { .. }
            | OpBody::OpenVoting { .. } => Some(self.id.to_string()),
            _ => None,
        }
    }
}

/// The notes whose card can look different after an op: text, category, group, author
/// name, hidden, stacked, cluster title, votes in the shown round and the viewer's own
/// votes. Lets a board redo one card instead of all of them per op (one more note on a
/// board of a thousand must stay far below a frame).
///
/// Deliberately coarse: whatever can change a note through another entity (its stack
/// root, its group, its author, the board's rounds) is [`NoteReach::All`], because a
/// missed card would stay wrong until the next full pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteReach {
    /// No note's card changes (agenda, timer, bear-wall settings, agreements, plans).
    None,
    /// Only this note's card can change.
    One(NoteId),
    /// Any note's card can change; redo them all.
    All,
}

impl Op {
    /// Which notes' cards this op can change, from the op alone (see [`NoteReach`]).
    /// Use [`Op::note_reach_in`] once the op is applied: a note created after notes were
    /// stacked onto it also changes those notes.
    pub fn note_reach(&self) -> NoteReach {
        match &self.body {
            OpBody::CreateNote { .. } => NoteReach::One(NoteId::from_op(&self.id)),
            OpBody::SetNote { id, field } => match field {
                // Fields a card shows of this note only (colour, order and the bear fields
                // are not on a brainstorm card, but belong to this note alone as well).
                NoteField::Text(_)
                | NoteField::Category(_)
                | NoteField::Colour(_)
                | NoteField::Order(_)
                | NoteField::ClusterTitle(_)
                | NoteField::Hidden(_)
                | NoteField::BearStatus(_)
                | NoteField::BearAnswer(_) => NoteReach::One(id.clone()),
                // A note's stacked notes take their group from their stack root and are
                // "stacked" only while the root is live: stacking, moving or deleting a
                // note can change every note stacked onto it (through chains, too).
                NoteField::StackedOn(_) | NoteField::Group(_) | NoteField::Deleted(_) => {
                    NoteReach::All
                }
            },
            // Tallies are per note: a ballot changes that note's total and the voter's
            // own dots on it, nothing else.
            OpBody::SetVote { note, .. } => NoteReach::One(note.clone()),
            // A note's group counts only while the group is live, so creating or deleting
            // a group regroups its notes (and a group made after its notes arrived, too).
            OpBody::CreateGroup { .. } | OpBody::SetGroup { .. } => NoteReach::All,
            // The round shown (and so every note's votes and dots) changes with voting.
            OpBody::SetBoard { .. } | OpBody::OpenVoting { .. } => NoteReach::All,
            // Author names are shown on every note of that author.
            OpBody::Join { .. } | OpBody::SetParticipant { .. } => NoteReach::All,
            // A refusal takes back an op whose effect is unknown here.
            OpBody::Refused => NoteReach::All,
            // A placeholder has no effect; the op that replaces it is judged on its own.
            OpBody::Withheld => NoteReach::None,
            OpBody::SetMeta(_)
            | OpBody::CreateBlock { .. }
            | OpBody::SetBlock { .. }
            | OpBody::SetTimer(_)
            | OpBody::SetBearWall(_)
            | OpBody::CreateAgreement { .. }
            | OpBody::SetAgreement { .. }
            | OpBody::CreatePlan { .. }
            | OpBody::SetPlan { .. } => NoteReach::None,
        }
    }

    /// [`Op::note_reach`] of this op once applied to `w`. Ops can arrive out of order, so
    /// notes may already be stacked onto a note whose creating op comes only now: the
    /// note becoming live makes them (and notes stacked onto them) stacked, so the reach
    /// is [`NoteReach::All`] then. A scan of the notes without allocating, only for
    /// created notes.
    pub fn note_reach_in(&self, w: &Workshop) -> NoteReach {
        match self.note_reach() {
            NoteReach::One(id) if matches!(self.body, OpBody::CreateNote { .. }) => {
                let stacked_onto_it = w
                    .notes
                    .values()
                    .any(|n| n.is_live() && n.stacked_on.as_ref() == Some(&id));
                if stacked_onto_it {
                    NoteReach::All
                } else {
                    NoteReach::One(id)
                }
            }
            reach => reach,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaField {
    Title(String),
    Date(String),
    PlannedStart(u16),
    PlannedEnd(u16),
    UtcOffset(i16),
    Language(Lang),
    Template(Template),
    PracticalAssignment(String),
}

/// Everything a new block starts with (also used by `Command::AddBlock`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockDraft {
    pub title: String,
    pub duration_min: u16,
    #[serde(default)]
    pub work_form: String,
    #[serde(default)]
    pub materials: String,
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub activity: Activity,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockField {
    Title(String),
    DurationMin(u16),
    WorkForm(String),
    Materials(String),
    Lead(String),
    Notes(String),
    Examples(Vec<String>),
    Activity(Activity),
    Order(String),
    ActualStart(Option<i64>),
    ActualEnd(Option<i64>),
    Deleted(bool),
    /// `None` goes back to the default rule ([`crate::model::Block::is_flexible`]).
    Flexible(Option<bool>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupField {
    Name(String),
    Colour(Colour),
    Order(String),
    Deleted(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardField {
    Open(bool),
    HideUntilRevealed(bool),
    Revealed(bool),
    Voting(Voting),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BearWallField {
    Phase(BearPhase),
    Anonymous(bool),
    Spotlight(Option<NoteId>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteField {
    Text(String),
    Group(Option<GroupId>),
    Category(Option<Category>),
    Colour(Colour),
    Order(String),
    StackedOn(Option<NoteId>),
    ClusterTitle(String),
    Hidden(bool),
    Deleted(bool),
    BearStatus(BearStatus),
    BearAnswer(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementField {
    List(AgreementList),
    Text(String),
    Owner(String),
    Due(Option<String>),
    Done(bool),
    Order(String),
    Deleted(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanField {
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
    Deleted(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantField {
    Name(String),
    Group(Option<GroupId>),
    Role(Role),
}

/// Read by a hand-written deserializer (`op/read.rs`) that takes the same JSON as
/// serde's derive would: the derive's one reader per struct variant was the largest
/// function of the app's wasm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpBody {
    SetMeta(MetaField),
    /// Boxed: the largest body by far, and every op is as large as the largest body
    /// (moving 25,000 ops while loading a snapshot was a tenth of the load time).
    CreateBlock {
        block: Box<BlockDraft>,
        order: String,
    },
    SetBlock {
        id: BlockId,
        field: BlockField,
    },
    SetTimer(Timer),
    CreateGroup {
        name: String,
        colour: Colour,
        order: String,
    },
    SetGroup {
        id: GroupId,
        field: GroupField,
    },
    SetBoard {
        board: BoardKind,
        field: BoardField,
    },
    /// Opens a new voting round (id derived from this op) on a board.
    OpenVoting {
        board: BoardKind,
        budget: u32,
        allow_multiple: bool,
    },
    SetBearWall(BearWallField),
    /// Author is the op's actor.
    CreateNote {
        board: BoardKind,
        group: Option<GroupId>,
        category: Option<Category>,
        text: String,
        colour: Colour,
        order: String,
    },
    SetNote {
        id: NoteId,
        field: NoteField,
    },
    /// The op's actor's number of votes on `note` in `round`.
    SetVote {
        round: RoundId,
        note: NoteId,
        count: u32,
    },
    CreateAgreement {
        list: AgreementList,
        text: String,
        owner: String,
        due: Option<String>,
        order: String,
        bear: Option<NoteId>,
    },
    SetAgreement {
        id: AgreementId,
        field: AgreementField,
    },
    CreatePlan {
        name: String,
        source_note: Option<NoteId>,
    },
    SetPlan {
        id: PlanId,
        field: PlanField,
    },
    /// The op's actor joins as a participant.
    Join {
        name: String,
        group: Option<GroupId>,
    },
    SetParticipant {
        id: ParticipantId,
        field: ParticipantField,
    },
    /// Stands in for the op with this id, which the relay refused ([`Op::refusal_of`]).
    /// It changes nothing; it keeps the actor's sequence numbers contiguous, so version
    /// vectors can count past the refused one, and it replaces the refused op wherever
    /// that was applied ([`crate::Doc::refuse`]).
    Refused,
    /// Stands in for an op the receiving participant may not see yet
    /// ([`Op::placeholder_of`]); made only by the relay, never sent to it. No effect.
    Withheld,
}

/// Apply one op to the state. Idempotent (applying twice changes nothing) and commutative
/// (any order of the same set of ops gives the same state). Never fails: authorisation
/// and validation happen before an op is made ([`crate::decide`]) or accepted
/// ([`crate::authorize`]).
pub fn apply(w: &mut Workshop, op: &Op) {
    let s = StampRef {
        hlc: op.hlc,
        actor: &op.id.actor,
        seq: op.id.seq,
    };
    let s = &s;
    match &op.body {
        OpBody::SetMeta(f) => {
            let m = &mut w.meta;
            match f {
                MetaField::Title(v) => set(&mut m.title, v, s),
                MetaField::Date(v) => set(&mut m.date, v, s),
                MetaField::PlannedStart(v) => set(&mut m.planned_start_min, v, s),
                MetaField::PlannedEnd(v) => set(&mut m.planned_end_min, v, s),
                MetaField::UtcOffset(v) => set(&mut m.utc_offset_min, v, s),
                MetaField::Language(v) => set(&mut m.language, v, s),
                MetaField::Template(v) => set(&mut m.template, v, s),
                MetaField::PracticalAssignment(v) => set(&mut m.practical_assignment, v, s),
            }
        }
        OpBody::CreateBlock { block, order } => {
            let b = w.blocks.entry(BlockId::from_op(&op.id)).or_default();
            b.created = true;
            set(&mut b.title, &block.title, s);
            set(&mut b.duration_min, &block.duration_min, s);
            set(&mut b.work_form, &block.work_form, s);
            set(&mut b.materials, &block.materials, s);
            set(&mut b.lead, &block.lead, s);
            set(&mut b.notes, &block.notes, s);
            set(&mut b.examples, &block.examples, s);
            set(&mut b.activity, &block.activity, s);
            set(&mut b.order, order, s);
        }
        OpBody::SetBlock { id, field } => with_entry(&mut w.blocks, id, |b| match field {
            BlockField::Title(v) => set(&mut b.title, v, s),
            BlockField::DurationMin(v) => set(&mut b.duration_min, v, s),
            BlockField::WorkForm(v) => set(&mut b.work_form, v, s),
            BlockField::Materials(v) => set(&mut b.materials, v, s),
            BlockField::Lead(v) => set(&mut b.lead, v, s),
            BlockField::Notes(v) => set(&mut b.notes, v, s),
            BlockField::Examples(v) => set(&mut b.examples, v, s),
            BlockField::Activity(v) => set(&mut b.activity, v, s),
            BlockField::Order(v) => set(&mut b.order, v, s),
            BlockField::ActualStart(v) => set(&mut b.actual_start_ms, v, s),
            BlockField::ActualEnd(v) => set(&mut b.actual_end_ms, v, s),
            BlockField::Deleted(v) => set(&mut b.deleted, v, s),
            BlockField::Flexible(v) => set(&mut b.flexible, v, s),
        }),
        OpBody::SetTimer(t) => set(&mut w.timer, t, s),
        OpBody::CreateGroup {
            name,
            colour,
            order,
        } => {
            let g = w.groups.entry(GroupId::from_op(&op.id)).or_default();
            g.created = true;
            set(&mut g.name, name, s);
            set(&mut g.colour, colour, s);
            set(&mut g.order, order, s);
        }
        OpBody::SetGroup { id, field } => with_entry(&mut w.groups, id, |g| match field {
            GroupField::Name(v) => set(&mut g.name, v, s),
            GroupField::Colour(v) => set(&mut g.colour, v, s),
            GroupField::Order(v) => set(&mut g.order, v, s),
            GroupField::Deleted(v) => set(&mut g.deleted, v, s),
        }),
        OpBody::SetBoard { board, field } => {
            let b = w.board_mut(*board);
            match field {
                BoardField::Open(v) => set(&mut b.open, v, s),
                BoardField::HideUntilRevealed(v) => set(&mut b.hide_until_revealed, v, s),
                BoardField::Revealed(v) => set(&mut b.revealed, v, s),
                BoardField::Voting(v) => set(&mut b.voting, v, s),
            }
        }
        OpBody::OpenVoting {
            board,
            budget,
            allow_multiple,
        } => {
            let id = RoundId::from_op(&op.id);
            w.rounds.entry(id.clone()).or_insert(VoteRound {
                board: *board,
                budget: *budget,
                allow_multiple: *allow_multiple,
            });
            set(
                &mut w.board_mut(*board).voting,
                &Voting {
                    open: true,
                    round: Some(id),
                },
                s,
            );
        }
        OpBody::SetBearWall(f) => {
            let b = &mut w.bear_wall;
            match f {
                BearWallField::Phase(v) => set(&mut b.phase, v, s),
                BearWallField::Anonymous(v) => set(&mut b.anonymous, v, s),
                BearWallField::Spotlight(v) => set(&mut b.spotlight, v, s),
            }
        }
        OpBody::CreateNote {
            board,
            group,
            category,
            text,
            colour,
            order,
        } => {
            let n = w.notes.entry(NoteId::from_op(&op.id)).or_default();
            if !n.created {
                n.created = true;
                n.board = *board;
                n.author = ParticipantId::of(&op.id.actor);
            }
            set(&mut n.group, group, s);
            set(&mut n.category, category, s);
            set(&mut n.text, text, s);
            set(&mut n.colour, colour, s);
            set(&mut n.order, order, s);
        }
        OpBody::SetNote { id, field } => with_entry(&mut w.notes, id, |n| match field {
            NoteField::Text(v) => set(&mut n.text, v, s),
            NoteField::Group(v) => set(&mut n.group, v, s),
            NoteField::Category(v) => set(&mut n.category, v, s),
            NoteField::Colour(v) => set(&mut n.colour, v, s),
            NoteField::Order(v) => set(&mut n.order, v, s),
            NoteField::StackedOn(v) => set(&mut n.stacked_on, v, s),
            NoteField::ClusterTitle(v) => set(&mut n.cluster_title, v, s),
            NoteField::Hidden(v) => set(&mut n.hidden, v, s),
            NoteField::Deleted(v) => set(&mut n.deleted, v, s),
            NoteField::BearStatus(v) => set(&mut n.bear_status, v, s),
            NoteField::BearAnswer(v) => set(&mut n.bear_answer, v, s),
        }),
        OpBody::SetVote { round, note, count } => {
            let voter = ParticipantId::of(&op.id.actor);
            with_entry(&mut w.votes, round, |r| {
                with_entry(r, &voter, |m| {
                    with_entry(m, note, |c| set(c, count, s));
                });
            });
        }
        OpBody::CreateAgreement {
            list,
            text,
            owner,
            due,
            order,
            bear,
        } => {
            let a = w
                .agreements
                .entry(AgreementId::from_op(&op.id))
                .or_default();
            if !a.created {
                a.created = true;
                a.bear = bear.clone();
            }
            set(&mut a.list, list, s);
            set(&mut a.text, text, s);
            set(&mut a.owner, owner, s);
            set(&mut a.due, due, s);
            set(&mut a.order, order, s);
        }
        OpBody::SetAgreement { id, field } => with_entry(&mut w.agreements, id, |a| match field {
            AgreementField::List(v) => set(&mut a.list, v, s),
            AgreementField::Text(v) => set(&mut a.text, v, s),
            AgreementField::Owner(v) => set(&mut a.owner, v, s),
            AgreementField::Due(v) => set(&mut a.due, v, s),
            AgreementField::Done(v) => set(&mut a.done, v, s),
            AgreementField::Order(v) => set(&mut a.order, v, s),
            AgreementField::Deleted(v) => set(&mut a.deleted, v, s),
        }),
        OpBody::CreatePlan { name, source_note } => {
            let p = w.plans.entry(PlanId::from_op(&op.id)).or_default();
            if !p.created {
                p.created = true;
                p.source_note = source_note.clone();
            }
            set(&mut p.name, name, s);
        }
        OpBody::SetPlan { id, field } => with_entry(&mut w.plans, id, |p| match field {
            PlanField::Name(v) => set(&mut p.name, v, s),
            PlanField::Partners(v) => set(&mut p.partners, v, s),
            PlanField::Bouwer(v) => set(&mut p.bouwer, v, s),
            PlanField::Verbinder(v) => set(&mut p.verbinder, v, s),
            PlanField::Aanjager(v) => set(&mut p.aanjager, v, s),
            PlanField::Colleagues(v) => set(&mut p.colleagues, v, s),
            PlanField::TargetMembers(v) => set(&mut p.target_members, v, s),
            PlanField::TargetActivities(v) => set(&mut p.target_activities, v, s),
            PlanField::TargetDate(v) => set(&mut p.target_date, v, s),
            PlanField::StartPhaseMonths(v) => set(&mut p.start_phase_months, v, s),
            PlanField::Deleted(v) => set(&mut p.deleted, v, s),
        }),
        OpBody::Join { name, group } => {
            let p = w
                .participants
                .entry(ParticipantId::of(&op.id.actor))
                .or_default();
            p.joined = true;
            set(&mut p.name, name, s);
            set(&mut p.group, group, s);
        }
        OpBody::SetParticipant { id, field } => {
            with_entry(&mut w.participants, id, |p| match field {
                ParticipantField::Name(v) => set(&mut p.name, v, s),
                ParticipantField::Group(v) => set(&mut p.group, v, s),
                ParticipantField::Role(v) => set(&mut p.role, v, s),
            })
        }
        OpBody::Refused | OpBody::Withheld => {}
    }
}

/// The stamp of an op, borrowed: comparing it with a register's stamp clones nothing,
/// and the actor is cloned (a pointer copy) only when the write wins.
struct StampRef<'a> {
    hlc: Hlc,
    actor: &'a ActorId,
    seq: u64,
}

impl StampRef<'_> {
    /// Whether this stamp is greater than `cur` in the order of [`Stamp`]
    /// (`(hlc, actor, seq)`, lexicographic).
    #[inline]
    fn beats(&self, cur: &Stamp) -> bool {
        match self.hlc.cmp(&cur.hlc) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => {
                let by_actor = if Arc::ptr_eq(&self.actor.0, &cur.actor.0) {
                    Ordering::Equal
                } else {
                    self.actor.cmp(&cur.actor)
                };
                by_actor.then(self.seq.cmp(&cur.seq)) == Ordering::Greater
            }
        }
    }

    #[inline]
    fn write_into(&self, cur: &mut Stamp) {
        cur.hlc = self.hlc;
        cur.seq = self.seq;
        if !Arc::ptr_eq(&self.actor.0, &cur.actor.0) {
            cur.actor = self.actor.clone();
        }
    }
}

/// Clone only when the write wins: most writes in a merge lose, so this keeps apply cheap.
#[inline]
fn set<T: Clone>(reg: &mut Lww<T>, v: &T, s: &StampRef<'_>) {
    if s.beats(&reg.stamp) {
        reg.value.clone_from(v);
        s.write_into(&mut reg.stamp);
    }
}

/// Run `f` on the entity under `id`, created as an invisible placeholder if an edit
/// arrives before its creating op. One lookup in the common case, and no key clone.
#[inline]
fn with_entry<K: Ord + Clone, V: Default, R>(
    map: &mut BTreeMap<K, V>,
    id: &K,
    f: impl FnOnce(&mut V) -> R,
) -> R {
    match map.get_mut(id) {
        Some(v) => f(v),
        None => f(map.entry(id.clone()).or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BearPhase, Run};

    fn op_by(actor: &str, seq: u64, body: OpBody) -> Op {
        Op {
            id: OpId {
                actor: ActorId::new(actor),
                seq,
            },
            hlc: Hlc {
                wall_ms: 1_000 + i64::try_from(seq).unwrap_or(0),
                counter: 0,
            },
            body,
        }
    }

    fn op(body: OpBody) -> Op {
        op_by("fac", 1, body)
    }

    fn create_note() -> OpBody {
        OpBody::CreateNote {
            board: BoardKind::Brainstorm,
            group: None,
            category: None,
            text: "Bibliotheek".to_owned(),
            colour: Colour::Yellow,
            order: "a".to_owned(),
        }
    }

    fn set_note(id: &str, field: NoteField) -> Op {
        op(OpBody::SetNote {
            id: NoteId::from(id),
            field,
        })
    }

    #[test]
    fn a_created_note_reaches_only_itself() {
        let create = op_by("anna", 7, create_note());
        assert_eq!(
            create.note_reach(),
            NoteReach::One(NoteId::from_op(&create.id))
        );
        assert_eq!(create.created_id().as_deref(), Some("anna-7"));
    }

    #[test]
    fn fields_of_one_note_reach_that_note() {
        for field in [
            NoteField::Text("x".to_owned()),
            NoteField::Category(Some(Category::Activiteit)),
            NoteField::Colour(Colour::Pink),
            NoteField::Order("b".to_owned()),
            NoteField::ClusterTitle("Cluster".to_owned()),
            NoteField::Hidden(true),
            NoteField::BearStatus(BearStatus::Shot),
            NoteField::BearAnswer("Antwoord".to_owned()),
        ] {
            assert_eq!(
                set_note("n-1", field.clone()).note_reach(),
                NoteReach::One(NoteId::from("n-1")),
                "{field:?}"
            );
        }
    }

    #[test]
    fn stacking_grouping_and_deleting_reach_every_note() {
        for field in [
            NoteField::StackedOn(Some(NoteId::from("n-2"))),
            NoteField::StackedOn(None),
            NoteField::Group(Some(GroupId::from("g-1"))),
            NoteField::Group(None),
            NoteField::Deleted(true),
            NoteField::Deleted(false),
        ] {
            assert_eq!(
                set_note("n-1", field.clone()).note_reach(),
                NoteReach::All,
                "{field:?}"
            );
        }
    }

    #[test]
    fn a_vote_reaches_its_note() {
        let vote = op(OpBody::SetVote {
            round: RoundId::from("r-1"),
            note: NoteId::from("n-3"),
            count: 2,
        });
        assert_eq!(vote.note_reach(), NoteReach::One(NoteId::from("n-3")));
    }

    #[test]
    fn groups_boards_rounds_participants_and_refusals_reach_every_note() {
        let bodies = [
            OpBody::CreateGroup {
                name: "Thema".to_owned(),
                colour: Colour::Blue,
                order: "a".to_owned(),
            },
            OpBody::SetGroup {
                id: GroupId::from("g-1"),
                field: GroupField::Deleted(true),
            },
            OpBody::SetGroup {
                id: GroupId::from("g-1"),
                field: GroupField::Name("Nieuw".to_owned()),
            },
            OpBody::SetBoard {
                board: BoardKind::Brainstorm,
                field: BoardField::Voting(Voting::default()),
            },
            OpBody::SetBoard {
                board: BoardKind::Brainstorm,
                field: BoardField::Revealed(true),
            },
            OpBody::OpenVoting {
                board: BoardKind::Brainstorm,
                budget: 3,
                allow_multiple: false,
            },
            OpBody::Join {
                name: "Anna".to_owned(),
                group: None,
            },
            OpBody::SetParticipant {
                id: ParticipantId::from("anna"),
                field: ParticipantField::Name("Anne".to_owned()),
            },
            OpBody::Refused,
        ];
        for body in bodies {
            let op = op(body);
            assert_eq!(op.note_reach(), NoteReach::All, "{:?}", op.body);
        }
    }

    #[test]
    fn agenda_timer_bear_wall_agreements_and_plans_reach_no_note() {
        let bodies = [
            OpBody::SetMeta(MetaField::Title("Samen".to_owned())),
            OpBody::CreateBlock {
                block: Box::default(),
                order: "a".to_owned(),
            },
            OpBody::SetBlock {
                id: BlockId::from("b-1"),
                field: BlockField::Deleted(true),
            },
            OpBody::SetTimer(Timer {
                current: None,
                run: Run::Running { ends_at_ms: 5_000 },
            }),
            OpBody::SetBearWall(BearWallField::Phase(BearPhase::Vote)),
            OpBody::SetBearWall(BearWallField::Spotlight(Some(NoteId::from("n-1")))),
            OpBody::CreateAgreement {
                list: AgreementList::Agreement,
                text: "Afspraak".to_owned(),
                owner: String::new(),
                due: None,
                order: "a".to_owned(),
                bear: Some(NoteId::from("n-1")),
            },
            OpBody::SetAgreement {
                id: AgreementId::from("a-1"),
                field: AgreementField::Done(true),
            },
            OpBody::CreatePlan {
                name: "Plan".to_owned(),
                source_note: Some(NoteId::from("n-1")),
            },
            OpBody::SetPlan {
                id: PlanId::from("p-1"),
                field: PlanField::Deleted(true),
            },
        ];
        for body in bodies {
            let op = op(body);
            assert_eq!(op.note_reach(), NoteReach::None, "{:?}", op.body);
        }
    }

    #[test]
    fn a_note_created_after_notes_were_stacked_onto_it_reaches_every_note() {
        let root = op_by("anna", 1, create_note());
        let root_id = NoteId::from_op(&root.id);
        let child = op_by("bert", 1, create_note());
        let child_id = NoteId::from_op(&child.id);
        let stack = op_by(
            "bert",
            2,
            OpBody::SetNote {
                id: child_id.clone(),
                field: NoteField::StackedOn(Some(root_id.clone())),
            },
        );

        // In order: nothing is stacked onto the root when it is created.
        let mut w = Workshop::default();
        apply(&mut w, &root);
        assert_eq!(root.note_reach_in(&w), NoteReach::One(root_id.clone()));

        // Out of order: the child is stacked onto the root before the root exists, so
        // the root's arrival makes the child stacked.
        let mut w = Workshop::default();
        for op in [&child, &stack] {
            apply(&mut w, op);
        }
        assert_eq!(w.stack_root(&child_id), None);
        apply(&mut w, &root);
        assert_eq!(w.stack_root(&child_id), Some(&root_id));
        assert_eq!(root.note_reach_in(&w), NoteReach::All);
        // Only created notes look further than the op.
        assert_eq!(stack.note_reach_in(&w), NoteReach::All);
        assert_eq!(child.note_reach_in(&w), NoteReach::One(child_id));
    }
}
