//! Response headers that tell browsers what the app may do, and the quiet 404 for paths
//! no real route or file can have.
//!
//! The Content-Security-Policy allows exactly what the built app uses:
//! - scripts from this origin, plus each inline `<script>` of the two HTML entries by its
//!   SHA-256 (Trunk writes one that imports the JS glue and starts the wasm; the first
//!   screen's script picks the language before the first paint), and
//!   `'wasm-unsafe-eval'` to compile the wasm; no other inline script and no `eval`;
//! - styles from this origin, plus each inline `<style>` of the two HTML entries by its
//!   SHA-256 (the stylesheets are inlined so the first screen paints after one round trip);
//!   the app sets styles through the CSSOM (`style:width=…`), which CSP does not restrict,
//!   never through style attributes;
//! - images from this origin (the QR code is inline SVG in the DOM, not an image load);
//! - fetch and WebSocket to this origin: `'self'` covers `ws:`/`wss:` in current browsers,
//!   and the request's own host is named as well for older Safari, which did not;
//! - the service worker from this origin; no plugins, no `<base>`, no framing.
//!
//! Downloads are `blob:` URLs clicked by the app; no fetch directive governs them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::config::split_authority;

/// Longest path segment served. No route has a longer one (room ids are 32 characters,
/// Trunk's file names about 40) and Linux file names stop at 255 bytes.
pub const MAX_SEGMENT: usize = 255;
/// Longest path served; deeper than any route or file of the app.
pub const MAX_PATH: usize = 2048;

/// How often the HTML entries are checked for a new build at most (their inline script, and
/// so its hash, changes with every build).
const RECHECK: Duration = Duration::from_secs(1);

/// The policy for the app in one `dist/`.
pub struct Csp {
    entries: [PathBuf; 4],
    cached: Mutex<Cached>,
}

struct Cached {
    checked: Option<Instant>,
    modified: [Option<SystemTime>; 4],
    /// Everything before `connect-src`'s host part.
    head: String,
}

impl Csp {
    pub fn new(dist: &Path) -> Self {
        let csp = Self {
            entries: [
                dist.join(crate::static_files::INDEX),
                dist.join(crate::static_files::PARTICIPANT_ENTRY),
                dist.join(crate::static_files::REMOTE_ENTRY),
                dist.join(crate::static_files::WINDOW_ENTRY),
            ],
            cached: Mutex::new(Cached {
                checked: None,
                modified: [None, None, None, None],
                head: String::new(),
            }),
        };
        csp.refresh(Instant::now());
        csp
    }

    /// The header value for a request that named `host`.
    fn header(&self, host: Option<&str>) -> HeaderValue {
        let head = self.refresh(Instant::now());
        let mut value = head;
        value.push_str("; connect-src 'self'");
        // Only a well-formed authority goes into the header.
        if let Some(host) = host.filter(|h| split_authority(h).is_some()) {
            for scheme in ["ws", "wss"] {
                value.push(' ');
                value.push_str(scheme);
                value.push_str("://");
                value.push_str(host);
            }
        }
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(FALLBACK))
    }

    /// Re-reads the HTML entries when one changed since the last look (at most every second).
    fn refresh(&self, now: Instant) -> String {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if cached
            .checked
            .is_some_and(|at| now.duration_since(at) < RECHECK)
        {
            return cached.head.clone();
        }
        cached.checked = Some(now);
        let modified = self
            .entries
            .clone()
            .map(|entry| std::fs::metadata(entry).and_then(|m| m.modified()).ok());
        if cached.head.is_empty() || modified != cached.modified {
            let mut hashes = InlineHashes::default();
            for entry in &self.entries {
                match std::fs::read_to_string(entry) {
                    Ok(html) => {
                        hashes.scripts.extend(inline_hashes(&html, "script"));
                        hashes.styles.extend(inline_hashes(&html, "style"));
                    }
                    Err(err) => tracing::warn!(%err, entry = %entry.display(),
                        "cannot read the app's HTML for its inline script and style hashes"),
                }
            }
            cached.head = policy_head(&hashes);
            cached.modified = modified;
        }
        cached.head.clone()
    }
}

/// Used only if a policy could not be a header value (it always can): strict, and the app
/// then fails loudly in the console instead of running without a policy.
const FALLBACK: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The SHA-256 (base64) of each inline script and style of the HTML entries.
#[derive(Debug, Default)]
struct InlineHashes {
    scripts: Vec<String>,
    styles: Vec<String>,
}

fn policy_head(hashes: &InlineHashes) -> String {
    let sources = |first: &str, hashes: &[String]| {
        let mut sources = String::from(first);
        for hash in hashes {
            sources.push_str(" 'sha256-");
            sources.push_str(hash);
            sources.push('\'');
        }
        sources
    };
    let scripts = sources("'self' 'wasm-unsafe-eval'", &hashes.scripts);
    let styles = sources("'self'", &hashes.styles);
    format!(
        "default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self'; \
         font-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Base64 SHA-256 of the text of every `<tag>` (`script` or `style`) in `html` that has no
/// `src`, as CSP's `'sha256-…'` sources want it.
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let open_tag = format!("<{tag}");
    let close_tag = format!("</{tag}");
    // ASCII lowercasing keeps every byte offset, so positions found in `lower` cut `html`.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find(&open_tag) {
        let start = at + found;
        let Some(gt) = lower[start..].find('>') else {
            break;
        };
        let body_start = start + gt + 1;
        let start_tag = &lower[start..body_start];
        let Some(close) = lower[body_start..].find(&close_tag) else {
            break;
        };
        let body = &html[body_start..body_start + close];
        let has_src = start_tag
            .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src {
            hashes.push(BASE64.encode(Sha256::digest(body.as_bytes())));
        }
        at = body_start + close;
    }
    hashes
}

/// Sets the hardening headers on every response.
pub async fn security_headers(
    State(csp): State<Arc<Csp>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, csp.header(host.as_deref()));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The join link carries the room's code; no other site may learn it from a click.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // For browsers that predate frame-ancestors.
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// A path no route or file can have gets a plain 404 before any handler or the file system
/// sees it (a 10 KB file name would otherwise be an I/O error, answered with a 500).
pub async fn reject_long_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.len() > MAX_PATH || path.split('/').any(|s| s.len() > MAX_SEGMENT) {
        tracing::debug!(len = path.len(), "over-long path");
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
            <script src=\"/b.js\"></script><SCRIPT>x()</SCRIPT><script\nsrc=/c.js></script></head>";
        let hashes = inline_hashes(html, "script");
        let expect = |s: &str| BASE64.encode(Sha256::digest(s.as_bytes()));
        assert_eq!(
            hashes,
            [expect("\nimport init from '/a.js';\n"), expect("x()")]
        );
    }

    #[test]
    fn policy_names_each_hash_and_the_essentials() {
        let head = policy_head(&InlineHashes {
            scripts: vec!["abc=".into()],
            styles: vec!["def=".into()],
        });
        for part in [
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='",
            "style-src 'self' 'sha256-def='",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(head.contains(part), "{part} in {head}");
        }
        assert!(!head.contains("unsafe-inline"));
    }

    #[test]
    fn hashes_inline_styles_only() {
        let html = "<head><style>\nbody{margin:0}\n</style><link rel=\"stylesheet\" href=\"/a.css\">\
            <STYLE media=\"print\">p{}</STYLE><script>x()</script></head>";
        let expect = |s: &str| BASE64.encode(Sha256::digest(s.as_bytes()));
        assert_eq!(
            inline_hashes(html, "style"),
            [expect("\nbody{margin:0}\n"), expect("p{}")]
        );
    }
}
