//! Who sent a request, for the per-address limits and the logs: never the
//! leftmost `X-Forwarded-For` entry, which the client writes itself (a
//! client rotating it would slip every per-address limit).

use crate::domain::sign_ins::Attempt;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use lambda_http::request::RequestContext;

/// Proxies whose `X-Forwarded-For` entries are believed
/// (`REKEY_TRUSTED_PROXIES`: addresses or CIDR ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// `"10.0.0.0/8, 192.0.2.7, ::1"`; `Err` names the entry that is not one.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (ip, bits) = match entry.split_once('/') {
                Some((ip, bits)) => (ip, Some(bits)),
                None => (entry, None),
            };
            let ip: IpAddr = ip
                .parse()
                .map_err(|_| format!("{entry:?} is not an IP address or CIDR range"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{entry:?} has no valid prefix length"))?,
            };
            ranges.push((ip, bits));
        }
        Ok(Self(ranges))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, bits)| in_range(ip, *net, *bits))
    }
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let to_bits = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)) << 96, 32u32),
        IpAddr::V6(v6) => (u128::from(v6), 128u32),
    };
    // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
    let canonical = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let ((a, a_len), (b, b_len)) = (to_bits(canonical(ip)), to_bits(canonical(net)));
    if a_len != b_len {
        return false;
    }
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(bits))
    };
    a & mask == b & mask
}

/// The client's address as text (`"unknown"` when nothing says).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let trusted = parts.extensions.get::<TrustedProxies>();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let context = parts.extensions.get::<RequestContext>();
        let address = client_address(peer, &parts.headers, context, trusted);
        Ok(Self(
            address.map_or_else(|| "unknown".into(), |ip| ip.to_string()),
        ))
    }
}

/// Who is asking, as the sign-in log keeps it: the address and the
/// browser's `User-Agent`.
pub struct Caller {
    pub client: String,
    pub user_agent: Option<String>,
}

impl Caller {
    pub fn attempt(&self) -> Attempt<'_> {
        Attempt {
            client: &self.client,
            user_agent: self.user_agent.as_deref(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ClientAddr(client) = ClientAddr::from_request_parts(parts, state).await?;
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Self { client, user_agent })
    }
}

/// Served directly: the socket peer, or behind trusted proxies the nearest
/// `X-Forwarded-For` hop none of them is. On Lambda: CloudFront's
/// `CloudFront-Viewer-Address` (CloudFront writes it, replacing any a
/// client sent), else the source address API Gateway saw.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    context: Option<&RequestContext>,
    trusted: Option<&TrustedProxies>,
) -> Option<IpAddr> {
    if let Some(peer) = peer {
        let Some(trusted) = trusted.filter(|t| t.contains(peer)) else {
            return Some(peer);
        };
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        return Some(
            hops.iter()
                .rev()
                .copied()
                .find(|hop| !trusted.contains(*hop))
                .unwrap_or(peer),
        );
    }
    if let Some(viewer) = headers
        .get("cloudfront-viewer-address")
        .and_then(|v| v.to_str().ok())
        .and_then(viewer_ip)
    {
        return Some(viewer);
    }
    let source = match context? {
        RequestContext::ApiGatewayV2(c) => c.http.source_ip.as_deref(),
        RequestContext::ApiGatewayV1(c) => c.identity.source_ip.as_deref(),
        _ => None,
    };
    source.and_then(|s| s.parse().ok())
}

/// `198.51.100.10:46532` or `2001:db8::1:46532`: the address before the port.
fn viewer_ip(value: &str) -> Option<IpAddr> {
    let (ip, port) = value.trim().rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_direct_client_is_its_socket_peer_whatever_it_forwards() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.0.0.1")]);
        assert_eq!(
            client_address(Some(ip("198.51.100.4")), &h, None, None),
            Some(ip("198.51.100.4"))
        );
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // Not from a trusted proxy: the header is the client's own words.
        assert_eq!(
            client_address(Some(ip("198.51.100.4")), &h, None, Some(&trusted)),
            Some(ip("198.51.100.4"))
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.0.2.7").unwrap();
        // The client wrote the first entry itself; the proxies appended the rest.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(
            client_address(Some(ip("192.0.2.7")), &h, None, Some(&trusted)),
            Some(ip("203.0.113.9"))
        );
        let only_proxies = headers(&[("x-forwarded-for", "10.9.9.9")]);
        assert_eq!(
            client_address(Some(ip("10.0.0.2")), &only_proxies, None, Some(&trusted)),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn on_lambda_cloudfronts_viewer_address_wins_over_x_forwarded_for() {
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("cloudfront-viewer-address", "198.51.100.10:46532"),
        ]);
        assert_eq!(
            client_address(None, &h, None, None),
            Some(ip("198.51.100.10"))
        );
        let v6 = headers(&[("cloudfront-viewer-address", "2001:db8::7:443")]);
        assert_eq!(
            client_address(None, &v6, None, None),
            Some(ip("2001:db8::7"))
        );
        // Only a client-written X-Forwarded-For: nothing to go by.
        let forged = headers(&[("x-forwarded-for", "6.6.6.6")]);
        assert_eq!(client_address(None, &forged, None, None), None);
    }

    #[test]
    fn trusted_proxy_lists_parse_addresses_and_ranges_or_say_what_is_wrong() {
        let t = TrustedProxies::parse(" 10.0.0.0/8,::1, 2001:db8::/32 ,").unwrap();
        assert!(t.contains(ip("10.255.0.1")));
        assert!(t.contains(ip("::ffff:10.0.0.1")));
        assert!(t.contains(ip("::1")));
        assert!(t.contains(ip("2001:db8:1::1")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
    }
}
