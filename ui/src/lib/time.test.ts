import { describe, expect, it } from "vitest";
import { formatCountdown, formatDateTime, remainingMs } from "./time";

describe("countdown", () => {
  it("formats whole minutes and seconds as mm:ss", () => {
    expect(formatCountdown(180_000)).toBe("03:00");
    expect(formatCountdown(61_000)).toBe("01:01");
    expect(formatCountdown(9_000)).toBe("00:09");
  });

  it("rounds a started second up, so 00:00 means the time is over", () => {
    expect(formatCountdown(179_001)).toBe("03:00");
    expect(formatCountdown(200)).toBe("00:01");
    expect(formatCountdown(0)).toBe("00:00");
  });

  it("never goes negative", () => {
    expect(formatCountdown(-5_000)).toBe("00:00");
    expect(remainingMs(1_000, 5_000)).toBe(0);
    expect(remainingMs(5_000, 1_000)).toBe(4_000);
  });

  it("keeps counting minutes past an hour", () => {
    expect(formatCountdown(3_725_000)).toBe("62:05");
  });
});

describe("formatDateTime", () => {
  it("returns unparsable input as is and empty for nothing", () => {
    expect(formatDateTime("not a date", "uk-UA")).toBe("not a date");
    expect(formatDateTime(null, "uk-UA")).toBe("");
  });

  it("formats an RFC 3339 time with the date's digits", () => {
    expect(formatDateTime("2026-03-07T10:20:30Z", "en-GB")).toMatch(/2026/);
  });
});
