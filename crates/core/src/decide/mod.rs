//! `decide`: turn a [`Command`] into the ops that carry it out, or refuse it with a typed
//! [`DomainError`]. It reads the state and the context and never writes. One file per
//! concern; [`decide_unchecked`] only dispatches, and the result is checked with
//! [`crate::authorize`] before it leaves, so the app cannot make an op the relay would
//! refuse.

mod agenda;
mod bears;
mod board;
mod groups;
mod notes;
mod outcomes;
mod participants;
mod timer;

use crate::authorize::authorize_body_as;
use crate::command::{Command, DecideCtx, Place};
use crate::error::{DomainError, DomainResult};
use crate::fractional_index;
use crate::ids::{BlockId, GroupId, NoteId, ParticipantId};
use crate::model::{Block, Note, Workshop};
use crate::op::{BlockField, NoteField, OpBody};
use crate::pseudonym::writer_of;

/// Turn a command into the ops that carry it out, or refuse it.
///
/// The result is checked op by op with [`authorize_body_as`] for `ctx.role`, so a participant
/// gets `NotAllowedForRole` / `NotYourNote` / `BoardClosed` here, exactly as the relay
/// would answer.
pub fn decide(w: &Workshop, cmd: &Command, ctx: &DecideCtx) -> DomainResult<Vec<OpBody>> {
    let ops = decide_unchecked(w, cmd, ctx)?;
    let principal = ctx.principal();
    for op in &ops {
        authorize_body_as(w, writer_of(w, op, &principal), op, ctx.role, &principal)?;
    }
    Ok(ops)
}

fn decide_unchecked(w: &Workshop, cmd: &Command, ctx: &DecideCtx) -> DomainResult<Vec<OpBody>> {
    let now = ctx.now_ms;
    let me = ParticipantId::of(&ctx.actor);
    match cmd {
        Command::SetTitle(t) => agenda::set_title(t),
        Command::SetDate(d) => agenda::set_date(d),
        Command::SetPlannedStart(m) => agenda::set_planned_start(m),
        Command::SetPlannedEnd(m) => agenda::set_planned_end(m),
        Command::SetUtcOffset(m) => agenda::set_utc_offset(m),
        Command::SetLanguage(l) => agenda::set_language(l),
        Command::SetPracticalAssignment(t) => agenda::set_practical_assignment(t),
        Command::AddBlock { place, block } => agenda::add_block(w, place, block),
        Command::EditBlock { id, edit } => agenda::edit_block(w, id, edit),
        Command::MoveBlock { id, place } => agenda::move_block(w, id, place),
        Command::DeleteBlock(id) => agenda::delete_block(w, id),
        Command::RestoreBlock(id) => agenda::restore_block(w, id),
        Command::Reschedule(changes) => agenda::reschedule(w, changes),
        Command::StartWorkshop => timer::start_workshop(w, now),
        Command::RebaseAndStart => timer::rebase_and_start(w, now),
        Command::StartBlock(id) => timer::start_block(w, id, now),
        Command::PauseTimer => timer::pause_timer(w, now),
        Command::ResumeTimer => timer::resume_timer(w, now),
        Command::AdjustTimer { delta_min } => timer::adjust_timer(w, delta_min),
        Command::NextBlock => timer::next_block(w, now),
        Command::PreviousBlock => timer::previous_block(w, now),
        Command::FinishWorkshop => timer::finish_workshop(w, now),
        Command::AddGroup { name, colour } => groups::add_group(w, name, colour),
        Command::RenameGroup { id, name } => groups::rename_group(w, id, name),
        Command::RecolourGroup { id, colour } => groups::recolour_group(w, id, colour),
        Command::MoveGroup { id, place } => groups::move_group(w, id, place),
        Command::DeleteGroup(id) => groups::delete_group(w, id),
        Command::SetBoardOpen { board, open } => board::set_board_open(board, open),
        Command::SetHideUntilReveal { board, hide } => board::set_hide_until_reveal(board, hide),
        Command::Reveal { board } => board::reveal(board),
        Command::OpenVoting {
            board,
            budget,
            allow_multiple,
        } => board::open_voting(board, budget, allow_multiple),
        Command::CloseVoting { board } => board::close_voting(w, board),
        Command::AddNote {
            board,
            group,
            category,
            text,
            colour,
        } => notes::add_note(w, board, group, category, text, colour),
        Command::EditNote { id, text } => notes::edit_note(w, id, text),
        Command::SetNoteCategory { id, category } => notes::set_note_category(w, id, category),
        Command::RecolourNote { id, colour } => notes::recolour_note(w, id, colour),
        Command::MoveNote { id, group, place } => notes::move_note(w, id, group, place),
        Command::HideNote { id, hidden } => notes::hide_note(w, id, hidden),
        Command::DeleteNote(id) => notes::delete_note(w, id),
        Command::RestoreNote(id) => notes::restore_note(w, id),
        Command::StackNote { id, onto } => notes::stack_note(w, id, onto),
        Command::Unstack(id) => notes::unstack(w, id),
        Command::SetClusterTitle { id, title } => notes::set_cluster_title(w, id, title),
        Command::CastVote { note } => board::cast_vote(w, note, ctx),
        Command::RemoveVote { note } => board::remove_vote(w, note, ctx),
        Command::SetBearPhase(phase) => bears::set_bear_phase(w, phase),
        Command::SetBearsAnonymous(a) => bears::set_bears_anonymous(a),
        Command::Spotlight(id) => bears::spotlight(w, id),
        Command::ShootBear { id, answer } => bears::shoot_bear(w, id, answer),
        Command::TameBear {
            id,
            action,
            owner,
            due,
        } => bears::tame_bear(w, id, action, owner, due),
        Command::ParkBear(id) => bears::park_bear(w, id),
        Command::ReopenBear(id) => bears::reopen_bear(w, id),
        Command::AddAgreement {
            list,
            text,
            owner,
            due,
        } => outcomes::add_agreement(w, list, text, owner, due),
        Command::EditAgreement { id, edit } => outcomes::edit_agreement(w, id, edit),
        Command::ToggleAgreementDone(id) => outcomes::toggle_agreement_done(w, id),
        Command::MoveAgreement { id, list, place } => outcomes::move_agreement(w, id, list, place),
        Command::DeleteAgreement(id) => outcomes::delete_agreement(w, id),
        Command::RestoreAgreement(id) => outcomes::restore_agreement(w, id),
        Command::AddPlan { name, source_note } => outcomes::add_plan(w, name, source_note),
        Command::EditPlan { id, edit } => outcomes::edit_plan(w, id, edit),
        Command::DeletePlan(id) => outcomes::delete_plan(w, id),
        Command::Join { name, group } => participants::join(w, name, group),
        Command::Rename { name } => participants::rename(w, name, me),
        Command::SetGroup { group } => participants::set_group(w, group, me),
        Command::RenameParticipant { id, name } => participants::rename_participant(w, id, name),
        Command::SetParticipantGroup { id, group } => {
            participants::set_participant_group(w, id, group)
        }
        Command::SetParticipantRole { id, role } => participants::set_participant_role(w, id, role),
    }
}

pub(super) fn one(b: OpBody) -> DomainResult<Vec<OpBody>> {
    Ok(vec![b])
}

pub(super) fn block_op(id: &BlockId, field: BlockField) -> OpBody {
    OpBody::SetBlock {
        id: id.clone(),
        field,
    }
}

pub(super) fn note_op(id: &NoteId, field: NoteField) -> OpBody {
    OpBody::SetNote {
        id: id.clone(),
        field,
    }
}

/// An order key for `place` in a list sorted by `(key, id)`, leaving out `moving`.
/// `None` when the `After` anchor is not in the list.
pub(super) fn order_for<K: PartialEq>(
    list: &[(&K, &str)],
    place: &Place<K>,
    moving: Option<&K>,
) -> Option<String> {
    let list: Vec<&(&K, &str)> = list.iter().filter(|(k, _)| Some(*k) != moving).collect();
    match place {
        Place::Start => Some(fractional_index::between(
            None,
            list.first().map(|(_, o)| *o),
        )),
        Place::End => Some(fractional_index::between(
            list.last().map(|(_, o)| *o),
            None,
        )),
        Place::After(anchor) => {
            let i = list.iter().position(|(k, _)| *k == anchor)?;
            Some(fractional_index::between(
                Some(list[i].1),
                list.get(i + 1).map(|(_, o)| *o),
            ))
        }
    }
}

pub(super) fn live_block<'a>(w: &'a Workshop, id: &BlockId) -> DomainResult<&'a Block> {
    w.block(id).ok_or(DomainError::UnknownBlock)
}

pub(super) fn live_note<'a>(w: &'a Workshop, id: &NoteId) -> DomainResult<&'a Note> {
    w.note(id).ok_or(DomainError::UnknownNote)
}

pub(super) fn group_ref(w: &Workshop, g: &Option<GroupId>) -> DomainResult<Option<GroupId>> {
    match g {
        Some(id) if w.group(id).is_none() => Err(DomainError::UnknownGroup),
        _ => Ok(g.clone()),
    }
}
