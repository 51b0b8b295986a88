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

    /// Sustained ops per second per connection.
    #[arg(
        long,
        env = "BIJEEN_OPS_PER_SECOND",
        value_name = "N",
        default_value_t = 20
    )]
    pub ops_per_second: u32,

    /// Ops a connection may send in a burst (a reconnect uploading an offline queue).
    #[arg(
        long,
        env = "BIJEEN_OPS_BURST",
        value_name = "N",
        default_value_t = 400
    )]
    pub ops_burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rooms: 10_000,
            max_participants: 500,
            max_notes_per_participant: 200,
            ops_per_second: 20,
            ops_burst: 400,
        }
    }
}

impl Config {
    /// The address the listener binds to.
    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}
