//! Request and response bodies of the acquirer API (diia-api.md §2–§5), as serde structs.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A branch as sent on create/update (no `_id`); absent fields of a response default to empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchDetails {
    /// Branch name (1–32 chars in the Python SDK).
    #[serde(default)]
    pub name: String,
    /// Contact e-mail.
    #[serde(default)]
    pub email: String,
    /// Region, e.g. `Київська обл.`.
    #[serde(default)]
    pub region: String,
    /// District.
    #[serde(default)]
    pub district: String,
    /// City or village.
    #[serde(default)]
    pub location: String,
    /// Street.
    #[serde(default)]
    pub street: String,
    /// House number.
    #[serde(default)]
    pub house: String,
    /// Requester name shown to the customer, if not the acquirer's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_full_name: Option<String>,
    /// Address shown to the customer, if not built from the fields above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_full_address: Option<String>,
    /// Delivery channels; only `api` is known.
    #[serde(default)]
    pub delivery_types: Vec<String>,
    /// `dynamic` (every SDK) or `static`.
    #[serde(default)]
    pub offer_request_type: String,
    /// What the branch may request and validate.
    #[serde(default)]
    pub scopes: BranchScopes,
}

/// A branch's permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchScopes {
    /// Document types the branch may request (barcode/QR/deeplink).
    #[serde(default)]
    pub sharing: Vec<String>,
    /// Old person-identification flow; SDKs always send it empty.
    #[serde(default)]
    pub identification: Vec<String>,
    /// Document types the branch may validate.
    #[serde(default)]
    pub document_identification: Vec<String>,
    /// `auth` / `hashedFilesSigning`, when used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diia_id: Vec<String>,
}

/// A stored branch: its id and details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// Diia's opaque branch id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Everything else.
    #[serde(flatten)]
    pub details: BranchDetails,
}

/// One page of branches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchList {
    /// Number of branches in total (not on this page).
    #[serde(default)]
    pub total: u64,
    /// This page.
    #[serde(default)]
    pub branches: Vec<Branch>,
}

/// `{"_id": …}` answers of create/update calls.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct IdResponse {
    #[serde(rename = "_id")]
    pub(crate) id: String,
}

/// Paging for list calls; `None` leaves the parameter out (Diia's defaults apply).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// Items to skip.
    pub skip: Option<u64>,
    /// Items to return at most.
    pub limit: Option<u64>,
}

/// An offer (online deeplink flow) as created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferDetails {
    /// Offer name shown to the customer.
    #[serde(default)]
    pub name: String,
    /// Where the Diia app sends the customer back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_link: Option<String>,
    /// Requested documents or Diia.ID products.
    #[serde(default)]
    pub scopes: OfferScopes,
}

/// An offer's scopes: `sharing` document types or `diiaId` products.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferScopes {
    /// Document types the offer requests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sharing: Vec<String>,
    /// `auth` / `hashedFilesSigning`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diia_id: Vec<String>,
}

/// A stored offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Diia's opaque offer id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Everything else.
    #[serde(flatten)]
    pub details: OfferDetails,
}

/// One page of offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferList {
    /// Offers in total.
    #[serde(default)]
    pub total: u64,
    /// This page.
    #[serde(default)]
    pub offers: Vec<Offer>,
}

/// A dynamic offer request (deeplink), v2.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOfferRequest {
    /// The offer to request.
    pub offer_id: String,
    /// Partner request id; the client fills a UUIDv4 when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Overrides the offer's return link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_link: Option<String>,
    /// Require the customer's Diia.Signature on the shared pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_diia_id: Option<bool>,
    /// Signing payload (`hashedFilesSigning.hashedFiles[{fileName, fileHash}]`), passed verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

/// Answer to a dynamic offer request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRequestCreated {
    /// The link to open in the Diia app.
    pub deeplink: String,
    /// The request id that was sent (ours or the caller's).
    #[serde(skip_deserializing)]
    pub request_id: String,
}

/// The customer's code, as scanned or typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareCode {
    /// The 13 digits under the barcode.
    Barcode(String),
    /// The scanned QR content (`https://diia.app/documents/…/verify/<uuid>`).
    Qr(String),
}

/// Body of `POST /api/v1/acquirers/document-request`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DocumentRequestBody<'a> {
    pub(crate) branch_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) barcode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) qrcode: Option<&'a str>,
    pub(crate) request_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) use_diia_id: Option<bool>,
}

/// Diia accepted a document request; the documents arrive later at the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRequestAccepted {
    /// The request id Diia will echo in `X-Document-Request-Trace-Id`.
    pub request_id: String,
}

/// Raw answer of the status call.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct StatusResponse {
    pub(crate) status: Option<String>,
}

/// FIXME(#4): the real status words are unknown; the mapping covers the backend's history
/// words and the simulator's (`diia-sim` `RequestStatus`), and must be checked on the sandbox.
///
/// State of a document request as Diia reports it. The values are not public (diia-api.md §4.3);
/// the known candidates are mapped, anything else is kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "raw")]
pub enum RequestStatus {
    /// Waiting for the customer / being prepared (`processing`, `pending`).
    Processing,
    /// The customer confirmed; the documents are being delivered (`confirmed`, the simulator's
    /// word).
    Confirmed,
    /// Delivered (`done`, `success`, `delivered`).
    Done,
    /// The customer refused (`refuse`, `refused`).
    Refused,
    /// The request ran out (`expired`).
    Expired,
    /// The customer's app could not provide the document (`document-missing`).
    DocumentMissing,
    /// Diia could not deliver to the receiver (`delivery-failed`).
    DeliveryFailed,
    /// Any other value, verbatim.
    Other(String),
}

impl RequestStatus {
    /// Maps Diia's status word.
    pub fn from_wire(raw: &str) -> Self {
        match raw.to_ascii_lowercase().as_str() {
            "processing" | "pending" => RequestStatus::Processing,
            "confirmed" => RequestStatus::Confirmed,
            "done" | "success" | "delivered" => RequestStatus::Done,
            "refuse" | "refused" => RequestStatus::Refused,
            "expired" => RequestStatus::Expired,
            "document-missing" | "document_missing" => RequestStatus::DocumentMissing,
            "delivery-failed" | "delivery_failed" => RequestStatus::DeliveryFailed,
            _ => RequestStatus::Other(raw.to_owned()),
        }
    }
}

/// Body of `POST /api/v1/acquirers/document-identification`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentificationBody<'a> {
    pub(crate) branch_id: &'a str,
    pub(crate) barcode: &'a str,
}

/// The request body assumed for `POST /api/v1/acquirers/document-identification/age`.
///
/// **Assumption** (the real body is not public, diia-api.md §5 and §12.2): the same body as the
/// plain identification plus `age`, the minimum age in whole years, as a JSON number:
/// `{"branchId": "…", "barcode": "…", "age": 18}`; `200 {"success": true}` means the document is
/// valid and its holder is at least that old. The simulator mirrors [`AGE_CHECK_BODY_EXAMPLE`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AgeIdentificationBody {
    /// Branch doing the check.
    pub branch_id: String,
    /// The customer's 13-digit code.
    pub barcode: String,
    /// Minimum age in whole years.
    pub age: u8,
}

/// The one place the assumed age-check body is spelled out, for the simulator to mirror.
pub const AGE_CHECK_BODY_EXAMPLE: &str =
    r#"{"branchId":"<branch id>","barcode":"<13 digits>","age":18}"#;

/// `{"success": …}` answers, with error fields Diia might put beside `success: false`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SuccessResponse {
    pub(crate) success: Option<bool>,
    #[serde(flatten)]
    pub(crate) rest: Map<String, Value>,
}

/// A successful identification: the document behind the code is valid.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Identification {
    /// Fields Diia sent besides `success` (none are known; kept for display and logs).
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_round_trips_with_id_and_camel_case() {
        let json = r#"{"_id":"abc","name":"Відділення 1","email":"a@b.ua","region":"Київська обл.",
            "district":"Бучанський","location":"Буча","street":"Вокзальна","house":"1",
            "deliveryTypes":["api"],"offerRequestType":"dynamic",
            "scopes":{"sharing":["passport"],"identification":[],"documentIdentification":["internal-passport"]}}"#;
        let branch: Branch = serde_json::from_str(json).unwrap();
        assert_eq!(branch.id, "abc");
        assert_eq!(branch.details.scopes.document_identification, ["internal-passport"]);
        let back = serde_json::to_value(&branch).unwrap();
        assert_eq!(back["_id"], "abc");
        assert_eq!(back["offerRequestType"], "dynamic");
        assert!(back["scopes"].get("diiaId").is_none());
    }

    #[test]
    fn status_words_map() {
        assert_eq!(RequestStatus::from_wire("processing"), RequestStatus::Processing);
        assert_eq!(RequestStatus::from_wire("refuse"), RequestStatus::Refused);
        assert_eq!(RequestStatus::from_wire("Done"), RequestStatus::Done);
        assert_eq!(RequestStatus::from_wire("delivered"), RequestStatus::Done);
        assert_eq!(RequestStatus::from_wire("document-missing"), RequestStatus::DocumentMissing);
        assert_eq!(RequestStatus::from_wire("delivery-failed"), RequestStatus::DeliveryFailed);
        assert_eq!(RequestStatus::from_wire("weird"), RequestStatus::Other("weird".into()));
    }
}
