//! Workshop details and the agenda: what the facilitator plans before the morning.

use super::{block_op, live_block, one, order_for};
use crate::command::{BlockEdit, Place, ScheduleChange};
use crate::error::{DomainError, DomainResult, Field};
use crate::ids::BlockId;
use crate::model::{Lang, Workshop};
use crate::op::{BlockDraft, BlockField, MetaField, OpBody};
use crate::validate::{self as v, LONG_MAX, SHORT_MAX, TITLE_MAX};

pub(super) fn set_title(t: &str) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::Title(v::required(
        t,
        TITLE_MAX,
        Field::WorkshopTitle,
    )?))
}

pub(super) fn set_date(d: &str) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::Date(v::date(d)?))
}

pub(super) fn set_planned_start(m: &u16) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::PlannedStart(v::time_of_day(*m)?))
}

pub(super) fn set_planned_end(m: &u16) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::PlannedEnd(v::time_of_day(*m)?))
}

pub(super) fn set_utc_offset(m: &i16) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::UtcOffset(*m))
}

pub(super) fn set_language(l: &Lang) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::Language(*l))
}

pub(super) fn set_practical_assignment(t: &str) -> DomainResult<Vec<OpBody>> {
    meta(MetaField::PracticalAssignment(v::optional(t, LONG_MAX)?))
}

pub(super) fn add_block(
    w: &Workshop,
    place: &Place<BlockId>,
    block: &BlockDraft,
) -> DomainResult<Vec<OpBody>> {
    let block = v::block_draft(block)?;
    let list = block_orders(w);
    let order = order_for(&list, place, None).ok_or(DomainError::UnknownBlock)?;
    one(OpBody::CreateBlock {
        block: Box::new(block),
        order,
    })
}

pub(super) fn edit_block(
    w: &Workshop,
    id: &BlockId,
    edit: &BlockEdit,
) -> DomainResult<Vec<OpBody>> {
    live_block(w, id)?;
    let field = match edit {
        BlockEdit::Title(t) => BlockField::Title(v::required(t, TITLE_MAX, Field::BlockTitle)?),
        BlockEdit::DurationMin(m) => BlockField::DurationMin(v::duration(*m)?),
        BlockEdit::WorkForm(t) => BlockField::WorkForm(v::optional(t, SHORT_MAX)?),
        BlockEdit::Materials(t) => BlockField::Materials(v::optional(t, SHORT_MAX)?),
        BlockEdit::Lead(t) => BlockField::Lead(v::optional(t, SHORT_MAX)?),
        BlockEdit::Notes(t) => BlockField::Notes(v::optional(t, LONG_MAX)?),
        BlockEdit::Examples(l) => BlockField::Examples(v::list(l, SHORT_MAX)?),
        BlockEdit::Activity(a) => BlockField::Activity(*a),
        BlockEdit::Flexible(f) => BlockField::Flexible(Some(*f)),
    };
    one(block_op(id, field))
}

pub(super) fn move_block(
    w: &Workshop,
    id: &BlockId,
    place: &Place<BlockId>,
) -> DomainResult<Vec<OpBody>> {
    live_block(w, id)?;
    let list = block_orders(w);
    let order = order_for(&list, place, Some(id)).ok_or(DomainError::UnknownBlock)?;
    one(block_op(id, BlockField::Order(order)))
}

pub(super) fn delete_block(w: &Workshop, id: &BlockId) -> DomainResult<Vec<OpBody>> {
    live_block(w, id)?;
    one(block_op(id, BlockField::Deleted(true)))
}

pub(super) fn restore_block(w: &Workshop, id: &BlockId) -> DomainResult<Vec<OpBody>> {
    match w.blocks.get(id) {
        Some(b) if b.created && *b.deleted => one(block_op(id, BlockField::Deleted(false))),
        Some(b) if b.created => Err(DomainError::NotDeleted),
        _ => Err(DomainError::UnknownBlock),
    }
}

/// Every change of a proposal, checked against the state as it is now (the agenda may
/// have changed since the proposal was shown): all of it, or nothing.
pub(super) fn reschedule(w: &Workshop, changes: &[ScheduleChange]) -> DomainResult<Vec<OpBody>> {
    let mut ops = Vec::new();
    for change in changes {
        ops.extend(match change {
            ScheduleChange::Edit { block, edit } => edit_block(w, block, edit)?,
            ScheduleChange::Delete(block) => delete_block(w, block)?,
            ScheduleChange::Restore(block) => restore_block(w, block)?,
        });
    }
    Ok(ops)
}

fn meta(f: MetaField) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetMeta(f))
}

fn block_orders(w: &Workshop) -> Vec<(&BlockId, &str)> {
    w.blocks_in_order()
        .into_iter()
        .map(|(id, b)| (id, b.order.as_str()))
        .collect()
}
