// Names of Diia's document types (sharing-scope ids) for the clerk, in both languages.
import type { Lang } from "./i18n";

const NAMES: Record<string, Record<Lang, string>> = {
  passport: { uk: "Паспорт (будь-який)", en: "Passport (any)" },
  "internal-passport": {
    uk: "Паспорт громадянина України (ID-картка)",
    en: "Ukrainian passport (ID card)",
  },
  "foreign-passport": { uk: "Закордонний паспорт", en: "Passport for travel abroad" },
  "taxpayer-card": { uk: "РНОКПП", en: "Taxpayer number (RNOKPP)" },
  "reference-internally-displaced-person": {
    uk: "Довідка ВПО",
    en: "Internally displaced person certificate",
  },
  "birth-certificate": { uk: "Свідоцтво про народження", en: "Birth certificate" },
  "driver-license": { uk: "Посвідчення водія", en: "Driving licence" },
  "vehicle-license": {
    uk: "Свідоцтво про реєстрацію ТЗ (техпаспорт)",
    en: "Vehicle registration certificate",
  },
  "student-id-card": { uk: "Студентський квиток", en: "Student ID card" },
  "pension-card": { uk: "Пенсійне посвідчення", en: "Pension certificate" },
  "education-document": { uk: "Документ про освіту", en: "Education document" },
  "veteran-certificate": { uk: "Посвідчення ветерана війни", en: "War veteran certificate" },
  "name-change-act-record": {
    uk: "Витяг про зміну імені",
    en: "Name change record extract",
  },
  "marriage-act-record": { uk: "Витяг про шлюб", en: "Marriage record extract" },
  "divorce-act-record": { uk: "Витяг про розірвання шлюбу", en: "Divorce record extract" },
};

/** The clerk-facing name of a document type; unknown types show their id. */
export const docTypeName = (type: string, lang: Lang): string => NAMES[type]?.[lang] ?? type;

/** Types with a name; used by tests. */
export const knownDocTypes = (): string[] => Object.keys(NAMES);
