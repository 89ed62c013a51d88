//! Simulator configuration, the scripted customer behaviour and the request statuses.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What the simulated customer does with a document request.
///
/// JSON form (phone API): `{"action":"confirm","afterMs":500}`, `{"action":"refuse","afterMs":0}`,
/// `{"action":"missing-document","afterMs":0}`, `{"action":"never-answer"}`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Script {
    /// Confirms after the delay; the copy is then delivered to the receiver.
    Confirm {
        /// Delay before confirming, ms.
        #[serde(rename = "afterMs", default)]
        after_ms: u64,
    },
    /// Refuses after the delay; nothing is delivered.
    Refuse {
        /// Delay before refusing, ms.
        #[serde(rename = "afterMs", default)]
        after_ms: u64,
    },
    /// The app reports the document missing/unavailable (Diia process code 12141002); nothing is
    /// delivered.
    MissingDocument {
        /// Delay before the answer, ms.
        #[serde(rename = "afterMs", default)]
        after_ms: u64,
    },
    /// Never answers; the request expires after `SimConfig::answer_timeout`.
    NeverAnswer,
}

/// Status strings of `GET /api/v1/acquirers/document-request/status` (`{"status": "..."}`).
///
/// The real values are not public (diia-api.md §4.3); the simulator's choice, in one place:
///
/// | status | meaning |
/// | --- | --- |
/// | `processing` | request accepted, the customer has not answered yet |
/// | `confirmed` | the customer confirmed; the delivery is being sent (or retried) |
/// | `delivered` | the receiver accepted the delivery (HTTP 2xx, not `success:false`) |
/// | `refused` | the customer refused; nothing is delivered |
/// | `document-missing` | the customer's app could not provide the document; nothing delivered |
/// | `expired` | the customer did not answer within the answer timeout |
/// | `delivery-failed` | every delivery attempt failed (or the delivery could not be built) |
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RequestStatus {
    /// Waiting for the customer.
    Processing,
    /// Confirmed, delivery in progress.
    Confirmed,
    /// Delivered.
    Delivered,
    /// Refused by the customer.
    Refused,
    /// Document missing in the customer's app.
    DocumentMissing,
    /// Customer did not answer in time.
    Expired,
    /// Delivery attempts exhausted.
    DeliveryFailed,
}

impl RequestStatus {
    /// The status string as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Confirmed => "confirmed",
            Self::Delivered => "delivered",
            Self::Refused => "refused",
            Self::DocumentMissing => "document-missing",
            Self::Expired => "expired",
            Self::DeliveryFailed => "delivery-failed",
        }
    }

    /// True for states that no longer change.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Processing | Self::Confirmed)
    }
}

/// Retry policy for failed deliveries: `attempts` tries, delays doubling from `initial` up to `max`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Total attempts (≥ 1).
    pub attempts: u32,
    /// Delay after the first failure.
    pub initial: Duration,
    /// Upper bound of a delay.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 6, initial: Duration::from_millis(500), max: Duration::from_secs(30) }
    }
}

/// Simulator configuration. `Default` gives an embedded sandbox on 127.0.0.1 with a random port.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Listen address; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Acquirer token accepted by login; `None` generates one (or takes it from the state file).
    pub acquirer_token: Option<String>,
    /// If set, login requires `Authorization: Basic <this value>` (diia-api.md §1.1).
    pub basic_auth: Option<String>,
    /// Receiver URL deliveries are POSTed to; can be changed later with `SimHandle::set_deliver_to`.
    pub deliver_to: Option<String>,
    /// The partner's key-agreement certificate (PEM or DER) deliveries are sealed to; `None`
    /// generates a partner identity whose key the handle exposes (kept in the state file, if any).
    pub partner_cert: Option<Vec<u8>>,
    /// JSON file persisting acquirer token, branches, offers and the simulator's identity
    /// (Diia's keys and certificates, and the generated partner identity), so a receiver set up
    /// once keeps working across restarts. Written owner-only: it holds private keys.
    pub state_file: Option<PathBuf>,
    /// Session token lifetime (Diia: 2 h).
    pub session_ttl: Duration,
    /// Share-code lifetime (Diia: 180 s).
    pub code_ttl: Duration,
    /// How long the customer has to answer a document request before it expires.
    pub answer_timeout: Duration,
    /// Customer behaviour when neither the code nor the person has a script.
    pub default_script: Script,
    /// Delivery retry policy.
    pub retry: RetryPolicy,
    /// Timeout of one delivery POST.
    pub delivery_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            acquirer_token: None,
            basic_auth: None,
            deliver_to: None,
            partner_cert: None,
            state_file: None,
            session_ttl: Duration::from_secs(2 * 3600),
            code_ttl: Duration::from_secs(180),
            answer_timeout: Duration::from_secs(180),
            default_script: Script::Confirm { after_ms: 1500 },
            retry: RetryPolicy::default(),
            delivery_timeout: Duration::from_secs(30),
        }
    }
}
