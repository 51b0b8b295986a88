//! This window's replica of the workshop: a signal holding the core's `Doc`, plus change
//! listeners told after every change, in the same task.
//!
//! Why listeners next to the signal: Leptos marks every node downstream of a changed
//! signal "check", through memos, however few of them end up changed. A thousand cards
//! reading memos of the workshop were all woken by each new note (most of a big board's
//! time per note). A value that many components read is therefore kept in a signal of its
//! own that a listener sets only when the value really changed (see
//! [`Replica::select`]): readers of the value are woken only then. Listeners are plain
//! callbacks run by the code that changed the replica, never by an effect, so there is no
//! loop to guard against.
//!
//! Listeners are also told what a change [`Touched`]: a board of a thousand notes then
//! redoes only the cards of the notes an op could have changed (a timer tick, none).

use std::cell::RefCell;
use std::rc::Rc;

use bijeen_core::{Doc, Workshop};
use leptos::prelude::*;

pub use crate::logic::touched::Touched;

type Listener = Rc<dyn Fn(&Workshop, &Touched)>;

#[derive(Default)]
struct Listeners {
    next: u64,
    all: Vec<(u64, Listener)>,
}

/// The replica and who to tell when it changed. `Copy`: both live in the reactive arena
/// and are dropped with the session's owner.
#[derive(Clone, Copy)]
pub struct Replica {
    doc: RwSignal<Option<Doc>>,
    listeners: StoredValue<Rc<RefCell<Listeners>>, LocalStorage>,
}

impl Replica {
    pub fn new() -> Self {
        Self {
            doc: RwSignal::new(None),
            listeners: StoredValue::new_local(Rc::default()),
        }
    }

    /// Changes the replica; `change` returns what it touched. Only when it touched
    /// something are readers and listeners woken: an op that arrives twice (from another
    /// window, then from the relay) costs no redraw and no save.
    pub fn update(&self, change: impl FnOnce(&mut Option<Doc>) -> Touched) {
        let mut touched = Touched::Nothing;
        self.doc.maybe_update(|doc| {
            touched = change(doc);
            !touched.is_nothing()
        });
        if !touched.is_nothing() {
            self.notify(&touched);
        }
    }

    /// Replaces the replica (a first load, a window that had none yet).
    pub fn set(&self, doc: Option<Doc>) {
        self.doc.set(doc);
        self.notify(&Touched::Everything);
    }

    /// Reads the replica, tracked (for memos and views).
    pub fn with<R>(&self, read: impl FnOnce(&Option<Doc>) -> R) -> R {
        self.doc.with(read)
    }

    pub fn with_untracked<R>(&self, read: impl FnOnce(&Option<Doc>) -> R) -> R {
        self.doc.with_untracked(read)
    }

    fn notify(&self, touched: &Touched) {
        let Some(listeners) = self.listeners.try_get_value() else {
            return;
        };
        // Cloned out first: a listener may add or remove listeners (a card mounting).
        let all: Vec<Listener> = listeners
            .borrow()
            .all
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        self.doc.with_untracked(|doc| {
            if let Some(doc) = doc {
                for listener in &all {
                    listener(doc.workshop(), touched);
                }
            }
        });
    }

    /// Calls `listener` after every change, until the current owner (the component that
    /// asked) is cleaned up.
    pub fn listen(&self, listener: impl Fn(&Workshop) + 'static) {
        self.listen_touched(move |w, _| listener(w));
    }

    /// [`Replica::listen`], also told what the change touched, for listeners that redo
    /// only that (see [`Touched`]).
    pub fn listen_touched(&self, listener: impl Fn(&Workshop, &Touched) + 'static) {
        let Some(listeners) = self.listeners.try_get_value() else {
            return;
        };
        let id = {
            let mut l = listeners.borrow_mut();
            l.next += 1;
            let id = l.next;
            l.all.push((id, Rc::new(listener)));
            id
        };
        let store = self.listeners;
        on_cleanup(move || {
            if let Some(listeners) = store.try_get_value() {
                listeners.borrow_mut().all.retain(|(i, _)| *i != id);
            }
        });
    }

    /// A value read from the workshop, as a signal that changes only when the value does.
    /// Like a `Memo`, but its readers are not woken by workshop changes that leave the
    /// value alone (see the module docs). `fallback` while there is no workshop.
    pub fn select<T>(&self, fallback: T, read: impl Fn(&Workshop) -> T + 'static) -> Signal<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let initial = self.doc.with_untracked(|doc| {
            doc.as_ref()
                .map_or_else(|| fallback.clone(), |doc| read(doc.workshop()))
        });
        let value = RwSignal::new(initial);
        self.listen(move |w| {
            let next = read(w);
            if value.with_untracked(|current| *current != next) {
                value.set(next);
            }
        });
        value.into()
    }
}

impl Default for Replica {
    fn default() -> Self {
        Self::new()
    }
}
