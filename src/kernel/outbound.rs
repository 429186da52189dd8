//! Where a webhook may be sent: an `https` URL whose host is, when the
//! request is made, a public address. Loopback, private, link-local, shared,
//! documentation and other special-purpose ranges are refused, so that a
//! webhook cannot be aimed at the server's own network (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use reqwest::Url;

/// The longest URL accepted.
pub const MAX_URL_CHARS: usize = 2000;

/// Whether loopback receivers are allowed: only for tests, which run their
/// receiver on `127.0.0.1` (and may then use plain `http`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub allow_loopback: bool,
}

impl Policy {
    /// Whether a request may go to this address.
    pub fn allows(self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        !is_internal(ip) || (self.allow_loopback && ip.is_loopback())
    }

    /// Checks a URL as given to a webhook: its form, and its host when that
    /// is an address or a name that is always internal. A name is checked
    /// again, by what it resolves to, at every send.
    pub fn check_url(self, raw: &str) -> Result<Url, &'static str> {
        if raw.chars().count() > MAX_URL_CHARS {
            return Err("must be at most 2000 characters");
        }
        let url = Url::parse(raw).map_err(|_| "is not a URL")?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err("must not carry a user name or password");
        }
        if url.fragment().is_some() {
            return Err("must not have a fragment");
        }
        let host = url.host().ok_or("must name a host")?;
        let loopback = match host {
            url::Host::Ipv4(ip) => {
                let ip = IpAddr::V4(ip);
                if !self.allows(ip) {
                    return Err("must not be a loopback, private or otherwise internal address");
                }
                ip.is_loopback()
            }
            url::Host::Ipv6(ip) => {
                let ip = IpAddr::V6(ip);
                if !self.allows(ip) {
                    return Err("must not be a loopback, private or otherwise internal address");
                }
                canonical(ip).is_loopback()
            }
            url::Host::Domain(name) => {
                if is_internal_name(name) {
                    return Err("must not name a local or internal host");
                }
                false
            }
        };
        match url.scheme() {
            "https" => Ok(url),
            "http" if loopback && self.allow_loopback => Ok(url),
            _ => Err("must be an https URL"),
        }
    }
}

/// Names that only ever mean this machine or a private network.
fn is_internal_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || ["localhost", "local", "internal", "localdomain", "home.arpa"]
            .iter()
            .any(|suffix| name.ends_with(&format!(".{suffix}")))
}

/// An IPv4 address carried in IPv6 is judged as the IPv4 address it is:
/// mapped (`::ffff:a.b.c.d`), translated (`::ffff:0:a.b.c.d`), compatible
/// (`::a.b.c.d`, deprecated but still routed by some stacks), NAT64's
/// well-known and local-use prefixes (`64:ff9b::/96`, `64:ff9b:1::/48`) and
/// 6to4 (`2002:aabb:ccdd::/48`, the address `aa.bb.cc.dd`).
fn canonical(ip: IpAddr) -> IpAddr {
    let IpAddr::V6(v6) = ip else {
        return ip;
    };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return IpAddr::V4(v4);
    }
    let s = v6.segments();
    let v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    };
    let embeds_in_tail = s[..6] == [0, 0, 0, 0, 0xffff, 0] // translated
        || (s[..6] == [0, 0, 0, 0, 0, 0] && !v6.is_unspecified() && !v6.is_loopback()) // compatible
        || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] // NAT64, well-known
        || s[..3] == [0x64, 0xff9b, 1]; // NAT64, local use
    if embeds_in_tail {
        return v4(s[6], s[7]);
    }
    if s[0] == 0x2002 {
        return v4(s[1], s[2]);
    }
    IpAddr::V6(v6)
}

/// Not a public address: anything special-purpose (RFC 6890 and successors).
pub fn is_internal(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(ip) => is_internal_v4(ip),
        IpAddr::V6(ip) => is_internal_v6(ip),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || (first == 0x0100 && ip.segments()[1..4] == [0, 0, 0]) // discard-only
        // Teredo: its IPv4 addresses are obscured; nothing public needs it.
        || (first == 0x2001 && ip.segments()[1] == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn internal_addresses_are_refused_and_public_ones_allowed() {
        let strict = Policy::default();
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "::a9fe:a9fe",
            "::ffff:0:a00:1",
            "64:ff9b:1::c0a8:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "2002:c0a8:101::",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        ] {
            assert!(!strict.allows(ip(internal)), "{internal}");
        }
        for public in [
            "93.184.215.14",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "::8.8.8.8",
            "2002:808:808::1",
        ] {
            assert!(strict.allows(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_test_switch_allows_loopback_and_nothing_else_internal() {
        let tests = Policy {
            allow_loopback: true,
        };
        assert!(tests.allows(ip("127.0.0.1")));
        assert!(tests.allows(ip("::1")));
        assert!(!tests.allows(ip("10.0.0.1")));
        assert!(!tests.allows(ip("169.254.169.254")));
        assert!(tests.check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(tests.check_url("http://hooks.example.org/").is_err());
    }

    #[test]
    fn only_https_urls_to_hosts_that_are_not_internal_are_accepted() {
        let strict = Policy::default();
        assert!(
            strict
                .check_url("https://hooks.example.org/convene")
                .is_ok()
        );
        assert!(strict.check_url("https://93.184.215.14/hook").is_ok());
        for bad in [
            "http://hooks.example.org/convene",
            "ftp://hooks.example.org/",
            "not a url",
            "https://user:pass@hooks.example.org/",
            "https://hooks.example.org/#part",
            "https://localhost/hook",
            "https://printer.local/hook",
            "https://metadata.google.internal/",
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://10.0.0.8/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::ffff:192.168.0.1]/",
            "https://[::127.0.0.1]/",
            "https://[::a9fe:a9fe]/latest/meta-data",
            "https://[2002:7f00:1::]/",
            "http://127.0.0.1:9000/hook",
        ] {
            assert!(strict.check_url(bad).is_err(), "{bad}");
        }
    }
}
