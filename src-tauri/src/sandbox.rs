//! Sandbox mode: the embedded Diia simulator on loopback, started with the app, stopped with it.

use std::path::Path;

use anyhow::Context as _;
use diia_sim::{SimConfig, SimHandle, Simulator};

/// The services that stand in for Diia in sandbox mode.
#[derive(Debug)]
pub struct Sandbox {
    /// The simulator: Diia's partner API plus the "customer phone" routes, on 127.0.0.1.
    pub sim: SimHandle,
}

impl Sandbox {
    /// Starts the simulator on a random loopback port. Its state (branches, tokens) persists in
    /// the data directory, so a restart keeps the sandbox branch. `sandbox.json` tells tools and
    /// the end-to-end tests where it listens; it holds no secret.
    pub(crate) async fn start(data_dir: &Path) -> anyhow::Result<Sandbox> {
        let config = SimConfig {
            state_file: Some(data_dir.join("sandbox-state.json")),
            ..Default::default()
        };
        let sim = Simulator::start(config).await.context("cannot start the Diia simulator")?;
        let about =
            serde_json::json!({ "simulatorUrl": sim.base_url(), "branchId": sim.branch_id() });
        write_atomically(&data_dir.join("sandbox.json"), about.to_string().as_bytes())?;
        tracing::info!(url = %sim.base_url(), "sandbox simulator running");
        Ok(Sandbox { sim })
    }

    /// Stops the simulator and waits for it.
    pub(crate) async fn stop(self) {
        self.sim.shutdown().await;
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
