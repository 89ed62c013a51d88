// The only module that talks to the Tauri backend: typed commands, events, and rejections turned into AppError.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { type AppError, toAppError } from "../errors";

export type Environment = "sandbox" | "diia-test" | "production";

/** A purpose of processing the clerk picks before requesting copies (configurable list). */
export interface Purpose {
  id: string;
  labelUk: string;
  labelEn: string;
  /** Legal ground code (Law 2297-VI Art. 11), e.g. "consent", "contract", "legal-obligation". */
  legalGround: string;
  retentionDays: number;
}

/** What the backend says about itself; refreshed after settings change. */
export interface AppInfo {
  version: string;
  mode: Environment;
  dataDir: string;
  /** False while the desk could not start (then `startupError` says why and only Settings work). */
  ready: boolean;
  startupError: AppError | null;
  branchId: string | null;
  branchName: string | null;
  /** Document types the branch may request copies of (`scopes.sharing`). */
  sharingTypes: string[];
  /** Document types the branch may validate (`scopes.documentIdentification`). */
  validationTypes: string[];
  purposes: Purpose[];
  /** Seconds of inactivity before the screen locks (0 = never). */
  idleLockSeconds: number;
  /** Receiver endpoint Diia delivers to. */
  receiverUrl: string | null;
  /** How long a customer's code lives after it is read, seconds (180). */
  codeTtlSeconds: number;
}

/** A code that passed the one code rule (vikno-scan). */
export type CheckedCode =
  | { kind: "shareCode"; code: string }
  | { kind: "diiaQr"; url: string; docType: string };

/** Life of a copy request as the clerk sees it. Terminal: all but sending/waiting/confirmed. */
export type RequestState =
  | "sending"
  | "waiting"
  | "confirmed"
  | "delivered"
  | "refused"
  | "document_missing"
  | "expired"
  | "failed"
  | "cancelled";

export interface RequestView {
  requestId: string;
  state: RequestState;
  /** Milliseconds since the epoch when the code was read (the 3-minute clock starts here). */
  codeReadAt: number;
  /** Milliseconds since the epoch when the code stops working. */
  codeExpiresAt: number;
  documentTypes: string[];
  purpose: string;
  /** Stored document ids once delivered. */
  documentIds: string[];
  /** Why it failed, when state is failed/refused/document_missing/expired. */
  error: AppError | null;
}

export type VerdictOutcome =
  | "valid"
  | "not_valid"
  | "code_expired"
  | "code_used"
  | "code_unknown"
  | "type_not_allowed";

export interface Verdict {
  outcome: VerdictOutcome;
  /** The minimum age that was asked, when an age check was made (valid then means "of age"). */
  ageChecked: number | null;
  /** Time from the command to Diia's answer, milliseconds. */
  elapsedMs: number;
}

export interface HistoryQuery {
  /** Free text: matches request id, document type or purpose (no personal data is searchable). */
  text?: string;
  state?: RequestState;
  /** ISO date (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
}

export interface HistoryItem {
  requestId: string;
  createdAt: string;
  purpose: string;
  documentTypes: string[];
  state: RequestState;
  documents: { id: string; docType: string }[];
  /** Delivered, but the documents have since been purged by retention. */
  purged: boolean;
}

export interface DocumentField {
  key: string;
  labelUk: string;
  labelEn: string;
  value: string;
}

export interface VerificationBadge {
  /** Subject of the certificate that signed the copy (Diia's seal). */
  signer: string;
  signerSerial: string;
  /** When it was signed (RFC 3339) if the signature says. */
  signedAt: string | null;
  /** Subject of the trusted certificate it was verified against. */
  verifiedAgainst: string;
  /** When the receiver verified it (RFC 3339). */
  verifiedAt: string;
}

export interface DocumentView {
  id: string;
  requestId: string | null;
  docType: string;
  fileName: string;
  receivedAt: string;
  fields: DocumentField[];
  badge: VerificationBadge;
}

export interface SettingsView {
  environment: Environment;
  baseUrl: string;
  branchId: string | null;
  receiverListen: string;
  receiverPublicUrl: string;
  keyContainerPath: string | null;
  diiaCertificatePaths: string[];
  trustedCertificatePaths: string[];
  /** True when an acquirer token / key password is stored in the keychain (never the value). */
  hasAcquirerToken: boolean;
  hasKeyPassword: boolean;
  purposes: Purpose[];
  idleLockSeconds: number;
  scannerSerialPort: string | null;
  cameraIndex: number | null;
}

/** What Settings saves; secrets are written to the keychain and never read back. */
export interface SettingsInput {
  environment: Environment;
  baseUrl: string;
  branchId: string | null;
  receiverListen: string;
  receiverPublicUrl: string;
  keyContainerPath: string | null;
  diiaCertificatePaths: string[];
  trustedCertificatePaths: string[];
  /** null keeps the stored one. */
  acquirerToken: string | null;
  keyPassword: string | null;
  purposes: Purpose[];
  idleLockSeconds: number;
  scannerSerialPort: string | null;
  cameraIndex: number | null;
}

export interface Branch {
  id: string;
  name: string;
}

/** Sandbox "customer phone": the simulator's test persons and their documents. */
export interface PhonePerson {
  id: string;
  name: string;
  documents: { id: string; docType: string; state: string }[];
}

export interface SharedCode {
  barcode: string;
  link: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** data: URLs of the images the phone shows. */
  ean13Png: string;
  qrPng: string;
}

/** Camera decode results and scanner state pushed by the backend. */
export interface ScannerStatus {
  wedge: "ready";
  serial: "off" | "connected" | "disconnected";
  camera: "off" | "starting" | "on" | "unavailable";
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export const api = {
  appInfo: (): Promise<AppInfo> => call("app_info"),
  checkCode: (raw: string): Promise<CheckedCode> => call("check_code", { raw }),

  requestCopies: (code: string, documentTypes: string[], purpose: string): Promise<RequestView> =>
    call("request_copies", { code, documentTypes, purpose }),
  getRequest: (requestId: string): Promise<RequestView> => call("get_request", { requestId }),
  cancelRequest: (requestId: string): Promise<RequestView> => call("cancel_request", { requestId }),
  validateCode: (code: string, age: number | null): Promise<Verdict> =>
    call("validate_code", { code, age }),

  history: (query: HistoryQuery): Promise<HistoryItem[]> => call("history", { query }),
  openDocument: (documentId: string): Promise<DocumentView> =>
    call("open_document", { documentId }),
  /** The PDF bytes (audited as a view by openDocument, not again here). */
  documentPdf: (documentId: string): Promise<ArrayBuffer> => call("document_pdf", { documentId }),
  copyField: (documentId: string, key: string): Promise<void> =>
    call("copy_field", { documentId, key }),
  printDocument: (documentId: string): Promise<void> => call("print_document", { documentId }),
  /** Saves the PDF under the exports folder; returns the path written. */
  exportDocument: (documentId: string): Promise<string> => call("export_document", { documentId }),
  purgeNow: (): Promise<{ purged: number }> => call("purge_now"),

  unlockScreen: (pin: string): Promise<void> => call("unlock_screen", { pin }),
  settingsOpen: (pin: string): Promise<SettingsView> => call("settings_open", { pin }),
  settingsSave: (pin: string, input: SettingsInput): Promise<AppInfo> =>
    call("settings_save", { pin, input }),
  settingsSetPin: (pin: string, kind: "supervisor" | "clerk", newPin: string): Promise<void> =>
    call("settings_set_pin", { pin, kind, newPin }),
  branches: (pin: string): Promise<Branch[]> => call("branches", { pin }),
  createBranch: (pin: string, name: string): Promise<Branch> =>
    call("create_branch", { pin, name }),

  phonePersons: (): Promise<PhonePerson[]> => call("phone_persons"),
  phoneShare: (documentId: string): Promise<SharedCode> => call("phone_share", { documentId }),

  cameraStart: (): Promise<void> => call("camera_start"),
  cameraStop: (): Promise<void> => call("camera_stop"),
  scannerStatus: (): Promise<ScannerStatus> => call("scanner_status"),
};

export const events = {
  /** A copy request changed (polling or a delivery stored). */
  onRequestUpdate: (f: (r: RequestView) => void): Promise<UnlistenFn> =>
    listen<RequestView>("request-update", (e) => f(e.payload)),
  /** A code read by the camera or a serial scanner (already past the code rule). */
  onScannedCode: (f: (raw: string) => void): Promise<UnlistenFn> =>
    listen<string>("scanned-code", (e) => f(e.payload)),
  /** A camera preview frame as a data: URL (JPEG, small). */
  onCameraPreview: (f: (dataUrl: string) => void): Promise<UnlistenFn> =>
    listen<string>("camera-preview", (e) => f(e.payload)),
  onScannerStatus: (f: (s: ScannerStatus) => void): Promise<UnlistenFn> =>
    listen<ScannerStatus>("scanner-status", (e) => f(e.payload)),
};

export type { AppError };
