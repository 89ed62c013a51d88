//! CMS SignedData in the Ukrainian CAdES profile: verification (messageDigest, DSTU 4145
//! signature, signingCertificateV2, content time-stamp imprint, trust and validity time) and
//! creation of attached signatures.

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::asn1::{self, Reader, Tlv, tag};
use crate::cert::{self, Certificate};
use crate::dstu4145::{self, PrivateKey};
use crate::error::{Error, Result};
use crate::hash::{HASH_LEN, gost34311};
use crate::oids;

/// Whom to trust and when: the signer certificate must be one of `trusted_signers` or be
/// issued by one of them, and be valid at `at`.
#[derive(Clone, Debug)]
pub struct TrustPolicy {
    /// Pinned signer certificates or their issuing CAs.
    pub trusted_signers: Vec<Certificate>,
    /// The time at which certificates must be valid.
    pub at: OffsetDateTime,
}

/// Who signed, for display and audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerSummary {
    /// Subject of the signer certificate.
    pub subject: String,
    /// Serial number (upper-case hex).
    pub serial_hex: String,
    /// Issuer of the signer certificate.
    pub issuer: String,
}

/// The result of a successful signature verification.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The signed content.
    pub content: Vec<u8>,
    /// The (first) signer.
    pub signer: SignerSummary,
    /// The signingTime attribute, if present.
    pub signing_time: Option<OffsetDateTime>,
    /// genTime of the content time-stamp, if one is attached.
    pub content_timestamp: Option<OffsetDateTime>,
    /// Digest algorithm OID (dotted).
    pub digest_oid: String,
    /// Signature algorithm OID (dotted).
    pub signature_oid: String,
    /// The signer certificate.
    pub signer_certificate: Certificate,
}

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// Accepts DER, base64 (with or without line breaks) or PEM text.
pub(crate) fn decode_input(input: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    if input.first() == Some(&tag::SEQUENCE) {
        return Ok(std::borrow::Cow::Borrowed(input));
    }
    use base64::Engine as _;
    let text = std::str::from_utf8(input).map_err(|_| Error::NotBase64)?;
    let keep_line = |line: &&str| !line.starts_with("-----");
    // Deliveries are ASCII; filtering bytes rather than chars makes this pass several times
    // cheaper on a 250 KB passport delivery. Other text keeps the Unicode whitespace rule.
    let body: Vec<u8> = if text.is_ascii() {
        let mut body = Vec::with_capacity(text.len());
        let is_space = |byte: &u8| byte.is_ascii_whitespace() || *byte == 0x0b;
        for line in text.lines().filter(keep_line) {
            for piece in line.as_bytes().split(is_space) {
                body.extend_from_slice(piece);
            }
        }
        body
    } else {
        text.lines()
            .filter(keep_line)
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into_bytes()
    };
    if body.is_empty() {
        return Err(Error::NotBase64);
    }
    base64::engine::general_purpose::STANDARD
        .decode(&body)
        .map(std::borrow::Cow::Owned)
        .map_err(|_| Error::NotBase64)
}

/// Unwraps `ContentInfo { contentType, [0] EXPLICIT content }` of the expected type.
pub(crate) fn content_info(der: &[u8], expected: ObjectIdentifier) -> Result<Tlv<'_>> {
    let outer = asn1::parse_one(der, tag::SEQUENCE).map_err(|_| Error::NotCms)?;
    let mut reader = Reader::of(outer);
    let content_type = reader.oid().map_err(|_| Error::NotCms)?;
    if content_type != expected {
        return Err(Error::NotCms);
    }
    let explicit = reader.expect(tag::ctx(0)).map_err(|_| Error::NotCms)?;
    reader.finish().map_err(|_| Error::NotCms)?;
    asn1::parse_one(explicit.content, tag::SEQUENCE)
}

/// How a SignerInfo or recipient names its certificate.
#[derive(Clone, Copy)]
pub(crate) enum CertRef<'a> {
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    KeyId(&'a [u8]),
}

impl<'a> CertRef<'a> {
    /// Parses IssuerAndSerialNumber (a SEQUENCE) or a key identifier with the given tag.
    pub(crate) fn parse(tlv: Tlv<'a>, key_id_tag: u8) -> Result<CertRef<'a>> {
        if tlv.tag == tag::SEQUENCE {
            let mut reader = Reader::of(tlv);
            let issuer = reader.expect(tag::SEQUENCE)?.raw;
            let serial = reader.expect(tag::INTEGER)?.content;
            reader.finish()?;
            Ok(CertRef::IssuerSerial { issuer, serial })
        } else if tlv.tag == key_id_tag {
            Ok(CertRef::KeyId(tlv.content))
        } else {
            Err(malformed("unknown certificate reference"))
        }
    }

    pub(crate) fn matches(&self, cert: &Certificate) -> bool {
        match self {
            CertRef::IssuerSerial { issuer, serial } => cert.matches_issuer_serial(issuer, serial),
            CertRef::KeyId(id) => {
                cert.subject_key_id() == Some(id) || cert.computed_key_id()[..] == **id
            }
        }
    }

    pub(crate) fn find<'c>(&self, pools: &[&'c [Certificate]]) -> Option<&'c Certificate> {
        pools.iter().flat_map(|pool| pool.iter()).find(|cert| self.matches(cert))
    }
}

struct SignedDataParts<'a> {
    content_type: ObjectIdentifier,
    content: Option<&'a [u8]>,
    certificates: Vec<Certificate>,
    signer_infos: Vec<Tlv<'a>>,
}

fn parse_signed_data(der: &[u8]) -> Result<SignedDataParts<'_>> {
    let signed = content_info(der, oids::SIGNED_DATA)?;
    let mut reader = Reader::of(signed);
    let version = reader.small_uint()?;
    if version > 5 {
        return Err(malformed("signed data version"));
    }
    reader.expect(tag::SET)?;
    let mut encap = Reader::of(reader.expect(tag::SEQUENCE)?);
    let content_type = encap.oid()?;
    let content = match encap.optional(tag::ctx(0))? {
        Some(explicit) => Some(asn1::parse_one(explicit.content, tag::OCTET_STRING)?.content),
        None => None,
    };
    encap.finish()?;
    let mut certificates = Vec::new();
    if let Some(certs) = reader.optional(tag::ctx(0))? {
        let mut certs = Reader::of(certs);
        while !certs.is_empty() {
            let cert = certs.any()?;
            match Certificate::from_der(cert.raw) {
                Ok(cert) => certificates.push(cert),
                Err(err) => tracing::debug!(error = %err, "skipping unusable certificate"),
            }
        }
    }
    reader.optional(tag::ctx(1))?;
    let mut signer_infos = Vec::new();
    let mut infos = Reader::of(reader.expect(tag::SET)?);
    while !infos.is_empty() {
        signer_infos.push(infos.expect(tag::SEQUENCE)?);
    }
    reader.finish()?;
    if signer_infos.is_empty() {
        return Err(malformed("no signer"));
    }
    Ok(SignedDataParts { content_type, content, certificates, signer_infos })
}

/// What a checked SignerInfo yields.
struct SignerCheck<'a> {
    certificate: Certificate,
    signing_time: Option<OffsetDateTime>,
    timestamp_token: Option<&'a [u8]>,
    digest_oid: ObjectIdentifier,
    signature_oid: ObjectIdentifier,
}

/// Checks one SignerInfo cryptographically (digest, signature, ESS certificate hash);
/// `content_digest` is the GOST 34.311 hash of the content, computed once by the caller since
/// every signer and the content time-stamp cover the same bytes (190 KB for a passport copy).
/// Returns `Ok(None)` when its certificate is not available in `pools`.
fn check_signer_info<'a>(
    info: Tlv<'a>,
    content_type: ObjectIdentifier,
    content_digest: &[u8; HASH_LEN],
    pools: &[&[Certificate]],
) -> Result<Option<SignerCheck<'a>>> {
    let mut reader = Reader::of(info);
    let version = reader.small_uint()?;
    if version != 1 && version != 3 {
        return Err(malformed("signer info version"));
    }
    let sid = CertRef::parse(reader.any()?, tag::ctx_prim(0))?;
    let (digest_oid, _) = asn1::algorithm(reader.expect(tag::SEQUENCE)?)?;
    let signed_attrs = reader.optional(tag::ctx(0))?;
    let (signature_oid, _) = asn1::algorithm(reader.expect(tag::SEQUENCE)?)?;
    let signature = reader.octets()?;
    reader.optional(tag::ctx(1))?;
    reader.finish()?;
    if digest_oid != oids::GOST34311 {
        return Err(Error::UnsupportedAlgorithm(digest_oid.to_string()));
    }
    if signature_oid != oids::DSTU4145_LE {
        return Err(Error::UnsupportedAlgorithm(signature_oid.to_string()));
    }
    let Some(certificate) = sid.find(pools) else {
        return Ok(None);
    };
    let mut signing_time = None;
    let mut timestamp_token = None;
    let signed_hash = match signed_attrs {
        None => *content_digest,
        Some(attrs) => {
            let mut message_digest = None;
            let mut seen_content_type = None;
            let mut ess_hash: Option<(ObjectIdentifier, &[u8])> = None;
            let mut attributes = Reader::of(attrs);
            while !attributes.is_empty() {
                let mut attribute = Reader::of(attributes.expect(tag::SEQUENCE)?);
                let oid = attribute.oid()?;
                let mut values = Reader::of(attribute.expect(tag::SET)?);
                attribute.finish()?;
                let value = values.any()?;
                if oid == oids::MESSAGE_DIGEST {
                    message_digest = Some(asn1::parse_one(value.raw, tag::OCTET_STRING)?.content);
                } else if oid == oids::CONTENT_TYPE {
                    seen_content_type = Some(
                        ObjectIdentifier::from_bytes(asn1::parse_one(value.raw, tag::OID)?.content)
                            .map_err(|_| malformed("content type attribute"))?,
                    );
                } else if oid == oids::SIGNING_TIME {
                    signing_time = Some(cert::parse_time(value)?);
                } else if oid == oids::SIGNING_CERTIFICATE_V2 {
                    ess_hash = Some(parse_ess_cert_hash(value)?);
                } else if oid == oids::CONTENT_TIMESTAMP {
                    timestamp_token = Some(value.raw);
                }
            }
            if seen_content_type != Some(content_type) {
                return Err(malformed("content type attribute missing or different"));
            }
            let message_digest =
                message_digest.ok_or_else(|| malformed("message digest attribute missing"))?;
            if message_digest != content_digest.as_slice() {
                return Err(Error::DigestMismatch);
            }
            if let Some((hash_oid, expected)) = ess_hash {
                let actual = if hash_oid == oids::GOST34311 {
                    gost34311(certificate.der()).to_vec()
                } else if hash_oid == oids::SHA256 {
                    use sha2::Digest as _;
                    sha2::Sha256::digest(certificate.der()).to_vec()
                } else {
                    return Err(Error::UnsupportedAlgorithm(hash_oid.to_string()));
                };
                if actual != expected {
                    return Err(Error::DigestMismatch);
                }
            }
            // The signature covers the attributes re-tagged as SET OF.
            let mut retagged = attrs.raw.to_vec();
            retagged[0] = tag::SET;
            gost34311(&retagged)
        }
    };
    dstu4145::verify(certificate.public_key(), &signed_hash, signature)
        .map_err(|_| Error::BadSignature)?;
    Ok(Some(SignerCheck {
        certificate: certificate.clone(),
        signing_time,
        timestamp_token,
        digest_oid,
        signature_oid,
    }))
}

/// Reads the hash algorithm and certHash of the first ESSCertIDv2.
fn parse_ess_cert_hash(value: Tlv<'_>) -> Result<(ObjectIdentifier, &[u8])> {
    let signing_certificate = asn1::parse_one(value.raw, tag::SEQUENCE)?;
    let mut reader = Reader::of(signing_certificate);
    let mut ids = Reader::of(reader.expect(tag::SEQUENCE)?);
    let mut first = Reader::of(ids.expect(tag::SEQUENCE)?);
    let hash_oid = match first.optional(tag::SEQUENCE)? {
        Some(algorithm) => asn1::algorithm(algorithm)?.0,
        None => oids::SHA256,
    };
    Ok((hash_oid, first.octets()?))
}

/// Checks a content time-stamp token: its imprint must be the content hash (`content_digest`);
/// its own signature is checked when the TSA certificate is available. Returns genTime.
fn check_timestamp(
    token: &[u8],
    content_digest: &[u8; HASH_LEN],
    pools: &[&[Certificate]],
) -> Result<OffsetDateTime> {
    let parts = parse_signed_data(token)?;
    if parts.content_type != oids::TST_INFO {
        return Err(malformed("time-stamp token without tst info"));
    }
    let tst_info = parts.content.ok_or_else(|| malformed("time-stamp token without content"))?;
    let mut reader = Reader::of(asn1::parse_one(tst_info, tag::SEQUENCE)?);
    reader.expect(tag::INTEGER)?;
    reader.oid()?;
    let mut imprint = Reader::of(reader.expect(tag::SEQUENCE)?);
    let (hash_oid, _) = asn1::algorithm(imprint.expect(tag::SEQUENCE)?)?;
    let hashed = imprint.octets()?;
    imprint.finish()?;
    reader.expect(tag::INTEGER)?;
    let gen_time = cert::parse_time(reader.expect(tag::GENERALIZED_TIME)?)?;
    if hash_oid != oids::GOST34311 {
        return Err(Error::UnsupportedAlgorithm(hash_oid.to_string()));
    }
    if content_digest[..] != *hashed {
        return Err(Error::DigestMismatch);
    }
    let mut token_pools: Vec<&[Certificate]> = vec![&parts.certificates];
    token_pools.extend_from_slice(pools);
    for info in &parts.signer_infos {
        let tst_digest = gost34311(tst_info);
        let checked = check_signer_info(*info, oids::TST_INFO, &tst_digest, &token_pools)?;
        if checked.is_none() {
            // FIXME(#3): the tokens seen carry no TSA certificate; without one configured only
            // the imprint can be checked.
            tracing::debug!("time-stamp authority certificate not available");
        }
    }
    Ok(gen_time)
}

/// Checks that the signer is trusted and its certificate valid at the policy time.
fn check_trust(signer: &Certificate, policy: &TrustPolicy) -> Result<()> {
    let trusted = policy.trusted_signers.iter().any(|trusted| {
        trusted == signer
            || (trusted.is_valid_at(policy.at) && signer.verify_issued_by(trusted).is_ok())
    });
    if !trusted {
        return Err(Error::UntrustedSigner);
    }
    if !signer.is_valid_at(policy.at) {
        return Err(Error::CertificateNotValidAt);
    }
    Ok(())
}

/// Verifies a DER SignedData; `extra_certs` are searched after the embedded certificates.
pub(crate) fn verify_signed_der(
    der: &[u8],
    detached: Option<&[u8]>,
    policy: &TrustPolicy,
    extra_certs: &[Certificate],
) -> Result<Verified> {
    let parts = parse_signed_data(der)?;
    let content = match (parts.content, detached) {
        (Some(attached), _) => attached,
        (None, Some(detached)) => detached,
        (None, None) => return Err(malformed("signed data without content")),
    };
    let pools: [&[Certificate]; 3] = [&parts.certificates, extra_certs, &policy.trusted_signers];
    let content_digest = gost34311(content);
    let mut first = None;
    for info in &parts.signer_infos {
        let checked = check_signer_info(*info, parts.content_type, &content_digest, &pools)?
            .ok_or(Error::UntrustedSigner)?;
        check_trust(&checked.certificate, policy)?;
        let timestamp = match checked.timestamp_token {
            Some(token) => Some(check_timestamp(token, &content_digest, &pools)?),
            None => None,
        };
        if first.is_none() {
            first = Some((checked, timestamp));
        }
    }
    let (checked, content_timestamp) = first.ok_or_else(|| malformed("no signer"))?;
    let cert = checked.certificate;
    Ok(Verified {
        content: content.to_vec(),
        signer: SignerSummary {
            subject: cert.subject().to_owned(),
            serial_hex: cert.serial_hex(),
            issuer: cert.issuer().to_owned(),
        },
        signing_time: checked.signing_time,
        content_timestamp,
        digest_oid: checked.digest_oid.to_string(),
        signature_oid: checked.signature_oid.to_string(),
        signer_certificate: cert,
    })
}

/// Verifies a signed-only CMS message (base64 text or DER), attached or with `detached`
/// content, against a trust policy.
pub fn verify_signed(
    input: &[u8],
    detached: Option<&[u8]>,
    policy: &TrustPolicy,
) -> Result<Verified> {
    let der = decode_input(input)?;
    verify_signed_der(&der, detached, policy, &[])
}

/// DER IssuerAndSerialNumber of a certificate.
pub(crate) fn issuer_and_serial(cert: &Certificate) -> Vec<u8> {
    asn1::seq(&[cert.issuer_der(), &asn1::tlv(tag::INTEGER, cert.serial_content())])
}

fn attribute(oid: &ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    asn1::seq(&[&asn1::oid(oid), &asn1::set_of(&[value])])
}

/// Signs `content` (attached, id-data) with CAdES-BES attributes: contentType, signingTime,
/// messageDigest and signingCertificateV2; returns the DER ContentInfo.
pub fn sign_attached<R: rand::CryptoRng>(
    content: &[u8],
    signer_key: &PrivateKey,
    signer_cert: &Certificate,
    signing_time: OffsetDateTime,
    rng: &mut R,
) -> Result<Vec<u8>> {
    if signer_key.public_key().to_compressed_le() != signer_cert.public_key().to_compressed_le() {
        return Err(Error::KeyMismatch);
    }
    let gost = asn1::algorithm_id(&oids::GOST34311, None);
    let general_names = asn1::seq(&[&asn1::tlv(tag::ctx(4), signer_cert.issuer_der())]);
    let issuer_serial =
        asn1::seq(&[&general_names, &asn1::tlv(tag::INTEGER, signer_cert.serial_content())]);
    let ess_cert_id =
        asn1::seq(&[&gost, &asn1::octets(&gost34311(signer_cert.der())), &issuer_serial]);
    let signing_certificate = asn1::seq(&[&asn1::seq(&[&ess_cert_id])]);
    let attributes = [
        attribute(&oids::CONTENT_TYPE, &asn1::oid(&oids::DATA)),
        attribute(&oids::SIGNING_TIME, &cert::encode_time(signing_time)),
        attribute(&oids::MESSAGE_DIGEST, &asn1::octets(&gost34311(content))),
        attribute(&oids::SIGNING_CERTIFICATE_V2, &signing_certificate),
    ];
    let refs: Vec<&[u8]> = attributes.iter().map(Vec::as_slice).collect();
    let mut signed_attrs = asn1::set_of(&refs);
    let signature = signer_key.sign(&gost34311(&signed_attrs), rng);
    signed_attrs[0] = tag::ctx(0);
    let signer_info = asn1::seq(&[
        &asn1::uint(1),
        &issuer_and_serial(signer_cert),
        &gost,
        &signed_attrs,
        &asn1::algorithm_id(&oids::DSTU4145_LE, None),
        &asn1::octets(&signature),
    ]);
    let signed_data = asn1::seq(&[
        &asn1::uint(1),
        &asn1::set_of(&[&gost]),
        &asn1::seq(&[&asn1::oid(&oids::DATA), &asn1::tlv(tag::ctx(0), &asn1::octets(content))]),
        &asn1::tlv(tag::ctx(0), signer_cert.der()),
        &asn1::set_of(&[&signer_info]),
    ]);
    Ok(asn1::seq(&[&asn1::oid(&oids::SIGNED_DATA), &asn1::tlv(tag::ctx(0), &signed_data)]))
}
