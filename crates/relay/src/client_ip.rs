//! The client's address, as handlers should count it.
//!
//! The accept loop puts a [`ClientIp`] into every request's extensions. It is the TCP peer's
//! address, except when the peer is one of the configured `--trusted-proxy` addresses: then
//! it is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy.
//! Everything left of that was written by the client and proves nothing.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};

/// Handlers take this as an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<ClientIp>().copied().ok_or_else(|| {
            // Only a request that did not come through `Relay::run` lacks it: a bug.
            tracing::error!("request without a client address");
            StatusCode::INTERNAL_SERVER_ERROR
        })
    }
}

/// Unwraps IPv4-mapped IPv6 (`::ffff:10.0.0.1`), which a dual-stack listener reports for
/// IPv4 clients, so the same client is always the same address.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client address for a request from `peer`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(&peer) {
        return peer;
    }
    // Several X-Forwarded-For headers form one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // The hop that wrote this is the last one we can vouch for.
            return client;
        };
        client = canonical(ip);
        if !trusted.contains(&client) {
            return client;
        }
    }
    client
}

/// An address as proxies write it: `1.2.3.4`, `2001:db8::1`, or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    hop.parse::<std::net::SocketAddrV4>()
        .ok()
        .map(|a| IpAddr::V4(*a.ip()))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_address() {
        let h = xff(&["9.9.9.9"]);
        assert_eq!(resolve(ip("1.2.3.4"), &h, &[]), ip("1.2.3.4"));
        assert_eq!(
            resolve(ip("1.2.3.4"), &h, &[ip("127.0.0.1")]),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn a_trusted_proxy_gives_the_right_most_untrusted_address() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        // The client spoofed 6.6.6.6; the proxy appended the real peer 5.5.5.5.
        let h = xff(&["6.6.6.6, 5.5.5.5"]);
        assert_eq!(resolve(proxy, &h, &trusted), ip("5.5.5.5"));
        // Two proxies in a row, headers split over two lines.
        let h = xff(&["6.6.6.6, 5.5.5.5", "10.0.0.2"]);
        assert_eq!(resolve(proxy, &h, &trusted), ip("5.5.5.5"));
        // With ports and IPv6.
        let h = xff(&["[2001:db8::7]:4711"]);
        assert_eq!(resolve(proxy, &h, &trusted), ip("2001:db8::7"));
        let h = xff(&["5.5.5.5:80"]);
        assert_eq!(resolve(proxy, &h, &trusted), ip("5.5.5.5"));
    }

    #[test]
    fn garbage_stops_at_the_last_address_a_trusted_hop_vouched_for() {
        let proxy = ip("127.0.0.1");
        let h = xff(&["5.5.5.5, not-an-ip"]);
        assert_eq!(resolve(proxy, &h, &[proxy]), proxy);
        // No header at all: the proxy itself (local health checks).
        assert_eq!(resolve(proxy, &HeaderMap::new(), &[proxy]), proxy);
        // Only trusted hops: the left-most.
        let h = xff(&["10.0.0.2"]);
        assert_eq!(resolve(proxy, &h, &[proxy, ip("10.0.0.2")]), ip("10.0.0.2"));
    }

    #[test]
    fn ipv4_mapped_peers_are_ipv4() {
        let mapped = ip("::ffff:127.0.0.1");
        assert_eq!(canonical(mapped), ip("127.0.0.1"));
        let h = xff(&["5.5.5.5"]);
        assert_eq!(resolve(mapped, &h, &[ip("127.0.0.1")]), ip("5.5.5.5"));
    }
}
