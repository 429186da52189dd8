//! Password hashing with argon2id, off the async runtime and bounded.
//!
//! One hash takes ~19 MiB and tens of milliseconds of a core. Running it on a
//! runtime thread would stall every other request on that thread, and running
//! unboundedly many at once would exhaust memory under a burst of sign-ins, so
//! hashes run on the blocking pool behind a semaphore sized to the cores.
//!
//! Passwords are compared in Unicode NFKC (NIST SP 800-63B §5.1.1.2), so
//! that "ŵ" typed as one character or as "w" and a combining circumflex,
//! on whatever keyboard, is the same password. Hashes made before that
//! were of the password as typed: such a hash still verifies the password
//! as typed, and is then replaced by the hash of its NFKC form
//! ([`Verified::Upgrade`]), so each account moves over at its next sign-in.
//!
//! The cost is configuration ([`HashCost`]): production keeps OWASP's
//! parameters; a test suite may use the cheapest valid ones. A stored hash
//! names the parameters it was made with, so a hash made at one cost still
//! verifies after the cost changes.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::kernel::error::ApiError;

/// argon2id's cost: memory in KiB, passes, lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl HashCost {
    /// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
    pub const PRODUCTION: Self = Self {
        memory_kib: 19_456,
        passes: 2,
        lanes: 1,
    };

    /// The cheapest parameters argon2 accepts: for test suites only.
    pub const CHEAPEST: Self = Self {
        memory_kib: Params::MIN_M_COST,
        passes: Params::MIN_T_COST,
        lanes: Params::MIN_P_COST,
    };

    fn params(self) -> Result<Params, argon2::Error> {
        Params::new(self.memory_kib, self.passes, self.lanes, None)
    }

    /// Refuses parameters argon2 cannot use, at start-up rather than at the
    /// first sign-in.
    pub fn validate(self) -> Result<Self, String> {
        self.params()
            .map(|_| self)
            .map_err(|e| format!("invalid argon2 parameters {self:?}: {e}"))
    }
}

impl Default for HashCost {
    fn default() -> Self {
        Self::PRODUCTION
    }
}

fn argon2(cost: HashCost) -> Result<Argon2<'static>, argon2::Error> {
    Ok(Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        cost.params()?,
    ))
}

/// The password as it is hashed and compared: NFKC.
pub fn normalised(password: &str) -> Cow<'_, str> {
    match is_nfkc_quick(password.chars()) {
        IsNormalized::Yes => Cow::Borrowed(password),
        _ => Cow::Owned(password.nfkc().collect()),
    }
}

/// What a password check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    Wrong,
    Right,
    /// Right, against a hash of the password as typed, made before
    /// passwords were normalised: store this hash of its NFKC form instead.
    Upgrade(String),
}

impl Verified {
    pub fn is_right(&self) -> bool {
        !matches!(self, Self::Wrong)
    }
}

/// Checks `password` against `stored`: its NFKC form, and, where that
/// differs, the password as typed (for hashes made before normalising).
fn check_now(cost: HashCost, password: &str, stored: &str) -> Verified {
    let form = normalised(password);
    if verify_now(&form, stored) {
        return Verified::Right;
    }
    if form != password && verify_now(password, stored) {
        return match hash_now(cost, &form) {
            Ok(upgraded) => Verified::Upgrade(upgraded),
            // The password is right; the hash stays as it was.
            Err(_) => Verified::Right,
        };
    }
    Verified::Wrong
}

fn hash_now(cost: HashCost, password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(cost)
        .map_err(|e| e.to_string())?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Verification takes its parameters from the stored hash itself.
fn verify_now(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[derive(Clone)]
pub struct Passwords {
    cost: HashCost,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the email is
    /// unknown so that an unknown email costs as much time as a wrong
    /// password. Made on first use, at this instance's cost.
    dummy: Arc<OnceLock<String>>,
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new(HashCost::PRODUCTION)
    }
}

impl Passwords {
    pub fn new(cost: HashCost) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            cost,
            permits: Arc::new(Semaphore::new(cores)),
            dummy: Arc::new(OnceLock::new()),
        }
    }

    pub fn cost(&self) -> HashCost {
        self.cost
    }

    /// The hash of the password's NFKC form.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let cost = self.cost;
        self.run(move || hash_now(cost, &normalised(&password)))
            .await?
            .map_err(ApiError::internal)
    }

    /// Checks a password against a stored hash; with no hash (unknown email)
    /// it checks against a dummy one and answers `Wrong`, in the same time.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verified, ApiError> {
        let (cost, dummy) = (self.cost, Arc::clone(&self.dummy));
        self.run(move || match stored {
            Some(hash) => check_now(cost, &password, &hash),
            None => {
                let dummy = dummy.get_or_init(|| {
                    let secret = SaltString::generate(&mut OsRng);
                    hash_now(cost, secret.as_str()).unwrap_or_default()
                });
                check_now(cost, &password, dummy);
                Verified::Wrong
            }
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        // The permit moves into the blocking task: if the request is abandoned
        // (timeout, disconnect) the hash still counts until it really ends.
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(ApiError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_cost_is_owasps_argon2id_minimum() {
        assert_eq!(
            HashCost::default(),
            HashCost {
                memory_kib: 19_456,
                passes: 2,
                lanes: 1
            }
        );
    }

    #[test]
    fn a_hash_names_its_cost_and_verifies_whatever_the_current_cost() {
        let hash = hash_now(HashCost::CHEAPEST, "correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{hash}");
        assert!(verify_now("correct horse", &hash));
        assert!(!verify_now("wrong horse", &hash));
    }

    #[test]
    fn unusable_parameters_are_refused() {
        let zero_passes = HashCost {
            passes: 0,
            ..HashCost::PRODUCTION
        };
        assert!(zero_passes.validate().is_err());
        assert!(HashCost::PRODUCTION.validate().is_ok());
    }

    #[test]
    fn a_password_is_the_same_however_its_letters_were_composed() {
        let composed = "Tŷ Hafan, Caerdydd ŵ"; // ŷ and ŵ as one character each
        let decomposed = "Ty\u{302} Hafan, Caerdydd w\u{302}";
        let hash = hash_now(HashCost::CHEAPEST, &normalised(composed)).expect("hash");
        assert_eq!(
            check_now(HashCost::CHEAPEST, composed, &hash),
            Verified::Right
        );
        assert_eq!(
            check_now(HashCost::CHEAPEST, decomposed, &hash),
            Verified::Right
        );
        // Compatibility forms too: a full-width digit is a digit.
        let full_width = hash_now(HashCost::CHEAPEST, &normalised("passphrase 1")).expect("hash");
        assert_eq!(
            check_now(HashCost::CHEAPEST, "passphrase \u{FF11}", &full_width),
            Verified::Right
        );
        assert_eq!(
            check_now(HashCost::CHEAPEST, "passphrase 2", &full_width),
            Verified::Wrong
        );
    }

    #[test]
    fn a_hash_of_the_password_as_typed_verifies_it_and_is_upgraded() {
        let decomposed = "Ty\u{302} Hafan passphrase";
        // Made before passwords were normalised: of the bytes as typed.
        let legacy = hash_now(HashCost::CHEAPEST, decomposed).expect("hash");

        let checked = check_now(HashCost::CHEAPEST, decomposed, &legacy);

        let Verified::Upgrade(upgraded) = checked else {
            panic!("expected an upgrade, got {checked:?}");
        };
        assert!(verify_now(&normalised(decomposed), &upgraded));
        assert_eq!(
            check_now(HashCost::CHEAPEST, "Tŷ Hafan passphrase", &upgraded),
            Verified::Right
        );
        // A legacy hash of a password already in NFKC needs nothing.
        let plain = hash_now(HashCost::CHEAPEST, "plain passphrase").expect("hash");
        assert_eq!(
            check_now(HashCost::CHEAPEST, "plain passphrase", &plain),
            Verified::Right
        );
    }

    #[test]
    fn garbage_in_place_of_a_hash_never_verifies() {
        assert!(!verify_now("anything", "not a hash"));
        assert!(!verify_now("anything", ""));
    }
}
