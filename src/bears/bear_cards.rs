//! Every bear card of a wall reads its bear from a signal of its own that a workshop
//! listener sets only when that bear (or its cluster) changed (`Replica::select`): the
//! idiom of every card list, never a memo over the whole workshop. A wall holds tens of
//! bears, so each listener looks its bear up; the brainstorm's thousand notes share one
//! keyed store instead (`BoardNotes`).

use std::sync::Arc;

use bijeen_core::NoteId;
use leptos::prelude::*;

use crate::bears::{BearSnapshot, snapshot};
use crate::workshop::me::Me;
use crate::workshop::session::WorkshopSession;

#[derive(Clone, Copy)]
pub struct BearCards {
    session: WorkshopSession,
    viewer: Option<Me>,
}

impl BearCards {
    /// The bears of `session`'s wall as `viewer` sees them (their dots included); the
    /// projector and the console pass no viewer.
    pub fn new(session: WorkshopSession, viewer: Option<Me>) -> Self {
        Self { session, viewer }
    }

    /// One bear's card, woken only when that bear (or its cluster) changes.
    pub fn card(&self, id: &NoteId) -> Signal<Option<Arc<BearSnapshot>>> {
        let id = id.clone();
        let viewer = self.viewer;
        self.session.select(None, move |w| {
            let me = viewer.map(|me| me.ids_untracked()).unwrap_or_default();
            snapshot(w, &id, &me).map(Arc::new)
        })
    }
}
