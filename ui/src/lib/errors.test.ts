import { expect, describe as group, it } from "vitest";
import { describe, knownCodes, toAppError } from "./errors";

group("error table", () => {
  it("has a Ukrainian and an English text for every code", () => {
    for (const code of knownCodes()) {
      const uk = describe({ code, message: "" }, "uk");
      const en = describe({ code, message: "" }, "en");
      expect(uk.text.length).toBeGreaterThan(10);
      expect(en.text.length).toBeGreaterThan(10);
      expect(uk.text).not.toEqual(en.text);
    }
  });

  it("knows every code the one code rule can refuse with", () => {
    // Kept in step with vikno_scan::CodeError::code().
    for (const c of [
      "empty",
      "wrong_length",
      "leading_zero",
      "bad_check_digit",
      "non_digit",
      "not_diia_link",
      "bad_uuid",
      "unrecognised",
    ]) {
      expect(knownCodes()).toContain(`code_${c}`);
    }
  });

  it("falls back to the internal-error text for an unknown code", () => {
    expect(describe({ code: "no_such_code", message: "x" }, "en").severity).toBe("error");
  });

  it("turns IPC rejections into AppError", () => {
    expect(toAppError({ code: "code_empty", message: "m" })).toEqual({
      code: "code_empty",
      message: "m",
    });
    expect(toAppError("Command x not found").code).toBe("internal");
  });
});
