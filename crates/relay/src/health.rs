//! `GET /healthz`: liveness for the run script, the E2E harness and load balancers.

use axum::Json;
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

pub(crate) async fn healthz() -> impl IntoResponse {
    // A cached "ok" would hide a relay that has gone away.
    (
        [(CACHE_CONTROL, "no-store")],
        Json(Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
