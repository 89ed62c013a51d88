//! The one tracing subscriber of the app: stderr plus a daily rolling file in the data directory.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// Installs the subscriber; keep the guard alive for the life of the app so the file gets flushed.
///
/// The level comes from `VIKNO_LOG` (env-filter syntax), default `info` for our crates and `warn`
/// for dependencies. Log lines never carry secrets or customers' personal data: the crates log
/// ids and outcomes only, and personal values at most at `trace`.
pub(crate) fn init(log_dir: &Path) -> anyhow::Result<WorkerGuard> {
    std::fs::create_dir_all(log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("vikno")
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("VIKNO_LOG").unwrap_or_else(|_| {
        EnvFilter::new("warn,vikno=info,vikno_app=info,vikno_core=info,diia=info,diia_sim=info,vikno_scan=info,ua_crypto=info")
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .try_init()?;
    Ok(guard)
}
