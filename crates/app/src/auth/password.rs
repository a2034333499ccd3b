use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, Version};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Argon2id at the OWASP baseline: 19 MiB, two passes, one lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the calling thread: for `init` and the demo loader, which are not serving.
pub fn hash_password_blocking(password: &SecretString) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| {
            AppError::invalid(
                "password",
                dealervault_domain::error::Rule::InvalidCharacters,
            )
        })
}

/// A hash of nothing anybody knows, verified when the username does not exist, so that
/// a login for an unknown account takes as long as one for a known account.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let random: String = rand::thread_rng()
            .sample_iter(rand::distributions::Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();
        hash_password_blocking(&SecretString::from(random)).unwrap_or_default()
    })
}

type HashJob = Box<dyn FnOnce() + Send>;

/// Runs hashes on threads of their own, as many as `threads`, at a low CPU priority: a
/// login flood (every attempt costs a full hash, also for unknown accounts, so as not to
/// tell which exist) then slows the logins, not the pages of the people already at work.
#[derive(Debug)]
pub(crate) struct PasswordHasher {
    jobs: mpsc::Sender<HashJob>,
}

impl PasswordHasher {
    pub(crate) fn new(threads: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<HashJob>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    lower_priority();
                    // Ends when the hasher (the sender) is dropped with its App.
                    while let Ok(job) = queue
                        .lock()
                        .map_err(drop)
                        .and_then(|q| q.recv().map_err(drop))
                    {
                        job();
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        // Without any thread the queue is gone, every hash fails and logins are refused.
        Self { jobs }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .ok()?;
        result.await.ok()
    }

    /// Checks `password` against `stored`, or against a decoy when there is no account.
    pub(crate) async fn verify(&self, password: &SecretString, stored: Option<&str>) -> bool {
        let password = password.clone();
        let known = stored.is_some();
        let stored = stored.map_or_else(|| decoy_hash().to_string(), str::to_string);
        self.run(move || {
            PasswordHash::new(&stored)
                .map(|parsed| {
                    argon2()
                        .verify_password(password.expose_secret().as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false)
            && known
    }

    pub(crate) async fn hash(&self, password: SecretString) -> Result<String, AppError> {
        self.run(move || hash_password_blocking(&password))
            .await
            .ok_or(AppError::RateLimited)?
    }
}

/// Puts the calling thread in the idle scheduling class (Linux `SCHED_IDLE`): it runs
/// only on CPU time nothing else wants, so pages keep their latency under a login flood.
/// Elsewhere, the lowest priority the platform offers.
fn lower_priority() {
    use thread_priority::{
        set_thread_priority_and_policy, thread_native_id, NormalThreadSchedulePolicy,
        ThreadPriority, ThreadSchedulePolicy,
    };
    #[cfg(target_os = "linux")]
    let policy = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
    #[cfg(not(target_os = "linux"))]
    let policy = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Other);
    if let Err(e) = set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, policy)
    {
        tracing::warn!(error = ?e, "cannot lower the password hashing thread's priority");
    }
}

/// A password for a new or reset account, shown once: 16 characters from an alphabet
/// without look-alikes (no 0/O, 1/l/I), about 90 bits.
pub fn generate_one_time_password() -> SecretString {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let s: String = (0..16)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    SecretString::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_the_right_password_only() {
        let hasher = PasswordHasher::new(2);
        let pw = SecretString::from("Correct horse 1".to_string());
        let hash = hash_password_blocking(&pw).expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hasher.verify(&pw, Some(&hash)).await);
        assert!(
            !hasher
                .verify(&SecretString::from("wrong".to_string()), Some(&hash))
                .await
        );
        assert!(!hasher.verify(&pw, None).await);
    }

    #[test]
    fn one_time_passwords_are_long_and_differ() {
        let a = generate_one_time_password();
        let b = generate_one_time_password();
        assert_eq!(a.expose_secret().len(), 16);
        assert_ne!(a.expose_secret(), b.expose_secret());
    }
}
