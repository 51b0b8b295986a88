//! Command-line and environment configuration.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

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
    /// Directory with the built app (Trunk's output); must contain index.html.
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

    #[command(flatten)]
    pub limits: Limits,
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
