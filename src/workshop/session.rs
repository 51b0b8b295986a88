//! The workshop on screen: its replica (written only by [`ReplicaOwner`]), the role this window
//! has, and the sources that bring ops from elsewhere: the other windows of this browser
//! (a BroadcastChannel, and their saves for what the channel missed) and the relay room.
//! Effects never write this state; only locally made ops are posted, so nothing echoes.

use bijeen_core::{ActorId, Command, Doc, DomainError, Op, Role, Workshop};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::adapters::broadcast::Broadcast;
use crate::adapters::clock::now_ms;
use crate::adapters::storage::{LocalStore, StorageError, StorageWatcher};
use crate::workshop::library::{self, LoadError};
use crate::workshop::relay_link::{self, LinkStatus, RelayLink, RoomRecord};
use crate::workshop::replica::{Replica, Touched};
use crate::workshop::sync::{ReplicaOwner, Source};

const OPS_CHANNEL: &str = "bijeen.ops";
/// How long a window with a working channel waits before checking another window's save
/// for ops the channel did not bring: long enough to cover a burst, short enough that a
/// lost message still shows within a second.
const STORAGE_CHECK_DELAY_MS: u64 = 400;

/// Ops one window made, for the other windows of the browser.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct OpsMessage {
    workshop: String,
    ops: Vec<Op>,
}

/// Why the workshop cannot be shown or saved, for a plain-words banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionProblem {
    /// This browser has no workshop with this id.
    NotFound,
    Damaged(String),
    Storage(StorageError),
    /// Changes from elsewhere the core refused (two windows wrote under one actor).
    NotTakenIn(usize),
}

#[derive(Clone, Copy)]
pub struct WorkshopSession {
    id: StoredValue<String>,
    role: Role,
    doc: Replica,
    sync: ReplicaOwner,
    /// Why the workshop could not be opened (saving problems are the sync's).
    opening: RwSignal<Option<SessionProblem>>,
    /// Posts this window's ops and hears the others' (a channel never hears itself).
    channel: StoredValue<Option<Broadcast<OpsMessage>>, LocalStorage>,
    _watchers: StoredValue<Vec<StorageWatcher>, LocalStorage>,
    actor: StoredValue<ActorId>,
    /// The relay room this workshop is linked to, when it has one (local-only otherwise).
    link: StoredValue<Option<RelayLink>, LocalStorage>,
    link_status: RwSignal<Option<LinkStatus>>,
}

impl WorkshopSession {
    /// Opens workshop `id` from this browser's storage and starts following the other
    /// windows and the relay room. `role` is what this window may do.
    pub fn open(id: String, role: Role) -> Self {
        let store = LocalStore::open();
        let room = store
            .as_ref()
            .ok()
            .and_then(|store| relay_link::load_room(store, &id));
        // A participant or a phone remote keeps the actor the relay knows it by; other
        // windows write under their own window actor.
        let actor = room
            .as_ref()
            .and_then(|record| record.credential.actor().cloned())
            .unwrap_or_else(library::window_actor);
        let doc = Replica::new();
        let sync = ReplicaOwner::new(id.clone(), doc, store.clone().ok());
        let opening = RwSignal::new(None);
        match store {
            Err(error) => opening.set(Some(SessionProblem::Storage(error))),
            Ok(store) => match library::load_reporting(&store, &id, actor.clone()) {
                Ok(Some(loaded)) => sync.replace(loaded.doc, &loaded.conflicts),
                // A room this browser joined from its phone, opened on another screen of
                // it (its projector view): an empty replica, which the relay fills. The
                // phone itself keeps none.
                Ok(None) if room.is_some() => {
                    let mut fresh = bijeen_core::Doc::new(actor.clone());
                    match library::save_new(
                        &store,
                        &id,
                        &mut fresh,
                        crate::adapters::clock::now_ms(),
                    ) {
                        Ok(()) => sync.replace(fresh, &[]),
                        Err(error) => opening.set(Some(SessionProblem::Storage(error))),
                    }
                }
                Ok(None) => opening.set(Some(SessionProblem::NotFound)),
                Err(error) => opening.set(Some(problem_of(error))),
            },
        }
        let link_status = RwSignal::new(None);
        let link =
            StoredValue::new_local(room.filter(|_| doc.with_untracked(Option::is_some)).map(
                |record| RelayLink::start(id.clone(), &record, actor.clone(), sync, link_status),
            ));
        let (channel, mut watchers) = follow_other_windows(&id, sync, opening);
        watchers.extend(follow_room_of_other_windows(
            &id,
            &actor,
            sync,
            link,
            link_status,
        ));
        Self {
            id: StoredValue::new(id),
            role,
            doc,
            sync,
            opening,
            channel: StoredValue::new_local(channel),
            _watchers: StoredValue::new_local(watchers),
            actor: StoredValue::new(actor),
            link,
            link_status,
        }
    }

    pub fn id(&self) -> String {
        self.id.get_value()
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Reads the workshop (tracked): `None` while there is none to show.
    pub fn with<R>(&self, read: impl FnOnce(&Workshop) -> R) -> Option<R> {
        self.doc
            .with(|doc| doc.as_ref().map(|doc| read(doc.workshop())))
    }

    /// A value read from the workshop that wakes its readers only when it changes (see
    /// [`Replica::select`]): for values that many components read.
    pub fn select<T>(&self, fallback: T, read: impl Fn(&Workshop) -> T + 'static) -> Signal<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.doc.select(fallback, read)
    }

    /// Calls `listener` after every change of the workshop, until the calling component is
    /// cleaned up (see [`Replica::listen`]).
    pub fn listen(&self, listener: impl Fn(&Workshop) + 'static) {
        self.doc.listen(listener);
    }

    /// [`WorkshopSession::listen`], also told what the change touched (see
    /// [`Replica::listen_touched`]): for listeners that redo only that.
    pub fn listen_touched(&self, listener: impl Fn(&Workshop, &Touched) + 'static) {
        self.doc.listen_touched(listener);
    }

    /// The workshop as it is now, untracked (for a listener's first pass).
    pub fn with_untracked<R>(&self, read: impl FnOnce(&Workshop) -> R) -> Option<R> {
        self.doc
            .with_untracked(|doc| doc.as_ref().map(|doc| read(doc.workshop())))
    }

    /// Reads the replica itself (tracked), for export.
    pub fn with_doc<R>(&self, read: impl FnOnce(&Doc) -> R) -> Option<R> {
        self.doc.with(|doc| doc.as_ref().map(read))
    }

    pub fn is_loaded(&self) -> bool {
        self.doc.with(Option::is_some)
    }

    /// The problem to show first: the workshop could not be opened, not saved, or changes
    /// from elsewhere were not taken in (tracked).
    pub fn problem(&self) -> Option<SessionProblem> {
        if let Some(problem) = self.opening.get() {
            return Some(problem);
        }
        let trouble = self.sync.trouble();
        match trouble.storage {
            Some(error) => Some(SessionProblem::Storage(error)),
            None if trouble.conflicts > 0 => Some(SessionProblem::NotTakenIn(trouble.conflicts)),
            None => None,
        }
    }

    /// Runs a command: decided by the core, applied here, saved, sent to the relay and
    /// posted to the other windows. A refused command changes nothing and returns the
    /// core's reason.
    pub fn execute(&self, command: Command) -> Result<(), DomainError> {
        let ops = self.sync.run_local(&command, self.role, self.now())?;
        if ops.is_empty() {
            return Ok(());
        }
        self.link.with_value(|link| {
            if let Some(link) = link {
                link.push_local(ops.clone());
            }
        });
        self.channel.with_value(|channel| {
            if let Some(channel) = channel
                && let Err(error) = channel.post(&OpsMessage {
                    workshop: self.id.get_value(),
                    ops,
                })
            {
                // The other windows still find the ops in storage (the watcher's check).
                leptos::logging::warn!("Bijeen: not posted to other windows: {error:?}");
            }
        });
        Ok(())
    }

    /// Links this workshop to a relay room (remembered in this browser) and connects.
    pub fn connect_room(&self, record: RoomRecord) -> Result<(), StorageError> {
        let store = LocalStore::open()?;
        relay_link::save_room(&store, &self.id.get_value(), &record)?;
        let link = RelayLink::start(
            self.id.get_value(),
            &record,
            self.actor.get_value(),
            self.sync,
            self.link_status,
        );
        self.link.set_value(Some(link));
        Ok(())
    }

    /// How this browser enters the workshop's relay room, as stored (untracked).
    pub fn room_record(&self) -> Option<RoomRecord> {
        let store = LocalStore::open().ok()?;
        relay_link::load_room(&store, &self.id.get_value())
    }

    /// Replaces the stored room record without reconnecting (the link's credential is
    /// the same; only what this browser remembers beside it changes).
    pub fn save_room_record(&self, record: &RoomRecord) -> Result<(), StorageError> {
        let store = LocalStore::open()?;
        relay_link::save_room(&store, &self.id.get_value(), record)
    }

    /// "Now" for this workshop: the relay's clock when linked (so a timer started on one
    /// device shows the same time on every other), this device's clock otherwise.
    pub fn now(&self) -> i64 {
        let offset = self
            .link_status
            .with_untracked(|status| status.as_ref().map_or(0, |s| s.clock_offset_ms));
        now_ms().saturating_add(offset)
    }

    /// The relay link's state (tracked); `None` in local-only mode.
    pub fn link_status(&self) -> Option<LinkStatus> {
        self.link_status.get()
    }

    /// The version of this replica's log, for creating a room with everything in it.
    pub fn ops_for_upload(&self) -> Vec<Op> {
        self.doc.with_untracked(|doc| {
            doc.as_ref()
                .map(|doc| doc.ops().cloned().collect())
                .unwrap_or_default()
        })
    }
}

fn problem_of(error: LoadError) -> SessionProblem {
    match error {
        LoadError::Damaged(reason) => SessionProblem::Damaged(reason),
        LoadError::Storage(error) => SessionProblem::Storage(error),
    }
}

/// The other windows of this browser as a source: the ops they post, and (when the
/// channel is missing or lost a message) what their saves hold that this replica lacks.
fn follow_other_windows(
    id: &str,
    sync: ReplicaOwner,
    opening: RwSignal<Option<SessionProblem>>,
) -> (Option<Broadcast<OpsMessage>>, Vec<StorageWatcher>) {
    let watched_id = id.to_owned();
    let channel = Broadcast::open(OPS_CHANNEL, move |message: OpsMessage| {
        if message.workshop == watched_id {
            sync.take_in(Source::OtherWindow, &message.ops, &[]);
        }
    })
    .ok();
    // Another window's save changes the saved version (a small key written after the
    // log). With a working channel the ops usually arrived already, so the check waits a
    // moment, one check covers a burst of saves, and the log (a megabyte on a big board)
    // is read only when the saved version has something this replica lacks.
    let check_pending = StoredValue::new(false);
    let has_channel = channel.is_some();
    let check_stored = {
        let id = id.to_owned();
        move || {
            check_pending.set_value(false);
            let store = match LocalStore::open() {
                Ok(store) => store,
                Err(error) => return opening.set(Some(SessionProblem::Storage(error))),
            };
            let doc = sync.replica();
            let covered = library::stored_version(&store, &id).is_some_and(|vv| {
                doc.with_untracked(|d| d.as_ref().is_some_and(|d| d.version_vector().includes(&vv)))
            });
            if covered {
                return;
            }
            if doc.with_untracked(Option::is_none) {
                // A window that had no copy yet (opened before the workshop was saved).
                match library::load_reporting(&store, &id, library::window_actor()) {
                    Ok(Some(loaded)) => {
                        sync.replace(loaded.doc, &loaded.conflicts);
                        opening.set(None);
                    }
                    Ok(None) => {}
                    Err(error) => opening.set(Some(problem_of(error))),
                }
                return;
            }
            let missing = doc.with_untracked(|d| {
                d.as_ref()
                    .map(|d| library::missing_from_storage(&store, &id, d))
                    .unwrap_or(Ok(Vec::new()))
            });
            match missing {
                Ok(missing) => sync.take_in(Source::Storage, &missing, &[]),
                Err(error) => opening.set(Some(problem_of(error))),
            }
        }
    };
    let watcher = StorageWatcher::for_key(library::version_key(id), move || {
        if check_pending.get_value() {
            return;
        }
        check_pending.set_value(true);
        let delay = if has_channel {
            STORAGE_CHECK_DELAY_MS
        } else {
            0
        };
        set_timeout(
            check_stored.clone(),
            std::time::Duration::from_millis(delay),
        );
    });
    (channel, watcher.into_iter().collect())
}

/// A window opened before this browser's console made a room (the projector is usually
/// opened first) follows the console into the room without a reload.
fn follow_room_of_other_windows(
    id: &str,
    actor: &ActorId,
    sync: ReplicaOwner,
    link: StoredValue<Option<RelayLink>, LocalStorage>,
    link_status: RwSignal<Option<LinkStatus>>,
) -> Option<StorageWatcher> {
    let id = id.to_owned();
    let actor = actor.clone();
    StorageWatcher::for_key(relay_link::room_key(&id), move || {
        if link.with_value(Option::is_some) || sync.replica().with_untracked(Option::is_none) {
            return;
        }
        let Some(record) = LocalStore::open()
            .ok()
            .and_then(|store| relay_link::load_room(&store, &id))
        else {
            return;
        };
        let started = RelayLink::start(id.clone(), &record, actor.clone(), sync, link_status);
        link.set_value(Some(started));
    })
    .ok()
}
