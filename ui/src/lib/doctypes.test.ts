import { describe, expect, it } from "vitest";
import { docTypeName, knownDocTypes } from "./doctypes";

describe("document type names", () => {
  it("uses the clerk's Ukrainian names for the common types", () => {
    expect(docTypeName("internal-passport", "uk")).toBe("Паспорт громадянина України (ID-картка)");
    expect(docTypeName("taxpayer-card", "uk")).toBe("РНОКПП");
    expect(docTypeName("reference-internally-displaced-person", "uk")).toBe("Довідка ВПО");
    expect(docTypeName("passport", "uk")).toBe("Паспорт (будь-який)");
  });

  it("names all fifteen sharing scopes in both languages", () => {
    const scopes = [
      "passport",
      "internal-passport",
      "foreign-passport",
      "taxpayer-card",
      "reference-internally-displaced-person",
      "birth-certificate",
      "driver-license",
      "vehicle-license",
      "student-id-card",
      "pension-card",
      "education-document",
      "veteran-certificate",
      "name-change-act-record",
      "marriage-act-record",
      "divorce-act-record",
    ];
    expect(knownDocTypes().sort()).toEqual([...scopes].sort());
    for (const s of scopes) {
      expect(docTypeName(s, "uk")).not.toBe(s);
      expect(docTypeName(s, "en")).not.toBe(s);
      expect(docTypeName(s, "uk")).not.toBe(docTypeName(s, "en"));
    }
  });

  it("shows an unknown type's id", () => {
    expect(docTypeName("new-kind", "en")).toBe("new-kind");
  });
});
