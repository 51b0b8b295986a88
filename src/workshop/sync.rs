//! The one owner of the replica's writes. Ops reach this window from four sources: this
//! window's own commands, the other windows of the browser (BroadcastChannel), their saves
//! (the storage watcher, for what the channel missed) and the relay. The sources only
//! deliver ops; this owner takes them in (`logic::intake`), builds what they touched,
//! wakes the listeners, saves what needs saving, and reports what could not be taken or
//! saved. Sans-IO in the manner of the protocol session: the sources decide nothing.

use bijeen_core::{Command, Doc, DomainError, Op, OpId, ReceiveError, Role};
use leptos::prelude::*;

use crate::adapters::storage::{LocalStore, StorageError};
use crate::logic::intake::take_in;
use crate::workshop::library::{self, Journal};
use crate::workshop::replica::{Replica, Touched};

/// Where ops this window did not make come from; says whether they still need saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Another window of this browser, which saved them itself.
    OtherWindow,
    /// Read back from storage: saved already.
    Storage,
    /// The relay: saved here, so a reload without network still has them.
    Relay,
}

impl Source {
    fn needs_saving(self) -> bool {
        self == Source::Relay
    }
}

/// What went wrong on the data path, for the session's banner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncTrouble {
    /// The last save that failed (cleared by the next one that works).
    pub storage: Option<StorageError>,
    /// Ops the core refused since this window opened (a reused sequence number).
    pub conflicts: usize,
}

#[derive(Clone, Copy)]
pub struct ReplicaOwner {
    id: StoredValue<String>,
    doc: Replica,
    /// This window's journal of the workshop in storage (see `logic::journal`).
    journal: StoredValue<Option<Journal>, LocalStorage>,
    store: StoredValue<Option<LocalStore>, LocalStorage>,
    trouble: RwSignal<SyncTrouble>,
}

impl ReplicaOwner {
    pub fn new(id: String, doc: Replica, store: Option<LocalStore>) -> Self {
        Self {
            id: StoredValue::new(id),
            doc,
            journal: StoredValue::new_local(None),
            store: StoredValue::new_local(store),
            trouble: RwSignal::new(SyncTrouble::default()),
        }
    }

    pub fn replica(&self) -> Replica {
        self.doc
    }

    /// What went wrong so far (tracked).
    pub fn trouble(&self) -> SyncTrouble {
        self.trouble.get()
    }

    /// Puts a replica in place (a first load, a window that had none yet), with the ops
    /// its load could not take.
    pub fn replace(&self, doc: Doc, conflicts: &[ReceiveError]) {
        self.doc.set(Some(doc));
        self.report_conflicts(conflicts);
    }

    /// Takes in ops from `source`, and takes back the ones the relay `refused`.
    pub fn take_in(&self, source: Source, ops: &[Op], refused: &[&OpId]) {
        if ops.is_empty() && refused.is_empty() {
            return;
        }
        let mut conflicts = Vec::new();
        let mut saved = None;
        self.doc.update(|doc| {
            let Some(doc) = doc else {
                return Touched::Nothing;
            };
            let intake = take_in(doc, ops, refused);
            conflicts = intake.conflicts;
            let mut touched = intake.touched;
            if source.needs_saving() && !touched.is_nothing() {
                saved = Some(self.save(doc, &mut touched));
            }
            touched
        });
        self.report_conflicts(&conflicts);
        if let Some(saved) = saved {
            self.record_save(saved);
        }
    }

    /// Runs this window's command: decided by the core, applied, saved. Returns the new
    /// ops (for the other windows and the relay); a refused command changes nothing.
    pub fn run_local(
        &self,
        command: &Command,
        role: Role,
        now: i64,
    ) -> Result<Vec<Op>, DomainError> {
        let mut outcome = Ok(Vec::new());
        let mut saved = None;
        self.doc.update(|doc| {
            let Some(doc) = doc else {
                return Touched::Nothing;
            };
            outcome = doc.execute(command, role, now);
            let mut touched = Touched::Nothing;
            if let Ok(ops) = &outcome {
                // Judged after the whole command is applied: any later op of the batch
                // that could change what an earlier one reached reaches every note itself.
                for op in ops {
                    touched.add_op(op, doc.workshop());
                }
            }
            if !touched.is_nothing() {
                saved = Some(self.save(doc, &mut touched));
            }
            touched
        });
        if let Some(saved) = saved {
            self.record_save(saved);
        }
        outcome
    }

    /// From now on this participant's anonymous bears go under `pseudonym` (named by the
    /// relay). Which bears are "mine" changes with it, so every card may redraw.
    pub fn adopt_pseudonym(&self, pseudonym: bijeen_core::ActorId) {
        let known = self
            .doc
            .with_untracked(|d| d.as_ref().is_none_or(|d| d.pseudonym() == Some(&pseudonym)));
        if known {
            return;
        }
        self.doc.update(|d| match d {
            Some(d) => {
                d.set_pseudonym(pseudonym);
                Touched::Everything
            }
            None => Touched::Nothing,
        });
    }

    /// Saves `doc`; ops that folding brought in from other windows' saves reach any note.
    fn save(
        &self,
        doc: &mut Doc,
        touched: &mut Touched,
    ) -> Result<Vec<ReceiveError>, StorageError> {
        let id = self.id.get_value();
        let now = crate::adapters::clock::now_ms();
        let result = self.store.with_value(|store| {
            let store = store.as_ref().ok_or(StorageError::Unavailable)?;
            self.journal
                .try_update_value(|journal| library::save(store, &id, doc, journal, now))
                .unwrap_or(Err(StorageError::Unavailable))
        })?;
        if !result.touched.is_nothing() {
            touched.add_everything();
        }
        Ok(result.conflicts)
    }

    /// The relay link's outbox was written (or not).
    pub fn record_outbox_save(&self, saved: Result<(), StorageError>) {
        self.record_save(saved.map(|()| Vec::new()));
    }

    fn record_save(&self, saved: Result<Vec<ReceiveError>, StorageError>) {
        match saved {
            Ok(conflicts) => {
                self.report_conflicts(&conflicts);
                if self.trouble.with_untracked(|t| t.storage.is_some()) {
                    self.trouble.update(|t| t.storage = None);
                }
            }
            // The change stays in this window's memory (and reaches the other windows
            // and the relay); the banner tells the facilitator to export.
            Err(error) => {
                leptos::logging::error!("Bijeen: not saved: {error}");
                self.trouble.update(|t| t.storage = Some(error));
            }
        }
    }

    fn report_conflicts(&self, conflicts: &[ReceiveError]) {
        if conflicts.is_empty() {
            return;
        }
        library::log_conflicts(conflicts);
        self.trouble.update(|t| t.conflicts += conflicts.len());
    }
}
