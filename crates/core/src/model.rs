//! The workshop state: plain serde data, no reactivity. Every mutable field is a
//! [`Lww`] register; entities are never removed, only tombstoned, so a late edit can never
//! bring a deleted thing back. Read through the accessor methods, which hide entities that
//! are deleted or not yet created (an edit can arrive before the op that creates it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{AgreementId, BlockId, GroupId, NoteId, ParticipantId, PlanId, RoundId};
use crate::lww::Lww;

/// Votes each participant may give per round unless the facilitator says otherwise.
pub const DEFAULT_VOTE_BUDGET: u32 = 3;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// The template a workshop was created from.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    WerkenInNetwerken,
    #[default]
    Empty,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Facilitator,
    #[default]
    Participant,
}

/// Sticky-note and theme-group colours (a closed set so the projector palette stays legible).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    #[default]
    Yellow,
    Pink,
    Blue,
    Green,
    Orange,
    Purple,
}

impl Colour {
    pub const ALL: [Colour; 6] = [
        Colour::Yellow,
        Colour::Pink,
        Colour::Blue,
        Colour::Green,
        Colour::Orange,
        Colour::Purple,
    ];
}

/// What a block links to on the facilitator console and projector.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    #[default]
    None,
    Brainstorm,
    Bears,
    Agreements,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    #[default]
    Brainstorm,
    Bears,
}

/// Brainstorm note categories from the seed: partners or existing networks, and forms of
/// collaboration or activities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Netwerkpartner,
    BestaandNetwerk,
    Samenwerkingsvorm,
    Activiteit,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Netwerkpartner,
        Category::BestaandNetwerk,
        Category::Samenwerkingsvorm,
        Category::Activiteit,
    ];
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BearPhase {
    #[default]
    Collect,
    Reveal,
    Cluster,
    Vote,
    Shoot,
    Closed,
}

/// What became of a bear (a question, obstacle or worry): answered on the spot (shot),
/// turned into a follow-up action (tamed), or parked for later.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BearStatus {
    #[default]
    Open,
    Shot,
    Tamed,
    Parked,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AgreementList {
    #[default]
    Agreement,
    OpenEnd,
    FollowUp,
}

/// The three roles every community needs (lesson 1 of the seed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityRole {
    Bouwer,
    Verbinder,
    Aanjager,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub title: Lww<String>,
    /// `YYYY-MM-DD`.
    pub date: Lww<String>,
    /// Minutes since local midnight.
    pub planned_start_min: Lww<u16>,
    /// Minutes since local midnight.
    pub planned_end_min: Lww<u16>,
    /// Local time minus UTC in minutes, so planned clock times can be compared with the
    /// absolute timestamps of the timer.
    pub utc_offset_min: Lww<i16>,
    pub language: Lww<Lang>,
    pub template: Lww<Template>,
    pub practical_assignment: Lww<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Set by the creating op; false while only later edits have arrived.
    pub created: bool,
    /// The learning goal (leerdoel).
    pub title: Lww<String>,
    pub duration_min: Lww<u16>,
    pub work_form: Lww<String>,
    pub materials: Lww<String>,
    pub lead: Lww<String>,
    /// Description / facilitator notes.
    pub notes: Lww<String>,
    pub examples: Lww<Vec<String>>,
    pub activity: Lww<Activity>,
    pub order: Lww<String>,
    pub actual_start_ms: Lww<Option<i64>>,
    pub actual_end_ms: Lww<Option<i64>>,
    pub deleted: Lww<bool>,
    /// Whether the facilitator may shorten this block to get back on schedule, as they
    /// set it; `None` until set, which means [`Block::is_flexible`]'s default.
    pub flexible: Lww<Option<bool>>,
}

impl Block {
    pub fn is_live(&self) -> bool {
        self.created && !*self.deleted
    }

    /// Whether a proposal to get back on schedule may shorten this block ("flexible").
    ///
    /// Until the facilitator ticks or unticks it, a block with a lead is not flexible and
    /// a block without one is. A lead (the manager's opening, Silvia's berenschieten) is
    /// someone else's slot, agreed with them beforehand: nobody shortens it in front of
    /// the room without asking. A block without a lead is the facilitator's own to shape,
    /// and the seed's 12:05 against 12:00 is solved exactly there. The default is a rule
    /// read here, not a value written when the block is made, so a log or export from
    /// before the flag existed reads the same way, and adding a lead later makes a block
    /// fixed until someone decides otherwise.
    pub fn is_flexible(&self) -> bool {
        self.flexible
            .value
            .unwrap_or_else(|| self.lead.value.trim().is_empty())
    }

    /// The lead to name beside the work form: none when the work form already names it
    /// ("Inleiding door manager, plenair" with lead "manager"), so no screen says it twice.
    pub fn lead_beside_work_form(&self) -> Option<&str> {
        let lead = self.lead.value.trim();
        let named = self
            .work_form
            .value
            .to_lowercase()
            .contains(&lead.to_lowercase());
        (!lead.is_empty() && !named).then_some(lead)
    }
}

/// The timer is absolute times only, never a ticking counter: what is shown is computed
/// from "now", so it is right after a hidden tab, a reload or an hour offline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Run {
    #[default]
    Idle,
    Running {
        ends_at_ms: i64,
    },
    Paused {
        remaining_ms: i64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub current: Option<BlockId>,
    pub run: Run,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voting {
    pub open: bool,
    pub round: Option<RoundId>,
}

/// A voting round; immutable once opened, so a budget never changes under a voter's feet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRound {
    pub board: BoardKind,
    pub budget: u32,
    pub allow_multiple: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// Whether participants may add notes (the bear wall derives this from its phase).
    pub open: Lww<bool>,
    pub hide_until_revealed: Lww<bool>,
    pub revealed: Lww<bool>,
    pub voting: Lww<Voting>,
}

impl Default for Board {
    fn default() -> Self {
        Self {
            open: Lww::initial(false),
            hide_until_revealed: Lww::initial(false),
            revealed: Lww::initial(false),
            voting: Lww::initial(Voting::default()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BearWall {
    pub phase: Lww<BearPhase>,
    pub anonymous: Lww<bool>,
    pub spotlight: Lww<Option<NoteId>>,
}

impl Default for BearWall {
    fn default() -> Self {
        Self {
            phase: Lww::initial(BearPhase::Collect),
            // Worries are easier to write down when nobody sees who wrote them.
            anonymous: Lww::initial(true),
            spotlight: Lww::initial(None),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub created: bool,
    pub name: Lww<String>,
    pub colour: Lww<Colour>,
    pub order: Lww<String>,
    pub deleted: Lww<bool>,
}

impl Group {
    pub fn is_live(&self) -> bool {
        self.created && !*self.deleted
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub created: bool,
    /// Fixed at creation.
    pub board: BoardKind,
    /// Fixed at creation: the participant whose device created the note.
    pub author: ParticipantId,
    pub group: Lww<Option<GroupId>>,
    pub category: Lww<Option<Category>>,
    pub text: Lww<String>,
    pub colour: Lww<Colour>,
    pub order: Lww<String>,
    pub stacked_on: Lww<Option<NoteId>>,
    pub cluster_title: Lww<String>,
    pub hidden: Lww<bool>,
    pub deleted: Lww<bool>,
    /// Bear wall only.
    pub bear_status: Lww<BearStatus>,
    /// Bear wall only: the answer given when the bear was shot (or context when tamed).
    pub bear_answer: Lww<String>,
}

impl Note {
    pub fn is_live(&self) -> bool {
        self.created && !*self.deleted
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub created: bool,
    /// Fixed at creation: the bear this follow-up action tames, if any.
    pub bear: Option<NoteId>,
    pub list: Lww<AgreementList>,
    pub text: Lww<String>,
    pub owner: Lww<String>,
    /// `YYYY-MM-DD`.
    pub due: Lww<Option<String>>,
    pub done: Lww<bool>,
    pub order: Lww<String>,
    pub deleted: Lww<bool>,
}

impl Agreement {
    pub fn is_live(&self) -> bool {
        self.created && !*self.deleted
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub created: bool,
    /// Fixed at creation: the brainstorm note the plan grew from, if any.
    pub source_note: Option<NoteId>,
    pub name: Lww<String>,
    pub partners: Lww<Vec<String>>,
    pub bouwer: Lww<String>,
    pub verbinder: Lww<String>,
    pub aanjager: Lww<String>,
    /// Other library colleagues taking part besides the three roles.
    pub colleagues: Lww<Vec<String>>,
    pub target_members: Lww<Option<u32>>,
    pub target_activities: Lww<Option<u32>>,
    /// `YYYY-MM-DD`.
    pub target_date: Lww<Option<String>>,
    pub start_phase_months: Lww<Option<u32>>,
    pub deleted: Lww<bool>,
}

/// Where a community plan breaks a lesson learned in the seed's pilot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonWarning {
    /// Lesson 1: every community needs a bouwer, verbinder and aanjager.
    RoleMissing(CommunityRole),
    /// Lesson 6: no more than three library staff in one community.
    TooManyLibraryColleagues { count: u32 },
    /// Lesson 4: decide up front what the result must be (members, activities).
    NoMeasurableTarget,
    /// Lesson 9: plan at least a year for the start phase.
    StartPhaseTooShort { months: u32 },
}

/// Most library staff a community should have (lesson 6).
pub const MAX_LIBRARY_COLLEAGUES: u32 = 3;
/// Shortest sensible start phase in months (lesson 9).
pub const MIN_START_PHASE_MONTHS: u32 = 12;

impl Plan {
    pub fn is_live(&self) -> bool {
        self.created && !*self.deleted
    }

    /// Library staff on the plan: the three role holders and the other colleagues, each
    /// distinct non-empty name counted once (one person may hold two roles).
    pub fn library_staff(&self) -> Vec<&str> {
        let mut names: Vec<&str> = [&*self.bouwer, &*self.verbinder, &*self.aanjager]
            .into_iter()
            .map(|s| s.trim())
            .chain(self.colleagues.iter().map(|s| s.trim()))
            .filter(|s| !s.is_empty())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The seed's lessons this plan breaks. A start phase that is not filled in yet is not
    /// warned about: only a planned phase can be too short.
    pub fn lesson_warnings(&self) -> Vec<LessonWarning> {
        let mut out = Vec::new();
        for (role, holder) in [
            (CommunityRole::Bouwer, &self.bouwer),
            (CommunityRole::Verbinder, &self.verbinder),
            (CommunityRole::Aanjager, &self.aanjager),
        ] {
            if holder.trim().is_empty() {
                out.push(LessonWarning::RoleMissing(role));
            }
        }
        let count = u32::try_from(self.library_staff().len()).unwrap_or(u32::MAX);
        if count > MAX_LIBRARY_COLLEAGUES {
            out.push(LessonWarning::TooManyLibraryColleagues { count });
        }
        let measurable = |t: &Option<u32>| t.is_some_and(|n| n > 0);
        if !measurable(&self.target_members) && !measurable(&self.target_activities) {
            out.push(LessonWarning::NoMeasurableTarget);
        }
        if let Some(months) = *self.start_phase_months
            && months < MIN_START_PHASE_MONTHS
        {
            out.push(LessonWarning::StartPhaseTooShort { months });
        }
        out
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub joined: bool,
    pub name: Lww<String>,
    pub group: Lww<Option<GroupId>>,
    pub role: Lww<Role>,
}

/// Votes of one round: participant -> note -> count.
pub type RoundVotes = BTreeMap<ParticipantId, BTreeMap<NoteId, Lww<u32>>>;

/// The whole workshop. Compare replicas with `==`: equal ops give equal values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workshop {
    pub meta: Meta,
    pub blocks: BTreeMap<BlockId, Block>,
    pub timer: Lww<Timer>,
    pub brainstorm: Board,
    pub bears_board: Board,
    pub bear_wall: BearWall,
    pub groups: BTreeMap<GroupId, Group>,
    pub notes: BTreeMap<NoteId, Note>,
    pub rounds: BTreeMap<RoundId, VoteRound>,
    pub votes: BTreeMap<RoundId, RoundVotes>,
    pub agreements: BTreeMap<AgreementId, Agreement>,
    pub plans: BTreeMap<PlanId, Plan>,
    pub participants: BTreeMap<ParticipantId, Participant>,
}

fn sorted_by_order<'a, K: Ord, V>(
    items: impl Iterator<Item = (&'a K, &'a V)>,
    order: impl Fn(&V) -> &str,
) -> Vec<(&'a K, &'a V)> {
    let mut v: Vec<_> = items.collect();
    // Keys are unique (ties broken by id), so an unstable sort gives the same order, and
    // faster: boards of a thousand notes are sorted on every change.
    v.sort_unstable_by(|a, b| order(a.1).cmp(order(b.1)).then_with(|| a.0.cmp(b.0)));
    v
}

impl Workshop {
    /// Live agenda blocks in agenda order.
    pub fn blocks_in_order(&self) -> Vec<(&BlockId, &Block)> {
        sorted_by_order(self.blocks.iter().filter(|(_, b)| b.is_live()), |b| {
            &b.order
        })
    }

    pub fn block(&self, id: &BlockId) -> Option<&Block> {
        self.blocks.get(id).filter(|b| b.is_live())
    }

    pub fn board(&self, kind: BoardKind) -> &Board {
        match kind {
            BoardKind::Brainstorm => &self.brainstorm,
            BoardKind::Bears => &self.bears_board,
        }
    }

    pub fn board_mut(&mut self, kind: BoardKind) -> &mut Board {
        match kind {
            BoardKind::Brainstorm => &mut self.brainstorm,
            BoardKind::Bears => &mut self.bears_board,
        }
    }

    /// Whether participants may add notes: the brainstorm board when opened, the bear wall
    /// only while collecting.
    pub fn accepts_notes(&self, kind: BoardKind) -> bool {
        match kind {
            BoardKind::Brainstorm => *self.brainstorm.open,
            BoardKind::Bears => *self.bear_wall.phase == BearPhase::Collect,
        }
    }

    /// Whether everybody sees everybody's notes (otherwise only their own).
    pub fn is_revealed(&self, kind: BoardKind) -> bool {
        let board = self.board(kind);
        let revealed = match kind {
            BoardKind::Brainstorm => *board.revealed,
            BoardKind::Bears => *board.revealed || *self.bear_wall.phase != BearPhase::Collect,
        };
        !*board.hide_until_revealed || revealed
    }

    /// The current round of a board if voting is open.
    pub fn open_round(&self, kind: BoardKind) -> Option<(&RoundId, &VoteRound)> {
        let voting = &*self.board(kind).voting;
        if !voting.open {
            return None;
        }
        let id = voting.round.as_ref()?;
        let round = self.rounds.get(id).filter(|r| r.board == kind)?;
        Some((id, round))
    }

    /// The round whose votes are shown for a board (open or last closed).
    pub fn shown_round(&self, kind: BoardKind) -> Option<&RoundId> {
        let id = self.board(kind).voting.round.as_ref()?;
        self.rounds.get(id).filter(|r| r.board == kind).map(|_| id)
    }

    /// Live theme groups in order.
    pub fn groups_in_order(&self) -> Vec<(&GroupId, &Group)> {
        sorted_by_order(self.groups.iter().filter(|(_, g)| g.is_live()), |g| {
            &g.order
        })
    }

    pub fn group(&self, id: &GroupId) -> Option<&Group> {
        self.groups.get(id).filter(|g| g.is_live())
    }

    pub fn note(&self, id: &NoteId) -> Option<&Note> {
        self.notes.get(id).filter(|n| n.is_live())
    }

    /// Live notes of a board in order (includes facilitator-hidden notes; see
    /// [`Workshop::visible_to`]).
    pub fn notes_in_order(&self, kind: BoardKind) -> Vec<(&NoteId, &Note)> {
        self.notes_in_order_where(kind, |_, _| true)
    }

    /// [`Self::notes_in_order`] of the notes `keep` keeps, sorted after filtering: a
    /// phone's view takes its own group's notes out of a board of a thousand after every
    /// change, for every phone in the room.
    pub fn notes_in_order_where(
        &self,
        kind: BoardKind,
        keep: impl Fn(&NoteId, &Note) -> bool,
    ) -> Vec<(&NoteId, &Note)> {
        sorted_by_order(
            self.notes
                .iter()
                .filter(|(id, n)| n.is_live() && n.board == kind && keep(id, n)),
            |n| &n.order,
        )
    }

    /// The note a note is effectively stacked on: the root of its chain when that root is a
    /// live note of the same board. Concurrent stacking can form chains or cycles; a cycle
    /// or a dead end means "not stacked", which every replica decides the same way.
    pub fn stack_root(&self, id: &NoteId) -> Option<&NoteId> {
        let note = self.note(id)?;
        let mut cur = note.stacked_on.as_ref()?;
        for _ in 0..self.notes.len().min(64) {
            let next = self.note(cur).filter(|n| n.board == note.board)?;
            match next.stacked_on.as_ref() {
                None => return if cur == id { None } else { Some(cur) },
                Some(n) if n == id => return None,
                Some(n) => cur = n,
            }
        }
        None
    }

    /// The group a live note is effectively in: the group of its stack root if stacked,
    /// and only if that group is live; otherwise none. So every live note is in at most
    /// one group of its own board even after concurrent group deletion.
    pub fn note_group(&self, id: &NoteId) -> Option<&GroupId> {
        self.note_group_of(id, self.note(id)?)
    }

    /// [`Self::note_group`] of note `id` already at hand: an unstacked note (most of them)
    /// is not looked up again.
    pub fn note_group_of<'a>(&'a self, id: &NoteId, note: &'a Note) -> Option<&'a GroupId> {
        let owner = match *note.stacked_on {
            None => note,
            Some(_) => match self.stack_root(id) {
                Some(root) => self.note(root)?,
                None => note,
            },
        };
        if owner.board != BoardKind::Brainstorm {
            return None;
        }
        let g = owner.group.as_ref()?;
        self.group(g).map(|_| g)
    }

    /// Notes stacked onto `root` (effective), in order.
    pub fn stacked_onto(&self, root: &NoteId) -> Vec<&NoteId> {
        let Some(n) = self.note(root) else {
            return Vec::new();
        };
        self.notes_in_order(n.board)
            .into_iter()
            .filter(|(id, _)| self.stack_root(id) == Some(root))
            .map(|(id, _)| id)
            .collect()
    }

    /// Effective stacks of a board in one pass: root -> stacked notes in order. Use this
    /// rather than [`Workshop::stacked_onto`] per note when listing a whole board.
    pub fn stacks(&self, kind: BoardKind) -> BTreeMap<&NoteId, Vec<&NoteId>> {
        let mut out: BTreeMap<&NoteId, Vec<&NoteId>> = BTreeMap::new();
        for (id, _) in self.notes_in_order(kind) {
            if let Some(root) = self.stack_root(id) {
                out.entry(root).or_default().push(id);
            }
        }
        out
    }

    /// Whether `viewer` with `role` may see a note's text: facilitators see everything;
    /// participants see their own notes, and others' once revealed and not hidden.
    pub fn visible_to(&self, id: &NoteId, viewer: &ParticipantId, role: Role) -> bool {
        self.note(id)
            .is_some_and(|n| self.note_visible_to(n, viewer, role))
    }

    /// [`Self::visible_to`] for a note already at hand.
    pub fn note_visible_to(&self, n: &Note, viewer: &ParticipantId, role: Role) -> bool {
        role == Role::Facilitator
            || n.author == *viewer
            || (!*n.hidden && self.is_revealed(n.board))
    }

    /// Whether every participant may see note `id`: live, not hidden by the facilitator,
    /// on a board that shows everyone's notes. Until then the relay sends a note's ops only
    /// to its author and the facilitator; from the first moment it is public, to everyone.
    pub fn note_is_public(&self, id: &NoteId) -> bool {
        self.note(id)
            .is_some_and(|n| !*n.hidden && self.is_revealed(n.board))
    }

    /// Whether a note's author should be shown (bears are anonymous by default).
    pub fn author_shown(&self, id: &NoteId) -> bool {
        self.note(id)
            .is_some_and(|n| n.board != BoardKind::Bears || !*self.bear_wall.anonymous)
    }

    /// A participant's votes in a round: note -> count.
    pub fn votes_of(&self, round: &RoundId, who: &ParticipantId) -> Vec<(&NoteId, u32)> {
        self.votes
            .get(round)
            .and_then(|r| r.get(who))
            .map(|m| {
                m.iter()
                    .map(|(n, c)| (n, **c))
                    .filter(|(_, c)| *c > 0)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Votes a participant has used in a round.
    pub fn votes_used(&self, round: &RoundId, who: &ParticipantId) -> u32 {
        self.votes_of(round, who).iter().map(|(_, c)| c).sum()
    }

    /// A participant's own dots on a note in its board's open round (0 when voting is
    /// closed).
    pub fn my_votes_on(&self, id: &NoteId, who: &ParticipantId) -> u32 {
        let Some(note) = self.note(id) else { return 0 };
        let Some((round, _)) = self.open_round(note.board) else {
            return 0;
        };
        self.votes
            .get(round)
            .and_then(|r| r.get(who))
            .and_then(|m| m.get(id))
            .map_or(0, |c| **c)
    }

    /// Total votes on a note in the round shown for its board.
    pub fn vote_total(&self, id: &NoteId) -> u32 {
        let Some(n) = self.note(id) else { return 0 };
        let Some(round) = self.shown_round(n.board) else {
            return 0;
        };
        self.votes
            .get(round)
            .map(|r| {
                r.values()
                    .filter_map(|m| m.get(id))
                    .map(|c| **c)
                    .sum::<u32>()
            })
            .unwrap_or(0)
    }

    pub fn participant(&self, id: &ParticipantId) -> Option<&Participant> {
        self.participants.get(id).filter(|p| p.joined)
    }

    /// Joined participants, ordered by id.
    pub fn participants_joined(&self) -> Vec<(&ParticipantId, &Participant)> {
        self.participants.iter().filter(|(_, p)| p.joined).collect()
    }

    pub fn agreement(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements.get(id).filter(|a| a.is_live())
    }

    /// Live items of one list in order.
    pub fn agreements_in_order(&self, list: AgreementList) -> Vec<(&AgreementId, &Agreement)> {
        sorted_by_order(
            self.agreements
                .iter()
                .filter(|(_, a)| a.is_live() && *a.list == list),
            |a| &a.order,
        )
    }

    /// Live follow-up actions created by taming a bear.
    pub fn actions_for_bear(&self, bear: &NoteId) -> Vec<(&AgreementId, &Agreement)> {
        self.agreements
            .iter()
            .filter(|(_, a)| a.is_live() && a.bear.as_ref() == Some(bear))
            .collect()
    }

    pub fn plan(&self, id: &PlanId) -> Option<&Plan> {
        self.plans.get(id).filter(|p| p.is_live())
    }

    /// Live community plans ordered by id (creation).
    pub fn plans_live(&self) -> Vec<(&PlanId, &Plan)> {
        self.plans.iter().filter(|(_, p)| p.is_live()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            created: true,
            ..Plan::default()
        }
    }

    #[test]
    fn plan_without_roles_targets_warns_for_each_missing_lesson() {
        let p = plan();
        assert_eq!(
            p.lesson_warnings(),
            vec![
                LessonWarning::RoleMissing(CommunityRole::Bouwer),
                LessonWarning::RoleMissing(CommunityRole::Verbinder),
                LessonWarning::RoleMissing(CommunityRole::Aanjager),
                LessonWarning::NoMeasurableTarget,
            ]
        );
    }

    #[test]
    fn more_than_three_library_staff_is_warned_counting_each_person_once() {
        let mut p = plan();
        p.bouwer = Lww::initial("Anna".into());
        p.verbinder = Lww::initial("Anna".into());
        p.aanjager = Lww::initial("Bert".into());
        p.target_members = Lww::initial(Some(20));
        p.colleagues = Lww::initial(vec!["Carla".into()]);
        assert_eq!(p.lesson_warnings(), vec![]);
        p.colleagues = Lww::initial(vec!["Carla".into(), "Dirk".into()]);
        assert_eq!(
            p.lesson_warnings(),
            vec![LessonWarning::TooManyLibraryColleagues { count: 4 }]
        );
    }

    #[test]
    fn start_phase_under_a_year_is_too_short() {
        let mut p = plan();
        p.bouwer = Lww::initial("A".into());
        p.verbinder = Lww::initial("B".into());
        p.aanjager = Lww::initial("C".into());
        p.target_activities = Lww::initial(Some(4));
        p.start_phase_months = Lww::initial(Some(6));
        assert_eq!(
            p.lesson_warnings(),
            vec![LessonWarning::StartPhaseTooShort { months: 6 }]
        );
        p.start_phase_months = Lww::initial(Some(12));
        assert!(p.lesson_warnings().is_empty());
    }
}
