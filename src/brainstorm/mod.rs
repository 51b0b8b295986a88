//! The brainstorm board by theme group: the facilitator's console tab (groups, board and
//! voting controls, counters, moderation) and the pieces the projector and the participant
//! view share with it (categories, colours, the board layout and one note's snapshot).
//!
//! Rendering rule: a board is a keyed list of columns, each a keyed list of note ids; every
//! card reads its own note from [`BoardNotes`] and its stack from [`BoardLayout`], each a
//! signal of its own set by a workshop listener only when that note or stack changed. So
//! one new note adds one card and wakes no other card: with memos of the workshop, Leptos
//! marked every card "check" on every change, which made one note on a board of a
//! thousand cost a tenth of a second.
pub mod board_controls;
pub mod brainstorm_tab;
pub mod console_tabs;
pub mod counters;
pub mod group_editor;
pub mod group_row;
pub mod moderation_board;
pub mod moderation_column;
pub mod moderation_note;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use bijeen_core::{BoardKind, Category, Colour, GroupId, Note, NoteId, ParticipantId, Workshop};

use leptos::prelude::{GetUntracked, Memo, RwSignal, Set, Signal, With, WithUntracked};

use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::session::WorkshopSession;

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

/// A [`NoteSnapshot`] borrowed from the workshop: compared with a card's last snapshot
/// first, so an unchanged note costs no allocation.
struct NoteView<'a> {
    text: &'a str,
    category: Option<Category>,
    group: Option<&'a GroupId>,
    author: &'a ParticipantId,
    author_name: &'a str,
    hidden: bool,
    stacked: bool,
    cluster_title: &'a str,
    votes: u32,
    my_votes: u32,
}

fn view_of<'a>(
    w: &'a Workshop,
    id: &NoteId,
    note: &'a Note,
    votes: u32,
    my_votes: u32,
) -> NoteView<'a> {
    let (root, group) = placement(w, id, note);
    NoteView {
        text: &note.text.value,
        category: *note.category,
        group,
        author: &note.author,
        author_name: w
            .participant(&note.author)
            .map(|p| p.name.value.as_str())
            .unwrap_or_default(),
        hidden: *note.hidden,
        stacked: root.is_some(),
        cluster_title: &note.cluster_title.value,
        votes,
        my_votes,
    }
}

impl NoteView<'_> {
    fn matches(&self, s: &NoteSnapshot) -> bool {
        self.text == s.text
            && self.category == s.category
            && self.group == s.group.as_ref()
            && *self.author == s.author
            && self.author_name == s.author_name
            && self.hidden == s.hidden
            && self.stacked == s.stacked
            && self.cluster_title == s.cluster_title
            && self.votes == s.votes
            && self.my_votes == s.my_votes
    }

    fn to_snapshot(&self) -> NoteSnapshot {
        NoteSnapshot {
            text: self.text.to_owned(),
            category: self.category,
            group: self.group.cloned(),
            author: self.author.clone(),
            author_name: self.author_name.to_owned(),
            hidden: self.hidden,
            stacked: self.stacked,
            cluster_title: self.cluster_title.to_owned(),
            votes: self.votes,
            my_votes: self.my_votes,
        }
    }
}

/// Where a live note of the board sits: the note it is stacked on (its stack's root) and
/// its group. The answers of `Workshop::stack_root` and `Workshop::note_group`, without
/// looking the note up again for the usual note that is not stacked: every note is placed
/// on every change of a board of a thousand.
pub fn placement<'a>(
    w: &'a Workshop,
    id: &NoteId,
    note: &'a Note,
) -> (Option<&'a NoteId>, Option<&'a GroupId>) {
    if note.stacked_on.is_some() {
        return (w.stack_root(id), w.note_group(id));
    }
    let group = (note.board == BoardKind::Brainstorm)
        .then(|| note.group.as_ref().filter(|g| w.group(g).is_some()))
        .flatten();
    (None, group)
}

/// Votes per note in the round the board shows, tallied in one pass over the ballots.
fn vote_totals(w: &Workshop) -> HashMap<&NoteId, u32> {
    let mut totals: HashMap<&NoteId, u32> = HashMap::new();
    if let Some(round) = w.shown_round(BOARD).and_then(|r| w.votes.get(r)) {
        for ballots in round.values() {
            for (note, count) in ballots {
                *totals.entry(note).or_default() += **count;
            }
        }
    }
    totals
}

/// What changed in a board's notes since `shown` (what the cards show now): a new
/// snapshot for each note that is new or changed, `None` for each note that is gone.
/// Votes are tallied once here instead of once per note, and an unchanged note costs a
/// comparison, no allocation.
fn note_changes(
    w: &Workshop,
    me: Option<&ParticipantId>,
    shown: &HashMap<NoteId, Option<Arc<NoteSnapshot>>>,
) -> Vec<(NoteId, Option<Option<Arc<NoteSnapshot>>>)> {
    let totals = vote_totals(w);
    let mine: HashMap<&NoteId, u32> = match (me, w.open_round(BOARD)) {
        (Some(me), Some((round, _))) => w.votes_of(round, me).into_iter().collect(),
        _ => HashMap::new(),
    };
    let mut changes = Vec::new();
    let mut live = 0;
    let mut new = 0;
    for (id, note) in &w.notes {
        if !note.is_live() || note.board != BOARD {
            continue;
        }
        live += 1;
        let count = |map: &HashMap<&NoteId, u32>| map.get(id).copied().unwrap_or(0);
        let view = view_of(w, id, note, count(&totals), count(&mine));
        match shown.get(id) {
            Some(Some(snapshot)) if view.matches(snapshot) => continue,
            Some(_) => {}
            None => new += 1,
        }
        changes.push((id.clone(), Some(Some(Arc::new(view.to_snapshot())))));
    }
    // Every live note is shown now, so any more shown notes are gone.
    if shown.len() + new != live {
        changes.extend(
            shown
                .keys()
                .filter(|id| !w.note(id).is_some_and(|n| n.is_live() && n.board == BOARD))
                .map(|id| (id.clone(), None)),
        );
    }
    changes
}

/// Every live note of the brainstorm board as the viewer sees it, each note in a signal
/// of its own that a workshop listener sets only when that note changed: a new note wakes
/// its own card and the lists it is in, not the other cards.
#[derive(Clone, Copy)]
pub struct BoardNotes(KeyedSignals<NoteId, Option<Arc<NoteSnapshot>>>);

impl BoardNotes {
    /// The notes of `session`'s brainstorm board as `me` sees them (my dots included).
    pub fn new(session: WorkshopSession, me: Option<Memo<Option<ParticipantId>>>) -> Self {
        let notes = KeyedSignals::new(HashMap::new());
        let refresh = move |w: &Workshop| {
            let me = me.and_then(|me| me.get_untracked());
            if let Some(changes) = notes.with_values(|shown| note_changes(w, me.as_ref(), shown))
                && !changes.is_empty()
            {
                notes.apply(changes);
            }
        };
        session.with_untracked(refresh);
        session.listen(refresh);
        Self(notes)
    }

    /// One note, woken only when it changes.
    pub fn note(&self, id: &NoteId) -> Signal<Option<Arc<NoteSnapshot>>> {
        self.0.get(id)
    }
}

/// A board's [`Layout`] kept by a workshop listener, with every stack (and the most votes
/// on one note) in a signal of its own: cards read their stack without being woken by
/// every note added elsewhere on the board.
#[derive(Clone, Copy)]
pub struct BoardLayout {
    pub layout: Signal<Layout>,
    /// Most votes on one note, for scaling the result bars.
    pub max_votes: Signal<u32>,
    stacks: KeyedSignals<NoteId, Vec<NoteId>>,
}

impl BoardLayout {
    pub fn new(session: WorkshopSession, compute: impl Fn(&Workshop) -> Layout + 'static) -> Self {
        let initial = session.with_untracked(&compute).unwrap_or_default();
        let stacks = KeyedSignals::new(
            initial
                .stacks
                .iter()
                .map(|(root, notes)| (root.clone(), notes.clone()))
                .collect(),
        );
        let max_votes = RwSignal::new(initial.max_votes);
        let layout = RwSignal::new(initial);
        session.listen(move |w| {
            let next = compute(w);
            if layout.with_untracked(|l| *l == next) {
                return;
            }
            if layout.with_untracked(|l| l.stacks != next.stacks) {
                stacks.replace_all(
                    next.stacks
                        .iter()
                        .map(|(root, notes)| (root.clone(), notes.clone()))
                        .collect(),
                );
            }
            if max_votes.get_untracked() != next.max_votes {
                max_votes.set(next.max_votes);
            }
            layout.set(next);
        });
        Self {
            layout: layout.into(),
            max_votes: max_votes.into(),
            stacks,
        }
    }

    /// The notes stacked onto `id` (empty for most notes).
    pub fn stack(&self, id: &NoteId) -> Signal<Vec<NoteId>> {
        self.stacks.get(id)
    }
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

/// A column's notes as its view lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnNotes {
    pub roots: Vec<NoteId>,
    /// For each root, whether notes are stacked onto it (a cluster).
    pub clusters: Vec<bool>,
    pub count: usize,
    pub withheld: usize,
}

/// What every board column shows, whichever board it is on (console or projector): its
/// name ("no group" in the active language), its colour key and its notes. Each column
/// reads only its own slice of the layout, so a note added elsewhere leaves it alone.
#[derive(Clone, Copy)]
pub struct ColumnParts {
    pub name: Signal<String>,
    /// `yellow`, ... or `none`, for the `group-*` class.
    pub colour: Signal<&'static str>,
    pub notes: Memo<ColumnNotes>,
}

impl ColumnParts {
    pub fn new(layout: Signal<Layout>, group: Option<GroupId>) -> Self {
        let i18n = use_i18n();
        let session = crate::workshop::use_session();
        let head = {
            let group = group.clone();
            Memo::new(move |_| session.with(|w| group_head(w, group.as_ref())).flatten())
        };
        let notes = Memo::new(move |_| {
            layout.with(|l| {
                l.column(group.as_ref())
                    .map(|c| ColumnNotes {
                        roots: c.roots.clone(),
                        clusters: c.roots.iter().map(|r| l.stacks.contains_key(r)).collect(),
                        count: c.count,
                        withheld: c.withheld,
                    })
                    .unwrap_or_default()
            })
        });
        Self {
            name: Signal::derive(move || {
                head.with(|h| match h {
                    Some(h) if !h.name.is_empty() => h.name.clone(),
                    _ => i18n.t().bs_no_group.to_owned(),
                })
            }),
            colour: Signal::derive(move || {
                head.with(|h| h.as_ref().and_then(|h| h.colour).map(colour_key))
                    .unwrap_or("none")
            }),
            notes,
        }
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
    let totals = vote_totals(w);
    let votes = |id: &NoteId| totals.get(id).copied().unwrap_or(0);
    for (id, note) in w.notes_in_order(BOARD) {
        let (root, group) = placement(w, id, note);
        let column = group
            .and_then(|g| index.get(g).copied())
            .unwrap_or(no_group);
        columns[column].count += 1;
        if !show(id, note) {
            columns[column].withheld += 1;
            continue;
        }
        max_votes = max_votes.max(votes(id));
        match root {
            Some(root) => stacks.entry(root.clone()).or_default().push(id.clone()),
            None => placed.push((column, id.clone())),
        }
    }
    for (column, id) in placed {
        columns[column].roots.push(id);
    }
    if sort_by_votes {
        let total = |id: &NoteId| -> u32 {
            votes(id)
                + stacks
                    .get(id)
                    .map(|s| s.iter().map(votes).sum::<u32>())
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
