//! Wedge burst detection with synthetic key events: human typing never triggers, a scanner always
//! does, mixed streams are split correctly.

use proptest::prelude::*;
use vikno_scan::{Key, KeyEvent, WedgeConfig, WedgeDetector, WedgeOutcome, classify_wedge};

/// Key events for `text` with the given gaps before each key (the first gap is from `start`),
/// optionally followed by a terminator after `term_gap` ms.
fn events(text: &str, start: u64, gaps: &[u64], term: Option<(Key, u64)>) -> (Vec<KeyEvent>, u64) {
    let mut t = start;
    let mut v = Vec::new();
    for (c, g) in text.chars().zip(gaps.iter().cycle()) {
        t += g;
        v.push(KeyEvent { key: Key::Char(c), at_ms: t });
    }
    if let Some((k, g)) = term {
        t += g;
        v.push(KeyEvent { key: k, at_ms: t });
    }
    (v, t)
}

fn run_all(d: &mut WedgeDetector, evs: &[KeyEvent], end: u64) -> Vec<WedgeOutcome> {
    let mut out: Vec<WedgeOutcome> = evs.iter().filter_map(|e| d.feed(*e)).collect();
    out.extend(d.poll(end + 10_000));
    out
}

fn scans(v: &[WedgeOutcome]) -> Vec<String> {
    v.iter()
        .filter_map(|o| match o {
            WedgeOutcome::Scan(s) => Some(s.clone()),
            WedgeOutcome::Typing(_) => None,
        })
        .collect()
}

#[test]
fn defaults_are_the_documented_ones() {
    let c = WedgeConfig::default();
    assert_eq!((c.avg_ms_per_char, c.min_length, c.end_gap_ms), (30, 6, 100));
    assert!(c.enter_terminates && c.tab_terminates);
}

#[test]
fn scanned_share_code_is_accepted() {
    let mut d = WedgeDetector::default();
    let (evs, end) = events("4006381333931", 5_000, &[4], Some((Key::Enter, 4)));
    let out = run_all(&mut d, &evs, end);
    assert_eq!(scans(&out), vec!["4006381333931".to_owned()]);
    assert!(classify_wedge(&scans(&out)[0]).is_ok());
}

proptest! {
    #[test]
    fn human_typing_never_triggers(text in "[0-9a-z]{1,40}",
                                   gaps in proptest::collection::vec(60u64..=200, 1..40),
                                   term in prop_oneof![Just(None), Just(Some(Key::Enter)), Just(Some(Key::Tab))],
                                   term_gap in 60u64..=200) {
        let mut d = WedgeDetector::default();
        let (evs, end) = events(&text, 1_000, &gaps, term.map(|k| (k, term_gap)));
        let out = run_all(&mut d, &evs, end);
        prop_assert!(scans(&out).is_empty(), "{out:?}");
    }

    #[test]
    fn scanner_always_triggers(code in "[1-9][0-9]{12}",
                               gaps in proptest::collection::vec(0u64..=30, 1..20),
                               term in prop_oneof![Just(None), Just(Some(Key::Enter)), Just(Some(Key::Tab))],
                               term_gap in 0u64..=30) {
        let mut d = WedgeDetector::default();
        let (evs, end) = events(&code, 1_000, &gaps, term.map(|k| (k, term_gap)));
        let out = run_all(&mut d, &evs, end);
        prop_assert_eq!(scans(&out), vec![code.clone()]);
    }

    #[test]
    fn mixed_typing_then_scan_then_typing(before in "[a-z0-9]{0,12}",
                                          human in proptest::collection::vec(60u64..=200, 1..12),
                                          scan in "[1-9][0-9]{12}",
                                          fast in proptest::collection::vec(1u64..=30, 1..13),
                                          pause in 101u64..2_000,
                                          after in "[a-z0-9]{0,12}") {
        let mut d = WedgeDetector::default();
        let (mut evs, t1) = events(&before, 0, &human, None);
        // The scan starts after a pause longer than the end gap (the person stops typing) and
        // ends with Enter; typing resumes after another pause.
        let mut t = t1 + pause;
        let first = scan.chars().next().map(Key::Char).expect("non-empty");
        evs.push(KeyEvent { key: first, at_ms: t });
        let (rest, t2) = events(&scan[1..], t, &fast, Some((Key::Enter, 5)));
        evs.extend(rest);
        t = t2 + pause;
        let (tail, end) = events(&after, t, &human, None);
        evs.extend(tail);
        let out = run_all(&mut d, &evs, end);
        prop_assert_eq!(scans(&out), vec![scan.clone()]);
        let typed: String = out.iter().filter_map(|o| match o {
            WedgeOutcome::Typing(s) => Some(s.as_str()),
            WedgeOutcome::Scan(_) => None,
        }).collect();
        prop_assert_eq!(typed, format!("{before}{after}"));
    }
}
