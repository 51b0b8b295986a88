//! A participant's phone holds no replica of the workshop. The relay computes what the
//! participant's screen may show ([`PhoneView`], by `bijeen_core::phone::view`) and sends
//! it as patches; the phone sends what the person asks for as [`Intent`]s, which the relay
//! turns into ops with the core's `decide`, so the rules stay in one pure place and the
//! phone's bundle carries neither the model nor the merge.
//!
//! Nothing here depends on `bijeen-core`: these types are the wire format between the
//! relay and the phone, and their JSON is pinned by tests in `bijeen-protocol`.
//! Ids are the core's ids as strings (a note is `"{actor}-{seq}"`).

mod patch;
mod wire;

pub use patch::{Keyed, ViewPatch};
pub use wire::{Down, DownCode, DownReason, OpRef, RuleName, Up, UpCredential};

use serde::{Deserialize, Serialize};

/// Everything a participant's phone shows, and nothing it may not: another participant's
/// hidden note, the author of an anonymous bear and the facilitator's notes never get in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneView {
    pub head: Head,
    /// The notes of my theme group I may see, in the order the phone lists them.
    pub notes: Vec<NoteView>,
    /// My own bears while the wall collects; the revealed wall after that.
    pub bears: Vec<BearView>,
}

/// What changes rarely and is small: the block, the timer, me, the groups, the boards'
/// state. Sent whole whenever any of it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub title: String,
    pub lang: Lang,
    pub now: Now,
    pub lead: Lead,
    pub me: Me,
    pub groups: Vec<GroupView>,
    pub brainstorm: BoardView,
    pub bears: BearWallView,
    /// The practical assignment, while the phone shows it (agreements and closing blocks,
    /// and once finished).
    pub assignment: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// Where the workshop is. Externally tagged, like every enum here: serde reads an
/// internally tagged one through a buffer, several kilobytes of the phone's download each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Now {
    #[default]
    NotStarted,
    Block(BlockView),
    Finished,
}

/// The block that runs (or is paused) now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockView {
    pub id: String,
    pub title: String,
    pub run: Run,
    /// Planned length; 0 for a moment such as the closing, which has no countdown.
    pub duration_ms: i64,
    pub work_form: String,
    /// The lead, unless the work form already names them.
    pub lead: Option<String>,
    pub examples: Vec<String>,
    pub materials: String,
    /// The next block's title.
    pub next: Option<String>,
}

/// The timer as absolute times (the phone counts down from the relay's clock).
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

/// What the phone leads with (`bijeen_core::PhoneLead`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    #[default]
    NoteForm,
    Votes,
    Bears,
    Agreements,
    Assignment,
    BlockContent,
}

/// The participant themself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub joined: bool,
    pub name: String,
    /// My theme group, if it still exists.
    pub group: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    /// The core's colour name (`"yellow"`, …).
    pub colour: String,
}

/// The brainstorm board as my phone sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub open: bool,
    /// Other participants' notes in my group that wait for the reveal.
    pub withheld: u32,
    /// My dots while a round is open.
    pub dots: Option<Dots>,
    /// Whether vote totals are shown (a round closed).
    pub results: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dots {
    pub left: u32,
    pub budget: u32,
}

/// The bear wall as my phone sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BearWallView {
    pub phase: BearPhase,
    /// Whether new bears are taken (the wall collects).
    pub open: bool,
    pub anonymous: bool,
    /// My dots while the room votes on the bears.
    pub dots: Option<Dots>,
    pub progress: Progress,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// How far the shooting is (`bijeen_core::bear_wall::Progress`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub total: u32,
    pub open: u32,
    pub shot: u32,
    pub tamed: u32,
    pub parked: u32,
}

/// One note of my group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: String,
    pub text: String,
    /// The core's category name (`"netwerkpartner"`, …).
    pub category: Option<String>,
    pub mine: bool,
    /// The total, once results are shown.
    pub votes: Option<u32>,
    /// My dots on it in the open round.
    pub my_votes: u32,
}

/// One bear: my own while the wall collects, a cluster of the wall after.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BearView {
    pub id: String,
    pub text: String,
    pub mine: bool,
    pub cluster_title: String,
    /// The bears stacked onto this one.
    pub stacked: Vec<StackedBear>,
    /// Only when the wall is not anonymous and the author gave a name.
    pub author_name: Option<String>,
    pub status: BearStatus,
    pub answer: String,
    pub actions: Vec<ActionLine>,
    pub my_votes: u32,
    /// Mine, written under my pseudonym: its edits go under it too (only its author is
    /// told).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_pseudonym: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackedBear {
    pub id: String,
    pub text: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BearStatus {
    #[default]
    Open,
    Shot,
    Tamed,
    Parked,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionLine {
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
}

/// What a participant asks for. The relay decides it with the core's rules, for this
/// participant only; each intent becomes exactly one op, numbered by the phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Join {
        name: String,
        group: Option<String>,
    },
    Rename {
        name: String,
    },
    SetGroup {
        group: Option<String>,
    },
    AddNote {
        group: Option<String>,
        category: Option<String>,
        text: String,
    },
    EditNote {
        id: String,
        text: String,
    },
    DeleteNote {
        id: String,
    },
    /// A bear on the wall, written under the pseudonym when the wall is anonymous.
    AddBear {
        text: String,
    },
    CastVote {
        note: String,
    },
    RemoveVote {
        note: String,
    },
}
