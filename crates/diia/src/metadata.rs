//! Typed metadata of a delivery (`encodeData`, diia-api.md §6.5): the seven document types with
//! a known schema, tolerant of Diia's field-name drift and shapes; anything else kept raw.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

/// Why the metadata could not be typed. Texts name positions, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// Not valid JSON.
    #[error("metadata is not json: {0}")]
    NotJson(String),
    /// Valid JSON but not an object at the top.
    #[error("metadata is not a json object")]
    NotObject,
    /// `data` is present but not an object keyed by document type.
    #[error("metadata data is not an object")]
    DataNotObject,
}

pub(crate) fn describe_json_error(err: &serde_json::Error) -> String {
    format!("{:?} at line {}, column {}", err.classify(), err.line(), err.column())
}

/// The delivery's metadata. The barcode layout carries `barcode` and one object per type; the
/// deeplink layout `requestId` and arrays; both become a flat document list here.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// The customer's 13-digit code (barcode layout).
    pub barcode: Option<String>,
    /// The partner's request id (deeplink layout).
    pub request_id: Option<String>,
    /// `documentTypes` as sent (or the keys of `data` when absent).
    pub document_types: Vec<String>,
    /// One entry per document, ordered by `documentTypes`, then any other keys of `data`.
    pub documents: Vec<DocumentMetadata>,
}

impl Metadata {
    /// Parses decrypted metadata JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Self, MetadataError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|err| MetadataError::NotJson(describe_json_error(&err)))?;
        Self::from_value(&value)
    }

    /// Types an already parsed metadata JSON value.
    pub fn from_value(value: &Value) -> Result<Self, MetadataError> {
        let root = value.as_object().ok_or(MetadataError::NotObject)?;
        let data = match root.get("data") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(_) => return Err(MetadataError::DataNotObject),
        };
        let mut document_types: Vec<String> = match root.get("documentTypes") {
            Some(Value::Array(items)) => {
                items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
            }
            Some(Value::String(single)) => vec![single.clone()],
            _ => Vec::new(),
        };
        if document_types.is_empty() {
            document_types = data.keys().cloned().collect();
        }
        let mut order: Vec<&str> = document_types.iter().map(String::as_str).collect();
        order.extend(
            data.keys()
                .map(String::as_str)
                .filter(|key| !document_types.iter().any(|t| t.as_str() == *key)),
        );
        let mut documents = Vec::new();
        for document_type in order {
            match data.get(document_type) {
                Some(Value::Array(items)) => documents.extend(
                    items.iter().map(|item| DocumentMetadata::from_json(document_type, item)),
                ),
                Some(Value::Null) | None => {}
                Some(item) => documents.push(DocumentMetadata::from_json(document_type, item)),
            }
        }
        Ok(Self {
            barcode: text(root.get("barcode")),
            request_id: text(root.get("requestId")),
            document_types,
            documents,
        })
    }
}

/// The value at a dotted path, as display text: strings verbatim, numbers and booleans
/// printed, objects/arrays as compact JSON; null, missing and blank give `None`.
fn pick(map: &Map<String, Value>, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|path| {
        let mut segments = path.split('.');
        let first = segments.next()?;
        let mut value = map.get(first)?;
        for segment in segments {
            value = value.get(segment)?;
        }
        text(Some(value))
    })
}

fn text(value: Option<&Value>) -> Option<String> {
    let rendered = match value? {
        Value::Null => return None,
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    (!rendered.trim().is_empty()).then_some(rendered)
}

fn join_name(parts: &[&Option<String>]) -> Option<String> {
    let joined: Vec<&str> = parts.iter().filter_map(|part| part.as_deref()).collect();
    (!joined.is_empty()).then(|| joined.join(" "))
}

/// Declares a document struct whose fields are optional texts read from one or more JSON
/// paths (first present wins, so aliases like `birthday`/`birthDate` are tolerated), with the
/// stable display key of each field.
macro_rules! document_struct {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$field_meta:meta])* $field:ident => $key:literal from [$($path:literal),+ $(,)?] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: Option<String>, )*
        }

        impl $name {
            /// Reads the fields from one metadata object (missing fields stay `None`).
            pub fn from_map(map: &Map<String, Value>) -> Self {
                Self { $( $field: pick(map, &[$($path),+]), )* }
            }

            /// The present fields as `(stable key, value)`, in display order. Keys are
            /// snake_case and shared across document types (`last_name`, `birth_date`, …).
            pub fn fields(&self) -> Vec<(&'static str, String)> {
                let mut fields = Vec::new();
                $( if let Some(value) = &self.$field { fields.push(($key, value.clone())); } )*
                fields
            }
        }
    };
}

document_struct! {
    /// `internal-passport` (ID-card passport).
    InternalPassport {
        /// Прізвище.
        last_name => "last_name" from ["lastNameUA", "lastName"],
        /// Ім'я.
        first_name => "first_name" from ["firstNameUA", "firstName"],
        /// По батькові.
        middle_name => "middle_name" from ["middleNameUA", "middleName"],
        /// Date of birth, `dd.MM.yyyy`.
        birth_date => "birth_date" from ["birthday", "birthDate"],
        /// Place of birth.
        birth_place => "birth_place" from ["birthPlaceUA", "birthPlace"],
        /// Gender, Ukrainian letter.
        gender => "gender" from ["genderUA", "gender"],
        /// Nationality.
        nationality => "nationality" from ["nationalityUA", "nationality"],
        /// Document number.
        doc_number => "doc_number" from ["docNumber"],
        /// Record number in the demographic register (УНЗР).
        record_number => "record_number" from ["recordNumber"],
        /// Taxpayer number (РНОКПП).
        taxpayer_number => "taxpayer_number" from ["taxpayerNumber"],
        /// Issuing authority code.
        department => "department" from ["department", "departmentUA"],
        /// Issue date.
        issue_date => "issue_date" from ["issueDate"],
        /// Expiry date.
        expiration_date => "expiration_date" from ["expirationDate"],
        /// Registered residence.
        residence => "residence" from ["residenceUA", "residence"],
        /// Surname in Latin letters.
        last_name_en => "last_name_en" from ["lastNameEN"],
        /// Given name in Latin letters.
        first_name_en => "first_name_en" from ["firstNameEN"],
        /// Gender in Latin letters.
        gender_en => "gender_en" from ["genderEN"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part, when given.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `foreign-passport` (biometric passport for travel abroad).
    ForeignPassport {
        /// Прізвище.
        last_name => "last_name" from ["lastNameUA", "lastName"],
        /// Ім'я.
        first_name => "first_name" from ["firstNameUA", "firstName"],
        /// По батькові.
        middle_name => "middle_name" from ["middleNameUA", "middleName"],
        /// Date of birth.
        birth_date => "birth_date" from ["birthday", "birthDate"],
        /// Place of birth.
        birth_place => "birth_place" from ["birthPlaceUA", "birthPlace"],
        /// Gender, Ukrainian letter.
        gender => "gender" from ["genderUA", "gender"],
        /// Nationality.
        nationality => "nationality" from ["nationalityUA", "nationality"],
        /// Document number.
        doc_number => "doc_number" from ["docNumber"],
        /// Record number (УНЗР).
        record_number => "record_number" from ["recordNumber"],
        /// Taxpayer number (РНОКПП).
        taxpayer_number => "taxpayer_number" from ["taxpayerNumber"],
        /// Issuing authority.
        department => "department" from ["departmentUA", "department"],
        /// Issuing authority in Latin letters.
        department_en => "department_en" from ["departmentEN"],
        /// Issuing country code (`UKR`).
        country_code => "country_code" from ["countryCode"],
        /// Issue date.
        issue_date => "issue_date" from ["issueDate"],
        /// Expiry date.
        expiration_date => "expiration_date" from ["expirationDate"],
        /// Registered residence.
        residence => "residence" from ["residenceUA", "residence"],
        /// Surname in Latin letters.
        last_name_en => "last_name_en" from ["lastNameEN"],
        /// Given name in Latin letters.
        first_name_en => "first_name_en" from ["firstNameEN"],
        /// Gender in Latin letters.
        gender_en => "gender_en" from ["genderEN"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `taxpayer-card` (РНОКПП card).
    TaxpayerCard {
        /// Прізвище.
        last_name => "last_name" from ["lastNameUA", "lastName"],
        /// Ім'я.
        first_name => "first_name" from ["firstNameUA", "firstName"],
        /// По батькові.
        middle_name => "middle_name" from ["middleNameUA", "middleName"],
        /// Date of birth.
        birth_date => "birth_date" from ["birthday", "birthDate"],
        /// The taxpayer number (РНОКПП).
        doc_number => "doc_number" from ["docNumber"],
        /// Date the number was assigned.
        creation_date => "creation_date" from ["creationDate"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `driver-license`.
    DriverLicense {
        /// Прізвище.
        last_name => "last_name" from ["lastNameUA", "lastName"],
        /// Ім'я.
        first_name => "first_name" from ["firstNameUA", "firstName"],
        /// По батькові.
        middle_name => "middle_name" from ["middleNameUA", "middleName"],
        /// Date of birth.
        birth_date => "birth_date" from ["birthday", "birthDate"],
        /// Series and number of the licence.
        serial_number => "serial_number" from ["serialNumber", "docNumber"],
        /// Categories, e.g. `B, C`.
        categories => "categories" from ["categories"],
        /// Issue date, when sent.
        issue_date => "issue_date" from ["issueDate"],
        /// Expiry date.
        expiration_date => "expiration_date" from ["expirationDate"],
        /// Issuing authority.
        department => "department" from ["department", "departmentUA"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `vehicle-license` (registration certificate, техпаспорт).
    VehicleLicense {
        /// Registration number plate.
        license_plate => "license_plate" from ["licensePlate"],
        /// Certificate number.
        doc_number => "doc_number" from ["docNumber"],
        /// Make.
        brand => "brand" from ["brand"],
        /// Model.
        model => "model" from ["model"],
        /// VIN.
        vin => "vin" from ["vin"],
        /// Colour.
        color => "color" from ["color"],
        /// Body type.
        kind_body => "kind_body" from ["kindBody"],
        /// Year of manufacture.
        make_year => "make_year" from ["makeYear"],
        /// Gross weight.
        total_weight => "total_weight" from ["totalWeight"],
        /// Kerb weight.
        own_weight => "own_weight" from ["ownWeight"],
        /// Engine capacity.
        capacity => "capacity" from ["capacity"],
        /// Fuel.
        fuel => "fuel" from ["fuel"],
        /// Vehicle category.
        rank_category => "rank_category" from ["rankCategory"],
        /// Seats.
        seats_number => "seats_number" from ["seatsNumber"],
        /// Standing places.
        standing_number => "standing_number" from ["standingNumber"],
        /// First registration date.
        date_first_reg => "date_first_reg" from ["dateFirstReg"],
        /// Registration date.
        date_reg => "date_reg" from ["dateReg"],
        /// `owner` or `properUser`.
        owner_type => "owner_type" from ["ownerType"],
        /// Holder's surname.
        last_name => "last_name" from ["lastNameUA", "lastName"],
        /// Holder's given name.
        first_name => "first_name" from ["firstNameUA", "firstName"],
        /// Holder's patronymic.
        middle_name => "middle_name" from ["middleNameUA", "middleName"],
        /// Holder's date of birth.
        birth_date => "birth_date" from ["birthday", "birthDate"],
        /// Holder's address.
        address => "address" from ["address"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `birth-certificate` (nested `document`, `child`, `parents`, `act` objects).
    BirthCertificate {
        /// Certificate series (`series`, or `serie` per the Python SDK).
        series => "series" from ["document.series", "document.serie", "series", "serie"],
        /// Certificate number.
        number => "number" from ["document.number", "number"],
        /// Issuing office.
        department => "department" from ["document.department"],
        /// Issue date.
        issue_date => "issue_date" from ["document.issueDate"],
        /// Child's surname.
        child_last_name => "child_last_name" from ["child.lastName", "child.lastNameUA"],
        /// Child's given name.
        child_first_name => "child_first_name" from ["child.firstName", "child.firstNameUA"],
        /// Child's patronymic.
        child_middle_name => "child_middle_name" from ["child.middleName", "child.middleNameUA"],
        /// Child's date of birth.
        child_birth_date => "child_birth_date" from ["child.birthDate", "child.birthday"],
        /// Child's place of birth.
        child_birth_place => "child_birth_place" from ["child.birthPlace"],
        /// Child's current registration.
        child_registration_place => "child_registration_place" from ["child.currentRegistrationPlaceUA"],
        /// Child's citizenship.
        child_citizenship => "child_citizenship" from ["child.citizenship"],
        /// Father's full name.
        father_full_name => "father_full_name" from ["parents.father.fullName"],
        /// Father's citizenship.
        father_citizenship => "father_citizenship" from ["parents.father.citizenship"],
        /// Mother's full name.
        mother_full_name => "mother_full_name" from ["parents.mother.fullName"],
        /// Mother's citizenship.
        mother_citizenship => "mother_citizenship" from ["parents.mother.citizenship"],
        /// Civil-registry act name/number.
        act_name => "act_name" from ["act.name"],
        /// Where the act was registered.
        act_registration_place => "act_registration_place" from ["act.registrationPlace"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

document_struct! {
    /// `reference-internally-displaced-person` (довідка ВПО).
    IdpReference {
        /// Прізвище.
        last_name => "last_name" from ["lastName", "lastNameUA"],
        /// Ім'я.
        first_name => "first_name" from ["firstName", "firstNameUA"],
        /// По батькові.
        middle_name => "middle_name" from ["middleName", "middleNameUA"],
        /// Date of birth (`birthDate` in Java/Python, `birthday` in .NET/JS).
        birth_date => "birth_date" from ["birthDate", "birthday"],
        /// Gender as a word.
        gender => "gender" from ["gender", "genderUA"],
        /// `person` or `accompanied`.
        idp_type => "idp_type" from ["docType"],
        /// Reference number.
        doc_number => "doc_number" from ["docNumber"],
        /// Issuing office.
        department => "department" from ["department"],
        /// Issue date (`dd.MM.yyyy HH.mm.ss.SSS` in the fixture).
        issue_date => "issue_date" from ["issueDate"],
        /// Legal representative.
        legal_representative => "legal_representative" from ["legalRepresentative"],
        /// Number of the identity document.
        identity_number => "identity_number" from ["docIdentity.number"],
        /// Issue date of the identity document.
        identity_issue_date => "identity_issue_date" from ["docIdentity.issueDate"],
        /// Issuer of the identity document.
        identity_department => "identity_department" from ["docIdentity.department"],
        /// Place of birth.
        address_birth => "address_birth" from ["address.birth"],
        /// Registered address.
        address_registration => "address_registration" from ["address.registration"],
        /// Actual address.
        address_actual => "address_actual" from ["address.actual"],
        /// Diia's document id.
        id => "id" from ["id"],
        /// File name of the matching PDF part.
        file_name => "file_name" from ["fileName"],
    }
}

/// One document's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocumentMetadata {
    /// `internal-passport`.
    InternalPassport(InternalPassport),
    /// `foreign-passport`.
    ForeignPassport(ForeignPassport),
    /// `taxpayer-card`.
    TaxpayerCard(TaxpayerCard),
    /// `driver-license`.
    DriverLicense(DriverLicense),
    /// `vehicle-license`.
    VehicleLicense(VehicleLicense),
    /// `birth-certificate`.
    BirthCertificate(BirthCertificate),
    /// `reference-internally-displaced-person`.
    InternallyDisplacedPerson(IdpReference),
    /// A type without a known schema, kept as sent.
    Other {
        /// The document type id.
        document_type: String,
        /// The JSON as sent.
        raw: Value,
    },
}

impl DocumentMetadata {
    /// Types one metadata object of `document_type`; a non-object value of a known type is
    /// kept as `Other` so nothing is lost.
    pub fn from_json(document_type: &str, value: &Value) -> Self {
        let Some(map) = value.as_object() else {
            return DocumentMetadata::Other {
                document_type: document_type.to_owned(),
                raw: value.clone(),
            };
        };
        match document_type {
            "internal-passport" => Self::InternalPassport(InternalPassport::from_map(map)),
            "foreign-passport" => Self::ForeignPassport(ForeignPassport::from_map(map)),
            "taxpayer-card" => Self::TaxpayerCard(TaxpayerCard::from_map(map)),
            "driver-license" => Self::DriverLicense(DriverLicense::from_map(map)),
            "vehicle-license" => Self::VehicleLicense(VehicleLicense::from_map(map)),
            "birth-certificate" => Self::BirthCertificate(BirthCertificate::from_map(map)),
            "reference-internally-displaced-person" => {
                Self::InternallyDisplacedPerson(IdpReference::from_map(map))
            }
            other => Self::Other { document_type: other.to_owned(), raw: value.clone() },
        }
    }

    /// The document type id (`internal-passport`, …).
    pub fn document_type(&self) -> &str {
        match self {
            Self::InternalPassport(_) => "internal-passport",
            Self::ForeignPassport(_) => "foreign-passport",
            Self::TaxpayerCard(_) => "taxpayer-card",
            Self::DriverLicense(_) => "driver-license",
            Self::VehicleLicense(_) => "vehicle-license",
            Self::BirthCertificate(_) => "birth-certificate",
            Self::InternallyDisplacedPerson(_) => "reference-internally-displaced-person",
            Self::Other { document_type, .. } => document_type,
        }
    }

    /// Present fields as `(key, value)` for display and one-key copy. Typed documents use
    /// stable snake_case keys; unknown types list their JSON leaves with dotted paths.
    pub fn fields(&self) -> Vec<(Cow<'static, str>, String)> {
        let typed = match self {
            Self::InternalPassport(doc) => doc.fields(),
            Self::ForeignPassport(doc) => doc.fields(),
            Self::TaxpayerCard(doc) => doc.fields(),
            Self::DriverLicense(doc) => doc.fields(),
            Self::VehicleLicense(doc) => doc.fields(),
            Self::BirthCertificate(doc) => doc.fields(),
            Self::InternallyDisplacedPerson(doc) => doc.fields(),
            Self::Other { raw, .. } => {
                let mut fields = Vec::new();
                flatten("", raw, &mut fields);
                return fields.into_iter().map(|(key, value)| (Cow::Owned(key), value)).collect();
            }
        };
        typed.into_iter().map(|(key, value)| (Cow::Borrowed(key), value)).collect()
    }

    /// "Прізвище Ім'я По батькові" of the holder (the child for a birth certificate).
    pub fn full_name(&self) -> Option<String> {
        match self {
            Self::InternalPassport(d) => join_name(&[&d.last_name, &d.first_name, &d.middle_name]),
            Self::ForeignPassport(d) => join_name(&[&d.last_name, &d.first_name, &d.middle_name]),
            Self::TaxpayerCard(d) => join_name(&[&d.last_name, &d.first_name, &d.middle_name]),
            Self::DriverLicense(d) => join_name(&[&d.last_name, &d.first_name, &d.middle_name]),
            Self::VehicleLicense(d) => join_name(&[&d.last_name, &d.first_name, &d.middle_name]),
            Self::BirthCertificate(d) => {
                join_name(&[&d.child_last_name, &d.child_first_name, &d.child_middle_name])
            }
            Self::InternallyDisplacedPerson(d) => {
                join_name(&[&d.last_name, &d.first_name, &d.middle_name])
            }
            Self::Other { raw, .. } => {
                let map = raw.as_object()?;
                let last = pick(map, &["lastNameUA", "lastName"]);
                let first = pick(map, &["firstNameUA", "firstName"]);
                let middle = pick(map, &["middleNameUA", "middleName"]);
                join_name(&[&last, &first, &middle])
            }
        }
    }

    /// The document's number (series and number for a birth certificate).
    pub fn doc_number(&self) -> Option<String> {
        match self {
            Self::InternalPassport(d) => d.doc_number.clone(),
            Self::ForeignPassport(d) => d.doc_number.clone(),
            Self::TaxpayerCard(d) => d.doc_number.clone(),
            Self::DriverLicense(d) => d.serial_number.clone(),
            Self::VehicleLicense(d) => d.doc_number.clone(),
            Self::BirthCertificate(d) => join_name(&[&d.series, &d.number]),
            Self::InternallyDisplacedPerson(d) => d.doc_number.clone(),
            Self::Other { raw, .. } => pick(raw.as_object()?, &["docNumber", "number"]),
        }
    }

    /// The holder's date of birth as sent (`dd.MM.yyyy`).
    pub fn birth_date(&self) -> Option<String> {
        match self {
            Self::InternalPassport(d) => d.birth_date.clone(),
            Self::ForeignPassport(d) => d.birth_date.clone(),
            Self::TaxpayerCard(d) => d.birth_date.clone(),
            Self::DriverLicense(d) => d.birth_date.clone(),
            Self::VehicleLicense(d) => d.birth_date.clone(),
            Self::BirthCertificate(d) => d.child_birth_date.clone(),
            Self::InternallyDisplacedPerson(d) => d.birth_date.clone(),
            Self::Other { raw, .. } => pick(raw.as_object()?, &["birthday", "birthDate"]),
        }
    }
}

/// Lists the leaves of `value` as `(dotted.path, text)`; array items get their index.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key_for = |segment: &str| {
        if prefix.is_empty() { segment.to_owned() } else { format!("{prefix}.{segment}") }
    };
    match value {
        Value::Object(map) => map.iter().for_each(|(key, item)| flatten(&key_for(key), item, out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(idx, item)| flatten(&key_for(&idx.to_string()), item, out)),
        leaf => {
            if let Some(rendered) = text(Some(leaf)) {
                let key = if prefix.is_empty() { "value".to_owned() } else { prefix.to_owned() };
                out.push((key, rendered));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tolerates_series_serie_and_birthday_birthdate() {
        let java = json!({"document":{"series":"І-БК","number":"123456"},"child":{"lastName":"Петренко","firstName":"Олена","birthDate":"01.02.2020"}});
        let python = json!({"document":{"serie":"І-БК","number":"123456"},"child":{"lastName":"Петренко","firstName":"Олена","birthday":"01.02.2020"}});
        for value in [java, python] {
            let doc = DocumentMetadata::from_json("birth-certificate", &value);
            assert_eq!(doc.doc_number().as_deref(), Some("І-БК 123456"));
            assert_eq!(doc.birth_date().as_deref(), Some("01.02.2020"));
            assert_eq!(doc.full_name().as_deref(), Some("Петренко Олена"));
        }
        for key in ["birthDate", "birthday"] {
            let doc = DocumentMetadata::from_json(
                "reference-internally-displaced-person",
                &json!({"lastName":"Д'Анжело-Коваль", key: "03.04.1990", "address":{"actual":"Київ"}}),
            );
            assert_eq!(doc.birth_date().as_deref(), Some("03.04.1990"), "{key}");
            assert!(doc.fields().contains(&(Cow::Borrowed("address_actual"), "Київ".to_owned())));
        }
    }

    #[test]
    fn object_and_array_shapes_and_unknown_types() {
        let barcode = json!({"barcode":"2858364170864","documentTypes":["taxpayer-card"],
            "data":{"taxpayer-card":{"docNumber":"1234567890","lastNameUA":"Дія"}}});
        let deeplink = json!({"requestId":"r-1","documentTypes":["taxpayer-card","pension-card"],
            "data":{"taxpayer-card":[{"docNumber":"1234567890"},{"docNumber":"2"}],
                    "pension-card":[{"number":"П-1","holder":{"name":"Х"},"tags":["a",1]}]}});
        let one = Metadata::from_value(&barcode).unwrap();
        assert_eq!(one.barcode.as_deref(), Some("2858364170864"));
        assert_eq!(one.documents.len(), 1);
        let many = Metadata::from_value(&deeplink).unwrap();
        assert_eq!(many.request_id.as_deref(), Some("r-1"));
        assert_eq!(many.documents.len(), 3);
        let unknown = &many.documents[2];
        assert_eq!(unknown.document_type(), "pension-card");
        assert_eq!(unknown.doc_number().as_deref(), Some("П-1"));
        let keys: Vec<String> =
            unknown.fields().into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(keys, ["holder.name=Х", "number=П-1", "tags.0=a", "tags.1=1"]);
    }

    #[test]
    fn bad_shapes_are_typed_errors_and_numbers_are_text() {
        assert!(matches!(Metadata::from_json(b"[1]"), Err(MetadataError::NotObject)));
        assert!(matches!(Metadata::from_json(b"{\"data\":5}"), Err(MetadataError::DataNotObject)));
        assert!(matches!(Metadata::from_json(b"{nope"), Err(MetadataError::NotJson(_))));
        let empty = Metadata::from_json(b"{}").unwrap();
        assert!(empty.documents.is_empty());
        let doc =
            DocumentMetadata::from_json("vehicle-license", &json!({"makeYear": 2015, "vin": null}));
        assert_eq!(doc.fields(), vec![(Cow::Borrowed("make_year"), "2015".to_owned())]);
        let odd = DocumentMetadata::from_json("internal-passport", &json!("text"));
        assert_eq!(odd.document_type(), "internal-passport");
        assert_eq!(odd.fields(), vec![(Cow::Owned("value".to_owned()), "text".to_owned())]);
    }
}
