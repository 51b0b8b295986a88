//! Anonymous bears, anonymous in the log itself.
//!
//! A bear's author is the actor of the op that created it, and a participant's actor is
//! tied to their name by their `Join` op. So while the bear wall is anonymous, a participant
//! writes bears (and votes on them) under a second actor, their **pseudonym**, that never
//! joins and does nothing else. The relay derives the pseudonym from the participant's own
//! secret, tells it only to that participant, accepts its ops only on that participant's
//! connections and stores no link between the two: nobody reading the room's log, the
//! frames on the wire or an export (the facilitator included) can tie a bear to a name.
//!
//! What remains is timing: a device's ops carry its clock, so someone watching every frame
//! could guess that a bear and a note that arrived in the same instant came from one device.

use crate::ids::{ActorId, ParticipantId};
use crate::model::BoardKind;
use crate::model::Workshop;
use crate::op::OpBody;

/// The actors one person writes under: their own, and (once the relay has named it) their
/// bear pseudonym.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub actor: ActorId,
    pub pseudonym: Option<ActorId>,
}

impl Principal {
    /// Someone without a pseudonym (a facilitator window, or a participant the relay has
    /// not named one for yet).
    pub fn single(actor: ActorId) -> Self {
        Self {
            actor,
            pseudonym: None,
        }
    }

    /// Every actor of this person.
    pub fn actors(&self) -> impl Iterator<Item = &ActorId> {
        std::iter::once(&self.actor).chain(self.pseudonym.as_ref())
    }

    /// Whether `actor` is one of this person's actors.
    pub fn is(&self, actor: &ActorId) -> bool {
        *actor == self.actor || self.pseudonym.as_ref() == Some(actor)
    }

    /// Whether `author` (a note's author) is this person.
    pub fn wrote(&self, author: &ParticipantId) -> bool {
        self.actors().any(|a| a.as_str() == author.as_str())
    }
}

/// Which of `principal`'s actors writes `body`: the pseudonym for a new bear and a vote on
/// a bear while the wall is anonymous, and for an edit of a bear the pseudonym wrote (its
/// author stays its author, whatever the wall says now); their own actor for everything else.
pub fn writer_of<'a>(w: &Workshop, body: &OpBody, principal: &'a Principal) -> &'a ActorId {
    let Some(pseudonym) = &principal.pseudonym else {
        return &principal.actor;
    };
    let by_pseudonym = match body {
        OpBody::SetNote { id, .. } => w
            .notes
            .get(id)
            .is_some_and(|n| n.author.as_str() == pseudonym.as_str()),
        _ => *w.bear_wall.anonymous && is_bear_authorship(w, body),
    };
    if by_pseudonym {
        pseudonym
    } else {
        &principal.actor
    }
}

/// Whether `body` creates a bear or votes on one: what must not carry a name while the wall
/// is anonymous.
pub(crate) fn is_bear_authorship(w: &Workshop, body: &OpBody) -> bool {
    match body {
        OpBody::CreateNote { board, .. } => *board == BoardKind::Bears,
        OpBody::SetVote { note, .. } => w
            .notes
            .get(note)
            .is_some_and(|n| n.board == BoardKind::Bears),
        _ => false,
    }
}
