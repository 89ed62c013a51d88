//! The simulator's "Diia" keys and the sealing of deliveries (sign with Diia's signing key, then
//! encrypt to the partner's key-agreement certificate), behind the small `Sealer` trait so the
//! rest of the simulator does not depend on how envelopes are made.

use time::OffsetDateTime;

use crate::SimError;

/// Turns plaintext into a DER CMS EnvelopedData(SignedData(content)) addressed to the partner.
pub(crate) trait Sealer: Send + Sync {
    /// Seals `content`, stamping `signing_time` into the signature.
    fn seal(&self, content: &[u8], signing_time: OffsetDateTime) -> Result<Vec<u8>, SimError>;
}

/// The certificates a receiver must trust to open and verify the simulator's deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiiaCertificates {
    /// Diia's signing certificate (PEM): the signer of every SignedData.
    pub signing_pem: String,
    /// Diia's key-agreement certificate (PEM): the static DH peer of every envelope.
    pub key_agreement_pem: String,
}

/// A partner identity the simulator generated because none was configured.
#[derive(Debug, Clone)]
pub struct PartnerIdentity {
    /// The partner's key-agreement certificate (PEM) deliveries are addressed to.
    pub key_agreement_cert_pem: String,
    /// The partner's key container (PKCS#12), when the crypto crate can write one.
    pub pkcs12: Option<Vec<u8>>,
    /// Password of `pkcs12`.
    pub pkcs12_password: String,
}

/// Keys and sealer of a running simulator.
pub(crate) struct Keys {
    pub sealer: Option<Box<dyn Sealer>>,
    pub diia: Option<DiiaCertificates>,
    pub partner: Option<PartnerIdentity>,
}

impl Keys {
    /// Generates Diia's identity (and a partner identity when `partner_cert` is `None`).
    pub(crate) fn generate(partner_cert: Option<&[u8]>) -> Result<Self, SimError> {
        let _ = partner_cert;
        // FIXME: ua-crypto's testca/seal are not in the tree yet; until they land no sealer
        // exists, so confirmed requests end as `delivery-failed` and nothing is ever sent
        // unencrypted.
        Ok(Self { sealer: None, diia: None, partner: None })
    }
}
