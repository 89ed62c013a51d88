import { describe, expect, it } from "vitest";
import { knownCodes } from "./errors";
import type { RequestView } from "./ipc/ipc";
import { failureOf, isTerminal, REQUEST_STATES } from "./requestState";

const view = (state: RequestView["state"], error: RequestView["error"] = null): RequestView => ({
  requestId: "r1",
  state,
  codeReadAt: 0,
  codeExpiresAt: 180_000,
  documentTypes: [],
  purpose: "p",
  documentIds: [],
  error,
});

describe("request states", () => {
  it("keeps polling only while sending, waiting or confirmed", () => {
    expect(REQUEST_STATES.filter((s) => !isTerminal(s))).toEqual([
      "sending",
      "waiting",
      "confirmed",
    ]);
  });

  it("maps each failed state to a known error code", () => {
    for (const s of REQUEST_STATES) {
      const f = failureOf(view(s));
      if (s === "delivered" || !isTerminal(s)) expect(f).toBeNull();
      else expect(knownCodes()).toContain(f?.code);
    }
    expect(failureOf(view("refused"))?.code).toBe("request_refused");
    expect(failureOf(view("document_missing"))?.code).toBe("request_document_missing");
    expect(failureOf(view("cancelled"))?.code).toBe("request_cancelled");
  });

  it("prefers the backend's own error", () => {
    const e = { code: "diia_timeout", message: "m" };
    expect(failureOf(view("failed", e))).toBe(e);
  });
});
