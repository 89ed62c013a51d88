//! `vikno-cli`: the operator's command line over Vikno's library crates.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run` function; adding
//! one is a `mod` line, an enum variant and a match arm in [`Command::run`].

mod crypto_cmd;
mod store_cmd;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Vikno operator tools.
#[derive(Parser)]
#[command(name = "vikno-cli", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decrypt and verify a Diia delivery (CMS EnvelopedData, base64 or DER).
    Open(crypto_cmd::OpenArgs),
    /// Verify a signed-only CMS message (attached or detached content).
    Verify(crypto_cmd::VerifyArgs),
    /// List the keys in a key container.
    Keys(crypto_cmd::KeysArgs),
    #[command(flatten)]
    Store(store_cmd::StoreCommand),
}

impl Command {
    fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Open(args) => crypto_cmd::open(args),
            Command::Verify(args) => crypto_cmd::verify(args),
            Command::Keys(args) => crypto_cmd::keys(args),
            Command::Store(cmd) => cmd.run(),
        }
    }
}

/// A stable snake_case code for an error chain: the library's variant name when there is one.
fn error_code(err: &anyhow::Error) -> &'static str {
    for cause in err.chain() {
        if let Some(crypto) = cause.downcast_ref::<ua_crypto::Error>() {
            return crypto.code();
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return "io";
        }
    }
    "usage"
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let report = serde_json::json!({
                "code": error_code(&err),
                "message": format!("{err:#}"),
            });
            // Nothing sensible remains to do if stderr itself is gone.
            let _ = writeln!(std::io::stderr().lock(), "{report}");
            ExitCode::FAILURE
        }
    }
}
