//! The crypto subcommands: `open`, `verify` and `keys`, over `ua-crypto`.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use ua_crypto::{Certificate, KeyContainer, TrustPolicy};
use zeroize::Zeroizing;

/// Arguments of `vikno-cli open`.
#[derive(clap::Args)]
pub(crate) struct OpenArgs {
    /// Key container (PKCS#12, IIT Key-6.dat or PBES2 PKCS#8; DER or base64).
    #[arg(long)]
    key: PathBuf,
    /// Name of the environment variable holding the container password.
    #[arg(long)]
    password_env: String,
    /// Sender key-agreement certificates, when the envelope does not carry them.
    #[arg(long = "cert")]
    certs: Vec<PathBuf>,
    /// Trusted signer certificates (or their issuing CAs).
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Validation time (RFC 3339); default now.
    #[arg(long)]
    at: Option<String>,
    /// The envelope file ("-" for stdin).
    input: PathBuf,
}

/// Arguments of `vikno-cli verify`.
#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// Trusted signer certificates (or their issuing CAs).
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Validation time (RFC 3339); default now.
    #[arg(long)]
    at: Option<String>,
    /// Detached content, when the signature does not carry it.
    #[arg(long)]
    content: Option<PathBuf>,
    /// The signature file ("-" for stdin).
    input: PathBuf,
}

/// Arguments of `vikno-cli keys`.
#[derive(clap::Args)]
pub(crate) struct KeysArgs {
    /// Key container.
    #[arg(long)]
    key: PathBuf,
    /// Name of the environment variable holding the container password.
    #[arg(long)]
    password_env: String,
}

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut out = Vec::new();
        std::io::stdin().lock().read_to_end(&mut out).context("reading stdin")?;
        return Ok(out);
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn read_certs(paths: &[PathBuf]) -> anyhow::Result<Vec<Certificate>> {
    paths
        .iter()
        .map(|path| {
            Certificate::from_pem_or_der(&read_input(path)?)
                .with_context(|| format!("certificate {}", path.display()))
        })
        .collect()
}

fn policy(trust: &[PathBuf], at: Option<&str>) -> anyhow::Result<TrustPolicy> {
    let at = match at {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .with_context(|| format!("--at {text:?} is not an RFC 3339 time"))?,
        None => OffsetDateTime::now_utc(),
    };
    Ok(TrustPolicy { trusted_signers: read_certs(trust)?, at })
}

fn open_container(path: &Path, password_env: &str) -> anyhow::Result<KeyContainer> {
    let password = Zeroizing::new(
        std::env::var(password_env)
            .with_context(|| format!("environment variable {password_env} is not set"))?,
    );
    let bytes = Zeroizing::new(read_input(path)?);
    KeyContainer::open(&bytes, &password)
        .with_context(|| format!("key container {}", path.display()))
}

fn format_time(at: Option<OffsetDateTime>) -> serde_json::Value {
    at.and_then(|at| at.format(&Rfc3339).ok()).map_or(serde_json::Value::Null, Into::into)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn emit(content: &[u8], summary: &serde_json::Value) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(content).context("writing stdout")?;
    stdout.flush().context("writing stdout")?;
    writeln!(std::io::stderr().lock(), "{summary}").context("writing stderr")?;
    Ok(())
}

/// `open`: decrypt and verify; content to stdout, one-line JSON summary to stderr.
pub(crate) fn open(args: OpenArgs) -> anyhow::Result<()> {
    let keys = open_container(&args.key, &args.password_env)?;
    let senders = read_certs(&args.certs)?;
    let policy = policy(&args.trust, args.at.as_deref())?;
    let input = read_input(&args.input)?;
    let opened = ua_crypto::open_envelope(&input, &keys, &senders, &policy)?;
    let summary = serde_json::json!({
        "signer": {
            "subject": opened.signer.subject,
            "serial": opened.signer.serial_hex,
            "issuer": opened.signer.issuer,
        },
        "signing_time": format_time(opened.signing_time),
        "algorithms": {
            "content_cipher": opened.algorithms.content_cipher_oid,
            "key_agreement": opened.algorithms.key_agreement_oid,
            "digest": opened.algorithms.digest_oid,
            "signature": opened.algorithms.signature_oid,
        },
        "content_len": opened.content.len(),
    });
    emit(&opened.content, &summary)
}

/// `verify`: check a signed-only message; content to stdout, summary to stderr.
pub(crate) fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    let policy = policy(&args.trust, args.at.as_deref())?;
    let input = read_input(&args.input)?;
    let detached = args.content.as_deref().map(read_input).transpose()?;
    let verified = ua_crypto::verify_signed(&input, detached.as_deref(), &policy)?;
    let summary = serde_json::json!({
        "signer": {
            "subject": verified.signer.subject,
            "serial": verified.signer.serial_hex,
            "issuer": verified.signer.issuer,
        },
        "signing_time": format_time(verified.signing_time),
        "content_timestamp": format_time(verified.content_timestamp),
        "algorithms": { "digest": verified.digest_oid, "signature": verified.signature_oid },
        "content_len": verified.content.len(),
    });
    emit(&verified.content, &summary)
}

/// `keys`: one JSON line per key on stdout (curve, key id, matching certificate).
pub(crate) fn keys(args: KeysArgs) -> anyhow::Result<()> {
    let container = open_container(&args.key, &args.password_env)?;
    let mut stdout = std::io::stdout().lock();
    for key in container.keys() {
        let certificate = key.certificate().map(|cert| {
            serde_json::json!({
                "subject": cert.subject(),
                "serial": cert.serial_hex(),
                "issuer": cert.issuer(),
                "not_after": format_time(Some(cert.not_after())),
                "key_agreement": cert.key_usage().is_some_and(|usage| usage.key_agreement()),
                "digital_signature": cert.key_usage().is_some_and(|usage| usage.digital_signature()),
            })
        });
        let line = serde_json::json!({
            "curve_m": key.curve().m(),
            "curve_oid": key.curve().named_oid(),
            "key_id": hex(key.key_id()),
            "certificate": certificate,
        });
        writeln!(stdout, "{line}").context("writing stdout")?;
    }
    writeln!(
        std::io::stderr().lock(),
        "{}",
        serde_json::json!({ "keys": container.keys().len(), "certificates": container.certificates().len() })
    )
    .context("writing stderr")?;
    Ok(())
}
