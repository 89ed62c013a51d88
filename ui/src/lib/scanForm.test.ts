import { describe, expect, it } from "vitest";
import { parseAge } from "./scanForm";

describe("minimum age field", () => {
  it("treats empty as no age check", () => {
    expect(parseAge("")).toBeNull();
    expect(parseAge("  ")).toBeNull();
    expect(parseAge(null)).toBeNull();
  });

  it("accepts whole numbers 1–150 as text or number", () => {
    expect(parseAge("18")).toBe(18);
    expect(parseAge(21)).toBe(21);
  });

  it("refuses anything else", () => {
    for (const bad of ["0", "-1", "18.5", "abc", "151", "1e2"])
      expect(parseAge(bad)).toBe("invalid");
  });
});
