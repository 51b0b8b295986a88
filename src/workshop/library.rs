//! The workshops stored in this browser. Per workshop `id`:
//! - `bijeen.doc.{id}`: the core's saved snapshot (state and op log), rewritten now and then;
//! - `bijeen.journal.{id}.{window}`: the ops each window saved since it last rewrote the
//!   snapshot, as a JSON array. A change appends one op to its window's own journal
//!   instead of rewriting a snapshot of a megabyte: on a board of a thousand notes every
//!   note cost each window a megabyte written, and every other window a storage event
//!   carrying it. One journal per window, so two windows never overwrite each other's;
//!   a journal past [`JOURNAL_LIMIT`] is folded into the snapshot;
//! - `bijeen.version.{id}`: the version vector of the last window that saved (everything
//!   it counts is stored), so a window can tell "nothing new for me" without reading the
//!   log (the other windows watch this key);
//! - `bijeen.entry.{id}`: what the home page lists.

use std::cell::RefCell;
use std::collections::HashMap;

use bijeen_core::{ActorId, Doc, Op, VersionVector};
use serde::{Deserialize, Serialize};

use crate::adapters::random::random_hex;
use crate::adapters::storage::{LocalStore, StorageError, session_value};

const DOC_PREFIX: &str = "bijeen.doc.";
const ENTRY_PREFIX: &str = "bijeen.entry.";
const VERSION_PREFIX: &str = "bijeen.version.";
const JOURNAL_PREFIX: &str = "bijeen.journal.";
/// A journal longer than this (in bytes of JSON, about two hundred notes) is folded into
/// the snapshot: appending rewrites the journal, so it must stay small, and the snapshot
/// is rewritten once per that many ops instead of once per op.
const JOURNAL_LIMIT: usize = 32 * 1024;

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

/// This window's actor id. Every window writes its own ops under its own actor, so two
/// console windows never hand out the same sequence number; sessionStorage keeps it
/// across reloads of the window.
pub fn window_actor() -> ActorId {
    ActorId::new(session_value("bijeen.window-actor", || random_hex(8)))
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

/// Loads a workshop as a replica of `actor`, or `None` if this browser does not have it.
pub fn load(store: &LocalStore, id: &str, actor: ActorId) -> Result<Option<Doc>, LoadError> {
    let Some(text) = store.get_raw(&doc_key(id))? else {
        return Ok(None);
    };
    let mut doc = parse_saved(&text, actor)?;
    for op in journal_ops(store, id, doc.version_vector()) {
        // An op no window could have made (a damaged journal) is skipped, as from a peer.
        let _ = doc.receive(&op);
    }
    Ok(Some(doc))
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
pub fn missing_from_storage(store: &LocalStore, id: &str, doc: &Doc) -> Vec<Op> {
    let vv = doc.version_vector();
    let mut missing = match store.get_raw(&doc_key(id)) {
        Ok(Some(text)) if !saved_version(&text).is_some_and(|saved| vv.includes(&saved)) => {
            parse_saved(&text, doc.actor().clone())
                .map(|stored| stored.missing_for(vv))
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    missing.extend(journal_ops(store, id, vv));
    missing
}

/// A saved snapshot as a replica of `actor` (the snapshot remembers the window that saved
/// it; this window continues under its own actor and sequence). The core opens it from
/// its stored state; the log is parsed only when this replica first needs it.
fn parse_saved(text: &str, actor: ActorId) -> Result<Doc, LoadError> {
    Doc::load_as(text, actor).map_err(|error| LoadError::Damaged(error.to_string()))
}

/// The version vector of a saved snapshot, read from its tail (`Doc::save` writes it as
/// the last field) without decoding the log: deciding "nothing new in there" then costs a
/// scan for the key instead of replaying every op. `None` when the tail is not what
/// `Doc::save` writes; callers then take the full parse.
fn saved_version(text: &str) -> Option<VersionVector> {
    // Inside a JSON string a quote is escaped, so an unescaped `"vv":` is a key; the last
    // one is the top-level field because it is written last.
    let start = text.rfind("\"vv\":")? + "\"vv\":".len();
    let tail = text[start..].trim_end().strip_suffix('}')?;
    serde_json::from_str(tail).ok()
}

/// This window's journal of one workshop: what it wrote there, and what it knows to be
/// stored by anyone.
struct Journal {
    /// The ops of the journal key, as JSON joined by commas (the key holds `[text]`).
    text: String,
    /// Ops that need no copy in this journal: saved by this window, or counted in a
    /// version another window wrote after saving them.
    stored: VersionVector,
}

thread_local! {
    /// Per workshop id. A window is one thread, and its journal lives as long as the page:
    /// after a reload the window writes under the same key (its actor survives a reload),
    /// and its first save folds everything into the snapshot before it appends again.
    static JOURNALS: RefCell<HashMap<String, Journal>> = RefCell::new(HashMap::new());
}

fn journal_key(id: &str) -> String {
    format!("{}{}", journal_prefix(id), window_actor())
}

/// Saves what `doc` has and storage lacks: the new ops are appended to this window's
/// journal, and the journal is folded into the snapshot on this window's first save and
/// whenever it would grow past [`JOURNAL_LIMIT`]. Returns whether folding brought in ops this
/// replica did not have (another window's, read from storage): the caller's listeners
/// must hear of them.
pub fn save(
    store: &LocalStore,
    id: &str,
    doc: &mut Doc,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let merged = JOURNALS.with(|journals| {
        let mut journals = journals.borrow_mut();
        let Some(journal) = journals.get_mut(id) else {
            let merged = fold_into_snapshot(store, id, doc)?;
            journals.insert(
                id.to_owned(),
                Journal {
                    text: String::new(),
                    stored: doc.version_vector().clone(),
                },
            );
            return Ok(merged);
        };
        // Another window's version counts ops it stored: they need no copy here.
        if let Some(announced) = stored_version(store, id) {
            for (actor, seq) in announced.0 {
                let known = journal.stored.0.entry(actor).or_default();
                *known = (*known).max(seq);
            }
        }
        let new = doc.missing_for(&journal.stored);
        if new.is_empty() {
            return Ok(false);
        }
        let mut text = journal.text.clone();
        for op in &new {
            let json = serde_json::to_string(op)
                .map_err(|error| StorageError::WriteRefused(error.to_string()))?;
            if !text.is_empty() {
                text.push(',');
            }
            text.push_str(&json);
        }
        // Past the limit (many notes, or a catch-up of thousands of ops from the relay in
        // one go): the snapshot takes everything instead, so a journal never grows big.
        if text.len() > JOURNAL_LIMIT {
            let merged = fold_into_snapshot(store, id, doc)?;
            journal.text.clear();
            journal.stored = doc.version_vector().clone();
            return Ok(merged);
        }
        // Kept in memory only once it is stored: a refused write (a full quota) leaves the
        // journal as it was, and the next change tries these ops again.
        store.set_raw(&journal_key(id), &format!("[{text}]"))?;
        store.set(&version_key(id), doc.version_vector())?;
        journal.text = text;
        journal.stored = doc.version_vector().clone();
        Ok(false)
    })?;
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
    Ok(merged)
}

/// Writes `doc` as workshop `id`'s snapshot after merging whatever the other windows
/// stored (so no window drops another's ops), then drops this window's journal and every
/// journal the snapshot now covers. Returns whether the merge brought in ops.
fn fold_into_snapshot(store: &LocalStore, id: &str, doc: &mut Doc) -> Result<bool, StorageError> {
    let mut merged = false;
    // Nothing stored that this replica lacks (the usual case: the other windows' ops came
    // over the channel): no need to read the stored log at all.
    if !stored_version(store, id).is_some_and(|vv| doc.version_vector().includes(&vv)) {
        for op in missing_from_storage(store, id, doc) {
            merged |= doc.receive(&op).unwrap_or(false);
        }
    }
    store.set_raw(&doc_key(id), &doc.save())?;
    store.set(&version_key(id), doc.version_vector())?;
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
    Ok(merged)
}

pub fn delete(store: &LocalStore, id: &str) -> Result<(), StorageError> {
    for key in store.keys_with_prefix(&journal_prefix(id)) {
        store.remove(&key)?;
    }
    JOURNALS.with(|journals| journals.borrow_mut().remove(id));
    store.remove(&doc_key(id))?;
    store.remove(&version_key(id))?;
    store.remove(&format!("{ENTRY_PREFIX}{id}"))
}
