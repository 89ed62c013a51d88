import { describe, expect, it } from "vitest";
import { IdleWatch } from "./idle";

describe("idle lock", () => {
  it("locks after the configured seconds without activity", () => {
    const w = new IdleWatch(60, 0);
    expect(w.due(59_999)).toBe(false);
    expect(w.due(60_000)).toBe(true);
  });

  it("restarts the clock on activity", () => {
    const w = new IdleWatch(60, 0);
    w.touch(50_000);
    expect(w.due(100_000)).toBe(false);
    expect(w.due(110_000)).toBe(true);
  });

  it("never locks with 0 seconds", () => {
    const w = new IdleWatch(0, 0);
    expect(w.due(10 ** 9)).toBe(false);
    w.setSeconds(1);
    expect(w.due(10 ** 9)).toBe(true);
  });
});
