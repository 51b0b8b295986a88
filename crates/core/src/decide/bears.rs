//! The bear wall: its phases, the spotlight, and shooting, taming or parking a bear.

use super::{live_note, note_op, one};
use crate::error::{DomainError, DomainResult, Field};
use crate::fractional_index;
use crate::ids::NoteId;
use crate::model::{
    AgreementList, BearPhase, BearStatus, BoardKind, DEFAULT_VOTE_BUDGET, Voting, Workshop,
};
use crate::op::{BearWallField, BoardField, NoteField, OpBody};
use crate::validate::{self as v, NAME_MAX, NOTE_MAX};

pub(super) fn set_bear_phase(w: &Workshop, phase: &BearPhase) -> DomainResult<Vec<OpBody>> {
    let mut ops = vec![OpBody::SetBearWall(BearWallField::Phase(*phase))];
    let open = w.open_round(BoardKind::Bears).is_some();
    if *phase == BearPhase::Vote && !open {
        ops.push(OpBody::OpenVoting {
            board: BoardKind::Bears,
            budget: DEFAULT_VOTE_BUDGET,
            allow_multiple: false,
        });
    } else if *phase != BearPhase::Vote && open {
        ops.push(OpBody::SetBoard {
            board: BoardKind::Bears,
            field: BoardField::Voting(Voting {
                open: false,
                round: w.bears_board.voting.round.clone(),
            }),
        });
    }
    Ok(ops)
}

pub(super) fn set_bears_anonymous(a: &bool) -> DomainResult<Vec<OpBody>> {
    one(OpBody::SetBearWall(BearWallField::Anonymous(*a)))
}

pub(super) fn spotlight(w: &Workshop, id: &Option<NoteId>) -> DomainResult<Vec<OpBody>> {
    if let Some(id) = id {
        live_bear(w, id)?;
    }
    one(OpBody::SetBearWall(BearWallField::Spotlight(id.clone())))
}

pub(super) fn shoot_bear(w: &Workshop, id: &NoteId, answer: &str) -> DomainResult<Vec<OpBody>> {
    live_bear(w, id)?;
    Ok(vec![
        note_op(id, NoteField::BearStatus(BearStatus::Shot)),
        note_op(id, NoteField::BearAnswer(v::optional(answer, NOTE_MAX)?)),
    ])
}

pub(super) fn tame_bear(
    w: &Workshop,
    id: &NoteId,
    action: &Option<String>,
    owner: &str,
    due: &Option<String>,
) -> DomainResult<Vec<OpBody>> {
    let bear = live_bear(w, id)?;
    let text = match action.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => v::required(a, NOTE_MAX, Field::Action)?,
        _ => bear.text.value.clone(),
    };
    let order = fractional_index::between(
        w.agreements_in_order(AgreementList::FollowUp)
            .last()
            .map(|(_, a)| a.order.as_str()),
        None,
    );
    Ok(vec![
        note_op(id, NoteField::BearStatus(BearStatus::Tamed)),
        OpBody::CreateAgreement {
            list: AgreementList::FollowUp,
            text,
            owner: v::required(owner, NAME_MAX, Field::Owner)?,
            due: v::optional_date(due.as_deref())?,
            order,
            bear: Some(id.clone()),
        },
    ])
}

pub(super) fn park_bear(w: &Workshop, id: &NoteId) -> DomainResult<Vec<OpBody>> {
    live_bear(w, id)?;
    one(note_op(id, NoteField::BearStatus(BearStatus::Parked)))
}

pub(super) fn reopen_bear(w: &Workshop, id: &NoteId) -> DomainResult<Vec<OpBody>> {
    live_bear(w, id)?;
    one(note_op(id, NoteField::BearStatus(BearStatus::Open)))
}

fn live_bear<'a>(w: &'a Workshop, id: &NoteId) -> DomainResult<&'a crate::model::Note> {
    let n = live_note(w, id)?;
    if n.board != BoardKind::Bears {
        return Err(DomainError::WrongBoard);
    }
    Ok(n)
}
