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

  it("knows every code the backend sends", () => {
    // Kept in step with src-tauri's IpcError codes (issue 7).
    for (const c of [
      "diia_code_expired",
      "diia_code_used",
      "diia_code_unknown",
      "diia_type_not_allowed",
      "diia_unauthorized",
      "diia_unavailable",
      "diia_network",
      "diia_timeout",
      "diia_validation",
      "diia_unexpected",
      "request_refused",
      "request_document_missing",
      "request_expired",
      "request_delivery_failed",
      "request_cancelled",
      "validate_needs_barcode",
      "desk_not_ready",
      "store_unavailable",
      "keychain_unavailable",
      "config_invalid",
      "key_container_wrong_password",
      "key_container_invalid",
      "certificate_invalid",
      "pin_wrong",
      "pin_locked",
      "not_found",
      "export_failed",
      "sandbox_only",
      "camera_unavailable",
      "scanner_unavailable",
      "internal",
    ]) {
      expect(knownCodes(), c).toContain(c);
    }
  });

  it("gives every code a severity", () => {
    for (const code of knownCodes()) {
      expect(["info", "warning", "error"]).toContain(describe({ code, message: "" }).severity);
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
