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
  diia_code_expired: {
    severity: "warning",
    text: {
      uk: "Час дії коду минув. Попросіть клієнта оновити код у Дії.",
      en: "The code has expired. Ask the customer to refresh the code in Diia.",
    },
  },
  diia_code_used: {
    severity: "warning",
    text: {
      uk: "Цей код уже використано. Попросіть клієнта показати новий код.",
      en: "This code was already used. Ask the customer for a new code.",
    },
  },
  diia_code_unknown: {
    severity: "warning",
    text: {
      uk: "Дія не знає такого коду. Перевірте цифри або попросіть новий код.",
      en: "Diia does not know this code. Check the digits or ask for a new code.",
    },
  },
  diia_type_not_allowed: {
    severity: "error",
    text: {
      uk: "Відділенню не дозволено запитувати або перевіряти цей тип документа.",
      en: "This branch may not request or check this document type.",
    },
  },
  diia_unauthorized: {
    severity: "error",
    text: {
      uk: "Дія не прийняла облікові дані партнера. Повідомте адміністратора (налаштування, F9).",
      en: "Diia rejected the partner credentials. Tell your administrator (Settings, F9).",
    },
  },
  diia_unavailable: {
    severity: "error",
    text: {
      uk: "Сервіс Дії тимчасово недоступний. Спробуйте за хвилину.",
      en: "The Diia service is temporarily unavailable. Try again in a minute.",
    },
  },
  diia_network: {
    severity: "error",
    text: {
      uk: "Немає зв'язку з Дією. Перевірте мережу і спробуйте ще раз.",
      en: "No connection to Diia. Check the network and try again.",
    },
  },
  diia_timeout: {
    severity: "error",
    text: {
      uk: "Дія не відповіла вчасно. Спробуйте ще раз.",
      en: "Diia did not answer in time. Try again.",
    },
  },
  diia_validation: {
    severity: "error",
    text: {
      uk: "Дія відхилила запит як некоректний. Перевірте налаштування відділення.",
      en: "Diia rejected the request as invalid. Check the branch settings.",
    },
  },
  diia_unexpected: {
    severity: "error",
    text: {
      uk: "Неочікувана відповідь Дії. Спробуйте ще раз; якщо повториться — повідомте адміністратора.",
      en: "Unexpected answer from Diia. Try again; if it repeats, tell your administrator.",
    },
  },
  request_refused: {
    severity: "warning",
    text: {
      uk: "Клієнт відмовився передати документи.",
      en: "The customer declined to share the documents.",
    },
  },
  request_document_missing: {
    severity: "warning",
    text: {
      uk: "У клієнта в Дії немає запитаного документа.",
      en: "The customer has no such document in Diia.",
    },
  },
  request_expired: {
    severity: "warning",
    text: {
      uk: "Клієнт не підтвердив передачу вчасно: час коду минув. Попросіть новий код.",
      en: "The customer did not confirm in time: the code expired. Ask for a new code.",
    },
  },
  request_delivery_failed: {
    severity: "error",
    text: {
      uk: "Документи не вдалося отримати або перевірити. Попросіть новий код і спробуйте ще раз.",
      en: "The documents could not be received or verified. Ask for a new code and try again.",
    },
  },
  request_cancelled: {
    severity: "info",
    text: { uk: "Запит скасовано.", en: "The request was cancelled." },
  },
  validate_needs_barcode: {
    severity: "warning",
    text: {
      uk: "Для перевірки дійсності потрібен штрихкод документа (13 цифр), а не QR-код.",
      en: "A validity check needs the document's barcode (13 digits), not the QR code.",
    },
  },
  desk_not_ready: {
    severity: "error",
    text: {
      uk: "Робоче місце ще не налаштоване. Керівник має завершити налаштування (F9).",
      en: "The desk is not set up yet. A supervisor must complete Settings (F9).",
    },
  },
  store_unavailable: {
    severity: "error",
    text: {
      uk: "Сховище документів недоступне. Повідомте адміністратора.",
      en: "The document store is unavailable. Tell your administrator.",
    },
  },
  keychain_unavailable: {
    severity: "error",
    text: {
      uk: "Сховище ключів системи недоступне. Повідомте адміністратора.",
      en: "The system keychain is unavailable. Tell your administrator.",
    },
  },
  config_invalid: {
    severity: "error",
    text: {
      uk: "Налаштування неповні або помилкові. Перевірте їх (F9).",
      en: "The settings are incomplete or wrong. Check them (F9).",
    },
  },
  key_container_wrong_password: {
    severity: "error",
    text: {
      uk: "Невірний пароль ключа.",
      en: "Wrong key password.",
    },
  },
  key_container_invalid: {
    severity: "error",
    text: {
      uk: "Файл ключа пошкоджений або має невідомий формат.",
      en: "The key file is damaged or in an unknown format.",
    },
  },
  certificate_invalid: {
    severity: "error",
    text: {
      uk: "Сертифікат не прочитано або він недійсний.",
      en: "A certificate could not be read or is not valid.",
    },
  },
  pin_wrong: {
    severity: "warning",
    text: { uk: "Невірний PIN. Спробуйте ще раз.", en: "Wrong PIN. Try again." },
  },
  pin_locked: {
    severity: "error",
    text: {
      uk: "Забагато невірних спроб PIN. Зачекайте кілька хвилин.",
      en: "Too many wrong PIN attempts. Wait a few minutes.",
    },
  },
  not_found: {
    severity: "warning",
    text: {
      uk: "Запис не знайдено: можливо, його вже видалено за строком зберігання.",
      en: "Not found: it may have been purged after its retention period.",
    },
  },
  export_failed: {
    severity: "error",
    text: {
      uk: "Не вдалося зберегти файл. Перевірте місце на диску і права доступу.",
      en: "The file could not be saved. Check disk space and permissions.",
    },
  },
  sandbox_only: {
    severity: "warning",
    text: {
      uk: "Ця функція працює лише в режимі пісочниці.",
      en: "This works in sandbox mode only.",
    },
  },
  camera_unavailable: {
    severity: "warning",
    text: {
      uk: "Камера недоступна. Перевірте підключення або введіть код вручну.",
      en: "The camera is unavailable. Check it is connected or type the code.",
    },
  },
  scanner_unavailable: {
    severity: "warning",
    text: {
      uk: "Сканер недоступний. Перевірте підключення або введіть код вручну.",
      en: "The scanner is unavailable. Check it is connected or type the code.",
    },
  },
  age_invalid: {
    severity: "warning",
    text: {
      uk: "Мінімальний вік — ціле число від 1 до 150 (або залиште поле порожнім).",
      en: "The minimum age is a whole number from 1 to 150 (or leave it empty).",
    },
  },
  pin_too_short: {
    severity: "warning",
    text: {
      uk: "Новий PIN має складатися щонайменше з 4 цифр.",
      en: "A new PIN must have at least 4 digits.",
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
