//! Fictional test persons and their documents, with metadata in Diia's delivery schema
//! (diia-api.md §6.5) for the seven known types and a generic schema for the rest.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The 15 sharing-scope ids of diia-api.md §7. `passport` is a scope alias (ID card or foreign
/// passport, whichever is shared); documents always have one of the 14 concrete types.
pub const SHARING_TYPES: [&str; 15] = [
    "passport",
    "internal-passport",
    "foreign-passport",
    "taxpayer-card",
    "reference-internally-displaced-person",
    "birth-certificate",
    "driver-license",
    "vehicle-license",
    "student-id-card",
    "pension-card",
    "education-document",
    "veteran-certificate",
    "name-change-act-record",
    "marriage-act-record",
    "divorce-act-record",
];

/// True when a branch scope list allows sharing/validating a document of `doc_type`.
pub fn scope_allows(scopes: &[String], doc_type: &str) -> bool {
    scopes.iter().any(|s| {
        s == doc_type
            || (s == "passport"
                && (doc_type == "internal-passport" || doc_type == "foreign-passport"))
    })
}

/// Ukrainian title of a document type, printed on the PDF copy.
pub fn type_title(doc_type: &str) -> &'static str {
    match doc_type {
        "internal-passport" => "Паспорт громадянина України (ID-картка)",
        "foreign-passport" => "Паспорт громадянина України для виїзду за кордон",
        "taxpayer-card" => "Картка платника податків (РНОКПП)",
        "reference-internally-displaced-person" => "Довідка внутрішньо переміщеної особи",
        "birth-certificate" => "Свідоцтво про народження",
        "driver-license" => "Посвідчення водія",
        "vehicle-license" => "Свідоцтво про реєстрацію транспортного засобу",
        "student-id-card" => "Студентський квиток",
        "pension-card" => "Пенсійне посвідчення",
        "education-document" => "Документ про освіту",
        "veteran-certificate" => "Посвідчення ветерана війни",
        "name-change-act-record" => "Витяг з актового запису про зміну імені",
        "marriage-act-record" => "Витяг з актового запису про шлюб",
        "divorce-act-record" => "Витяг з актового запису про розірвання шлюбу",
        _ => "Документ",
    }
}

/// Ukrainian label of a metadata field, for the PDF copy (unknown keys are printed as is).
pub fn field_label(key: &str) -> &str {
    match key {
        "lastNameUA" | "lastName" => "Прізвище",
        "firstNameUA" | "firstName" => "Ім'я",
        "middleNameUA" | "middleName" => "По батькові",
        "lastNameEN" => "Surname",
        "firstNameEN" => "Given name",
        "birthday" | "birthDate" => "Дата народження",
        "birthPlaceUA" | "birthPlace" => "Місце народження",
        "genderUA" | "gender" => "Стать",
        "genderEN" => "Sex",
        "nationalityUA" => "Громадянство",
        "docNumber" => "Номер документа",
        "recordNumber" => "Запис № (УНЗР)",
        "taxpayerNumber" => "РНОКПП",
        "residenceUA" => "Зареєстроване місце проживання",
        "issueDate" => "Дата видачі",
        "expirationDate" => "Дійсний до",
        "department" | "departmentUA" => "Орган, що видав",
        "departmentEN" => "Authority",
        "countryCode" => "Код держави",
        "creationDate" => "Дата реєстрації",
        "categories" => "Категорії",
        "serialNumber" => "Серія та номер",
        "licensePlate" => "Номерний знак",
        "brand" => "Марка",
        "model" => "Модель",
        "vin" => "VIN",
        "color" => "Колір",
        "makeYear" => "Рік випуску",
        "ownerType" => "Власник / користувач",
        "address" => "Адреса",
        "docType" => "Тип довідки",
        "series" => "Серія",
        "number" => "Номер",
        "institution" => "Заклад",
        "faculty" => "Факультет",
        "actNumber" => "Номер актового запису",
        "registrationPlace" => "Місце реєстрації",
        "registrationDate" => "Дата реєстрації",
        "spouse" => "Інший з подружжя",
        "qualification" => "Кваліфікація",
        "status" => "Статус",
        _ => key,
    }
}

/// State of a document in the person's Diia app.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DocState {
    /// Valid and current.
    Valid,
    /// Past its expiration date.
    Expired,
    /// Revoked by the issuing registry.
    Revoked,
}

/// One document held by a test person.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Document id as used in the QR link.
    pub id: String,
    /// Concrete document type id.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Validity state.
    pub state: DocState,
    /// Metadata object exactly as delivered in `encodeData.data[<type>]`.
    pub metadata: Value,
}

/// A fictional person with documents.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Stable id (`p1` … `p6`).
    pub id: String,
    /// Full Ukrainian name for display.
    #[serde(rename = "fullName")]
    pub full_name: String,
    /// Birthday `dd.MM.yyyy`.
    pub birthday: String,
    /// Documents.
    pub documents: Vec<Document>,
}

struct Who {
    last: &'static str,
    first: &'static str,
    middle: &'static str,
    last_en: &'static str,
    first_en: &'static str,
    birthday: &'static str,
    birth_place: &'static str,
    female: bool,
    rnokpp: &'static str,
    residence: &'static str,
}

impl Who {
    fn full(&self) -> String {
        format!("{} {} {}", self.last, self.first, self.middle)
    }
    fn gender_ua(&self) -> &'static str {
        if self.female { "Ж" } else { "Ч" }
    }
    fn gender_en(&self) -> &'static str {
        if self.female { "F" } else { "M" }
    }
    /// `yyyymmdd` of the birthday, used in the ID-card record number.
    fn compact_birthday(&self) -> String {
        let p: Vec<&str> = self.birthday.split('.').collect();
        match p.as_slice() {
            [d, m, y] => format!("{y}{m}{d}"),
            _ => String::from("19700101"),
        }
    }
}

fn internal_passport(w: &Who, num: &str, issue: &str, exp: &str) -> Value {
    let id = format!("{}-{}-{}", w.compact_birthday(), &num[..4.min(num.len())], issue);
    json!({
        "id": id,
        "taxpayerNumber": w.rnokpp,
        "residenceUA": w.residence,
        "docNumber": num,
        "genderUA": w.gender_ua(),
        "nationalityUA": "Україна",
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday,
        "birthPlaceUA": w.birth_place,
        "issueDate": issue,
        "expirationDate": exp,
        "recordNumber": format!("{}-{}", w.compact_birthday(), &num[num.len().saturating_sub(5)..]),
        "department": "8031",
        "genderEN": w.gender_en(),
        "lastNameEN": w.last_en,
        "firstNameEN": w.first_en
    })
}

fn foreign_passport(w: &Who, num: &str, issue: &str, exp: &str) -> Value {
    json!({
        "taxpayerNumber": w.rnokpp,
        "residenceUA": w.residence,
        "docNumber": num,
        "genderUA": w.gender_ua(),
        "nationalityUA": "Україна",
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday,
        "birthPlaceUA": w.birth_place,
        "issueDate": issue,
        "expirationDate": exp,
        "recordNumber": format!("{}-{}", w.compact_birthday(), &num[num.len().saturating_sub(5)..]),
        "departmentUA": "4610",
        "departmentEN": "4610",
        "countryCode": "UKR",
        "genderEN": w.gender_en(),
        "lastNameEN": w.last_en,
        "firstNameEN": w.first_en
    })
}

fn taxpayer_card(w: &Who, created: &str) -> Value {
    json!({
        "creationDate": created,
        "docNumber": w.rnokpp,
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday
    })
}

fn driver_license(w: &Who, serial: &str, categories: &str, exp: &str) -> Value {
    json!({
        "expirationDate": exp,
        "categories": categories,
        "serialNumber": serial,
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday,
        "department": "ТСЦ 8041"
    })
}

fn vehicle_license(w: &Who) -> Value {
    json!({
        "licensePlate": "КА 1234 ВН",
        "docNumber": "СХН 482913",
        "brand": "ЗАЗ",
        "model": "ЛАНОС",
        "vin": "Y6DTF69Y0E0123456",
        "color": "СИНІЙ",
        "kindBody": "СЕДАН",
        "makeYear": "2014",
        "totalWeight": "1630",
        "ownWeight": "1160",
        "capacity": "1498",
        "fuel": "БЕНЗИН",
        "rankCategory": "B",
        "seatsNumber": "5",
        "standingNumber": "0",
        "dateFirstReg": "21.05.2014",
        "dateReg": "03.02.2021",
        "ownerType": "owner",
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday,
        "address": w.residence
    })
}

fn birth_certificate(w: &Who, father: &str, mother: &str) -> Value {
    json!({
        "id": "I-ЮР-204517",
        "document": {"series": "I-ЮР", "number": "204517", "department": "Шевченківський районний у місті Києві відділ ДРАЦС", "issueDate": "04.08.2009"},
        "child": {
            "lastName": w.last, "firstName": w.first, "middleName": w.middle,
            "birthDate": w.birthday, "birthPlace": w.birth_place,
            "currentRegistrationPlaceUA": w.residence, "citizenship": "Україна"
        },
        "parents": {
            "father": {"fullName": father, "citizenship": "Україна"},
            "mother": {"fullName": mother, "citizenship": "Україна"}
        },
        "act": {"name": "Актовий запис № 1187", "registrationPlace": "Шевченківський районний у місті Києві відділ ДРАЦС"}
    })
}

fn idp_reference(w: &Who) -> Value {
    json!({
        "docType": "person",
        "docNumber": "6311-5002471895",
        "department": "Управління соціального захисту населення Дніпровської РДА",
        "lastName": w.last,
        "firstName": w.first,
        "middleName": w.middle,
        "issueDate": "12.04.2022 10.15.32.000",
        "birthDate": w.birthday,
        "gender": if w.female { "Жінка" } else { "Чоловік" },
        "legalRepresentative": "",
        "docIdentity": {"number": "004512378", "issueDate": "19.06.2018", "department": "6310"},
        "address": {
            "birth": w.birth_place,
            "registration": "Донецька обл., м. Маріуполь, вул. Миру, буд. 12, кв. 4",
            "actual": w.residence
        }
    })
}

/// Generic schema for types without a public one: names, birthday, number, dates and a few
/// type-specific extras.
fn generic(w: &Who, number: &str, issue: &str, extra: Value) -> Value {
    let mut v = json!({
        "docNumber": number,
        "lastNameUA": w.last,
        "firstNameUA": w.first,
        "middleNameUA": w.middle,
        "birthday": w.birthday,
        "issueDate": issue
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
    v
}

fn doc(id: &str, doc_type: &str, state: DocState, metadata: Value) -> Document {
    Document { id: id.into(), doc_type: doc_type.into(), state, metadata }
}

/// The built-in test persons: six fictional people holding documents of all 14 concrete types,
/// among them expired and revoked documents.
pub fn test_persons() -> Vec<Person> {
    use DocState::{Expired, Revoked, Valid};
    let mariana = Who {
        last: "Коваль-Петренко",
        first: "Мар'яна",
        middle: "Олегівна",
        last_en: "Koval-Petrenko",
        first_en: "Mariana",
        birthday: "14.03.1992",
        birth_place: "м. Львів",
        female: true,
        rnokpp: "3375406281",
        residence: "м. Київ, вул. Січових Стрільців, буд. 21, кв. 7",
    };
    let oleksii = Who {
        last: "Дем'яненко",
        first: "Олексій",
        middle: "Іванович",
        last_en: "Demianenko",
        first_en: "Oleksii",
        birthday: "02.11.1985",
        birth_place: "м. Полтава",
        female: false,
        rnokpp: "3141907533",
        residence: "м. Полтава, вул. Соборності, буд. 40, кв. 12",
    };
    let yaroslava = Who {
        last: "Грищенко-Лук'янчук",
        first: "Ярослава",
        middle: "Андріївна",
        last_en: "Hryshchenko-Lukianchuk",
        first_en: "Yaroslava",
        birthday: "21.07.2009",
        birth_place: "м. Київ",
        female: true,
        rnokpp: "3996812540",
        residence: "м. Київ, просп. Берестейський, буд. 5, кв. 90",
    };
    let vasyl = Who {
        last: "П'ятничук",
        first: "Василь",
        middle: "Степанович",
        last_en: "Piatnychuk",
        first_en: "Vasyl",
        birthday: "05.01.1958",
        birth_place: "с. Криворівня, Івано-Франківська обл.",
        female: false,
        rnokpp: "2119300473",
        residence: "м. Івано-Франківськ, вул. Незалежності, буд. 3, кв. 1",
    };
    let zoriana = Who {
        last: "Об'єдкова-Шевчук",
        first: "Зоряна",
        middle: "Богданівна",
        last_en: "Obiedkova-Shevchuk",
        first_en: "Zoriana",
        birthday: "30.09.1979",
        birth_place: "м. Маріуполь, Донецька обл.",
        female: true,
        rnokpp: "2912716048",
        residence: "м. Дніпро, вул. Яворницького, буд. 60, кв. 33",
    };
    let ihor = Who {
        last: "В'юн-Семенко",
        first: "Ігор",
        middle: "Юрійович",
        last_en: "Viun-Semenko",
        first_en: "Ihor",
        birthday: "17.04.1990",
        birth_place: "м. Чернігів",
        female: false,
        rnokpp: "3292811957",
        residence: "м. Чернігів, вул. Шевченка, буд. 9",
    };

    vec![
        Person {
            id: "p1".into(),
            full_name: mariana.full(),
            birthday: mariana.birthday.into(),
            documents: vec![
                doc(
                    "d101",
                    "internal-passport",
                    Valid,
                    internal_passport(&mariana, "004817263", "12.09.2018", "12.09.2028"),
                ),
                doc("d102", "taxpayer-card", Valid, taxpayer_card(&mariana, "20.05.1992")),
                doc(
                    "d103",
                    "driver-license",
                    Valid,
                    driver_license(&mariana, "ЕХТ 302914", "B", "07.06.2049"),
                ),
                doc("d104", "vehicle-license", Valid, vehicle_license(&mariana)),
                doc(
                    "d105",
                    "education-document",
                    Valid,
                    generic(
                        &mariana,
                        "М14 № 048231",
                        "30.06.2014",
                        json!({"institution": "Львівський національний університет імені Івана Франка", "qualification": "Магістр права"}),
                    ),
                ),
            ],
        },
        Person {
            id: "p2".into(),
            full_name: oleksii.full(),
            birthday: oleksii.birthday.into(),
            documents: vec![
                doc(
                    "d201",
                    "foreign-passport",
                    Valid,
                    foreign_passport(&oleksii, "FX503918", "15.02.2021", "15.02.2031"),
                ),
                doc(
                    "d202",
                    "internal-passport",
                    Valid,
                    internal_passport(&oleksii, "001276548", "03.03.2017", "03.03.2027"),
                ),
                doc("d203", "taxpayer-card", Valid, taxpayer_card(&oleksii, "11.12.1985")),
                doc(
                    "d204",
                    "veteran-certificate",
                    Valid,
                    generic(
                        &oleksii,
                        "ЮА 017325",
                        "18.08.2023",
                        json!({"category": "Учасник бойових дій", "department": "Міністерство у справах ветеранів України"}),
                    ),
                ),
                doc(
                    "d205",
                    "marriage-act-record",
                    Valid,
                    generic(
                        &oleksii,
                        "2145",
                        "14.02.2015",
                        json!({"actNumber": "2145", "registrationPlace": "Полтавський міський відділ ДРАЦС", "spouse": "Дем'яненко Ірина Павлівна"}),
                    ),
                ),
            ],
        },
        Person {
            id: "p3".into(),
            full_name: yaroslava.full(),
            birthday: yaroslava.birthday.into(),
            documents: vec![
                doc(
                    "d301",
                    "internal-passport",
                    Valid,
                    internal_passport(&yaroslava, "009923814", "02.08.2023", "02.08.2027"),
                ),
                doc(
                    "d302",
                    "student-id-card",
                    Valid,
                    generic(
                        &yaroslava,
                        "КВ 13724015",
                        "01.09.2026",
                        json!({"institution": "Київський фаховий коледж зв'язку", "faculty": "Телекомунікації", "expirationDate": "30.06.2030"}),
                    ),
                ),
                doc(
                    "d303",
                    "birth-certificate",
                    Valid,
                    birth_certificate(
                        &yaroslava,
                        "Грищенко Андрій Миколайович",
                        "Лук'янчук Наталія Вікторівна",
                    ),
                ),
            ],
        },
        Person {
            id: "p4".into(),
            full_name: vasyl.full(),
            birthday: vasyl.birthday.into(),
            documents: vec![
                doc(
                    "d401",
                    "internal-passport",
                    Valid,
                    internal_passport(&vasyl, "000511327", "21.11.2019", "21.11.2029"),
                ),
                doc(
                    "d402",
                    "pension-card",
                    Valid,
                    generic(
                        &vasyl,
                        "ІФ 0873412",
                        "06.01.2018",
                        json!({"department": "ГУ ПФУ в Івано-Франківській області", "expirationDate": "безстроково"}),
                    ),
                ),
                doc(
                    "d403",
                    "divorce-act-record",
                    Valid,
                    generic(
                        &vasyl,
                        "317",
                        "22.10.2004",
                        json!({"actNumber": "317", "registrationPlace": "Івано-Франківський міський відділ ДРАЦС", "spouse": "П'ятничук Ганна Іванівна"}),
                    ),
                ),
                doc("d404", "taxpayer-card", Valid, taxpayer_card(&vasyl, "02.02.1995")),
            ],
        },
        Person {
            id: "p5".into(),
            full_name: zoriana.full(),
            birthday: zoriana.birthday.into(),
            documents: vec![
                doc(
                    "d501",
                    "reference-internally-displaced-person",
                    Valid,
                    idp_reference(&zoriana),
                ),
                doc(
                    "d502",
                    "internal-passport",
                    Expired,
                    internal_passport(&zoriana, "002144705", "10.10.2016", "10.10.2026"),
                ),
                doc(
                    "d503",
                    "name-change-act-record",
                    Valid,
                    generic(
                        &zoriana,
                        "88",
                        "19.03.2020",
                        json!({"actNumber": "88", "registrationPlace": "Дніпровський районний відділ ДРАЦС", "previousName": "Об'єдкова Зоряна Богданівна"}),
                    ),
                ),
                doc(
                    "d504",
                    "foreign-passport",
                    Valid,
                    foreign_passport(&zoriana, "GB118240", "01.06.2022", "01.06.2032"),
                ),
            ],
        },
        Person {
            id: "p6".into(),
            full_name: ihor.full(),
            birthday: ihor.birthday.into(),
            documents: vec![
                doc(
                    "d601",
                    "internal-passport",
                    Revoked,
                    internal_passport(&ihor, "003870019", "05.05.2020", "05.05.2030"),
                ),
                doc(
                    "d602",
                    "driver-license",
                    Valid,
                    driver_license(&ihor, "ВХН 771204", "B, C1", "17.04.2055"),
                ),
                doc(
                    "d603",
                    "foreign-passport",
                    Expired,
                    foreign_passport(&ihor, "ET298731", "20.01.2016", "20.01.2026"),
                ),
            ],
        },
    ]
}

/// Full years between a `dd.MM.yyyy` birthday and `today`; `None` if the birthday is malformed.
pub fn age_on(birthday: &str, today: time::Date) -> Option<i32> {
    let p: Vec<&str> = birthday.split('.').collect();
    let [d, m, y] = p.as_slice() else { return None };
    let (d, m, y): (u8, u8, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let mut age = today.year() - y;
    let (tm, td) = (u8::from(today.month()), today.day());
    if (tm, td) < (m, d) {
        age -= 1;
    }
    Some(age)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn all_concrete_types_present_with_expired_and_revoked() {
        let persons = test_persons();
        assert!(persons.len() >= 6);
        let types: BTreeSet<&str> =
            persons.iter().flat_map(|p| p.documents.iter().map(|d| d.doc_type.as_str())).collect();
        for t in SHARING_TYPES.iter().filter(|t| **t != "passport") {
            assert!(types.contains(t), "{t} missing");
        }
        let states: Vec<DocState> =
            persons.iter().flat_map(|p| p.documents.iter().map(|d| d.state)).collect();
        assert!(states.contains(&DocState::Expired));
        assert!(states.contains(&DocState::Revoked));
        let ids: BTreeSet<&str> =
            persons.iter().flat_map(|p| p.documents.iter().map(|d| d.id.as_str())).collect();
        assert_eq!(ids.len(), states.len(), "document ids are unique");
    }

    #[test]
    fn passport_scope_alias() {
        let s = vec!["passport".to_string()];
        assert!(scope_allows(&s, "internal-passport"));
        assert!(scope_allows(&s, "foreign-passport"));
        assert!(!scope_allows(&s, "taxpayer-card"));
    }

    #[test]
    fn ages() {
        let today = time::macros::date!(2026 - 12 - 03);
        assert_eq!(age_on("21.07.2009", today), Some(17));
        assert_eq!(age_on("03.12.2008", today), Some(18));
        assert_eq!(age_on("04.12.2008", today), Some(17));
        assert_eq!(age_on("bad", today), None);
    }
}
