//! The desk: configuration, request lifecycle, validity checks, delivery receiver, encrypted document store, audit log, retention, secrets.
//!
//! Entry points for the app and the CLI: [`Store::open`] (with a [`SecretStore`] or a fixed
//! master key), [`Store::create_request`], [`Store::list_documents`] / [`Store::read_document`]
//! with an [`AuditContext`], [`Store::subscribe`] for "delivery stored" events,
//! [`Receiver::bind`] to start the delivery endpoint, [`Store::purge`] for retention and
//! [`Store::verify_audit_chain`].

#![forbid(unsafe_code)]

pub mod audit;
pub mod config;
pub mod desk;
pub mod fieldcrypt;
pub mod fields;
pub mod receiver;
pub mod retention;
pub mod runtime;
pub mod secrets;
pub mod store;

pub use audit::{AuditContext, AuditEntry, AuditEvent, BreakKind, BrokenLink, ChainReport};
pub use config::{AppConfig, ConfigError, Environment, PinHash, Purpose};
pub use desk::{
    Badge, Desk, DeskError, DeskSettings, DocRef, DocumentView, ErrorInfo, HistoryItem,
    RequestState, RequestView, Verdict, VerdictOutcome,
};
pub use fieldcrypt::SecretKey;
pub use fields::{LabelledField, document_fields};
pub use receiver::{
    Accepted, Receiver, ReceiverConfig, ReceiverError, ReceiverHandle, Refusal, VerificationTime,
    process_delivery,
};
pub use retention::{PurgeReceipt, RetentionPolicy};
pub use runtime::{BranchInfo, PARTNER_KEY_LABEL, Runtime, RuntimeError};
pub use secrets::{KeyringSecretStore, MemorySecretStore, SecretError, SecretStore};
pub use store::{
    DeliveryEvent, Document, DocumentAccess, DocumentSummary, IncomingDelivery, IncomingDocument,
    MasterKeySource, NewRequest, RequestOverview, RequestQuery, RequestRecord, RequestStatus,
    StatusChange, Store, StoreCounts, StoreError, StoreOutcome, UnknownDelivery, Verification,
};
