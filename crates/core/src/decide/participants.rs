//! Participants: joining, and a name, group or role for oneself or another.

use super::{group_ref, one};
use crate::error::{DomainError, DomainResult};
use crate::ids::{GroupId, ParticipantId};
use crate::model::{Role, Workshop};
use crate::op::{OpBody, ParticipantField};
use crate::validate::{self as v, NAME_MAX};

pub(super) fn join(w: &Workshop, name: &str, group: &Option<GroupId>) -> DomainResult<Vec<OpBody>> {
    one(OpBody::Join {
        name: v::optional(name, NAME_MAX)?,
        group: group_ref(w, group)?,
    })
}

pub(super) fn rename(w: &Workshop, name: &str, me: ParticipantId) -> DomainResult<Vec<OpBody>> {
    w.participant(&me).ok_or(DomainError::NotJoined)?;
    one(OpBody::SetParticipant {
        id: me,
        field: ParticipantField::Name(v::optional(name, NAME_MAX)?),
    })
}

pub(super) fn set_group(
    w: &Workshop,
    group: &Option<GroupId>,
    me: ParticipantId,
) -> DomainResult<Vec<OpBody>> {
    w.participant(&me).ok_or(DomainError::NotJoined)?;
    one(OpBody::SetParticipant {
        id: me,
        field: ParticipantField::Group(group_ref(w, group)?),
    })
}

pub(super) fn rename_participant(
    w: &Workshop,
    id: &ParticipantId,
    name: &str,
) -> DomainResult<Vec<OpBody>> {
    w.participant(id).ok_or(DomainError::UnknownParticipant)?;
    one(OpBody::SetParticipant {
        id: id.clone(),
        field: ParticipantField::Name(v::optional(name, NAME_MAX)?),
    })
}

pub(super) fn set_participant_group(
    w: &Workshop,
    id: &ParticipantId,
    group: &Option<GroupId>,
) -> DomainResult<Vec<OpBody>> {
    w.participant(id).ok_or(DomainError::UnknownParticipant)?;
    one(OpBody::SetParticipant {
        id: id.clone(),
        field: ParticipantField::Group(group_ref(w, group)?),
    })
}

pub(super) fn set_participant_role(
    w: &Workshop,
    id: &ParticipantId,
    role: &Role,
) -> DomainResult<Vec<OpBody>> {
    w.participant(id).ok_or(DomainError::UnknownParticipant)?;
    one(OpBody::SetParticipant {
        id: id.clone(),
        field: ParticipantField::Role(*role),
    })
}
