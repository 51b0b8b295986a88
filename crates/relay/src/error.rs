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
        "{} not found: build the app first (scripts/build-app.sh) or point --dist / BIJEEN_DIST at its output",
        index.display()
    )]
    MissingIndex { index: PathBuf },

    /// A phone's entry (the participant's or the remote's): without it a phone would get
    /// the facilitator's app, which has neither screen.
    #[error(
        "{} not found: the app's dist lacks one of its entries; build them all with scripts/build-app.sh",
        entry.display()
    )]
    MissingPhoneEntry { entry: PathBuf },

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

    #[error("cannot use the PostgreSQL database: {0}")]
    Database(#[source] crate::pg::PgError),

    #[error("the OS random number generator failed: {0}")]
    Random(#[source] getrandom::Error),

    #[error("a stored room is unreadable: {0}")]
    Load(#[source] crate::rooms::LoadError),

    #[error("{given} is set but {missing} is not: give both TLS files or neither")]
    TlsPair {
        given: &'static str,
        missing: &'static str,
    },

    #[error("cannot read the TLS file {}: {source}", path.display())]
    TlsRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{} is not a usable PEM file: {detail}", path.display())]
    TlsPem { path: PathBuf, detail: String },

    #[error(
        "the TLS key {} does not work with the certificate {}: {detail}",
        key.display(),
        cert.display()
    )]
    TlsConfig {
        cert: PathBuf,
        key: PathBuf,
        detail: String,
    },
}
