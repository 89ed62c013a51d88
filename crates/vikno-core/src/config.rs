//! The workstation's configuration file (`config.json` in the data directory): environment, Diia
//! and receiver addresses, key and certificate paths, purposes, lock and PINs. No secrets: the
//! acquirer token and the key password live in the keychain, PINs only as Argon2id hashes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// File name inside the data directory.
pub const CONFIG_FILE: &str = "config.json";
/// The configuration format this build writes.
pub const CONFIG_VERSION: u32 = 1;

/// Errors loading, checking or saving the configuration. Messages name the field, never a value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read or written.
    #[error("configuration file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not valid JSON of the expected shape.
    #[error("configuration file is malformed at line {line}, column {column}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A newer build wrote it.
    #[error("configuration version {0} is newer than this build understands")]
    TooNew(u32),
    /// A field has an unusable value.
    #[error("configuration field {field}: {why}")]
    Invalid {
        /// Field name.
        field: &'static str,
        /// What is wrong (no value echoed).
        why: &'static str,
    },
}

/// Which Diia the desk talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Environment {
    /// The embedded simulator and receiver on loopback (the default).
    #[default]
    Sandbox,
    /// Diia's partner test environment.
    DiiaTest,
    /// Production.
    Production,
}

impl Environment {
    /// Stable name, as in the file.
    pub fn code(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::DiiaTest => "diia-test",
            Self::Production => "production",
        }
    }
}

/// A purpose of processing the clerk picks when requesting copies; retention follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Purpose {
    /// Stable id stored with each request (`[a-z0-9-]`).
    pub id: String,
    /// Ukrainian label.
    pub label_uk: String,
    /// English label.
    pub label_en: String,
    /// Legal ground code (Law 2297-VI Art. 11).
    pub legal_ground: String,
    /// Days the copies are kept.
    pub retention_days: u32,
}

/// Legal grounds a purpose may name.
pub const LEGAL_GROUNDS: &[&str] = &[
    "consent",
    "contract",
    "legal-obligation",
    "vital-interest",
    "public-task",
    "legitimate-interest",
];

/// An Argon2id PIN hash with its salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    /// Random salt, hex.
    pub salt: String,
    /// Argon2id(pin, salt) with the crate's default parameters, hex.
    pub hash: String,
}

impl PinHash {
    /// Hashes a new PIN (4–12 digits).
    pub fn new(pin: &str) -> Result<Self, ConfigError> {
        check_pin(pin)?;
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)
            .map_err(|_| ConfigError::Invalid { field: "pin", why: "no randomness available" })?;
        let hash = argon(pin, &salt)?;
        Ok(Self { salt: hex::encode(salt), hash: hex::encode(&hash[..]) })
    }

    /// True when `pin` is the hashed PIN (constant-time comparison).
    pub fn matches(&self, pin: &str) -> bool {
        let (Ok(salt), Ok(want)) = (hex::decode(&self.salt), hex::decode(&self.hash)) else {
            return false;
        };
        let Ok(got) = argon(pin, &salt) else { return false };
        use subtle::ConstantTimeEq as _;
        got.len() == want.len() && bool::from(got.ct_eq(&want[..]))
    }
}

fn argon(pin: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, ConfigError> {
    let mut out = Zeroizing::new([0u8; 32]);
    argon2::Argon2::default()
        .hash_password_into(pin.as_bytes(), salt, &mut out[..])
        .map_err(|_| ConfigError::Invalid { field: "pin", why: "cannot be hashed" })?;
    Ok(out)
}

/// PINs are 4–12 digits: typed on a numeric pad, slowed by Argon2id and by the lockout after
/// repeated failures.
pub fn check_pin(pin: &str) -> Result<(), ConfigError> {
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::Invalid { field: "pin", why: "must be 4 to 12 digits" });
    }
    Ok(())
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppConfig {
    /// Format version.
    pub version: u32,
    /// Which Diia.
    pub environment: Environment,
    /// Diia API base URL (ignored in sandbox, where the embedded simulator's is used).
    pub base_url: String,
    /// The branch the desk acts for (sandbox: the simulator's, when `None`).
    pub branch_id: Option<String>,
    /// Where the receiver listens (`host:port`).
    pub receiver_listen: String,
    /// The public URL registered with Diia for deliveries (informational; sandbox: loopback).
    pub receiver_public_url: String,
    /// The partner's key container (PKCS#12 or IIT Key-6.dat).
    pub key_container_path: Option<PathBuf>,
    /// Diia's key-agreement certificates (when envelopes do not carry the sender's).
    pub diia_certificate_paths: Vec<PathBuf>,
    /// Pinned Diia signing certificates or their CA.
    pub trusted_certificate_paths: Vec<PathBuf>,
    /// Verify signatures as of this RFC 3339 time instead of now: only for replaying archived
    /// deliveries whose certificates have since expired. Not settable from the UI.
    #[serde(default)]
    pub verify_at: Option<String>,
    /// Purposes offered to the clerk.
    pub purposes: Vec<Purpose>,
    /// Idle seconds before the screen locks (0 = never).
    pub idle_lock_seconds: u32,
    /// Serial scanner device (`/dev/ttyACM0`), if one is used.
    pub scanner_serial_port: Option<String>,
    /// Camera index for webcam scanning.
    pub camera_index: Option<u32>,
    /// Name written as the clerk in the audit log.
    pub clerk: String,
    /// Workstation name in the audit log.
    pub workstation: String,
    /// Supervisor PIN (settings).
    pub supervisor_pin: Option<PinHash>,
    /// Clerk PIN (unlocking the idle lock).
    pub clerk_pin: Option<PinHash>,
}

impl Default for AppConfig {
    fn default() -> Self {
        let purpose = |id: &str, uk: &str, en: &str, ground: &str, days| Purpose {
            id: id.to_owned(),
            label_uk: uk.to_owned(),
            label_en: en.to_owned(),
            legal_ground: ground.to_owned(),
            retention_days: days,
        };
        Self {
            version: CONFIG_VERSION,
            environment: Environment::Sandbox,
            base_url: String::new(),
            branch_id: None,
            receiver_listen: "127.0.0.1:0".to_owned(),
            receiver_public_url: String::new(),
            key_container_path: None,
            diia_certificate_paths: Vec::new(),
            trusted_certificate_paths: Vec::new(),
            verify_at: None,
            purposes: vec![
                purpose(
                    "customer-identification",
                    "Ідентифікація клієнта (фінмоніторинг)",
                    "Customer identification (AML)",
                    "legal-obligation",
                    1825,
                ),
                purpose(
                    "contract",
                    "Укладення договору",
                    "Concluding a contract",
                    "contract",
                    1095,
                ),
                purpose(
                    "one-off-service",
                    "Разова послуга за згодою",
                    "One-off service with consent",
                    "consent",
                    30,
                ),
            ],
            idle_lock_seconds: 300,
            scanner_serial_port: None,
            camera_index: None,
            clerk: "clerk".to_owned(),
            workstation: hostname_or("workstation"),
            supervisor_pin: None,
            clerk_pin: None,
        }
    }
}

fn hostname_or(fallback: &str) -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty() && h.len() <= 64)
        .unwrap_or_else(|| fallback.to_owned())
}

impl AppConfig {
    /// Reads `config.json` from `dir`, or the defaults when there is none yet.
    pub fn load(dir: &Path) -> Result<Self, ConfigError> {
        let path = dir.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e.into()),
        };
        let config: Self = serde_json::from_slice(&bytes)
            .map_err(|e| ConfigError::Malformed { line: e.line(), column: e.column() })?;
        if config.version > CONFIG_VERSION {
            return Err(ConfigError::TooNew(config.version));
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks every field; the first problem is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |field, why| Err(ConfigError::Invalid { field, why });
        if self.environment != Environment::Sandbox {
            let url = self.base_url.trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return invalid("baseUrl", "must be an http(s) URL");
            }
            if self.environment == Environment::Production && !url.starts_with("https://") {
                return invalid("baseUrl", "production requires https");
            }
            if self.branch_id.as_deref().is_none_or(str::is_empty) {
                return invalid("branchId", "a branch is required outside the sandbox");
            }
            if self.key_container_path.is_none() {
                return invalid(
                    "keyContainerPath",
                    "a key container is required outside the sandbox",
                );
            }
            if self.trusted_certificate_paths.is_empty() {
                return invalid(
                    "trustedCertificatePaths",
                    "at least one trusted Diia certificate is required outside the sandbox",
                );
            }
        }
        if self.environment == Environment::Production
            && (self.supervisor_pin.is_none() || self.clerk_pin.is_none())
        {
            return invalid("pins", "production requires a supervisor and a clerk PIN");
        }
        if self.receiver_listen.parse::<std::net::SocketAddr>().is_err() {
            return invalid("receiverListen", "must be host:port");
        }
        if let Some(at) = &self.verify_at
            && time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .is_err()
        {
            return invalid("verifyAt", "must be an RFC 3339 time");
        }
        if self.purposes.is_empty() {
            return invalid("purposes", "at least one purpose is required");
        }
        let mut ids = std::collections::HashSet::new();
        for p in &self.purposes {
            let id_ok = !p.id.is_empty()
                && p.id.len() <= 64
                && p.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !id_ok {
                return invalid("purposes.id", "must be 1-64 chars of [a-z0-9-]");
            }
            if !ids.insert(p.id.as_str()) {
                return invalid("purposes.id", "ids must be unique");
            }
            if p.label_uk.trim().is_empty() || p.label_en.trim().is_empty() {
                return invalid("purposes.label", "labels are required");
            }
            if !LEGAL_GROUNDS.contains(&p.legal_ground.as_str()) {
                return invalid("purposes.legalGround", "unknown legal ground");
            }
            if p.retention_days == 0 || p.retention_days > 36_500 {
                return invalid("purposes.retentionDays", "must be 1 to 36500 days");
            }
        }
        if self.idle_lock_seconds != 0 && !(30..=86_400).contains(&self.idle_lock_seconds) {
            return invalid("idleLockSeconds", "must be 0 (never) or 30 to 86400");
        }
        if self.clerk.trim().is_empty() || self.workstation.trim().is_empty() {
            return invalid("clerk", "clerk and workstation names are required");
        }
        Ok(())
    }

    /// Validates and writes atomically: a temporary file, fsync, rename, fsync of the directory.
    /// A crash leaves either the old or the new file, never half of one.
    pub fn save(&self, dir: &Path) -> Result<(), ConfigError> {
        self.validate()?;
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|_| ConfigError::Invalid { field: "config", why: "does not serialise" })?;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{CONFIG_FILE}.tmp"));
        {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, dir.join(CONFIG_FILE))?;
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// Retention per purpose, for [`crate::Store::purge`].
    pub fn retention(&self) -> crate::RetentionPolicy {
        crate::RetentionPolicy {
            purposes: self.purposes.iter().map(|p| (p.id.clone(), p.retention_days)).collect(),
            default_days: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let c = AppConfig::default();
        c.validate().unwrap();
        assert_eq!(AppConfig::load(dir.path()).unwrap(), c, "missing file gives defaults");
        c.save(dir.path()).unwrap();
        assert_eq!(AppConfig::load(dir.path()).unwrap(), c);
    }

    #[test]
    fn malformed_and_invalid_files_are_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), b"{\n  \"version\": 1,\n  oops").unwrap();
        assert!(matches!(AppConfig::load(dir.path()), Err(ConfigError::Malformed { line: 3, .. })));

        let mut c = AppConfig { environment: Environment::Production, ..AppConfig::default() };
        c.base_url = "http://diia.example".into();
        assert!(matches!(c.save(dir.path()), Err(ConfigError::Invalid { field: "baseUrl", .. })));
        // The refused save left nothing behind.
        assert!(matches!(AppConfig::load(dir.path()), Err(ConfigError::Malformed { .. })));

        let mut c = AppConfig::default();
        c.purposes[0].legal_ground = "because".into();
        assert!(matches!(
            c.validate(),
            Err(ConfigError::Invalid { field: "purposes.legalGround", .. })
        ));
        let c = AppConfig { version: 9, ..AppConfig::default() };
        std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_vec(&c).unwrap()).unwrap();
        assert!(matches!(AppConfig::load(dir.path()), Err(ConfigError::TooNew(9))));
    }

    #[test]
    fn pins_hash_and_match_only_themselves() {
        let h = PinHash::new("4821").unwrap();
        assert!(h.matches("4821"));
        assert!(!h.matches("4822"));
        assert!(!h.matches(""));
        assert_ne!(PinHash::new("4821").unwrap().salt, h.salt, "salts are random");
        assert!(PinHash::new("12a4").is_err());
        assert!(PinHash::new("123").is_err());
        let text = serde_json::to_string(&h).unwrap();
        assert!(!text.contains("4821"));
    }

    #[test]
    fn errors_never_echo_values() {
        let c = AppConfig { receiver_listen: "secret-host-name".into(), ..AppConfig::default() };
        let msg = c.validate().unwrap_err().to_string();
        assert!(!msg.contains("secret-host-name"), "{msg}");
    }
}
