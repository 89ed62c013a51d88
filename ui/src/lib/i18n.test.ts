import { afterEach, describe, expect, it } from "vitest";
import { allStrings, lang, setLang, t, tDyn } from "./i18n";
import { REQUEST_STATES } from "./requestState";
import { LEGAL_GROUNDS } from "./settingsForm";
import { VERDICT_OUTCOMES } from "./verdict";

describe("i18n", () => {
  afterEach(() => setLang("uk"));

  it("has a Ukrainian and an English text for every key", () => {
    for (const [key, texts] of allStrings()) {
      expect(texts.uk.trim(), key).not.toBe("");
      expect(texts.en.trim(), key).not.toBe("");
    }
  });

  it("defaults to Ukrainian and switches to English", () => {
    expect(lang()).toBe("uk");
    expect(t("navHistory")).toBe("Історія");
    setLang("en");
    expect(t("navHistory")).toBe("History");
    expect(document.documentElement.lang).toBe("en");
  });

  it("fills placeholders", () => {
    setLang("en");
    expect(t("purged", { n: 3 })).toBe("Purged: 3");
  });

  it("names every request state, verdict outcome and legal ground", () => {
    const keys = new Set(allStrings().map(([k]) => k));
    for (const s of REQUEST_STATES) expect(keys, s).toContain(`state_${s}`);
    for (const o of VERDICT_OUTCOMES) expect(keys, o).toContain(`outcome_${o}`);
    for (const g of LEGAL_GROUNDS) expect(keys, g).toContain(`ground_${g}`);
    expect(tDyn("state_nonsense", "fallback")).toBe("fallback");
  });
});
