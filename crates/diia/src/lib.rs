//! The Diia partner (acquirer) API: typed client, error kinds, and parsing and opening of Diia's deliveries.
//!
//! - [`DiiaClient`] talks to Diia (session, branches, offers, document requests, validation).
//! - [`parse_delivery`] and [`open_delivery`] turn the multipart POST Diia sends to the
//!   partner's receiver into documents and typed [`Metadata`].
//!
//! Facts and assumptions about the API live in `shared/docs/diia-api.md`; section numbers in
//! comments refer to it.

mod api;
mod client;
mod config;
mod delivery;
mod error;
mod metadata;
mod opener;
mod secret;
mod session;

pub use api::{
    AGE_CHECK_BODY_EXAMPLE, AgeIdentificationBody, Branch, BranchDetails, BranchList, BranchScopes,
    DocumentRequestAccepted, DynamicOfferRequest, Identification, Offer, OfferDetails, OfferList,
    OfferRequestCreated, OfferScopes, Page, RequestStatus, ShareCode,
};
pub use client::{DiiaClient, DocumentRequest};
pub use config::{ClientConfig, PRODUCTION_URL, RetryPolicy, SANDBOX_URL};
pub use delivery::{
    DeliveryError, DeliveryLayout, DeliveryLimits, EnvelopeOpener, OpenError, OpenedDelivery,
    OpenedDocument, OpenedPart, RawDelivery, RawFilePart, SignerSummary, TRACE_ID_HEADER,
    decode_part, open_delivery, parse_delivery, strip_envelope_suffix,
};
pub use error::{ApiErrorBody, DiiaError, ErrorKind, FieldError};
pub use metadata::{
    BirthCertificate, DocumentMetadata, DriverLicense, ForeignPassport, IdpReference,
    InternalPassport, Metadata, MetadataError, TaxpayerCard, VehicleLicense,
};
pub use opener::UaCryptoOpener;
pub use secret::Secret;

/// Whether `code` is 13 ASCII digits with a correct EAN-13 check digit (diia-api.md §8).
pub fn ean13_is_valid(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if code.len() != 13 || digits.len() != 13 {
        return false;
    }
    let weighted: u32 =
        digits[..12].iter().enumerate().map(|(idx, d)| if idx % 2 == 0 { *d } else { d * 3 }).sum();
    (10 - weighted % 10) % 10 == digits[12]
}

#[cfg(test)]
mod tests {
    #[test]
    fn ean13_check_digit() {
        assert!(super::ean13_is_valid("2858364170864"));
        assert!(super::ean13_is_valid("4006381333931"));
        assert!(!super::ean13_is_valid("2858364170865"));
        assert!(!super::ean13_is_valid("285836417086"));
        assert!(!super::ean13_is_valid("28583641708٦4"));
    }
}
