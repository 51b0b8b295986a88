//! A view travels as patches: the head whole when it changed, and only the notes and bears
//! that changed, so a phone in a room of a thousand notes is not sent its group's notes
//! again for every vote.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{BearView, Head, NoteView, PhoneView};

/// An item of a list that has an id.
pub trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for NoteView {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for BearView {
    fn key(&self) -> &str {
        &self.id
    }
}

/// How to get from one view to the next. Applied to the view it was computed from, it
/// gives the next one exactly ([`PhoneView::apply`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Head>,
    #[serde(default, skip_serializing_if = "ListPatch::is_empty")]
    pub notes: ListPatch<NoteView>,
    #[serde(default, skip_serializing_if = "ListPatch::is_empty")]
    pub bears: ListPatch<BearView>,
}

/// Changes to one list: items new or changed, ids gone, and the whole order when it is not
/// the old order with the gone ones left out and the new ones at the end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPatch<T> {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<T>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gone: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
}

impl<T> Default for ListPatch<T> {
    fn default() -> Self {
        Self {
            set: Vec::new(),
            gone: Vec::new(),
            order: None,
        }
    }
}

impl<T: Keyed + Clone + PartialEq> ListPatch<T> {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.gone.is_empty() && self.order.is_none()
    }

    fn between(old: &[T], new: &[T]) -> Self {
        // The relay runs this for every phone after every change: nothing is cloned but
        // what is sent.
        let old_by_id: HashMap<&str, &T> = old.iter().map(|t| (t.key(), t)).collect();
        let new_ids: HashSet<&str> = new.iter().map(Keyed::key).collect();
        let set: Vec<T> = new
            .iter()
            .filter(|t| old_by_id.get(t.key()) != Some(t))
            .cloned()
            .collect();
        let gone: Vec<String> = old
            .iter()
            .map(Keyed::key)
            .filter(|id| !new_ids.contains(id))
            .map(str::to_owned)
            .collect();
        // The order `apply_to` gives without an order: the old items that stay, then the
        // new ones as set.
        let kept = old.iter().map(Keyed::key).filter(|id| new_ids.contains(id));
        let added = set
            .iter()
            .map(Keyed::key)
            .filter(|id| !old_by_id.contains_key(id));
        let order = kept
            .chain(added)
            .ne(new.iter().map(Keyed::key))
            .then(|| new.iter().map(|t| t.key().to_owned()).collect());
        Self { set, gone, order }
    }

    fn apply_to(&self, list: &mut Vec<T>) {
        // Few are gone at a time; many may be set (a phone's first view of its group).
        list.retain(|t| !self.gone.iter().any(|g| g == t.key()));
        if !self.set.is_empty() {
            // Where each set item is now, found through one index of the list's ids (a
            // phone applies a patch for every vote in the room; its list may be hundreds).
            let slots: Vec<Option<usize>> = {
                let at: HashMap<&str, usize> =
                    list.iter().enumerate().map(|(i, t)| (t.key(), i)).collect();
                self.set
                    .iter()
                    .map(|item| at.get(item.key()).copied())
                    .collect()
            };
            for (item, slot) in self.set.iter().zip(slots) {
                match slot {
                    Some(i) => list[i] = item.clone(),
                    None => list.push(item.clone()),
                }
            }
        }
        if let Some(order) = &self.order {
            let mut by_id: HashMap<String, T> =
                list.drain(..).map(|t| (t.key().to_owned(), t)).collect();
            list.extend(order.iter().filter_map(|id| by_id.remove(id)));
        }
    }
}

impl ViewPatch {
    /// What turns `old` into `new`; `None` when they are the same.
    pub fn between(old: &PhoneView, new: &PhoneView) -> Option<ViewPatch> {
        let patch = ViewPatch {
            head: (old.head != new.head).then(|| new.head.clone()),
            notes: ListPatch::between(&old.notes, &new.notes),
            bears: ListPatch::between(&old.bears, &new.bears),
        };
        (patch.head.is_some() || !patch.notes.is_empty() || !patch.bears.is_empty())
            .then_some(patch)
    }

    /// The whole view, for a phone that has nothing yet.
    pub fn whole(view: &PhoneView) -> ViewPatch {
        Self::between(&PhoneView::default(), view).unwrap_or_else(|| ViewPatch {
            head: Some(view.head.clone()),
            ..ViewPatch::default()
        })
    }
}

impl PhoneView {
    pub fn apply(&mut self, patch: ViewPatch) {
        if let Some(head) = patch.head {
            self.head = head;
        }
        patch.notes.apply_to(&mut self.notes);
        patch.bears.apply_to(&mut self.bears);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, text: &str) -> NoteView {
        NoteView {
            id: id.into(),
            text: text.into(),
            ..NoteView::default()
        }
    }

    fn view(notes: &[(&str, &str)]) -> PhoneView {
        PhoneView {
            notes: notes.iter().map(|(id, t)| note(id, t)).collect(),
            ..PhoneView::default()
        }
    }

    fn roundtrip(old: &PhoneView, new: &PhoneView) -> Option<ViewPatch> {
        let patch = ViewPatch::between(old, new);
        let mut got = old.clone();
        if let Some(p) = patch.clone() {
            let json = serde_json::to_string(&p).expect("json");
            got.apply(serde_json::from_str(&json).expect("read back"));
        }
        assert_eq!(&got, new);
        patch
    }

    #[test]
    fn the_same_view_needs_no_patch() {
        let v = view(&[("a-1", "x"), ("a-2", "y")]);
        assert_eq!(roundtrip(&v, &v), None);
    }

    #[test]
    fn a_changed_note_travels_alone() {
        let old = view(&[("a-1", "x"), ("a-2", "y"), ("a-3", "z")]);
        let new = view(&[("a-1", "x"), ("a-2", "Y"), ("a-3", "z")]);
        let patch = roundtrip(&old, &new).expect("a patch");
        assert_eq!(patch.head, None);
        assert_eq!(patch.notes.set, vec![note("a-2", "Y")]);
        assert!(patch.notes.gone.is_empty());
        assert_eq!(patch.notes.order, None, "the order did not change");
    }

    #[test]
    fn added_removed_and_reordered_notes_arrive_in_the_new_order() {
        let old = view(&[("a-1", "x"), ("a-2", "y"), ("a-3", "z")]);
        let appended = view(&[("a-1", "x"), ("a-3", "z"), ("a-4", "w")]);
        let patch = roundtrip(&old, &appended).expect("a patch");
        assert_eq!(patch.notes.gone, vec!["a-2".to_owned()]);
        assert_eq!(
            patch.notes.order, None,
            "a new note at the end needs no order"
        );
        let sorted = view(&[("a-3", "z"), ("a-4", "w"), ("a-1", "x")]);
        let patch = roundtrip(&appended, &sorted).expect("a patch");
        assert!(patch.notes.set.is_empty());
        assert!(patch.notes.order.is_some());
        roundtrip(&PhoneView::default(), &sorted);
        roundtrip(&sorted, &PhoneView::default());
    }

    #[test]
    fn a_whole_view_rebuilds_from_nothing() {
        let mut v = view(&[("a-1", "x")]);
        v.head.title = "Werken in netwerken".into();
        let mut got = PhoneView::default();
        got.apply(ViewPatch::whole(&v));
        assert_eq!(got, v);
        let mut got = PhoneView::default();
        got.apply(ViewPatch::whole(&PhoneView::default()));
        assert_eq!(got, PhoneView::default());
    }

    /// Any two lists of notes (ids unique in each, in any order, texts changed or not):
    /// the patch turns the one into the other.
    fn notes_strategy() -> impl proptest::strategy::Strategy<Value = Vec<(u8, u8)>> {
        use proptest::prelude::*;
        proptest::collection::btree_map(0u8..12, 0u8..3, 0..10)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>())
            .prop_shuffle()
    }

    fn view_of(notes: &[(u8, u8)]) -> PhoneView {
        PhoneView {
            notes: notes
                .iter()
                .map(|(id, t)| note(&format!("a-{id}"), &format!("t{t}")))
                .collect(),
            ..PhoneView::default()
        }
    }

    proptest::proptest! {
        #[test]
        fn any_view_patches_into_any_other(old in notes_strategy(), new in notes_strategy()) {
            roundtrip(&view_of(&old), &view_of(&new));
        }
    }
}
