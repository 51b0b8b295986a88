//! The accept loop: HTTP/1.1 (and WebSocket upgrades) over TCP or TLS, with the limits a
//! public server needs and `axum::serve` does not have:
//!
//! - a header-read timeout: a client must finish each request's headers within
//!   `--header-timeout`, counted from the connection's start or the previous response, so a
//!   silent or dribbling socket (slowloris) and an idle keep-alive connection are closed;
//!   a TLS handshake gets the same time;
//! - a cap on open connections below the file-descriptor limit, and one per client
//!   address: a connection over a cap is accepted and closed at once, so the listen
//!   backlog never fills and everyone else is still served;
//! - the client's address for handlers ([`ClientIp`]).
//!
//! A connection's slot is held by its socket, so an upgraded WebSocket keeps counting until
//! it closes, and shutdown waits for it (up to the grace period).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONNECTION, HOST, LOCATION};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::client_ip::{self, ClientIp};
use crate::config::split_authority;
use crate::ip_limit::limit_key;

/// File descriptors kept free of connections: the database and its journal, static files
/// being sent (one per download in flight), the resolver, logs.
pub fn fd_reserve(soft_limit: u64) -> u64 {
    (soft_limit / 8).max(64)
}

/// The connection cap for a file-descriptor soft limit and the configured maximum.
pub fn connection_cap(soft_limit: u64, configured: Option<u32>) -> usize {
    let by_fds = soft_limit.saturating_sub(fd_reserve(soft_limit)).max(1);
    let cap = configured.map_or(by_fds, |c| u64::from(c).min(by_fds));
    usize::try_from(cap).unwrap_or(usize::MAX)
}

/// Raises the soft limit on open files to the hard limit and returns (soft, hard) after it.
pub fn raise_fd_limit() -> (u64, u64) {
    #[cfg(unix)]
    {
        let before = rlimit::getrlimit(rlimit::Resource::NOFILE).ok();
        let raised = rlimit::increase_nofile_limit(u64::MAX);
        let after = rlimit::getrlimit(rlimit::Resource::NOFILE).ok();
        match (before, raised, after) {
            (Some((soft_before, hard)), Ok(soft), _) => {
                tracing::info!(
                    soft_before,
                    soft,
                    hard,
                    "file-descriptor limit (soft raised to the hard limit)"
                );
                (soft, hard)
            }
            (_, Err(err), Some((soft, hard))) => {
                tracing::warn!(%err, soft, hard, "cannot raise the file-descriptor limit");
                (soft, hard)
            }
            _ => {
                tracing::warn!("cannot read the file-descriptor limit; assuming 1024");
                (1024, 1024)
            }
        }
    }
    #[cfg(not(unix))]
    {
        (8192, 8192)
    }
}

/// Open connections, in total and per client address.
#[derive(Debug)]
pub struct ConnCounts {
    max: usize,
    per_ip: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refused {
    Total,
    PerIp,
}

impl ConnCounts {
    pub fn new(max: usize, per_ip: usize) -> Self {
        Self {
            max,
            per_ip: per_ip.max(1),
            open: Mutex::new(Open::default()),
        }
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// A slot for a connection from `ip`; `None` for the per-address count means a trusted
    /// proxy, whose connections carry many clients and count toward the total only.
    fn acquire(self: &Arc<Self>, ip: Option<IpAddr>) -> Result<Slot, Refused> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.total >= self.max {
            return Err(Refused::Total);
        }
        if let Some(ip) = ip {
            let n = open.by_ip.entry(ip).or_default();
            if *n >= self.per_ip {
                return Err(Refused::PerIp);
            }
            *n += 1;
        }
        open.total += 1;
        Ok(Slot {
            counts: Arc::clone(self),
            ip,
        })
    }
}

/// One open connection's place in the counts, given back on drop.
#[derive(Debug)]
struct Slot {
    counts: Arc<ConnCounts>,
    ip: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|p| p.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(ip) = self.ip
            && let Some(n) = open.by_ip.get_mut(&ip)
        {
            *n -= 1;
            if *n == 0 {
                open.by_ip.remove(&ip);
            }
        }
    }
}

/// A socket that holds its connection slot and keeps shutdown waiting until it closes.
struct Tracked<S> {
    io: S,
    _slot: Slot,
    _drain: mpsc::Sender<()>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

/// What the accept loop needs besides the listener and the app.
pub struct Options {
    pub tls: Option<TlsAcceptor>,
    pub header_timeout: Duration,
    pub trusted_proxies: Arc<[IpAddr]>,
    pub counts: Arc<ConnCounts>,
    /// Flips to `true` on shutdown (the same channel the WebSocket tasks watch).
    pub shutdown: watch::Receiver<bool>,
}

/// Accepts until `signal` completes, then lets open connections finish (idle ones close at
/// once) and returns when the last socket has closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: Options,
    signal: impl Future<Output = ()>,
) {
    let options = Arc::new(options);
    let (drain, mut drained) = mpsc::channel::<()>(1);
    let mut signal = pin!(signal);
    let mut turned_away = TurnedAway::default();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut signal => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                // Out of file descriptors or memory: the connection cap should prevent
                // it; back off briefly instead of spinning, and keep serving.
                tracing::error!(%err, "cannot accept a connection");
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                    () = &mut signal => break,
                }
            }
        };
        let ip = client_ip::canonical(peer.ip());
        let proxy = options.trusted_proxies.contains(&ip);
        let slot = match options.counts.acquire((!proxy).then(|| limit_key(ip))) {
            Ok(slot) => slot,
            Err(why) => {
                // Closed at once: the client sees a reset connection and retries later.
                drop(stream);
                turned_away.note(why, ip, options.counts.max);
                continue;
            }
        };
        // Small frames (WebSocket ops, pongs) go out at once.
        let _ = stream.set_nodelay(true);
        let io = Tracked {
            io: stream,
            _slot: slot,
            _drain: drain.clone(),
        };
        tokio::spawn(connection(io, peer, router.clone(), Arc::clone(&options)));
    }
    drop(listener);
    drop(drain);
    // Every socket holds a sender; `None` once the last one has closed.
    let _ = drained.recv().await;
}

/// Logs turned-away connections at most every ten seconds, with a count: an attack must not
/// turn into a flood of log lines.
#[derive(Default)]
struct TurnedAway {
    since_log: u64,
    logged: Option<Instant>,
}

impl TurnedAway {
    fn note(&mut self, why: Refused, ip: IpAddr, max: usize) {
        self.since_log += 1;
        let now = Instant::now();
        if self
            .logged
            .is_some_and(|at| now.duration_since(at) < Duration::from_secs(10))
        {
            return;
        }
        match why {
            Refused::Total => tracing::warn!(
                max_connections = max,
                refused = self.since_log,
                "connection cap reached; closing new connections"
            ),
            Refused::PerIp => tracing::warn!(
                %ip,
                refused = self.since_log,
                "per-address connection cap reached; closing its new connections"
            ),
        }
        self.since_log = 0;
        self.logged = Some(now);
    }
}

/// Errors about one connection that went away during accept, not about the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

async fn connection(
    io: Tracked<TcpStream>,
    peer: SocketAddr,
    router: Router,
    options: Arc<Options>,
) {
    let Some(tls) = options.tls.clone() else {
        return http(io, peer, router, &options).await;
    };
    // A browser sent to this port over plain http gets a redirect to https instead of a
    // TLS alert it would show as an unreadable error. TLS starts with a handshake record
    // (0x16); HTTP starts with a method name.
    let mut first = [0u8; 1];
    let mut shutdown = options.shutdown.clone();
    let peeked = tokio::select! {
        peeked = tokio::time::timeout(options.header_timeout, io.io.peek(&mut first)) => peeked,
        _ = shutdown.wait_for(|stop| *stop) => return,
    };
    match peeked {
        Ok(Ok(1)) if first[0] == 0x16 => {}
        Ok(Ok(1)) => return redirect_to_https(io, &options).await,
        // Silent past the timeout, closed, or an error: nothing to serve.
        _ => return,
    }
    let handshake = tokio::select! {
        handshake = tokio::time::timeout(options.header_timeout, tls.accept(io)) => handshake,
        _ = shutdown.wait_for(|stop| *stop) => return,
    };
    match handshake {
        Ok(Ok(stream)) => http(stream, peer, router, &options).await,
        Ok(Err(err)) => tracing::debug!(%err, %peer, "TLS handshake failed"),
        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
    }
}

fn http1() -> hyper::server::conn::http1::Builder {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    builder
}

/// Serves HTTP/1.1 with upgrades on one connection until it closes or the relay stops.
async fn http<S>(io: S, peer: SocketAddr, router: Router, options: &Options)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let trusted = Arc::clone(&options.trusted_proxies);
    let service = router.map_request(move |mut request: Request<Incoming>| {
        let ip = client_ip::resolve(peer.ip(), request.headers(), &trusted);
        request.extensions_mut().insert(ClientIp(ip));
        request
    });
    let mut builder = http1();
    builder.header_read_timeout(options.header_timeout);
    let conn = builder
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(service))
        .with_upgrades();
    drive(conn, |c| c.graceful_shutdown(), options.shutdown.clone()).await;
}

/// Awaits a hyper connection, asking it to finish gracefully once the relay stops.
async fn drive<C>(conn: C, graceful: fn(Pin<&mut C>), mut shutdown: watch::Receiver<bool>)
where
    C: Future<Output = Result<(), hyper::Error>>,
{
    let mut conn = pin!(conn);
    tokio::select! {
        result = conn.as_mut() => return log_end(result),
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
    graceful(conn.as_mut());
    log_end(conn.await);
}

fn log_end(result: Result<(), hyper::Error>) {
    // Timeouts, resets and malformed requests are the client's business.
    if let Err(err) = result {
        tracing::debug!(%err, "connection ended");
    }
}

/// Plain HTTP on the TLS port: one permanent redirect to the same URL over https.
async fn redirect_to_https(io: Tracked<TcpStream>, options: &Options) {
    let service = hyper::service::service_fn(|request: Request<Incoming>| async move {
        let target = request
            .headers()
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| split_authority(h).is_some())
            .map(|host| {
                let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
                format!("https://{host}{path}")
            });
        let builder = Response::builder().header(CONNECTION, "close");
        match target.and_then(|t| HeaderValue::from_str(&t).ok()) {
            Some(location) => builder
                .status(StatusCode::PERMANENT_REDIRECT)
                .header(LOCATION, location),
            None => builder.status(StatusCode::BAD_REQUEST),
        }
        .body(Body::from("This relay speaks https only.\n"))
    });
    let mut builder = http1();
    builder
        .header_read_timeout(options.header_timeout)
        .keep_alive(false);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    drive(conn, |c| c.graceful_shutdown(), options.shutdown.clone()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_descriptor_limit() {
        assert_eq!(connection_cap(1024, None), 896);
        assert_eq!(connection_cap(1024, Some(100_000)), 896);
        assert_eq!(connection_cap(1024, Some(200)), 200);
        assert_eq!(connection_cap(20_000, None), 17_500);
        assert_eq!(connection_cap(100, None), 36);
    }

    #[test]
    fn slots_count_in_total_and_per_address() {
        let counts = Arc::new(ConnCounts::new(3, 2));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let a1 = counts.acquire(Some(a));
        let a2 = counts.acquire(Some(a));
        assert!(a1.is_ok() && a2.is_ok());
        assert_eq!(counts.acquire(Some(a)).err(), Some(Refused::PerIp));
        let b1 = counts.acquire(Some(b));
        assert!(b1.is_ok());
        assert_eq!(counts.acquire(None).err(), Some(Refused::Total));
        drop(a1);
        // A proxy's connection counts toward the total only.
        let p = counts.acquire(None);
        assert!(p.is_ok());
        drop((a2, b1, p));
        let open = counts.open.lock().unwrap_or_else(|p| p.into_inner());
        assert_eq!(open.total, 0);
        assert!(open.by_ip.is_empty());
    }
}
