//! The timer: starting, pausing and moving between blocks, and finishing the workshop.

use super::{block_op, live_block, one};
use crate::error::{DomainError, DomainResult};
use crate::ids::BlockId;
use crate::model::{Run, Timer, Workshop};
use crate::op::{BlockField, MetaField, OpBody};
use crate::validate as v;

pub(super) fn start_workshop(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    let first = w
        .blocks_in_order()
        .first()
        .map(|(id, _)| (*id).clone())
        .ok_or(DomainError::NoBlocks)?;
    start_block(w, &first, now)
}

/// The day's plan moved to start now, then the first block started: one step.
pub(super) fn rebase_and_start(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    let mut ops: Vec<OpBody> = match crate::schedule::rebase(w, now) {
        Some(r) => {
            let mut ops = Vec::new();
            if r.date != *w.meta.date {
                ops.push(OpBody::SetMeta(MetaField::Date(r.date)));
            }
            ops.push(OpBody::SetMeta(MetaField::PlannedStart(r.start_min)));
            ops.push(OpBody::SetMeta(MetaField::PlannedEnd(r.end_min)));
            ops
        }
        None => Vec::new(),
    };
    ops.extend(start_workshop(w, now)?);
    Ok(ops)
}

pub(super) fn pause_timer(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    match w.timer.run {
        Run::Running { ends_at_ms } => one(OpBody::SetTimer(Timer {
            current: w.timer.current.clone(),
            run: Run::Paused {
                remaining_ms: ends_at_ms.saturating_sub(now),
            },
        })),
        _ => Err(DomainError::TimerNotRunning),
    }
}

pub(super) fn resume_timer(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    match w.timer.run {
        Run::Paused { remaining_ms } => one(OpBody::SetTimer(Timer {
            current: w.timer.current.clone(),
            run: Run::Running {
                ends_at_ms: now.saturating_add(remaining_ms),
            },
        })),
        _ => Err(DomainError::TimerNotPaused),
    }
}

pub(super) fn adjust_timer(w: &Workshop, delta_min: &i32) -> DomainResult<Vec<OpBody>> {
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

pub(super) fn next_block(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    start_block(w, &neighbour(w, true)?, now)
}

pub(super) fn previous_block(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    start_block(w, &neighbour(w, false)?, now)
}

pub(super) fn finish_workshop(w: &Workshop, now: i64) -> DomainResult<Vec<OpBody>> {
    let cur = w.timer.current.clone().ok_or(DomainError::TimerIdle)?;
    Ok(vec![
        block_op(&cur, BlockField::ActualEnd(Some(now))),
        OpBody::SetTimer(Timer {
            current: None,
            run: Run::Idle,
        }),
    ])
}

/// Ops to leave the running block (if any) and run `id` from `now`.
pub(super) fn start_block(w: &Workshop, id: &BlockId, now: i64) -> DomainResult<Vec<OpBody>> {
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
