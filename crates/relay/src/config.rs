//! Command-line and environment configuration.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::Parser;

/// How the relay is started. Every flag has an environment variable so the run script and
/// container setups can configure it without building a command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "bijeen-relay",
    version,
    about = "Serves the Bijeen app and relays workshop rooms"
)]
pub struct Config {
    /// Directory with the built app (Trunk's output); must contain index.html, participant.html, remote.html and window.html.
    #[arg(long, env = "BIJEEN_DIST", value_name = "DIR", default_value = "dist")]
    pub dist: PathBuf,

    /// Address to listen on; 0.0.0.0 makes the app reachable from phones on the LAN.
    #[arg(
        long,
        env = "BIJEEN_HOST",
        value_name = "IP",
        default_value = "0.0.0.0"
    )]
    pub host: IpAddr,

    /// TCP port to listen on (0 picks a free one).
    #[arg(long, env = "BIJEEN_PORT", value_name = "PORT", default_value_t = 8080)]
    pub port: u16,

    /// Directory for the relay's own data (room logs); created if missing.
    #[arg(
        long,
        env = "BIJEEN_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,

    /// PostgreSQL instead of the SQLite file under --data-dir, e.g.
    /// postgres://bijeen@db.example.org/bijeen. Relays sharing one database are
    /// interchangeable behind a load balancer. Never printed (it may hold a password).
    #[arg(
        long,
        env = "BIJEEN_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub net: NetLimits,

    /// PEM file with the TLS certificate chain; with --tls-key the relay serves HTTPS and WSS.
    #[arg(long, env = "BIJEEN_TLS_CERT", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,

    /// PEM file with the TLS private key for --tls-cert.
    #[arg(long, env = "BIJEEN_TLS_KEY", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,

    /// A reverse proxy whose X-Forwarded-For is believed (repeatable). Only connections from
    /// these addresses may name another client address.
    #[arg(
        long = "trusted-proxy",
        env = "BIJEEN_TRUSTED_PROXIES",
        value_name = "IP",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// Another origin whose pages may open room WebSockets, e.g. https://bijeen.example.org
    /// (repeatable). The relay's own origin is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "BIJEEN_ALLOWED_ORIGINS",
        value_name = "URL",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<Origin>,
}

/// Connection caps, timeouts and per-client-address rate limits. Rates are per minute so
/// that slow ones (room creation) need no fractions; each limiter also allows a burst,
/// sized for a classroom of phones behind one NAT address.
#[derive(Debug, Clone, clap::Args)]
pub struct NetLimits {
    /// Open connections at most (WebSockets included). Capped below the file-descriptor
    /// limit; by default as many as that limit allows.
    #[arg(long, env = "BIJEEN_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<u32>,

    /// Open connections from one client address at most (an IPv6 client counts per /64).
    #[arg(
        long,
        env = "BIJEEN_MAX_CONNECTIONS_PER_IP",
        value_name = "N",
        default_value_t = 256
    )]
    pub max_connections_per_ip: u32,

    /// Time a client gets to send a request's headers, counted from the connection's start
    /// or from the previous response (so it is also the keep-alive idle timeout), and to
    /// finish a TLS handshake. E.g. 10s or 500ms.
    #[arg(
        long,
        env = "BIJEEN_HEADER_TIMEOUT",
        value_name = "DURATION",
        default_value = "10s",
        value_parser = parse_duration
    )]
    pub header_timeout: Duration,

    /// New WebSocket connections per minute from one client address.
    #[arg(
        long,
        env = "BIJEEN_CONNECTS_PER_MINUTE",
        value_name = "N",
        default_value_t = 300
    )]
    pub connects_per_minute: u32,

    /// New WebSocket connections one client address may open at once.
    #[arg(
        long,
        env = "BIJEEN_CONNECTS_BURST",
        value_name = "N",
        default_value_t = 120
    )]
    pub connects_burst: u32,

    /// Hello messages per minute from one client address.
    #[arg(
        long,
        env = "BIJEEN_HELLOS_PER_MINUTE",
        value_name = "N",
        default_value_t = 600
    )]
    pub hellos_per_minute: u32,

    /// Hello messages one client address may send at once.
    #[arg(
        long,
        env = "BIJEEN_HELLOS_BURST",
        value_name = "N",
        default_value_t = 200
    )]
    pub hellos_burst: u32,

    /// Rooms one client address may create per minute (sustained).
    #[arg(
        long,
        env = "BIJEEN_ROOMS_PER_MINUTE",
        value_name = "N",
        default_value_t = 6
    )]
    pub rooms_per_minute: u32,

    /// Rooms one client address may create at once.
    #[arg(
        long,
        env = "BIJEEN_ROOMS_BURST",
        value_name = "N",
        default_value_t = 30
    )]
    pub rooms_burst: u32,

    /// Join-code lookups (GET /api/join) per minute from one client address.
    #[arg(
        long,
        env = "BIJEEN_JOINS_PER_MINUTE",
        value_name = "N",
        default_value_t = 60
    )]
    pub joins_per_minute: u32,

    /// Join-code lookups one client address may make at once.
    #[arg(
        long,
        env = "BIJEEN_JOINS_BURST",
        value_name = "N",
        default_value_t = 60
    )]
    pub joins_burst: u32,
}

impl Default for NetLimits {
    fn default() -> Self {
        Self {
            max_connections: None,
            max_connections_per_ip: 256,
            header_timeout: Duration::from_secs(10),
            connects_per_minute: 300,
            connects_burst: 120,
            hellos_per_minute: 600,
            hellos_burst: 200,
            rooms_per_minute: 6,
            rooms_burst: 30,
            joins_per_minute: 60,
            joins_burst: 60,
        }
    }
}

/// `10s`, `500ms`, `2m` or a bare number of seconds; never zero.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (digits, unit_ms) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000)
    } else {
        (s, 1_000)
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 10s, 500ms or 2m"))?;
    match n.checked_mul(unit_ms) {
        Some(0) => Err("the duration must be more than zero".into()),
        Some(ms) => Ok(Duration::from_millis(ms)),
        None => Err(format!("{s:?} is too long")),
    }
}

/// A web origin (`scheme://host[:port]`), compared the way browsers send it in `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    /// The port a browser uses for this origin.
    pub fn effective_port(&self) -> Option<u16> {
        self.port.or(match self.scheme.as_str() {
            "http" | "ws" => Some(80),
            "https" | "wss" => Some(443),
            _ => None,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }
}

impl FromStr for Origin {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not an origin like https://bijeen.example.org[:port]");
        let (scheme, rest) = s.split_once("://").ok_or_else(bad)?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            || rest.is_empty()
            || rest.contains(['/', '?', '#', '@'])
        {
            return Err(bad());
        }
        let (host, port) = split_authority(rest).ok_or_else(bad)?;
        Ok(Self {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port` into host and port; `None` when malformed.
pub(crate) fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&authority[..v6.len() + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~[]:".contains(&b));
    if !host_ok {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    Some((host, port))
}

/// Abuse limits. Each breach gets a typed error naming the limit, never a silent drop.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Rooms this relay keeps (each is in memory while the relay runs).
    #[arg(
        long,
        env = "BIJEEN_MAX_ROOMS",
        value_name = "N",
        default_value_t = 10_000
    )]
    pub max_rooms: u32,

    /// Participants that may join one room.
    #[arg(
        long,
        env = "BIJEEN_MAX_PARTICIPANTS",
        value_name = "N",
        default_value_t = 500
    )]
    pub max_participants: u32,

    /// Notes one participant may create in a room (deleted ones count).
    #[arg(
        long,
        env = "BIJEEN_MAX_NOTES",
        value_name = "N",
        default_value_t = 200
    )]
    pub max_notes_per_participant: u32,

    /// Sustained ops per second per participant (kept across reconnects).
    #[arg(
        long,
        env = "BIJEEN_OPS_PER_SECOND",
        value_name = "N",
        default_value_t = 20
    )]
    pub ops_per_second: u32,

    /// Ops a participant may send in a burst (a reconnect uploading an offline queue).
    #[arg(
        long,
        env = "BIJEEN_OPS_BURST",
        value_name = "N",
        default_value_t = 400
    )]
    pub ops_burst: u32,

    /// Sustained ops per second of all participants of one room together.
    #[arg(
        long,
        env = "BIJEEN_ROOM_OPS_PER_SECOND",
        value_name = "N",
        default_value_t = 200
    )]
    pub room_ops_per_second: u32,

    /// Ops all participants of one room may send in a burst.
    #[arg(
        long,
        env = "BIJEEN_ROOM_OPS_BURST",
        value_name = "N",
        default_value_t = 4_000
    )]
    pub room_ops_burst: u32,

    /// Ops one room may hold. The seed morning with 30 participants is about 2,000; a
    /// very busy day with 500 is well under 100,000.
    #[arg(
        long,
        env = "BIJEEN_MAX_OPS_PER_ROOM",
        value_name = "N",
        default_value_t = 250_000
    )]
    pub max_ops_per_room: u32,

    /// Actors one room may hold: participant devices, their bear pseudonyms and the
    /// facilitator's windows.
    #[arg(
        long,
        env = "BIJEEN_MAX_ACTORS_PER_ROOM",
        value_name = "N",
        default_value_t = 2_000
    )]
    pub max_actors_per_room: u32,

    /// Open connections of one participant device (tabs, and sockets not yet timed out).
    #[arg(
        long,
        env = "BIJEEN_MAX_CONNECTIONS_PER_ACTOR",
        value_name = "N",
        default_value_t = 8
    )]
    pub max_connections_per_actor: u32,

    /// Catch-ups the relay streams at once; later ones wait their turn.
    #[arg(
        long,
        env = "BIJEEN_MAX_CONCURRENT_CATCH_UPS",
        value_name = "N",
        default_value_t = 32
    )]
    pub max_concurrent_catch_ups: u32,

    /// Hours a room with nobody in it and no new op is kept; then it is deleted (the
    /// facilitator's browser keeps the workshop and can invite again).
    #[arg(
        long,
        env = "BIJEEN_ROOM_IDLE_HOURS",
        value_name = "HOURS",
        default_value_t = 720
    )]
    pub room_idle_hours: u32,

    /// Seconds without any frame from a WebSocket client (the relay pings every third of
    /// this) before the connection is presumed dead and closed.
    #[arg(
        long,
        env = "BIJEEN_WS_IDLE_SECS",
        value_name = "SECS",
        default_value_t = 30
    )]
    pub ws_idle_secs: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rooms: 10_000,
            max_participants: 500,
            max_notes_per_participant: 200,
            ops_per_second: 20,
            ops_burst: 400,
            room_ops_per_second: 200,
            room_ops_burst: 4_000,
            max_ops_per_room: 250_000,
            max_actors_per_room: 2_000,
            max_connections_per_actor: 8,
            max_concurrent_catch_ups: 32,
            room_idle_hours: 720,
            ws_idle_secs: 30,
        }
    }
}

impl Config {
    /// The address the listener binds to.
    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn origins() -> Result<(), String> {
        let o: Origin = "HTTPS://Bijeen.Example.org/".parse()?;
        assert_eq!(o.to_string(), "https://bijeen.example.org");
        assert_eq!(o.effective_port(), Some(443));
        let o: Origin = "http://[::1]:8080".parse()?;
        assert_eq!((o.host(), o.effective_port()), ("[::1]", Some(8080)));
        for bad in [
            "bijeen.example",
            "https://",
            "https://a/b",
            "https://a:port",
            "null",
        ] {
            assert!(bad.parse::<Origin>().is_err(), "{bad}");
        }
        Ok(())
    }
}
