// Keyboard-wedge scanner detection in the webview: tells a scanner's key burst from a person typing.
//
// The rule mirrors vikno-scan's WedgeDetector (crates/vikno-scan): a burst is a scan when it ends
// with a terminator (Enter or Tab), has at least `minLength` characters, and its keys arrived at
// no more than `maxAvgMsPerChar` per character on average. A gap longer than `maxGapMs` starts a
// new burst. People type at 60–200 ms per key; wedge scanners replay labels in a few ms per key.

export interface WedgeConfig {
  maxAvgMsPerChar: number;
  minLength: number;
  maxGapMs: number;
}

export const DEFAULT_WEDGE: WedgeConfig = { maxAvgMsPerChar: 30, minLength: 6, maxGapMs: 100 };

export type WedgeOutcome = { kind: "scan"; text: string } | { kind: "typing" };

/** Feeds key events with their timestamps; reports a scan when a fast burst is terminated. */
export class WedgeDetector {
  private chars: string[] = [];
  private firstAt = 0;
  private lastAt = 0;

  constructor(private readonly config: WedgeConfig = DEFAULT_WEDGE) {}

  /** True while the keys seen so far could still be a scanner burst. */
  get inBurst(): boolean {
    return this.chars.length > 0;
  }

  /** True when a key at `at` would extend the current burst (it is not over by a pause). */
  continuesBurst(at: number): boolean {
    return this.chars.length > 0 && at - this.lastAt <= this.config.maxGapMs;
  }

  /** One key: a printable character, or "Enter"/"Tab". `at` is in milliseconds. */
  feed(key: string, at: number): WedgeOutcome | null {
    if (this.chars.length > 0 && at - this.lastAt > this.config.maxGapMs) this.reset();
    if (key === "Enter" || key === "Tab") {
      const outcome = this.judge(at);
      this.reset();
      return outcome;
    }
    if (key.length !== 1) return null;
    if (this.chars.length === 0) this.firstAt = at;
    this.chars.push(key);
    this.lastAt = at;
    return null;
  }

  private judge(at: number): WedgeOutcome | null {
    if (this.chars.length === 0) return null;
    const n = this.chars.length;
    const span = Math.max(this.lastAt, at) - this.firstAt;
    const fast = span <= n * this.config.maxAvgMsPerChar;
    if (n >= this.config.minLength && fast) return { kind: "scan", text: this.chars.join("") };
    return { kind: "typing" };
  }

  reset(): void {
    this.chars = [];
    this.firstAt = 0;
    this.lastAt = 0;
  }
}
