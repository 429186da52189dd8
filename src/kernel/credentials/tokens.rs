//! Access tokens (JWT, HS256, 15 minutes) and refresh tokens (256 random bits).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::kernel::error::ApiError;

pub const ISSUER: &str = "convene";
pub const AUDIENCE: &str = "convene-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
/// Clock skew tolerated between API nodes.
const LEEWAY_SECS: u64 = 30;

/// Claims of an access token. Every one is required: a token without `iat`
/// or `sid` fails to deserialise, and `exp`, `iss`, `aud`, `sub` are also
/// demanded by the validator.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The sign-in session; revoking it ends the token at once.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// The audience of an unsubscribe link's token: it is good for nothing else.
pub const UNSUBSCRIBE_AUDIENCE: &str = "convene-unsubscribe";

/// Claims of the token in an email's unsubscribe link: who, and which kind
/// of email. It does not expire (mail is read late), and it can only ever
/// turn that one kind of email off for that one person.
#[derive(Debug, Serialize, Deserialize)]
pub struct UnsubscribeClaims {
    pub sub: Uuid,
    pub kind: String,
    pub iss: String,
    pub aud: String,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    unsubscribe: Validation,
    /// Signs forms' CSRF tokens: derived from the secret, never the secret
    /// itself, so that no form carries anything that signs access tokens.
    csrf: [u8; 32],
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        // Pinned to HS256: `alg: none` and every other algorithm are refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        let mut unsubscribe = Validation::new(Algorithm::HS256);
        unsubscribe.set_issuer(&[ISSUER]);
        unsubscribe.set_audience(&[UNSUBSCRIBE_AUDIENCE]);
        unsubscribe.set_required_spec_claims(&["iss", "aud", "sub"]);
        unsubscribe.validate_exp = false;
        let mut csrf = hmac(secret);
        csrf.update(b"convene: key of forms' csrf tokens");
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            unsubscribe,
            csrf: csrf.finalize().into_bytes().into(),
        }
    }

    /// The CSRF token of the forms shown to whoever `binding` names (a
    /// session, or a signed-out browser's own random value): a MAC of it, so
    /// a token is good for its browser only and nothing need be stored.
    pub fn csrf_token(&self, binding: &str) -> String {
        let mut mac = hmac(&self.csrf);
        mac.update(binding.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Whether `presented` is `binding`'s token (compared in constant time).
    pub fn csrf_token_is_valid(&self, binding: &str, presented: &str) -> bool {
        let Ok(presented) = URL_SAFE_NO_PAD.decode(presented) else {
            return false;
        };
        let mut mac = hmac(&self.csrf);
        mac.update(binding.as_bytes());
        mac.verify_slice(&presented).is_ok()
    }

    /// The token of an unsubscribe link.
    pub fn issue_unsubscribe(&self, user_id: Uuid, kind: &str) -> Result<String, ApiError> {
        let claims = UnsubscribeClaims {
            sub: user_id,
            kind: kind.to_string(),
            iss: ISSUER.into(),
            aud: UNSUBSCRIBE_AUDIENCE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// Who and what an unsubscribe link names; 404 for anything else (an
    /// access token included: its audience differs).
    pub fn verify_unsubscribe(&self, token: &str) -> Result<UnsubscribeClaims, ApiError> {
        jsonwebtoken::decode::<UnsubscribeClaims>(token, &self.decoding, &self.unsubscribe)
            .map(|data| data.claims)
            .map_err(|_| ApiError::NotFound("no such unsubscribe link".into()))
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| {
                tracing::debug!(error = %err, "access token refused");
                ApiError::Unauthorized("the access token is invalid or has expired".into())
            })
    }
}

/// A new refresh token: 256 bits from the OS generator, base64url.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a refresh token. A fast hash is enough: the token has
/// 256 bits of entropy, so there is nothing to brute-force.
pub fn hash_refresh_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csrf_token_is_good_for_its_own_binding_only() {
        let keys = TokenKeys::new(b"a secret of thirty-two bytes or more");
        let token = keys.csrf_token("session:1");
        assert!(keys.csrf_token_is_valid("session:1", &token));
        assert!(!keys.csrf_token_is_valid("session:2", &token));
        assert!(!keys.csrf_token_is_valid("session:1", ""));
        assert!(!keys.csrf_token_is_valid("session:1", "not base64!"));
        let other_server = TokenKeys::new(b"another secret of thirty-two bytes");
        assert!(!other_server.csrf_token_is_valid("session:1", &token));
    }
}
