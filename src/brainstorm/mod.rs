//! The brainstorm board by theme group: the facilitator's console tab (groups, board and
//! voting controls, counters, moderation) and the pieces the projector and the participant
//! view share with it (categories, colours, the board layout and one note's snapshot).
//!
//! Rendering rule: a board is a keyed list of columns, each a keyed list of note ids; every
//! card reads its own note from [`BoardNotes`] and its stack from [`BoardLayout`], each a
//! signal of its own set by a workshop listener only when that note or stack changed. So
//! one new note adds one card and wakes no other card (with memos of the workshop, Leptos
//! would mark every card "check" on every change).
pub mod board_controls;
pub mod board_layout;
pub mod board_notes;
pub mod brainstorm_tab;
pub mod counters;
pub mod group_editor;
pub mod group_row;
pub mod moderation_board;
pub mod moderation_column;
pub mod moderation_note;
pub mod note_chunk;

pub use crate::logic::board_layout::{layout, placement, vote_totals};
pub use board_layout::{BoardLayout, ColumnParts};
pub use board_notes::{BoardNotes, NoteSnapshot};

use bijeen_core::{BoardKind, Category, Colour, GroupId, Workshop};

use crate::i18n::PhoneStrings;

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
pub fn category_name(t: &'static PhoneStrings, category: Category) -> &'static str {
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

pub fn colour_name(t: &'static PhoneStrings, colour: Colour) -> &'static str {
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
