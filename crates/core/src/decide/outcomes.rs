//! Outcomes: agreements, open ends, follow-up actions and community plans.

use super::{live_note, one, order_for};
use crate::command::{AgreementEdit, Place, PlanEdit};
use crate::error::{DomainError, DomainResult, Field};
use crate::fractional_index;
use crate::ids::{AgreementId, NoteId, PlanId};
use crate::model::{AgreementList, Workshop};
use crate::op::{AgreementField, OpBody, PlanField};
use crate::validate::{self as v, NAME_MAX, NOTE_MAX, SHORT_MAX, TITLE_MAX};

pub(super) fn add_agreement(
    w: &Workshop,
    list: &AgreementList,
    text: &str,
    owner: &str,
    due: &Option<String>,
) -> DomainResult<Vec<OpBody>> {
    let order = fractional_index::between(
        w.agreements_in_order(*list)
            .last()
            .map(|(_, a)| a.order.as_str()),
        None,
    );
    one(OpBody::CreateAgreement {
        list: *list,
        text: v::required(text, NOTE_MAX, Field::AgreementText)?,
        owner: v::optional(owner, NAME_MAX)?,
        due: v::optional_date(due.as_deref())?,
        order,
        bear: None,
    })
}

pub(super) fn edit_agreement(
    w: &Workshop,
    id: &AgreementId,
    edit: &AgreementEdit,
) -> DomainResult<Vec<OpBody>> {
    w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
    let field = match edit {
        AgreementEdit::Text(t) => {
            AgreementField::Text(v::required(t, NOTE_MAX, Field::AgreementText)?)
        }
        AgreementEdit::Owner(t) => AgreementField::Owner(v::optional(t, NAME_MAX)?),
        AgreementEdit::Due(d) => AgreementField::Due(v::optional_date(d.as_deref())?),
    };
    one(OpBody::SetAgreement {
        id: id.clone(),
        field,
    })
}

pub(super) fn toggle_agreement_done(w: &Workshop, id: &AgreementId) -> DomainResult<Vec<OpBody>> {
    let a = w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
    one(OpBody::SetAgreement {
        id: id.clone(),
        field: AgreementField::Done(!*a.done),
    })
}

pub(super) fn move_agreement(
    w: &Workshop,
    id: &AgreementId,
    list: &AgreementList,
    place: &Place<AgreementId>,
) -> DomainResult<Vec<OpBody>> {
    let a = w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
    let items: Vec<(&AgreementId, &str)> = w
        .agreements_in_order(*list)
        .into_iter()
        .map(|(id, a)| (id, a.order.as_str()))
        .collect();
    let order = order_for(&items, place, Some(id)).ok_or(DomainError::UnknownAgreement)?;
    let mut ops = Vec::new();
    if *a.list != *list {
        ops.push(OpBody::SetAgreement {
            id: id.clone(),
            field: AgreementField::List(*list),
        });
    }
    ops.push(OpBody::SetAgreement {
        id: id.clone(),
        field: AgreementField::Order(order),
    });
    Ok(ops)
}

pub(super) fn delete_agreement(w: &Workshop, id: &AgreementId) -> DomainResult<Vec<OpBody>> {
    w.agreement(id).ok_or(DomainError::UnknownAgreement)?;
    one(OpBody::SetAgreement {
        id: id.clone(),
        field: AgreementField::Deleted(true),
    })
}

pub(super) fn restore_agreement(w: &Workshop, id: &AgreementId) -> DomainResult<Vec<OpBody>> {
    match w.agreements.get(id) {
        Some(a) if a.created && *a.deleted => one(OpBody::SetAgreement {
            id: id.clone(),
            field: AgreementField::Deleted(false),
        }),
        Some(a) if a.created => Err(DomainError::NotDeleted),
        _ => Err(DomainError::UnknownAgreement),
    }
}

pub(super) fn add_plan(
    w: &Workshop,
    name: &str,
    source_note: &Option<NoteId>,
) -> DomainResult<Vec<OpBody>> {
    if let Some(n) = source_note {
        live_note(w, n)?;
    }
    one(OpBody::CreatePlan {
        name: v::required(name, TITLE_MAX, Field::PlanName)?,
        source_note: source_note.clone(),
    })
}

pub(super) fn edit_plan(w: &Workshop, id: &PlanId, edit: &PlanEdit) -> DomainResult<Vec<OpBody>> {
    w.plan(id).ok_or(DomainError::UnknownPlan)?;
    let field = match edit {
        PlanEdit::Name(t) => PlanField::Name(v::required(t, TITLE_MAX, Field::PlanName)?),
        PlanEdit::Partners(l) => PlanField::Partners(v::list(l, SHORT_MAX)?),
        PlanEdit::Bouwer(t) => PlanField::Bouwer(v::optional(t, NAME_MAX)?),
        PlanEdit::Verbinder(t) => PlanField::Verbinder(v::optional(t, NAME_MAX)?),
        PlanEdit::Aanjager(t) => PlanField::Aanjager(v::optional(t, NAME_MAX)?),
        PlanEdit::Colleagues(l) => PlanField::Colleagues(v::list(l, NAME_MAX)?),
        PlanEdit::TargetMembers(n) => PlanField::TargetMembers(v::number(*n, v::TARGET_MAX)?),
        PlanEdit::TargetActivities(n) => PlanField::TargetActivities(v::number(*n, v::TARGET_MAX)?),
        PlanEdit::TargetDate(d) => PlanField::TargetDate(v::optional_date(d.as_deref())?),
        PlanEdit::StartPhaseMonths(n) => PlanField::StartPhaseMonths(v::number(*n, v::MONTHS_MAX)?),
    };
    one(OpBody::SetPlan {
        id: id.clone(),
        field,
    })
}

pub(super) fn delete_plan(w: &Workshop, id: &PlanId) -> DomainResult<Vec<OpBody>> {
    w.plan(id).ok_or(DomainError::UnknownPlan)?;
    one(OpBody::SetPlan {
        id: id.clone(),
        field: PlanField::Deleted(true),
    })
}
