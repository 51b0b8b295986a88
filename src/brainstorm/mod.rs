//! The brainstorm board by theme group: the facilitator's console tab (groups, board and
//! voting controls, counters, moderation) and the pieces the projector and the participant
//! view share with it (categories, colours, the board layout and one note's snapshot).
//!
//! Rendering rule: a board is a keyed list of columns, each a keyed list of note ids; every
//! card reads its own note through a `Memo` of a [`NoteSnapshot`], so one new note adds one
//! card and leaves the others alone.
pub mod board_controls;
pub mod brainstorm_tab;
pub mod console_tabs;
pub mod counters;
pub mod group_editor;
pub mod group_row;
pub mod moderation_board;
pub mod moderation_column;
pub mod moderation_note;

use std::collections::BTreeMap;

use bijeen_core::{BoardKind, Category, Colour, GroupId, Note, NoteId, ParticipantId, Workshop};

use leptos::prelude::{Memo, Signal, With};

use crate::i18n::{Strings, use_i18n};

/// A translated text as one concrete type instead of a new closure type per use: every
/// label of this feature shares one instantiation of the view code (the wasm stays small).
pub fn tr(pick: fn(&'static Strings) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()))
}

/// [`tr`] for a text about something (a note, a group): `pick(strings, subject)`.
pub fn tr_about(
    pick: fn(&'static Strings, &str) -> String,
    subject: Memo<String>,
) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || subject.with(|s| pick(i18n.t(), s)))
}

/// The board this feature is about.
pub const BOARD: BoardKind = BoardKind::Brainstorm;

/// Stable keys for `<select>` values and CSS classes (`cat-partner`, ...).
pub fn category_key(category: Category) -> &'static str {
    match category {
        Category::Netwerkpartner => "partner",
        Category::BestaandNetwerk => "network",
        Category::Samenwerkingsvorm => "form",
        Category::Activiteit => "activity",
    }
}

pub fn category_from_key(key: &str) -> Option<Category> {
    Category::ALL
        .into_iter()
        .find(|category| category_key(*category) == key)
}

/// The category's name: every category is named, never shown by colour alone.
pub fn category_name(t: &'static Strings, category: Category) -> &'static str {
    match category {
        Category::Netwerkpartner => t.bs_category_partner,
        Category::BestaandNetwerk => t.bs_category_network,
        Category::Samenwerkingsvorm => t.bs_category_form,
        Category::Activiteit => t.bs_category_activity,
    }
}

/// `cat-partner` etc., or `cat-none` for a note without a category.
pub fn category_class(category: Option<Category>) -> String {
    format!("cat-{}", category.map(category_key).unwrap_or("none"))
}

pub fn colour_key(colour: Colour) -> &'static str {
    match colour {
        Colour::Yellow => "yellow",
        Colour::Pink => "pink",
        Colour::Blue => "blue",
        Colour::Green => "green",
        Colour::Orange => "orange",
        Colour::Purple => "purple",
    }
}

pub fn colour_from_key(key: &str) -> Option<Colour> {
    Colour::ALL
        .into_iter()
        .find(|colour| colour_key(*colour) == key)
}

pub fn colour_name(t: &'static Strings, colour: Colour) -> &'static str {
    match colour {
        Colour::Yellow => t.bs_colour_yellow,
        Colour::Pink => t.bs_colour_pink,
        Colour::Blue => t.bs_colour_blue,
        Colour::Green => t.bs_colour_green,
        Colour::Orange => t.bs_colour_orange,
        Colour::Purple => t.bs_colour_purple,
    }
}

/// The `<select>` value of "no group".
pub const NO_GROUP_KEY: &str = "";

pub fn group_key(group: Option<&GroupId>) -> String {
    group.map(|g| g.as_str().to_owned()).unwrap_or_default()
}

/// A live group from a `<select>` value; `None` for "no group" or a group that is gone.
pub fn group_from_key(w: &Workshop, key: &str) -> Option<GroupId> {
    if key == NO_GROUP_KEY {
        return None;
    }
    let id = GroupId::from(key);
    w.group(&id).map(|_| id)
}

/// A theme group's header as a card shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupHead {
    pub name: String,
    pub colour: Option<Colour>,
}

pub fn group_head(w: &Workshop, group: Option<&GroupId>) -> Option<GroupHead> {
    match group {
        None => Some(GroupHead {
            name: String::new(),
            colour: None,
        }),
        Some(id) => w.group(id).map(|g| GroupHead {
            name: g.name.value.clone(),
            colour: Some(*g.colour),
        }),
    }
}

/// What a card shows of one note. Compared by its `Memo`, so a card updates only when its
/// own note (or its votes) changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSnapshot {
    pub text: String,
    pub category: Option<Category>,
    pub group: Option<GroupId>,
    pub author: ParticipantId,
    pub author_name: String,
    pub hidden: bool,
    pub stacked: bool,
    pub cluster_title: String,
    /// Votes in the round shown for the board (open or last closed).
    pub votes: u32,
    /// The viewer's own dots on this note in the open round.
    pub my_votes: u32,
}

pub fn snapshot(w: &Workshop, id: &NoteId, me: Option<&ParticipantId>) -> Option<NoteSnapshot> {
    let note = w.note(id)?;
    let my_votes = match (me, w.open_round(note.board)) {
        (Some(me), Some((round, _))) => w
            .votes_of(round, me)
            .into_iter()
            .find(|(n, _)| *n == id)
            .map(|(_, c)| c)
            .unwrap_or(0),
        _ => 0,
    };
    Some(NoteSnapshot {
        text: note.text.value.clone(),
        category: *note.category,
        group: w.note_group(id).cloned(),
        author: note.author.clone(),
        author_name: w
            .participant(&note.author)
            .map(|p| p.name.value.clone())
            .unwrap_or_default(),
        hidden: *note.hidden,
        stacked: w.stack_root(id).is_some(),
        cluster_title: note.cluster_title.value.clone(),
        votes: w.vote_total(id),
        my_votes,
    })
}

/// One column of a board: a theme group (or no group) and its top-level notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnLayout {
    pub group: Option<GroupId>,
    pub roots: Vec<NoteId>,
    /// Notes in the column including stacked ones (shown or not).
    pub count: usize,
    /// Notes in the column the viewer may not see yet (hidden until reveal).
    pub withheld: usize,
}

/// The shape of a board: which notes are where. Cards read their content themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<ColumnLayout>,
    /// Stack root -> notes stacked onto it, in order.
    pub stacks: BTreeMap<NoteId, Vec<NoteId>>,
    /// Most votes on one note, for scaling the result bars.
    pub max_votes: u32,
}

impl Layout {
    pub fn column(&self, group: Option<&GroupId>) -> Option<&ColumnLayout> {
        self.columns.iter().find(|c| c.group.as_ref() == group)
    }
}

/// Lays out the brainstorm board. `show` says which notes the viewer may see; the others
/// are only counted. The "no group" column comes last and only when it has notes or
/// `always_no_group`. With `sort_by_votes`, stacks are ordered by their total votes.
pub fn layout(
    w: &Workshop,
    sort_by_votes: bool,
    always_no_group: bool,
    show: impl Fn(&NoteId, &Note) -> bool,
) -> Layout {
    let mut columns: Vec<ColumnLayout> = w
        .groups_in_order()
        .into_iter()
        .map(|(id, _)| ColumnLayout {
            group: Some(id.clone()),
            roots: Vec::new(),
            count: 0,
            withheld: 0,
        })
        .collect();
    columns.push(ColumnLayout {
        group: None,
        roots: Vec::new(),
        count: 0,
        withheld: 0,
    });
    let no_group = columns.len() - 1;
    let index: BTreeMap<GroupId, usize> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.group.clone().map(|g| (g, i)))
        .collect();
    let mut stacks: BTreeMap<NoteId, Vec<NoteId>> = BTreeMap::new();
    let mut max_votes = 0;
    let mut placed: Vec<(usize, NoteId)> = Vec::new();
    for (id, note) in w.notes_in_order(BOARD) {
        let column = w
            .note_group(id)
            .and_then(|g| index.get(g).copied())
            .unwrap_or(no_group);
        columns[column].count += 1;
        if !show(id, note) {
            columns[column].withheld += 1;
            continue;
        }
        max_votes = max_votes.max(w.vote_total(id));
        match w.stack_root(id) {
            Some(root) => stacks.entry(root.clone()).or_default().push(id.clone()),
            None => placed.push((column, id.clone())),
        }
    }
    for (column, id) in placed {
        columns[column].roots.push(id);
    }
    if sort_by_votes {
        let total = |id: &NoteId| -> u32 {
            w.vote_total(id)
                + stacks
                    .get(id)
                    .map(|s| s.iter().map(|n| w.vote_total(n)).sum::<u32>())
                    .unwrap_or(0)
        };
        for column in &mut columns {
            // Stable: equal totals keep the board order.
            column
                .roots
                .sort_by_cached_key(|id| std::cmp::Reverse(total(id)));
        }
    }
    if !always_no_group && columns[no_group].count == 0 {
        columns.pop();
    }
    Layout {
        columns,
        stacks,
        max_votes,
    }
}

/// Whether the results of a closed round are there to show (votes counted, round over).
pub fn results_shown(w: &Workshop) -> bool {
    w.open_round(BOARD).is_none() && w.shown_round(BOARD).is_some()
}

/// Width of a result bar in percent of the most-voted note.
pub fn bar_percent(votes: u32, max: u32) -> f64 {
    if max == 0 {
        0.0
    } else {
        f64::from(votes) * 100.0 / f64::from(max)
    }
}
