//! The crate's error type: one variant per failure a caller may treat differently.

use crate::dstu4145::EcError;

/// Everything that can go wrong while reading keys, opening, verifying or sealing.
///
/// Messages never contain key material, passwords or message content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text input is neither DER nor valid base64.
    #[error("input is not base64 or DER")]
    NotBase64,
    /// The input decodes, but is not a CMS ContentInfo of the expected type.
    #[error("input is not a CMS message of the expected type")]
    NotCms,
    /// An algorithm this crate does not implement (for example Kalyna or Kupyna).
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(String),
    /// None of the available keys is addressed by the envelope.
    #[error("no key matches any recipient of the envelope")]
    RecipientNotFound,
    /// The sender's key-agreement certificate is neither in the envelope nor supplied.
    #[error("sender key-agreement certificate not found")]
    SenderCertificateNotFound,
    /// The key container could not be decrypted with the password.
    #[error("wrong key container password")]
    WrongPassword,
    /// An integrity code (key wrap MAC, PKCS#12 MAC, container MAC) does not match.
    #[error("integrity check (mac) failed")]
    MacMismatch,
    /// The messageDigest attribute or a time-stamp imprint does not match the content.
    #[error("content digest does not match the signed digest")]
    DigestMismatch,
    /// A DSTU 4145 signature is invalid.
    #[error("signature is invalid")]
    BadSignature,
    /// The signer is not among the trusted signers (nor issued by one of them).
    #[error("signer is not trusted")]
    UntrustedSigner,
    /// The signer certificate is not valid at the policy time.
    #[error("certificate is not valid at the given time")]
    CertificateNotValidAt,
    /// A private key does not belong to the certificate it was paired with.
    #[error("private key does not match its certificate")]
    KeyMismatch,
    /// Structurally invalid input; the text names the structure, never its secret content.
    #[error("malformed input: {0}")]
    Malformed(String),
    /// Elliptic-curve failure (bad point, unsupported curve, ...).
    #[error("elliptic curve error: {0}")]
    Ec(#[from] EcError),
}

impl Error {
    /// A stable snake_case name of the variant, for machine-readable error output.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotBase64 => "not_base64",
            Error::NotCms => "not_cms",
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::RecipientNotFound => "recipient_not_found",
            Error::SenderCertificateNotFound => "sender_certificate_not_found",
            Error::WrongPassword => "wrong_password",
            Error::MacMismatch => "mac_mismatch",
            Error::DigestMismatch => "digest_mismatch",
            Error::BadSignature => "bad_signature",
            Error::UntrustedSigner => "untrusted_signer",
            Error::CertificateNotValidAt => "certificate_not_valid_at",
            Error::KeyMismatch => "key_mismatch",
            Error::Malformed(_) => "malformed",
            Error::Ec(_) => "ec",
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
