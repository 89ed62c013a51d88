//! A delivered document's metadata as labelled fields for the clerk's screen: the stable keys of
//! `diia::DocumentMetadata::fields` with their Ukrainian and English labels.

use std::borrow::Cow;

use serde::Serialize;

/// One field as shown and copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelledField {
    /// Stable key (`last_name`, …; dotted JSON paths for unknown types).
    pub key: String,
    /// Ukrainian label.
    pub label_uk: String,
    /// English label.
    pub label_en: String,
    /// The value as delivered.
    pub value: String,
}

/// Labels of the known keys; unknown keys are shown as they are.
const LABELS: &[(&str, &str, &str)] = &[
    ("last_name", "Прізвище", "Last name"),
    ("first_name", "Ім'я", "First name"),
    ("middle_name", "По батькові", "Patronymic"),
    ("last_name_en", "Прізвище (латиницею)", "Last name (Latin)"),
    ("first_name_en", "Ім'я (латиницею)", "First name (Latin)"),
    ("birth_date", "Дата народження", "Date of birth"),
    ("birth_place", "Місце народження", "Place of birth"),
    ("gender", "Стать", "Sex"),
    ("gender_en", "Стать (англ.)", "Sex (English)"),
    ("nationality", "Громадянство", "Nationality"),
    ("doc_number", "Номер документа", "Document number"),
    ("record_number", "Запис № (УНЗР)", "Record number (UNZR)"),
    ("taxpayer_number", "РНОКПП", "Taxpayer number"),
    ("issue_date", "Дата видачі", "Date of issue"),
    ("expiration_date", "Дійсний до", "Valid until"),
    ("department", "Орган, що видав", "Issuing authority"),
    ("department_en", "Орган, що видав (англ.)", "Issuing authority (English)"),
    ("residence", "Місце проживання", "Residence"),
    ("address", "Адреса", "Address"),
    ("address_registration", "Адреса реєстрації", "Registered address"),
    ("address_actual", "Фактична адреса", "Actual address"),
    ("address_birth", "Адреса народження", "Address of birth"),
    ("country_code", "Код країни", "Country code"),
    ("categories", "Категорії", "Categories"),
    ("serial_number", "Серія та номер", "Series and number"),
    ("series", "Серія", "Series"),
    ("number", "Номер", "Number"),
    ("license_plate", "Номерний знак", "Licence plate"),
    ("vin", "VIN", "VIN"),
    ("brand", "Марка", "Make"),
    ("model", "Модель", "Model"),
    ("make_year", "Рік випуску", "Year of manufacture"),
    ("color", "Колір", "Colour"),
    ("kind_body", "Тип кузова", "Body type"),
    ("fuel", "Пальне", "Fuel"),
    ("capacity", "Об'єм двигуна", "Engine capacity"),
    ("own_weight", "Маса без навантаження", "Unladen mass"),
    ("total_weight", "Повна маса", "Gross mass"),
    ("seats_number", "Кількість місць", "Seats"),
    ("standing_number", "Місць стоячи", "Standing places"),
    ("date_first_reg", "Дата першої реєстрації", "First registration"),
    ("date_reg", "Дата реєстрації", "Registration date"),
    ("owner_type", "Тип власника", "Owner type"),
    ("rank_category", "Категорія", "Category"),
    ("identity_number", "Документ, що посвідчує особу", "Identity document number"),
    ("identity_issue_date", "Дата видачі документа особи", "Identity document issued"),
    ("identity_department", "Орган, що видав документ особи", "Identity document authority"),
    ("idp_type", "Тип довідки", "Certificate type"),
    ("legal_representative", "Законний представник", "Legal representative"),
    ("act_name", "Актовий запис", "Civil act record"),
    ("act_registration_place", "Місце реєстрації акта", "Act registered at"),
    ("creation_date", "Дата складання", "Drawn up on"),
    ("child_last_name", "Прізвище дитини", "Child's last name"),
    ("child_first_name", "Ім'я дитини", "Child's first name"),
    ("child_middle_name", "По батькові дитини", "Child's patronymic"),
    ("child_birth_date", "Дата народження дитини", "Child's date of birth"),
    ("child_birth_place", "Місце народження дитини", "Child's place of birth"),
    ("child_citizenship", "Громадянство дитини", "Child's citizenship"),
    ("child_registration_place", "Місце реєстрації дитини", "Child's registration"),
    ("father_full_name", "Батько", "Father"),
    ("father_citizenship", "Громадянство батька", "Father's citizenship"),
    ("mother_full_name", "Мати", "Mother"),
    ("mother_citizenship", "Громадянство матері", "Mother's citizenship"),
    ("file_name", "Файл", "File"),
    ("id", "Ідентифікатор", "Identifier"),
];

/// Labels for `key`: the table's, else the key itself in both languages.
pub fn label(key: &str) -> (Cow<'static, str>, Cow<'static, str>) {
    match LABELS.iter().find(|(k, _, _)| *k == key) {
        Some((_, uk, en)) => (Cow::Borrowed(uk), Cow::Borrowed(en)),
        None => (Cow::Owned(key.to_owned()), Cow::Owned(key.to_owned())),
    }
}

/// The labelled fields of the document of type `doc_type` in a delivery's metadata JSON: the
/// first metadata entry of that type (a barcode delivery carries one), else of the first entry.
pub fn document_fields(
    metadata_json: &[u8],
    doc_type: &str,
) -> Result<Vec<LabelledField>, diia::MetadataError> {
    let meta = diia::Metadata::from_json(metadata_json)?;
    let doc = meta
        .documents
        .iter()
        .find(|d| d.document_type() == doc_type)
        .or_else(|| meta.documents.first());
    Ok(doc
        .map(|d| {
            d.fields()
                .into_iter()
                .map(|(key, value)| {
                    let (uk, en) = label(&key);
                    LabelledField {
                        key: key.into_owned(),
                        label_uk: uk.into_owned(),
                        label_en: en.into_owned(),
                        value,
                    }
                })
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_have_both_labels_and_unknown_keys_show_themselves() {
        let (uk, en) = label("doc_number");
        assert_eq!((uk.as_ref(), en.as_ref()), ("Номер документа", "Document number"));
        let (uk, en) = label("data.extra.thing");
        assert_eq!((uk.as_ref(), en.as_ref()), ("data.extra.thing", "data.extra.thing"));
        let mut keys: Vec<&str> = LABELS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), LABELS.len(), "no key is labelled twice");
    }

    #[test]
    fn fields_of_a_barcode_delivery() {
        let json = r#"{"barcode":"2858364170864","documentTypes":["internal-passport"],
            "data":{"internal-passport":[{"docNumber":"002307001","lastNameUA":"Дія",
            "firstNameUA":"Надія","middleNameUA":"Володимирівна"}]}}"#
            .as_bytes();
        let fields = document_fields(json, "internal-passport").unwrap();
        let number = fields.iter().find(|f| f.key == "doc_number").expect("doc number");
        assert_eq!(number.value, "002307001");
        assert_eq!(number.label_en, "Document number");
        assert!(document_fields(b"not json", "internal-passport").is_err());
    }
}
