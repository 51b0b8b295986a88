//! The workshops stored in this browser. Per workshop `id`:
//! - `bijeen.doc.{id}`: the core's saved snapshot (state and op log), rewritten now and then;
//! - `bijeen.journal.{id}.{window}`: the ops each window saved since it last rewrote the
//!   snapshot, as a JSON array (see [`Journal`]). One journal per window, so two windows
//!   never overwrite each other's;
//! - `bijeen.version.{id}`: the version vector of the last window that saved (everything
//!   it counts is stored), so a window can tell "nothing new for me" without reading the
//!   log (the other windows watch this key);
//! - `bijeen.entry.{id}`: what the home page lists.

use bijeen_core::{ActorId, Doc, Op, ReceiveError, VersionVector};
use serde::{Deserialize, Serialize};

use crate::adapters::random::random_hex;
use crate::adapters::storage::{LocalStore, StorageError, session_value, set_session_value};
pub use crate::logic::journal::Journal;
use crate::logic::journal::JournalStep;

const DOC_PREFIX: &str = "bijeen.doc.";
const ENTRY_PREFIX: &str = "bijeen.entry.";
const VERSION_PREFIX: &str = "bijeen.version.";
const JOURNAL_PREFIX: &str = "bijeen.journal.";

/// What the home page shows of a stored workshop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub date: String,
    pub updated_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the stored workshop is damaged: {0}")]
    Damaged(String),
}

pub fn doc_key(id: &str) -> String {
    format!("{DOC_PREFIX}{id}")
}

/// Where the version vector of the saved snapshot of workshop `id` is kept; written after
/// the snapshot, so a change of this key means the snapshot is there.
pub fn version_key(id: &str) -> String {
    format!("{VERSION_PREFIX}{id}")
}

/// The prefix of every journal of workshop `id`.
fn journal_prefix(id: &str) -> String {
    format!("{JOURNAL_PREFIX}{id}.")
}

/// The version vector of what is saved for workshop `id`, from its own small key; `None`
/// when there is none (a workshop saved before this key existed) or it is unreadable.
pub fn stored_version(store: &LocalStore, id: &str) -> Option<VersionVector> {
    store.get(&version_key(id)).ok().flatten()
}

/// A new workshop id: 64 random bits as hex, enough to keep workshops in one browser apart.
pub fn new_workshop_id() -> String {
    random_hex(8)
}

const WINDOW_ACTOR_KEY: &str = "bijeen.window-actor";

/// This window's actor id. Every window writes its own ops under its own actor, so two
/// console windows never hand out the same sequence number; sessionStorage keeps it
/// across reloads of the window (see [`claim_window_actor`] for copies of it).
pub fn window_actor() -> ActorId {
    ActorId::new(session_value(WINDOW_ACTOR_KEY, || random_hex(8)))
}

/// Makes this window's actor its own before anything is written under it. A window opened
/// with `window.open`, or a duplicated tab, starts with a copy of its opener's
/// sessionStorage and so of its actor: two windows writing under one actor would hand out
/// the same sequence numbers. Each window holds a lock named after its actor while it
/// lives; a window that finds its actor's lock held takes a fresh actor. A reload keeps
/// its actor: the old page's lock goes with it.
pub async fn claim_window_actor() {
    use crate::adapters::window_lock::{Claim, hold_for_page};
    let lock_name = |actor: &ActorId| format!("bijeen.actor.{actor}");
    let actor = window_actor();
    if hold_for_page(&lock_name(&actor)).await != Claim::InUse {
        return;
    }
    let fresh = random_hex(8);
    match set_session_value(WINDOW_ACTOR_KEY, &fresh) {
        Ok(()) => {
            hold_for_page(&lock_name(&ActorId::new(fresh))).await;
        }
        Err(error) => leptos::logging::error!(
            "Bijeen: this window shares its actor with another and cannot take a new one: {error}"
        ),
    }
}

pub fn list(store: &LocalStore) -> Vec<Entry> {
    let mut entries: Vec<Entry> = store
        .keys_with_prefix(ENTRY_PREFIX)
        .iter()
        .filter_map(|key| store.get::<Entry>(key).ok().flatten())
        .collect();
    entries.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms).then(a.id.cmp(&b.id)));
    entries
}

/// A stored workshop as read back, with the journal ops the core could not take (two
/// windows that wrote under one actor): the replica keeps the first, the caller reports
/// the rest.
pub struct Loaded {
    pub doc: Doc,
    pub conflicts: Vec<ReceiveError>,
}

/// Loads a workshop as a replica of `actor`, or `None` if this browser does not have it.
pub fn load_reporting(
    store: &LocalStore,
    id: &str,
    actor: ActorId,
) -> Result<Option<Loaded>, LoadError> {
    let Some(text) = store.get_raw(&doc_key(id))? else {
        return Ok(None);
    };
    let mut doc = parse_saved(&text, actor)?;
    let journal = journal_ops(store, id, doc.version_vector());
    let conflicts = crate::logic::intake::take_in(&mut doc, &journal, &[]).conflicts;
    Ok(Some(Loaded { doc, conflicts }))
}

/// [`load_reporting`] for a copy that only goes out of this browser (an export, a
/// duplicate): ops it could not take are written to the console log.
pub fn load(store: &LocalStore, id: &str, actor: ActorId) -> Result<Option<Doc>, LoadError> {
    Ok(load_reporting(store, id, actor)?.map(|loaded| {
        log_conflicts(&loaded.conflicts);
        loaded.doc
    }))
}

/// Writes ops the core refused to the console, for whoever investigates.
pub fn log_conflicts(conflicts: &[ReceiveError]) {
    for conflict in conflicts {
        leptos::logging::error!("Bijeen: an op was not taken in: {conflict}");
    }
}

/// The ops in workshop `id`'s journals that a replica with `vv` lacks. A journal that
/// cannot be read is skipped: its window still has its ops and writes them again with
/// its next change (and its ops reached the other windows over the channel).
fn journal_ops(store: &LocalStore, id: &str, vv: &VersionVector) -> Vec<Op> {
    store
        .keys_with_prefix(&journal_prefix(id))
        .iter()
        .filter_map(|key| store.get::<Vec<Op>>(key).ok().flatten())
        .flatten()
        .filter(|op| op.id.seq > vv.get(&op.id.actor))
        .collect()
}

/// Every op stored for workshop `id` (snapshot and journals) that `doc` lacks: how a
/// window catches up from storage when the channel between windows missed something.
pub fn missing_from_storage(store: &LocalStore, id: &str, doc: &Doc) -> Result<Vec<Op>, LoadError> {
    let vv = doc.version_vector();
    let mut missing = match store.get_raw(&doc_key(id))? {
        Some(text)
            if !bijeen_core::doc::stored_version_vector(&text)
                .is_ok_and(|saved| vv.includes(&saved)) =>
        {
            parse_saved(&text, doc.actor().clone())?.missing_for(vv)
        }
        _ => Vec::new(),
    };
    missing.extend(journal_ops(store, id, vv));
    Ok(missing)
}

/// A saved snapshot as a replica of `actor` (the snapshot remembers the window that saved
/// it; this window continues under its own actor and sequence). The core opens it from
/// its stored state; the log is parsed only when this replica first needs it.
fn parse_saved(text: &str, actor: ActorId) -> Result<Doc, LoadError> {
    Doc::load_as(text, actor).map_err(|error| LoadError::Damaged(error.to_string()))
}

fn journal_key(id: &str) -> String {
    format!("{}{}", journal_prefix(id), window_actor())
}

/// What saving did besides storing: ops another window had stored that this replica
/// lacked were taken in while folding (its listeners must hear of them), and any the core
/// refused.
pub type Saved = crate::logic::intake::Intake;

/// Saves what `doc` has and storage lacks, with this window's `journal` of the workshop:
/// the new ops are appended to the journal, and the journal is folded into the snapshot on
/// the first save (`journal` is `None`) and whenever it would grow past its limit.
pub fn save(
    store: &LocalStore,
    id: &str,
    doc: &mut Doc,
    journal: &mut Option<Journal>,
    now_ms: i64,
) -> Result<Saved, StorageError> {
    let step = match journal {
        None => JournalStep::Fold,
        Some(kept) => {
            // Another window's version counts ops it stored: they need no copy here.
            if let Some(announced) = stored_version(store, id) {
                kept.heard_stored(&announced);
            }
            kept.next_step(doc)
                .map_err(|error| StorageError::WriteRefused(error.to_string()))?
        }
    };
    let saved = match step {
        JournalStep::Nothing => return Ok(Saved::default()),
        JournalStep::Fold => fold_into_snapshot(store, id, doc, journal)?,
        JournalStep::Append(text) => {
            store.set_raw(&journal_key(id), &Journal::key_value(&text))?;
            store.set(&version_key(id), doc.version_vector())?;
            if let Some(kept) = journal {
                kept.appended(text, doc);
            }
            Saved::default()
        }
    };
    let meta = &doc.workshop().meta;
    store.set(
        &format!("{ENTRY_PREFIX}{id}"),
        &Entry {
            id: id.to_owned(),
            title: meta.title.value.clone(),
            date: meta.date.value.clone(),
            updated_ms: now_ms,
        },
    )?;
    Ok(saved)
}

/// Saves a workshop this window has not saved before (new, imported, copied) whole.
pub fn save_new(
    store: &LocalStore,
    id: &str,
    doc: &mut Doc,
    now_ms: i64,
) -> Result<(), StorageError> {
    let saved = save(store, id, doc, &mut None, now_ms)?;
    log_conflicts(&saved.conflicts);
    Ok(())
}

/// Writes `doc` as workshop `id`'s snapshot after merging whatever the other windows
/// stored (so no window drops another's ops), then drops this window's journal and every
/// journal the snapshot now covers.
fn fold_into_snapshot(
    store: &LocalStore,
    id: &str,
    doc: &mut Doc,
    journal: &mut Option<Journal>,
) -> Result<Saved, StorageError> {
    let mut saved = Saved::default();
    // Nothing stored that this replica lacks (the usual case: the other windows' ops came
    // over the channel): no need to read the stored log at all.
    if !stored_version(store, id).is_some_and(|vv| doc.version_vector().includes(&vv)) {
        match missing_from_storage(store, id, doc) {
            Ok(missing) => saved = crate::logic::intake::take_in(doc, &missing, &[]),
            // A damaged stored snapshot is replaced by this replica's, which has every op
            // this window saw; the journals it could not read are kept below.
            Err(LoadError::Damaged(reason)) => leptos::logging::error!(
                "Bijeen: the stored workshop {id} was damaged and is rewritten: {reason}"
            ),
            Err(LoadError::Storage(error)) => return Err(error),
        }
    }
    store.set_raw(&doc_key(id), &doc.save())?;
    store.set(&version_key(id), doc.version_vector())?;
    *journal = Some(Journal::folded(doc));
    let vv = doc.version_vector();
    for key in store.keys_with_prefix(&journal_prefix(id)) {
        let covered = store
            .get::<Vec<Op>>(&key)
            .ok()
            .flatten()
            .is_some_and(|ops| ops.iter().all(|op| op.id.seq <= vv.get(&op.id.actor)));
        if covered {
            // Its window, if still open, writes its journal whole with its next change.
            store.remove(&key)?;
        }
    }
    Ok(saved)
}

pub fn delete(store: &LocalStore, id: &str) -> Result<(), StorageError> {
    for key in store.keys_with_prefix(&journal_prefix(id)) {
        store.remove(&key)?;
    }
    store.remove(&doc_key(id))?;
    store.remove(&version_key(id))?;
    store.remove(&format!("{ENTRY_PREFIX}{id}"))
}
