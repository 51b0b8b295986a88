//! The Bijeen relay: serves the built app and relays workshop rooms.
//!
//! - `GET /ws/{room_id}`: the room WebSocket ([`bijeen_protocol`] messages), see `ws.rs`;
//! - `POST /api/rooms`, `GET /api/join/{code}`: creating and finding rooms, see `api.rs`;
//! - rooms live in memory as `bijeen_core::Doc`s and in SQLite (`store.rs`) or, shared by
//!   several relays, in PostgreSQL (`pg.rs`); an op is committed before it is acknowledged
//!   or forwarded.
//!
//! `main.rs` only parses the configuration and starts tracing; everything else lives here so
//! integration tests can run the real server in-process on port 0.

mod api;
mod bucket;
mod client_ip;
mod config;
mod error;
mod hardening;
mod health;
mod ip_limit;
mod origin;
mod pg;
mod private_fs;
mod rooms;
mod secret;
mod server;
mod static_files;
mod store;
mod tls;
mod ws;

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{Config, Limits, NetLimits, Origin, parse_duration};
pub use error::RelayError;
pub use store::DB_FILE;

/// After a shutdown signal, open connections get this long to finish before the process
/// exits anyway. Graceful shutdown waits for every connection, and long-lived ones
/// (WebSockets, a stalled download) would otherwise keep a stopped relay alive forever.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Quality for on-the-fly compression (brotli 0-11, gzip 0-9). tower-http's default level
/// means brotli quality 11, which costs seconds of CPU per megabyte of wasm on every request
/// (nothing is cached); 5 still beats gzip clearly at a small fraction of that. Builds that
/// want the last bytes ship `.br`/`.gz` siblings, which are served as they are.
const COMPRESSION_QUALITY: i32 = 5;

/// Time for a whole room-creation request, body included: a client that sends headers
/// quickly and then dribbles a 4 MB body must not hold its connection for hours.
const CREATE_TIMEOUT: Duration = Duration::from_secs(60);

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    hub: Arc<rooms::Hub>,
    /// Flips to `true` on shutdown; every WebSocket task watches it and closes, so
    /// graceful shutdown does not sit out the grace period for idle sockets.
    shutdown: watch::Receiver<bool>,
    /// Rate limits per client address (see `ip_limit.rs`).
    ip_limits: Arc<ip_limit::IpLimits>,
    /// Origins besides the relay's own whose pages may open room WebSockets.
    allowed_origins: Arc<[Origin]>,
}

/// All HTTP routes of the relay.
fn app(config: &Config, state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/api/rooms",
            post(api::create_room)
                .layer::<_, Infallible>(DefaultBodyLimit::max(api::MAX_CREATE_BODY))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    CREATE_TIMEOUT,
                )),
        )
        .route("/api/join/{code}", get(api::join))
        .route("/api/rooms/{room_id}/remote", post(api::set_remote))
        .route("/ws/{room_id}", get(ws::upgrade))
        .with_state(state);
    let csp = Arc::new(hardening::Csp::new(&config.dist));
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(api)
        .merge(static_files::router(&config.dist))
        .layer(middleware::from_fn(hardening::reject_long_paths))
        // The default predicate skips images (but not SVG), gRPC, SSE and bodies under 32
        // bytes; `application/wasm`, JS, CSS, HTML and JSON are all compressed.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(COMPRESSION_QUALITY)))
        .layer(middleware::from_fn_with_state(
            csp,
            hardening::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
}

/// A relay that has checked its configuration and holds its listening socket, but does not
/// accept connections yet. Splitting bind from run lets callers learn the real port (when
/// configured as 0) and print links before serving.
pub struct Relay {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    shutdown: watch::Sender<bool>,
    rooms: usize,
    load_time: Duration,
    serve: server::Options,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("local_addr", &self.local_addr)
            .field("rooms", &self.rooms)
            .field("tls", &self.serve.tls.is_some())
            .field("max_connections", &self.serve.counts.max())
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// Checks the dist directory, creates the data directory, loads the stored rooms and
    /// binds the port.
    pub async fn bind(config: Config) -> Result<Self, RelayError> {
        let index = config.dist.join(static_files::INDEX);
        if !tokio::fs::try_exists(&index).await.unwrap_or(false) {
            return Err(RelayError::MissingIndex {
                index: std::path::absolute(&index).unwrap_or(index),
            });
        }
        for name in static_files::PHONE_ENTRIES {
            let entry = config.dist.join(name);
            if !tokio::fs::try_exists(&entry).await.unwrap_or(false) {
                return Err(RelayError::MissingPhoneEntry {
                    entry: std::path::absolute(&entry).unwrap_or(entry),
                });
            }
        }
        // Before anything slow, so a typo in a TLS path fails at once.
        let tls = tls::acceptor(config.tls_cert.as_deref(), config.tls_key.as_deref())?;
        if config.database_url.is_none() {
            let dir = config.data_dir.clone();
            tokio::task::spawn_blocking(move || private_fs::create_dir(&dir))
                .await
                .map_err(io::Error::other)
                .and_then(|r| r)
                .map_err(|source| RelayError::DataDir {
                    path: config.data_dir.clone(),
                    source,
                })?;
        }

        let (soft, hard) = server::raise_fd_limit();
        let max_connections = server::connection_cap(soft, config.net.max_connections);
        if let Some(asked) = config.net.max_connections
            && usize::try_from(asked).is_ok_and(|a| a > max_connections)
        {
            tracing::warn!(
                asked,
                max_connections,
                soft,
                "--max-connections is more than the file-descriptor limit allows; capped"
            );
        }
        tracing::info!(
            max_connections,
            per_ip = config.net.max_connections_per_ip,
            fd_soft_limit = soft,
            fd_hard_limit = hard,
            header_timeout = ?config.net.header_timeout,
            "connection limits"
        );

        let started = Instant::now();
        let (backend, loaded) = match &config.database_url {
            None => {
                let data_dir = config.data_dir.clone();
                // Opening and replaying SQLite blocks; keep it off the async workers.
                let (store, stored) =
                    tokio::task::spawn_blocking(move || store::Store::open(&data_dir))
                        .await
                        .map_err(|e| {
                            RelayError::Store(store::StoreError::Open {
                                path: config.data_dir.join(DB_FILE),
                                source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
                            })
                        })?
                        .map_err(RelayError::Store)?;
                let loaded = stored
                    .into_iter()
                    .map(|room| rooms::room_from_store(room, &config.limits))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(RelayError::Load)?;
                (rooms::Backend::Sqlite(store), loaded)
            }
            // Stateless: nothing is loaded; rooms are hosted when a client asks for one.
            Some(url) => {
                let relay_id = relay_id().map_err(RelayError::Random)?;
                let pg = pg::PgStore::connect(url, relay_id)
                    .await
                    .map_err(RelayError::Database)?;
                tracing::info!(relay = %pg.relay_id, "rooms in PostgreSQL");
                (rooms::Backend::Postgres(pg), Vec::new())
            }
        };
        let room_count = loaded.len();
        let hub = Arc::new(rooms::Hub::new(backend, loaded, config.limits.clone()));
        let load_time = started.elapsed();
        let (shutdown, shutdown_rx) = watch::channel(false);
        tokio::spawn(expire_idle_rooms(hub.clone(), shutdown_rx.clone()));
        if let rooms::Backend::Postgres(pg) = &hub.backend {
            tokio::spawn(listen(hub.clone(), pg.clone(), shutdown_rx.clone()));
            tokio::spawn(heartbeat(pg.clone(), shutdown_rx.clone()));
        }

        let addr = config.socket_addr();
        let listener = TcpListener::bind(addr).await.map_err(|source| {
            if source.kind() == io::ErrorKind::AddrInUse {
                RelayError::PortInUse { port: addr.port() }
            } else {
                RelayError::Bind { addr, source }
            }
        })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| RelayError::Bind { addr, source })?;

        let serve = server::Options {
            tls,
            header_timeout: config.net.header_timeout,
            trusted_proxies: config
                .trusted_proxies
                .iter()
                .copied()
                .map(client_ip::canonical)
                .collect(),
            counts: Arc::new(server::ConnCounts::new(
                max_connections,
                usize::try_from(config.net.max_connections_per_ip).unwrap_or(usize::MAX),
            )),
            shutdown: shutdown_rx.clone(),
        };
        Ok(Self {
            listener,
            local_addr,
            router: app(
                &config,
                AppState {
                    hub,
                    shutdown: shutdown_rx,
                    ip_limits: Arc::new(ip_limit::IpLimits::new(&config.net)),
                    allowed_origins: config.allowed_origins.clone().into(),
                },
            ),
            shutdown,
            rooms: room_count,
            load_time,
            serve,
        })
    }

    /// The address actually bound (the real port when configured as 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Rooms loaded from the data directory at bind time.
    pub fn rooms_loaded(&self) -> usize {
        self.rooms
    }

    /// How long opening the database and replaying every room took.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// Whether the relay serves HTTPS (and WSS).
    pub fn is_tls(&self) -> bool {
        self.serve.tls.is_some()
    }

    /// The link to print for people. A wildcard address is not something a browser can open,
    /// so it becomes `localhost`; the run script lists LAN addresses itself.
    pub fn url(&self) -> String {
        let scheme = if self.is_tls() { "https" } else { "http" };
        let ip = self.local_addr.ip();
        let port = self.local_addr.port();
        if ip.is_unspecified() {
            format!("{scheme}://localhost:{port}/")
        } else {
            // SocketAddr's Display brackets IPv6 addresses as URLs need.
            format!("{scheme}://{}/", self.local_addr)
        }
    }

    /// Serves until `shutdown` completes, then stops accepting, lets in-flight requests finish
    /// and returns; connections still open after [`SHUTDOWN_GRACE`] are dropped.
    pub async fn run<F>(self, shutdown: F) -> Result<(), RelayError>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (signalled_tx, signalled_rx) = oneshot::channel::<()>();
        let sockets = self.shutdown;
        let signal = async move {
            shutdown.await;
            // WebSocket tasks close their sockets; nobody listening is fine.
            let _ = sockets.send(true);
            // The receiver only disappears once `run` has returned; nobody is left to tell.
            let _ = signalled_tx.send(());
        };
        let server = server::serve(self.listener, self.router, self.serve, signal);
        let deadline = async move {
            match signalled_rx.await {
                Ok(()) => tokio::time::sleep(SHUTDOWN_GRACE).await,
                // The server ended without a signal; let its own result win the race.
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            () = server => Ok(()),
            () = deadline => {
                tracing::warn!(
                    grace = ?SHUTDOWN_GRACE,
                    "connections still open after the shutdown grace period; closing them"
                );
                Ok(())
            }
        }
    }
}

/// How often idle rooms are looked for.
const EXPIRY_SWEEP: Duration = Duration::from_secs(60);

/// Removes idle rooms every [`EXPIRY_SWEEP`] until the relay stops (and lets go of the
/// store then, so a restart in the same process can open the database again).
async fn expire_idle_rooms(hub: Arc<rooms::Hub>, mut shutdown: watch::Receiver<bool>) {
    // Not at once: a relay that was down a while first lets its facilitators reconnect.
    let mut tick =
        tokio::time::interval_at(tokio::time::Instant::now() + EXPIRY_SWEEP, EXPIRY_SWEEP);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                hub.expire_idle(ws::now_ms()).await;
            }
            // Stopping, or the relay was dropped without running.
            () = ws::stopped(&mut shutdown) => return,
        }
    }
}

/// A name for this relay process among those sharing a PostgreSQL database.
fn relay_id() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b)?;
    Ok(b.iter().map(|b| format!("{b:02x}")).collect())
}

/// PostgreSQL: hears what other relays commit (and presence, and deleted rooms) until the
/// relay stops. A lost connection is made again; every hosted room then reads what it may
/// have missed meanwhile.
async fn listen(hub: Arc<rooms::Hub>, pg: pg::PgStore, mut shutdown: watch::Receiver<bool>) {
    let mut wait = Duration::from_millis(100);
    loop {
        match pg.listen().await {
            Ok((_client, mut notifications)) => {
                wait = Duration::from_millis(100);
                hub.refresh_all().await;
                loop {
                    tokio::select! {
                        n = notifications.recv() => match n {
                            Some(payload) => hub.on_notify(&payload),
                            None => break,
                        },
                        () = ws::stopped(&mut shutdown) => return,
                    }
                }
            }
            Err(e) => tracing::warn!(%e, "cannot listen on PostgreSQL; trying again"),
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = ws::stopped(&mut shutdown) => return,
        }
        wait = (wait * 2).min(Duration::from_secs(5));
    }
}

/// PostgreSQL: keeps this relay's row fresh, so its presence counts and its rooms are not
/// expired under its clients.
async fn heartbeat(pg: pg::PgStore, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(pg::HEARTBEAT);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = pg.heartbeat(ws::now_ms()).await {
                    tracing::warn!(%e, "cannot refresh this relay's heartbeat");
                }
            }
            () = ws::stopped(&mut shutdown) => return,
        }
    }
}

/// Binds and serves until `shutdown` completes; see [`Relay`] to learn the bound address first.
pub async fn serve<F>(config: Config, shutdown: F) -> Result<(), RelayError>
where
    F: Future<Output = ()> + Send + 'static,
{
    Relay::bind(config).await?.run(shutdown).await
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM (what `docker stop` and systemd send).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            // Without the handler the default action (exit) still applies; SIGTERM keeps working.
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
