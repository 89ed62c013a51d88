// One table from backend error code to severity and clerk-facing text; the UI never parses messages.
import { type Lang, lang } from "./i18n";

export type Severity = "info" | "warning" | "error";

/** Error as it crosses IPC: a stable code and a technical message (never shown as-is). */
export interface AppError {
  code: string;
  message: string;
}

interface Entry {
  severity: Severity;
  text: Record<Lang, string>;
}

const TABLE: Record<string, Entry> = {
  code_empty: {
    severity: "warning",
    text: { uk: "Введіть 13 цифр коду з Дії.", en: "Enter the 13 digits of the Diia code." },
  },
  code_wrong_length: {
    severity: "warning",
    text: {
      uk: "Код з Дії має 13 цифр. Перевірте і введіть ще раз.",
      en: "A Diia code has 13 digits. Check it and enter it again.",
    },
  },
  code_non_digit: {
    severity: "warning",
    text: {
      uk: "Код з Дії складається лише з цифр.",
      en: "A Diia code consists of digits only.",
    },
  },
  code_leading_zero: {
    severity: "warning",
    text: {
      uk: "Код з Дії не починається з нуля. Перевірте першу цифру.",
      en: "A Diia code never starts with 0. Check the first digit.",
    },
  },
  code_bad_check_digit: {
    severity: "warning",
    text: {
      uk: "Помилка в коді: контрольна цифра не збігається. Перевірте цифри або зіскануйте код.",
      en: "Typo in the code: the check digit does not match. Check the digits or scan the code.",
    },
  },
  code_not_diia_link: {
    severity: "warning",
    text: {
      uk: "Це не QR-код Дії. Попросіть клієнта показати код документа в Дії.",
      en: "This is not a Diia QR code. Ask the customer to show the document's code in Diia.",
    },
  },
  code_bad_uuid: {
    severity: "warning",
    text: {
      uk: "QR-код Дії прочитано не повністю. Зіскануйте його ще раз.",
      en: "The Diia QR code was not read completely. Scan it again.",
    },
  },
  code_unrecognised: {
    severity: "warning",
    text: {
      uk: "Це не код з Дії: потрібні 13 цифр або QR-код документа в Дії.",
      en: "This is not a Diia code: 13 digits or the QR code of a document in Diia are needed.",
    },
  },
  internal: {
    severity: "error",
    text: {
      uk: "Внутрішня помилка програми. Повідомте адміністратора.",
      en: "Internal error in the application. Tell your administrator.",
    },
  },
};

/** Turns whatever an IPC rejection carried into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (typeof raw === "object" && raw !== null && "code" in raw) {
    const r = raw as { code: unknown; message?: unknown };
    return { code: String(r.code), message: String(r.message ?? "") };
  }
  return { code: "internal", message: String(raw) };
}

/** The clerk-facing text and severity for an error code, in the current language. */
export function describe(
  error: AppError,
  language: Lang = lang(),
): { severity: Severity; text: string } {
  const entry = TABLE[error.code] ?? TABLE.internal;
  if (!entry) throw new Error("error table lacks its fallback entry");
  return { severity: entry.severity, text: entry.text[language] };
}

/** Codes the table knows; used by a test that keeps it in step with the backend. */
export const knownCodes = (): string[] => Object.keys(TABLE);
