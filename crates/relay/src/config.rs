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
}

impl Config {
    /// The address the listener binds to.
    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}
