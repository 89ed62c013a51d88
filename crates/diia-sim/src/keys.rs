//! The simulator's "Diia" keys and the sealing of deliveries (sign with Diia's signing key, then
//! encrypt to the partner's key-agreement certificate), behind the small `Sealer` trait so the
//! rest of the simulator does not depend on how envelopes are made. The identity can be kept in
//! the state file (`StoredIdentity`) so it survives restarts.

use base64::Engine;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use ua_crypto::testca::{Identity, generate_identity};
use ua_crypto::{Certificate, PrivateKey, SealParams};

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
    /// Diia's key-agreement certificate (PEM): the static DH peer of every envelope (not
    /// carried inside the envelopes, like the SDK's pfx sample).
    pub key_agreement_pem: String,
    /// The test CA that issued both (PEM), usable as trust anchor instead of pinning.
    pub ca_pem: String,
}

/// A partner identity the simulator generated because none was configured.
#[derive(Clone)]
pub struct PartnerIdentity {
    /// The partner's key-agreement certificate (PEM) deliveries are addressed to.
    pub key_agreement_cert_pem: String,
    /// The partner's key container: PKCS#12 (PBES2, GOST) holding the key-agreement key and
    /// its certificate; open it with `ua_crypto::KeyContainer::open(&pkcs12, &password)`.
    pub pkcs12: Vec<u8>,
    /// Password of `pkcs12` (random per start; a sandbox secret, never logged).
    pub pkcs12_password: String,
}

impl std::fmt::Debug for PartnerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerIdentity")
            .field("pkcs12_len", &self.pkcs12.len())
            .finish_non_exhaustive()
    }
}

/// PEM text of a certificate.
pub(crate) fn to_pem(cert: &Certificate) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.der());
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// Seals with ua-crypto: Diia's M257 signing key signs, its M431 key-agreement key does the
/// static–static DH with the partner's certificate.
struct UaSealer {
    diia: Identity,
    partner_cert: Certificate,
}

impl Sealer for UaSealer {
    fn seal(&self, content: &[u8], signing_time: OffsetDateTime) -> Result<Vec<u8>, SimError> {
        let params = SealParams {
            signer_key: &self.diia.signing_key,
            signer_cert: &self.diia.signing_cert,
            sender_ka_key: &self.diia.ka_key,
            sender_ka_cert: &self.diia.ka_cert,
            recipient_cert: &self.partner_cert,
            include_originator_cert: false,
            signing_time,
        };
        ua_crypto::seal(content, &params, &mut rand::rng())
            .map_err(|e| SimError::Crypto(format!("sealing failed: {e}")))
    }
}

/// Keys and sealer of a running simulator.
pub(crate) struct Keys {
    pub sealer: Box<dyn Sealer>,
    pub diia: DiiaCertificates,
    pub partner: Option<PartnerIdentity>,
    /// What the state file keeps so the identity survives a restart.
    pub stored: StoredIdentity,
}

/// PBKDF2 iterations of the generated partner container (the SDK sample uses 10 000).
const PKCS12_ITERATIONS: u32 = 10_000;

/// The simulator's identity as kept in the state file: Diia's keys and certificates, and the
/// generated partner identity, so a receiver configured once keeps opening deliveries after a
/// restart. The keys are stored in the clear: they are fictional sandbox keys, and the file is
/// written owner-only.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredIdentity {
    pub diia: StoredDiia,
    /// Absent when a partner certificate was configured at first start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<StoredPartner>,
}

/// Diia's two keys (d, little-endian hex, on the curve of their certificate) and certificates.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredDiia {
    pub signing_key_hex: String,
    pub signing_cert_pem: String,
    pub key_agreement_key_hex: String,
    pub key_agreement_cert_pem: String,
    pub ca_cert_pem: String,
}

/// The generated partner identity exactly as handed out (same container bytes and password).
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredPartner {
    pub key_agreement_cert_pem: String,
    pub pkcs12_base64: String,
    pub pkcs12_password: String,
}

impl std::fmt::Debug for StoredIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Private keys and the container password stay out of debug output.
        f.debug_struct("StoredIdentity")
            .field("partner", &self.partner.is_some())
            .finish_non_exhaustive()
    }
}

fn crypto(e: impl std::fmt::Display) -> SimError {
    SimError::Crypto(e.to_string())
}

fn stored_error(what: &str) -> impl Fn(ua_crypto::Error) -> SimError + '_ {
    move |e| SimError::State(format!("stored {what} is not usable: {e}"))
}

impl StoredDiia {
    fn from_identity(diia: &Identity) -> Self {
        Self {
            signing_key_hex: hex::encode(&*diia.signing_key.to_le_bytes()),
            signing_cert_pem: to_pem(&diia.signing_cert),
            key_agreement_key_hex: hex::encode(&*diia.ka_key.to_le_bytes()),
            key_agreement_cert_pem: to_pem(&diia.ka_cert),
            ca_cert_pem: to_pem(&diia.ca_cert),
        }
    }

    /// Rebuilds the identity, checking that each key belongs to its certificate.
    fn to_identity(&self) -> Result<Identity, SimError> {
        let cert = |pem: &str, what: &str| {
            Certificate::from_pem_or_der(pem.as_bytes()).map_err(stored_error(what))
        };
        let key = |hex_d: &str, cert: &Certificate, what: &str| {
            let d = hex::decode(hex_d)
                .map_err(|_| SimError::State(format!("stored {what} key is not hex")))?;
            let key = PrivateKey::from_le_bytes(cert.curve(), &d)
                .map_err(|e| SimError::State(format!("stored {what} key is not usable: {e}")))?;
            if key.public_key().to_compressed_le() != cert.public_key().to_compressed_le() {
                return Err(SimError::State(format!(
                    "stored {what} key does not match its certificate"
                )));
            }
            Ok(key)
        };
        let signing_cert = cert(&self.signing_cert_pem, "diia signing certificate")?;
        let ka_cert = cert(&self.key_agreement_cert_pem, "diia key-agreement certificate")?;
        let ca_cert = cert(&self.ca_cert_pem, "diia ca certificate")?;
        Ok(Identity {
            signing_key: key(&self.signing_key_hex, &signing_cert, "diia signing")?,
            signing_cert,
            ka_key: key(&self.key_agreement_key_hex, &ka_cert, "diia key-agreement")?,
            ka_cert,
            ca_cert,
        })
    }
}

impl StoredPartner {
    fn to_identity(&self) -> Result<(Certificate, PartnerIdentity), SimError> {
        let cert = Certificate::from_pem_or_der(self.key_agreement_cert_pem.as_bytes())
            .map_err(stored_error("partner certificate"))?;
        let pkcs12 = base64::engine::general_purpose::STANDARD
            .decode(&self.pkcs12_base64)
            .map_err(|_| SimError::State("stored partner container is not base64".into()))?;
        let identity = PartnerIdentity {
            key_agreement_cert_pem: self.key_agreement_cert_pem.clone(),
            pkcs12,
            pkcs12_password: self.pkcs12_password.clone(),
        };
        Ok((cert, identity))
    }
}

fn generate_partner(rng: &mut impl rand::CryptoRng) -> Result<StoredPartner, SimError> {
    let p = generate_identity("Вікно Партнер (пісочниця)", rng).map_err(crypto)?;
    let password = crate::state::random_hex(12);
    let pkcs12 =
        ua_crypto::write_pkcs12(&[&p.ka_key], &[&p.ka_cert], &password, PKCS12_ITERATIONS, rng);
    Ok(StoredPartner {
        key_agreement_cert_pem: to_pem(&p.ka_cert),
        pkcs12_base64: base64::engine::general_purpose::STANDARD.encode(pkcs12),
        pkcs12_password: password,
    })
}

impl Keys {
    /// Loads Diia's identity from `stored` or generates it; the partner's key-agreement
    /// certificate is `partner_cert` when given, else the stored or a newly generated partner
    /// identity. A stored partner identity is kept even while a certificate is configured, so
    /// dropping `--partner-cert` later brings the old one back.
    pub(crate) fn load_or_generate(
        partner_cert: Option<&[u8]>,
        stored: Option<StoredIdentity>,
    ) -> Result<Self, SimError> {
        let mut rng = rand::rng();
        let (stored_diia, stored_partner) = match stored {
            Some(s) => (Some(s.diia), s.partner),
            None => (None, None),
        };
        let (diia, stored_diia) = match stored_diia {
            Some(stored) => (stored.to_identity()?, stored),
            None => {
                let diia = generate_identity("ДП ДІЯ (Симулятор)", &mut rng).map_err(crypto)?;
                let stored = StoredDiia::from_identity(&diia);
                (diia, stored)
            }
        };
        let certs = DiiaCertificates {
            signing_pem: to_pem(&diia.signing_cert),
            key_agreement_pem: to_pem(&diia.ka_cert),
            ca_pem: to_pem(&diia.ca_cert),
        };
        let (partner_cert, partner, stored_partner) = match partner_cert {
            Some(bytes) => {
                let cert = Certificate::from_pem_or_der(bytes).map_err(crypto)?;
                if cert.curve() != diia.ka_cert.curve() {
                    return Err(SimError::Crypto(
                        "partner certificate is not on the key-agreement curve (dstu 4145 m431)"
                            .into(),
                    ));
                }
                (cert, None, stored_partner)
            }
            None => {
                let stored = match stored_partner {
                    Some(stored) => stored,
                    None => generate_partner(&mut rng)?,
                };
                let (cert, identity) = stored.to_identity()?;
                (cert, Some(identity), Some(stored))
            }
        };
        Ok(Self {
            sealer: Box::new(UaSealer { diia, partner_cert }),
            diia: certs,
            partner,
            stored: StoredIdentity { diia: stored_diia, partner: stored_partner },
        })
    }
}
