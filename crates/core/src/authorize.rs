//! Who may send which op. One function for the app (to hide what a role may not do, and
//! inside `decide`) and the relay (to refuse it before it is stored or forwarded).

use crate::error::{DomainError, DomainResult};
use crate::ids::{ActorId, GroupId, NoteId, ParticipantId};
use crate::model::{BoardKind, Role, Workshop};
use crate::op::{NoteField, Op, OpBody, ParticipantField};
use crate::pseudonym::{Principal, is_bear_authorship};
use crate::validate;

/// May `role` send `op` against state `w`, the op's actor acting for itself? See
/// [`authorize_as`].
pub fn authorize(w: &Workshop, op: &Op, role: Role) -> DomainResult<()> {
    authorize_body_as(
        w,
        &op.id.actor,
        &op.body,
        role,
        &Principal::single(op.id.actor.clone()),
    )
}

/// May `role` send `op` against state `w` for `principal` (a participant's own actor and
/// their bear pseudonym)? Values are validated for every role; the facilitator may do
/// everything else. A participant may join and set their own name and group, add notes to
/// an open board (the bear wall only while collecting), edit, move and delete only their
/// own notes (bears only until the wall leaves its collect phase), and vote within the open
/// round's budget on notes they can see. While the wall is anonymous, bears are written
/// and voted on under the pseudonym only, and the pseudonym does nothing else.
pub fn authorize_as(w: &Workshop, op: &Op, role: Role, principal: &Principal) -> DomainResult<()> {
    authorize_body_as(w, &op.id.actor, &op.body, role, principal)
}

/// [`authorize`] for an op body not stamped yet.
pub fn authorize_body(
    w: &Workshop,
    actor: &ActorId,
    body: &OpBody,
    role: Role,
) -> DomainResult<()> {
    authorize_body_as(w, actor, body, role, &Principal::single(actor.clone()))
}

/// [`authorize_as`] for an op body not stamped yet, written under `actor` (used by
/// `decide`).
pub fn authorize_body_as(
    w: &Workshop,
    actor: &ActorId,
    body: &OpBody,
    role: Role,
    principal: &Principal,
) -> DomainResult<()> {
    validate::body(body)?;
    if role == Role::Facilitator {
        return Ok(());
    }
    let as_pseudonym = principal.pseudonym.as_ref() == Some(actor);
    if !as_pseudonym && *actor != principal.actor {
        return Err(DomainError::NotYourself);
    }
    // The participant the op is for: a pseudonym acts for its owner, who must have joined.
    let owner = ParticipantId::of(&principal.actor);
    let joined = || {
        w.participant(&owner)
            .map(|_| ())
            .ok_or(DomainError::NotJoined)
    };
    if as_pseudonym {
        return pseudonymous(w, actor, body, principal, joined);
    }
    if principal.pseudonym.is_some() && *w.bear_wall.anonymous && is_bear_authorship(w, body) {
        // Under one's own name this would tie the bear (or the vote) to a person.
        return Err(DomainError::BearsAreAnonymous);
    }
    let me = owner.clone();
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
        OpBody::SetNote { id, field } => note_edit(w, &me, id, field, principal),
        OpBody::SetVote { round, note, count } => {
            joined()?;
            vote(w, round, note, *count, &me, principal)
        }
        _ => Err(DomainError::NotAllowedForRole),
    }
}

/// What a pseudonym may do: write, edit and withdraw its own bears and vote on bears.
fn pseudonymous(
    w: &Workshop,
    actor: &ActorId,
    body: &OpBody,
    principal: &Principal,
    joined: impl Fn() -> DomainResult<()>,
) -> DomainResult<()> {
    let me = ParticipantId::of(actor);
    match body {
        OpBody::Refused => Ok(()),
        OpBody::CreateNote { board, .. } if *board == BoardKind::Bears => {
            joined()?;
            board_accepts(w, *board)?;
            match body {
                OpBody::CreateNote {
                    group: None,
                    category: None,
                    ..
                } => Ok(()),
                _ => Err(DomainError::NotOnBrainstormBoard),
            }
        }
        OpBody::SetNote { id, field } => {
            joined()?;
            let bear = w.notes.get(id).is_some_and(|n| n.board == BoardKind::Bears);
            if !bear {
                return Err(DomainError::NotAllowedForRole);
            }
            note_edit(w, &me, id, field, principal)
        }
        OpBody::SetVote { round, note, count } => {
            joined()?;
            if !is_bear_authorship(w, body) {
                return Err(DomainError::NotAllowedForRole);
            }
            vote(w, round, note, *count, &me, principal)
        }
        _ => Err(DomainError::NotAllowedForRole),
    }
}

/// Whether any of `principal`'s actors may see note `id`. A note they may not see is
/// "unknown" to them, whatever it is, so refusals cannot be used to probe for hidden notes.
fn sees(w: &Workshop, id: &NoteId, principal: &Principal) -> bool {
    let of = |a: &ActorId| w.visible_to(id, &ParticipantId::of(a), Role::Participant);
    of(&principal.actor) || principal.pseudonym.as_ref().is_some_and(of)
}

fn note_edit(
    w: &Workshop,
    me: &ParticipantId,
    id: &NoteId,
    field: &NoteField,
    principal: &Principal,
) -> DomainResult<()> {
    let n = w
        .notes
        .get(id)
        .filter(|n| n.created)
        .ok_or(DomainError::UnknownNote)?;
    if n.author != *me {
        return Err(if sees(w, id, principal) {
            DomainError::NotYourNote
        } else {
            DomainError::UnknownNote
        });
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

/// A ballot of `voter` (one of `principal`'s actors): the budget counts the ballots of
/// all of the principal's actors, so a pseudonym is no second budget.
fn vote(
    w: &Workshop,
    round: &crate::ids::RoundId,
    note: &NoteId,
    count: u32,
    voter: &ParticipantId,
    principal: &Principal,
) -> DomainResult<()> {
    let n = w.note(note).ok_or(DomainError::UnknownNote)?;
    if !sees(w, note, principal) {
        return Err(DomainError::UnknownNote);
    }
    let (open_id, r) = w.open_round(n.board).ok_or(DomainError::VotingClosed)?;
    if open_id != round {
        return Err(DomainError::VotingClosed);
    }
    if !r.allow_multiple && count > 1 {
        return Err(DomainError::OneVotePerNote);
    }
    let mut used: u32 = 0;
    for actor in principal.actors() {
        let who = ParticipantId::of(actor);
        used = used.saturating_add(
            w.votes_of(round, &who)
                .into_iter()
                .filter(|(id, _)| !(*id == note && who == *voter))
                .map(|(_, c)| c)
                .sum(),
        );
    }
    if used.saturating_add(count) > r.budget {
        return Err(DomainError::VoteBudgetExhausted { budget: r.budget });
    }
    Ok(())
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
