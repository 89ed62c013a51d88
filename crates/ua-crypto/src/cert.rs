//! X.509 certificates with DSTU 4145 keys: parsing, names, validity, key identifiers and the
//! check of a certificate's own DSTU 4145 signature.

use base64::Engine as _;
use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::asn1::{self, Reader, Tlv, tag};
use crate::dstu4145::{self, Curve, PublicKey};
use crate::error::{Error, Result};
use crate::hash::gost34311;
use crate::oids;
use crate::params::{self, DstuParams};

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// The keyUsage extension bits (bit 0 = digitalSignature, as in RFC 5280).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature.
    pub fn digital_signature(self) -> bool {
        self.0 & 1 != 0
    }
    /// nonRepudiation (contentCommitment).
    pub fn non_repudiation(self) -> bool {
        self.0 & 2 != 0
    }
    /// keyAgreement.
    pub fn key_agreement(self) -> bool {
        self.0 & 16 != 0
    }
    /// keyCertSign.
    pub fn key_cert_sign(self) -> bool {
        self.0 & 32 != 0
    }
}

/// A parsed X.509 certificate whose subject key is a DSTU 4145 key.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    serial: Vec<u8>,
    issuer_der: Vec<u8>,
    subject_der: Vec<u8>,
    issuer: String,
    subject: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    key_params: DstuParams,
    public_key: PublicKey,
    public_key_octets: Vec<u8>,
    subject_key_id: Option<Vec<u8>>,
    key_usage: Option<KeyUsage>,
    signature_algorithm: ObjectIdentifier,
    signature: Vec<u8>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("serial", &self.serial_hex())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Certificate) -> bool {
        self.der == other.der
    }
}
impl Eq for Certificate {}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        let outer = asn1::parse_one(der, tag::SEQUENCE)?;
        let mut reader = Reader::of(outer);
        let tbs = reader.expect(tag::SEQUENCE)?;
        let (signature_algorithm, _) = asn1::algorithm(reader.expect(tag::SEQUENCE)?)?;
        let signature_bits = reader.expect(tag::BIT_STRING)?;
        reader.finish()?;
        let tbs_start = tbs.raw.as_ptr() as usize - der.as_ptr() as usize;
        let mut cert = Certificate::parse_tbs(der, tbs)?;
        cert.tbs = tbs_start..tbs_start + tbs.raw.len();
        cert.signature_algorithm = signature_algorithm;
        // X.509 DSTU signatures are an OCTET STRING (r ‖ s) inside the BIT STRING.
        let payload = asn1::bit_string_bytes(signature_bits.content)?;
        cert.signature = match asn1::parse_one(payload, tag::OCTET_STRING) {
            Ok(inner) => inner.content.to_vec(),
            Err(_) => payload.to_vec(),
        };
        Ok(cert)
    }

    /// Parses PEM (`-----BEGIN CERTIFICATE-----`), bare base64 or DER.
    pub fn from_pem_or_der(input: &[u8]) -> Result<Certificate> {
        if input.first() == Some(&tag::SEQUENCE) {
            return Certificate::from_der(input);
        }
        let text = std::str::from_utf8(input).map_err(|_| Error::NotBase64)?;
        let body: String = text
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .flat_map(|line| line.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|_| Error::NotBase64)?;
        Certificate::from_der(&der)
    }

    fn parse_tbs(der: &[u8], tbs: Tlv<'_>) -> Result<Certificate> {
        let mut reader = Reader::of(tbs);
        reader.optional(tag::ctx(0))?;
        let serial = reader.expect(tag::INTEGER)?.content.to_vec();
        reader.expect(tag::SEQUENCE)?;
        let issuer = reader.expect(tag::SEQUENCE)?;
        let mut validity = Reader::of(reader.expect(tag::SEQUENCE)?);
        let not_before = parse_time(validity.any()?)?;
        let not_after = parse_time(validity.any()?)?;
        validity.finish()?;
        let subject = reader.expect(tag::SEQUENCE)?;
        let mut spki = Reader::of(reader.expect(tag::SEQUENCE)?);
        let (key_algorithm, key_params) = asn1::algorithm(spki.expect(tag::SEQUENCE)?)?;
        let key_bits = spki.expect(tag::BIT_STRING)?;
        spki.finish()?;
        if key_algorithm != oids::DSTU4145_LE {
            return Err(Error::UnsupportedAlgorithm(key_algorithm.to_string()));
        }
        let key_params = params::parse_dstu_params(
            key_params.ok_or_else(|| malformed("dstu key without parameters"))?,
        )?;
        let key_payload = asn1::bit_string_bytes(key_bits.content)?;
        let key_octets = asn1::parse_one(key_payload, tag::OCTET_STRING)?.content;
        let public_key = PublicKey::from_compressed_le(&key_params.curve, key_octets)?;
        reader.optional(tag::ctx_prim(1))?;
        reader.optional(tag::ctx_prim(2))?;
        let mut subject_key_id = None;
        let mut key_usage = None;
        if let Some(extensions) = reader.optional(tag::ctx(3))? {
            let list = asn1::parse_one(extensions.content, tag::SEQUENCE)?;
            let mut list = Reader::of(list);
            while !list.is_empty() {
                let mut extension = Reader::of(list.expect(tag::SEQUENCE)?);
                let id = extension.oid()?;
                extension.optional(tag::BOOLEAN)?;
                let value = extension.octets()?;
                extension.finish()?;
                if id == oids::SUBJECT_KEY_ID {
                    subject_key_id =
                        Some(asn1::parse_one(value, tag::OCTET_STRING)?.content.to_vec());
                } else if id == oids::KEY_USAGE {
                    key_usage = Some(parse_key_usage(value)?);
                }
            }
        }
        reader.finish()?;
        Ok(Certificate {
            der: der.to_vec(),
            tbs: 0..0,
            serial,
            issuer_der: issuer.raw.to_vec(),
            subject_der: subject.raw.to_vec(),
            issuer: format_name(issuer)?,
            subject: format_name(subject)?,
            not_before,
            not_after,
            public_key,
            public_key_octets: key_payload.to_vec(),
            key_params,
            subject_key_id,
            key_usage,
            signature_algorithm: oids::DSTU4145_LE,
            signature: Vec::new(),
        })
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject as `ATTR=value` pairs joined by ", ", in encoded order.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer, formatted like [`Certificate::subject`].
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The serial number as upper-case hex of its INTEGER content octets.
    pub fn serial_hex(&self) -> String {
        self.serial.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// End of the validity period.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// True when `at` lies within the validity period.
    pub fn is_valid_at(&self, at: OffsetDateTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// The subjectKeyIdentifier extension, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }

    /// The DSTU key identifier computed from the key: GOST 34.311 of the subjectPublicKey
    /// payload (equal to the SKI in the certificates seen so far).
    pub fn computed_key_id(&self) -> [u8; 32] {
        gost34311(&self.public_key_octets)
    }

    /// The keyUsage extension, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.key_usage
    }

    /// The subject's DSTU 4145 public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The curve of the subject key.
    pub fn curve(&self) -> &Curve {
        &self.key_params.curve
    }

    pub(crate) fn key_params(&self) -> &DstuParams {
        &self.key_params
    }

    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    pub(crate) fn serial_content(&self) -> &[u8] {
        &self.serial
    }

    /// True when this certificate is the one named by an IssuerAndSerialNumber.
    pub(crate) fn matches_issuer_serial(&self, issuer_der: &[u8], serial: &[u8]) -> bool {
        self.issuer_der == issuer_der && self.serial == serial
    }

    /// Checks that `issuer` issued this certificate: names chain and the DSTU 4145 signature
    /// over the to-be-signed part verifies with the issuer's key.
    pub fn verify_issued_by(&self, issuer: &Certificate) -> Result<()> {
        if self.issuer_der != issuer.subject_der {
            return Err(Error::UntrustedSigner);
        }
        if self.signature_algorithm != oids::DSTU4145_LE {
            return Err(Error::UnsupportedAlgorithm(self.signature_algorithm.to_string()));
        }
        let hash = gost34311(&self.der[self.tbs.clone()]);
        dstu4145::verify(issuer.public_key(), &hash, &self.signature)
            .map_err(|_| Error::BadSignature)
    }
}

fn parse_key_usage(value: &[u8]) -> Result<KeyUsage> {
    let bits = asn1::parse_one(value, tag::BIT_STRING)?;
    let (_, bytes) = bits.content.split_first().ok_or_else(|| malformed("key usage"))?;
    let mut usage = 0u16;
    for (byte_idx, byte) in bytes.iter().take(2).enumerate() {
        for bit in 0..8 {
            if byte & (0x80 >> bit) != 0 {
                usage |= 1 << (byte_idx * 8 + bit);
            }
        }
    }
    Ok(KeyUsage(usage))
}

/// Parses UTCTime or GeneralizedTime (UTC, "Z" suffix, optional fraction ignored).
pub(crate) fn parse_time(tlv: Tlv<'_>) -> Result<OffsetDateTime> {
    let text = std::str::from_utf8(tlv.content).map_err(|_| malformed("time"))?;
    let text = text.strip_suffix('Z').ok_or_else(|| malformed("time without z"))?;
    let text = text.split('.').next().unwrap_or(text);
    let (year, rest) = match tlv.tag {
        tag::UTC_TIME if text.len() == 12 => {
            let yy: i32 = text[..2].parse().map_err(|_| malformed("time"))?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &text[2..])
        }
        tag::GENERALIZED_TIME if text.len() == 14 => {
            (text[..4].parse().map_err(|_| malformed("time"))?, &text[4..])
        }
        _ => return Err(malformed("time")),
    };
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("time"));
    }
    let field = |idx: usize| -> Result<u8> {
        rest.get(idx..idx + 2).and_then(|s| s.parse().ok()).ok_or_else(|| malformed("time"))
    };
    let month = time::Month::try_from(field(0)?).map_err(|_| malformed("time"))?;
    let date =
        time::Date::from_calendar_date(year, month, field(2)?).map_err(|_| malformed("time"))?;
    let clock =
        time::Time::from_hms(field(4)?, field(6)?, field(8)?).map_err(|_| malformed("time"))?;
    Ok(date.with_time(clock).assume_utc())
}

/// Encodes a time as UTCTime (years 1950–2049) or GeneralizedTime.
pub(crate) fn encode_time(at: OffsetDateTime) -> Vec<u8> {
    let at = at.to_offset(time::UtcOffset::UTC);
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if (1950..2050).contains(&at.year()) {
        asn1::tlv(tag::UTC_TIME, format!("{:02}{rest}", at.year() % 100).as_bytes())
    } else {
        asn1::tlv(tag::GENERALIZED_TIME, format!("{:04}{rest}", at.year()).as_bytes())
    }
}

fn attribute_short_name(oid: &ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "2.5.4.3" => "CN".to_owned(),
        "2.5.4.4" => "SN".to_owned(),
        "2.5.4.5" => "serialNumber".to_owned(),
        "2.5.4.6" => "C".to_owned(),
        "2.5.4.7" => "L".to_owned(),
        "2.5.4.8" => "ST".to_owned(),
        "2.5.4.10" => "O".to_owned(),
        "2.5.4.11" => "OU".to_owned(),
        "2.5.4.12" => "title".to_owned(),
        "2.5.4.42" => "GN".to_owned(),
        "2.5.4.97" => "organizationIdentifier".to_owned(),
        other => other.to_owned(),
    }
}

fn decode_string(value: Tlv<'_>) -> String {
    match value.tag {
        // BMPString: UTF-16BE.
        0x1e => {
            let units: Vec<u16> = value
                .content
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(value.content).into_owned(),
    }
}

fn format_name(name: Tlv<'_>) -> Result<String> {
    let mut parts = Vec::new();
    let mut rdns = Reader::of(name);
    while !rdns.is_empty() {
        let mut rdn = Reader::of(rdns.expect(tag::SET)?);
        while !rdn.is_empty() {
            let mut pair = Reader::of(rdn.expect(tag::SEQUENCE)?);
            let attribute = pair.oid()?;
            let value = pair.any()?;
            pair.finish()?;
            parts.push(format!("{}={}", attribute_short_name(&attribute), decode_string(value)));
        }
    }
    Ok(parts.join(", "))
}

/// Builds a Name from (attribute OID, UTF-8 value) pairs, one RDN each.
pub(crate) fn encode_name(attributes: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attributes
        .iter()
        .map(|(attribute, value)| {
            let oid = ObjectIdentifier::new_unwrap(attribute);
            let string_tag = if *attribute == "2.5.4.6" || *attribute == "2.5.4.5" {
                tag::PRINTABLE_STRING
            } else {
                tag::UTF8_STRING
            };
            let pair = asn1::seq(&[&asn1::oid(&oid), &asn1::tlv(string_tag, value.as_bytes())]);
            asn1::set_of(&[&pair])
        })
        .collect();
    let refs: Vec<&[u8]> = rdns.iter().map(Vec::as_slice).collect();
    asn1::seq(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        let at = time::macros::datetime!(2024-10-24 10:22:56 UTC);
        let encoded = encode_time(at);
        assert_eq!(&encoded[2..], b"241024102256Z");
        assert_eq!(parse_time(asn1::parse_one(&encoded, tag::UTC_TIME).unwrap()).unwrap(), at);
        let far = time::macros::datetime!(2060-01-02 03:04:05 UTC);
        let encoded = encode_time(far);
        let parsed = parse_time(asn1::parse_one(&encoded, tag::GENERALIZED_TIME).unwrap());
        assert_eq!(parsed.unwrap(), far);
    }

    #[test]
    fn bad_times_are_errors() {
        for text in ["2410241022Z", "24102410225xZ", "241324102256Z", "241024102256"] {
            let encoded = asn1::tlv(tag::UTC_TIME, text.as_bytes());
            assert!(parse_time(asn1::parse_one(&encoded, tag::UTC_TIME).unwrap()).is_err());
        }
    }
}
