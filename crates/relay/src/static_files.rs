//! Serving Trunk's `dist/`: files as they are, the app's HTML for client-side routes, and
//! cache headers that let browsers keep hashed assets forever while always revalidating the
//! page that names them.
//!
//! The app has four entries (the relay does not start without all of them):
//! `participant.html` (the participant's phone, which holds no replica: a fraction of the
//! download) for the routes a participant's phone opens, `window.html` (a participant's
//! window in the facilitator's own browser, with a replica) for `/w/ID/window`,
//! `remote.html` (only the facilitator's phone remote) for its route, and `index.html`
//! (the facilitator's screens) for every other route.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub(crate) const INDEX: &str = "index.html";
pub(crate) const PARTICIPANT_ENTRY: &str = "participant.html";
pub(crate) const REMOTE_ENTRY: &str = "remote.html";
pub(crate) const WINDOW_ENTRY: &str = "window.html";
/// The entries besides `index.html`, which the relay needs to start.
pub(crate) const PHONE_ENTRIES: [&str; 3] = [PARTICIPANT_ENTRY, REMOTE_ENTRY, WINDOW_ENTRY];

/// Path prefixes owned by the server itself. A miss under them is a real 404: answering an
/// API or WebSocket client with the app's HTML would only produce confusing parse errors.
const RESERVED_PREFIXES: [&str; 3] = ["/api", "/ws", "/healthz"];

/// Static files with SPA fallback and cache headers. `.br`/`.gz` siblings written next to a
/// file by the build are preferred; anything else is compressed on the fly by the caller's
/// `CompressionLayer`, which leaves responses that already have a content-encoding alone.
pub(crate) fn router(dist: &Path) -> Router {
    let entry = |name: &str| {
        ServeFile::new(dist.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    let entries = Entries {
        facilitator: entry(INDEX),
        participant: entry(PARTICIPANT_ENTRY),
        remote: entry(REMOTE_ENTRY),
        window: entry(WINDOW_ENTRY),
    };
    let fallback = Router::new().fallback(spa_fallback).with_state(entries);
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(set_cache_control))
}

#[derive(Clone)]
struct Entries {
    facilitator: ServeFile,
    participant: ServeFile,
    remote: ServeFile,
    window: ServeFile,
}

/// Reached when no file matches. Client-side routes (`/w/abc/present`) get the app's HTML so
/// a hard reload works; a path that names a file (has an extension) gets 404, so a stale
/// `bijeen-<hash>.js` fails loudly instead of being "loaded" as HTML.
async fn spa_fallback(State(entries): State<Entries>, request: Request) -> Response {
    let path = request.uri().path();
    if !is_client_route(path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let entry = if is_participant_route(path) {
        entries.participant
    } else if is_remote_route(path) {
        entries.remote
    } else if is_window_route(path) {
        entries.window
    } else {
        entries.facilitator
    };
    match entry.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// The routes a participant's phone opens: the join link (`/j/CODE`) and the participant's
/// screen (`/w/ID/join`).
fn is_participant_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    matches!(segments.as_slice(), ["j", code] if !code.is_empty())
        || matches!(segments.as_slice(), ["w", id, "join"] if !id.is_empty())
}

/// A participant's window in the facilitator's browser (`/w/ID/window`).
fn is_window_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    matches!(segments.as_slice(), ["w", id, "window"] if !id.is_empty())
}

/// The facilitator's phone remote (`/w/ID/remote`).
fn is_remote_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    matches!(segments.as_slice(), ["w", id, "remote"] if !id.is_empty())
}

fn is_client_route(path: &str) -> bool {
    let reserved = RESERVED_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    !reserved && !last_segment(path).contains('.')
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// How long a browser may reuse a response without asking again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CachePolicy {
    /// The HTML shell: it names the current hashed assets, so it must be revalidated every time
    /// or a deploy would leave browsers on the old build.
    Revalidate,
    /// Content-addressed files: a new build gets a new name, so the old one never changes.
    Immutable,
    /// Unhashed files (favicon, manifest): may change on deploy, so cache only briefly.
    Short,
}

impl CachePolicy {
    pub(crate) fn for_path(path: &str) -> Self {
        let name = last_segment(path);
        // The service worker decides which build a browser keeps for offline use: a stale
        // copy would pin browsers to an old build, so it is revalidated like the shell.
        if !name.contains('.') || name.ends_with(".html") || name == "sw.js" {
            Self::Revalidate
        } else if has_content_hash(name) {
            Self::Immutable
        } else {
            Self::Short
        }
    }

    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Revalidate => "no-cache",
            Self::Immutable => "public, max-age=31536000, immutable",
            Self::Short => "public, max-age=300",
        })
    }
}

/// Whether a file name carries Trunk's content hash, e.g. `bijeen-3f2a9c1b0d4e5f67_bg.wasm`,
/// `style-3f2a9c1b0d4e5f67.css` or `3f2a9c1b0d4e5f67-init.js`. Trunk formats the 64-bit hash
/// with `{:x}`, without zero padding, so one build in sixteen has a 15-digit hash (one in 256
/// has 14): requiring exactly 16 digits would quietly drop those builds to the short cache.
/// Twelve or more lowercase hex digits in one segment does not occur in hand-written names.
pub(crate) fn has_content_hash(file_name: &str) -> bool {
    file_name
        .split(['-', '_', '.'])
        .any(|segment| (12..=16).contains(&segment.len()) && segment.bytes().all(is_lower_hex))
}

fn is_lower_hex(byte: u8) -> bool {
    byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)
}

/// Sets `Cache-Control` on successful responses only: caching a 404 for an immutable name
/// would keep a browser broken for a year after a deploy race.
async fn set_cache_control(request: Request, next: Next) -> Response {
    let policy = CachePolicy::for_path(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, policy.header_value());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_names_are_hashed() {
        for name in [
            "bijeen-3f2a9c1b0d4e5f67_bg.wasm",
            "bijeen-3f2a9c1b0d4e5f67.js",
            "style-3f2a9c1b0d4e5f67.css",
            "3f2a9c1b0d4e5f67-init.js",
            // leading zero dropped by `{:x}`
            "bijeen-f2a9c1b0d4e5f67_bg.wasm",
        ] {
            assert!(has_content_hash(name), "{name}");
        }
    }

    #[test]
    fn hand_written_names_are_not_hashed() {
        for name in [
            "favicon.svg",
            "manifest.webmanifest",
            "bijeen.js",
            "facade-decade.css",
            "bijeen-3F2A9C1B0D4E5F67.js",
            "bijeen-3f2a9c1b0d4e5f6789.js",
        ] {
            assert!(!has_content_hash(name), "{name}");
        }
    }

    #[test]
    fn policies() {
        assert_eq!(CachePolicy::for_path("/"), CachePolicy::Revalidate);
        assert_eq!(
            CachePolicy::for_path("/index.html"),
            CachePolicy::Revalidate
        );
        assert_eq!(
            CachePolicy::for_path("/w/abc/present"),
            CachePolicy::Revalidate
        );
        assert_eq!(
            CachePolicy::for_path("/bijeen-3f2a9c1b0d4e5f67_bg.wasm"),
            CachePolicy::Immutable
        );
        assert_eq!(CachePolicy::for_path("/favicon.svg"), CachePolicy::Short);
    }

    #[test]
    fn the_service_worker_is_revalidated_like_the_shell() {
        assert_eq!(CachePolicy::for_path("/sw.js"), CachePolicy::Revalidate);
    }

    #[test]
    fn participant_routes() {
        for path in ["/j/ABC123", "/j/ABC123/", "/w/abc/join", "/w/abc/join/"] {
            assert!(is_participant_route(path), "{path}");
        }
        for path in [
            "/",
            "/j",
            "/j/",
            "/w/abc",
            "/w/abc/present",
            "/w//join",
            "/w/abc/join/x",
            "/w/abc/remote",
            "/x/j/abc",
        ] {
            assert!(!is_participant_route(path), "{path}");
        }
    }

    #[test]
    fn remote_routes() {
        assert!(is_remote_route("/w/abc/remote"));
        assert!(is_remote_route("/w/abc/remote/"));
        for path in ["/w//remote", "/w/abc/remote/x", "/w/abc/join", "/remote"] {
            assert!(!is_remote_route(path), "{path}");
        }
    }

    #[test]
    fn client_routes() {
        assert!(is_client_route("/"));
        assert!(is_client_route("/w/abc/present"));
        assert!(is_client_route("/wsx"));
        assert!(is_client_route("/apiary"));
        assert!(!is_client_route("/api"));
        assert!(!is_client_route("/api/rooms"));
        assert!(!is_client_route("/ws"));
        assert!(!is_client_route("/healthz/deep"));
        assert!(!is_client_route("/bijeen-3f2a9c1b0d4e5f67.js"));
        assert!(!is_client_route("/w/abc/missing.png"));
    }
}
