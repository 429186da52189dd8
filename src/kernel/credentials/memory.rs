//! Giving password hashing's memory back to the system.
//!
//! Each argon2id hash allocates one block as large as its memory cost
//! (19 MiB in production) and frees it when done. glibc's malloc serves so
//! large a block with `mmap` at first, but the first time one is freed it
//! raises its mmap threshold to that size (its "dynamic threshold", up to
//! 32 MiB). From then on hashes are carved from the per-thread arenas of the
//! blocking threads, and a freed block stays with the process: after a burst
//! of sign-ins, tens of MiB stay resident for good.
//!
//! A fixed threshold well below a hash's block keeps every hash on `mmap`,
//! so its memory goes back the moment the hash ends (and fixing it turns the
//! dynamic raise off). The price is a fresh mapping per hash, whose page
//! faults cost a small fraction of the hash itself.

/// Allocations from this size up get a mapping of their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 1 << 20;

/// Makes freed large blocks go back to the system at once. Call once, at
/// start; a no-op where the C library already does so.
pub fn return_large_blocks_on_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only changes a tuning parameter of glibc's
        // allocator; it takes the allocator's own lock, so it is sound at any
        // time, and it touches no memory of ours.
        let done = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) };
        if done != 1 {
            tracing::warn!(
                "could not set malloc's mmap threshold; memory may stay resident after sign-ins"
            );
        }
    }
}
