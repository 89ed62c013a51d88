// Interface language (Ukrainian by default, English switchable) and the UI's own strings.
export type Lang = "uk" | "en";

let current: Lang = "uk";

export const lang = (): Lang => current;
export const setLang = (l: Lang): void => {
  current = l;
  document.documentElement.lang = l;
};

const STRINGS = {
  appTitle: { uk: "Вікно", en: "Vikno" },
  sandbox: { uk: "Пісочниця (симулятор Дії)", en: "Sandbox (Diia simulator)" },
  codeLabel: { uk: "Код з Дії", en: "Diia code" },
  codeHint: {
    uk: "Зіскануйте штрихкод або QR-код, або введіть 13 цифр і натисніть Enter",
    en: "Scan the barcode or QR code, or type the 13 digits and press Enter",
  },
  actionRequest: { uk: "Запит копій документів", en: "Request document copies" },
  actionValidate: { uk: "Перевірка дійсності", en: "Check validity" },
  codeAccepted: { uk: "Код прийнято", en: "Code accepted" },
  submit: { uk: "Надіслати", en: "Submit" },
} as const;

export type StringKey = keyof typeof STRINGS;

/** The UI string for a key in the current language. */
export const t = (key: StringKey): string => STRINGS[key][current];
