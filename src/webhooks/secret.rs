//! A webhook's signing secret, as Standard Webhooks writes it. Made when a
//! webhook is registered or its secret rotated; the delivery job signs with
//! it.

use base64::Engine;
use rand::RngCore;

/// A new secret: 32 random bytes, `whsec_` and their base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}
