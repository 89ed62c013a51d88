//! Test keys and certificates: a self-signed DSTU 4145 CA that issues identities with an
//! M257 signing key and an M431 key-agreement key, like the Diia and partner test sets.
//! For tests and the simulator only; these certificates chain to nothing real.

use const_oid::ObjectIdentifier;
use time::{Duration, OffsetDateTime};

use crate::asn1::{self, tag};
use crate::cert::{self, Certificate, KeyUsage};
use crate::dstu4145::{Curve, PrivateKey, PublicKey};
use crate::error::{Error, Result};
use crate::gost89::DKE1;
use crate::hash::gost34311;
use crate::oids;
use crate::params;

/// Named curve M257 (x^257 + x^12 + 1, A = 0): signatures.
pub const M257_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.804.2.1.1.1.1.3.1.1.2.6");
/// Named curve M431 (x^431 + x^5 + x^3 + x + 1, A = 1): key agreement.
pub const M431_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.804.2.1.1.1.1.3.1.1.2.9");

/// The curve with the given named-curve OID from the built-in table.
pub fn named_curve(oid: &ObjectIdentifier) -> Result<Curve> {
    Curve::named(&oid.to_string()).ok_or_else(|| Error::UnsupportedAlgorithm(oid.to_string()))
}

/// A self-signed test certification authority.
pub struct TestCa {
    /// The CA's signing key (M257).
    pub key: PrivateKey,
    /// The CA's self-signed certificate.
    pub cert: Certificate,
}

/// A subject with a signing key and a key-agreement key, both certified by a [`TestCa`].
pub struct Identity {
    /// Signing key (M257).
    pub signing_key: PrivateKey,
    /// Certificate of the signing key (digitalSignature, nonRepudiation).
    pub signing_cert: Certificate,
    /// Key-agreement key (M431).
    pub ka_key: PrivateKey,
    /// Certificate of the key-agreement key (keyAgreement).
    pub ka_cert: Certificate,
    /// The issuing CA's certificate (trust anchor for `signing_cert`).
    pub ca_cert: Certificate,
}

/// Validity window: one day back (clock skew), five years ahead.
fn default_validity() -> (OffsetDateTime, OffsetDateTime) {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    (now - Duration::days(1), now + Duration::days(5 * 365))
}

fn key_usage_extension(usage: KeyUsage) -> Vec<u8> {
    let bytes = [(usage.0 & 0xff) as u8, (usage.0 >> 8) as u8];
    let mut out = [0u8; 2];
    for (idx, byte) in bytes.iter().enumerate() {
        out[idx] = byte.reverse_bits();
    }
    let n_bytes = if out[1] != 0 { 2 } else { 1 };
    let last = out[n_bytes - 1];
    let unused = if last == 0 { 0 } else { last.trailing_zeros() as u8 };
    let mut content = vec![unused];
    content.extend_from_slice(&out[..n_bytes]);
    extension("2.5.29.15", true, &asn1::tlv(tag::BIT_STRING, &content))
}

fn extension(oid: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let oid = asn1::oid(&ObjectIdentifier::new_unwrap(oid));
    if critical {
        asn1::seq(&[&oid, &asn1::tlv(tag::BOOLEAN, &[0xff]), &asn1::octets(value)])
    } else {
        asn1::seq(&[&oid, &asn1::octets(value)])
    }
}

fn spki_octets(public: &PublicKey) -> Vec<u8> {
    asn1::octets(&public.to_compressed_le())
}

/// Everything [`issue_certificate`] writes into a certificate.
struct CertSpec<'a> {
    subject: &'a [u8],
    issuer: &'a [u8],
    issuer_key_id: [u8; 32],
    public_key: &'a PublicKey,
    usage: KeyUsage,
    is_ca: bool,
    validity: (OffsetDateTime, OffsetDateTime),
}

fn issue_certificate<R: rand::CryptoRng>(
    spec: &CertSpec<'_>,
    issuer_key: &PrivateKey,
    rng: &mut R,
) -> Result<Certificate> {
    let mut serial = [0u8; 20];
    rng.fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let spki_payload = spki_octets(spec.public_key);
    let key_id = gost34311(&spki_payload);
    let mut extensions = vec![
        extension("2.5.29.14", false, &asn1::octets(&key_id)),
        extension(
            "2.5.29.35",
            false,
            &asn1::seq(&[&asn1::tlv(tag::ctx_prim(0), &spec.issuer_key_id)]),
        ),
        key_usage_extension(spec.usage),
    ];
    if spec.is_ca {
        extensions.push(extension(
            "2.5.29.19",
            true,
            &asn1::seq(&[&asn1::tlv(tag::BOOLEAN, &[0xff])]),
        ));
    }
    let extension_refs: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
    let signature_algorithm = asn1::algorithm_id(&oids::DSTU4145_LE, None);
    let spki = asn1::seq(&[
        &params::dstu_key_algorithm(spec.public_key.curve(), &DKE1),
        &asn1::bit_string(&spki_payload),
    ]);
    let tbs = asn1::seq(&[
        &asn1::tlv(tag::ctx(0), &asn1::uint(2)),
        &asn1::uint_be(&serial),
        &signature_algorithm,
        spec.issuer,
        &asn1::seq(&[&cert::encode_time(spec.validity.0), &cert::encode_time(spec.validity.1)]),
        spec.subject,
        &spki,
        &asn1::tlv(tag::ctx(3), &asn1::seq(&extension_refs)),
    ]);
    let signature = issuer_key.sign(&gost34311(&tbs), rng);
    // X.509 DSTU signatures wrap r ‖ s in an OCTET STRING inside the BIT STRING.
    let der =
        asn1::seq(&[&tbs, &signature_algorithm, &asn1::bit_string(&asn1::octets(&signature))]);
    Certificate::from_der(&der)
}

fn subject_name(common_name: &str) -> Vec<u8> {
    cert::encode_name(&[("2.5.4.10", "Vikno test"), ("2.5.4.3", common_name), ("2.5.4.6", "UA")])
}

impl TestCa {
    /// Generates a CA key (M257) and its self-signed certificate.
    pub fn generate<R: rand::CryptoRng>(common_name: &str, rng: &mut R) -> Result<TestCa> {
        let key = PrivateKey::generate(&named_curve(&M257_OID)?, rng);
        let name = subject_name(common_name);
        let public = key.public_key();
        let spec = CertSpec {
            subject: &name,
            issuer: &name,
            issuer_key_id: gost34311(&spki_octets(&public)),
            public_key: &public,
            usage: KeyUsage(32 | 64),
            is_ca: true,
            validity: default_validity(),
        };
        let cert = issue_certificate(&spec, &key, rng)?;
        Ok(TestCa { key, cert })
    }

    /// Issues a certificate for `public_key` with the given key usage.
    pub fn issue<R: rand::CryptoRng>(
        &self,
        common_name: &str,
        public_key: &PublicKey,
        usage: KeyUsage,
        rng: &mut R,
    ) -> Result<Certificate> {
        let spec = CertSpec {
            subject: &subject_name(common_name),
            issuer: self.cert.subject_der(),
            issuer_key_id: self.cert.computed_key_id(),
            public_key,
            usage,
            is_ca: false,
            validity: default_validity(),
        };
        issue_certificate(&spec, &self.key, rng)
    }

    /// Generates an identity: an M257 signing key and an M431 key-agreement key, certified.
    pub fn generate_identity<R: rand::CryptoRng>(
        &self,
        common_name: &str,
        rng: &mut R,
    ) -> Result<Identity> {
        let signing_key = PrivateKey::generate(&named_curve(&M257_OID)?, rng);
        let signing_cert =
            self.issue(common_name, &signing_key.public_key(), KeyUsage(1 | 2), rng)?;
        let ka_key = PrivateKey::generate(&named_curve(&M431_OID)?, rng);
        let ka_cert = self.issue(common_name, &ka_key.public_key(), KeyUsage(16), rng)?;
        Ok(Identity { signing_key, signing_cert, ka_key, ka_cert, ca_cert: self.cert.clone() })
    }
}

/// Generates a fresh CA named "`common_name` CA" and one identity issued by it.
pub fn generate_identity<R: rand::CryptoRng>(common_name: &str, rng: &mut R) -> Result<Identity> {
    let ca = TestCa::generate(&format!("{common_name} CA"), rng)?;
    ca.generate_identity(common_name, rng)
}
