//! The real [`EnvelopeOpener`]: Diia's envelopes opened with `ua-crypto` (decrypt with the
//! partner's key-agreement key, verify the inner signature against the trusted Diia signers).

use std::time::SystemTime;

use ua_crypto::{Certificate, KeyContainer, TrustPolicy, open_envelope};

use crate::delivery::{EnvelopeOpener, OpenError, OpenedPart, SignerSummary};

/// Opens deliveries with the partner's key container.
#[derive(Debug)]
pub struct UaCryptoOpener {
    /// The partner's keys (the key-agreement key is the recipient).
    pub keys: KeyContainer,
    /// Diia's key-agreement certificates, for envelopes that do not carry the sender's.
    pub sender_certs: Vec<Certificate>,
    /// Which signers are trusted, and at what time certificates must be valid.
    pub policy: TrustPolicy,
}

impl EnvelopeOpener for UaCryptoOpener {
    fn open(&self, part: &[u8]) -> Result<OpenedPart, OpenError> {
        let opened = open_envelope(part, &self.keys, &self.sender_certs, &self.policy)
            .map_err(open_error)?;
        Ok(OpenedPart {
            content: opened.content,
            signer: Some(SignerSummary {
                subject: opened.signer.subject,
                serial_hex: opened.signer.serial_hex,
                issuer: opened.signer.issuer,
            }),
            signing_time: opened.signing_time.map(SystemTime::from),
        })
    }
}

fn open_error(err: ua_crypto::Error) -> OpenError {
    use ua_crypto::Error as E;
    let text = err.to_string();
    match err {
        E::NotBase64 | E::NotCms | E::UnsupportedAlgorithm(_) | E::Malformed(_) => {
            OpenError::Format(text)
        }
        E::RecipientNotFound
        | E::SenderCertificateNotFound
        | E::WrongPassword
        | E::MacMismatch
        | E::KeyMismatch
        | E::Ec(_) => OpenError::Decrypt(text),
        E::DigestMismatch | E::BadSignature => OpenError::Signature(text),
        E::UntrustedSigner | E::CertificateNotValidAt => OpenError::Untrusted(text),
        // ua-crypto may grow variants; treat unknown ones as a failed decryption.
        _ => OpenError::Decrypt(text),
    }
}
