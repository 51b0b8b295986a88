//! The brainstorm board's notes in board order, kept between changes.

use std::collections::HashMap;

use bijeen_core::{BoardKind, Note, NoteId, Workshop};

/// The live notes of the brainstorm board in board order (`Workshop::notes_in_order`),
/// kept up to date instead of sorted anew on every change: sorting a thousand notes by
/// their order keys was the largest part of laying out the board after each new note.
/// An update checks every note's key (a lookup and a comparison) and moves only the notes
/// that are new, gone or moved.
#[derive(Debug, Default)]
pub struct BoardOrder {
    /// `(order key, note)`, sorted as `notes_in_order` sorts: by key, ties by id.
    sorted: Vec<(String, NoteId)>,
    /// Each listed note's key, to find the notes that moved.
    keys: HashMap<NoteId, String>,
}

/// Above this many new or moved notes, sorting all beats inserting each.
const BULK: usize = 32;

/// The order `notes_in_order` sorts by: the order key, ties by id. Written out because the
/// tuple's own comparison goes through `partial_cmp` field by field, which is slow in the
/// browser build, and a board of a thousand is sorted when it opens.
fn by_key_then_id(a: &(String, NoteId), b: &(String, NoteId)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1))
}

fn on_board(note: &Note) -> bool {
    note.is_live() && note.board == BoardKind::Brainstorm
}

impl BoardOrder {
    /// Brings the order up to date with `w`.
    pub fn update(&mut self, w: &Workshop) {
        let mut moved: Vec<(&NoteId, &str)> = Vec::new();
        let mut live = 0;
        for (id, note) in w.notes.iter().filter(|(_, n)| on_board(n)) {
            live += 1;
            if self.keys.get(id).map(String::as_str) != Some(note.order.value.as_str()) {
                moved.push((id, &note.order.value));
            }
        }
        let listed_and_live = live
            - moved
                .iter()
                .filter(|(id, _)| !self.keys.contains_key(*id))
                .count();
        // Notes that left the board (deleted, or never were on it): only looked for when
        // the counts say there are some.
        if self.keys.len() > listed_and_live {
            let gone: Vec<NoteId> = self
                .keys
                .keys()
                .filter(|id| !w.notes.get(*id).is_some_and(on_board))
                .cloned()
                .collect();
            for id in gone {
                self.remove(&id);
            }
        }
        // A first fill (or a board re-ordered at once) is sorted in one go; a few new or
        // moved notes are put in their place.
        if moved.len() > BULK {
            let moved: HashMap<&NoteId, &str> = moved.into_iter().collect();
            self.sorted.retain(|(_, id)| !moved.contains_key(id));
            for (id, key) in moved {
                self.sorted.push((key.to_owned(), id.clone()));
                self.keys.insert(id.clone(), key.to_owned());
            }
            self.sorted.sort_unstable_by(by_key_then_id);
            return;
        }
        for (id, key) in moved {
            self.remove(id);
            let entry = (key.to_owned(), id.clone());
            let at = self
                .sorted
                .partition_point(|probe| by_key_then_id(probe, &entry).is_lt());
            self.sorted.insert(at, entry);
            self.keys.insert(id.clone(), key.to_owned());
        }
    }

    fn remove(&mut self, id: &NoteId) {
        let Some(key) = self.keys.remove(id) else {
            return;
        };
        let entry = (key, id.clone());
        if let Ok(at) = self
            .sorted
            .binary_search_by(|probe| by_key_then_id(probe, &entry))
        {
            self.sorted.remove(at);
        }
    }

    /// The notes in board order.
    pub fn notes(&self) -> impl Iterator<Item = &NoteId> {
        self.sorted.iter().map(|(_, id)| id)
    }
}
