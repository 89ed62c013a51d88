import { describe, expect, it } from "vitest";
import { VERDICT_OUTCOMES, verdictLook } from "./verdict";

describe("verdict look", () => {
  it("is green only for valid", () => {
    for (const o of VERDICT_OUTCOMES) {
      expect(verdictLook(o).tone === "ok").toBe(o === "valid");
    }
  });

  it("asks for a fresh code when the code itself is the problem", () => {
    expect(verdictLook("code_expired")).toMatchObject({ tone: "warn", askFreshCode: true });
    expect(verdictLook("code_used").askFreshCode).toBe(true);
    expect(verdictLook("code_unknown").askFreshCode).toBe(true);
    expect(verdictLook("not_valid")).toMatchObject({ tone: "bad", icon: "✗" });
    expect(verdictLook("type_not_allowed").tone).toBe("bad");
  });
});
