//! Which pages may open a room WebSocket.
//!
//! Browsers send `Origin` with every WebSocket handshake and do not apply CORS to it, so
//! without this check any web page a participant visits could open sockets to the relay
//! from their browser. The relay's own pages are allowed (the `Origin` names the same host
//! and port as the request's `Host`), and so are the `--allowed-origin`s.
//!
//! A handshake without `Origin` is allowed: it does not come from a web page (browsers
//! always send one), but from a program the person runs themselves, such as a test client
//! or a bot. Such a client gets nothing for free: it still needs the room's credentials.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};

use crate::config::{Origin, split_authority};

pub fn allowed(headers: &HeaderMap, extra: &[Origin]) -> bool {
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    // `null` (sandboxed frames, file: pages) and anything malformed is foreign.
    let Some(origin) = origin.to_str().ok().and_then(|o| o.parse::<Origin>().ok()) else {
        return false;
    };
    if extra.iter().any(|o| same(o, &origin)) {
        return true;
    }
    let Some((host, port)) = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(split_authority)
    else {
        return false;
    };
    // A Host without a port is the scheme's default port as the browser saw it (a reverse
    // proxy may have terminated TLS on 443 and forwarded plain HTTP), so only an explicit
    // port has to agree.
    host.eq_ignore_ascii_case(origin.host())
        && port.is_none_or(|p| Some(p) == origin.effective_port())
}

fn same(a: &Origin, b: &Origin) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.effective_port() == b.effective_port()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).expect("host"));
        if let Some(o) = origin {
            h.insert(ORIGIN, HeaderValue::from_str(o).expect("origin"));
        }
        h
    }

    #[test]
    fn same_origin_is_allowed_and_others_are_not() {
        let none: &[Origin] = &[];
        assert!(allowed(
            &headers("127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            none
        ));
        assert!(allowed(
            &headers("Bijeen.example", Some("https://bijeen.example")),
            none
        ));
        assert!(allowed(
            &headers("bijeen.example:443", Some("https://bijeen.example")),
            none
        ));
        assert!(allowed(
            &headers("[::1]:8080", Some("http://[::1]:8080")),
            none
        ));
        assert!(!allowed(
            &headers("127.0.0.1:8080", Some("http://127.0.0.1:3000")),
            none
        ));
        assert!(!allowed(
            &headers("127.0.0.1:8080", Some("http://localhost:8080")),
            none
        ));
        assert!(!allowed(
            &headers("bijeen.example", Some("https://evil.example")),
            none
        ));
        assert!(!allowed(&headers("bijeen.example", Some("null")), none));
        assert!(!allowed(
            &headers("bijeen.example", Some("https://bijeen.example.evil")),
            none
        ));
    }

    #[test]
    fn no_origin_is_a_program_not_a_page() {
        assert!(allowed(&headers("127.0.0.1:8080", None), &[]));
    }

    #[test]
    fn allowed_origins_are_added() -> Result<(), String> {
        let extra: Vec<Origin> = vec![
            "https://app.example".parse()?,
            "http://localhost:3000".parse()?,
        ];
        assert!(allowed(
            &headers("relay.example", Some("https://app.example")),
            &extra
        ));
        assert!(allowed(
            &headers("relay.example", Some("https://app.example:443")),
            &extra
        ));
        assert!(allowed(
            &headers("relay.example", Some("http://localhost:3000")),
            &extra
        ));
        assert!(!allowed(
            &headers("relay.example", Some("http://app.example")),
            &extra
        ));
        Ok(())
    }
}
