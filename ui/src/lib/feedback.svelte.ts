// Sound and colour feedback for outcomes: a short WebAudio tone and a screen-edge flash; mute is remembered.
export type FeedbackKind = "success" | "error";

const MUTE_KEY = "vikno.muted";

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === "1";
  } catch {
    return false;
  }
}

/** Reactive: the header's mute toggle and the flash overlay read it. */
export const feedbackState: { muted: boolean; flash: FeedbackKind | null } = $state({
  muted: readMuted(),
  flash: null,
});

export function setMuted(muted: boolean): void {
  feedbackState.muted = muted;
  try {
    localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
  } catch {
    // Storage may be unavailable; the toggle still works for this session.
  }
}

let audio: AudioContext | null = null;
let flashTimer: ReturnType<typeof setTimeout> | undefined;

function tone(kind: FeedbackKind): void {
  if (feedbackState.muted || typeof AudioContext === "undefined") return;
  audio ??= new AudioContext();
  const ctx = audio;
  // A rising two-note chirp for success, a low buzz for an error; 0.25 s in all.
  const notes = kind === "success" ? [880, 1320] : [220, 180];
  const start = ctx.currentTime;
  notes.forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = kind === "success" ? "sine" : "square";
    osc.frequency.value = freq;
    const t0 = start + i * 0.12;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.15, t0 + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.11);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.12);
  });
}

/** Plays the tone and flashes the screen edge in the outcome's colour. */
export function feedback(kind: FeedbackKind): void {
  try {
    tone(kind);
  } catch {
    // No audio device: the flash is enough.
  }
  feedbackState.flash = kind;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    feedbackState.flash = null;
  }, 700);
}
