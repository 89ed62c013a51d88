//! End-to-end tests: the real Vikno binary in its real WebKitGTK webview, keyboard only.

use std::time::Duration;

use vikno_e2e::{App, keys, post_json, put_json, run};

mod desk;
mod lock;
mod real;
mod scan;

/// Applies to every test: generous, because a cold debug app on two cores is slow to paint.
const UI_TIMEOUT: Duration = Duration::from_secs(15);

/// A fresh share code from the embedded simulator's "customer phone" for document `doc_id`.
async fn share(app: &App, doc_id: &str) -> anyhow::Result<String> {
    let url = app.simulator_url().await?;
    let code = post_json(&format!("{url}/sim/v1/documents/{doc_id}/share"), &serde_json::json!({}))
        .await?;
    code["barcode"].as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no barcode"))
}

/// Scripts what the simulated customer `person` does with the next requests.
async fn script(app: &App, person: &str, script: serde_json::Value) -> anyhow::Result<()> {
    let url = app.simulator_url().await?;
    put_json(&format!("{url}/sim/v1/persons/{person}/script"), &script).await
}

/// Waits for the scan screen with the code field focused and the desk ready.
async fn scan_ready(app: &App) -> anyhow::Result<()> {
    app.find("#code").await?;
    app.wait_attr("[data-testid=mode]", "data-mode", UI_TIMEOUT, |m| !m.is_empty()).await?;
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    loop {
        let focused = app.client.active_element().await?;
        if focused.attr("id").await?.as_deref() == Some("code") {
            return Ok(());
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "the code field never got the focus");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Chooses the scan screen's action by its key (F6 request, F7 validate).
async fn choose_action(app: &App, validate: bool) -> anyhow::Result<()> {
    app.press(if validate { keys::F7 } else { keys::F6 }).await?;
    let want = if validate { "validate" } else { "request" };
    app.wait_attr("#scan", "data-action", UI_TIMEOUT, |a| a == want).await?;
    Ok(())
}

/// The text of a metadata field on the documents screen.
async fn field(app: &App, key: &str) -> anyhow::Result<String> {
    Ok(app.find(&format!("dl#fields dd[data-key={key}]")).await?.text().await?.trim().to_owned())
}
