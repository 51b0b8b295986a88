//! Durable rooms: one SQLite file (`relay.db`) in WAL mode under the data directory.
//!
//! Writes go through one dedicated writer thread that owns the write connection. It takes
//! every write waiting in its queue, runs them in one transaction (each in its own
//! savepoint, so one bad write fails alone) and commits once: under load many rooms share
//! one fsync (group commit) instead of queueing behind each other's. A caller's future
//! completes only after the commit, which is what lets the relay ack and forward an op
//! only once it is durable. Reads happen once, at startup.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, OpenFlags, params};
use thiserror::Error;
use tokio::sync::oneshot;

use crate::secret::SecretHash;

pub const DB_FILE: &str = "relay.db";

/// Writes per transaction at most, so one commit never grows without bound under load.
const MAX_GROUP: usize = 256;

/// `PRAGMA user_version` of the schema this relay writes. 0: credentials in plaintext
/// (databases made before they were hashed, migrated on open); 1: credentials stored as
/// [`SecretHash`]es.
const SCHEMA_VERSION: i32 = 1;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the storage writer has stopped")]
    WriterGone,
    #[error("cannot make {} private to this user: {source}", path.display())]
    Permissions {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} has schema version {found}, newer than this relay's {SCHEMA_VERSION}: run a newer relay",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: i32 },
    #[error("{0}")]
    Postgres(#[from] crate::pg::PgError),
    #[error("a stored room is unreadable: {0}")]
    Corrupt(String),
}

/// One durable change. Ops arrive as JSON already serialised by the caller (it needs the
/// text anyway) with their id split out for the primary key.
#[derive(Debug)]
pub enum Write {
    Room {
        id: String,
        join_code: String,
        facilitator_key: String,
        created_ms: i64,
        ops: Vec<OpRow>,
    },
    Ops {
        room: String,
        ops: Vec<OpRow>,
    },
    /// A participant device's secret, bound on its first Hello.
    Actor {
        room: String,
        actor: String,
        secret: String,
    },
    /// The hash of the room's phone-remote key, or none (revoked).
    Remote {
        room: String,
        key: Option<String>,
    },
    /// A room and everything in it (expired).
    DeleteRoom {
        id: String,
    },
}

#[derive(Debug, Clone)]
pub struct OpRow {
    pub actor: String,
    pub seq: i64,
    pub json: String,
}

/// Everything stored about one room, as loaded at startup.
#[derive(Debug)]
pub struct StoredRoom {
    pub id: String,
    pub join_code: String,
    pub facilitator_key: String,
    pub created_ms: i64,
    /// The ops as stored (JSON), by actor and sequence number.
    pub ops: Vec<String>,
    pub actors: Vec<(String, String)>,
    /// The hash of the phone-remote key, while one is valid.
    pub remote: Option<String>,
}

struct Job {
    write: Write,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// Handle to the writer thread. Cloning shares the thread; it stops when the last handle
/// is dropped, and that drop waits for it, so the database is closed before anyone can
/// open the same file again (SQLite can deadlock on a file whose old connection is still
/// closing).
#[derive(Clone, Debug)]
pub struct Store {
    writer: std::sync::Arc<WriterThread>,
}

#[derive(Debug)]
struct WriterThread {
    tx: Option<mpsc::Sender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Drop for WriterThread {
    fn drop(&mut self) {
        // Closing the channel ends the writer's loop; then wait for it to close SQLite.
        self.tx.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    crate::private_fs::prepare_db(path).map_err(|source| StoreError::Permissions {
        path: path.to_path_buf(),
        source,
    })?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // WAL: readers never block the writer and a commit is one append. synchronous=FULL
    // fsyncs the WAL on every commit: "acked" must survive a power cut, not only a crash
    // of this process. busy_timeout covers a previous relay process in the same directory
    // that has not quite let go yet (restart tests, a supervisor restarting quickly).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Overwrite what is deleted or replaced, so an old plaintext secret does not linger in
    // a free page after its migration.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS rooms (
            id TEXT PRIMARY KEY,
            join_code TEXT NOT NULL UNIQUE,
            facilitator_key TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ops (
            room_id TEXT NOT NULL REFERENCES rooms(id),
            actor TEXT NOT NULL,
            seq INTEGER NOT NULL,
            op TEXT NOT NULL,
            PRIMARY KEY (room_id, actor, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS actors (
            room_id TEXT NOT NULL REFERENCES rooms(id),
            actor TEXT NOT NULL,
            secret TEXT NOT NULL,
            PRIMARY KEY (room_id, actor)
        ) WITHOUT ROWID;
        -- A table of its own, so databases from before the remote get it as they open.
        CREATE TABLE IF NOT EXISTS remotes (
            room_id TEXT PRIMARY KEY REFERENCES rooms(id),
            key TEXT NOT NULL
        ) WITHOUT ROWID;",
    )?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Brings an older database up to [`SCHEMA_VERSION`] in place.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // 0 -> 1: hash every plaintext credential (a fresh database has none).
    let tx = conn.transaction()?;
    let mut hashed = 0usize;
    {
        let rooms: Vec<(String, String)> = tx
            .prepare("SELECT id, facilitator_key FROM rooms")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare("UPDATE rooms SET facilitator_key = ?2 WHERE id = ?1")?;
        for (id, key) in rooms {
            if !SecretHash::is_stored_hash(&key) {
                update.execute(params![id, SecretHash::of_key_str(&key).to_stored()])?;
                hashed += 1;
            }
        }
        let actors: Vec<(String, String, String)> = tx
            .prepare("SELECT room_id, actor, secret FROM actors")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut update =
            tx.prepare("UPDATE actors SET secret = ?3 WHERE room_id = ?1 AND actor = ?2")?;
        for (room, actor, secret) in actors {
            if !SecretHash::is_stored_hash(&secret) {
                update.execute(params![
                    room,
                    actor,
                    SecretHash::of_participant_str(&secret).to_stored()
                ])?;
                hashed += 1;
            }
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    if hashed > 0 {
        // Rewrite the whole file and empty the WAL, so no page anywhere keeps a plaintext
        // copy (older pages or WAL frames written before secure_delete was on).
        conn.execute_batch("VACUUM")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        tracing::info!(hashed, db = %path.display(), "stored credentials are now hashed");
    }
    Ok(())
}

impl Store {
    /// Opens (or creates) the database, loads every room and starts the writer thread.
    pub fn open(data_dir: &Path) -> Result<(Store, Vec<StoredRoom>), StoreError> {
        let path = data_dir.join(DB_FILE);
        let conn = open(&path)?;
        let rooms = load(&conn)?;
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = thread::Builder::new()
            .name("bijeen-sqlite-writer".into())
            .spawn(move || writer(conn, rx))
            .map_err(|e| StoreError::Open {
                path,
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
            })?;
        let writer = WriterThread {
            tx: Some(tx),
            thread: Some(thread),
        };
        Ok((
            Store {
                writer: std::sync::Arc::new(writer),
            },
            rooms,
        ))
    }

    /// Completes once `write` is committed (or failed).
    pub async fn commit(&self, write: Write) -> Result<(), StoreError> {
        let (done, wait) = oneshot::channel();
        self.writer
            .tx
            .as_ref()
            .ok_or(StoreError::WriterGone)?
            .send(Job { write, done })
            .map_err(|_| StoreError::WriterGone)?;
        wait.await.map_err(|_| StoreError::WriterGone)?
    }
}

fn load(conn: &Connection) -> Result<Vec<StoredRoom>, StoreError> {
    let mut rooms: Vec<StoredRoom> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut stmt =
        conn.prepare("SELECT id, join_code, facilitator_key, created_ms FROM rooms ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        index.insert(id.clone(), rooms.len());
        rooms.push(StoredRoom {
            id,
            join_code: row.get(1)?,
            facilitator_key: row.get(2)?,
            created_ms: row.get(3)?,
            ops: Vec::new(),
            actors: Vec::new(),
            remote: None,
        });
    }
    // Primary-key order: by room, then actor, then seq, so every log replays in order.
    let mut stmt = conn.prepare("SELECT room_id, op FROM ops ORDER BY room_id, actor, seq")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let room: String = row.get(0)?;
        if let Some(&i) = index.get(&room) {
            rooms[i].ops.push(row.get(1)?);
        }
    }
    let mut stmt = conn.prepare("SELECT room_id, actor, secret FROM actors")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let room: String = row.get(0)?;
        if let Some(&i) = index.get(&room) {
            rooms[i].actors.push((row.get(1)?, row.get(2)?));
        }
    }
    let mut stmt = conn.prepare("SELECT room_id, key FROM remotes")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let room: String = row.get(0)?;
        if let Some(&i) = index.get(&room) {
            rooms[i].remote = Some(row.get(1)?);
        }
    }
    Ok(rooms)
}

fn writer(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    // Ends when every Store handle is gone.
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let results = commit_group(&mut conn, &jobs);
        for (job, result) in jobs.into_iter().zip(results) {
            // A caller that went away (connection closed) no longer needs the answer; the
            // write is committed regardless and the client learns it from the next Welcome.
            let _ = job.done.send(result);
        }
    }
}

fn commit_group(conn: &mut Connection, jobs: &[Job]) -> Vec<Result<(), StoreError>> {
    let tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => {
            return jobs
                .iter()
                .map(|_| Err(StoreError::Sql(clone_err(&e))))
                .collect();
        }
    };
    let mut results = Vec::with_capacity(jobs.len());
    let mut tx = tx;
    for job in jobs {
        let result = (|| -> Result<(), rusqlite::Error> {
            let sp = tx.savepoint()?;
            apply(&sp, &job.write)?;
            sp.commit()
        })();
        results.push(result.map_err(StoreError::Sql));
    }
    if let Err(e) = tx.commit() {
        tracing::error!(%e, "commit failed");
        return jobs
            .iter()
            .map(|_| Err(StoreError::Sql(clone_err(&e))))
            .collect();
    }
    results
}

/// rusqlite errors are not Clone; every waiting caller gets its own copy of the message.
fn clone_err(e: &rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(e.to_string().into())
}

fn apply(conn: &Connection, write: &Write) -> Result<(), rusqlite::Error> {
    match write {
        Write::Room {
            id,
            join_code,
            facilitator_key,
            created_ms,
            ops,
        } => {
            conn.execute(
                "INSERT INTO rooms (id, join_code, facilitator_key, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![id, join_code, facilitator_key, created_ms],
            )?;
            insert_ops(conn, id, ops)
        }
        Write::Ops { room, ops } => insert_ops(conn, room, ops),
        Write::Actor {
            room,
            actor,
            secret,
        } => conn
            .execute(
                "INSERT INTO actors (room_id, actor, secret) VALUES (?1, ?2, ?3)",
                params![room, actor, secret],
            )
            .map(|_| ()),
        Write::Remote {
            room,
            key: Some(key),
        } => conn
            .execute(
                "INSERT INTO remotes (room_id, key) VALUES (?1, ?2)
                 ON CONFLICT (room_id) DO UPDATE SET key = excluded.key",
                params![room, key],
            )
            .map(|_| ()),
        Write::Remote { room, key: None } => conn
            .execute("DELETE FROM remotes WHERE room_id = ?1", params![room])
            .map(|_| ()),
        Write::DeleteRoom { id } => {
            conn.execute("DELETE FROM remotes WHERE room_id = ?1", params![id])?;
            conn.execute("DELETE FROM actors WHERE room_id = ?1", params![id])?;
            conn.execute("DELETE FROM ops WHERE room_id = ?1", params![id])?;
            conn.execute("DELETE FROM rooms WHERE id = ?1", params![id])
                .map(|_| ())
        }
    }
}

fn insert_ops(conn: &Connection, room: &str, ops: &[OpRow]) -> Result<(), rusqlite::Error> {
    let mut stmt =
        conn.prepare_cached("INSERT INTO ops (room_id, actor, seq, op) VALUES (?1, ?2, ?3, ?4)")?;
    for op in ops {
        stmt.execute(params![room, op.actor, op.seq, op.json])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(actor: &str, seq: i64) -> OpRow {
        let op = bijeen_core::Op {
            id: bijeen_core::OpId {
                actor: bijeen_core::ActorId::new(actor),
                seq: seq as u64,
            },
            hlc: bijeen_core::Hlc::default(),
            body: bijeen_core::OpBody::SetMeta(bijeen_core::op::MetaField::Title("t".into())),
        };
        OpRow {
            actor: actor.into(),
            seq,
            json: serde_json::to_string(&op).unwrap_or_default(),
        }
    }

    #[tokio::test]
    async fn writes_survive_reopening_and_a_bad_write_fails_alone() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().map_err(|_| StoreError::WriterGone)?;
        {
            let (store, rooms) = Store::open(dir.path())?;
            assert!(rooms.is_empty());
            store
                .commit(Write::Room {
                    id: "r1".into(),
                    join_code: "ABCDEF".into(),
                    facilitator_key: "k".into(),
                    created_ms: 1,
                    ops: vec![row("f", 1)],
                })
                .await?;
            let (a, b) = tokio::join!(
                store.commit(Write::Ops {
                    room: "r1".into(),
                    ops: vec![row("p", 1), row("p", 2)],
                }),
                // Duplicate key: fails without taking the other write down with it.
                store.commit(Write::Ops {
                    room: "r1".into(),
                    ops: vec![row("f", 1)],
                }),
            );
            a?;
            assert!(b.is_err());
            store
                .commit(Write::Actor {
                    room: "r1".into(),
                    actor: "p".into(),
                    secret: "s".into(),
                })
                .await?;
        }
        let (_store, rooms) = Store::open(dir.path())?;
        assert_eq!(rooms.len(), 1);
        assert_eq!(rooms[0].join_code, "ABCDEF");
        let ids: Vec<String> = rooms[0]
            .ops
            .iter()
            .map(|json| {
                serde_json::from_str::<bijeen_core::Op>(json)
                    .map(|o| o.id.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(ids, ["f-1", "p-1", "p-2"]);
        assert_eq!(rooms[0].actors, [("p".to_string(), "s".to_string())]);
        Ok(())
    }
}
