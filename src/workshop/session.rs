//! The workshop on screen. Its replica lives in one signal; local commands go through the
//! core (`Doc::execute`), are saved, and are posted to the other windows of this browser;
//! ops from other windows are applied in the callback that receives them. Effects never
//! write this state: there is no echo loop because only locally made ops are posted.

use bijeen_core::{Command, Doc, DomainError, Op, Role, Workshop};
use bijeen_protocol::Credential;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::adapters::broadcast::Broadcast;
use crate::adapters::clock::now_ms;
use crate::adapters::storage::{LocalStore, StorageError, StorageWatcher};
use crate::workshop::library::{self, LoadError};
use crate::workshop::relay_link::{self, LinkStatus, RelayLink, RoomRecord};
use crate::workshop::replica::{Replica, Touched};

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
}

#[derive(Clone, Copy)]
pub struct WorkshopSession {
    id: StoredValue<String>,
    role: Role,
    doc: Replica,
    problem: RwSignal<Option<SessionProblem>>,
    /// Posts this window's ops and hears the others' (a channel never hears itself).
    channel: StoredValue<Option<Broadcast<OpsMessage>>, LocalStorage>,
    _watcher: StoredValue<Option<StorageWatcher>, LocalStorage>,
    _room_watcher: StoredValue<Option<StorageWatcher>, LocalStorage>,
    actor: StoredValue<bijeen_core::ActorId>,
    /// The relay room this workshop is linked to, when it has one (local-only otherwise).
    link: StoredValue<Option<RelayLink>, LocalStorage>,
    link_status: RwSignal<Option<LinkStatus>>,
}

impl WorkshopSession {
    /// Opens workshop `id` from this browser's storage and starts following the other
    /// windows. `role` is what this window may do.
    pub fn open(id: String, role: Role) -> Self {
        let room = LocalStore::open()
            .ok()
            .and_then(|store| relay_link::load_room(&store, &id));
        // A participant keeps the actor the relay knows them by; other windows write under
        // their own window actor.
        let actor = match &room {
            Some(RoomRecord {
                credential: Credential::Participant { actor, .. },
                ..
            }) => actor.clone(),
            _ => library::window_actor(),
        };
        let doc = Replica::new();
        let problem = RwSignal::new(None);
        let link_status = RwSignal::new(None);
        let mut link = None;
        match LocalStore::open() {
            Err(error) => problem.set(Some(SessionProblem::Storage(error))),
            Ok(store) => match library::load(&store, &id, actor.clone()) {
                Ok(Some(loaded)) => {
                    doc.set(Some(loaded));
                    link = room.as_ref().map(|record| {
                        RelayLink::start(id.clone(), record, actor.clone(), doc, link_status)
                    });
                }
                Ok(None) => problem.set(Some(SessionProblem::NotFound)),
                Err(LoadError::Damaged(reason)) => {
                    problem.set(Some(SessionProblem::Damaged(reason)))
                }
                Err(LoadError::Storage(error)) => problem.set(Some(SessionProblem::Storage(error))),
            },
        }

        let receive = move |ops: &[Op]| {
            doc.update(|doc| {
                let mut touched = Touched::Nothing;
                let Some(doc) = doc else { return touched };
                for op in ops {
                    // An op another window could not have made (damaged, forged) is
                    // skipped; the rest still apply. Only new ops touch anything.
                    if doc.receive(op).unwrap_or(false) {
                        touched.add_op(op, doc.workshop());
                    }
                }
                touched
            });
        };

        let watched_id = id.clone();
        let channel = Broadcast::open(OPS_CHANNEL, move |message: OpsMessage| {
            if message.workshop == watched_id {
                receive(&message.ops);
            }
        })
        .ok();
        // Fallback when BroadcastChannel is missing or a message was lost: another
        // window's save changes the saved version (a small key written after the log).
        // With a working channel the ops usually arrived already, so the check waits a
        // moment, one check covers a burst of saves, and the log (a megabyte on a big
        // board) is read only when the saved version has something this replica lacks.
        let check_pending = StoredValue::new(false);
        let has_channel = channel.is_some();
        let check_stored = {
            let id = id.clone();
            move || {
                check_pending.set_value(false);
                let Ok(store) = LocalStore::open() else {
                    return;
                };
                let covered = library::stored_version(&store, &id).is_some_and(|vv| {
                    doc.with_untracked(|d| {
                        d.as_ref().is_some_and(|d| d.version_vector().includes(&vv))
                    })
                });
                if covered {
                    return;
                }
                if doc.with_untracked(Option::is_none) {
                    // A window that had no copy yet (opened before the workshop was saved).
                    if let Ok(Some(loaded)) = library::load(&store, &id, library::window_actor()) {
                        doc.set(Some(loaded));
                        problem.set(None);
                    }
                    return;
                }
                let missing = doc.with_untracked(|d| {
                    d.as_ref()
                        .map(|d| library::missing_from_storage(&store, &id, d))
                        .unwrap_or_default()
                });
                if !missing.is_empty() {
                    receive(&missing);
                }
            }
        };
        let watcher = StorageWatcher::for_key(library::version_key(&id), move || {
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
        })
        .ok();

        // A window opened before this browser's console made a room (the projector is
        // usually opened first) follows the console into the room without a reload.
        let link = StoredValue::new_local(link);
        let room_watcher = {
            let id = id.clone();
            let actor = actor.clone();
            StorageWatcher::for_key(relay_link::room_key(&id), move || {
                if link.with_value(Option::is_some) || doc.with_untracked(Option::is_none) {
                    return;
                }
                let Some(record) = LocalStore::open()
                    .ok()
                    .and_then(|store| relay_link::load_room(&store, &id))
                else {
                    return;
                };
                let started =
                    RelayLink::start(id.clone(), &record, actor.clone(), doc, link_status);
                link.set_value(Some(started));
            })
            .ok()
        };

        Self {
            id: StoredValue::new(id),
            role,
            doc,
            problem,
            channel: StoredValue::new_local(channel),
            _watcher: StoredValue::new_local(watcher),
            _room_watcher: StoredValue::new_local(room_watcher),
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

    pub fn problem(&self) -> Option<SessionProblem> {
        self.problem.get()
    }

    /// Runs a command: decided by the core, applied here, saved, posted to the other
    /// windows. A refused command changes nothing and returns the core's reason.
    pub fn execute(&self, command: Command) -> Result<(), DomainError> {
        let now = self.now();
        let role = self.role;
        let id = self.id.get_value();
        let mut outcome: Result<Vec<Op>, DomainError> = Ok(Vec::new());
        let mut save_result: Result<(), StorageError> = Ok(());
        self.doc.update(|doc| {
            let mut touched = Touched::Nothing;
            let Some(doc) = doc else { return touched };
            outcome = doc.execute(&command, role, now);
            if let Ok(ops) = &outcome {
                // Judged after the whole command is applied: any later op of the batch that
                // could change what an earlier one reached reaches every note itself.
                for op in ops {
                    touched.add_op(op, doc.workshop());
                }
            }
            if !touched.is_nothing() {
                let saved =
                    LocalStore::open().and_then(|store| library::save(&store, &id, doc, now));
                // Saving may take in what other windows stored and this one had not heard
                // yet; which notes those ops reach is not known here.
                if saved == Ok(true) {
                    touched.add_everything();
                }
                save_result = saved.map(|_| ());
            }
            touched
        });
        let ops = outcome?;
        if ops.is_empty() {
            return Ok(());
        }
        // Saving failed: the change stays in this window's memory (and reaches the other
        // windows below); the banner tells the facilitator to export.
        match save_result {
            Ok(()) => {
                if matches!(
                    self.problem.get_untracked(),
                    Some(SessionProblem::Storage(_))
                ) {
                    self.problem.set(None);
                }
            }
            Err(error) => self.problem.set(Some(SessionProblem::Storage(error))),
        }
        self.link.with_value(|link| {
            if let Some(link) = link {
                link.push_local(ops.clone());
            }
        });
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                let _ = channel.post(&OpsMessage { workshop: id, ops });
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
            self.doc,
            self.link_status,
        );
        self.link.set_value(Some(link));
        Ok(())
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
