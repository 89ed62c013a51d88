//! decode-bench: runs the real single-frame decode pipeline (one thread) over a corpus, and the
//! simulated-clock live pipeline over frame sequences.
//!
//! ```text
//! decode-bench --corpus DIR [--csv FILE] [--repeat N] [--pipeline default|KEY=VALUE,...]
//! decode-bench --live DIR [--fps 30] [--csv FILE]
//! ```
//! Corpus mode reads `DIR/img/*.png` (sorted), loads each into memory, then times only the decode
//! call (median of `--repeat`, default 3, after a 10-frame warm-up) and writes `file,text,ms`
//! rows; `text` is the code or link the code rule accepted, empty otherwise.
//! Live mode reads every sub-directory of DIR as one clip (`*.png` frames + `truth.txt` holding
//! the expected text), replays it at `--fps` through `vikno_scan::simulate_live` and reports, per
//! clip, the first frame the single-frame pipeline decodes and the time until acceptance.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use vikno_scan::camera::{load_png_luma, png_files};
use vikno_scan::{CameraConfig, EnhancedPass, Frame, Pipeline, PipelineConfig, simulate_live};

struct Args {
    corpus: Option<PathBuf>,
    live: Option<PathBuf>,
    csv: Option<PathBuf>,
    repeat: usize,
    fps: f64,
    pipeline: String,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        corpus: None,
        live: None,
        csv: None,
        repeat: 3,
        fps: 30.0,
        pipeline: "default".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => a.corpus = Some(val()?.into()),
            "--live" => a.live = Some(val()?.into()),
            "--csv" => a.csv = Some(val()?.into()),
            "--repeat" => a.repeat = val()?.parse().map_err(|_| "bad --repeat".to_owned())?,
            "--fps" => a.fps = val()?.parse().map_err(|_| "bad --fps".to_owned())?,
            "--pipeline" => a.pipeline = val()?,
            "-h" | "--help" => {
                return Err("usage: decode-bench --corpus DIR [--csv FILE] [--repeat N] \
                            [--pipeline default|KEY=VALUE,...] | --live DIR [--fps 30] [--csv FILE]"
                    .into());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.corpus.is_none() == a.live.is_none() {
        return Err("give exactly one of --corpus DIR or --live DIR".into());
    }
    Ok(a)
}

/// `default`, or comma-separated overrides of the default pipeline, e.g.
/// `enhanced=always,agree=1,linear=0,square=0,qr_th=0,frame_rows=32,region_rows=32,margin=0.2,upsample=2.5`.
fn pipeline_config(spec: &str) -> Result<PipelineConfig, String> {
    let mut c = PipelineConfig::default();
    if spec == "default" {
        return Ok(c);
    }
    for kv in spec.split(',') {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("bad --pipeline item {kv}"))?;
        let bad = || format!("bad value in --pipeline {kv}");
        let int = || v.parse::<usize>().map_err(|_| bad());
        let float = || v.parse::<f32>().map_err(|_| bad());
        match k {
            "enhanced" => {
                c.enhanced = match v {
                    "never" => EnhancedPass::Never,
                    "always" => EnhancedPass::Always,
                    "alternate" => EnhancedPass::AlternateFrames,
                    _ => return Err(bad()),
                }
            }
            "agree" => c.agreeing_rows = int()?,
            "linear" => c.linear_regions = int()?,
            "square" => c.square_regions = int()?,
            "qr_th" => c.qr_try_harder = int()? != 0,
            "frame_rows" => c.frame_rows = int()?,
            "region_rows" => c.linear_crop.rows = int()?,
            "margin" => c.linear_crop.margin = float()?,
            "upsample" => c.linear_crop.upsample_below_px = float()?,
            _ => return Err(format!("unknown --pipeline key {k}")),
        }
    }
    Ok(c)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into()
    }
}

fn write_out(path: &Option<PathBuf>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string()),
    }
}

fn run_corpus(dir: &Path, a: &Args) -> Result<(), String> {
    let files = png_files(&dir.join("img")).map_err(|e| e.to_string())?;
    if files.is_empty() {
        return Err(format!("no PNG files under {}", dir.join("img").display()));
    }
    let mut pipeline = Pipeline::new(pipeline_config(&a.pipeline)?);
    // Warm-up: caches, lazy statics, CPU frequency.
    for f in files.iter().take(10) {
        let (w, h, luma) = load_png_luma(f).map_err(|e| e.to_string())?;
        let _ = pipeline.decode(&luma, w, h, 0);
    }
    let mut out = String::from("file,text,ms\n");
    let repeat = a.repeat.max(1);
    for f in &files {
        let (w, h, luma) = load_png_luma(f).map_err(|e| e.to_string())?;
        let mut times = Vec::with_capacity(repeat);
        let mut text = String::new();
        for _ in 0..repeat {
            let t0 = Instant::now();
            let read = pipeline.decode(&luma, w, h, 0);
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            text = read
                .and_then(|r| r.verdict.ok())
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default();
        }
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{:.3}\n",
            csv_field(&name),
            csv_field(&text),
            median(&mut times)
        ));
    }
    write_out(&a.csv, &out)
}

fn pct(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let idx = ((p / 100.0) * (s.len() - 1) as f64).round() as usize;
    s[idx.min(s.len() - 1)]
}

fn run_live(dir: &Path, a: &Args) -> Result<(), String> {
    let mut clips: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    clips.sort();
    let cfg = CameraConfig::default();
    let mut single = Pipeline::new(PipelineConfig::default());
    let mut rows =
        String::from("clip,truth_kind,first_decodable_frame,accepted_frame,latency_ms,wrong\n");
    let mut latencies = Vec::new();
    let mut missed = 0usize;
    let mut wrong_total = 0usize;
    let mut lines = Vec::new();
    for clip in &clips {
        let truth = std::fs::read_to_string(clip.join("truth.txt"))
            .map_err(|e| format!("{}: {e}", clip.display()))?
            .trim()
            .to_owned();
        let files = png_files(clip).map_err(|e| e.to_string())?;
        let mut frames = Vec::with_capacity(files.len());
        for (i, f) in files.iter().enumerate() {
            let (w, h, luma) = load_png_luma(f).map_err(|e| e.to_string())?;
            let at = (i as f64 * 1000.0 / a.fps).round() as u64;
            frames.push(Frame::new(w, h, luma, i as u64, at).map_err(|e| e.to_string())?);
        }
        // First frame the single-frame pipeline (both passes) reads correctly on its own.
        let first = frames.iter().position(|f| {
            single
                .decode(&f.luma, f.width, f.height, 0)
                .and_then(|r| r.verdict.ok())
                .is_some_and(|c| c.as_str() == truth)
        });
        let rep = simulate_live(&frames, &cfg);
        let wrong = rep.accepted.iter().filter(|x| x.code.as_str() != truth).count();
        wrong_total += wrong;
        let hit = rep.accepted.iter().find(|x| x.code.as_str() == truth);
        let name = clip.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = if truth.starts_with("https://") { "qr" } else { "1d" };
        let (acc_frame, lat) = match (first, hit) {
            (Some(fi), Some(h)) => {
                let l = h.accepted_at_ms - frames[fi].at_ms as f64;
                latencies.push(l);
                (h.frame_index.to_string(), format!("{l:.1}"))
            }
            (_, Some(h)) => (h.frame_index.to_string(), String::new()),
            _ => {
                missed += 1;
                (String::new(), String::new())
            }
        };
        let first_s = first.map(|f| f.to_string()).unwrap_or_default();
        rows.push_str(&format!("{name},{kind},{first_s},{acc_frame},{lat},{wrong}\n"));
        lines.push(format!(
            "  {name:<14} {kind:<3} first decodable frame {first_s:>3}  accepted at frame {acc_frame:>3}  \
             latency {lat:>7} ms  decoded {}/{} frames",
            rep.decoded_frames.len(),
            frames.len()
        ));
    }
    let mut o = std::io::stdout().lock();
    let w =
        |o: &mut std::io::StdoutLock<'_>, s: String| writeln!(o, "{s}").map_err(|e| e.to_string());
    w(
        &mut o,
        format!(
            "live-time check: {} clips at {} fps (simulated clock, measured decode times)",
            clips.len(),
            a.fps
        ),
    )?;
    for l in lines {
        w(&mut o, l)?;
    }
    w(
        &mut o,
        format!(
            "  latency first-decodable -> accepted: median {:.1} ms, p95 {:.1} ms, max {:.1} ms; \
             not accepted {missed}; wrong accepted {wrong_total}",
            pct(&latencies, 50.0),
            pct(&latencies, 95.0),
            pct(&latencies, 100.0)
        ),
    )?;
    if let Some(p) = &a.csv {
        std::fs::write(p, rows).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|a| match (&a.corpus, &a.live) {
        (Some(c), _) => run_corpus(c, &a),
        (_, Some(l)) => run_live(l, &a),
        _ => Err("nothing to do".into()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "decode-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
