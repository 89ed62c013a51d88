//! Camera path over frames rendered in the test with rxing's writers: PNG files through
//! `FileSource`, the live worker over a paced `SequenceSource`, the two-frame rule and dedup.

use std::path::PathBuf;
use std::time::Duration;

use rxing::{BarcodeFormat, MultiFormatWriter, Writer};
use vikno_scan::{
    CameraConfig, CameraEvent, CameraStatus, CameraWorker, FileSource, Frame, FrameError,
    FrameSource, Pacing, SequenceSource, Symbology, simulate_live,
};

const W: u32 = 640;
const H: u32 = 480;
const EAN: &str = "4006381333931";
const C128: &str = "5901234123457";
const LINK: &str =
    "https://diia.app/documents/driver-license/1234567/verify/0f1e2d3c-4b5a-4978-8abc-def012345678";

/// Render a symbol into a grey 640×480 frame at `ppm` pixels per module, with a little
/// deterministic noise so the frames are not perfectly synthetic.
fn render(text: &str, format: BarcodeFormat, ppm: usize, noise_seed: u64) -> Vec<u8> {
    let m = MultiFormatWriter.encode(text, &format, 0, 0).expect("encodable");
    let (mw, mh) = (m.width() as usize, m.height() as usize);
    let linear = format != BarcodeFormat::QR_CODE;
    let (sw, sh) = if linear { (mw * ppm, 120) } else { (mw * ppm, mh * ppm) };
    let mut img = vec![170u8; (W * H) as usize];
    let (x0, y0) = ((W as usize - sw) / 2, (H as usize - sh) / 2);
    let quiet = 10 * ppm;
    for y in y0.saturating_sub(quiet)..(y0 + sh + quiet).min(H as usize) {
        for x in x0.saturating_sub(quiet)..(x0 + sw + quiet).min(W as usize) {
            img[y * W as usize + x] = 225;
        }
    }
    for y in 0..sh {
        for x in 0..sw {
            let (mx, my) = (x / ppm, if linear { 0 } else { y / ppm });
            if m.get(mx as u32, my as u32) {
                img[(y0 + y) * W as usize + x0 + x] = 35;
            }
        }
    }
    let mut s = noise_seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    for p in img.iter_mut() {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let n = ((s >> 60) as i16) - 8;
        *p = (i16::from(*p) + n).clamp(0, 255) as u8;
    }
    img
}

fn blank(seed: u64) -> Vec<u8> {
    let mut v = vec![180u8; (W * H) as usize];
    for (i, p) in v.iter_mut().enumerate() {
        *p = p.wrapping_add(((i as u64 * 31 + seed) % 7) as u8);
    }
    v
}

/// The test clip: EAN-13 for 4 frames, blank, Code 128 for 4, blank, QR for 2, blank, EAN-13
/// again for 3 (duplicate within 3 s: must not fire twice).
fn clip() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for i in 0..4 {
        v.push(render(EAN, BarcodeFormat::EAN_13, 3, i));
    }
    v.push(blank(1));
    for i in 0..4 {
        v.push(render(C128, BarcodeFormat::CODE_128, 3, 10 + i));
    }
    v.push(blank(2));
    for i in 0..2 {
        v.push(render(LINK, BarcodeFormat::QR_CODE, 4, 20 + i));
    }
    v.push(blank(3));
    for i in 0..3 {
        v.push(render(EAN, BarcodeFormat::EAN_13, 3, 30 + i));
    }
    v
}

fn write_pngs(frames: &[Vec<u8>]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let p = dir.path().join(format!("f{i:03}.png"));
        image::GrayImage::from_raw(W, H, f.clone()).expect("size").save(&p).expect("save png");
        paths.push(p);
    }
    (dir, paths)
}

#[test]
fn file_source_clip_finds_each_code_once() {
    let (_dir, paths) = write_pngs(&clip());
    let mut src = FileSource::new(paths, 100);
    let mut frames = Vec::new();
    while let Some(f) = src.next_frame().expect("frame") {
        frames.push(f);
    }
    assert_eq!(frames.len(), 16);
    let rep = simulate_live(&frames, &CameraConfig::default());
    let got: Vec<&str> = rep.accepted.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(got, vec![EAN, C128, LINK]);
    // The 1-D codes needed a second frame; the QR did not.
    assert_eq!(rep.accepted[0].frame_index, 1);
    assert_eq!(rep.accepted[1].frame_index, 6);
    assert_eq!(rep.accepted[2].frame_index, 10);
}

#[test]
fn disagreeing_linear_reads_are_never_accepted() {
    // Every frame shows a different (valid) code, as a flickering misread would.
    let codes = ["4006381333931", "5901234123457", "9780201379624", "4012345678901"];
    let frames: Vec<Frame> = (0..8)
        .map(|i| {
            let luma = render(codes[i % 4], BarcodeFormat::EAN_13, 3, i as u64);
            Frame::new(W, H, luma, i as u64, i as u64 * 33).expect("size")
        })
        .collect();
    let rep = simulate_live(&frames[..4], &CameraConfig::default());
    assert!(rep.accepted.is_empty(), "{:?}", rep.accepted);
    // Sanity: the same frames do decode on their own, so the refusal is the two-frame rule.
    let mut p = vikno_scan::Pipeline::default();
    let r = p.decode(&frames[0].luma, W, H, 0).expect("decodes alone");
    assert_eq!((r.text.as_str(), r.symbology), (codes[0], Symbology::Ean13));
}

#[test]
fn worker_streams_previews_and_accepts() {
    let frames: Vec<(u32, u32, Vec<u8>)> = clip().into_iter().map(|l| (W, H, l)).collect();
    // 10 fps in real time: slow enough that even a debug build decodes every frame.
    let src = SequenceSource::new(frames, 10.0, Pacing::RealTime);
    let (worker, rx) = CameraWorker::start(
        move || Ok(Box::new(src) as Box<dyn FrameSource>),
        CameraConfig::default(),
    );
    let mut accepted = Vec::new();
    let mut previews = 0;
    let mut outlined = 0;
    let mut statuses = Vec::new();
    while let Ok(ev) = rx.recv_timeout(Duration::from_secs(10)) {
        match ev {
            CameraEvent::Accepted(a) => {
                assert_eq!(a.feedback.sound, "accept");
                assert!(!a.outline.is_empty());
                accepted.push(a.code.as_str().to_owned());
            }
            CameraEvent::Preview(p) => {
                previews += 1;
                assert_eq!((p.width, p.height), (320, 240));
                outlined += usize::from(p.outline.is_some());
            }
            CameraEvent::Status(s) => statuses.push(s),
        }
    }
    worker.join();
    assert_eq!(accepted, vec![EAN, C128, LINK]);
    assert_eq!(previews, 16);
    assert!(outlined > 0);
    assert_eq!(statuses, vec![CameraStatus::Running, CameraStatus::Stopped]);
}

#[test]
fn no_camera_is_a_state() {
    let (worker, rx) = CameraWorker::start(
        || Err::<Box<dyn FrameSource>, _>(FrameError::NoCamera),
        CameraConfig::default(),
    );
    let ev = rx.recv_timeout(Duration::from_secs(5)).expect("status");
    assert_eq!(ev, CameraEvent::Status(CameraStatus::NoCamera));
    worker.stop();
}
