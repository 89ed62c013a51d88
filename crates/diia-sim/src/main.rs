//! `diia-sim`: the Diia simulator as a standalone server for manual testing and demos.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use diia_sim::{SimConfig, Simulator};

/// Faithful Diia acquirer API simulator (test-only; never a real Diia).
#[derive(Debug, Parser)]
#[command(name = "diia-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8790")]
    listen: SocketAddr,
    /// Receiver URL deliveries are POSTed to.
    #[arg(long)]
    deliver_to: Option<String>,
    /// The partner's key-agreement certificate (PEM or DER) to seal deliveries to; without it a
    /// partner identity is generated and written beside the state file (or to --out-dir).
    #[arg(long)]
    partner_cert: Option<PathBuf>,
    /// JSON file keeping acquirer token, branches, offers and the Diia and partner keys across
    /// restarts (so the printed certificates stay valid).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Fixed acquirer token (default: generated, or the one in the state file).
    #[arg(long, env = "DIIA_SIM_ACQUIRER_TOKEN")]
    acquirer_token: Option<String>,
    /// Require `Authorization: Basic <value>` on login.
    #[arg(long)]
    basic_auth: Option<String>,
    /// Folder for the certificate files printed at start (default: beside --state, else ./).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Milliseconds the simulated customer waits before confirming by default.
    #[arg(long, default_value_t = 1500)]
    confirm_after_ms: u64,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "cannot start runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "diia-sim failed");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let partner_cert = match &args.partner_cert {
        Some(path) => Some(std::fs::read(path)?),
        None => None,
    };
    let config = SimConfig {
        listen: args.listen,
        acquirer_token: args.acquirer_token.clone(),
        basic_auth: args.basic_auth.clone(),
        deliver_to: args.deliver_to.clone(),
        partner_cert,
        state_file: args.state.clone(),
        default_script: diia_sim::Script::Confirm { after_ms: args.confirm_after_ms },
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await?;
    let out_dir = args
        .out_dir
        .clone()
        .or_else(|| args.state.as_ref().and_then(|p| p.parent().map(PathBuf::from)))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));

    let mut out = std::io::stdout().lock();
    writeln!(out, "diia-sim (TEST SIMULATOR, not Diia)")?;
    writeln!(out, "base url:        {}", sim.base_url())?;
    writeln!(out, "acquirer token:  {}", sim.acquirer_token())?;
    writeln!(out, "branch id:       {}", sim.branch_id())?;
    writeln!(
        out,
        "deliver to:      {}",
        args.deliver_to.as_deref().unwrap_or("(none: set --deliver-to)")
    )?;
    let certs = sim.diia_certificates();
    std::fs::create_dir_all(&out_dir)?;
    let sign = out_dir.join("diia-signing.pem");
    let ka = out_dir.join("diia-key-agreement.pem");
    let ca = out_dir.join("diia-test-ca.pem");
    std::fs::write(&sign, &certs.signing_pem)?;
    std::fs::write(&ka, &certs.key_agreement_pem)?;
    std::fs::write(&ca, &certs.ca_pem)?;
    writeln!(out, "diia signing certificate:       {}", sign.display())?;
    writeln!(out, "diia key-agreement certificate: {}", ka.display())?;
    writeln!(out, "diia test ca certificate:       {}", ca.display())?;
    writeln!(out, "{}", certs.signing_pem.trim_end())?;
    writeln!(out, "{}", certs.key_agreement_pem.trim_end())?;
    if let Some(partner) = sim.partner_identity() {
        std::fs::create_dir_all(&out_dir)?;
        let cert = out_dir.join("partner-key-agreement.pem");
        std::fs::write(&cert, &partner.key_agreement_cert_pem)?;
        writeln!(out, "partner certificate (generated): {}", cert.display())?;
        {
            let path = out_dir.join("partner.p12");
            std::fs::write(&path, &partner.pkcs12)?;
            writeln!(
                out,
                "partner key container:           {} (password: {})",
                path.display(),
                partner.pkcs12_password
            )?;
        }
    }
    writeln!(out, "customer phone:  {}/sim/v1/persons", sim.base_url())?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
