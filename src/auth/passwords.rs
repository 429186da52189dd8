//! Password hashing with argon2id, off the async runtime and bounded.
//!
//! One hash takes ~19 MiB and tens of milliseconds of a core. Running it on a
//! runtime thread would stall every other request on that thread, and running
//! unboundedly many at once would exhaust memory under a burst of sign-ins, so
//! hashes run on the blocking pool behind a semaphore sized to the cores.
//!
//! The cost is configuration ([`HashCost`]): production keeps OWASP's
//! parameters; a test suite may use the cheapest valid ones. A stored hash
//! names the parameters it was made with, so a hash made at one cost still
//! verifies after the cost changes.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::ApiError;

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

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let cost = self.cost;
        self.run(move || hash_now(cost, &password))
            .await?
            .map_err(ApiError::internal)
    }

    /// Checks a password against a stored hash; with no hash (unknown email)
    /// it checks against a dummy one and answers `false`, in the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let (cost, dummy) = (self.cost, Arc::clone(&self.dummy));
        self.run(move || match stored {
            Some(hash) => verify_now(&password, &hash),
            None => {
                let dummy = dummy.get_or_init(|| {
                    let secret = SaltString::generate(&mut OsRng);
                    hash_now(cost, secret.as_str()).unwrap_or_default()
                });
                verify_now(&password, dummy);
                false
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
    fn garbage_in_place_of_a_hash_never_verifies() {
        assert!(!verify_now("anything", "not a hash"));
        assert!(!verify_now("anything", ""));
    }
}
