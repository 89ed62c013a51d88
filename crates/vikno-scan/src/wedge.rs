//! Keyboard-wedge scanners: telling a scanner's key burst from human typing (a pure, time-injected
//! detector) and undoing the Ukrainian/Russian keyboard layout on a scanned QR link.
//!
//! # The timing rule (the webview's TypeScript port must match it exactly)
//!
//! Constants ([`WedgeConfig::default`]): `avg_ms_per_char = 30`, `min_length = 6`,
//! `end_gap_ms = 100`, terminators Enter and Tab (onScan.js defaults, barcode.md §4.2).
//!
//! 1. Only character keys are buffered; [`Key::Other`] (Shift, Ctrl, …) is ignored entirely and
//!    does not move any clock.
//! 2. A burst starts with the first character key after the buffer was emptied. `first` is that
//!    key's time; `last` is the time of the most recent key of the burst (terminator included).
//! 3. A burst ends (a) on a terminator key (Enter/Tab), or (b) when the next key arrives more than
//!    `end_gap_ms` after `last` (that next key then starts a new burst), or (c) when
//!    [`WedgeDetector::poll`] is called with `now - last > end_gap_ms` (the UI calls it from a timer,
//!    e.g. every 50 ms).
//! 4. An ended burst of `n` characters is a **scan** iff `n >= min_length` and
//!    `last - first <= n * avg_ms_per_char`; otherwise it is **typing**. A lone terminator (n = 0)
//!    yields nothing. All arithmetic is on integer milliseconds; comparisons are inclusive.
//!
//! Why it separates the two: a scanner replays a label at HID report speed (a few ms per key), so
//! `n` characters + terminator span well under `n × 30 ms`; a person needs 60–200 ms per key, so
//! `n` keys span at least `(n − 1) × 60 ≥ n × 30` for any `n ≥ 2`.
//!
//! The detector only frames bursts; the caller then applies [`classify_wedge`] (layout recovery
//! + the code rule) to a scan.
//!
//! # Keyboard layout
//!
//! A wedge scanner sends key *positions*. Digits, `-` and Enter are the same on US and ЙЦУКЕН
//! layouts, so share codes are unaffected; a QR link typed while the Ukrainian (or Russian) layout
//! is active arrives as Cyrillic (`https://` → `реезіЖ..`). [`recover_us_layout`] maps the
//! positions back; it refuses mixed Latin + Cyrillic input and characters whose key position
//! differs between layouts (reported with their index).

use crate::code::{Code, CodeError, ReadSnippet, classify};

/// A key as delivered by the keyboard (after the OS layout was applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Enter / Return (a terminator).
    Enter,
    /// Tab (a terminator).
    Tab,
    /// Any other key (modifiers, arrows, …); ignored by the detector.
    Other,
}

/// One key press with the time it happened, in milliseconds on any monotonic clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyEvent {
    /// The key.
    pub key: Key,
    /// Monotonic timestamp in milliseconds.
    pub at_ms: u64,
}

/// Tuning of the burst rule; see the module documentation for the exact rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WedgeConfig {
    /// Maximum average milliseconds per character for a burst to count as a scan (default 30).
    pub avg_ms_per_char: u64,
    /// Minimum number of characters of a scan (default 6).
    pub min_length: usize,
    /// Silence in milliseconds that ends a burst without a terminator (default 100).
    pub end_gap_ms: u64,
    /// Enter ends a burst (default true).
    pub enter_terminates: bool,
    /// Tab ends a burst (default true).
    pub tab_terminates: bool,
}

impl Default for WedgeConfig {
    fn default() -> Self {
        WedgeConfig {
            avg_ms_per_char: 30,
            min_length: 6,
            end_gap_ms: 100,
            enter_terminates: true,
            tab_terminates: true,
        }
    }
}

/// How an ended burst was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeOutcome {
    /// Scanner speed: the characters of the scan (terminator not included).
    Scan(String),
    /// Human speed (or too short): the characters typed, so the UI can leave them where they went.
    Typing(String),
}

/// Pure burst detector; feed it every key event in order.
#[derive(Debug, Clone)]
pub struct WedgeDetector {
    config: WedgeConfig,
    buf: String,
    count: usize,
    first_ms: u64,
    last_ms: u64,
}

impl WedgeDetector {
    /// A detector with the given configuration.
    pub fn new(config: WedgeConfig) -> Self {
        WedgeDetector { config, buf: String::new(), count: 0, first_ms: 0, last_ms: 0 }
    }

    /// The configuration in use.
    pub fn config(&self) -> &WedgeConfig {
        &self.config
    }

    /// Feed one key event; returns the outcome of a burst that this event ended, if any.
    pub fn feed(&mut self, ev: KeyEvent) -> Option<WedgeOutcome> {
        let is_terminator = match ev.key {
            Key::Enter => self.config.enter_terminates,
            Key::Tab => self.config.tab_terminates,
            Key::Other => return None,
            Key::Char(_) => false,
        };
        // Rule 3b: silence ended the previous burst before this key.
        let mut ended = None;
        if self.count > 0 && ev.at_ms.saturating_sub(self.last_ms) > self.config.end_gap_ms {
            ended = self.finish();
        }
        match ev.key {
            Key::Char(c) => {
                if self.count == 0 {
                    self.first_ms = ev.at_ms;
                }
                self.buf.push(c);
                self.count += 1;
                self.last_ms = ev.at_ms;
                ended
            }
            _ if is_terminator => {
                if ended.is_some() || self.count == 0 {
                    // A terminator after silence (or alone) belongs to no burst.
                    return ended;
                }
                self.last_ms = ev.at_ms;
                self.finish()
            }
            // A non-terminating Enter/Tab is treated like a character-less key: it ends nothing.
            _ => ended,
        }
    }

    /// Tell the detector the current time; ends a burst after `end_gap_ms` of silence.
    pub fn poll(&mut self, now_ms: u64) -> Option<WedgeOutcome> {
        if self.count > 0 && now_ms.saturating_sub(self.last_ms) > self.config.end_gap_ms {
            return self.finish();
        }
        None
    }

    fn finish(&mut self) -> Option<WedgeOutcome> {
        if self.count == 0 {
            return None;
        }
        let text = std::mem::take(&mut self.buf);
        let n = self.count as u64;
        self.count = 0;
        let span = self.last_ms.saturating_sub(self.first_ms);
        let fast = span <= n.saturating_mul(self.config.avg_ms_per_char);
        if fast && self.count_ok(n) {
            tracing::trace!(chars = n, span_ms = span, "wedge burst judged a scan");
            Some(WedgeOutcome::Scan(text))
        } else {
            Some(WedgeOutcome::Typing(text))
        }
    }

    fn count_ok(&self, n: u64) -> bool {
        n >= self.config.min_length as u64
    }
}

impl Default for WedgeDetector {
    fn default() -> Self {
        WedgeDetector::new(WedgeConfig::default())
    }
}

/// Why a scanned text could not be mapped back from a Cyrillic keyboard layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// Latin and Cyrillic letters mixed: no single layout explains the text.
    #[error("read \"{read}\": mixes Latin and Cyrillic letters, keyboard layout cannot be undone")]
    Mixed {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
    /// A character whose key position is unknown or differs between layouts.
    #[error("read \"{read}\": character at position {index} has no unambiguous key")]
    Ambiguous {
        /// Safe rendering of the input.
        read: ReadSnippet,
        /// Character index (0-based) of the first unmappable character.
        index: usize,
    },
}

impl LayoutError {
    /// Stable identifier for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            LayoutError::Mixed { .. } => "layout_mixed",
            LayoutError::Ambiguous { .. } => "layout_ambiguous",
        }
    }
}

/// Key positions of the Ukrainian ЙЦУКЕН layout (plus the Russian-only letters, whose keys no
/// Ukrainian letter uses) → the US character on the same key. Lower case; upper case maps to the
/// upper-case US letter, except where the shifted US key is punctuation (handled separately).
const CYR_TO_US: &[(char, char)] = &[
    ('й', 'q'),
    ('ц', 'w'),
    ('у', 'e'),
    ('к', 'r'),
    ('е', 't'),
    ('н', 'y'),
    ('г', 'u'),
    ('ш', 'i'),
    ('щ', 'o'),
    ('з', 'p'),
    ('х', '['),
    ('ї', ']'),
    ('ъ', ']'),
    ('ф', 'a'),
    ('і', 's'),
    ('ы', 's'),
    ('в', 'd'),
    ('а', 'f'),
    ('п', 'g'),
    ('р', 'h'),
    ('о', 'j'),
    ('л', 'k'),
    ('д', 'l'),
    ('ж', ';'),
    ('є', '\''),
    ('э', '\''),
    ('я', 'z'),
    ('ч', 'x'),
    ('с', 'c'),
    ('м', 'v'),
    ('и', 'b'),
    ('т', 'n'),
    ('ь', 'm'),
    ('б', ','),
    ('ю', '.'),
];

/// Shifted keys whose US character is not simply the upper case of the unshifted one.
const SHIFTED_TO_US: &[(char, char)] = &[
    ('Х', '{'),
    ('Ї', '}'),
    ('Ъ', '}'),
    ('Ж', ':'),
    ('Є', '"'),
    ('Э', '"'),
    ('Б', '<'),
    ('Ю', '>'),
    // Non-letter keys on the Cyrillic layouts: the US `/` key types `.` and Shift+`/` types `,`;
    // Shift+digit symbols that differ from US.
    ('.', '/'),
    (',', '?'),
    ('"', '@'),
    ('№', '#'),
    (';', '$'),
    (':', '^'),
    ('?', '&'),
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Map text typed on a Cyrillic layout back to what the US layout would have produced.
///
/// Text without Cyrillic letters is returned unchanged (digits, `-` and the like are the same on
/// all layouts). Fails on mixed Latin/Cyrillic letters or characters with no unambiguous key.
pub fn recover_us_layout(text: &str) -> Result<String, LayoutError> {
    if !text.chars().any(is_cyrillic) {
        return Ok(text.to_owned());
    }
    if text.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(LayoutError::Mixed { read: ReadSnippet::of(text) });
    }
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.chars().enumerate() {
        let mapped = if let Some(&(_, us)) = SHIFTED_TO_US.iter().find(|(k, _)| *k == c) {
            Some(us)
        } else if let Some(&(_, us)) = CYR_TO_US.iter().find(|(k, _)| *k == c) {
            Some(us)
        } else if c.is_uppercase() && is_cyrillic(c) {
            let lower = c.to_lowercase().next().unwrap_or(c);
            CYR_TO_US.iter().find(|(k, _)| *k == lower).map(|&(_, us)| us.to_ascii_uppercase())
        } else if c.is_ascii_digit() || c == '-' || c == '=' || c == '_' || c == '+' {
            Some(c)
        } else {
            None
        };
        match mapped {
            Some(m) => out.push(m),
            None => return Err(LayoutError::Ambiguous { read: ReadSnippet::of(text), index }),
        }
    }
    Ok(out)
}

/// Why a wedge scan was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WedgeError {
    /// The text (after any layout recovery) breaks the code rule.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// The text was typed on a Cyrillic layout and could not be mapped back.
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

impl WedgeError {
    /// Stable identifier for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            WedgeError::Code(e) => e.code(),
            WedgeError::Layout(e) => e.code(),
        }
    }
}

/// A wedge scan accepted by the code rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WedgeScan {
    /// The accepted code.
    pub code: Code,
    /// True if the text had to be mapped back from a Cyrillic layout.
    pub layout_recovered: bool,
}

/// Apply layout recovery and then the code rule to the text of a [`WedgeOutcome::Scan`].
pub fn classify_wedge(raw: &str) -> Result<WedgeScan, WedgeError> {
    let recovered = recover_us_layout(raw)?;
    let layout_recovered = recovered != raw;
    Ok(WedgeScan { code: classify(&recovered)?, layout_recovered })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(text: &str, start: u64, step: u64, term: Option<Key>) -> Vec<KeyEvent> {
        let mut v: Vec<KeyEvent> = text
            .chars()
            .enumerate()
            .map(|(i, c)| KeyEvent { key: Key::Char(c), at_ms: start + i as u64 * step })
            .collect();
        if let Some(k) = term {
            v.push(KeyEvent { key: k, at_ms: start + text.chars().count() as u64 * step });
        }
        v
    }

    fn run(d: &mut WedgeDetector, evs: &[KeyEvent]) -> Vec<WedgeOutcome> {
        evs.iter().filter_map(|e| d.feed(*e)).collect()
    }

    #[test]
    fn scan_with_enter() {
        let mut d = WedgeDetector::default();
        let out = run(&mut d, &burst("4006381333931", 1000, 8, Some(Key::Enter)));
        assert_eq!(out, vec![WedgeOutcome::Scan("4006381333931".into())]);
    }

    #[test]
    fn scan_ended_by_silence_via_poll() {
        let mut d = WedgeDetector::default();
        assert!(run(&mut d, &burst("4006381333931", 0, 10, None)).is_empty());
        assert_eq!(d.poll(150), None);
        assert_eq!(d.poll(221), Some(WedgeOutcome::Scan("4006381333931".into())));
        assert_eq!(d.poll(1000), None);
    }

    #[test]
    fn modifiers_are_ignored() {
        let mut d = WedgeDetector::default();
        let mut evs = burst("ABCDEFG", 0, 5, None);
        evs.insert(3, KeyEvent { key: Key::Other, at_ms: 12 });
        evs.push(KeyEvent { key: Key::Tab, at_ms: 40 });
        assert_eq!(run(&mut d, &evs), vec![WedgeOutcome::Scan("ABCDEFG".into())]);
    }

    #[test]
    fn short_fast_burst_is_typing() {
        let mut d = WedgeDetector::default();
        let out = run(&mut d, &burst("12345", 0, 5, Some(Key::Enter)));
        assert_eq!(out, vec![WedgeOutcome::Typing("12345".into())]);
    }

    #[test]
    fn layout_recovery_of_link() {
        let url = "https://diia.app/documents/driver-license/12345/verify/\
                   0f1e2d3c-4b5a-4978-8abc-def012345678";
        // What the scanner produces with the Ukrainian layout active (Shift held for ':').
        let ua = "реезіЖ..вшшфюфзз.вщсгьутеі.вкшмук-дшсутіу.12345.мукшан.\
                  0а1у2в3с-4и5ф-4978-8фис-вуа012345678";
        assert_eq!(recover_us_layout(ua).as_deref(), Ok(url));
        let scan = classify_wedge(ua).expect("recovered");
        assert!(scan.layout_recovered);
        assert_eq!(scan.code.as_str(), url);
        // Digits are untouched by any layout.
        let d = classify_wedge("4006381333931").expect("digits");
        assert!(!d.layout_recovered);
        assert_eq!(recover_us_layout("httpі").map_err(|e| e.code()), Err("layout_mixed"));
        assert_eq!(recover_us_layout("ре€").map_err(|e| e.code()), Err("layout_ambiguous"));
        assert_eq!(classify_wedge("реез").map_err(|e| e.code()), Err("unrecognised"));
    }
}
