//! Shared helpers: a throw-away dist directory shaped like Trunk's output and a minimal
//! HTTP/1.1 client on hyper (already in the dependency tree through axum).

#![allow(dead_code)] // each test binary uses a different subset

use std::error::Error;
use std::net::SocketAddr;
use std::path::Path;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

pub const INDEX_HTML: &str = "<!doctype html><html><head><title>Bijeen test shell</title></head>\
    <body><script type=\"module\" src=\"/bijeen-3f2a9c1b0d4e5f67.js\"></script></body></html>";
/// The participant's entry, served for the routes a phone opens.
pub const PARTICIPANT_HTML: &str = "<!doctype html><html><head><title>Bijeen participant shell</title></head>\
    <body><script type=\"module\" src=\"/participant-3f2a9c1b0d4e5f67.js\"></script></body></html>";
/// The facilitator's phone remote, its own entry too.
pub const REMOTE_HTML: &str = "<!doctype html><html><head><title>Bijeen remote shell</title></head>\
    <body><script type=\"module\" src=\"/remote-3f2a9c1b0d4e5f67.js\"></script></body></html>";
pub const HASHED_JS: &str = "/bijeen-3f2a9c1b0d4e5f67.js";
pub const HASHED_WASM: &str = "/bijeen-3f2a9c1b0d4e5f67_bg.wasm";
pub const HASHED_CSS: &str = "/style-0a1b2c3d4e5f6789.css";

/// A fake wasm module: the real magic number followed by repetitive, compressible bytes.
pub fn wasm_bytes() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..4096u32 {
        bytes.extend_from_slice(&(i % 97).to_le_bytes());
    }
    bytes
}

pub fn write_dist(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join("index.html"), INDEX_HTML)?;
    std::fs::write(dir.join("participant.html"), PARTICIPANT_HTML)?;
    std::fs::write(dir.join("remote.html"), REMOTE_HTML)?;
    std::fs::write(dir.join("window.html"), PARTICIPANT_HTML)?;
    let js = "export default function init() { return 'bijeen'; }\n".repeat(20);
    std::fs::write(dir.join(HASHED_JS.trim_start_matches('/')), js)?;
    std::fs::write(dir.join(HASHED_WASM.trim_start_matches('/')), wasm_bytes())?;
    let css = ":root { --ink: #111; --paper: #fff; }\nbody { color: var(--ink); }\n".repeat(10);
    std::fs::write(dir.join(HASHED_CSS.trim_start_matches('/')), css)?;
    std::fs::write(
        dir.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"></svg>",
    )?;
    std::fs::write(
        dir.join("manifest.webmanifest"),
        r#"{"name":"Bijeen","start_url":"/"}"#,
    )?;
    std::fs::write(dir.join("strings.json"), r#"{"hello":"hallo"}"#)?;
    Ok(())
}

/// One keep-alive HTTP/1.1 connection.
pub struct Client {
    addr: SocketAddr,
    sender: SendRequest<Empty<Bytes>>,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> TestResult<Self> {
        let stream = TcpStream::connect(addr).await?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Self { addr, sender })
    }

    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> TestResult<Response<Bytes>> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string());
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = self
            .sender
            .send_request(builder.body(Empty::new())?)
            .await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Response::from_parts(parts, body))
    }
}

/// GET on a fresh connection.
pub async fn get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> TestResult<Response<Bytes>> {
    Client::connect(addr)
        .await?
        .request("GET", path, headers)
        .await
}

pub fn header<'a>(response: &'a Response<Bytes>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}
