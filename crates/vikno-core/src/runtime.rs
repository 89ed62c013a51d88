//! Assembles a working desk from the configuration: the store, the receiver, the Diia client and,
//! in sandbox mode, the embedded simulator wired to deliver to that receiver. The desktop shell
//! holds one `Runtime` and replaces it when the settings change.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use diia::{ClientConfig, DiiaClient, Secret};
use diia_sim::{SimConfig, SimHandle, Simulator};
use time::OffsetDateTime;
use ua_crypto::{Certificate, KeyContainer};

use crate::audit::AuditContext;
use crate::config::{AppConfig, Environment};
use crate::desk::{Desk, DeskError, DeskSettings};
use crate::receiver::{Receiver, ReceiverConfig, ReceiverHandle, VerificationTime};
use crate::secrets::{SecretStore, names};
use crate::store::{MasterKeySource, Store, StoreError};

/// Label of the partner key container's password in the keychain.
pub const PARTNER_KEY_LABEL: &str = "partner";

/// Why the desk could not start; [`RuntimeError::code`] keys the UI's message.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The keychain or the store failed.
    #[error("document store: {0}")]
    Store(#[from] StoreError),
    /// The configuration lacks something or a secret is missing.
    #[error("configuration: {0}")]
    Config(String),
    /// The key container could not be read or opened.
    #[error("key container: {0}")]
    KeyContainer(String, &'static str),
    /// A certificate file could not be read or parsed.
    #[error("certificate: {0}")]
    Certificate(String),
    /// The receiver could not listen.
    #[error("receiver: {0}")]
    Receiver(#[from] crate::receiver::ReceiverError),
    /// The simulator could not start.
    #[error("sandbox simulator: {0}")]
    Sandbox(String),
    /// The Diia client could not be built or the desk failed to start.
    #[error(transparent)]
    Desk(#[from] DeskError),
}

impl RuntimeError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(StoreError::Secret(_)) => "keychain_unavailable",
            Self::Store(_) => "store_unavailable",
            Self::Config(_) => "config_invalid",
            Self::KeyContainer(_, code) => code,
            Self::Certificate(_) => "certificate_invalid",
            Self::Receiver(_) => "config_invalid",
            Self::Sandbox(_) => "internal",
            Self::Desk(e) => e.code(),
        }
    }
}

/// The branch's permissions, as the scan screen offers them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchInfo {
    /// Branch id.
    pub id: String,
    /// Its name, when Diia told.
    pub name: Option<String>,
    /// Types it may request.
    pub sharing: Vec<String>,
    /// Types it may validate.
    pub validation: Vec<String>,
}

/// A running desk.
pub struct Runtime {
    /// The desk.
    pub desk: Desk,
    /// The branch.
    pub branch: BranchInfo,
    /// Where the receiver listens.
    pub receiver_addr: SocketAddr,
    receiver: ReceiverHandle,
    sandbox: Option<SimHandle>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("branch", &self.branch.id)
            .field("receiver_addr", &self.receiver_addr)
            .field("sandbox", &self.sandbox.is_some())
            .finish()
    }
}

fn read_cert(path: &Path) -> Result<Certificate, RuntimeError> {
    let bytes = std::fs::read(path)
        .map_err(|e| RuntimeError::Certificate(format!("{}: {e}", path.display())))?;
    Certificate::from_pem_or_der(&bytes)
        .map_err(|e| RuntimeError::Certificate(format!("{}: {}", path.display(), e.code())))
}

impl Runtime {
    /// Starts everything `config` describes. `secrets` is the keychain (the store's master key,
    /// the acquirer token, the key container's password).
    pub async fn start(
        data_dir: &Path,
        config: &AppConfig,
        secrets: Arc<dyn SecretStore>,
    ) -> Result<Runtime, RuntimeError> {
        config.validate().map_err(|e| RuntimeError::Config(e.to_string()))?;
        let dir = data_dir.to_owned();
        let keychain = Arc::clone(&secrets);
        let store = tokio::task::spawn_blocking(move || {
            Store::open(&dir, MasterKeySource::Secrets(keychain.as_ref()))
        })
        .await
        .map_err(|_| RuntimeError::Sandbox("store task failed".into()))??;
        let store = Arc::new(store);
        let listen: SocketAddr = config
            .receiver_listen
            .parse()
            .map_err(|_| RuntimeError::Config("receiverListen must be host:port".into()))?;
        let (sandbox, receiver_config, base_url, token, branch_id) = match config.environment {
            Environment::Sandbox => {
                let sim = Simulator::start(SimConfig {
                    state_file: Some(data_dir.join("sandbox-state.json")),
                    ..SimConfig::default()
                })
                .await
                .map_err(|e| RuntimeError::Sandbox(e.to_string()))?;
                let partner = sim.partner_identity().ok_or_else(|| {
                    RuntimeError::Sandbox("simulator has no partner identity".into())
                })?;
                let keys =
                    KeyContainer::open(&partner.pkcs12, &partner.pkcs12_password).map_err(|e| {
                        RuntimeError::KeyContainer(e.to_string(), "key_container_invalid")
                    })?;
                let certs = sim.diia_certificates();
                let pem = |p: &str| {
                    Certificate::from_pem_or_der(p.as_bytes())
                        .map_err(|e| RuntimeError::Certificate(e.code().to_owned()))
                };
                let rc = ReceiverConfig::new(
                    keys,
                    vec![pem(&certs.key_agreement_pem)?],
                    vec![pem(&certs.signing_pem)?],
                );
                let branch = config.branch_id.clone().unwrap_or_else(|| sim.branch_id());
                let (url, token) = (sim.base_url(), sim.acquirer_token());
                (Some(sim), rc, url, Secret::new(token), branch)
            }
            Environment::DiiaTest | Environment::Production => {
                let path = config
                    .key_container_path
                    .as_deref()
                    .ok_or_else(|| RuntimeError::Config("no key container configured".into()))?;
                let bytes = std::fs::read(path).map_err(|e| {
                    RuntimeError::KeyContainer(
                        format!("{}: {e}", path.display()),
                        "key_container_invalid",
                    )
                })?;
                let keychain = Arc::clone(&secrets);
                let (password, token) = tokio::task::spawn_blocking(move || {
                    Ok::<_, crate::SecretError>((
                        keychain.get(&names::key_container_password(PARTNER_KEY_LABEL))?,
                        keychain.get(names::ACQUIRER_TOKEN)?,
                    ))
                })
                .await
                .map_err(|_| RuntimeError::Sandbox("keychain task failed".into()))?
                .map_err(|e| RuntimeError::Store(StoreError::Secret(e)))?;
                let password = password.ok_or_else(|| {
                    RuntimeError::KeyContainer(
                        "no password in the keychain".into(),
                        "key_container_wrong_password",
                    )
                })?;
                let token = token.ok_or_else(|| {
                    RuntimeError::Config("no acquirer token in the keychain".into())
                })?;
                let keys =
                    tokio::task::spawn_blocking(move || KeyContainer::open(&bytes, &password))
                        .await
                        .map_err(|_| RuntimeError::Sandbox("key task failed".into()))?
                        .map_err(|e| {
                            let code = match e {
                                ua_crypto::Error::WrongPassword | ua_crypto::Error::MacMismatch => {
                                    "key_container_wrong_password"
                                }
                                _ => "key_container_invalid",
                            };
                            RuntimeError::KeyContainer(e.code().to_owned(), code)
                        })?;
                let senders = config
                    .diia_certificate_paths
                    .iter()
                    .map(|p| read_cert(p))
                    .collect::<Result<Vec<_>, _>>()?;
                let trusted = config
                    .trusted_certificate_paths
                    .iter()
                    .map(|p| read_cert(p))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut rc = ReceiverConfig::new(keys, senders, trusted);
                if let Some(at) = &config.verify_at {
                    let at =
                        OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                            .map_err(|_| RuntimeError::Config("verifyAt must be RFC 3339".into()))?;
                    tracing::warn!("signatures are verified at a fixed time (verifyAt is set)");
                    rc.verification_time = VerificationTime::Fixed(at);
                }
                let branch = config
                    .branch_id
                    .clone()
                    .ok_or_else(|| RuntimeError::Config("no branch configured".into()))?;
                (None, rc, config.base_url.trim().to_owned(), Secret::new(token.as_str()), branch)
            }
        };
        let mut receiver_config = receiver_config;
        receiver_config.workstation = config.workstation.clone();
        receiver_config.branch = branch_id.clone();
        let receiver = Receiver::bind(listen, receiver_config, Arc::clone(&store)).await?;
        let receiver_addr = receiver.local_addr();
        if let Some(sim) = &sandbox {
            sim.set_deliver_to(Some(format!("http://{receiver_addr}/diia/delivery")));
        }
        let client = DiiaClient::new(
            ClientConfig::new(&base_url, token).map_err(|e| RuntimeError::Desk(e.into()))?,
        )
        .map_err(|e| RuntimeError::Desk(e.into()))?;
        let branch = match client.get_branch(&branch_id).await {
            Ok(b) => BranchInfo {
                id: b.id,
                name: Some(b.details.name).filter(|n| !n.is_empty()),
                sharing: b.details.scopes.sharing,
                validation: b.details.scopes.document_identification,
            },
            Err(e) if sandbox.is_none() => {
                // Diia may be briefly unreachable at start; the desk still works, the scan
                // screen then offers no type list until the next start.
                tracing::warn!(code = crate::desk::diia_code(e.kind()), "cannot read the branch");
                BranchInfo { id: branch_id.clone(), ..BranchInfo::default() }
            }
            Err(e) => return Err(RuntimeError::Desk(e.into())),
        };
        let ctx = AuditContext::new(&config.clerk, &config.workstation, &branch_id);
        let desk = Desk::new(store, client, DeskSettings::new(branch_id, ctx)).await?;
        tracing::info!(
            environment = config.environment.code(),
            %receiver_addr,
            "desk ready"
        );
        Ok(Runtime { desk, branch, receiver_addr, receiver, sandbox })
    }

    /// The embedded simulator (sandbox mode only).
    pub fn simulator(&self) -> Option<&SimHandle> {
        self.sandbox.as_ref()
    }

    /// Stops the receiver (letting in-flight deliveries finish) and the simulator.
    pub async fn stop(self) {
        if let Err(e) = self.receiver.shutdown().await {
            tracing::warn!(error = %e, "receiver stopped with an error");
        }
        if let Some(sim) = self.sandbox {
            sim.shutdown().await;
        }
    }
}
