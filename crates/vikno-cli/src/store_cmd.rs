//! Store subcommands: `documents list|get`, `audit verify`, `purge` and the headless `receiver`.
//!
//! The store's master key comes from the OS keychain by default (Secret Service on Linux).
//! `--master-key-env VAR` reads it instead, as 64 hex digits, from the environment variable VAR:
//! for headless servers without a keychain and for tests. Every read is audited with
//! `--clerk`, `--workstation` and `--branch` (defaulting to the OS user, host name and `cli`).

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use vikno_core::{
    AuditContext, DocumentAccess, KeyringSecretStore, MasterKeySource, Receiver, ReceiverConfig,
    RetentionPolicy, SecretKey, Store, VerificationTime,
};

/// Options shared by every store command.
#[derive(Args, Debug, Clone)]
pub(crate) struct StoreOpts {
    /// Data directory holding the store.
    #[arg(long)]
    data_dir: PathBuf,
    /// Read the master key (64 hex digits) from this environment variable instead of the
    /// OS keychain.
    #[arg(long)]
    master_key_env: Option<String>,
    /// Clerk recorded in the audit log.
    #[arg(long)]
    clerk: Option<String>,
    /// Workstation recorded in the audit log.
    #[arg(long)]
    workstation: Option<String>,
    /// Branch recorded in the audit log.
    #[arg(long, default_value = "cli")]
    branch: String,
}

impl StoreOpts {
    fn open(&self) -> anyhow::Result<Arc<Store>> {
        let store = match &self.master_key_env {
            Some(var) => {
                let hex = std::env::var(var)
                    .with_context(|| format!("environment variable {var} is not set"))?;
                Store::open(&self.data_dir, MasterKeySource::Fixed(SecretKey::from_hex(&hex)?))?
            }
            None => Store::open(
                &self.data_dir,
                MasterKeySource::Secrets(&KeyringSecretStore::default()),
            )?,
        };
        Ok(Arc::new(store))
    }

    fn ctx(&self) -> AuditContext {
        let clerk = self
            .clerk
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "operator".into());
        let ws = self.workstation.clone().unwrap_or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .map(|h| h.trim().to_owned())
                .unwrap_or_else(|_| "unknown".into())
        });
        AuditContext::new(&format!("cli:{clerk}"), &ws, &self.branch)
    }
}

/// The store commands, flattened into the CLI's top level.
#[derive(Subcommand, Debug)]
pub(crate) enum StoreCommand {
    /// List or export stored documents (audited).
    #[command(subcommand)]
    Documents(DocumentsCommand),
    /// Audit log tools.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Delete documents past their retention period (legal holds are kept).
    Purge(PurgeArgs),
    /// Run the Diia delivery receiver headless.
    Receiver(ReceiverArgs),
}

/// `documents` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum DocumentsCommand {
    /// List documents (ids, types, times; no personal data).
    List {
        #[command(flatten)]
        store: StoreOpts,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export one document's PDF to a file.
    Get {
        /// Document id.
        id: String,
        #[command(flatten)]
        store: StoreOpts,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `audit` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum AuditCommand {
    /// Verify the hash chain; exits non-zero and names the first broken link if any.
    Verify {
        #[command(flatten)]
        store: StoreOpts,
    },
}

/// `purge` arguments.
#[derive(Args, Debug)]
pub(crate) struct PurgeArgs {
    #[command(flatten)]
    store: StoreOpts,
    /// Retention policy JSON: `{"purposes":{"kyc":1825},"default_days":30}`.
    #[arg(long)]
    policy: PathBuf,
}

/// `receiver` arguments.
#[derive(Args, Debug)]
pub(crate) struct ReceiverArgs {
    /// Address to listen on, e.g. 127.0.0.1:8088.
    #[arg(long)]
    listen: SocketAddr,
    #[command(flatten)]
    store: StoreOpts,
    /// Partner key container (Key-6.dat, .pfx, .jks).
    #[arg(long)]
    key: PathBuf,
    /// Environment variable holding the key container password.
    #[arg(long)]
    password_env: String,
    /// Diia key-agreement certificate(s), used when an envelope lacks the sender certificate.
    #[arg(long = "cert")]
    certs: Vec<PathBuf>,
    /// Pinned Diia signing certificate(s) or issuing CA.
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Endpoint path.
    #[arg(long, default_value = vikno_core::receiver::DEFAULT_PATH)]
    path: String,
    /// Verify certificates at this RFC 3339 time instead of now (testing with old samples).
    #[arg(long)]
    verify_at: Option<String>,
}

fn read_certs(paths: &[PathBuf]) -> anyhow::Result<Vec<ua_crypto::Certificate>> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            Ok(ua_crypto::Certificate::from_pem_or_der(&bytes)?)
        })
        .collect()
}

impl StoreCommand {
    /// Runs the command.
    pub(crate) fn run(self) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        match self {
            StoreCommand::Documents(DocumentsCommand::List { store, json }) => {
                let docs = store.open()?.list_documents(&store.ctx())?;
                if json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
                } else {
                    for d in docs {
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{}",
                            d.id,
                            d.doc_type,
                            d.request_id.as_deref().unwrap_or("(unmatched)"),
                            d.received_at,
                            if d.legal_hold { "hold" } else { "" }
                        )?;
                    }
                }
            }
            StoreCommand::Documents(DocumentsCommand::Get { id, store, out: file }) => {
                let doc = store.open()?.read_document(&id, DocumentAccess::Export, &store.ctx())?;
                std::fs::write(&file, doc.pdf.as_slice())
                    .with_context(|| format!("cannot write {}", file.display()))?;
                writeln!(out, "{}", serde_json::json!({ "id": id, "bytes": doc.pdf.len() }))?;
            }
            StoreCommand::Audit(AuditCommand::Verify { store }) => {
                let report = store.open()?.verify_audit_chain()?;
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
                if let Some(b) = report.first_broken {
                    bail!("audit chain broken at entry {} ({:?})", b.seq, b.kind);
                }
            }
            StoreCommand::Purge(args) => {
                let text = std::fs::read(&args.policy)
                    .with_context(|| format!("cannot read {}", args.policy.display()))?;
                let policy: RetentionPolicy =
                    serde_json::from_slice(&text).context("retention policy is not valid json")?;
                let receipt = args.store.open()?.purge(
                    time::OffsetDateTime::now_utc(),
                    &policy,
                    &args.store.ctx(),
                )?;
                writeln!(out, "{}", serde_json::to_string_pretty(&receipt)?)?;
            }
            StoreCommand::Receiver(args) => run_receiver(args, &mut out)?,
        }
        Ok(())
    }
}

fn run_receiver(args: ReceiverArgs, out: &mut impl std::io::Write) -> anyhow::Result<()> {
    let password = std::env::var(&args.password_env)
        .with_context(|| format!("environment variable {} is not set", args.password_env))?;
    let key_bytes =
        std::fs::read(&args.key).with_context(|| format!("cannot read {}", args.key.display()))?;
    let keys = ua_crypto::KeyContainer::open(&key_bytes, &password)?;
    let trust = read_certs(&args.trust)?;
    if trust.is_empty() {
        bail!("at least one --trust certificate (Diia's signing certificate) is required");
    }
    let mut config = ReceiverConfig::new(keys, read_certs(&args.certs)?, trust);
    config.path = args.path.clone();
    let ctx = args.store.ctx();
    config.workstation = ctx.workstation;
    config.branch = ctx.branch;
    if let Some(at) = &args.verify_at {
        let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .context("--verify-at is not an RFC 3339 time")?;
        config.verification_time = VerificationTime::Fixed(at);
    }
    let store = args.store.open()?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let handle = Receiver::bind(args.listen, config, store).await?;
        writeln!(
            out,
            "{}",
            serde_json::json!({ "listening": handle.local_addr().to_string(), "path": args.path })
        )?;
        out.flush()?;
        tokio::signal::ctrl_c().await?;
        handle.shutdown().await?;
        Ok(())
    })
}
