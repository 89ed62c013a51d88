import { describe, expect, it } from "vitest";
import { WedgeDetector } from "./wedge";

function run(text: string, msPerKey: number, terminator = "Enter") {
  const d = new WedgeDetector();
  let t = 1000;
  let out = null;
  for (const ch of text) {
    out = d.feed(ch, t) ?? out;
    t += msPerKey;
  }
  return d.feed(terminator, t - msPerKey + Math.min(msPerKey, 5)) ?? out;
}

describe("WedgeDetector", () => {
  it("accepts a scanner burst at 5–30 ms per key", () => {
    for (const ms of [1, 5, 10, 20, 30]) {
      expect(run("2858364170864", ms)).toEqual({ kind: "scan", text: "2858364170864" });
    }
  });

  it("accepts Tab as a terminator", () => {
    expect(run("2858364170864", 8, "Tab")).toEqual({ kind: "scan", text: "2858364170864" });
  });

  it("never triggers on human typing at 60–200 ms per key", () => {
    for (let ms = 60; ms <= 200; ms += 7) {
      expect(run("2858364170864", ms)).toEqual({ kind: "typing" });
    }
  });

  it("does not treat a short fast burst as a scan", () => {
    expect(run("12345", 5)).toEqual({ kind: "typing" });
  });

  it("starts a new burst after a pause, so typing then scanning still scans", () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of "12") {
      d.feed(ch, t);
      t += 150;
    }
    t += 500;
    for (const ch of "2858364170864") {
      d.feed(ch, t);
      t += 4;
    }
    expect(d.feed("Enter", t)).toEqual({ kind: "scan", text: "2858364170864" });
  });

  it("says whether a key continues the burst or starts a new one after a pause", () => {
    const d = new WedgeDetector();
    expect(d.continuesBurst(0)).toBe(false);
    d.feed("1", 0);
    expect(d.continuesBurst(50)).toBe(true);
    expect(d.continuesBurst(500)).toBe(false);
  });
});
