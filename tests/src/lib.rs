//! Harness for the end-to-end tests: starts the real app under tauri-driver + WebKitWebDriver
//! with a fresh data directory, drives it by keyboard, and on failure keeps a screenshot and
//! the app's log. Every process it starts is in its own process group and is ended on exit.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use futures_util::FutureExt as _;

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The app binary under test: `VIKNO_APP_BIN`, else `<target>/debug/vikno`.
pub fn app_binary() -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("VIKNO_APP_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target.join("debug").join("vikno");
    if !bin.exists() {
        bail!("{} not found: build the app first (cargo build -p vikno)", bin.display());
    }
    Ok(bin)
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn tauri_driver() -> PathBuf {
    let home_bin =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    match home_bin {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// A child process started in its own process group; the whole group is ended on drop.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.0.wait();
    }
}

/// A running app with its WebDriver session and its own data directory.
pub struct App {
    /// The WebDriver session driving the app's webview.
    pub client: Client,
    data_dir: tempfile::TempDir,
    driver: Group,
}

/// One tauri-driver on free ports, with `VIKNO_DATA_DIR` pointing at `data_dir`, and a
/// WebDriver session on the app.
async fn start_session(data_dir: &tempfile::TempDir) -> anyhow::Result<(Client, Group)> {
    let bin = app_binary()?;
    let port = free_port()?;
    let native_port = free_port()?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data_dir.path().join("driver.log"))?;
    let child = Command::new(tauri_driver())
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("VIKNO_DATA_DIR", data_dir.path())
        .env("VIKNO_EXPORT_DIR", data_dir.path().join("exports"))
        .env("VIKNO_LOG", "info")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("cannot start tauri-driver (run scripts/setup.sh)")?;
    let driver = Group(child);
    wait_for_port(port, Duration::from_secs(20)).await?;

    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": bin.display().to_string() }),
    );
    let client = ClientBuilder::rustls()?
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("WebDriver session did not start")?;
    Ok((client, driver))
}

impl App {
    /// Starts tauri-driver on free ports, with `VIKNO_DATA_DIR` pointing at a fresh directory,
    /// and opens a session on the app.
    pub async fn start() -> anyhow::Result<App> {
        let data_dir = tempfile::Builder::new().prefix("vikno-e2e-").tempdir()?;
        App::start_in(data_dir).await
    }

    /// Starts the app on an existing data directory (prepared configuration, or a restart).
    pub async fn start_in(data_dir: tempfile::TempDir) -> anyhow::Result<App> {
        // tauri-driver sometimes drops the very first session request while its WebKitWebDriver
        // child is still starting (seen on a loaded two-core machine): try a fresh driver again
        // rather than fail a test on the harness's own start-up.
        let mut last = None;
        for attempt in 1..=3 {
            match start_session(&data_dir).await {
                Ok((client, driver)) => return Ok(App { client, data_dir, driver }),
                Err(e) => {
                    report_start_failure(attempt, &e);
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("WebDriver session did not start")))
    }

    /// Closes the app and starts it again on the same data directory.
    pub async fn restart(self) -> anyhow::Result<App> {
        let data_dir = self.stop().await;
        App::start_in(data_dir).await
    }

    /// Closes the session and stops the app, keeping its data directory (for changes made while
    /// the app is down).
    pub async fn stop(self) -> tempfile::TempDir {
        let App { client, data_dir, driver } = self;
        let _ = client.close().await;
        drop(driver);
        data_dir
    }

    /// The process id of the app itself (a child in the driver's process group).
    pub fn app_pid(&self) -> Option<u32> {
        let pgid = self.driver.0.id();
        let out =
            Command::new("pgrep").args(["-g", &pgid.to_string(), "-x", "vikno"]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).lines().next()?.trim().parse().ok()
    }

    /// The app's data directory for this test.
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The embedded simulator's base URL, from the `sandbox.json` the app writes at start.
    pub async fn simulator_url(&self) -> anyhow::Result<String> {
        let path = self.data_dir().join("sandbox.json");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let about: serde_json::Value = serde_json::from_str(&text)?;
                if let Some(url) = about["simulatorUrl"].as_str() {
                    return Ok(url.to_string());
                }
            }
            if Instant::now() > deadline {
                bail!("the app wrote no {}", path.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every document request the embedded simulator has received (its `/sim/v1/requests`).
    pub async fn simulator_requests(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let url = self.simulator_url().await?;
        let body = get_json(&format!("{url}/sim/v1/requests")).await?;
        Ok(body["requests"].as_array().cloned().unwrap_or_default())
    }

    /// Sends special keys (WebDriver key codes) or text to the focused element.
    pub async fn press(&self, keys: &str) -> anyhow::Result<()> {
        self.type_keys(keys).await
    }

    /// Types like a person: one key at a time, `gap` apart (slower than any scanner).
    pub async fn type_slowly(&self, text: &str, gap: Duration) -> anyhow::Result<()> {
        for ch in text.chars() {
            self.type_keys(&ch.to_string()).await?;
            tokio::time::sleep(gap).await;
        }
        Ok(())
    }

    /// Waits until an attribute of the element satisfies `pred`, returning its value.
    pub async fn wait_attr(
        &self,
        css: &str,
        attr: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.attr(attr).await.ok().flatten();
                if last.as_deref().is_some_and(&pred) {
                    return Ok(last.unwrap_or_default());
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!("{css}[{attr}] never matched; last value: {last:?}")
    }

    /// Saves a screenshot as `target/e2e-screens/<name>.png` (the README's pictures come from
    /// there).
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<()> {
        let dir = workspace_root().join("target").join("e2e-screens");
        std::fs::create_dir_all(&dir)?;
        // The webview paints asynchronously: give the last change a few frames to reach the
        // screen, or the picture can show the screen before it.
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(dir.join(format!("{name}.png")), self.client.screenshot().await?)?;
        Ok(())
    }

    /// Waits for an element matching a CSS selector.
    pub async fn find(&self, css: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element {css}"))
    }

    /// Types into whatever has the focus, as a keyboard would.
    pub async fn type_keys(&self, text: &str) -> anyhow::Result<()> {
        let active = self.client.active_element().await?;
        active.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the element's text satisfies `pred`, returning the text.
    pub async fn wait_text(
        &self,
        css: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if pred(&last) {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("{css} never matched; last text: {last:?}")
    }

    /// Saves a screenshot and the app's logs under `target/e2e-artifacts/<name>/`.
    pub async fn save_artifacts(&self, name: &str) -> anyhow::Result<PathBuf> {
        let dir = workspace_root().join("target").join("e2e-artifacts").join(name);
        std::fs::create_dir_all(&dir)?;
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(dir.join("screenshot.png"), png)?;
        }
        copy_logs(self.data_dir(), &dir)?;
        Ok(dir)
    }

    /// Ends the session (which closes the app) and the driver.
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

fn copy_logs(data_dir: &Path, to: &Path) -> anyhow::Result<()> {
    let _ = std::fs::copy(data_dir.join("driver.log"), to.join("driver.log"));
    if let Ok(entries) = std::fs::read_dir(data_dir.join("logs")) {
        for entry in entries.flatten() {
            let _ = std::fs::copy(entry.path(), to.join(entry.file_name()));
        }
    }
    Ok(())
}

async fn wait_for_port(port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("tauri-driver did not listen on port {port}")
}

/// Runs one end-to-end test: starts the app, runs `body`, and on failure or panic saves a
/// screenshot and the logs before ending every process; then reports the failure.
pub async fn run<F>(name: &str, body: F) -> anyhow::Result<()>
where
    F: AsyncFnOnce(&App) -> anyhow::Result<()>,
{
    let app = App::start().await?;
    let outcome = std::panic::AssertUnwindSafe(body(&app)).catch_unwind().await;
    let failed = !matches!(outcome, Ok(Ok(())));
    if failed {
        match app.save_artifacts(name).await {
            Ok(dir) => eprintln_artifacts(&dir),
            Err(err) => eprintln_artifacts(Path::new(&format!("(not saved: {err})"))),
        }
    }
    let _ = app.close().await;
    match outcome {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[allow(clippy::print_stderr)] // the harness talks to the person running the tests
fn report_start_failure(attempt: u32, error: &anyhow::Error) {
    eprintln!("e2e: WebDriver start attempt {attempt} failed: {error:#}");
}

#[allow(clippy::print_stderr)]
fn eprintln_artifacts(dir: &Path) {
    eprintln!("e2e: screenshot and logs saved in {}", dir.display());
}

/// Key codes of the WebDriver protocol, for [`App::press`].
pub mod keys {
    /// Enter.
    pub const ENTER: &str = "\u{E007}";
    /// Escape.
    pub const ESCAPE: &str = "\u{E00C}";
    /// Tab.
    pub const TAB: &str = "\u{E004}";
    /// F2: scan screen.
    pub const F2: &str = "\u{E032}";
    /// F3: history.
    pub const F3: &str = "\u{E033}";
    /// F4: customer phone.
    pub const F4: &str = "\u{E034}";
    /// F6: action "request copies".
    pub const F6: &str = "\u{E036}";
    /// F7: action "check validity".
    pub const F7: &str = "\u{E037}";
    /// F9: settings.
    pub const F9: &str = "\u{E039}";
    /// Ctrl+S (save settings): Control held, s, all modifiers released.
    pub const CTRL_S: &str = "\u{E009}s\u{E000}";
}

/// A plain HTTP/1.1 exchange over loopback: `(status, body)`. Deliberately not a TLS-capable
/// client: a second one in this binary would leave rustls unable to pick a crypto provider for
/// fantoccini.
pub async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> anyhow::Result<(u16, Vec<u8>)> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let rest = url.strip_prefix("http://").context("only http:// URLs")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = tokio::net::TcpStream::connect(authority).await?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").context("no HTTP head")?;
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut payload = response[split + 4..].to_vec();
    let status: u16 =
        head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no HTTP status")?;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        payload = dechunk(&payload)?;
    }
    Ok((status, payload))
}

fn dechunk(mut data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").context("bad chunk")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data.get(..size).context("short chunk")?);
        data = data.get(size + 2..).context("short chunk")?;
    }
}

/// GET a JSON document, failing on a non-2xx answer.
pub async fn get_json(url: &str) -> anyhow::Result<serde_json::Value> {
    let (status, body) = http("GET", url, &[], b"").await?;
    if !(200..300).contains(&status) {
        bail!("GET {url} answered {status}");
    }
    Ok(serde_json::from_slice(&body)?)
}

/// POST a JSON document, failing on a non-2xx answer.
pub async fn post_json(url: &str, body: &serde_json::Value) -> anyhow::Result<serde_json::Value> {
    let (status, answer) =
        http("POST", url, &[("Content-Type", "application/json")], body.to_string().as_bytes())
            .await?;
    if !(200..300).contains(&status) {
        bail!("POST {url} answered {status}: {}", String::from_utf8_lossy(&answer));
    }
    if answer.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    Ok(serde_json::from_slice(&answer)?)
}

/// PUT a JSON document, failing on a non-2xx answer.
pub async fn put_json(url: &str, body: &serde_json::Value) -> anyhow::Result<()> {
    let (status, answer) =
        http("PUT", url, &[("Content-Type", "application/json")], body.to_string().as_bytes())
            .await?;
    if !(200..300).contains(&status) {
        bail!("PUT {url} answered {status}: {}", String::from_utf8_lossy(&answer));
    }
    Ok(())
}
