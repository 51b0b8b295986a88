//! Rooms in PostgreSQL (`--database-url`): what lets several relays share one service.
//!
//! Every relay is stateless: a room lives in the database and in the memory of whichever
//! relays have clients in it. Each room's ops carry a position (`pos`, 1, 2, 3, …) that is
//! handed out under the room row's lock (`SELECT … FOR UPDATE`), so positions follow
//! commit order and a relay that has applied everything up to `pos` needs exactly the
//! rows after it. A commit announces itself with `NOTIFY bijeen, 'o {room} {pos}'`; every
//! relay hosting the room reads the rows it lacks. Presence (`p {room}`) and deleted rooms
//! (`d {room}`) travel the same way, so PostgreSQL is the only engine the service needs.
//!
//! The rate limits of a room are rows too, read and written inside the same transaction as
//! the ops they pay for: a client cannot double its rate by talking to two relays.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use thiserror::Error;
use tokio::sync::mpsc;
use tokio_postgres::error::SqlState;
use tokio_postgres::{AsyncMessage, NoTls};

/// The NOTIFY channel of every relay.
pub const CHANNEL: &str = "bijeen";

/// The schema this relay writes (`bijeen_schema.version`).
const SCHEMA_VERSION: i32 = 3;

/// Any number: the advisory lock two relays starting at once take around the migration.
const MIGRATION_LOCK: i64 = 0x6269_6a65_656e;

/// Schema 1, as the first relays on PostgreSQL created it (with the `snapshots` table that
/// schema 2 drops). Never changed: later versions are steps on top of it.
const SCHEMA_1: &str = "CREATE TABLE rooms (
            id text PRIMARY KEY,
            join_code text NOT NULL UNIQUE,
            facilitator_key text NOT NULL,
            created_ms bigint NOT NULL,
            last_active_ms bigint NOT NULL,
            last_pos bigint NOT NULL
        );
        CREATE TABLE ops (
            room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            pos bigint NOT NULL,
            actor text NOT NULL,
            seq bigint NOT NULL,
            op text NOT NULL,
            note text,
            flags smallint NOT NULL,
            PRIMARY KEY (room_id, pos),
            UNIQUE (room_id, actor, seq)
        );
        CREATE TABLE actors (
            room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            actor text NOT NULL,
            secret text NOT NULL,
            PRIMARY KEY (room_id, actor)
        );
        CREATE TABLE snapshots (
            room_id text PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
            pos bigint NOT NULL,
            workshop text NOT NULL
        );
        CREATE TABLE buckets (
            room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            writer text NOT NULL,
            tokens double precision NOT NULL,
            at_ms bigint NOT NULL,
            PRIMARY KEY (room_id, writer)
        );
        CREATE TABLE relays (
            id text PRIMARY KEY,
            seen_ms bigint NOT NULL
        );
        CREATE TABLE presence (
            room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            relay_id text NOT NULL,
            online integer NOT NULL,
            PRIMARY KEY (room_id, relay_id)
        );
        DELETE FROM bijeen_schema;
        INSERT INTO bijeen_schema (version) VALUES (1);";

/// Connections per relay. Writes of one room queue on the room's lock anyway; this is
/// how many rooms may commit at the same moment.
const POOL_SIZE: usize = 16;

/// A relay that has not refreshed its row for this long is taken for dead: its presence
/// no longer counts and it stops holding rooms from expiring.
pub const RELAY_STALE_MS: i64 = 20_000;

/// How often a relay refreshes its row (well inside [`RELAY_STALE_MS`]).
pub const HEARTBEAT: Duration = Duration::from_secs(5);

/// Flags of a stored op (the `flags` column), written with its `note` column: what the relay
/// knew of the op besides its JSON. Nothing reads them back since schema 2 (a room is
/// rebuilt by parsing its ops); they stay so the op rows keep one shape.
pub const FLAG_REFUSAL: i16 = 1;
pub const FLAG_BOARD_WIDE: i16 = 2;
pub const FLAG_CREATES_NOTE: i16 = 4;

#[derive(Debug, Error)]
pub enum PgError {
    /// The URL itself is never part of the message: it may hold a password.
    #[error("the database URL is not a usable postgres:// URL: {0}")]
    Url(String),
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    #[error("PostgreSQL: {0}")]
    Sql(#[from] tokio_postgres::Error),
    #[error(
        "the database has schema version {found}, newer than this relay's {SCHEMA_VERSION}: run a newer relay"
    )]
    NewerSchema { found: i32 },
    #[error("room {0} is no longer in the database")]
    RoomGone(String),
}

impl From<deadpool_postgres::PoolError> for PgError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => PgError::Sql(e),
            other => PgError::Connect(other.to_string()),
        }
    }
}

/// One op as PostgreSQL keeps it.
#[derive(Debug, Clone)]
pub struct PgOp {
    pub pos: i64,
    pub actor: String,
    pub seq: i64,
    pub json: String,
    pub note: Option<String>,
    pub flags: i16,
}

/// Everything needed to host a room.
#[derive(Debug)]
pub struct PgRoom {
    pub id: String,
    pub join_code: String,
    pub facilitator_key: String,
    pub last_active_ms: i64,
    /// Every op, by position.
    pub ops: Vec<PgOp>,
    pub actors: Vec<(String, String)>,
    /// The hash of the phone-remote key, while one is valid.
    pub remote: Option<String>,
}

/// The outcome of creating a room.
pub enum Created {
    Ok,
    /// Another relay took this join code first: draw another.
    CodeTaken,
}

/// A connection pool on one database, and this relay's name in it.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// For the listener's own connection. Boxed: the config is large and a store handle
    /// is cloned wherever the rooms are.
    config: Box<tokio_postgres::Config>,
    /// Random per process: a restarted relay is a new one, and the dead one's presence
    /// rows stop counting once its heartbeat is stale.
    pub relay_id: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the config: it holds the password.
        f.debug_struct("PgStore")
            .field("relay_id", &self.relay_id)
            .finish_non_exhaustive()
    }
}

/// Is `url` meant for PostgreSQL (as opposed to a typo'd path)?
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl PgStore {
    /// Connects, creates or migrates the schema, and registers this relay.
    pub async fn connect(url: &str, relay_id: String) -> Result<PgStore, PgError> {
        if !is_postgres_url(url) {
            return Err(PgError::Url(
                "it must start with postgres:// or postgresql://".into(),
            ));
        }
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| PgError::Url(e.to_string()))?;
        let mut pg = config.clone();
        // Queries of a relay are short; a statement stuck behind a lock for this long is a
        // fault to report, not a wait to sit out.
        pg.options("-c statement_timeout=30000");
        pg.connect_timeout(Duration::from_secs(10));
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| PgError::Connect(e.to_string()))?;
        let store = PgStore {
            pool,
            config: Box::new(config),
            relay_id,
        };
        store.migrate().await?;
        store.heartbeat(crate::ws::now_ms()).await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, PgError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => PgError::Connect(e.to_string()),
            other => PgError::Connect(other.to_string()),
        })
    }

    async fn migrate(&self) -> Result<(), PgError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS bijeen_schema (version integer NOT NULL)")
            .await?;
        let found: Option<i32> = tx
            .query_opt("SELECT version FROM bijeen_schema", &[])
            .await?
            .map(|row| row.get(0));
        let found = match found {
            Some(v) if v > SCHEMA_VERSION => return Err(PgError::NewerSchema { found: v }),
            Some(v) if v == SCHEMA_VERSION => return Ok(()),
            Some(v) => v,
            None => 0,
        };
        if found < 1 {
            // 0 -> 1: the first schema.
            tx.batch_execute(SCHEMA_1).await?;
        }
        // 1 -> 2: no snapshot rows. A workshop saved every 1,000 ops made opening a room
        // slower than replaying its log, so relays stopped writing and reading them.
        if found < 2 {
            tx.batch_execute(
                "DROP TABLE IF EXISTS snapshots;
                 DELETE FROM bijeen_schema;
                 INSERT INTO bijeen_schema (version) VALUES (2);",
            )
            .await?;
        }
        // 2 -> 3: the phone remote's key, one per room.
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS remotes (
                room_id text PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
                key text NOT NULL
             );
             DELETE FROM bijeen_schema;
             INSERT INTO bijeen_schema (version) VALUES (3);",
        )
        .await?;
        tx.commit().await?;
        tracing::info!(
            from = found,
            version = SCHEMA_VERSION,
            "PostgreSQL schema migrated"
        );
        Ok(())
    }

    /// Says this relay is alive, and forgets relays that stopped saying so. Returns the
    /// rooms whose presence changed by that.
    pub async fn heartbeat(&self, now_ms: i64) -> Result<Vec<String>, PgError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO relays (id, seen_ms) VALUES ($1, $2)
                 ON CONFLICT (id) DO UPDATE SET seen_ms = EXCLUDED.seen_ms",
                &[&self.relay_id, &now_ms],
            )
            .await?;
        let stale = now_ms - RELAY_STALE_MS;
        client
            .execute("DELETE FROM relays WHERE seen_ms < $1", &[&stale])
            .await?;
        let rooms = client
            .query(
                "DELETE FROM presence p WHERE NOT EXISTS
                   (SELECT 1 FROM relays r WHERE r.id = p.relay_id)
                 RETURNING p.room_id",
                &[],
            )
            .await?;
        let mut rooms: Vec<String> = rooms.iter().map(|r| r.get(0)).collect();
        rooms.sort();
        rooms.dedup();
        for room in &rooms {
            notify(&client, &format!("p {room}")).await?;
        }
        Ok(rooms)
    }

    pub async fn room_count(&self) -> Result<i64, PgError> {
        let client = self.client().await?;
        Ok(client
            .query_one("SELECT count(*) FROM rooms", &[])
            .await?
            .get(0))
    }

    pub async fn create_room(
        &self,
        id: &str,
        join_code: &str,
        facilitator_key: &str,
        created_ms: i64,
        ops: &[PgOp],
    ) -> Result<Created, PgError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let last_pos = ops.last().map_or(0, |o| o.pos);
        let inserted = tx
            .execute(
                "INSERT INTO rooms (id, join_code, facilitator_key, created_ms, last_active_ms, last_pos)
                 VALUES ($1, $2, $3, $4, $4, $5)",
                &[&id, &join_code, &facilitator_key, &created_ms, &last_pos],
            )
            .await;
        if let Err(e) = inserted {
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                return Ok(Created::CodeTaken);
            }
            return Err(e.into());
        }
        insert_ops(&tx, id, ops).await?;
        tx.commit().await?;
        Ok(Created::Ok)
    }

    /// The room a join code names, whichever relay created it.
    pub async fn room_by_code(&self, code: &str) -> Result<Option<String>, PgError> {
        let client = self.client().await?;
        Ok(client
            .query_opt("SELECT id FROM rooms WHERE join_code = $1", &[&code])
            .await?
            .map(|row| row.get(0)))
    }

    /// Everything about a room, read in one repeatable-read transaction so the room row,
    /// the log and the actors agree.
    pub async fn load_room(&self, id: &str) -> Result<Option<PgRoom>, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let Some(room) = tx
            .query_opt(
                "SELECT join_code, facilitator_key, last_active_ms FROM rooms WHERE id = $1",
                &[&id],
            )
            .await?
        else {
            return Ok(None);
        };
        let ops = ops_after(&tx, id, 0).await?;
        let actors = tx
            .query(
                "SELECT actor, secret FROM actors WHERE room_id = $1",
                &[&id],
            )
            .await?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let remote = tx
            .query_opt("SELECT key FROM remotes WHERE room_id = $1", &[&id])
            .await?
            .map(|row| row.get(0));
        tx.commit().await?;
        Ok(Some(PgRoom {
            id: id.to_owned(),
            join_code: room.get(0),
            facilitator_key: room.get(1),
            last_active_ms: room.get(2),
            ops,
            actors,
            remote,
        }))
    }

    /// Committed ops of a room after position `pos`.
    pub async fn ops_after(&self, room: &str, pos: i64) -> Result<Vec<PgOp>, PgError> {
        let client = self.client().await?;
        ops_after(&client, room, pos).await
    }

    /// The hash of the room's phone-remote key, whichever relay set it.
    pub async fn remote_of(&self, room: &str) -> Result<Option<String>, PgError> {
        let client = self.client().await?;
        Ok(client
            .query_opt("SELECT key FROM remotes WHERE room_id = $1", &[&room])
            .await?
            .map(|row| row.get(0)))
    }

    /// Sets (or, with `None`, removes) the room's remote-key hash and tells every relay.
    pub async fn set_remote(&self, room: &str, key: Option<&str>) -> Result<(), PgError> {
        let client = self.client().await?;
        match key {
            Some(key) => {
                client
                    .execute(
                        "INSERT INTO remotes (room_id, key) VALUES ($1, $2)
                         ON CONFLICT (room_id) DO UPDATE SET key = EXCLUDED.key",
                        &[&room, &key],
                    )
                    .await?
            }
            None => {
                client
                    .execute("DELETE FROM remotes WHERE room_id = $1", &[&room])
                    .await?
            }
        };
        notify(&client, &format!("r {room}")).await
    }

    /// The secret bound to a participant actor, by whichever relay bound it.
    pub async fn secret_of(&self, room: &str, actor: &str) -> Result<Option<String>, PgError> {
        let client = self.client().await?;
        Ok(client
            .query_opt(
                "SELECT secret FROM actors WHERE room_id = $1 AND actor = $2",
                &[&room, &actor],
            )
            .await?
            .map(|row| row.get(0)))
    }

    /// Binds `secret` to a fresh actor unless it has ops already or someone (on any relay)
    /// bound it first: then returns what is bound (`None` for an actor with ops and no
    /// secret, which nobody may claim).
    pub async fn bind_actor(
        &self,
        room: &str,
        actor: &str,
        secret: &str,
    ) -> Result<Result<(), Option<String>>, PgError> {
        let client = self.client().await?;
        let bound = client
            .execute(
                "INSERT INTO actors (room_id, actor, secret)
                 SELECT $1, $2, $3
                 WHERE NOT EXISTS (SELECT 1 FROM ops WHERE room_id = $1 AND actor = $2)
                 ON CONFLICT DO NOTHING",
                &[&room, &actor, &secret],
            )
            .await?;
        if bound == 1 {
            return Ok(Ok(()));
        }
        Ok(Err(self.secret_of(room, actor).await?))
    }

    /// Records this relay's connection count in a room (and, on a Hello, that the room is
    /// in use) and returns the count over every live relay.
    pub async fn set_presence(
        &self,
        room: &str,
        online: u32,
        active_ms: Option<i64>,
    ) -> Result<u32, PgError> {
        let client = self.client().await?;
        let online = i32::try_from(online).unwrap_or(i32::MAX);
        client
            .execute(
                "INSERT INTO presence (room_id, relay_id, online)
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM rooms WHERE id = $1)
                 ON CONFLICT (room_id, relay_id) DO UPDATE SET online = EXCLUDED.online",
                &[&room, &self.relay_id, &online],
            )
            .await?;
        if let Some(ms) = active_ms {
            client
                .execute(
                    "UPDATE rooms SET last_active_ms = GREATEST(last_active_ms, $2) WHERE id = $1",
                    &[&room, &ms],
                )
                .await?;
        }
        // Named, so this relay does not tell its own clients twice.
        notify(&client, &format!("p {room} {}", self.relay_id)).await?;
        presence_total(&client, room, crate::ws::now_ms()).await
    }

    /// Connections in a room over every live relay.
    pub async fn presence_total(&self, room: &str) -> Result<u32, PgError> {
        let client = self.client().await?;
        presence_total(&client, room, crate::ws::now_ms()).await
    }

    /// Deletes the rooms nobody has used since `idle_before` and nobody is in on any live
    /// relay, and tells every relay. Returns their ids.
    pub async fn expire(&self, idle_before: i64, now_ms: i64) -> Result<Vec<String>, PgError> {
        let client = self.client().await?;
        let live = now_ms - RELAY_STALE_MS;
        let gone: Vec<String> = client
            .query(
                "DELETE FROM rooms r WHERE r.last_active_ms < $1 AND NOT EXISTS (
                    SELECT 1 FROM presence p JOIN relays l ON l.id = p.relay_id
                    WHERE p.room_id = r.id AND p.online > 0 AND l.seen_ms > $2)
                 RETURNING r.id",
                &[&idle_before, &live],
            )
            .await?
            .iter()
            .map(|row| row.get(0))
            .collect();
        for id in &gone {
            notify(&client, &format!("d {id}")).await?;
        }
        Ok(gone)
    }

    /// A connection of its own (not from the pool) that LISTENs on [`CHANNEL`]; its
    /// notifications' payloads arrive on the receiver, which closes when the connection
    /// is lost (then notifications may have been missed). Keep the client while listening.
    pub async fn listen(
        &self,
    ) -> Result<(tokio_postgres::Client, mpsc::UnboundedReceiver<String>), PgError> {
        let (client, mut connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| PgError::Connect(e.to_string()))?;
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                    Some(Ok(AsyncMessage::Notification(n))) => {
                        if tx.send(n.payload().to_owned()).is_err() {
                            return;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        tracing::warn!(%e, "PostgreSQL listener connection lost");
                        return;
                    }
                    None => return,
                }
            }
        });
        client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
        Ok((client, rx))
    }

    /// Starts writing to a room: takes its row lock (other relays' writes to the room
    /// wait until this one commits or is dropped).
    pub async fn lock_room<'c>(
        client: &'c mut deadpool_postgres::Client,
        room: &'c str,
    ) -> Result<Locked<'c>, PgError> {
        let tx = client.transaction().await?;
        let last_pos: i64 = tx
            .query_opt(
                "SELECT last_pos FROM rooms WHERE id = $1 FOR UPDATE",
                &[&room],
            )
            .await?
            .ok_or_else(|| PgError::RoomGone(room.to_owned()))?
            .get(0);
        Ok(Locked { tx, room, last_pos })
    }

    pub async fn writer_client(&self) -> Result<deadpool_postgres::Client, PgError> {
        self.client().await
    }
}

/// A room whose row lock this relay holds, in an open transaction.
pub struct Locked<'c> {
    tx: deadpool_postgres::Transaction<'c>,
    room: &'c str,
    /// The position of the room's last committed op.
    pub last_pos: i64,
}

/// A token bucket as stored: tokens left and when (unix ms).
pub type StoredBucket = Option<(f64, i64)>;

impl Locked<'_> {
    /// Committed ops after `pos` (written by other relays since this one last looked).
    pub async fn ops_after(&self, pos: i64) -> Result<Vec<PgOp>, PgError> {
        ops_after(&self.tx, self.room, pos).await
    }

    /// The stored buckets of `writers`, in that order.
    pub async fn buckets(&self, writers: &[&str]) -> Result<Vec<StoredBucket>, PgError> {
        let rows = self
            .tx
            .query(
                "SELECT writer, tokens, at_ms FROM buckets WHERE room_id = $1 AND writer = ANY($2)",
                &[&self.room, &writers],
            )
            .await?;
        Ok(writers
            .iter()
            .map(|w| {
                rows.iter()
                    .find(|r| r.get::<_, &str>(0) == *w)
                    .map(|r| (r.get(1), r.get(2)))
            })
            .collect())
    }

    pub async fn set_bucket(&self, writer: &str, tokens: f64, at_ms: i64) -> Result<(), PgError> {
        self.tx
            .execute(
                "INSERT INTO buckets (room_id, writer, tokens, at_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (room_id, writer) DO UPDATE SET tokens = EXCLUDED.tokens, at_ms = EXCLUDED.at_ms",
                &[&self.room, &writer, &tokens, &at_ms],
            )
            .await?;
        Ok(())
    }

    /// Stores `ops` (positions after `last_pos`, in order), commits, and tells every relay.
    pub async fn commit(self, ops: &[PgOp], active_ms: i64) -> Result<(), PgError> {
        if let Some(last) = ops.last() {
            insert_ops(&self.tx, self.room, ops).await?;
            self.tx
                .execute(
                    "UPDATE rooms SET last_pos = $2, last_active_ms = GREATEST(last_active_ms, $3)
                     WHERE id = $1",
                    &[&self.room, &last.pos, &active_ms],
                )
                .await?;
            // Delivered at commit, and only if the commit happens.
            notify(&self.tx, &format!("o {} {}", self.room, last.pos)).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}

async fn notify<C: deadpool_postgres::GenericClient>(
    client: &C,
    payload: &str,
) -> Result<(), PgError> {
    client
        .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
        .await?;
    Ok(())
}

async fn presence_total<C: deadpool_postgres::GenericClient>(
    client: &C,
    room: &str,
    now_ms: i64,
) -> Result<u32, PgError> {
    let live = now_ms - RELAY_STALE_MS;
    let total: i64 = client
        .query_one(
            "SELECT COALESCE(sum(p.online), 0)::bigint FROM presence p
             JOIN relays r ON r.id = p.relay_id
             WHERE p.room_id = $1 AND r.seen_ms > $2",
            &[&room, &live],
        )
        .await?
        .get(0);
    Ok(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
}

async fn ops_after<C: deadpool_postgres::GenericClient>(
    client: &C,
    room: &str,
    pos: i64,
) -> Result<Vec<PgOp>, PgError> {
    Ok(client
        .query(
            "SELECT pos, actor, seq, op, note, flags FROM ops
             WHERE room_id = $1 AND pos > $2 ORDER BY pos",
            &[&room, &pos],
        )
        .await?
        .iter()
        .map(|row| PgOp {
            pos: row.get(0),
            actor: row.get(1),
            seq: row.get(2),
            json: row.get(3),
            note: row.get(4),
            flags: row.get(5),
        })
        .collect())
}

/// One statement for a whole batch (arrays unnested), not one round trip per op.
async fn insert_ops<C: deadpool_postgres::GenericClient>(
    tx: &C,
    room: &str,
    ops: &[PgOp],
) -> Result<(), PgError> {
    if ops.is_empty() {
        return Ok(());
    }
    let pos: Vec<i64> = ops.iter().map(|o| o.pos).collect();
    let actor: Vec<&str> = ops.iter().map(|o| o.actor.as_str()).collect();
    let seq: Vec<i64> = ops.iter().map(|o| o.seq).collect();
    let json: Vec<&str> = ops.iter().map(|o| o.json.as_str()).collect();
    let note: Vec<Option<&str>> = ops.iter().map(|o| o.note.as_deref()).collect();
    let flags: Vec<i16> = ops.iter().map(|o| o.flags).collect();
    tx.execute(
        "INSERT INTO ops (room_id, pos, actor, seq, op, note, flags)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::smallint[])",
        &[&room, &pos, &actor, &seq, &json, &note, &flags],
    )
    .await?;
    Ok(())
}
