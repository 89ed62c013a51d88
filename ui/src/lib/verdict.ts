// How a validation outcome looks: its tone (colour and sound), icon, and whether to ask for a new code.
import type { VerdictOutcome } from "./ipc/ipc";

export type Tone = "ok" | "bad" | "warn";

export interface VerdictLook {
  tone: Tone;
  icon: string;
  askFreshCode: boolean;
}

const LOOKS: Record<VerdictOutcome, VerdictLook> = {
  valid: { tone: "ok", icon: "✓", askFreshCode: false },
  not_valid: { tone: "bad", icon: "✗", askFreshCode: false },
  code_expired: { tone: "warn", icon: "⟳", askFreshCode: true },
  code_used: { tone: "warn", icon: "⟳", askFreshCode: true },
  code_unknown: { tone: "warn", icon: "?", askFreshCode: true },
  type_not_allowed: { tone: "bad", icon: "⊘", askFreshCode: false },
};

export const verdictLook = (o: VerdictOutcome): VerdictLook =>
  LOOKS[o] ?? { tone: "bad", icon: "!", askFreshCode: false };

export const VERDICT_OUTCOMES = Object.keys(LOOKS) as VerdictOutcome[];
