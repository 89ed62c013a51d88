// Clock arithmetic for the screens: a code's remaining life as mm:ss, and dates in the clerk's locale.

/** Milliseconds left until `expiresAt` at `now`, never negative. */
export const remainingMs = (expiresAt: number, now: number): number => Math.max(0, expiresAt - now);

/**
 * Remaining time as "mm:ss", rounded up to the whole second so "00:00" shows only once the time
 * is really over (a code with 0.2 s left still works).
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** An RFC 3339 / ISO time as a local date and time, or the input itself when it does not parse. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}
