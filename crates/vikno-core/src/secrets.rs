//! Secrets: the `SecretStore` trait, the OS keychain implementation (keyring, Secret Service on
//! Linux) and an in-memory fake for unit tests.
//!
//! Everything secret that Vikno keeps between runs goes through this trait: the Diia acquirer
//! token, the Basic credential, key-container passwords and the document store's master key.
//! The keyring crate is used with its `async-secret-service` backend (pure-Rust zbus, no libdbus
//! build dependency); its `Entry` API is synchronous either way, so callers inside an async
//! runtime must call these methods from `spawn_blocking`.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

/// Errors of a secret store; they never carry the secret itself.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The platform keychain is missing, locked or refused the operation.
    #[error("keychain unavailable: {0}")]
    Unavailable(String),
    /// The stored value is not valid for its use (for example not UTF-8).
    #[error("keychain entry {0} is malformed")]
    Malformed(String),
}

/// Well-known names of the secrets Vikno keeps.
pub mod names {
    /// The Diia acquirer session token.
    pub const ACQUIRER_TOKEN: &str = "diia-acquirer-token";
    /// The Basic credential used to obtain the acquirer token.
    pub const BASIC_CREDENTIAL: &str = "diia-basic-credential";

    /// The password of the key container labelled `label`.
    pub fn key_container_password(label: &str) -> String {
        format!("key-container-password:{label}")
    }

    /// The master key of the document store whose id is `store_id`.
    pub fn store_master_key(store_id: &str) -> String {
        format!("store-master-key:{store_id}")
    }
}

/// A place to keep named secrets across runs.
pub trait SecretStore: Send + Sync {
    /// Returns the secret called `name`, or `None` when there is none.
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, SecretError>;
    /// Creates or replaces the secret called `name`.
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError>;
    /// Deletes the secret called `name`; deleting a missing secret is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretError>;
}

/// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    service: String,
}

impl KeyringSecretStore {
    /// The service name under which Vikno's entries are filed by default.
    pub const DEFAULT_SERVICE: &'static str = "ua.vikno";

    /// A store filing its entries under `service`.
    pub fn new(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, name).map_err(|e| unavailable(&e))
    }
}

impl Default for KeyringSecretStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

/// Keyring errors can quote platform messages but never the secret; keep only their kind.
fn unavailable(e: &keyring::Error) -> SecretError {
    let kind = match e {
        keyring::Error::PlatformFailure(_) => "platform failure",
        keyring::Error::NoStorageAccess(_) => "no storage access",
        keyring::Error::NoEntry => "no entry",
        keyring::Error::BadEncoding(_) => "bad encoding",
        keyring::Error::TooLong(_, _) => "attribute too long",
        keyring::Error::Invalid(_, _) => "invalid attribute",
        keyring::Error::Ambiguous(_) => "ambiguous entry",
        _ => "unknown error",
    };
    SecretError::Unavailable(format!("{kind} ({e})"))
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, SecretError> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(Zeroizing::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(keyring::Error::BadEncoding(_)) => Err(SecretError::Malformed(name.to_owned())),
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        self.entry(name)?.set_password(value).map_err(|e| unavailable(&e))
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(&e)),
        }
    }
}

/// An in-memory secret store for tests and for secrets passed in from the environment.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    map: Mutex<HashMap<String, Zeroizing<String>>>,
}

impl MemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<String>>> {
        // A panic while holding this lock cannot leave the map inconsistent (single inserts).
        self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, SecretError> {
        Ok(self.lock().get(name).cloned())
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        self.lock().insert(name.to_owned(), Zeroizing::new(value.to_owned()));
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.lock().remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &dyn SecretStore) {
        let name = names::key_container_password("unit-test");
        s.delete(&name).expect("delete missing");
        assert!(s.get(&name).expect("get").is_none());
        s.set(&name, "first").expect("set");
        assert_eq!(s.get(&name).expect("get").as_deref().map(String::as_str), Some("first"));
        s.set(&name, "second").expect("replace");
        assert_eq!(s.get(&name).expect("get").as_deref().map(String::as_str), Some("second"));
        s.delete(&name).expect("delete");
        assert!(s.get(&name).expect("get").is_none());
    }

    #[test]
    fn memory_store_round_trip() {
        round_trip(&MemorySecretStore::new());
    }

    /// Real Secret Service (gnome-keyring in a D-Bus session); see linux-build.md §7.
    #[test]
    fn keyring_secret_service_round_trip() {
        if std::env::var("VIKNO_KEYRING_IT").as_deref() != Ok("1") {
            return;
        }
        let store = KeyringSecretStore::new("ua.vikno.test");
        round_trip(&store);
        // A second handle sees what the first one wrote: it really went to the keychain.
        store.set(names::ACQUIRER_TOKEN, "tok").expect("set");
        let other = KeyringSecretStore::new("ua.vikno.test");
        assert_eq!(
            other.get(names::ACQUIRER_TOKEN).expect("get").as_deref().map(String::as_str),
            Some("tok")
        );
        other.delete(names::ACQUIRER_TOKEN).expect("delete");
    }
}
