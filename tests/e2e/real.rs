//! A real account's configuration: Diia's own test key container and certificates (key6-set),
//! the partner API played by a standalone simulator, and Diia's real sample delivery POSTed to
//! the app's receiver for the request the clerk made.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use vikno_e2e::{App, free_port, http, keys, post_json, put_json, workspace_root};

use super::{UI_TIMEOUT, field, scan_ready};

const PDF: &str = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf";
const SIGNER_CERT: &str = "EU-5B63D88375D9201804000000E0BA0500B4810D00.cer";
const OTHER_CERT: &str = "EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer";

fn fixtures() -> PathBuf {
    workspace_root().join("../shared/fixtures/diia-sdk-js/key6-set")
}

/// The standalone simulator, killed when dropped.
struct StandaloneSim {
    child: Child,
    url: String,
    branch: String,
}

impl Drop for StandaloneSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sim(dir: &Path, token: &str) -> anyhow::Result<StandaloneSim> {
    let bin = vikno_e2e::app_binary()?.with_file_name("diia-sim");
    let port = free_port()?;
    let mut child = Command::new(&bin)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--acquirer-token", token])
        .arg("--state")
        .arg(dir.join("sim-state.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut sim = StandaloneSim { child, url: String::new(), branch: String::new() };
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(v) = line.strip_prefix("base url:") {
            sim.url = v.trim().to_owned();
        }
        if let Some(v) = line.strip_prefix("branch id:") {
            sim.branch = v.trim().to_owned();
            break;
        }
    }
    // Keep draining what it prints: a closed pipe would end it at its next line.
    std::thread::spawn(move || lines.for_each(drop));
    anyhow::ensure!(!sim.url.is_empty() && !sim.branch.is_empty(), "simulator printed no address");
    Ok(sim)
}

/// The barcode-layout multipart body of Diia's sample delivery (envelopes as base64 text).
fn sample_delivery() -> anyhow::Result<(String, Vec<u8>)> {
    use base64::Engine as _;
    let b64 = |name: &str| -> anyhow::Result<Vec<u8>> {
        let raw = std::fs::read(fixtures().join(name))?;
        Ok(if raw.first() == Some(&0x30) {
            base64::engine::general_purpose::STANDARD.encode(raw).into_bytes()
        } else {
            raw
        })
    };
    let boundary = "----vikno-e2e-boundary-q8Zr";
    let mut body = Vec::new();
    let mut part = |name: &str, file: Option<&str>, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    let envelope = format!("{PDF}.p7s.p7e");
    part("encryptedFile", Some(&envelope), &b64(&envelope)?);
    part("encryptedFileName", None, envelope.as_bytes());
    part("encodeData", None, &b64("encodedData.json.p7s.p7e")?);
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_delivery_for_the_clerks_request_shows_the_passport() -> anyhow::Result<()> {
    let data_dir = tempfile::Builder::new().prefix("vikno-e2e-").tempdir()?;
    let token = format!("e2e-acquirer-{}", std::process::id());
    let sim = start_sim(data_dir.path(), &token)?;
    let receiver_port = free_port()?;
    // What a bank's IT team deploys: everything but the secrets, which the supervisor enters.
    // verifyAt: the sample's certificates expired in 2025; it was signed while they were valid.
    let f = fixtures();
    let config = serde_json::json!({
        "version": 1,
        "environment": "diia-test",
        "baseUrl": sim.url,
        "branchId": sim.branch,
        "receiverListen": format!("127.0.0.1:{receiver_port}"),
        "receiverPublicUrl": "https://partner.example/diia/delivery",
        "keyContainerPath": f.join("Key-6.dat"),
        "diiaCertificatePaths": [f.join(SIGNER_CERT), f.join(OTHER_CERT)],
        "trustedCertificatePaths": [f.join(SIGNER_CERT)],
        "verifyAt": "2024-10-24T10:22:56Z",
        "purposes": [{"id": "customer-identification", "labelUk": "Ідентифікація клієнта",
            "labelEn": "Customer identification", "legalGround": "legal-obligation",
            "retentionDays": 1825}],
        "idleLockSeconds": 300,
        "scannerSerialPort": null,
        "cameraIndex": null,
        "clerk": "clerk-e2e",
        "workstation": "ws-e2e",
        "supervisorPin": null,
        "clerkPin": null,
    });
    std::fs::write(data_dir.path().join("config.json"), serde_json::to_vec_pretty(&config)?)?;
    let app = App::start_in(data_dir).await?;
    let result = async {
        // Settings: the first PIN enrols the supervisor; the secrets go to the keychain.
        app.find("#code").await?;
        app.press(keys::F9).await?;
        app.find("#settings-pin").await?;
        app.type_keys(&format!("2468{}", keys::ENTER)).await?;
        app.find("#settings-form").await?;
        app.find("#acquirer-token").await?.send_keys(&token).await?;
        app.find("#key-password").await?.send_keys("12345677").await?;
        app.screenshot("settings").await?;
        app.press(keys::CTRL_S).await?;
        app.wait_attr("#settings-message .msg", "data-code", UI_TIMEOUT, |c| c == "saved").await?;
        app.press(keys::F2).await?;
        scan_ready(&app).await?;
        let mode =
            app.wait_attr("[data-testid=mode]", "data-mode", UI_TIMEOUT, |m| !m.is_empty()).await?;
        anyhow::ensure!(mode == "diia-test", "mode is {mode}");

        // The customer shows a code and does not answer in the simulator: the documents come
        // from Diia's real sample below.
        put_json(
            &format!("{}/sim/v1/persons/p1/script", sim.url),
            &serde_json::json!({"action": "never-answer"}),
        )
        .await?;
        let shared =
            post_json(&format!("{}/sim/v1/documents/d101/share", sim.url), &serde_json::json!({}))
                .await?;
        let code = shared["barcode"].as_str().unwrap_or_default().to_owned();
        app.type_slowly(&code, Duration::from_millis(70)).await?;
        app.press(keys::ENTER).await?;
        let request_id = app
            .wait_attr("#request-progress", "data-request-id", UI_TIMEOUT, |v| !v.is_empty())
            .await?;
        app.wait_attr("#request-progress", "data-state", UI_TIMEOUT, |s| s == "waiting").await?;

        let (content_type, body) = sample_delivery()?;
        let (status, answer) = http(
            "POST",
            &format!("http://127.0.0.1:{receiver_port}/diia/delivery"),
            &[("Content-Type", &content_type), ("X-Document-Request-Trace-Id", &request_id)],
            &body,
        )
        .await?;
        anyhow::ensure!(
            status == 200,
            "receiver answered {status}: {}",
            String::from_utf8_lossy(&answer)
        );

        app.wait_attr("#pdf", "data-rendered", UI_TIMEOUT, |v| v == "true").await?;
        let shown = app.find("#document").await?;
        anyhow::ensure!(shown.attr("data-doc-id").await?.is_some());
        let name = format!(
            "{} {} {}",
            field(&app, "last_name").await?,
            field(&app, "first_name").await?,
            field(&app, "middle_name").await?
        );
        anyhow::ensure!(name == "Дія Надія Володимирівна", "name shown: {name}");
        anyhow::ensure!(field(&app, "doc_number").await? == "002307001");
        let anchor = app.find("#badge dd[data-badge=verified-against]").await?.text().await?;
        anyhow::ensure!(anchor.contains("Тестовий Користувач 1"), "verified against: {anchor}");
        app.screenshot("documents-real").await?;
        Ok(())
    }
    .await;
    if result.is_err() {
        let _ =
            app.save_artifacts("a_real_delivery_for_the_clerks_request_shows_the_passport").await;
    }
    let _ = app.close().await;
    drop(sim);
    result
}
