//! Hostile clients against the relay: here, someone holding a copy of the database.
//!
//! The relay runs in this process on 127.0.0.1 (port 0).

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use bijeen_core::VersionVector;
use bijeen_protocol::{ClientMsg, ErrorCode, FacilitatorKey, PROTOCOL_VERSION, RoomId, ServerMsg};
use bijeen_relay::{Config, DB_FILE, Limits, Relay, RelayError};
use support::*;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------
// Harness

const INLINE_SCRIPT: &str = "\nimport init from '/bijeen-3f2a9c1b0d4e5f67.js';\nawait init();\n";
const HASHED_JS: &str = "/bijeen-3f2a9c1b0d4e5f67.js";

/// A dist shaped like Trunk's: an inline bootstrap script and a hashed module.
fn write_app(dir: &Path, script: &str) -> std::io::Result<()> {
    std::fs::write(
        dir.join("index.html"),
        format!(
            "<!doctype html><html><head><title>t</title><script type=\"module\">{script}</script></head><body></body></html>"
        ),
    )?;
    std::fs::write(
        dir.join(HASHED_JS.trim_start_matches('/')),
        "export default function init() {}\n",
    )
}

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), RelayError>>,
    dist: TempDir,
    data: TempDir,
}

impl Server {
    async fn start_in(
        dist: TempDir,
        data: TempDir,
        tweak: impl FnOnce(&mut Config),
    ) -> TestResult<Server> {
        let mut config = support::config(dist.path(), data.path(), Limits::default());
        tweak(&mut config);
        let relay = Relay::bind(config).await?;
        let addr = relay.local_addr();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(relay.run(async move {
            let _ = stopped.await;
        }));
        Ok(Server {
            addr,
            stop,
            task,
            dist,
            data,
        })
    }

    /// Stops the relay and hands back its directories.
    async fn stop(self) -> TestResult<(TempDir, TempDir)> {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(5), self.task).await???;
        Ok((self.dist, self.data))
    }
}

// ---------------------------------------------------------------------------------------
// Secrets at rest

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every byte SQLite keeps on disk: the database and its WAL and shared-memory files.
fn db_bytes(data: &Path) -> TestResult<Vec<u8>> {
    let mut all = Vec::new();
    for name in [
        DB_FILE.to_string(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
    ] {
        match std::fs::read(data.join(name)) {
            Ok(bytes) => all.extend(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(all)
}

#[cfg(unix)]
fn mode(path: &Path) -> TestResult<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

async fn hello_result(
    addr: SocketAddr,
    room: &RoomId,
    credential: bijeen_protocol::Credential,
) -> TestResult<ServerMsg> {
    let mut ws = WsClient::connect(addr, room).await?;
    ws.send(&ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
        room: room.clone(),
        credential,
        version_vector: VersionVector::default(),
    })
    .await?;
    let answer = ws.recv_skip_presence().await?;
    ws.close().await;
    Ok(answer)
}

#[cfg(unix)]
#[tokio::test]
async fn secrets_are_hashed_at_rest_and_the_files_are_private() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir()?;
    // An existing directory of ours that is too open gets tightened.
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o755))?;
    let dist = tempfile::tempdir()?;
    write_app(dist.path(), INLINE_SCRIPT)?;
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let room = create_room(relay.addr, all_ops(&facilitator_doc()?)).await?;
    let welcome = hello_result(relay.addr, &room.room_id, participant("p1")).await?;
    assert!(matches!(welcome, ServerMsg::Welcome { .. }), "{welcome:?}");
    // While the relay runs, SQLite's -wal and -shm files exist next to the database.
    let dir = relay.data.path();
    let modes = (
        mode(dir)?,
        mode(&dir.join(DB_FILE))?,
        mode(&dir.join(format!("{DB_FILE}-wal")))?,
        mode(&dir.join(format!("{DB_FILE}-shm")))?,
    );
    let bytes_running = db_bytes(dir)?;
    let (dist, data) = relay.stop().await?;

    let mut bytes = db_bytes(data.path())?;
    bytes.extend(bytes_running);
    let key_on_disk = contains(&bytes, room.facilitator_key.as_str());
    let secret_on_disk = contains(&bytes, secret_for("p1").as_str());
    println!(
        "on disk: key {key_on_disk}, secret {secret_on_disk}; modes {:o} {:o} {:o} {:o}",
        modes.0, modes.1, modes.2, modes.3
    );
    assert!(!key_on_disk, "facilitator key in plaintext on disk");
    assert!(!secret_on_disk, "participant secret in plaintext on disk");
    assert_eq!(modes, (0o700, 0o600, 0o600, 0o600));

    // After a restart the hashes still let the right people in, and only them.
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let fac = hello_result(
        relay.addr,
        &room.room_id,
        facilitator(&room.facilitator_key),
    )
    .await?;
    assert!(matches!(fac, ServerMsg::Welcome { .. }), "{fac:?}");
    let p1 = hello_result(relay.addr, &room.room_id, participant("p1")).await?;
    assert!(matches!(p1, ServerMsg::Welcome { .. }), "{p1:?}");
    let wrong = bijeen_protocol::Credential::Participant {
        actor: bijeen_core::ActorId::new("p1"),
        secret: secret_for("p2"),
    };
    let refused = hello_result(relay.addr, &room.room_id, wrong).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    let other_key = FacilitatorKey::from_random([9; 32]);
    let refused = hello_result(relay.addr, &room.room_id, facilitator(&other_key)).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    relay.stop().await?;
    Ok(())
}

#[cfg(unix)]
#[tokio::test]
async fn a_plaintext_database_is_migrated_in_place_and_its_credentials_still_work() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir()?;
    let key = FacilitatorKey::from_random([42; 32]);
    let room_id = RoomId::from_random([7; 16]);
    let secret = secret_for("p1");
    {
        // The schema and contents a relay before hashing wrote.
        let db = rusqlite::Connection::open(data.path().join(DB_FILE))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.execute_batch(
            "CREATE TABLE rooms (id TEXT PRIMARY KEY, join_code TEXT NOT NULL UNIQUE,
                facilitator_key TEXT NOT NULL, created_ms INTEGER NOT NULL);
            CREATE TABLE ops (room_id TEXT NOT NULL REFERENCES rooms(id), actor TEXT NOT NULL,
                seq INTEGER NOT NULL, op TEXT NOT NULL, PRIMARY KEY (room_id, actor, seq)) WITHOUT ROWID;
            CREATE TABLE actors (room_id TEXT NOT NULL REFERENCES rooms(id), actor TEXT NOT NULL,
                secret TEXT NOT NULL, PRIMARY KEY (room_id, actor)) WITHOUT ROWID;",
        )?;
        db.execute(
            "INSERT INTO rooms VALUES (?1, 'ABCDEF', ?2, 1)",
            rusqlite::params![room_id.as_str(), key.as_str()],
        )?;
        for op in all_ops(&facilitator_doc()?) {
            db.execute(
                "INSERT INTO ops VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    room_id.as_str(),
                    op.id.actor.as_str(),
                    op.id.seq as i64,
                    serde_json::to_string(&op)?
                ],
            )?;
        }
        db.execute(
            "INSERT INTO actors VALUES (?1, 'p1', ?2)",
            rusqlite::params![room_id.as_str(), secret.as_str()],
        )?;
    }
    std::fs::set_permissions(
        data.path().join(DB_FILE),
        std::fs::Permissions::from_mode(0o644),
    )?;
    assert!(
        contains(&db_bytes(data.path())?, key.as_str()),
        "the old database holds the key"
    );

    let dist = tempfile::tempdir()?;
    write_app(dist.path(), INLINE_SCRIPT)?;
    let relay = Server::start_in(dist, data, |_| {}).await?;
    let fac = hello_result(relay.addr, &room_id, facilitator(&key)).await?;
    assert!(matches!(fac, ServerMsg::Welcome { .. }), "{fac:?}");
    let p1 = hello_result(relay.addr, &room_id, participant("p1")).await?;
    assert!(matches!(p1, ServerMsg::Welcome { .. }), "{p1:?}");
    let wrong = bijeen_protocol::Credential::Participant {
        actor: bijeen_core::ActorId::new("p1"),
        secret: secret_for("p2"),
    };
    let refused = hello_result(relay.addr, &room_id, wrong).await?;
    assert_eq!(
        refused,
        ServerMsg::Error {
            code: ErrorCode::BadCredential
        }
    );
    let (_dist, data) = relay.stop().await?;

    let bytes = db_bytes(data.path())?;
    assert!(
        !contains(&bytes, key.as_str()),
        "key left in plaintext after the migration"
    );
    assert!(
        !contains(&bytes, secret.as_str()),
        "secret left in plaintext after the migration"
    );
    assert_eq!(mode(&data.path().join(DB_FILE))?, 0o600);
    let db = rusqlite::Connection::open(data.path().join(DB_FILE))?;
    let version: i32 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(version, 1);
    Ok(())
}
