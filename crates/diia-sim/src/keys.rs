//! The simulator's "Diia" keys and the sealing of deliveries (sign with Diia's signing key, then
//! encrypt to the partner's key-agreement certificate), behind the small `Sealer` trait so the
//! rest of the simulator does not depend on how envelopes are made.

use base64::Engine;
use time::OffsetDateTime;
use ua_crypto::testca::{Identity, generate_identity};
use ua_crypto::{Certificate, SealParams};

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
}

/// PBKDF2 iterations of the generated partner container (the SDK sample uses 10 000).
const PKCS12_ITERATIONS: u32 = 10_000;

impl Keys {
    /// Generates Diia's identity (and a partner identity when `partner_cert` is `None`).
    // FIXME: the Diia identity is generated anew at every start (not kept in the state file),
    // so a receiver must re-import the printed certificates after a restart.
    pub(crate) fn generate(partner_cert: Option<&[u8]>) -> Result<Self, SimError> {
        let crypto = |e: ua_crypto::Error| SimError::Crypto(e.to_string());
        let mut rng = rand::rng();
        let diia = generate_identity("ДП ДІЯ (Симулятор)", &mut rng).map_err(crypto)?;
        let certs = DiiaCertificates {
            signing_pem: to_pem(&diia.signing_cert),
            key_agreement_pem: to_pem(&diia.ka_cert),
            ca_pem: to_pem(&diia.ca_cert),
        };
        let (partner_cert, partner) = match partner_cert {
            Some(bytes) => {
                let cert = Certificate::from_pem_or_der(bytes).map_err(crypto)?;
                if cert.curve() != diia.ka_cert.curve() {
                    return Err(SimError::Crypto(
                        "partner certificate is not on the key-agreement curve (dstu 4145 m431)"
                            .into(),
                    ));
                }
                (cert, None)
            }
            None => {
                let p = generate_identity("Вікно Партнер (пісочниця)", &mut rng).map_err(crypto)?;
                let password = crate::state::random_hex(12);
                let pkcs12 = ua_crypto::write_pkcs12(
                    &[&p.ka_key],
                    &[&p.ka_cert],
                    &password,
                    PKCS12_ITERATIONS,
                    &mut rng,
                );
                let identity = PartnerIdentity {
                    key_agreement_cert_pem: to_pem(&p.ka_cert),
                    pkcs12,
                    pkcs12_password: password,
                };
                (p.ka_cert, Some(identity))
            }
        };
        Ok(Self { sealer: Box::new(UaSealer { diia, partner_cert }), diia: certs, partner })
    }
}
