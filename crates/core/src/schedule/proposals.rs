//! Back on schedule: when the agenda ends after the planned close (before the start, or
//! live while running late), concrete proposals to end on time, each with the end it
//! gives and the edits that carry it out ([`Command::Reschedule`]) and take it back.
//!
//! Only blocks still to come are touched: before the start every block, while running
//! the blocks after the current one (the current one's time is on the clock already).
//! Moments (0 minutes, the closing) are never shortened or dropped.

use serde::{Deserialize, Serialize};

use super::{MINUTE_MS, live, schedule};
use crate::calendar;
use crate::command::{BlockEdit, Command, ScheduleChange};
use crate::ids::BlockId;
use crate::model::{Activity, Block, Run, Workshop};
use crate::validate::{LIST_MAX, LONG_MAX, SHORT_MAX, TITLE_MAX};

/// No proposal makes a block shorter than this, and none takes more than half of a
/// block's length: five minutes is the least a block needs to introduce a work form, do
/// it and close it, and a block cut by more than half is not the block that was planned
/// any more: then dropping or merging it is the honest proposal, and those are offered
/// separately. A block already shorter than five minutes is left as it is.
pub const MIN_BLOCK_MIN: u16 = 5;

/// The shortest a proposal may make a block of `duration` minutes (see [`MIN_BLOCK_MIN`]).
pub fn min_length(duration: u16) -> u16 {
    duration.min(MIN_BLOCK_MIN.max(duration.div_ceil(2)))
}

/// How late the agenda ends, and what may still change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lateness {
    /// Minutes after the planned close (positive).
    pub over_min: i64,
    /// The end as things stand, local minutes since midnight of the workshop's date.
    pub end_min: i64,
    pub planned_end_min: i64,
    /// Whether this is the live projection (a block is running or paused).
    pub live: bool,
    /// The blocks a proposal may change, in agenda order.
    pub remaining: Vec<BlockId>,
}

/// How late the agenda ends at `now_ms`, or `None` when it ends on time, is finished, or
/// (live) the workshop's date is not valid.
pub fn lateness(w: &Workshop, now_ms: i64) -> Option<Lateness> {
    let sched = schedule(w);
    let planned_end_min = i64::from(sched.planned_end_min);
    let order = w.blocks_in_order();
    let (over_min, live_now, from) = match w.timer.run {
        Run::Idle => {
            if w.is_finished() {
                return None;
            }
            (i64::from(sched.over_min), false, 0)
        }
        Run::Running { .. } | Run::Paused { .. } => {
            let timer = live(w, now_ms)?;
            let over = timer.projected_drift_min?;
            let i = order.iter().position(|(id, _)| **id == timer.block)?;
            (over, true, i + 1)
        }
    };
    if over_min <= 0 {
        return None;
    }
    Some(Lateness {
        over_min,
        end_min: planned_end_min + over_min,
        planned_end_min,
        live: live_now,
        remaining: order[from..].iter().map(|(id, _)| (*id).clone()).collect(),
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// Every remaining block a little shorter, in proportion to its length.
    Proportional,
    /// Only the blocks marked flexible shorter, in proportion to their length.
    Flexible,
    /// Leave one block out.
    Drop { block: BlockId },
    /// Two neighbouring blocks as one, shorter than both together.
    Merge { first: BlockId, second: BlockId },
}

/// One block's new length in a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortening {
    pub block: BlockId,
    pub from_min: u16,
    pub to_min: u16,
}

/// A way back on schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub kind: ProposalKind,
    /// New lengths, in agenda order (for a merge: the merged block's).
    pub shortened: Vec<Shortening>,
    pub saved_min: i64,
    /// The end it gives, local minutes since midnight.
    pub end_min: i64,
    /// Whether that end is at or before the planned close.
    pub on_time: bool,
    /// What applying it does, as ordinary agenda edits.
    pub changes: Vec<ScheduleChange>,
    /// What puts everything back as it was.
    pub undo: Vec<ScheduleChange>,
}

impl Proposal {
    pub fn command(&self) -> Command {
        Command::Reschedule(self.changes.clone())
    }

    pub fn undo_command(&self) -> Command {
        Command::Reschedule(self.undo.clone())
    }
}

/// The proposals for getting back on schedule at `now_ms`, at most one of each kind,
/// each saving something; empty when the agenda ends on time. Proposals that change
/// exactly the same as an earlier one are left out.
pub fn proposals(w: &Workshop, now_ms: i64) -> Vec<Proposal> {
    let Some(late) = lateness(w, now_ms) else {
        return Vec::new();
    };
    let blocks: Vec<(&BlockId, &Block)> = late
        .remaining
        .iter()
        .filter_map(|id| w.block(id).map(|b| (id, b)))
        .filter(|(_, b)| *b.duration_min > 0)
        .collect();
    let need = late.over_min;
    let mut out: Vec<Proposal> = Vec::new();
    let mut push = |p: Option<Proposal>| {
        if let Some(p) = p
            && p.saved_min > 0
            && !out.iter().any(|q| q.changes == p.changes)
        {
            out.push(p);
        }
    };
    push(shorten(&late, ProposalKind::Proportional, &blocks, need));
    let flexible: Vec<_> = blocks
        .iter()
        .copied()
        .filter(|(_, b)| b.is_flexible())
        .collect();
    push(shorten(&late, ProposalKind::Flexible, &flexible, need));
    push(drop_one(&late, &blocks, need));
    push(merge_two(&late, &blocks, need));
    out
}

fn finish(
    late: &Lateness,
    kind: ProposalKind,
    shortened: Vec<Shortening>,
    saved_min: i64,
    changes: Vec<ScheduleChange>,
    undo: Vec<ScheduleChange>,
) -> Proposal {
    let end_min = late.end_min - saved_min;
    Proposal {
        kind,
        shortened,
        saved_min,
        end_min,
        on_time: end_min <= late.planned_end_min,
        changes,
        undo,
    }
}

fn duration_edit(block: &BlockId, min: u16) -> ScheduleChange {
    ScheduleChange::Edit {
        block: block.clone(),
        edit: BlockEdit::DurationMin(min),
    }
}

/// Take `need` minutes from `blocks` in proportion to their length, none below its
/// [`min_length`]: whole minutes, the leftover minutes of the rounding to the blocks
/// with the largest remainders (earlier blocks first on a tie), and what a block cannot
/// give spread over the others again.
fn shorten(
    late: &Lateness,
    kind: ProposalKind,
    blocks: &[(&BlockId, &Block)],
    need: i64,
) -> Option<Proposal> {
    let lengths: Vec<i64> = blocks
        .iter()
        .map(|(_, b)| i64::from(*b.duration_min))
        .collect();
    let room: Vec<i64> = blocks
        .iter()
        .map(|(_, b)| i64::from(*b.duration_min - min_length(*b.duration_min)))
        .collect();
    let cuts = share_out(&lengths, &room, need);
    let saved: i64 = cuts.iter().sum();
    if saved == 0 {
        return None;
    }
    let mut shortened = Vec::new();
    let mut changes = Vec::new();
    let mut undo = Vec::new();
    for ((id, b), cut) in blocks.iter().zip(&cuts) {
        if *cut == 0 {
            continue;
        }
        let from = *b.duration_min;
        let to = u16::try_from(i64::from(from) - cut).unwrap_or(from);
        shortened.push(Shortening {
            block: (*id).clone(),
            from_min: from,
            to_min: to,
        });
        changes.push(duration_edit(id, to));
        undo.push(duration_edit(id, from));
    }
    Some(finish(late, kind, shortened, saved, changes, undo))
}

/// Cuts for `need` minutes over items of `lengths`, each at most its `room`.
fn share_out(lengths: &[i64], room: &[i64], need: i64) -> Vec<i64> {
    let mut cut = vec![0i64; lengths.len()];
    let mut left = need.min(room.iter().sum());
    while left > 0 {
        let open: Vec<usize> = (0..lengths.len()).filter(|&i| cut[i] < room[i]).collect();
        let weight: i64 = open.iter().map(|&i| lengths[i]).sum();
        if open.is_empty() || weight == 0 {
            break;
        }
        let mut given = 0;
        let mut remainders = Vec::new();
        for &i in &open {
            let exact = left * lengths[i];
            let share = exact / weight;
            let take = share.min(room[i] - cut[i]);
            cut[i] += take;
            given += take;
            if take == share {
                remainders.push((exact % weight, i));
            }
        }
        left -= given;
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders {
            if left == 0 {
                break;
            }
            if cut[i] < room[i] {
                cut[i] += 1;
                left -= 1;
            }
        }
    }
    cut
}

/// Leave out one block: not one with an activity (the boards are the morning's work)
/// when another will do, a flexible one before a fixed one, and the shortest that saves
/// enough, or else the longest.
fn drop_one(late: &Lateness, blocks: &[(&BlockId, &Block)], need: i64) -> Option<Proposal> {
    let (id, b) = blocks.iter().min_by_key(|(id, b)| {
        let len = i64::from(*b.duration_min);
        let enough = len >= need;
        (
            *b.activity != Activity::None,
            !b.is_flexible(),
            !enough,
            if enough { len } else { -len },
            (*id).clone(),
        )
    })?;
    Some(finish(
        late,
        ProposalKind::Drop {
            block: (*id).clone(),
        },
        Vec::new(),
        i64::from(*b.duration_min),
        vec![ScheduleChange::Delete((*id).clone())],
        vec![ScheduleChange::Restore((*id).clone())],
    ))
}

/// Two neighbouring flexible blocks with the same lead and at most one activity as one
/// block, as long as the longer of the two: the one that saves the most (up to what is
/// needed), the shorter pair on a tie.
fn merge_two(late: &Lateness, blocks: &[(&BlockId, &Block)], need: i64) -> Option<Proposal> {
    let pairs = blocks.windows(2).filter(|pair| {
        let (a, b) = (pair[0].1, pair[1].1);
        a.is_flexible()
            && b.is_flexible()
            && a.lead.value.trim() == b.lead.value.trim()
            && (*a.activity == Activity::None || *b.activity == Activity::None)
    });
    let pair = pairs.min_by_key(|pair| {
        let (a, b) = (*pair[0].1.duration_min, *pair[1].1.duration_min);
        let saves = i64::from(a.min(b)).min(need);
        (-saves, u32::from(a) + u32::from(b))
    })?;
    let ((first, a), (second, b)) = (pair[0], pair[1]);
    let (la, lb) = (i64::from(*a.duration_min), i64::from(*b.duration_min));
    let merged = (la + lb - need).max(la.max(lb));
    let merged_min = u16::try_from(merged).ok()?;
    let join = |x: &str, y: &str, sep: &str, max: u32| {
        let (x, y) = (x.trim(), y.trim());
        let text = match (x.is_empty(), y.is_empty()) {
            (_, true) => x.to_owned(),
            (true, false) => y.to_owned(),
            _ if x == y => x.to_owned(),
            _ => format!("{x}{sep}{y}"),
        };
        clip(&text, max)
    };
    let mut examples = a.examples.value.clone();
    examples.extend(b.examples.value.iter().cloned());
    examples.truncate(LIST_MAX as usize);
    let activity = if *a.activity == Activity::None {
        *b.activity
    } else {
        *a.activity
    };
    let edits = [
        BlockEdit::Title(join(&a.title, &b.title, " + ", TITLE_MAX)),
        BlockEdit::WorkForm(join(&a.work_form, &b.work_form, " / ", SHORT_MAX)),
        BlockEdit::Materials(join(&a.materials, &b.materials, ", ", SHORT_MAX)),
        BlockEdit::Notes(join(&a.notes, &b.notes, "\n\n", LONG_MAX)),
        BlockEdit::Examples(examples),
        BlockEdit::Activity(activity),
        BlockEdit::DurationMin(merged_min),
    ];
    let olds = [
        BlockEdit::Title(a.title.value.clone()),
        BlockEdit::WorkForm(a.work_form.value.clone()),
        BlockEdit::Materials(a.materials.value.clone()),
        BlockEdit::Notes(a.notes.value.clone()),
        BlockEdit::Examples(a.examples.value.clone()),
        BlockEdit::Activity(*a.activity),
        BlockEdit::DurationMin(*a.duration_min),
    ];
    let edit_of = |edit: BlockEdit| ScheduleChange::Edit {
        block: first.clone(),
        edit,
    };
    // Only what differs is written, so the merge (and its undo) are as few ops as can be.
    let (mut changes, mut undo): (Vec<_>, Vec<_>) = edits
        .into_iter()
        .zip(olds)
        .filter(|(new, old)| new != old)
        .map(|(new, old)| (edit_of(new), edit_of(old)))
        .unzip();
    changes.push(ScheduleChange::Delete(second.clone()));
    undo.insert(0, ScheduleChange::Restore(second.clone()));
    Some(finish(
        late,
        ProposalKind::Merge {
            first: first.clone(),
            second: second.clone(),
        },
        vec![Shortening {
            block: first.clone(),
            from_min: *a.duration_min,
            to_min: merged_min,
        }],
        la + lb - merged,
        changes,
        undo,
    ))
}

/// At most `max` characters.
fn clip(text: &str, max: u32) -> String {
    text.chars().take(max as usize).collect()
}

/// Starting more than this many minutes from the planned start asks whether to move the
/// plan: a quarter of an hour is a late start the room notices, and less is the usual
/// trickling in that drift should keep showing.
pub const REBASE_AFTER_MIN: i64 = 15;

/// The day's plan moved to start at a given moment: same length, same clock offset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebase {
    /// Now minus the planned start, whole minutes (positive = late).
    pub away_min: i64,
    pub date: String,
    pub start_min: u16,
    /// The planned close moved by as much (at most 23:59).
    pub end_min: u16,
}

/// Whether starting at `now_ms` is far enough from the planned start to ask about moving
/// the plan ([`REBASE_AFTER_MIN`]), and the plan it would move to. `None` once the
/// workshop has started (a block has run) or without a valid date.
pub fn rebase(w: &Workshop, now_ms: i64) -> Option<Rebase> {
    let started = w
        .blocks_in_order()
        .iter()
        .any(|(_, b)| b.actual_start_ms.is_some());
    if started || w.timer.current.is_some() {
        return None;
    }
    let offset = *w.meta.utc_offset_min;
    let start = *w.meta.planned_start_min;
    let planned = calendar::local_to_ms(&w.meta.date, i64::from(start), offset)?;
    let away_min = super::round_div(now_ms - planned, MINUTE_MS);
    if away_min.abs() <= REBASE_AFTER_MIN {
        return None;
    }
    // Now to the nearest minute (and that minute's day): the start is stamped with now,
    // and a plan moved to the minute begun would read as a minute late from 30 s on.
    let nearest_minute = now_ms.saturating_add(MINUTE_MS / 2);
    let date = calendar::local_date(nearest_minute, offset);
    let now_min = calendar::ms_to_local_minutes(&date, nearest_minute, offset)?;
    let start_min = u16::try_from(now_min).ok()?;
    let length = w.meta.planned_end_min.saturating_sub(start);
    let end_min = start_min.saturating_add(length).min(24 * 60 - 1);
    Some(Rebase {
        away_min,
        date,
        start_min,
        end_min,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};
    use crate::schedule::hhmm;

    const T0: i64 = 1_741_939_200_000; // 2025-03-14T08:00:00Z, 09:00 local (UTC+1)
    const F: Role = Role::Facilitator;

    fn seed() -> Doc {
        Doc::from_template_at(Template::WerkenInNetwerken, ActorId::new("f"), T0, 60)
    }

    /// Local clock time `h:m` on the seed's date.
    fn at(h: i64, m: i64) -> i64 {
        T0 + ((h - 9) * 60 + m) * MINUTE_MS
    }

    fn lengths(doc: &Doc) -> Vec<u16> {
        doc.workshop()
            .blocks_in_order()
            .iter()
            .map(|(_, b)| *b.duration_min)
            .collect()
    }

    fn ids(doc: &Doc) -> Vec<BlockId> {
        doc.workshop()
            .blocks_in_order()
            .iter()
            .map(|(id, _)| (*id).clone())
            .collect()
    }

    fn find(ps: &[Proposal], pick: fn(&ProposalKind) -> bool) -> Proposal {
        ps.iter()
            .find(|p| pick(&p.kind))
            .cloned()
            .expect("proposal")
    }

    fn end(doc: &Doc) -> String {
        hhmm(i64::from(schedule(doc.workshop()).computed_end_min))
    }

    #[test]
    fn the_seed_ends_at_noon_by_taking_five_minutes_from_the_flexible_blocks() {
        let mut doc = seed();
        let before = lengths(&doc);
        assert_eq!(before, [30, 25, 30, 30, 15, 10, 0]);
        let late = lateness(doc.workshop(), at(8, 0)).expect("late");
        assert_eq!((late.over_min, late.live), (5, false));
        let ps = proposals(doc.workshop(), at(8, 0));
        let flexible = find(&ps, |k| *k == ProposalKind::Flexible);
        assert_eq!(hhmm(flexible.end_min), "12:00");
        assert!(flexible.on_time);
        assert_eq!(flexible.saved_min, 5);
        // The manager's opening and Silvia's berenschieten have a lead: not flexible.
        let w = doc.workshop();
        let order = ids(&doc);
        let touched: Vec<usize> = flexible
            .shortened
            .iter()
            .map(|s| {
                order
                    .iter()
                    .position(|id| *id == s.block)
                    .expect("in agenda")
            })
            .collect();
        assert_eq!(touched, [1, 2, 4, 5]);
        assert!(!w.block(&order[0]).expect("block").is_flexible());
        assert!(!w.block(&order[3]).expect("block").is_flexible());

        doc.execute(&flexible.command(), F, at(8, 0))
            .expect("apply");
        assert_eq!(lengths(&doc), [30, 24, 28, 30, 14, 9, 0]);
        assert_eq!(end(&doc), "12:00");
        assert!(lateness(doc.workshop(), at(8, 0)).is_none());
        assert!(proposals(doc.workshop(), at(8, 0)).is_empty());

        doc.execute(&flexible.undo_command(), F, at(8, 1))
            .expect("undo");
        assert_eq!(lengths(&doc), before);
        assert_eq!(end(&doc), "12:05");
    }

    #[test]
    fn in_proportion_takes_from_every_block_and_never_from_the_closing_moment() {
        let mut doc = seed();
        let ps = proposals(doc.workshop(), at(8, 0));
        let p = find(&ps, |k| *k == ProposalKind::Proportional);
        assert_eq!((hhmm(p.end_min).as_str(), p.on_time), ("12:00", true));
        doc.execute(&p.command(), F, at(8, 0)).expect("apply");
        assert_eq!(lengths(&doc), [29, 24, 29, 29, 14, 10, 0]);
        assert_eq!(end(&doc), "12:00");
    }

    #[test]
    fn drop_and_merge_give_their_own_end() {
        let mut doc = seed();
        let order = ids(&doc);
        let ps = proposals(doc.workshop(), at(8, 0));
        assert_eq!(ps.len(), 4, "{ps:#?}");
        // Dropped: the shortest flexible block without a board that saves enough.
        let drop = find(&ps, |k| matches!(k, ProposalKind::Drop { .. }));
        assert_eq!(
            drop.kind,
            ProposalKind::Drop {
                block: order[4].clone()
            }
        );
        assert_eq!(hhmm(drop.end_min), "11:50");
        // Merged: the two shortest neighbours that may be merged.
        let merge = find(&ps, |k| matches!(k, ProposalKind::Merge { .. }));
        assert_eq!(
            merge.kind,
            ProposalKind::Merge {
                first: order[4].clone(),
                second: order[5].clone()
            }
        );
        assert_eq!(hhmm(merge.end_min), "12:00");
        let before = doc.workshop().clone();
        doc.execute(&merge.command(), F, at(8, 0)).expect("merge");
        let w = doc.workshop();
        assert_eq!(lengths(&doc), [30, 25, 30, 30, 20, 0]);
        let merged = w.block(&order[4]).expect("merged");
        assert!(
            merged.title.value.contains(" + Afspraken"),
            "{}",
            merged.title.value
        );
        assert_eq!(*merged.activity, Activity::Agreements);
        assert!(w.block(&order[5]).is_none());
        doc.execute(&merge.undo_command(), F, at(8, 1))
            .expect("undo");
        let (a, b) = (doc.workshop(), &before);
        for id in &order {
            let (x, y) = (a.block(id).expect("back"), b.block(id).expect("was"));
            assert_eq!(
                (
                    &x.title.value,
                    *x.duration_min,
                    *x.activity,
                    &x.work_form.value
                ),
                (
                    &y.title.value,
                    *y.duration_min,
                    *y.activity,
                    &y.work_form.value
                )
            );
        }
    }

    #[test]
    fn a_live_overrun_is_taken_from_the_blocks_still_to_come() {
        let mut doc = seed();
        doc.execute(&Command::StartWorkshop, F, at(9, 45))
            .expect("start");
        // On time in the opening: the seed's own five minutes, live as well.
        let late = lateness(doc.workshop(), at(10, 0)).expect("late");
        assert_eq!((late.over_min, late.live), (5, true));
        // The opening runs 10 minutes over: 12:15 against 12:00.
        let now = at(10, 25);
        let late = lateness(doc.workshop(), now).expect("late");
        assert_eq!(
            (late.over_min, late.live, late.remaining.len()),
            (15, true, 6)
        );
        let ps = proposals(doc.workshop(), now);
        let order = ids(&doc);
        for p in &ps {
            assert!(
                p.shortened.iter().all(|s| s.block != order[0]),
                "the running block is on the clock already: {p:?}"
            );
        }
        let flexible = find(&ps, |k| *k == ProposalKind::Flexible);
        assert_eq!(hhmm(flexible.end_min), "12:00");
        doc.execute(&flexible.command(), F, now).expect("apply");
        let live = live(doc.workshop(), now).expect("running");
        assert_eq!(live.projected_end_min, Some(12 * 60));
        assert_eq!(live.projected_drift_min, Some(0));
        // 15 of 80 flexible minutes, in proportion.
        assert_eq!(lengths(&doc), [30, 20, 25, 30, 12, 8, 0]);
    }

    #[test]
    fn nothing_is_shortened_below_its_minimum() {
        assert_eq!(
            [0, 3, 5, 8, 10, 12, 30].map(min_length),
            [0, 3, 5, 5, 5, 6, 15]
        );
        let mut doc = seed();
        doc.execute(&Command::StartWorkshop, F, at(9, 45))
            .expect("start");
        // An hour and a half over in the opening: no shortening can make up for that.
        let now = at(11, 45);
        let ps = proposals(doc.workshop(), now);
        let order = ids(&doc);
        for kind in [ProposalKind::Proportional, ProposalKind::Flexible] {
            let p = ps.iter().find(|p| p.kind == kind).expect("proposal");
            assert!(!p.on_time, "{p:?}");
            for s in &p.shortened {
                assert_eq!(s.to_min, min_length(s.from_min), "{kind:?} {s:?}");
            }
            assert!(p.shortened.iter().all(|s| s.block != order[6]));
        }
        let flexible = find(&ps, |k| *k == ProposalKind::Flexible);
        // 25 → 13, 30 → 15, 15 → 8, 10 → 5: 39 minutes of the 95 needed.
        assert_eq!(flexible.saved_min, 39);
        doc.execute(&flexible.command(), F, now).expect("apply");
        assert_eq!(lengths(&doc), [30, 13, 15, 30, 8, 5, 0]);
    }

    #[test]
    fn the_flexible_flag_decides_which_blocks_give_time() {
        let mut doc = seed();
        let order = ids(&doc);
        let edit = |id: &BlockId, edit| Command::EditBlock {
            id: id.clone(),
            edit,
        };
        // The manager agreed to be shorter; the brainstorm may not be.
        doc.execute(&edit(&order[0], BlockEdit::Flexible(true)), F, T0)
            .expect("flag");
        doc.execute(&edit(&order[2], BlockEdit::Flexible(false)), F, T0)
            .expect("flag");
        let ps = proposals(doc.workshop(), T0);
        let p = find(&ps, |k| *k == ProposalKind::Flexible);
        let touched: Vec<&BlockId> = p.shortened.iter().map(|s| &s.block).collect();
        assert_eq!(touched.len(), 4);
        assert!(touched.contains(&&order[0]) && !touched.contains(&&order[2]));
        assert!(p.on_time);
        // A lead added later makes a block fixed until someone decides otherwise.
        doc.execute(&edit(&order[4], BlockEdit::Lead("Katja".into())), F, T0)
            .expect("lead");
        assert!(
            !doc.workshop()
                .block(&order[4])
                .expect("block")
                .is_flexible()
        );
        // Nothing flexible: no such proposal, the others still are.
        for id in &order {
            doc.execute(&edit(id, BlockEdit::Flexible(false)), F, T0)
                .expect("flag");
        }
        let ps = proposals(doc.workshop(), T0);
        assert!(ps.iter().all(|p| p.kind != ProposalKind::Flexible));
        assert!(ps.iter().any(|p| p.kind == ProposalKind::Proportional));
    }

    #[test]
    fn a_proposal_made_on_an_older_agenda_is_refused_whole() {
        let mut doc = seed();
        let order = ids(&doc);
        let p = find(&proposals(doc.workshop(), T0), |k| {
            *k == ProposalKind::Flexible
        });
        doc.execute(&Command::DeleteBlock(order[5].clone()), F, T0)
            .expect("delete");
        let before = lengths(&doc);
        assert!(doc.execute(&p.command(), F, T0).is_err());
        assert_eq!(lengths(&doc), before, "nothing of it applied");
    }

    #[test]
    fn a_participant_may_not_reschedule() {
        let mut doc = seed();
        let p = find(&proposals(doc.workshop(), T0), |k| {
            *k == ProposalKind::Flexible
        });
        assert!(doc.execute(&p.command(), Role::Participant, T0).is_err());
    }

    #[test]
    fn starting_far_from_the_planned_start_offers_to_move_the_plan() {
        let doc = seed();
        let w = doc.workshop();
        // Within a quarter of an hour: just start, drift tells the rest.
        assert_eq!(rebase(w, at(9, 45)), None);
        assert_eq!(rebase(w, at(10, 0)), None);
        assert_eq!(rebase(w, at(9, 30)), None);
        let r = rebase(w, at(10, 30)).expect("45 minutes late");
        assert_eq!(r.away_min, 45);
        assert_eq!(
            (hhmm(r.start_min.into()), hhmm(r.end_min.into())),
            ("10:30".into(), "12:45".into())
        );
        assert_eq!(r.date, "2025-03-14");
        // A rehearsal the evening before moves the date as well.
        let r = rebase(w, at(-4, 0)).expect("the evening before");
        assert_eq!(r.date, "2025-03-13");
        assert_eq!(hhmm(r.start_min.into()), "20:00");
        assert_eq!(r.away_min, -(13 * 60 + 45));
    }

    #[test]
    fn a_rebased_start_makes_drift_and_expected_end_mean_something() {
        let mut doc = seed();
        let now = at(10, 30);
        doc.execute(&Command::RebaseAndStart, F, now)
            .expect("start");
        let w = doc.workshop();
        assert_eq!(hhmm((*w.meta.planned_start_min).into()), "10:30");
        assert_eq!(hhmm((*w.meta.planned_end_min).into()), "12:45");
        let l = live(w, now).expect("running");
        assert_eq!(l.drift_min, Some(0));
        assert_eq!(l.projected_end_min, Some(12 * 60 + 50));
        // The seed's own five minutes, nothing more.
        assert_eq!(l.projected_drift_min, Some(5));
        // Started: never offered again.
        assert_eq!(rebase(w, now + 60 * MINUTE_MS), None);

        // Kept the plan: 45 minutes late, as it is.
        let mut kept = seed();
        kept.execute(&Command::StartWorkshop, F, now)
            .expect("start");
        let l = live(kept.workshop(), now).expect("running");
        assert_eq!(l.drift_min, Some(45));
        assert_eq!(l.projected_drift_min, Some(50));
    }

    #[test]
    fn a_plan_moved_to_now_is_on_schedule_whatever_the_seconds() {
        // Pressed at 10:30:50, the plan used to move to 10:30 and the start read as one
        // minute late at once; now is rounded to the nearest minute instead.
        for (seconds, start) in [
            (0, "10:30"),
            (20, "10:30"),
            (29, "10:30"),
            (31, "10:31"),
            (50, "10:31"),
        ] {
            let mut doc = seed();
            let now = at(10, 30) + seconds * 1_000;
            doc.execute(&Command::RebaseAndStart, F, now)
                .expect("start");
            let w = doc.workshop();
            assert_eq!(
                hhmm((*w.meta.planned_start_min).into()),
                start,
                "{seconds} s"
            );
            assert_eq!(
                live(w, now).expect("running").drift_min,
                Some(0),
                "{seconds} s"
            );
        }
        // A minute before midnight rounds into the next day, not to minute 1440.
        let r = rebase(seed().workshop(), at(24, 0) - 20 * 1_000).expect("23:59:40");
        assert_eq!(
            (r.date.as_str(), hhmm(r.start_min.into()).as_str()),
            ("2025-03-15", "00:00")
        );
    }

    #[test]
    fn the_evening_rehearsal_moves_the_date_and_the_close() {
        let mut doc = seed();
        let now = at(-4, 0); // 20:00 the day before
        doc.execute(&Command::RebaseAndStart, F, now)
            .expect("start");
        let w = doc.workshop();
        assert_eq!(w.meta.date.as_str(), "2025-03-13");
        assert_eq!(hhmm((*w.meta.planned_end_min).into()), "22:15");
        let l = live(w, now).expect("running");
        assert_eq!((l.drift_min, l.projected_drift_min), (Some(0), Some(5)));
        // Late at night the close stops at 23:59 rather than wrapping to the morning.
        let r = rebase(seed().workshop(), at(-1, 0)).expect("23:00");
        assert_eq!(hhmm(r.end_min.into()), "23:59");
    }
}
