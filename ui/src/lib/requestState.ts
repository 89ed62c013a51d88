// What each state of a copy request means to the screens: terminal or not, and which error text.
import type { AppError } from "./errors";
import type { RequestState, RequestView } from "./ipc/ipc";

export const REQUEST_STATES: RequestState[] = [
  "sending",
  "waiting",
  "confirmed",
  "delivered",
  "refused",
  "document_missing",
  "expired",
  "failed",
  "cancelled",
];

/** No further change will come: stop polling. */
export const isTerminal = (s: RequestState): boolean =>
  s !== "sending" && s !== "waiting" && s !== "confirmed";

const STATE_CODES: Partial<Record<RequestState, string>> = {
  refused: "request_refused",
  document_missing: "request_document_missing",
  expired: "request_expired",
  failed: "request_delivery_failed",
  cancelled: "request_cancelled",
};

/** The error to show for a failed request: the backend's own, else one named after the state. */
export function failureOf(view: RequestView): AppError | null {
  if (view.state === "delivered" || !isTerminal(view.state)) return null;
  if (view.error) return view.error;
  return { code: STATE_CODES[view.state] ?? "internal", message: view.state };
}
