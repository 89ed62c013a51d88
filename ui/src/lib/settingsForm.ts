// The Settings form as editable text and its conversion to and from the IPC contract's types.
import type { Environment, Purpose, SettingsInput, SettingsView } from "./ipc/ipc";

export const ENVIRONMENTS: Environment[] = ["sandbox", "diia-test", "production"];

/** Law 2297-VI Art. 11 grounds offered for a purpose. */
export const LEGAL_GROUNDS = [
  "consent",
  "contract",
  "law",
  "legal-obligation",
  "vital-interests",
  "legitimate-interest",
] as const;

export interface SettingsForm {
  environment: Environment;
  baseUrl: string;
  branchId: string;
  receiverListen: string;
  receiverPublicUrl: string;
  keyContainerPath: string;
  keyPassword: string;
  acquirerToken: string;
  diiaCerts: string;
  trustedCerts: string;
  idleLockSeconds: string;
  serialPort: string;
  cameraIndex: string;
  purposes: Purpose[];
}

/** One path per line; blank lines and surrounding spaces dropped. */
export const linesToList = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

const orNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

export function formFromView(v: SettingsView): SettingsForm {
  return {
    environment: v.environment,
    baseUrl: v.baseUrl,
    branchId: v.branchId ?? "",
    receiverListen: v.receiverListen,
    receiverPublicUrl: v.receiverPublicUrl,
    keyContainerPath: v.keyContainerPath ?? "",
    keyPassword: "",
    acquirerToken: "",
    diiaCerts: v.diiaCertificatePaths.join("\n"),
    trustedCerts: v.trustedCertificatePaths.join("\n"),
    idleLockSeconds: String(v.idleLockSeconds),
    serialPort: v.scannerSerialPort ?? "",
    cameraIndex: v.cameraIndex === null ? "" : String(v.cameraIndex),
    purposes: v.purposes.map((p) => ({ ...p })),
  };
}

/** Problems the clerk can fix before saving, as i18n-free codes (shown through the error table). */
export function formProblem(f: SettingsForm): string | null {
  if (!/^\d+$/.test(f.idleLockSeconds.trim())) return "config_invalid";
  if (f.cameraIndex.trim() !== "" && !/^\d+$/.test(f.cameraIndex.trim())) return "config_invalid";
  const ids = new Set<string>();
  for (const p of f.purposes) {
    if (!p.id.trim() || !p.labelUk.trim() || ids.has(p.id.trim())) return "config_invalid";
    if (!Number.isInteger(Number(p.retentionDays)) || Number(p.retentionDays) < 0) {
      return "config_invalid";
    }
    ids.add(p.id.trim());
  }
  return null;
}

/** The save payload; empty secret fields keep what the keychain holds (null). */
export function inputFromForm(f: SettingsForm): SettingsInput {
  return {
    environment: f.environment,
    baseUrl: f.baseUrl.trim(),
    branchId: orNull(f.branchId),
    receiverListen: f.receiverListen.trim(),
    receiverPublicUrl: f.receiverPublicUrl.trim(),
    keyContainerPath: orNull(f.keyContainerPath),
    diiaCertificatePaths: linesToList(f.diiaCerts),
    trustedCertificatePaths: linesToList(f.trustedCerts),
    acquirerToken: f.acquirerToken === "" ? null : f.acquirerToken,
    keyPassword: f.keyPassword === "" ? null : f.keyPassword,
    purposes: f.purposes.map((p) => ({
      id: p.id.trim(),
      labelUk: p.labelUk.trim(),
      labelEn: p.labelEn.trim() || p.labelUk.trim(),
      legalGround: p.legalGround,
      retentionDays: Number(p.retentionDays),
    })),
    idleLockSeconds: Number(f.idleLockSeconds.trim()),
    scannerSerialPort: orNull(f.serialPort),
    cameraIndex: f.cameraIndex.trim() === "" ? null : Number(f.cameraIndex.trim()),
  };
}

export const blankPurpose = (): Purpose => ({
  id: "",
  labelUk: "",
  labelEn: "",
  legalGround: "consent",
  retentionDays: 30,
});
