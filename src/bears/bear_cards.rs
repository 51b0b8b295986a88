//! Every bear of the wall as its card shows it, each behind a signal of its own: the same
//! idiom as the brainstorm's `BoardNotes`. A workshop listener redoes the wall's snapshots
//! (a wall holds tens of bears, so all of them, in one pass over its stacks) and wakes only
//! the cards whose bear changed; a card never reads the whole workshop.

use std::sync::Arc;

use bijeen_core::{NoteId, Workshop};
use leptos::prelude::*;

use crate::bears::{BOARD, BearSnapshot, snapshot_with};
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::me::Me;
use crate::workshop::session::WorkshopSession;

#[derive(Clone, Copy)]
pub struct BearCards(KeyedSignals<NoteId, Option<Arc<BearSnapshot>>>);

impl BearCards {
    /// The bears of `session`'s wall as `viewer` sees them (their dots included); the
    /// projector and the console pass no viewer.
    pub fn new(session: WorkshopSession, viewer: Option<Me>) -> Self {
        Self(KeyedSignals::follow(session, move |w: &Workshop| {
            let me = viewer.map(|me| me.ids_untracked()).unwrap_or_default();
            let stacks = w.stacks(BOARD);
            w.notes
                .iter()
                .filter(|(_, note)| note.is_live() && note.board == BOARD)
                .filter_map(|(id, _)| {
                    let stacked = stacks.get(id).map(Vec::as_slice).unwrap_or_default();
                    snapshot_with(w, id, &me, stacked).map(|s| (id.clone(), Some(Arc::new(s))))
                })
                .collect()
        }))
    }

    /// One bear's card, woken only when that bear (or its cluster) changes.
    pub fn card(&self, id: &NoteId) -> Signal<Option<Arc<BearSnapshot>>> {
        self.0.get(id)
    }
}
