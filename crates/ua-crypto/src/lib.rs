//! Ukrainian public-key crypto for Diia deliveries: GOST 28147-89, GOST 34.311-95, DSTU 4145, CMS and key containers, in pure Rust.
//!
//! The entry points: [`KeyContainer::open`] reads a partner's key file, [`open_envelope`]
//! decrypts and verifies a delivery, [`verify_signed`] checks a signed-only message, [`seal`]
//! builds a delivery (for the simulator), and [`testca`] issues test keys and certificates.

#![forbid(unsafe_code)]

pub mod asn1;
mod cert;
mod container;
pub mod dstu4145;
mod envelope;
mod error;
pub mod gf2m;
pub mod gost89;
pub mod hash;
pub mod oids;
mod params;
mod signed;
pub mod testca;

pub use cert::{Certificate, KeyUsage};
pub use container::{ContainerKey, KeyContainer, key_id_of, write_iit_container, write_pkcs12};
pub use dstu4145::{Curve, EcError, PrivateKey, PublicKey};
pub use envelope::{Algorithms, Opened, SealParams, open_envelope, seal};
pub use error::{Error, Result};
pub use signed::{SignerSummary, TrustPolicy, Verified, sign_attached, verify_signed};
