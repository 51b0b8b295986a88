//! Errors that stop the relay from starting or running.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use thiserror::Error;

/// Why the relay could not start or stopped. Each variant carries what a person needs to fix
/// it, because these messages are what a facilitator sees in the terminal.
#[derive(Debug, Error)]
pub enum RelayError {
    #[error(
        "{} not found: build the app first (trunk build --release) or point --dist / BIJEEN_DIST at Trunk's output",
        index.display()
    )]
    MissingIndex { index: PathBuf },

    #[error("cannot create the data directory {}: {source}", path.display())]
    DataDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("port {port} is already in use; pass --port or set BIJEEN_PORT")]
    PortInUse { port: u16 },

    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },

    #[error("cannot open the room database: {0}")]
    Store(#[source] crate::store::StoreError),

    #[error("a stored room is unreadable: {0}")]
    Load(#[source] crate::rooms::LoadError),
}
