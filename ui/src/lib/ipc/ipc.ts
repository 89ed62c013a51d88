// The only module that talks to the Tauri backend: typed commands, and rejections turned into AppError.
import { invoke } from "@tauri-apps/api/core";
import { type AppError, toAppError } from "../errors";

/** What the backend says about itself at start-up. */
export interface AppInfo {
  version: string;
  mode: "sandbox" | "diia-test" | "production";
  dataDir: string;
}

/** A code that passed the one code rule (vikno-scan). */
export type CheckedCode =
  | { kind: "shareCode"; code: string }
  | { kind: "diiaQr"; url: string; docType: string };

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
};

export type { AppError };
