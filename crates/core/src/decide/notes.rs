//! Notes on a board (brainstorm notes and bears): writing, moving, hiding, stacking.

use super::{group_ref, live_note, note_op, one, order_for};
use crate::command::Place;
use crate::error::{DomainError, DomainResult};
use crate::fractional_index;
use crate::ids::{GroupId, NoteId};
use crate::model::{BoardKind, Category, Colour, Workshop};
use crate::op::{NoteField, OpBody};
use crate::validate::{self as v, NOTE_MAX, TITLE_MAX};

pub(super) fn add_note(
    w: &Workshop,
    board: &BoardKind,
    group: &Option<GroupId>,
    category: &Option<Category>,
    text: &str,
    colour: &Option<Colour>,
) -> DomainResult<Vec<OpBody>> {
    let text = v::required(text, NOTE_MAX, v::note_field(*board))?;
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

pub(super) fn edit_note(w: &Workshop, id: &NoteId, text: &str) -> DomainResult<Vec<OpBody>> {
    let board = live_note(w, id)?.board;
    one(note_op(
        id,
        NoteField::Text(v::required(text, NOTE_MAX, v::note_field(board))?),
    ))
}

pub(super) fn set_note_category(
    w: &Workshop,
    id: &NoteId,
    category: &Option<Category>,
) -> DomainResult<Vec<OpBody>> {
    if live_note(w, id)?.board != BoardKind::Brainstorm {
        return Err(DomainError::NotOnBrainstormBoard);
    }
    one(note_op(id, NoteField::Category(*category)))
}

pub(super) fn recolour_note(
    w: &Workshop,
    id: &NoteId,
    colour: &Colour,
) -> DomainResult<Vec<OpBody>> {
    live_note(w, id)?;
    one(note_op(id, NoteField::Colour(*colour)))
}

pub(super) fn move_note(
    w: &Workshop,
    id: &NoteId,
    group: &Option<GroupId>,
    place: &Place<NoteId>,
) -> DomainResult<Vec<OpBody>> {
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

pub(super) fn hide_note(w: &Workshop, id: &NoteId, hidden: &bool) -> DomainResult<Vec<OpBody>> {
    live_note(w, id)?;
    one(note_op(id, NoteField::Hidden(*hidden)))
}

pub(super) fn delete_note(w: &Workshop, id: &NoteId) -> DomainResult<Vec<OpBody>> {
    live_note(w, id)?;
    one(note_op(id, NoteField::Deleted(true)))
}

pub(super) fn restore_note(w: &Workshop, id: &NoteId) -> DomainResult<Vec<OpBody>> {
    match w.notes.get(id) {
        Some(n) if n.created && *n.deleted => one(note_op(id, NoteField::Deleted(false))),
        Some(n) if n.created => Err(DomainError::NotDeleted),
        _ => Err(DomainError::UnknownNote),
    }
}

pub(super) fn stack_note(w: &Workshop, id: &NoteId, onto: &NoteId) -> DomainResult<Vec<OpBody>> {
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

pub(super) fn unstack(w: &Workshop, id: &NoteId) -> DomainResult<Vec<OpBody>> {
    if live_note(w, id)?.stacked_on.is_none() {
        return Err(DomainError::NotStacked);
    }
    one(note_op(id, NoteField::StackedOn(None)))
}

pub(super) fn set_cluster_title(
    w: &Workshop,
    id: &NoteId,
    title: &str,
) -> DomainResult<Vec<OpBody>> {
    live_note(w, id)?;
    one(note_op(
        id,
        NoteField::ClusterTitle(v::optional(title, TITLE_MAX)?),
    ))
}
