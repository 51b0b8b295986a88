//! Board settings (open, hidden until revealed) and voting rounds.

use super::{live_note, one};
use crate::command::DecideCtx;
use crate::error::{DomainError, DomainResult};
use crate::ids::{NoteId, ParticipantId};
use crate::model::{BoardKind, Voting, Workshop};
use crate::op::{BoardField, OpBody};
use crate::pseudonym::{Principal, writer_of};
use crate::validate as v;

pub(super) fn set_board_open(board: &BoardKind, open: &bool) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetBoard {
        board: *board,
        field: BoardField::Open(*open),
    })
}

pub(super) fn set_hide_until_reveal(board: &BoardKind, hide: &bool) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetBoard {
        board: *board,
        field: BoardField::HideUntilRevealed(*hide),
    })
}

pub(super) fn reveal(board: &BoardKind) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetBoard {
        board: *board,
        field: BoardField::Revealed(true),
    })
}

pub(super) fn open_voting(
    board: &BoardKind,
    budget: &u32,
    allow_multiple: &bool,
) -> DomainResult<Vec<OpBody>> {
    one(OpBody::OpenVoting {
        board: *board,
        budget: v::budget(*budget)?,
        allow_multiple: *allow_multiple,
    })
}

pub(super) fn close_voting(w: &Workshop, board: &BoardKind) -> DomainResult<Vec<OpBody>> {
    let round = w.board(*board).voting.round.clone();
    one(OpBody::SetBoard {
        board: *board,
        field: BoardField::Voting(Voting { open: false, round }),
    })
}

pub(super) fn cast_vote(w: &Workshop, note: &NoteId, ctx: &DecideCtx) -> DomainResult<Vec<OpBody>> {
    let n = live_note(w, note)?;
    let (round_id, round) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
    let principal = ctx.principal();
    let used: u32 = principal
        .actors()
        .map(|a| w.votes_used(round_id, &ParticipantId::of(a)))
        .sum();
    if used >= round.budget {
        return Err(DomainError::VoteBudgetExhausted {
            budget: round.budget,
        });
    }
    let voter = ballot_writer(w, round_id, note, &principal);
    let current = current_votes(w, round_id, &voter, note);
    if !round.allow_multiple && current >= 1 {
        return Err(DomainError::OneVotePerNote);
    }
    one(OpBody::SetVote {
        round: round_id.clone(),
        note: note.clone(),
        count: current + 1,
    })
}

pub(super) fn remove_vote(
    w: &Workshop,
    note: &NoteId,
    ctx: &DecideCtx,
) -> DomainResult<Vec<OpBody>> {
    let n = live_note(w, note)?;
    let (round_id, _) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
    let voter = ballot_writer(w, round_id, note, &ctx.principal());
    let current = current_votes(w, round_id, &voter, note);
    if current == 0 {
        return Err(DomainError::NoVoteToRemove);
    }
    one(OpBody::SetVote {
        round: round_id.clone(),
        note: note.clone(),
        count: current - 1,
    })
}

/// The participant whose ballot on `note` a vote command changes: the actor the ballot op
/// will be written under ([`writer_of`]).
fn ballot_writer(
    w: &Workshop,
    round: &crate::ids::RoundId,
    note: &NoteId,
    principal: &Principal,
) -> ParticipantId {
    let ballot = OpBody::SetVote {
        round: round.clone(),
        note: note.clone(),
        count: 0,
    };
    ParticipantId::of(writer_of(w, &ballot, principal))
}

fn current_votes(
    w: &Workshop,
    round: &crate::ids::RoundId,
    who: &ParticipantId,
    note: &NoteId,
) -> u32 {
    w.votes
        .get(round)
        .and_then(|r| r.get(who))
        .and_then(|m| m.get(note))
        .map_or(0, |c| **c)
}
