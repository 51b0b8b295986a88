//! Who may send which op. One function for the app (to hide what a role may not do, and
//! inside `decide`) and the relay (to refuse it before it is stored or forwarded).

use crate::error::{DomainError, DomainResult};
use crate::ids::{ActorId, GroupId, ParticipantId};
use crate::model::{BoardKind, Role, Workshop};
use crate::op::{NoteField, Op, OpBody, ParticipantField};
use crate::validate;

/// May `role` send `op` against state `w`? Values are validated for every role; the
/// facilitator may do everything else. A participant may join and set their own name
/// and group, add notes to an open board (the bear wall only while collecting), edit,
/// move and delete only their own notes (bears only until the wall leaves its collect
/// phase), and vote within the open round's budget.
pub fn authorize(w: &Workshop, op: &Op, role: Role) -> DomainResult<()> {
    authorize_body(w, &op.id.actor, &op.body, role)
}

/// [`authorize`] for an op body not stamped yet (used by `decide`).
pub fn authorize_body(
    w: &Workshop,
    actor: &ActorId,
    body: &OpBody,
    role: Role,
) -> DomainResult<()> {
    validate::body(body)?;
    if role == Role::Facilitator {
        return Ok(());
    }
    let me = ParticipantId::of(actor);
    let joined = || w.participant(&me).map(|_| ()).ok_or(DomainError::NotJoined);
    match body {
        OpBody::Join { group, .. } => group_ok(w, group.as_ref()),
        // No effect: anyone may fill a gap in their own numbering (a participant's
        // session sends one for an op too large to send at all).
        OpBody::Refused => Ok(()),
        OpBody::SetParticipant { id, field } => {
            if *id != me {
                return Err(DomainError::NotYourself);
            }
            joined()?;
            match field {
                ParticipantField::Name(_) => Ok(()),
                ParticipantField::Group(g) => group_ok(w, g.as_ref()),
                ParticipantField::Role(_) => Err(DomainError::NotAllowedForRole),
            }
        }
        OpBody::CreateNote {
            board,
            group,
            category,
            ..
        } => {
            joined()?;
            board_accepts(w, *board)?;
            if *board == BoardKind::Bears && (group.is_some() || category.is_some()) {
                return Err(DomainError::NotOnBrainstormBoard);
            }
            group_ok(w, group.as_ref())
        }
        OpBody::SetNote { id, field } => {
            let n = w
                .notes
                .get(id)
                .filter(|n| n.created)
                .ok_or(DomainError::UnknownNote)?;
            if n.author != me {
                return Err(DomainError::NotYourNote);
            }
            if matches!(
                field,
                NoteField::Deleted(false)
                    | NoteField::StackedOn(_)
                    | NoteField::ClusterTitle(_)
                    | NoteField::Hidden(_)
                    | NoteField::BearStatus(_)
                    | NoteField::BearAnswer(_)
            ) {
                // Restoring, hiding, stacking and bear outcomes are moderation.
                return Err(DomainError::NotAllowedForRole);
            }
            if *n.deleted {
                return Err(DomainError::UnknownNote);
            }
            board_accepts(w, n.board)?;
            match field {
                NoteField::Text(_)
                | NoteField::Colour(_)
                | NoteField::Order(_)
                | NoteField::Deleted(true) => Ok(()),
                NoteField::Group(g) => {
                    if n.board != BoardKind::Brainstorm && g.is_some() {
                        return Err(DomainError::NotOnBrainstormBoard);
                    }
                    group_ok(w, g.as_ref())
                }
                NoteField::Category(c) => {
                    if n.board != BoardKind::Brainstorm && c.is_some() {
                        return Err(DomainError::NotOnBrainstormBoard);
                    }
                    Ok(())
                }
                NoteField::Deleted(false)
                | NoteField::StackedOn(_)
                | NoteField::ClusterTitle(_)
                | NoteField::Hidden(_)
                | NoteField::BearStatus(_)
                | NoteField::BearAnswer(_) => Err(DomainError::NotAllowedForRole),
            }
        }
        OpBody::SetVote { round, note, count } => {
            joined()?;
            let n = w.note(note).ok_or(DomainError::UnknownNote)?;
            let (open_id, r) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
            if open_id != round {
                return Err(DomainError::VotingClosed);
            }
            if !r.allow_multiple && *count > 1 {
                return Err(DomainError::OneVotePerNote);
            }
            let mine: u32 = w
                .votes_of(round, &me)
                .into_iter()
                .filter(|(id, _)| *id != note)
                .map(|(_, c)| c)
                .sum();
            if mine.saturating_add(*count) > r.budget {
                return Err(DomainError::VoteBudgetExhausted { budget: r.budget });
            }
            Ok(())
        }
        _ => Err(DomainError::NotAllowedForRole),
    }
}

fn board_accepts(w: &Workshop, board: BoardKind) -> DomainResult<()> {
    if w.accepts_notes(board) {
        Ok(())
    } else if board == BoardKind::Bears {
        Err(DomainError::BearWallNotCollecting)
    } else {
        Err(DomainError::BoardClosed)
    }
}

fn group_ok(w: &Workshop, g: Option<&GroupId>) -> DomainResult<()> {
    match g {
        Some(id) if w.group(id).is_none() => Err(DomainError::UnknownGroup),
        _ => Ok(()),
    }
}
