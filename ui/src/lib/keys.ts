// Keyboard map of the window: global shortcuts, list navigation and the field-copy digits.

export type Screen =
  | "scan"
  | "progress"
  | "document"
  | "verdict"
  | "history"
  | "settings"
  | "phone";

export type GlobalAction =
  | { kind: "go"; screen: "scan" | "history" | "phone" | "settings" }
  | { kind: "lang" }
  | { kind: "back" };

/** The parts of a KeyboardEvent the map looks at (so tests need no DOM). */
export interface KeyLike {
  key: string;
  code?: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

/**
 * The global action of a key, or null: F2 Scan, F3 History, F4 Customer phone (sandbox only),
 * F9 Settings, Esc back to Scan, Alt+L switches the language (by physical key, so it works in
 * the Ukrainian layout too).
 */
export function globalAction(e: KeyLike, sandbox: boolean): GlobalAction | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === "KeyL" || e.key.toLowerCase() === "l")) {
    return { kind: "lang" };
  }
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case "F2":
      return { kind: "go", screen: "scan" };
    case "F3":
      return { kind: "go", screen: "history" };
    case "F4":
      return sandbox ? { kind: "go", screen: "phone" } : null;
    case "F9":
      return { kind: "go", screen: "settings" };
    case "Escape":
      return { kind: "back" };
    default:
      return null;
  }
}

/** The row index after a navigation key in a list of `count` rows (-1 = none), or null. */
export function rowMove(current: number, key: string, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowDown":
      return current < 0 ? 0 : Math.min(count - 1, current + 1);
    case "ArrowUp":
      return current < 0 ? 0 : Math.max(0, current - 1);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    case "PageDown":
      return Math.min(count - 1, Math.max(0, current) + 10);
    case "PageUp":
      return Math.max(0, current - 10);
    default:
      return null;
  }
}

/** Field index (0-based) for the copy digits 1–9 without modifiers, or null. */
export function copyDigit(e: KeyLike): number | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key.length !== 1 || e.key < "1" || e.key > "9") return null;
  return Number(e.key) - 1;
}

/** True when keys typed at `el` belong to a form field, not to the screen's shortcuts. */
export function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit"].includes(type);
  }
  return (el as HTMLElement).isContentEditable === true;
}
