//! HTTPS and WSS with rustls: phones on the wifi need a secure context for the service
//! worker, and the facilitator key should not cross the network in clear.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::RelayError;

/// The acceptor for `--tls-cert`/`--tls-key`, or `None` when neither is given.
pub fn acceptor(
    cert: Option<&Path>,
    key: Option<&Path>,
) -> Result<Option<TlsAcceptor>, RelayError> {
    let (cert, key) = match (cert, key) {
        (None, None) => return Ok(None),
        (Some(cert), Some(key)) => (cert, key),
        (Some(_), None) => {
            return Err(RelayError::TlsPair {
                missing: "--tls-key (BIJEEN_TLS_KEY)",
                given: "--tls-cert",
            });
        }
        (None, Some(_)) => {
            return Err(RelayError::TlsPair {
                missing: "--tls-cert (BIJEEN_TLS_CERT)",
                given: "--tls-key",
            });
        }
    };
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| RelayError::TlsRead {
            path: path.to_path_buf(),
            source,
        })
    };
    let cert_pem = read(cert)?;
    let key_pem = read(key)?;
    let bad = |path: &Path, detail: String| RelayError::TlsPem {
        path: path.to_path_buf(),
        detail,
    };
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(bad(cert, "no CERTIFICATE block found".into()));
    }
    let private_key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        bad(
            key,
            match e {
                rustls::pki_types::pem::Error::NoItemsFound => "no PRIVATE KEY block found".into(),
                e => e.to_string(),
            },
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, private_key))
        .map_err(|e| RelayError::TlsConfig {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            detail: e.to_string(),
        })?;
    // The relay speaks HTTP/1.1 only (WebSockets upgrade from it).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some(TlsAcceptor::from(Arc::new(config))))
}
