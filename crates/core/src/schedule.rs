//! Time: the planned schedule (computed start of every block) and the live timer, all
//! computed from timestamps and "now", so they are right after a hidden tab or a reload.

use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::ids::BlockId;
use crate::model::{Run, Workshop};

pub mod proposals;
pub use proposals::{
    Lateness, MIN_BLOCK_MIN, Proposal, ProposalKind, REBASE_AFTER_MIN, Rebase, Shortening,
    lateness, min_length, proposals, rebase,
};

const MINUTE_MS: i64 = 60_000;
/// The warning starts at the longer of these two before the end of a block.
const WARNING_MIN_MS: i64 = 2 * MINUTE_MS;
const WARNING_FRACTION_PERCENT: i64 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub block: BlockId,
    /// Minutes since midnight (may pass 1440 for an agenda that runs past midnight).
    pub start_min: u32,
    pub duration_min: u16,
    pub end_min: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub rows: Vec<ScheduleRow>,
    pub planned_start_min: u16,
    pub planned_end_min: u16,
    /// Planned start plus all durations.
    pub computed_end_min: u32,
    /// Computed end minus planned end: positive means the agenda does not fit.
    pub over_min: i32,
}

impl Schedule {
    pub fn row(&self, id: &BlockId) -> Option<&ScheduleRow> {
        self.rows.iter().find(|r| r.block == *id)
    }
}

/// Start and end of every live block from the planned start, in agenda order.
pub fn schedule(w: &Workshop) -> Schedule {
    let start = *w.meta.planned_start_min;
    let mut t = u32::from(start);
    let rows = w
        .blocks_in_order()
        .into_iter()
        .map(|(id, b)| {
            let row = ScheduleRow {
                block: id.clone(),
                start_min: t,
                duration_min: *b.duration_min,
                end_min: t + u32::from(*b.duration_min),
            };
            t = row.end_min;
            row
        })
        .collect();
    let end = *w.meta.planned_end_min;
    Schedule {
        rows,
        planned_start_min: start,
        planned_end_min: end,
        computed_end_min: t,
        over_min: i32::try_from(i64::from(t) - i64::from(end)).unwrap_or(i32::MAX),
    }
}

/// `HH:MM` for minutes since midnight (wrapping at a day; negative counts back).
pub fn hhmm(min: i64) -> String {
    let m = min.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// How a time away from the plan reads: whole hours and minutes, or from two days on whole
/// days (a workshop planned for another week is "629 dagen" away, not "15114 uur").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    HoursMinutes { hours: i64, minutes: i64 },
    Days(i64),
}

/// [`Span`] of `min` minutes (its magnitude: the sign is the caller's "earlier"/"later").
pub fn span(min: i64) -> Span {
    const DAY: i64 = 24 * 60;
    let min = min.saturating_abs();
    if min >= 2 * DAY {
        Span::Days(min / DAY)
    } else {
        Span::HoursMinutes {
            hours: min / 60,
            minutes: min % 60,
        }
    }
}

/// Minutes since midnight from `HH:MM` or `H.MM` (as the seed writes "9.45").
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once([':', '.'])?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveState {
    Running,
    Paused,
}

/// What the timer shows at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTimer {
    pub block: BlockId,
    pub state: LiveState,
    /// Planned length of the block.
    pub duration_ms: i64,
    /// Time left; negative while overrunning (the display counts up).
    pub remaining_ms: i64,
    /// Wall time since the block was first started (includes pauses), if known.
    pub elapsed_ms: Option<i64>,
    /// In the last 2 minutes or last 20 % of the block, whichever is longer.
    pub warning: bool,
    pub overrun: bool,
    /// A block without a duration (the seed's closing, 0 minutes) is a moment: there is
    /// nothing to count down, so it is never in warning or overrun.
    pub moment: bool,
    /// Actual start of this block minus its planned start, in whole minutes (positive =
    /// late). `None` without a valid date or an actual start.
    pub drift_min: Option<i64>,
    /// When the whole agenda ends if this block ends as the timer says and every later
    /// block takes its planned time.
    pub projected_end_ms: i64,
    /// The same as local minutes since midnight of the workshop date, if the date is valid.
    pub projected_end_min: Option<i64>,
    /// Projected end minus planned end of the workshop, minutes (positive = late).
    pub projected_drift_min: Option<i64>,
}

/// Whether `remaining_ms` of a block of `duration_ms` is in the warning zone.
pub fn is_warning(duration_ms: i64, remaining_ms: i64) -> bool {
    let threshold = WARNING_MIN_MS.max(duration_ms * WARNING_FRACTION_PERCENT / 100);
    remaining_ms >= 0 && remaining_ms <= threshold
}

fn round_div(a: i64, b: i64) -> i64 {
    // Round half away from zero, so a 30 s delay shows as one minute late.
    if a >= 0 {
        (a + b / 2) / b
    } else {
        -((-a + b / 2) / b)
    }
}

/// The live timer at `now_ms`, or `None` when no block is running or paused.
pub fn live(w: &Workshop, now_ms: i64) -> Option<LiveTimer> {
    let t = &*w.timer;
    let id = t.current.as_ref()?;
    let block = w.blocks.get(id)?;
    let (state, remaining_ms) = match t.run {
        Run::Idle => return None,
        Run::Running { ends_at_ms } => (LiveState::Running, ends_at_ms.saturating_sub(now_ms)),
        Run::Paused { remaining_ms } => (LiveState::Paused, remaining_ms),
    };
    let duration_ms = i64::from(*block.duration_min) * MINUTE_MS;
    let sched = schedule(w);
    let later_min: i64 = match sched.rows.iter().position(|r| r.block == *id) {
        Some(i) => sched.rows[i + 1..]
            .iter()
            .map(|r| i64::from(r.duration_min))
            .sum(),
        None => 0,
    };
    let projected_end_ms = now_ms
        .saturating_add(remaining_ms.max(0))
        .saturating_add(later_min * MINUTE_MS);
    let date = w.meta.date.as_str();
    let offset = *w.meta.utc_offset_min;
    let drift_min = match (sched.row(id), *block.actual_start_ms) {
        (Some(row), Some(actual)) => calendar::local_to_ms(date, i64::from(row.start_min), offset)
            .map(|planned| round_div(actual - planned, MINUTE_MS)),
        _ => None,
    };
    let projected_end_min = calendar::ms_to_local_minutes(date, projected_end_ms, offset);
    let projected_drift_min = calendar::local_to_ms(date, i64::from(sched.planned_end_min), offset)
        .map(|planned| round_div(projected_end_ms - planned, MINUTE_MS));
    Some(LiveTimer {
        block: id.clone(),
        state,
        duration_ms,
        remaining_ms,
        elapsed_ms: block.actual_start_ms.map(|s| now_ms - s),
        warning: duration_ms > 0 && is_warning(duration_ms, remaining_ms),
        overrun: duration_ms > 0 && remaining_ms < 0,
        moment: duration_ms == 0,
        drift_min,
        projected_end_ms,
        projected_end_min,
        projected_drift_min,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};

    const T0: i64 = 1_741_939_200_000; // 2025-03-14T08:00:00Z

    fn seed() -> Doc {
        Doc::from_template_at(Template::WerkenInNetwerken, ActorId::new("f"), T0, 60)
    }

    #[test]
    fn seed_template_ends_five_minutes_after_planned_close() {
        let doc = seed();
        let s = schedule(doc.workshop());
        assert_eq!(hhmm(i64::from(s.planned_end_min)), "12:00");
        assert_eq!(hhmm(i64::from(s.computed_end_min)), "12:05");
        assert_eq!(s.over_min, 5);
    }

    #[test]
    fn computed_start_times_follow_the_seed_table() {
        let doc = seed();
        let starts: Vec<String> = schedule(doc.workshop())
            .rows
            .iter()
            .map(|r| hhmm(i64::from(r.start_min)))
            .collect();
        assert_eq!(
            starts,
            [
                "09:45", "10:15", "10:40", "11:10", "11:40", "11:55", "12:05"
            ]
        );
    }

    #[test]
    fn warning_starts_at_the_longer_of_two_minutes_or_twenty_percent() {
        // 30 min block: 20 % = 6 min is longer than 2 min.
        let d = 30 * MINUTE_MS;
        assert!(!is_warning(d, 6 * MINUTE_MS + 1));
        assert!(is_warning(d, 6 * MINUTE_MS));
        // 5 min block: 20 % = 1 min, so 2 minutes wins.
        let d = 5 * MINUTE_MS;
        assert!(is_warning(d, 2 * MINUTE_MS));
        assert!(!is_warning(d, 2 * MINUTE_MS + 1));
        // Overrun is not a warning but an overrun.
        assert!(!is_warning(d, -1));
    }

    #[test]
    fn a_lead_the_work_form_already_names_is_not_named_again() {
        let doc = seed();
        let blocks = doc.workshop().blocks_in_order();
        let (_, opening) = blocks.first().expect("blocks");
        assert_eq!(opening.work_form.value, "Inleiding door manager, plenair");
        assert_eq!(opening.lead.value.as_str(), "manager");
        assert_eq!(opening.lead_beside_work_form(), None);
        let (_, closing) = blocks.last().expect("blocks");
        assert_eq!(
            closing.lead_beside_work_form(),
            Some("Katja, Joelle of Anneke")
        );
    }

    #[test]
    fn a_block_without_duration_is_a_moment_not_an_overrun() {
        let mut doc = seed();
        let blocks: Vec<_> = doc
            .workshop()
            .blocks_in_order()
            .into_iter()
            .map(|(id, b)| (id.clone(), *b.duration_min))
            .collect();
        let (closing, minutes) = blocks.last().cloned().expect("blocks");
        assert_eq!(minutes, 0, "the seed's closing has no duration");
        let start = T0 + 4 * 60 * MINUTE_MS;
        doc.execute(
            &Command::StartBlock(closing.clone()),
            Role::Facilitator,
            start,
        )
        .expect("start the closing");
        for later in [0, MINUTE_MS, 30 * MINUTE_MS] {
            let live = live(doc.workshop(), start + later).expect("running");
            assert!(live.moment, "+{later} ms");
            assert!(!live.overrun && !live.warning, "+{later} ms: {live:?}");
        }
        let (timed, _) = blocks.first().cloned().expect("blocks");
        doc.execute(&Command::StartBlock(timed), Role::Facilitator, start)
            .expect("start a timed block");
        let live = live(doc.workshop(), start + 120 * MINUTE_MS).expect("running");
        assert!(!live.moment && live.overrun, "a timed block still overruns");
    }

    #[test]
    fn remaining_time_is_computed_from_now_not_ticked() {
        let mut doc = seed();
        let start = T0 + 45 * MINUTE_MS; // 09:45 local (UTC+1)
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        // An hour in a hidden tab: the timer simply reads the clock again.
        let l = live(doc.workshop(), start + 60 * MINUTE_MS).expect("live");
        assert_eq!(l.remaining_ms, -30 * MINUTE_MS);
        assert!(l.overrun);
        assert!(!l.warning);
        assert_eq!(l.elapsed_ms, Some(60 * MINUTE_MS));
    }

    #[test]
    fn pause_keeps_remaining_and_resume_continues_from_it() {
        let mut doc = seed();
        let start = T0 + 45 * MINUTE_MS;
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        doc.execute(
            &Command::PauseTimer,
            Role::Facilitator,
            start + 10 * MINUTE_MS,
        )
        .expect("pause");
        let l = live(doc.workshop(), start + 50 * MINUTE_MS).expect("live");
        assert_eq!(l.state, LiveState::Paused);
        assert_eq!(l.remaining_ms, 20 * MINUTE_MS);
        doc.execute(
            &Command::ResumeTimer,
            Role::Facilitator,
            start + 50 * MINUTE_MS,
        )
        .expect("resume");
        let l = live(doc.workshop(), start + 55 * MINUTE_MS).expect("live");
        assert_eq!(l.remaining_ms, 15 * MINUTE_MS);
    }

    #[test]
    fn adjusting_the_timer_moves_the_end() {
        let mut doc = seed();
        let start = T0 + 45 * MINUTE_MS;
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        doc.execute(
            &Command::AdjustTimer { delta_min: 5 },
            Role::Facilitator,
            start,
        )
        .expect("adjust");
        let l = live(doc.workshop(), start).expect("live");
        assert_eq!(l.remaining_ms, 35 * MINUTE_MS);
    }

    #[test]
    fn drift_is_actual_start_against_planned_start_of_the_block() {
        let mut doc = seed();
        // Started at 09:52 local instead of 09:45.
        let start = T0 + 52 * MINUTE_MS;
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        let l = live(doc.workshop(), start).expect("live");
        assert_eq!(l.drift_min, Some(7));
        // Projected: 09:52 + 140 min = 12:12, which is 12 min after the planned 12:00.
        assert_eq!(l.projected_end_min, Some(12 * 60 + 12));
        assert_eq!(l.projected_drift_min, Some(12));
    }

    #[test]
    fn overrun_pushes_the_projected_end() {
        let mut doc = seed();
        let start = T0 + 45 * MINUTE_MS;
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        let l = live(doc.workshop(), start + 40 * MINUTE_MS).expect("live");
        // 10 minutes over in the first block: 12:05 + 10 = 12:15.
        assert_eq!(l.projected_end_min, Some(12 * 60 + 15));
        assert_eq!(l.projected_drift_min, Some(15));
    }

    #[test]
    fn next_block_records_actual_end_and_start() {
        let mut doc = seed();
        let start = T0 + 45 * MINUTE_MS;
        doc.execute(&Command::StartWorkshop, Role::Facilitator, start)
            .expect("start");
        doc.execute(
            &Command::NextBlock,
            Role::Facilitator,
            start + 33 * MINUTE_MS,
        )
        .expect("next");
        let w = doc.workshop();
        let blocks = w.blocks_in_order();
        assert_eq!(*blocks[0].1.actual_end_ms, Some(start + 33 * MINUTE_MS));
        assert_eq!(*blocks[1].1.actual_start_ms, Some(start + 33 * MINUTE_MS));
        let l = live(w, start + 33 * MINUTE_MS).expect("live");
        assert_eq!(&l.block, blocks[1].0);
        assert_eq!(l.drift_min, Some(3));
    }

    #[test]
    fn seed_times_parse_as_written() {
        assert_eq!(parse_hhmm("9.45"), Some(585));
        assert_eq!(parse_hhmm("12:00"), Some(720));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("9.5"), None);
    }

    #[test]
    fn a_span_reads_in_hours_and_minutes_and_from_two_days_in_days() {
        let hm = |hours, minutes| Span::HoursMinutes { hours, minutes };
        assert_eq!(span(45), hm(0, 45));
        assert_eq!(span(-45), hm(0, 45));
        assert_eq!(span(13 * 60 + 45), hm(13, 45));
        assert_eq!(span(2 * 24 * 60 - 1), hm(47, 59));
        assert_eq!(span(2 * 24 * 60), Span::Days(2));
        assert_eq!(span(-(15114 * 60 + 11)), Span::Days(629));
        assert_eq!(span(i64::MIN), Span::Days(i64::MAX / (24 * 60)));
    }
}
