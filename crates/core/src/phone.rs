//! Rules of the participant's phone that are about the workshop, not the screen: what the
//! phone leads with while a block runs, and which theme group a new note goes to.

use crate::ids::{BlockId, GroupId, ParticipantId};
use crate::model::{Activity, BearPhase, BoardKind, Run, Workshop};

/// What a participant's phone shows first. The rest of the page follows in its usual order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneLead {
    /// The note form and the group's notes: the brainstorm block runs, or the brainstorm
    /// board is open, or nothing has started yet (pick a group, get ready to write).
    NoteForm,
    /// The dots left and the group's notes to spend them on: the brainstorm's voting is
    /// open (in its block, or in a block without a board of its own, or before the start).
    Votes,
    /// The bear wall: the bear block runs, or the break before it (bears are written then).
    Bears,
    /// The agreements, open ends and follow-up actions: the agreements block runs.
    Agreements,
    /// The practical assignment: the closing block runs or the workshop is finished.
    Assignment,
    /// What the running block is about (title, work form, examples): no board is open
    /// for it.
    BlockContent,
}

/// What the phone leads with now. The block's own activity decides first; a block without
/// one leads with the note form while the brainstorm board is open, and else with what
/// it is about, the closing block (the agenda's last) with the practical assignment. While
/// the brainstorm's voting is open, the notes to vote on come before the note form. The
/// break before the bear block (the next block is the bears, the wall still collects and
/// the brainstorm board is closed) leads with the bears, whatever runs. A paused block
/// counts as running.
pub fn phone_lead(w: &Workshop) -> PhoneLead {
    let has_assignment = !w.meta.practical_assignment.trim().is_empty();
    if w.is_finished() {
        return if has_assignment {
            PhoneLead::Assignment
        } else {
            PhoneLead::Agreements
        };
    }
    let blocks = w.blocks_in_order();
    let running = match (&w.timer.current, w.timer.run) {
        (Some(id), Run::Running { .. } | Run::Paused { .. }) => {
            blocks.iter().position(|(b, _)| *b == id)
        }
        _ => None,
    };
    let voting = w.open_round(BoardKind::Brainstorm).is_some();
    let notes_lead = if voting {
        PhoneLead::Votes
    } else {
        PhoneLead::NoteForm
    };
    let Some(i) = running else {
        return notes_lead;
    };
    let activity = |i: usize| blocks.get(i).map(|(_, b)| *b.activity);
    let brainstorm_open = w.accepts_notes(BoardKind::Brainstorm);
    let before_bears = activity(i + 1) == Some(Activity::Bears)
        && *w.bear_wall.phase == BearPhase::Collect
        && !brainstorm_open;
    match activity(i) {
        Some(Activity::Bears) => PhoneLead::Bears,
        _ if before_bears && !voting => PhoneLead::Bears,
        Some(Activity::Brainstorm) => notes_lead,
        Some(Activity::Agreements) => PhoneLead::Agreements,
        _ if voting => PhoneLead::Votes,
        _ if brainstorm_open => PhoneLead::NoteForm,
        _ if i + 1 == blocks.len() && has_assignment => PhoneLead::Assignment,
        _ => PhoneLead::BlockContent,
    }
}

impl Workshop {
    /// Whether the workshop ran and was finished: no block is current (only finishing
    /// clears it) though a block was started.
    pub fn is_finished(&self) -> bool {
        self.timer.current.is_none()
            && self
                .blocks_in_order()
                .iter()
                .any(|(_, b)| b.actual_start_ms.is_some())
    }

    /// What reopening a finished workshop starts again: the last block that ran, in agenda
    /// order (its first start stays its actual start). `None` unless finished.
    pub fn block_to_reopen(&self) -> Option<BlockId> {
        if !self.is_finished() {
            return None;
        }
        self.blocks_in_order()
            .into_iter()
            .rev()
            .find(|(_, b)| b.actual_start_ms.is_some())
            .map(|(id, _)| id.clone())
    }

    /// The theme group a new note of `who` goes to: the group they chose, while it still
    /// exists (it may have been deleted concurrently with their choice); else none.
    pub fn default_group_for(&self, who: &ParticipantId) -> Option<&GroupId> {
        self.participant(who)
            .and_then(|p| p.group.value.as_ref())
            .filter(|g| self.group(g).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};
    use crate::template::block_ids;

    const T0: i64 = 1_741_939_200_000;

    /// The seed workshop, its blocks in agenda order (intro, examples, brainstorm, bears,
    /// refresher, agreements, closing).
    fn seed() -> (Doc, Vec<BlockId>) {
        let doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
        let ids = block_ids(&doc);
        (doc, ids)
    }

    fn run(doc: &mut Doc, cmd: Command) {
        doc.execute(&cmd, Role::Facilitator, T0).expect("command");
    }

    fn open_brainstorm(doc: &mut Doc, open: bool) {
        run(
            doc,
            Command::SetBoardOpen {
                board: BoardKind::Brainstorm,
                open,
            },
        );
    }

    #[test]
    fn phone_leads_with_the_note_form_before_the_workshop_starts() {
        let (doc, _) = seed();
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::NoteForm);
    }

    #[test]
    fn phone_leads_with_the_note_form_while_the_brainstorm_block_runs_with_its_board_open() {
        let (mut doc, ids) = seed();
        run(&mut doc, Command::StartBlock(ids[2].clone()));
        open_brainstorm(&mut doc, true);
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::NoteForm);
        run(&mut doc, Command::PauseTimer);
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::NoteForm, "paused");
    }

    #[test]
    fn phone_leads_with_the_notes_to_vote_on_while_voting_is_open() {
        let (mut doc, ids) = seed();
        let open_voting = |doc: &mut Doc, open: bool| {
            let board = BoardKind::Brainstorm;
            let cmd = if open {
                Command::OpenVoting {
                    board,
                    budget: 3,
                    allow_multiple: false,
                }
            } else {
                Command::CloseVoting { board }
            };
            run(doc, cmd)
        };
        open_brainstorm(&mut doc, true);
        open_voting(&mut doc, true);
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::Votes,
            "before the start"
        );
        run(&mut doc, Command::StartBlock(ids[2].clone()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Votes, "its block");
        run(&mut doc, Command::StartBlock(ids[1].clone()));
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::Votes,
            "a plain block"
        );
        run(&mut doc, Command::StartBlock(ids[3].clone()));
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::Bears,
            "the bears' block"
        );
        run(&mut doc, Command::StartBlock(ids[2].clone()));
        open_voting(&mut doc, false);
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::NoteForm, "closed");
    }

    #[test]
    fn phone_leads_with_bears_while_the_bear_block_runs() {
        let (mut doc, ids) = seed();
        open_brainstorm(&mut doc, true);
        run(&mut doc, Command::StartBlock(ids[3].clone()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Bears);
        run(&mut doc, Command::SetBearPhase(BearPhase::Shoot));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Bears, "results too");
    }

    #[test]
    fn phone_leads_with_bears_in_the_break_before_the_bear_block_once_the_board_closes() {
        let (mut doc, ids) = seed();
        run(&mut doc, Command::StartBlock(ids[2].clone()));
        open_brainstorm(&mut doc, true);
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::NoteForm,
            "board open"
        );
        open_brainstorm(&mut doc, false);
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Bears);
        run(&mut doc, Command::SetBearPhase(BearPhase::Reveal));
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::NoteForm,
            "the wall no longer collects"
        );
    }

    #[test]
    fn phone_leads_with_the_agreements_while_the_agreements_block_runs() {
        let (mut doc, ids) = seed();
        run(&mut doc, Command::StartBlock(ids[5].clone()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Agreements);
    }

    #[test]
    fn phone_leads_with_what_the_block_is_about_when_no_board_is_open_for_it() {
        let (mut doc, ids) = seed();
        run(&mut doc, Command::StartBlock(ids[1].clone()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::BlockContent);
        open_brainstorm(&mut doc, true);
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::NoteForm,
            "board open"
        );
    }

    #[test]
    fn phone_leads_with_the_assignment_in_the_closing_block() {
        let (mut doc, ids) = seed();
        run(&mut doc, Command::StartBlock(ids[6].clone()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Assignment);
        run(&mut doc, Command::SetPracticalAssignment(String::new()));
        assert_eq!(
            phone_lead(doc.workshop()),
            PhoneLead::BlockContent,
            "no assignment to show"
        );
    }

    #[test]
    fn phone_leads_with_the_assignment_once_the_workshop_is_finished() {
        let (mut doc, ids) = seed();
        assert!(!doc.workshop().is_finished(), "not started");
        run(&mut doc, Command::StartBlock(ids[6].clone()));
        assert!(!doc.workshop().is_finished(), "running");
        run(&mut doc, Command::FinishWorkshop);
        assert!(doc.workshop().is_finished());
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Assignment);
        run(&mut doc, Command::SetPracticalAssignment(String::new()));
        assert_eq!(phone_lead(doc.workshop()), PhoneLead::Agreements);
    }

    #[test]
    fn a_finished_workshop_reopens_with_the_last_block_that_ran() {
        let (mut doc, ids) = seed();
        assert_eq!(doc.workshop().block_to_reopen(), None, "not started");
        run(&mut doc, Command::StartBlock(ids[2].clone()));
        run(&mut doc, Command::StartBlock(ids[4].clone()));
        // Going back to an earlier block: the last in agenda order that ran is still 4.
        run(&mut doc, Command::StartBlock(ids[3].clone()));
        assert_eq!(doc.workshop().block_to_reopen(), None, "running");
        run(&mut doc, Command::FinishWorkshop);
        assert_eq!(doc.workshop().block_to_reopen(), Some(ids[4].clone()));
        let first_start = doc
            .workshop()
            .block(&ids[4])
            .and_then(|b| *b.actual_start_ms);
        run(&mut doc, Command::StartBlock(ids[4].clone()));
        assert!(!doc.workshop().is_finished(), "reopened");
        assert_eq!(
            doc.workshop()
                .block(&ids[4])
                .and_then(|b| *b.actual_start_ms),
            first_start,
            "reopening keeps the block's first start"
        );
    }

    /// A participant's replica of `fac`, joined in `group`.
    fn joined(fac: &Doc, group: Option<GroupId>) -> (Doc, ParticipantId) {
        let mut p = Doc::from_ops(ActorId::new("p"), fac.ops()).expect("replay");
        let cmd = Command::Join {
            name: "Anna".into(),
            group,
        };
        p.execute(&cmd, Role::Participant, T0).expect("join");
        let me = ParticipantId::of(p.actor());
        (p, me)
    }

    fn groups(doc: &Doc) -> Vec<GroupId> {
        let w = doc.workshop();
        w.groups_in_order()
            .into_iter()
            .map(|(id, _)| id.clone())
            .collect()
    }

    #[test]
    fn a_new_note_goes_to_the_group_its_writer_chose() {
        let (fac, _) = seed();
        let g = groups(&fac)[1].clone();
        let (p, me) = joined(&fac, Some(g.clone()));
        assert_eq!(p.workshop().default_group_for(&me), Some(&g));
        let (p, me) = joined(&fac, None);
        assert_eq!(p.workshop().default_group_for(&me), None, "none chosen");
        let stranger = ParticipantId::of(&ActorId::new("not-joined"));
        assert_eq!(p.workshop().default_group_for(&stranger), None);
    }

    #[test]
    fn a_new_note_goes_to_no_group_once_the_chosen_group_is_deleted() {
        let (mut fac, _) = seed();
        let g = groups(&fac)[0].clone();
        let (mut p, me) = joined(&fac, None);
        // The participant picks the group while the facilitator, not yet seeing that,
        // deletes it: the merged record still names the dead group.
        let pick = Command::SetGroup {
            group: Some(g.clone()),
        };
        p.execute(&pick, Role::Participant, T0).expect("pick");
        run(&mut fac, Command::DeleteGroup(g.clone()));
        let (from_p, from_fac): (Vec<_>, Vec<_>) =
            (p.ops().cloned().collect(), fac.ops().cloned().collect());
        for op in &from_fac {
            p.receive(op).expect("merge");
        }
        for op in &from_p {
            fac.receive(op).expect("merge");
        }
        assert!(p.workshop() == fac.workshop(), "the replicas converge");
        let w = p.workshop();
        assert_eq!(
            w.participant(&me).and_then(|r| r.group.value.as_ref()),
            Some(&g)
        );
        assert_eq!(w.default_group_for(&me), None);
    }
}
