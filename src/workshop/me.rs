//! Who this window is in the workshop on screen.

use bijeen_core::ParticipantId;
use leptos::prelude::*;

/// Who this window is: its participant id is its actor id (one per browser tab), and on
/// an anonymous bear wall its bears are written under its pseudonym.
#[derive(Clone, Copy)]
pub struct Me(
    pub Memo<Option<ParticipantId>>,
    pub Memo<Option<ParticipantId>>,
);

impl Me {
    pub fn id(&self) -> Option<ParticipantId> {
        self.0.get()
    }

    /// Every id this participant writes under: their own, then their pseudonym (tracked).
    pub fn ids(&self) -> Vec<ParticipantId> {
        self.0.get().into_iter().chain(self.1.get()).collect()
    }

    /// [`Me::ids`], untracked (for a workshop listener).
    pub fn ids_untracked(&self) -> Vec<ParticipantId> {
        self.0
            .get_untracked()
            .into_iter()
            .chain(self.1.get_untracked())
            .collect()
    }

    /// Whether `author` (of a note) is this participant, under either id (tracked).
    pub fn wrote(&self, author: &ParticipantId) -> bool {
        self.0.with(|me| me.as_ref() == Some(author)) || self.1.with(|p| p.as_ref() == Some(author))
    }
}
