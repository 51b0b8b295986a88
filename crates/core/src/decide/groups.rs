//! Theme groups of the brainstorm board.

use super::{note_op, one, order_for};
use crate::command::Place;
use crate::error::{DomainError, DomainResult, Field};
use crate::fractional_index;
use crate::ids::GroupId;
use crate::model::{Colour, Workshop};
use crate::op::{GroupField, NoteField, OpBody, ParticipantField};
use crate::validate::{self as v, TITLE_MAX};

pub(super) fn add_group(
    w: &Workshop,
    name: &str,
    colour: &Option<Colour>,
) -> DomainResult<Vec<OpBody>> {
    let groups = w.groups_in_order();
    let colour = colour.unwrap_or(Colour::ALL[groups.len() % Colour::ALL.len()]);
    let order = fractional_index::between(groups.last().map(|(_, g)| g.order.as_str()), None);
    one(OpBody::CreateGroup {
        name: v::required(name, TITLE_MAX, Field::GroupName)?,
        colour,
        order,
    })
}

pub(super) fn rename_group(w: &Workshop, id: &GroupId, name: &str) -> DomainResult<Vec<OpBody>> {
    w.group(id).ok_or(DomainError::UnknownGroup)?;
    one(OpBody::SetGroup {
        id: id.clone(),
        field: GroupField::Name(v::required(name, TITLE_MAX, Field::GroupName)?),
    })
}

pub(super) fn recolour_group(
    w: &Workshop,
    id: &GroupId,
    colour: &Colour,
) -> DomainResult<Vec<OpBody>> {
    w.group(id).ok_or(DomainError::UnknownGroup)?;
    one(OpBody::SetGroup {
        id: id.clone(),
        field: GroupField::Colour(*colour),
    })
}

pub(super) fn move_group(
    w: &Workshop,
    id: &GroupId,
    place: &Place<GroupId>,
) -> DomainResult<Vec<OpBody>> {
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

pub(super) fn delete_group(w: &Workshop, id: &GroupId) -> DomainResult<Vec<OpBody>> {
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
