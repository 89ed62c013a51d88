//! CMS EnvelopedData with KeyAgreeRecipientInfo in the Ukrainian profile: static–static
//! cofactor DH on DSTU 4145 curves, the GOST 34.311 KDF, the GOST 28147 key wrap and GOST
//! 28147 CFB content encryption; opening (then verifying the inner SignedData) and sealing.

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::asn1::{self, Reader, Tlv, tag};
use crate::cert::Certificate;
use crate::container::{ContainerKey, KeyContainer, gost_cfb_params};
use crate::dstu4145::{PrivateKey, PublicKey};
use crate::error::{Error, Result};
use crate::gost89::{self, DKE1, Gost89, SBox};
use crate::hash::kdf_gost34311;
use crate::oids;
use crate::signed::{self, CertRef, SignerSummary, TrustPolicy};

/// Algorithms an opened envelope used (dotted OIDs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Algorithms {
    /// Content encryption (e.g. GOST 28147 CFB `1.2.804.2.1.1.1.1.1.1.3`).
    pub content_cipher_oid: String,
    /// Key agreement (e.g. cofactor DH + GOST 34.311 KDF `1.2.804.2.1.1.1.1.3.4`).
    pub key_agreement_oid: String,
    /// Digest of the inner signature.
    pub digest_oid: String,
    /// Inner signature algorithm.
    pub signature_oid: String,
}

/// A decrypted and verified delivery.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The signed content (PDF, JSON, ...).
    pub content: Vec<u8>,
    /// Who signed it.
    pub signer: SignerSummary,
    /// The signingTime attribute, if present.
    pub signing_time: Option<OffsetDateTime>,
    /// Algorithms used.
    pub algorithms: Algorithms,
    /// The signer's certificate.
    pub signer_certificate: Certificate,
}

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// The recipient-side result of processing the recipient infos.
struct Unwrapped {
    cek: Zeroizing<[u8; 32]>,
    key_agreement: ObjectIdentifier,
}

/// Opens an envelope (base64 text or DER): finds our key among the recipients, derives the
/// key-encryption key with the sender's key-agreement certificate (from the envelope's
/// originatorInfo or from `sender_certs`), decrypts, and verifies the inner SignedData
/// against `policy`.
pub fn open_envelope(
    input: &[u8],
    keys: &KeyContainer,
    sender_certs: &[Certificate],
    policy: &TrustPolicy,
) -> Result<Opened> {
    let der = signed::decode_input(input)?;
    let enveloped = signed::content_info(&der, oids::ENVELOPED_DATA)?;
    let mut reader = Reader::of(enveloped);
    let version = reader.small_uint()?;
    if version > 4 {
        return Err(malformed("enveloped data version"));
    }
    let mut originator_certs = Vec::new();
    if let Some(originator_info) = reader.optional(tag::ctx(0))? {
        let mut info = Reader::of(originator_info);
        if let Some(certs) = info.optional(tag::ctx(0))? {
            let mut certs = Reader::of(certs);
            while !certs.is_empty() {
                let cert = certs.any()?;
                match Certificate::from_der(cert.raw) {
                    Ok(cert) => originator_certs.push(cert),
                    Err(err) => tracing::debug!(error = %err, "skipping unusable certificate"),
                }
            }
        }
    }
    let recipient_infos = reader.expect(tag::SET)?;
    let mut content_info = Reader::of(reader.expect(tag::SEQUENCE)?);
    reader.optional(tag::ctx(1))?;
    reader.finish()?;
    let content_type = content_info.oid()?;
    let (cipher_oid, cipher_params) = asn1::algorithm(content_info.expect(tag::SEQUENCE)?)?;
    let ciphertext = match content_info.any()? {
        primitive if primitive.tag == tag::ctx_prim(0) => primitive.content.to_vec(),
        // BER-style chunked content: concatenate the OCTET STRING pieces.
        constructed if constructed.tag == tag::ctx(0) => {
            let mut chunks = Reader::of(constructed);
            let mut out = Vec::new();
            while !chunks.is_empty() {
                out.extend_from_slice(chunks.octets()?);
            }
            out
        }
        _ => return Err(malformed("encrypted content")),
    };
    content_info.finish()?;
    if content_type != oids::DATA && content_type != oids::SIGNED_DATA {
        return Err(malformed("unexpected encrypted content type"));
    }
    let (iv, content_sbox) = gost_cfb_params(cipher_oid, cipher_params)?;

    let sender_pools: [&[Certificate]; 3] = [&originator_certs, sender_certs, keys.certificates()];
    let unwrapped = unwrap_for_us(recipient_infos, keys, &sender_pools)?;
    let cipher = Gost89::new(&unwrapped.cek, &content_sbox);
    let plain = Zeroizing::new(cipher.cfb_decrypt(&iv, &ciphertext));

    let mut extra: Vec<Certificate> = sender_certs.to_vec();
    extra.extend(keys.certificates().iter().cloned());
    let verified = signed::verify_signed_der(&plain, None, policy, &extra)?;
    Ok(Opened {
        content: verified.content,
        signer: verified.signer,
        signing_time: verified.signing_time,
        algorithms: Algorithms {
            content_cipher_oid: cipher_oid.to_string(),
            key_agreement_oid: unwrapped.key_agreement.to_string(),
            digest_oid: verified.digest_oid,
            signature_oid: verified.signature_oid,
        },
        signer_certificate: verified.signer_certificate,
    })
}

/// Finds the recipient entry addressed to one of our keys and unwraps the content key.
fn unwrap_for_us(
    recipient_infos: Tlv<'_>,
    keys: &KeyContainer,
    sender_pools: &[&[Certificate]],
) -> Result<Unwrapped> {
    let mut infos = Reader::of(recipient_infos);
    let mut unsupported = None;
    while !infos.is_empty() {
        let info = infos.any()?;
        if info.tag != tag::ctx(1) {
            // KeyTransRecipientInfo and the others do not fit DSTU keys.
            unsupported.get_or_insert_with(|| "recipient info kind".to_owned());
            continue;
        }
        match unwrap_kari(info, keys, sender_pools)? {
            Some(unwrapped) => return Ok(unwrapped),
            None => continue,
        }
    }
    Err(Error::RecipientNotFound)
}

/// Which of our keys an entry addresses, by certificate or key identifier.
fn find_our_key<'k>(
    rid: &CertRef<'_>,
    keys: &'k KeyContainer,
    sender_pools: &[&[Certificate]],
) -> Option<&'k ContainerKey> {
    keys.keys().iter().find(|key| {
        if key.certificate().is_some_and(|cert| rid.matches(cert)) {
            return true;
        }
        if let CertRef::KeyId(id) = rid
            && key.key_id()[..] == **id
        {
            return true;
        }
        // The key's certificate may have been supplied separately (legacy containers hold
        // no certificates): accept it only if it carries exactly this key.
        sender_pools
            .iter()
            .flat_map(|pool| pool.iter())
            .any(|cert| rid.matches(cert) && key.matches_certificate(cert))
    })
}

fn unwrap_kari(
    info: Tlv<'_>,
    keys: &KeyContainer,
    sender_pools: &[&[Certificate]],
) -> Result<Option<Unwrapped>> {
    let mut reader = Reader::of(info);
    if reader.small_uint()? != 3 {
        return Err(malformed("key agreement recipient version"));
    }
    // The originator CHOICE is [0] EXPLICIT around one element of any tag.
    let originator_outer = reader.expect(tag::ctx(0))?;
    let (originator, rest) = asn1::read_tlv(originator_outer.content)?;
    if !rest.is_empty() {
        return Err(malformed("originator"));
    }
    let ukm = match reader.optional(tag::ctx(1))? {
        Some(ukm) => Some(asn1::parse_one(ukm.content, tag::OCTET_STRING)?.content),
        None => None,
    };
    let (agreement_oid, agreement_params) = asn1::algorithm(reader.expect(tag::SEQUENCE)?)?;
    let mut encrypted_keys = Reader::of(reader.expect(tag::SEQUENCE)?);
    reader.finish()?;
    if agreement_oid != oids::DH_COFACTOR_GOST34311 {
        return Err(Error::UnsupportedAlgorithm(agreement_oid.to_string()));
    }
    let wrap_algorithm = agreement_params.ok_or_else(|| malformed("key wrap algorithm"))?;
    let (wrap_oid, _) = asn1::algorithm(wrap_algorithm)?;
    if wrap_oid != oids::GOST28147_WRAP {
        return Err(Error::UnsupportedAlgorithm(wrap_oid.to_string()));
    }

    while !encrypted_keys.is_empty() {
        let mut entry = Reader::of(encrypted_keys.expect(tag::SEQUENCE)?);
        let rid_tlv = entry.any()?;
        let wrapped = entry.octets()?;
        entry.finish()?;
        let rid = match rid_tlv.tag {
            tag::SEQUENCE => CertRef::parse(rid_tlv, 0)?,
            // [0] IMPLICIT RecipientKeyIdentifier { subjectKeyIdentifier, date?, other? }
            t if t == tag::ctx(0) => CertRef::KeyId(Reader::of(rid_tlv).octets()?),
            _ => return Err(malformed("recipient identifier")),
        };
        let Some(our_key) = find_our_key(&rid, keys, sender_pools) else {
            continue;
        };
        let sender_public = sender_public_key(originator, our_key, sender_pools)?;
        let zx = our_key.private_key().ecdh_cofactor_x_be(&sender_public)?;
        let shared_info = shared_info(wrap_algorithm.raw, ukm);
        let kek_bytes = kdf_gost34311(&zx, &shared_info);
        let kek = Gost89::new(&kek_bytes, &our_key.sbox());
        let cek = gost89::unwrap_key(&kek, wrapped).map_err(|err| match err {
            gost89::SymError::MacMismatch => Error::MacMismatch,
            gost89::SymError::BadLength => malformed("wrapped key length"),
        })?;
        return Ok(Some(Unwrapped { cek, key_agreement: agreement_oid }));
    }
    Ok(None)
}

/// Resolves the originator to a public key on our key's curve.
fn sender_public_key(
    originator: Tlv<'_>,
    our_key: &ContainerKey,
    sender_pools: &[&[Certificate]],
) -> Result<PublicKey> {
    let cert = if originator.tag == tag::ctx(1) {
        // OriginatorPublicKey { algorithm, publicKey BIT STRING }: an ephemeral key on our
        // curve, encoded like a certificate key.
        let mut reader = Reader::of(originator);
        reader.expect(tag::SEQUENCE)?;
        let bits = reader.expect(tag::BIT_STRING)?;
        reader.finish()?;
        let payload = asn1::bit_string_bytes(bits.content)?;
        let point = asn1::parse_one(payload, tag::OCTET_STRING)?.content;
        return Ok(PublicKey::from_compressed_le(our_key.curve(), point)?);
    } else {
        let reference = CertRef::parse(originator, tag::ctx_prim(0))?;
        reference.find(sender_pools).ok_or(Error::SenderCertificateNotFound)?
    };
    if cert.curve() != our_key.curve() {
        return Err(malformed("sender and recipient keys are on different curves"));
    }
    Ok(cert.public_key().clone())
}

/// DER of the KDF SharedInfo: `SEQUENCE { keyInfo AlgorithmIdentifier, [0] EXPLICIT
/// OCTET STRING ukm OPTIONAL, [2] EXPLICIT OCTET STRING keyLength (256 bits, big-endian) }`.
fn shared_info(wrap_algorithm: &[u8], ukm: Option<&[u8]>) -> Vec<u8> {
    let key_length = asn1::tlv(tag::ctx(2), &asn1::octets(&256u32.to_be_bytes()));
    match ukm {
        Some(ukm) => {
            asn1::seq(&[wrap_algorithm, &asn1::tlv(tag::ctx(0), &asn1::octets(ukm)), &key_length])
        }
        None => asn1::seq(&[wrap_algorithm, &key_length]),
    }
}

/// Everything [`seal`] needs besides the content.
pub struct SealParams<'a> {
    /// Key that signs the content (DSTU 4145, usually M257).
    pub signer_key: &'a PrivateKey,
    /// Its certificate (embedded in the SignedData).
    pub signer_cert: &'a Certificate,
    /// The sender's static key-agreement key (same curve as the recipient's).
    pub sender_ka_key: &'a PrivateKey,
    /// Its certificate (named as originator; optionally carried in originatorInfo).
    pub sender_ka_cert: &'a Certificate,
    /// The recipient's key-agreement certificate.
    pub recipient_cert: &'a Certificate,
    /// Whether to put `sender_ka_cert` into originatorInfo (the key6 samples do, the pfx one
    /// does not).
    pub include_originator_cert: bool,
    /// The signingTime attribute.
    pub signing_time: OffsetDateTime,
}

/// Signs and encrypts `content` for one recipient, in the shape of the Diia samples
/// (EnvelopedData v2, KARI v3, static–static cofactor DH, GOST wrap, GOST CFB with DKE No.1,
/// inner SignedData with CAdES attributes). Returns DER.
pub fn seal<R: rand::CryptoRng>(
    content: &[u8],
    params: &SealParams<'_>,
    rng: &mut R,
) -> Result<Vec<u8>> {
    let sender_public = params.sender_ka_key.public_key().to_compressed_le();
    if sender_public != params.sender_ka_cert.public_key().to_compressed_le() {
        return Err(Error::KeyMismatch);
    }
    if params.sender_ka_cert.curve() != params.recipient_cert.curve() {
        return Err(malformed("sender and recipient keys are on different curves"));
    }
    let signed = Zeroizing::new(signed::sign_attached(
        content,
        params.signer_key,
        params.signer_cert,
        params.signing_time,
        rng,
    )?);

    let mut cek = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(&mut cek[..]);
    let mut content_iv = [0u8; 8];
    rng.fill_bytes(&mut content_iv);
    let mut wrap_iv = [0u8; 8];
    rng.fill_bytes(&mut wrap_iv);
    let mut ukm = [0u8; 64];
    rng.fill_bytes(&mut ukm);

    let zx = params.sender_ka_key.ecdh_cofactor_x_be(params.recipient_cert.public_key())?;
    let wrap_algorithm = asn1::algorithm_id(&oids::GOST28147_WRAP, Some(&asn1::null()));
    let kek_bytes = kdf_gost34311(&zx, &shared_info(&wrap_algorithm, Some(&ukm)));
    // The recipient unwraps with the S-box of its own key parameters.
    let kek = Gost89::new(&kek_bytes, &params.recipient_cert.key_params().sbox());
    let wrapped = gost89::wrap_key(&kek, &cek, &wrap_iv);

    let ciphertext = Gost89::new(&cek, &SBox::dke1()).cfb_encrypt(&content_iv, &signed);

    let kari = asn1::cons(
        tag::ctx(1),
        &[
            &asn1::uint(3),
            &asn1::tlv(tag::ctx(0), &signed::issuer_and_serial(params.sender_ka_cert)),
            &asn1::tlv(tag::ctx(1), &asn1::octets(&ukm)),
            &asn1::algorithm_id(&oids::DH_COFACTOR_GOST34311, Some(&wrap_algorithm)),
            &asn1::seq(&[&asn1::seq(&[
                &signed::issuer_and_serial(params.recipient_cert),
                &asn1::octets(&wrapped),
            ])]),
        ],
    );
    let cipher_algorithm = asn1::algorithm_id(
        &oids::GOST28147_CFB,
        Some(&asn1::seq(&[&asn1::octets(&content_iv), &asn1::octets(&DKE1)])),
    );
    let encrypted_content_info = asn1::seq(&[
        &asn1::oid(&oids::DATA),
        &cipher_algorithm,
        &asn1::tlv(tag::ctx_prim(0), &ciphertext),
    ]);
    let version = asn1::uint(2);
    let originator_info =
        asn1::tlv(tag::ctx(0), &asn1::tlv(tag::ctx(0), params.sender_ka_cert.der()));
    let recipient_infos = asn1::set_of(&[&kari]);
    let mut parts: Vec<&[u8]> = vec![&version];
    if params.include_originator_cert {
        parts.push(&originator_info);
    }
    parts.push(&recipient_infos);
    parts.push(&encrypted_content_info);
    let enveloped = asn1::seq(&parts);
    Ok(asn1::seq(&[&asn1::oid(&oids::ENVELOPED_DATA), &asn1::tlv(tag::ctx(0), &enveloped)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_info_matches_sample_prefix() {
        let wrap = asn1::algorithm_id(&oids::GOST28147_WRAP, Some(&asn1::null()));
        let encoded = shared_info(&wrap, Some(&[0u8; 64]));
        let hex: String = encoded.iter().map(|b| format!("{b:02x}")).collect();
        assert!(hex.starts_with("305d300f060b2a862402010101010101050500a0420440"));
        assert!(hex.ends_with("a206040400000100"));
    }
}
