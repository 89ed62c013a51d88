// Interface language (Ukrainian by default, English switchable) and the UI's own strings.
import { type Lang, language } from "./lang.svelte";

export type { Lang };

export const lang = (): Lang => language.current;
export const setLang = (l: Lang): void => {
  language.current = l;
  if (typeof document !== "undefined") document.documentElement.lang = l;
};

/** BCP 47 locale for dates and numbers in the current language. */
export const locale = (): string => (language.current === "uk" ? "uk-UA" : "en-GB");

const STRINGS = {
  appTitle: { uk: "Вікно", en: "Vikno" },
  sandbox: { uk: "Пісочниця (симулятор Дії)", en: "Sandbox (Diia simulator)" },
  modeDiiaTest: { uk: "Тестовий контур Дії", en: "Diia test" },
  modeProduction: { uk: "Робочий режим", en: "Production" },
  langToggle: { uk: "English", en: "Українська" },
  langToggleHint: { uk: "Мова інтерфейсу (Alt+L)", en: "Interface language (Alt+L)" },
  mute: { uk: "Вимкнути звук", en: "Mute" },
  soundOn: { uk: "Звук: увімк.", en: "Sound: on" },
  soundOff: { uk: "Звук: вимк.", en: "Sound: off" },
  unmute: { uk: "Увімкнути звук", en: "Unmute" },
  navLabel: { uk: "Розділи", en: "Sections" },
  navScan: { uk: "Сканування", en: "Scan" },
  navHistory: { uk: "Історія", en: "History" },
  navPhone: { uk: "Телефон клієнта", en: "Customer phone" },
  navSettings: { uk: "Налаштування", en: "Settings" },
  escHint: { uk: "Esc — до сканування", en: "Esc — back to Scan" },
  loading: { uk: "Завантаження…", en: "Loading…" },
  openSettings: { uk: "Відкрити налаштування (F9)", en: "Open Settings (F9)" },
  startupFailed: { uk: "Робоче місце не готове", en: "The desk is not ready" },

  lockTitle: { uk: "Екран заблоковано", en: "Screen locked" },
  lockHint: {
    uk: "Введіть PIN працівника і натисніть Enter",
    en: "Enter the clerk PIN and press Enter",
  },
  unlockPin: { uk: "PIN працівника", en: "Clerk PIN" },

  codeLabel: { uk: "Код з Дії", en: "Diia code" },
  codeHint: {
    uk: "Зіскануйте штрихкод або QR-код, або введіть 13 цифр і натисніть Enter",
    en: "Scan the barcode or QR code, or type the 13 digits and press Enter",
  },
  actionLabel: { uk: "Дія", en: "Action" },
  actionRequest: { uk: "Запит копій документів", en: "Request document copies" },
  actionValidate: { uk: "Перевірка дійсності", en: "Check validity" },
  codeAccepted: { uk: "Код прийнято", en: "Code accepted" },
  submit: { uk: "Надіслати", en: "Submit" },
  doctypesLabel: { uk: "Документи для запиту", en: "Documents to request" },
  doctypesHint: {
    uk: "Нічого не позначено — те, чим поділиться клієнт",
    en: "Nothing ticked — whatever the customer shares",
  },
  noSharingTypes: {
    uk: "Для цього відділення немає дозволених типів документів.",
    en: "This branch may not request any document type.",
  },
  purposeLabel: { uk: "Мета обробки", en: "Purpose of processing" },
  noPurposes: {
    uk: "Мети обробки не налаштовано (F9).",
    en: "No purposes are configured (F9).",
  },
  ageLabel: { uk: "Мінімальний вік (необов'язково)", en: "Minimum age (optional)" },
  ageHint: { uk: "Порожньо — без перевірки віку", en: "Empty — no age check" },
  cameraOn: { uk: "Увімкнути камеру", en: "Camera on" },
  cameraOff: { uk: "Вимкнути камеру", en: "Camera off" },
  cameraPreview: { uk: "Зображення з камери", en: "Camera preview" },
  scannerLabel: { uk: "Сканери", en: "Scanners" },
  scannerWedge: { uk: "клавіатурний: готовий", en: "keyboard: ready" },
  serialOff: { uk: "COM-порт: вимкнено", en: "serial: off" },
  serialConnected: { uk: "COM-порт: підключено", en: "serial: connected" },
  serialDisconnected: { uk: "COM-порт: немає зв'язку", en: "serial: disconnected" },
  cameraStateOff: { uk: "камера: вимкнена", en: "camera: off" },
  cameraStateStarting: { uk: "камера: вмикається", en: "camera: starting" },
  cameraStateOn: { uk: "камера: увімкнена", en: "camera: on" },
  cameraStateUnavailable: { uk: "камера: недоступна", en: "camera: unavailable" },
  scannerUnknown: { uk: "стан невідомий", en: "state unknown" },
  sending: { uk: "Надсилаємо…", en: "Sending…" },

  progressTitle: { uk: "Запит копій", en: "Copy request" },
  codeLife: { uk: "Код діє ще", en: "Code valid for" },
  codeLifeOver: { uk: "Час коду минув", en: "The code's time is over" },
  cancel: { uk: "Скасувати запит (Ctrl+X)", en: "Cancel request (Ctrl+X)" },
  newCode: { uk: "Новий код (Enter)", en: "New code (Enter)" },
  requestId: { uk: "Запит", en: "Request" },
  state_sending: { uk: "Надсилаємо запит до Дії…", en: "Sending the request to Diia…" },
  state_waiting: {
    uk: "Чекаємо: клієнт має підтвердити передачу в Дії",
    en: "Waiting for the customer to confirm sharing in Diia",
  },
  state_confirmed: {
    uk: "Клієнт підтвердив. Отримуємо документи…",
    en: "The customer confirmed. Receiving the documents…",
  },
  state_delivered: { uk: "Документи отримано", en: "Documents received" },
  state_refused: { uk: "Клієнт відмовився", en: "The customer refused" },
  state_document_missing: { uk: "Документа немає", en: "Document missing" },
  state_expired: { uk: "Час коду минув", en: "Code expired" },
  state_failed: { uk: "Помилка", en: "Failed" },
  state_cancelled: { uk: "Скасовано", en: "Cancelled" },

  documentTitle: { uk: "Документ", en: "Document" },
  docTabs: { uk: "Отримані документи", en: "Received documents" },
  pdfLabel: { uk: "Копія документа (PDF)", en: "Document copy (PDF)" },
  pdfRendering: { uk: "Відображаємо копію…", en: "Rendering the copy…" },
  fieldsTitle: { uk: "Дані документа", en: "Document data" },
  copy: { uk: "Копіювати", en: "Copy" },
  copyHint: {
    uk: "Клавіші 1–9 копіюють відповідне поле",
    en: "Keys 1–9 copy the matching field",
  },
  copied: { uk: "Скопійовано", en: "Copied" },
  badgeTitle: { uk: "Підпис перевірено", en: "Signature verified" },
  badgeSigner: { uk: "Підписав", en: "Signed by" },
  badgeSerial: { uk: "Серійний номер сертифіката", en: "Certificate serial" },
  badgeSignedAt: { uk: "Час підпису", en: "Signed at" },
  badgeVerifiedAgainst: { uk: "Перевірено за сертифікатом", en: "Verified against" },
  badgeVerifiedAt: { uk: "Час перевірки", en: "Verified at" },
  notStated: { uk: "не зазначено", en: "not stated" },
  print: { uk: "Друк", en: "Print" },
  exportPdf: { uk: "Зберегти PDF", en: "Export PDF" },
  exportedTo: { uk: "Збережено:", en: "Saved to:" },
  receivedAt: { uk: "Отримано", en: "Received" },
  phoneNotProof: {
    uk: "Екран телефону клієнта не є доказом: довіряйте лише результату з Дії.",
    en: "The customer's phone screen is not proof: trust only Diia's answer.",
  },

  verdictTitle: { uk: "Результат перевірки", en: "Validation result" },
  outcome_valid: { uk: "Документ дійсний", en: "Document is valid" },
  outcome_not_valid: { uk: "Документ НЕ дійсний", en: "Document is NOT valid" },
  outcome_code_expired: { uk: "Час коду минув", en: "The code has expired" },
  outcome_code_used: { uk: "Код уже використано", en: "The code was already used" },
  outcome_code_unknown: { uk: "Код невідомий", en: "Unknown code" },
  outcome_type_not_allowed: {
    uk: "Цей тип документа не дозволено перевіряти",
    en: "This document type may not be checked",
  },
  askFreshCode: {
    uk: "Попросіть клієнта оновити код у Дії і покажіть новий.",
    en: "Ask the customer for a fresh code in Diia.",
  },
  ageOk: { uk: "Повнолітність підтверджено (≥ {n})", en: "Of age (≥ {n})" },
  ageNotConfirmed: { uk: "Вік ≥ {n} не підтверджено", en: "Age ≥ {n} not confirmed" },
  elapsed: { uk: "Відповідь за {n} мс", en: "Answered in {n} ms" },
  backToScan: { uk: "Enter або Esc — новий код", en: "Enter or Esc — next code" },

  historyTitle: { uk: "Історія запитів", en: "Request history" },
  search: { uk: "Пошук (номер запиту, тип, мета)", en: "Search (request id, type, purpose)" },
  stateFilter: { uk: "Стан", en: "State" },
  anyState: { uk: "Будь-який", en: "Any" },
  dateFrom: { uk: "З дати", en: "From" },
  dateTo: { uk: "По дату", en: "To" },
  colCreated: { uk: "Створено", en: "Created" },
  colPurpose: { uk: "Мета", en: "Purpose" },
  colTypes: { uk: "Документи", en: "Documents" },
  colState: { uk: "Стан", en: "State" },
  colOpen: { uk: "Відкрити", en: "Open" },
  historyEmpty: { uk: "Записів немає.", en: "No records." },
  historyKeys: {
    uk: "↑/↓ — вибір рядка, Enter — відкрити перший документ",
    en: "↑/↓ — choose a row, Enter — open its first document",
  },
  purgedDocs: { uk: "(документи видалено)", en: "(documents purged)" },
  anyType: { uk: "будь-який", en: "any" },
  purge: { uk: "Видалити прострочені зараз", en: "Purge expired now" },
  purged: { uk: "Видалено записів: {n}", en: "Purged: {n}" },

  settingsTitle: { uk: "Налаштування", en: "Settings" },
  supervisorPin: { uk: "PIN керівника", en: "Supervisor PIN" },
  supervisorPinHint: {
    uk: "Введіть PIN керівника і натисніть Enter",
    en: "Enter the supervisor PIN and press Enter",
  },
  environment: { uk: "Середовище", en: "Environment" },
  baseUrl: { uk: "Адреса API Дії", en: "Diia API base URL" },
  branch: { uk: "Відділення", en: "Branch" },
  noBranch: { uk: "— не вибрано —", en: "— none —" },
  newBranchName: { uk: "Назва нового відділення", en: "New branch name" },
  createBranch: { uk: "Створити відділення", en: "Create branch" },
  branchCreated: { uk: "Відділення створено", en: "Branch created" },
  acquirerToken: { uk: "Токен партнера (acquirer token)", en: "Acquirer token" },
  secretStored: {
    uk: "збережено у сховищі ключів; порожньо — не змінювати",
    en: "stored in the keychain; empty keeps it",
  },
  secretMissing: { uk: "не збережено", en: "not stored" },
  receiverListen: { uk: "Приймач: адреса прослуховування", en: "Receiver listen address" },
  receiverUrl: { uk: "Приймач: публічна адреса для Дії", en: "Receiver public URL for Diia" },
  keyPath: { uk: "Файл ключа (контейнер)", en: "Key container file" },
  keyPassword: { uk: "Пароль ключа", en: "Key password" },
  diiaCerts: {
    uk: "Сертифікати Дії (шлях на рядок)",
    en: "Diia certificates (one path per line)",
  },
  trustedCerts: {
    uk: "Довірені сертифікати (шлях на рядок)",
    en: "Trusted certificates (one path per line)",
  },
  idleLock: {
    uk: "Блокування після бездіяльності, с (0 — ніколи)",
    en: "Idle lock, s (0 = never)",
  },
  serialPort: { uk: "COM-порт сканера", en: "Scanner serial port" },
  cameraIndex: { uk: "Номер камери", en: "Camera index" },
  purposesTitle: { uk: "Мети обробки і строки зберігання", en: "Purposes and retention" },
  purposeId: { uk: "Код", en: "Id" },
  purposeUk: { uk: "Назва українською", en: "Ukrainian label" },
  purposeEn: { uk: "Назва англійською", en: "English label" },
  legalGround: { uk: "Правова підстава", en: "Legal ground" },
  retentionDays: { uk: "Зберігати, днів", en: "Retention, days" },
  addPurpose: { uk: "Додати мету", en: "Add purpose" },
  removePurpose: { uk: "Вилучити", en: "Remove" },
  ground_consent: { uk: "Згода суб'єкта", en: "Consent" },
  ground_law: { uk: "Дозвіл, наданий законом", en: "Permitted by law" },
  ground_contract: { uk: "Укладення чи виконання правочину", en: "Contract" },
  "ground_vital-interests": { uk: "Захист життєво важливих інтересів", en: "Vital interests" },
  "ground_legal-obligation": {
    uk: "Виконання обов'язку володільця за законом",
    en: "Legal obligation",
  },
  "ground_legitimate-interest": { uk: "Законний інтерес", en: "Legitimate interest" },
  save: { uk: "Зберегти (Ctrl+S)", en: "Save (Ctrl+S)" },
  saved: { uk: "Збережено", en: "Saved" },
  pinsTitle: { uk: "Зміна PIN-кодів", en: "Change PINs" },
  newClerkPin: { uk: "Новий PIN працівника", en: "New clerk PIN" },
  newSupervisorPin: { uk: "Новий PIN керівника", en: "New supervisor PIN" },
  setPin: { uk: "Змінити", en: "Change" },
  pinChanged: { uk: "PIN змінено", en: "PIN changed" },
  sandboxHint: {
    uk: "Пісочниця: запити йдуть до вбудованого симулятора Дії, ключі й токен тестові. Значення нижче діють у режимах «Тестовий контур» і «Робочий».",
    en: "Sandbox: requests go to the embedded Diia simulator with test keys and token. The values below apply in Diia test and production.",
  },
  simulatorAt: { uk: "Симулятор", en: "Simulator" },
  receiverAt: { uk: "Приймач", en: "Receiver" },

  phoneTitle: { uk: "Телефон клієнта (пісочниця)", en: "Customer phone (sandbox)" },
  phonePerson: { uk: "Тестова особа", en: "Test person" },
  phoneShare: { uk: "Поділитися", en: "Share" },
  phoneHint: {
    uk: "Покажіть цей екран камері або введіть цифри на екрані сканування.",
    en: "Show this screen to the webcam or type the digits on the Scan screen.",
  },
  docState_valid: { uk: "дійсний", en: "valid" },
  docState_expired: { uk: "прострочений", en: "expired" },
  docState_revoked: { uk: "анульований", en: "revoked" },
  barcodeAlt: { uk: "Штрихкод EAN-13", en: "EAN-13 barcode" },
  qrAlt: { uk: "QR-код", en: "QR code" },
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof STRINGS;

/** The UI string for a key in the current language; `{name}` placeholders take `vars`. */
export const t = (key: StringKey, vars?: Record<string, string | number>): string => {
  let s: string = STRINGS[key][language.current];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
};

/** A string by a key built at run time (state or outcome names), or `fallback` when unknown. */
export const tDyn = (key: string, fallback: string): string =>
  key in STRINGS ? t(key as StringKey) : fallback;

/** Every key with both texts; used by the completeness test. */
export const allStrings = (): [string, Record<Lang, string>][] => Object.entries(STRINGS);
