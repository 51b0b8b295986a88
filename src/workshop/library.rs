//! The workshops stored in this browser. Each workshop is the core's saved snapshot (its
//! state and op log) under `bijeen.doc.{id}`, plus a small entry under `bijeen.entry.{id}` so the
//! home page lists workshops without replaying every log, and the saved snapshot's version
//! vector under `bijeen.version.{id}`, so a window can tell "nothing new for me" without
//! reading a log of a megabyte (the other windows watch that key).

use bijeen_core::{ActorId, Doc, VersionVector};
use serde::{Deserialize, Serialize};

use crate::adapters::random::random_hex;
use crate::adapters::storage::{LocalStore, StorageError, session_value};

const DOC_PREFIX: &str = "bijeen.doc.";
const ENTRY_PREFIX: &str = "bijeen.entry.";
const VERSION_PREFIX: &str = "bijeen.version.";

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
    parse_saved(&text, actor).map(Some)
}

/// A saved snapshot as a replica of `actor` (the snapshot remembers the window that saved
/// it; this window continues under its own actor and sequence). The core opens it from
/// its stored state; the log is parsed only when this replica first needs it.
pub fn parse_saved(text: &str, actor: ActorId) -> Result<Doc, LoadError> {
    Doc::load_as(text, actor).map_err(|error| LoadError::Damaged(error.to_string()))
}

/// The version vector of a saved snapshot, read from its tail (`Doc::save` writes it as
/// the last field) without decoding the log: deciding "nothing new in there" then costs a
/// scan for the key instead of replaying every op. `None` when the tail is not what
/// `Doc::save` writes; callers then take the full parse.
pub fn saved_version(text: &str) -> Option<VersionVector> {
    // Inside a JSON string a quote is escaped, so an unescaped `"vv":` is a key; the last
    // one is the top-level field because it is written last.
    let start = text.rfind("\"vv\":")? + "\"vv\":".len();
    let tail = text[start..].trim_end().strip_suffix('}')?;
    serde_json::from_str(tail).ok()
}

/// Saves `doc` under `id` after merging whatever another window saved there meanwhile, so
/// two windows saving in turn never drop each other's ops. Returns whether the merge
/// brought in ops this replica did not have.
pub fn save(
    store: &LocalStore,
    id: &str,
    doc: &mut Doc,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let mut merged = false;
    // Nothing stored that this replica lacks (the usual case: this window saved last, or
    // the other window's ops already came over the channel): no need to read the stored
    // log at all. Without a version key, the log's own tail tells.
    let covered = |vv: &VersionVector| doc.version_vector().includes(vv);
    if !stored_version(store, id).is_some_and(|vv| covered(&vv))
        && let Ok(Some(text)) = store.get_raw(&doc_key(id))
        && !saved_version(&text).is_some_and(|vv| covered(&vv))
        && let Ok(stored) = parse_saved(&text, doc.actor().clone())
    {
        for op in stored.missing_for(doc.version_vector()) {
            merged |= doc.receive(&op).unwrap_or(false);
        }
    }
    store.set_raw(&doc_key(id), &doc.save())?;
    store.set(&version_key(id), doc.version_vector())?;
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

pub fn delete(store: &LocalStore, id: &str) -> Result<(), StorageError> {
    store.remove(&doc_key(id))?;
    store.remove(&version_key(id))?;
    store.remove(&format!("{ENTRY_PREFIX}{id}"))
}
