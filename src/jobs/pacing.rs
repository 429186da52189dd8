//! How the delivery jobs pace themselves — leases, batches, attempts, and
//! the backoff between attempts — the same for emails and webhook requests.

use std::time::Duration;

use rand::Rng;

/// How the worker paces itself.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a claimed message is the claimant's alone.
    pub lease: Duration,
    /// Attempts before a message is `failed`.
    pub max_attempts: i32,
    /// Events dispatched, and messages claimed, per pass.
    pub batch: u64,
    /// The wait after the first failure; it doubles with each attempt…
    pub first_retry: Duration,
    /// …up to this.
    pub longest_retry: Duration,
    /// Messages sent at the same time.
    pub in_flight: usize,
    /// The hour (0–23, London's clock) of the daily reminders and digests;
    /// none: this worker does not run them.
    pub daily_hour: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(300),
            max_attempts: 8,
            batch: 50,
            first_retry: Duration::from_secs(30),
            longest_retry: Duration::from_secs(6 * 3600),
            in_flight: 8,
            daily_hour: None,
        }
    }
}

/// The wait before attempt `attempts + 1`: doubling from the first retry up
/// to the longest, each drawn from 50–100% of that ("equal jitter"), so
/// messages that failed together do not all come back together.
pub fn retry_after(settings: &Settings, attempts: i32, rng: &mut impl Rng) -> Duration {
    let doublings = Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 30);
    let ceiling = Ord::min(
        settings.first_retry.saturating_mul(1u32 << doublings),
        settings.longest_retry,
    );
    ceiling.mul_f64(rng.random_range(0.5..=1.0))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_a_ceiling_with_jitter() {
        let settings = Settings::default();
        let mut rng = SmallRng::seed_from_u64(1);
        for (attempts, ceiling) in [
            (1, 30),
            (2, 60),
            (3, 120),
            (5, 480),
            (12, 6 * 3600),
            (40, 6 * 3600),
        ] {
            for _ in 0..50 {
                let wait = retry_after(&settings, attempts, &mut rng).as_secs_f64();
                assert!(
                    (ceiling as f64 * 0.5..=ceiling as f64).contains(&wait),
                    "attempt {attempts}: waited {wait} s"
                );
            }
        }
    }
}
