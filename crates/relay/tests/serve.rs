//! The relay as a browser sees it: a real server on 127.0.0.1, port 0, in this process, over a
//! dist directory written by the test.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use bijeen_relay::{Config, Relay, RelayError};
use common::{
    HASHED_CSS, HASHED_JS, HASHED_WASM, INDEX_HTML, PARTICIPANT_HTML, REMOTE_HTML, TestResult, get,
    header,
};
use hyper::StatusCode;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), RelayError>>,
    // Held so the directories outlive the server.
    _dist: TempDir,
    _data: TempDir,
}

impl Running {
    async fn stop(self) -> TestResult {
        // The server may already be gone if a test failed; the join below reports that.
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(5), self.task).await???;
        Ok(())
    }
}

fn config(dist: &TempDir, data: &TempDir) -> Config {
    Config {
        dist: dist.path().to_path_buf(),
        host: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        data_dir: data.path().join("relay-data"),
        database_url: None,
        limits: Default::default(),
        net: Default::default(),
        tls_cert: None,
        tls_key: None,
        trusted_proxies: Vec::new(),
        allowed_origins: Vec::new(),
    }
}

async fn start() -> TestResult<Running> {
    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    let data = tempfile::tempdir()?;
    start_with(dist, data).await
}

async fn start_with(dist: TempDir, data: TempDir) -> TestResult<Running> {
    let relay = Relay::bind(config(&dist, &data)).await?;
    let addr = relay.local_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(relay.run(async move {
        let _ = stopped.await;
    }));
    Ok(Running {
        addr,
        stop,
        task,
        _dist: dist,
        _data: data,
    })
}

#[tokio::test]
async fn deep_link_gets_the_app_shell() -> TestResult {
    let relay = start().await?;
    let routes = [
        ("/", INDEX_HTML),
        ("/w/abc", INDEX_HTML),
        ("/w/abc/present", INDEX_HTML),
        ("/w/abc/report", INDEX_HTML),
        ("/index.html", INDEX_HTML),
        // A phone's routes get the participant's entry, a fraction of the download.
        ("/j/ABC123", PARTICIPANT_HTML),
        ("/w/abc/join", PARTICIPANT_HTML),
        ("/w/abc/join/", PARTICIPANT_HTML),
        // The facilitator's phone remote gets its own, smaller still.
        ("/w/abc/remote", REMOTE_HTML),
    ];
    for (path, page) in routes {
        let response = get(relay.addr, path, &[]).await?;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.body().as_ref(), page.as_bytes(), "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-cache"),
            "{path}"
        );
        let content_type = header(&response, "content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
    }
    relay.stop().await
}

#[tokio::test]
async fn healthz_reports_version() -> TestResult {
    let relay = start().await?;
    let response = get(relay.addr, "/healthz", &[]).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    let body: serde_json::Value = serde_json::from_slice(response.body())?;
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    relay.stop().await
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_correct_types() -> TestResult {
    let relay = start().await?;
    for (path, content_type) in [
        (HASHED_JS, "text/javascript"),
        (HASHED_WASM, "application/wasm"),
        (HASHED_CSS, "text/css"),
    ] {
        let response = get(relay.addr, path, &[]).await?;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            Some(IMMUTABLE),
            "{path}"
        );
        assert_eq!(
            header(&response, "content-type"),
            Some(content_type),
            "{path}"
        );
    }
    relay.stop().await
}

#[tokio::test]
async fn unhashed_files_get_a_short_cache() -> TestResult {
    let relay = start().await?;
    for (path, content_type) in [
        ("/favicon.svg", "image/svg+xml"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/strings.json", "application/json"),
    ] {
        let response = get(relay.addr, path, &[]).await?;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("public, max-age=300"),
            "{path}"
        );
        assert_eq!(
            header(&response, "content-type"),
            Some(content_type),
            "{path}"
        );
    }
    relay.stop().await
}

#[tokio::test]
async fn wasm_is_compressed_on_the_fly() -> TestResult {
    let relay = start().await?;
    let original = common::wasm_bytes();
    for encoding in ["br", "gzip"] {
        let response = get(relay.addr, HASHED_WASM, &[("accept-encoding", encoding)]).await?;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "content-encoding"), Some(encoding));
        assert_eq!(header(&response, "content-type"), Some("application/wasm"));
        assert_eq!(header(&response, "cache-control"), Some(IMMUTABLE));
        assert!(
            response.body().len() < original.len() / 2,
            "{encoding}: {} bytes for {}",
            response.body().len(),
            original.len()
        );
    }
    // Brotli wins when a browser offers both.
    let response = get(
        relay.addr,
        HASHED_WASM,
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await?;
    assert_eq!(header(&response, "content-encoding"), Some("br"));
    // And a client that offers nothing gets the bytes as they are.
    let response = get(relay.addr, HASHED_WASM, &[]).await?;
    assert_eq!(header(&response, "content-encoding"), None);
    assert_eq!(response.body().as_ref(), original.as_slice());
    relay.stop().await
}

#[tokio::test]
async fn precompressed_sibling_is_served_as_is() -> TestResult {
    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    // Not real brotli: the point is that these exact bytes come back, not a recompression.
    let marker = b"precompressed by the build".to_vec();
    let sibling = format!("{}.br", HASHED_WASM.trim_start_matches('/'));
    std::fs::write(dist.path().join(sibling), &marker)?;
    let relay = start_with(dist, tempfile::tempdir()?).await?;

    let response = get(relay.addr, HASHED_WASM, &[("accept-encoding", "br")]).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-encoding"), Some("br"));
    assert_eq!(header(&response, "content-type"), Some("application/wasm"));
    assert_eq!(header(&response, "cache-control"), Some(IMMUTABLE));
    assert_eq!(response.body().as_ref(), marker.as_slice());
    relay.stop().await
}

#[tokio::test]
async fn missing_files_and_server_paths_are_404_not_the_shell() -> TestResult {
    let relay = start().await?;
    for path in [
        "/bijeen-0123456789abcdef.js",
        "/bijeen-0123456789abcdef_bg.wasm",
        "/w/abc/logo.png",
        "/api",
        "/api/nothing",
        "/ws",
        "/ws/room/extra",
        "/healthz/deep",
    ] {
        let response = get(relay.addr, path, &[]).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_ne!(response.body().as_ref(), INDEX_HTML.as_bytes(), "{path}");
        // A cached 404 under an immutable name would outlive the deploy race that caused it.
        assert_eq!(header(&response, "cache-control"), None, "{path}");
    }
    // Real endpoints asked the wrong way get a client error, never the shell either.
    for (path, status) in [
        ("/api/rooms", StatusCode::METHOD_NOT_ALLOWED),
        ("/ws/room", StatusCode::BAD_REQUEST),
    ] {
        let response = get(relay.addr, path, &[]).await?;
        assert_eq!(response.status(), status, "{path}");
        assert_ne!(response.body().as_ref(), INDEX_HTML.as_bytes(), "{path}");
    }
    relay.stop().await
}

#[tokio::test]
async fn graceful_shutdown_completes_with_an_idle_keep_alive_connection() -> TestResult {
    let relay = start().await?;
    let mut client = common::Client::connect(relay.addr).await?;
    let response = client.request("GET", "/healthz", &[]).await?;
    assert_eq!(response.status(), StatusCode::OK);
    // `client` keeps its connection open while the server shuts down.
    relay.stop().await?;
    assert!(client.request("GET", "/healthz", &[]).await.is_err());
    Ok(())
}

#[tokio::test]
async fn startup_checks_fail_with_specific_errors() -> TestResult {
    let data = tempfile::tempdir()?;

    let empty_dist = tempfile::tempdir()?;
    match Relay::bind(config(&empty_dist, &data)).await {
        Err(RelayError::MissingIndex { index }) => assert!(index.ends_with("index.html")),
        other => panic!("expected MissingIndex, got {other:?}"),
    }

    let facilitator_only = tempfile::tempdir()?;
    common::write_dist(facilitator_only.path())?;
    std::fs::remove_file(facilitator_only.path().join("participant.html"))?;
    match Relay::bind(config(&facilitator_only, &data)).await {
        Err(RelayError::MissingPhoneEntry { entry }) => {
            assert!(entry.ends_with("participant.html"));
        }
        other => panic!("expected MissingPhoneEntry, got {other:?}"),
    }
    let no_remote = tempfile::tempdir()?;
    common::write_dist(no_remote.path())?;
    std::fs::remove_file(no_remote.path().join("remote.html"))?;
    match Relay::bind(config(&no_remote, &data)).await {
        Err(RelayError::MissingPhoneEntry { entry }) => assert!(entry.ends_with("remote.html")),
        other => panic!("expected MissingPhoneEntry, got {other:?}"),
    }

    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = taken.local_addr()?.port();
    let mut busy = config(&dist, &data);
    busy.port = port;
    let err = match Relay::bind(busy).await {
        Err(err) => err,
        Ok(relay) => panic!("bound a taken port: {relay:?}"),
    };
    assert!(
        matches!(err, RelayError::PortInUse { port: p } if p == port),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("port {port} is already in use; pass --port or set BIJEEN_PORT")
    );
    Ok(())
}

#[tokio::test]
async fn data_dir_is_created() -> TestResult {
    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    let data = tempfile::tempdir()?;
    let relay = Relay::bind(config(&dist, &data)).await?;
    assert!(data.path().join("relay-data").is_dir());
    assert_eq!(relay.url(), format!("http://{}/", relay.local_addr()));
    Ok(())
}
