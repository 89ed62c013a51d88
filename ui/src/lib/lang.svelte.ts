// The current interface language as reactive state, so every t() call in a template follows a switch.
export type Lang = "uk" | "en";

export const language: { current: Lang } = $state({ current: "uk" });
