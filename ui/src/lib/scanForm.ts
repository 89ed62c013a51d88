// Parsing the Scan screen's optional inputs.

/** The minimum-age field: empty means no age check; otherwise a whole number 1–150. */
export function parseAge(text: string | number | null | undefined): number | null | "invalid" {
  if (text === null || text === undefined) return null;
  const s = String(text).trim();
  if (s === "") return null;
  if (!/^\d{1,3}$/.test(s)) return "invalid";
  const n = Number(s);
  return n >= 1 && n <= 150 ? n : "invalid";
}
