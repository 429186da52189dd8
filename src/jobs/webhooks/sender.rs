//! Sends a webhook request: signed, to a public address only, with no
//! redirects followed and short timeouts. The address check is made by the
//! resolver that the connection itself uses, so a name cannot resolve to a
//! public address when checked and to an internal one when connected.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use uuid::Uuid;

use crate::kernel::outbound::Policy;

/// How long a receiver has to connect, and to answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(10);

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// A 2xx answer.
    Delivered { status: u16 },
    /// Any other answer, or none.
    Failed { status: Option<u16>, error: String },
}

#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: Policy,
}

/// Resolves as the system does, then keeps only the addresses the policy
/// allows; a name with none left does not resolve.
///
/// A name that does not resolve and one that resolves only inside fail
/// alike, in the same words: the delivery log is read by a forum's
/// officers, who must not be able to tell the server's internal names from
/// names that do not exist.
struct PublicOnly(Policy);

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map(Iterator::collect)
                .unwrap_or_default();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| policy.allows(addr.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(no_public_address(&host).into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Why a name was not connected to, whatever the reason.
fn no_public_address(host: &str) -> String {
    format!("{host} has no public address to send to")
}

impl Sender {
    pub fn new(policy: Policy) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly(policy)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TIMEOUT)
            .user_agent(concat!("Convene-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| format!("no HTTP client: {err}"))?;
        Ok(Self { client, policy })
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Posts `body` to `url`, signed with each of `secrets` (Standard
    /// Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`).
    pub async fn send(
        &self,
        url: &str,
        id: Uuid,
        at: DateTime<Utc>,
        body: &str,
        secrets: &[&str],
    ) -> Attempt {
        let failed = |error: String| Attempt::Failed {
            status: None,
            error,
        };
        // A literal address never reaches the resolver: checked here.
        let url = match self.policy.check_url(url) {
            Ok(url) => url,
            Err(why) => return failed(format!("the URL {why}")),
        };
        let timestamp = at.timestamp();
        let signature = match sign(id, timestamp, body, secrets) {
            Ok(signature) => signature,
            Err(err) => return failed(err),
        };
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header(standardwebhooks::HEADER_WEBHOOK_ID, id.to_string())
            .header(
                standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
                timestamp.to_string(),
            )
            .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => Attempt::Delivered {
                status: response.status().as_u16(),
            },
            Ok(response) => Attempt::Failed {
                status: Some(response.status().as_u16()),
                error: format!("the receiver answered {}", response.status()),
            },
            Err(err) => failed(describe(&err)),
        }
    }
}

/// The `webhook-signature` value: one `v1,…` per secret, space-separated.
pub fn sign(id: Uuid, timestamp: i64, body: &str, secrets: &[&str]) -> Result<String, String> {
    let mut signatures = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let key = standardwebhooks::Webhook::new(secret)
            .map_err(|err| format!("the secret is unusable: {err}"))?;
        signatures.push(
            key.sign(&id.to_string(), timestamp, body.as_bytes())
                .map_err(|err| format!("the body cannot be signed: {err}"))?,
        );
    }
    Ok(signatures.join(" "))
}

/// An error with its causes, which reqwest keeps apart.
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::webhooks::new_secret;

    #[tokio::test]
    async fn a_name_inside_and_a_name_that_does_not_exist_fail_alike() {
        let resolver = PublicOnly(Policy::default());
        let error = |result: Result<Addrs, Box<dyn std::error::Error + Send + Sync>>| {
            result
                .err()
                .map(|err| err.to_string().replace("localhost", "HOST"))
                .map(|text| text.replace("no-such-host.invalid", "HOST"))
        };
        let inside = error(
            resolver
                .resolve(Name::from_str("localhost").expect("a name"))
                .await,
        );
        let nowhere = error(
            resolver
                .resolve(Name::from_str("no-such-host.invalid").expect("a name"))
                .await,
        );
        assert!(inside.is_some());
        assert_eq!(inside, nowhere);
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_is_not_connected_to() {
        let name = || Name::from_str("localhost").expect("a name");
        let strict = PublicOnly(Policy::default()).resolve(name()).await;
        assert!(strict.is_err(), "localhost is loopback");
        let tests = PublicOnly(Policy {
            allow_loopback: true,
        })
        .resolve(name())
        .await
        .expect("loopback allowed for tests");
        assert!(tests.into_iter().all(|addr| addr.ip().is_loopback()));
    }

    #[test]
    fn a_signature_verifies_with_each_secret_in_force() {
        let (old, new) = (new_secret(), new_secret());
        let id = Uuid::from_u128(42);
        let now = chrono::Utc::now().timestamp();
        let body = r#"{"type":"meeting.scheduled"}"#;
        let signature = sign(id, now, body, &[&new, &old]).expect("signed");
        assert_eq!(signature.split(' ').count(), 2);
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("webhook-id", id.to_string().parse().expect("a value"));
        headers.insert(
            "webhook-timestamp",
            now.to_string().parse().expect("a value"),
        );
        headers.insert("webhook-signature", signature.parse().expect("a value"));
        for secret in [&old, &new] {
            standardwebhooks::Webhook::new(secret)
                .expect("a key")
                .verify(body.as_bytes(), &headers)
                .expect("verifies");
        }
        let stranger = standardwebhooks::Webhook::new(&new_secret()).expect("a key");
        assert!(stranger.verify(body.as_bytes(), &headers).is_err());
        assert!(
            standardwebhooks::Webhook::new(&new)
                .expect("a key")
                .verify(br#"{"type":"meeting.cancelled"}"#, &headers)
                .is_err(),
            "a changed body fails"
        );
    }
}
