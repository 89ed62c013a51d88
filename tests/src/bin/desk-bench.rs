//! Desk benchmark on the real app in its real webview (sandbox mode): cold start to scan-ready,
//! submit-to-verdict latency of validity checks (p50/p95 over N runs), and idle memory.
//! Prints a table and writes `target/desk-bench.csv`.
//!
//! Run: `xvfb-run -a cargo run -p vikno-e2e --bin desk-bench -- [runs]` inside a D-Bus session
//! with an unlocked keyring (as `scripts/test.sh` sets up; see the README's benchmark section).

use std::time::{Duration, Instant};

use anyhow::Context as _;
use vikno_e2e::{App, keys, post_json, workspace_root};

/// Seconds since boot, from /proc/uptime.
fn uptime() -> anyhow::Result<f64> {
    let text = std::fs::read_to_string("/proc/uptime")?;
    Ok(text.split_whitespace().next().context("uptime")?.parse()?)
}

/// Seconds since boot at which `pid` started (field 22 of /proc/pid/stat, in clock ticks).
fn started_at(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = stat.rsplit_once(')').context("stat")?.1;
    let ticks: f64 = after.split_whitespace().nth(19).context("starttime")?.parse()?;
    Ok(ticks / 100.0)
}

/// Resident memory of `pid`, KiB.
fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("VmRSS")?;
    Ok(line.split_whitespace().nth(1).context("VmRSS value")?.parse()?)
}

/// `pid` and its descendants (the webview's web and network processes).
fn tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        if let Ok(out) =
            std::process::Command::new("pgrep").args(["-P", &parent.to_string()]).output()
        {
            all.extend(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter_map(|l| l.trim().parse::<u32>().ok()),
            );
        }
        i += 1;
    }
    all
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn scan_ready(app: &App) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(el) = app.client.active_element().await
            && el.attr("id").await?.as_deref() == Some("code")
            && let Ok(mode) = app.client.find(fantoccini::Locator::Css("[data-testid=mode]")).await
            && mode.attr("data-mode").await?.is_some_and(|m| !m.is_empty())
        {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "never scan-ready");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let mut rows: Vec<(String, f64)> = Vec::new();

    // Cold start: from the app process's start to the code field focused with the desk ready.
    let mut cold = Vec::new();
    for _ in 0..3 {
        let app = App::start().await?;
        scan_ready(&app).await?;
        let now = uptime()?;
        let pid = app.app_pid().context("app pid")?;
        cold.push((now - started_at(pid)?) * 1000.0);
        app.close().await?;
    }
    cold.sort_by(f64::total_cmp);

    let app = App::start().await?;
    scan_ready(&app).await?;
    let sim = app.simulator_url().await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pid = app.app_pid().context("app pid")?;
    let app_rss = rss_kib(pid)?;
    let tree_rss: u64 = tree(pid).into_iter().filter_map(|p| rss_kib(p).ok()).sum();

    app.press(keys::F7).await?;
    let mut lat = Vec::with_capacity(runs);
    for i in 0..runs {
        let shared =
            post_json(&format!("{sim}/sim/v1/documents/d101/share"), &serde_json::json!({}))
                .await?;
        let code = shared["barcode"].as_str().context("barcode")?.to_owned();
        let el = app.find("#code").await?;
        let t0 = Instant::now();
        el.send_keys(&format!("{code}{}", keys::ENTER)).await?;
        loop {
            if let Ok(v) = app.client.find(fantoccini::Locator::Css("#verdict[data-outcome]")).await
            {
                let outcome = v.attr("data-outcome").await?.unwrap_or_default();
                anyhow::ensure!(outcome == "valid", "run {i}: verdict {outcome}");
                break;
            }
            anyhow::ensure!(t0.elapsed() < Duration::from_secs(10), "run {i}: no verdict");
        }
        lat.push(t0.elapsed().as_secs_f64() * 1000.0);
        app.press(keys::ESCAPE).await?;
        scan_ready(&app).await?;
    }
    app.close().await?;
    lat.sort_by(f64::total_cmp);

    rows.push(("cold start to scan-ready, median of 3 (ms)".into(), percentile(&cold, 50.0)));
    rows.push(("cold start to scan-ready, max of 3 (ms)".into(), percentile(&cold, 100.0)));
    rows.push((format!("submit to verdict on screen, p50 of {runs} (ms)"), percentile(&lat, 50.0)));
    rows.push((format!("submit to verdict on screen, p95 of {runs} (ms)"), percentile(&lat, 95.0)));
    rows.push(("idle RSS, app process (MiB)".into(), app_rss as f64 / 1024.0));
    rows.push(("idle RSS, app + webview processes (MiB)".into(), tree_rss as f64 / 1024.0));

    let mut csv = String::from("metric,value,target\n");
    let target = |m: &str| {
        if m.starts_with("cold start") {
            "1500"
        } else if m.contains("p95") {
            "300"
        } else {
            ""
        }
    };
    let mut out = std::io::stdout().lock();
    use std::io::Write as _;
    writeln!(out, "{:<52} {:>10} {:>8}", "metric", "value", "target")?;
    for (m, v) in &rows {
        writeln!(out, "{m:<52} {v:>10.1} {:>8}", target(m))?;
        csv.push_str(&format!("\"{m}\",{v:.1},{}\n", target(m)));
    }
    let path = workspace_root().join("target").join("desk-bench.csv");
    std::fs::write(&path, csv)?;
    writeln!(out, "written {}", path.display())?;
    Ok(())
}
