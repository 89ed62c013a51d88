//! Key containers, recognised by content: PKCS#12 with GOST PBES2 bags and the GOST PKCS#12
//! MAC, the legacy IIT container (`1.3.6.1.4.1.19398.1.1.1.2`), bare PBES2
//! EncryptedPrivateKeyInfo and plain PKCS#8; plus writers for PKCS#12 and the IIT container.

use base64::Engine as _;
use zeroize::Zeroizing;

use crate::asn1::{self, Reader, Tlv, tag};
use crate::cert::Certificate;
use crate::dstu4145::{Curve, PrivateKey};
use crate::error::{Error, Result};
use crate::gost89::{DKE1, Gost89, SBox};
use crate::hash::{self, HmacKey, gost34311};
use crate::oids;
use crate::params::{self, DstuParams, Octets};

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// One private key from a container, with the certificate whose public key equals −d·G.
pub struct ContainerKey {
    key: PrivateKey,
    dke: [u8; 64],
    public_octets: Vec<u8>,
    key_id: [u8; 32],
    certificate: Option<Certificate>,
}

impl std::fmt::Debug for ContainerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerKey")
            .field("key_id", &hex_upper(&self.key_id))
            .field("field_bits", &self.key.curve().m())
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

impl ContainerKey {
    /// Wraps a private key, computes its public key and picks the matching certificate.
    pub fn new(key: PrivateKey, certificates: &[Certificate]) -> ContainerKey {
        let public = key.public_key().to_compressed_le();
        let public_octets = asn1::octets(&public);
        let key_id = key_id_of(&key.public_key());
        // A certificate belongs to the key only if its key equals −d·G (compared on the
        // encoded point), never merely because an identifier matches.
        let certificate = certificates
            .iter()
            .find(|cert| {
                cert.curve() == key.curve() && cert.public_key().to_compressed_le() == public
            })
            .cloned();
        ContainerKey { key, dke: DKE1, public_octets, key_id, certificate }
    }

    /// The private key.
    pub fn private_key(&self) -> &PrivateKey {
        &self.key
    }

    /// The key's curve.
    pub fn curve(&self) -> &Curve {
        self.key.curve()
    }

    /// Key identifier: GOST 34.311 of the DER OCTET STRING holding the compressed public key
    /// (the value IIT and Diia certificates carry as subjectKeyIdentifier).
    pub fn key_id(&self) -> &[u8; 32] {
        &self.key_id
    }

    /// The certificate of this key, when the container (or the caller) supplied it.
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }

    /// The S-box (DKE) stored with the key's parameters; used for the key wrap.
    pub(crate) fn sbox(&self) -> SBox {
        SBox::from_dke(&self.dke)
    }

    /// True when `cert` holds this key's public key.
    pub(crate) fn matches_certificate(&self, cert: &Certificate) -> bool {
        cert.curve() == self.key.curve()
            && asn1::octets(&cert.public_key().to_compressed_le()) == self.public_octets
    }
}

/// The keys and certificates of an opened key container.
#[derive(Debug)]
pub struct KeyContainer {
    keys: Vec<ContainerKey>,
    certificates: Vec<Certificate>,
}

impl KeyContainer {
    /// Opens a container (DER or base64 of it) with a password. The password is tried as
    /// given (UTF-8) and then in CP1251 when that encoding differs.
    pub fn open(bytes: &[u8], password: &str) -> Result<KeyContainer> {
        let decoded;
        let der = if bytes.first() == Some(&tag::SEQUENCE) {
            bytes
        } else {
            let text: Vec<u8> =
                bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            decoded = base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|_| Error::NotBase64)?;
            &decoded
        };
        let outer = asn1::parse_one(der, tag::SEQUENCE)?;
        let mut reader = Reader::of(outer);
        let first = reader.any()?;
        let candidates = password_candidates(password);
        let (keys, certificates) = match first.tag {
            tag::INTEGER if asn1::uint_value(first.content)? == 3 => {
                open_pkcs12(outer, &candidates)?
            }
            tag::INTEGER => (parse_pkcs8(der)?, Vec::new()),
            tag::SEQUENCE => {
                let mut algorithm = Reader::of(first);
                let oid = algorithm.oid()?;
                if oid == oids::IIT_CONTAINER {
                    (open_iit(outer, &candidates)?, Vec::new())
                } else if oid == oids::PBES2 {
                    let plain = decrypt_pbes2_any(outer, &candidates)?;
                    (parse_pkcs8(&plain)?, Vec::new())
                } else {
                    return Err(Error::UnsupportedAlgorithm(oid.to_string()));
                }
            }
            _ => return Err(malformed("not a key container")),
        };
        let keys = keys
            .into_iter()
            .map(|(key, dke)| {
                let mut entry = ContainerKey::new(key, &certificates);
                entry.dke = dke;
                entry
            })
            .collect();
        Ok(KeyContainer { keys, certificates })
    }

    /// Builds a container from keys already in memory (for tests and the simulator).
    pub fn from_keys(keys: Vec<PrivateKey>, certificates: Vec<Certificate>) -> KeyContainer {
        let keys = keys.into_iter().map(|key| ContainerKey::new(key, &certificates)).collect();
        KeyContainer { keys, certificates }
    }

    /// The private keys.
    pub fn keys(&self) -> &[ContainerKey] {
        &self.keys
    }

    /// All certificates in the container (end-entity and CA ones).
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }
}

/// The DSTU key identifier of a public key: GOST 34.311 of the DER OCTET STRING holding the
/// compressed point (what IIT and Diia certificates carry as subjectKeyIdentifier).
pub fn key_id_of(public: &crate::dstu4145::PublicKey) -> [u8; 32] {
    gost34311(&asn1::octets(&public.to_compressed_le()))
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The password as UTF-8 bytes and, when different, as CP1251 bytes.
fn password_candidates(password: &str) -> Vec<Zeroizing<Vec<u8>>> {
    let mut out = vec![Zeroizing::new(password.as_bytes().to_vec())];
    if let Some(cp1251) = to_cp1251(password)
        && cp1251[..] != *password.as_bytes()
    {
        out.push(cp1251);
    }
    out
}

/// Encodes Ukrainian/Russian text in CP1251; `None` if a character has no CP1251 byte.
fn to_cp1251(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len()));
    for c in text.chars() {
        let byte = match c {
            '\0'..='\u{7f}' => c as u8,
            'А'..='я' => (c as u32 - 'А' as u32 + 0xc0) as u8,
            'Ё' => 0xa8,
            'ё' => 0xb8,
            'Є' => 0xaa,
            'є' => 0xba,
            'І' => 0xb2,
            'і' => 0xb3,
            'Ї' => 0xaf,
            'ї' => 0xbf,
            'Ґ' => 0xa5,
            'ґ' => 0xb4,
            '№' => 0xb9,
            _ => return None,
        };
        out.push(byte);
    }
    Some(out)
}

/// The PKCS#12 MAC password encoding of a raw password: UTF-16BE of the text when it is
/// UTF-8, else each (CP1251) byte widened, plus the 00 00 terminator.
fn bmp_of_bytes(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    match std::str::from_utf8(raw) {
        Ok(text) => hash::bmp_password(text),
        Err(_) => {
            let mut out = Zeroizing::new(Vec::with_capacity(raw.len() * 2 + 2));
            for &b in raw {
                out.extend_from_slice(&[0, b]);
            }
            out.extend_from_slice(&[0, 0]);
            out
        }
    }
}

type Keys = Vec<(PrivateKey, [u8; 64])>;

fn open_pkcs12(
    pfx: Tlv<'_>,
    candidates: &[Zeroizing<Vec<u8>>],
) -> Result<(Keys, Vec<Certificate>)> {
    let mut reader = Reader::of(pfx);
    reader.expect(tag::INTEGER)?;
    let mut auth_safe = Reader::of(reader.expect(tag::SEQUENCE)?);
    if auth_safe.oid()? != oids::DATA {
        return Err(Error::UnsupportedAlgorithm("pkcs12 public-key integrity mode".to_owned()));
    }
    let wrapped = auth_safe.expect(tag::ctx(0))?;
    let auth_safe_bytes = asn1::parse_one(wrapped.content, tag::OCTET_STRING)?.content;
    auth_safe.finish()?;
    let mac_data = reader.optional(tag::SEQUENCE)?;
    reader.finish()?;

    let password: &[u8] = match mac_data {
        Some(mac_data) => {
            let mut mac = Reader::of(mac_data);
            let mut digest_info = Reader::of(mac.expect(tag::SEQUENCE)?);
            let (digest_oid, _) = asn1::algorithm(digest_info.expect(tag::SEQUENCE)?)?;
            let expected = digest_info.octets()?;
            digest_info.finish()?;
            if digest_oid != oids::GOST34311 {
                return Err(Error::UnsupportedAlgorithm(digest_oid.to_string()));
            }
            let salt = mac.octets()?;
            let iterations = match mac.optional(tag::INTEGER)? {
                Some(count) => iteration_count(count)?,
                None => 1,
            };
            mac.finish()?;
            candidates
                .iter()
                .find(|candidate| {
                    let mut key = Zeroizing::new([0u8; 32]);
                    hash::pkcs12_kdf(3, &bmp_of_bytes(candidate), salt, iterations, &mut key[..]);
                    let actual = HmacKey::new(&key[..]).mac(auth_safe_bytes);
                    bool::from(subtle::ConstantTimeEq::ct_eq(&actual[..], expected))
                })
                .ok_or(Error::WrongPassword)?
        }
        // Without a MAC the first candidate is used; a wrong one fails at PKCS#8 parsing.
        None => candidates.first().ok_or(Error::WrongPassword)?,
    };

    let mut keys = Vec::new();
    let mut certificates = Vec::new();
    let mut contents = Reader::new(asn1::parse_one(auth_safe_bytes, tag::SEQUENCE)?.content);
    while !contents.is_empty() {
        let mut content_info = Reader::of(contents.expect(tag::SEQUENCE)?);
        let content_type = content_info.oid()?;
        let explicit = content_info.expect(tag::ctx(0))?;
        content_info.finish()?;
        let safe_contents: Zeroizing<Vec<u8>> = if content_type == oids::DATA {
            Zeroizing::new(asn1::parse_one(explicit.content, tag::OCTET_STRING)?.content.to_vec())
        } else if content_type == oids::ENCRYPTED_DATA {
            let mut encrypted = Reader::new(explicit.content);
            let mut encrypted = Reader::of(encrypted.expect(tag::SEQUENCE)?);
            encrypted.expect(tag::INTEGER)?;
            let mut info = Reader::of(encrypted.expect(tag::SEQUENCE)?);
            info.oid()?;
            let algorithm = info.expect(tag::SEQUENCE)?;
            let ciphertext = info.expect(tag::ctx_prim(0))?.content;
            decrypt_pbes2(algorithm, ciphertext, password)?
        } else {
            return Err(Error::UnsupportedAlgorithm(content_type.to_string()));
        };
        read_safe_contents(&safe_contents, password, &mut keys, &mut certificates)?;
    }
    Ok((keys, certificates))
}

/// Most KDF rounds a container may ask for. Real GOST containers use 10 000; each round costs
/// two GOST 34.311 compressions, so 100 000 is about three seconds per password attempt, while
/// the previous bound of ten million let a hostile file pin a core for minutes.
pub(crate) const MAX_KDF_ITERATIONS: u64 = 100_000;

fn iteration_count(count: Tlv<'_>) -> Result<u32> {
    let count = asn1::uint_value(count.content)?;
    if count == 0 || count > MAX_KDF_ITERATIONS {
        return Err(malformed("iteration count out of range"));
    }
    Ok(count as u32)
}

fn read_safe_contents(
    der: &[u8],
    password: &[u8],
    keys: &mut Keys,
    certificates: &mut Vec<Certificate>,
) -> Result<()> {
    let mut bags = Reader::new(asn1::parse_one(der, tag::SEQUENCE)?.content);
    while !bags.is_empty() {
        let mut bag = Reader::of(bags.expect(tag::SEQUENCE)?);
        let bag_type = bag.oid()?;
        let value = asn1::parse_one(bag.expect(tag::ctx(0))?.content, tag::SEQUENCE)?;
        bag.optional(tag::SET)?;
        bag.finish()?;
        if bag_type == oids::SHROUDED_KEY_BAG {
            let mut info = Reader::of(value);
            let algorithm = info.expect(tag::SEQUENCE)?;
            let ciphertext = info.octets()?;
            info.finish()?;
            let plain = decrypt_pbes2(algorithm, ciphertext, password)?;
            keys.extend(parse_pkcs8(&plain)?);
        } else if bag_type == oids::KEY_BAG {
            keys.extend(parse_pkcs8(value.raw)?);
        } else if bag_type == oids::CERT_BAG {
            let mut cert_bag = Reader::of(value);
            if cert_bag.oid()? != oids::X509_CERTIFICATE {
                continue;
            }
            let der = asn1::parse_one(cert_bag.expect(tag::ctx(0))?.content, tag::OCTET_STRING)?;
            match Certificate::from_der(der.content) {
                Ok(cert) => certificates.push(cert),
                // Containers may carry certificates of other algorithms; they cannot be used
                // here, but they must not make the keys unusable.
                Err(err) => tracing::debug!(error = %err, "skipping unusable certificate"),
            }
        } else {
            tracing::debug!(bag = %bag_type, "skipping unknown pkcs12 bag");
        }
    }
    Ok(())
}

fn decrypt_pbes2_any(
    info: Tlv<'_>,
    candidates: &[Zeroizing<Vec<u8>>],
) -> Result<Zeroizing<Vec<u8>>> {
    let mut reader = Reader::of(info);
    let algorithm = reader.expect(tag::SEQUENCE)?;
    let ciphertext = reader.octets()?;
    reader.finish()?;
    for candidate in candidates {
        let plain = decrypt_pbes2(algorithm, ciphertext, candidate)?;
        // Without a MAC, a wrong password shows as garbage that is not PKCS#8.
        if parse_pkcs8(&plain).is_ok() {
            return Ok(plain);
        }
    }
    Err(Error::WrongPassword)
}

/// Decrypts a PBES2 (PBKDF2-HMAC-GOST34311 + GOST 28147 CFB) blob.
fn decrypt_pbes2(
    algorithm: Tlv<'_>,
    ciphertext: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let (oid, params) = asn1::algorithm(algorithm)?;
    if oid != oids::PBES2 {
        return Err(Error::UnsupportedAlgorithm(oid.to_string()));
    }
    let mut params = Reader::of(params.ok_or_else(|| malformed("pbes2 parameters"))?);
    let (kdf_oid, kdf_params) = asn1::algorithm(params.expect(tag::SEQUENCE)?)?;
    let (cipher_oid, cipher_params) = asn1::algorithm(params.expect(tag::SEQUENCE)?)?;
    params.finish()?;
    if kdf_oid != oids::PBKDF2 {
        return Err(Error::UnsupportedAlgorithm(kdf_oid.to_string()));
    }
    let mut kdf = Reader::of(kdf_params.ok_or_else(|| malformed("pbkdf2 parameters"))?);
    let salt = kdf.octets()?;
    let iterations = iteration_count(kdf.expect(tag::INTEGER)?)?;
    kdf.optional(tag::INTEGER)?;
    let prf = match kdf.optional(tag::SEQUENCE)? {
        Some(prf) => asn1::algorithm(prf)?.0,
        None => return Err(Error::UnsupportedAlgorithm("1.2.840.113549.2.7".to_owned())),
    };
    kdf.finish()?;
    if prf != oids::HMAC_GOST34311 {
        return Err(Error::UnsupportedAlgorithm(prf.to_string()));
    }
    let (iv, sbox) = gost_cfb_params(cipher_oid, cipher_params)?;
    let mut key = Zeroizing::new([0u8; 32]);
    hash::pbkdf2(password, salt, iterations, &mut key[..]);
    let cipher = Gost89::new(&key, &sbox);
    Ok(Zeroizing::new(cipher.cfb_decrypt(&iv, ciphertext)))
}

/// Reads the GOST 28147 CFB parameters `SEQUENCE { iv OCTET STRING(8), dke OCTET STRING(64)
/// OPTIONAL }`.
pub(crate) fn gost_cfb_params(
    oid: const_oid::ObjectIdentifier,
    params: Option<Tlv<'_>>,
) -> Result<([u8; 8], SBox)> {
    if oid != oids::GOST28147_CFB {
        return Err(Error::UnsupportedAlgorithm(oid.to_string()));
    }
    let params = params.ok_or_else(|| malformed("cipher parameters"))?;
    if params.tag != tag::SEQUENCE {
        return Err(malformed("cipher parameters"));
    }
    let mut reader = Reader::of(params);
    let iv: [u8; 8] = reader.octets()?.try_into().map_err(|_| malformed("iv length"))?;
    let sbox = match reader.optional(tag::OCTET_STRING)? {
        Some(dke) => SBox::from_dke_slice(dke.content).ok_or_else(|| malformed("dke length"))?,
        None => SBox::dke1(),
    };
    reader.finish()?;
    Ok((iv, sbox))
}

/// Parses a DSTU 4145 PKCS#8 PrivateKeyInfo; with IIT attributes it yields two keys.
fn parse_pkcs8(der: &[u8]) -> Result<Keys> {
    let info = asn1::parse_one(der, tag::SEQUENCE)?;
    let mut reader = Reader::of(info);
    if reader.small_uint()? > 1 {
        return Err(malformed("pkcs8 version"));
    }
    let (oid, params) = asn1::algorithm(reader.expect(tag::SEQUENCE)?)?;
    if oid != oids::DSTU4145_LE {
        return Err(Error::UnsupportedAlgorithm(oid.to_string()));
    }
    let params = params::parse_dstu_params(params.ok_or_else(|| malformed("key parameters"))?)?;
    let d = Zeroizing::new(reader.octets()?.to_vec());
    let attributes = reader.optional(tag::ctx(0))?;
    // PKCS#8 v2 may carry a public key [1]; it is recomputed instead.
    reader.optional(tag::ctx(1))?;
    reader.finish()?;
    let mut keys = vec![(PrivateKey::from_le_bytes(&params.curve, &d)?, params.dke)];
    if let Some(attributes) = attributes
        && let Some(second) = parse_iit_attributes(attributes)?
    {
        keys.push(second);
    }
    Ok(keys)
}

/// Extracts the key-agreement key the legacy IIT format stores in PKCS#8 attributes.
fn parse_iit_attributes(attributes: Tlv<'_>) -> Result<Option<(PrivateKey, [u8; 64])>> {
    let mut ka_key: Option<Zeroizing<Vec<u8>>> = None;
    let mut ka_params: Option<DstuParams> = None;
    let mut reader = Reader::of(attributes);
    while !reader.is_empty() {
        let mut attribute = Reader::of(reader.expect(tag::SEQUENCE)?);
        let oid = attribute.oid()?;
        let mut values = Reader::of(attribute.expect(tag::SET)?);
        let value = values.any()?;
        if oid == oids::IIT_KA_KEY {
            if value.tag != tag::BIT_STRING || value.content.is_empty() {
                return Err(malformed("iit key-agreement key"));
            }
            // Stored with the bit order of every byte reversed; read little-endian after.
            let bytes = value.content[1..].iter().map(|b| b.reverse_bits()).collect();
            ka_key = Some(Zeroizing::new(bytes));
        } else if oid == oids::IIT_KA_PARAMS {
            let mut params = Reader::of(value);
            let curve = params::parse_ec_binary(params.expect(tag::SEQUENCE)?, Octets::BigEndian)?;
            let dke = match params.optional(tag::OCTET_STRING)? {
                Some(dke) => dke.content.try_into().map_err(|_| malformed("dke length"))?,
                None => DKE1,
            };
            ka_params = Some(DstuParams { curve, dke });
        }
    }
    match (ka_key, ka_params) {
        (Some(d), Some(params)) => {
            Ok(Some((PrivateKey::from_le_bytes(&params.curve, &d)?, params.dke)))
        }
        _ => Ok(None),
    }
}

fn open_iit(container: Tlv<'_>, candidates: &[Zeroizing<Vec<u8>>]) -> Result<Keys> {
    let mut reader = Reader::of(container);
    let mut header = Reader::of(reader.expect(tag::SEQUENCE)?);
    header.oid()?;
    let mut mac_pad = Reader::of(header.expect(tag::SEQUENCE)?);
    let mac = mac_pad.octets()?;
    let pad = mac_pad.octets()?;
    mac_pad.finish()?;
    header.finish()?;
    let body = reader.octets()?;
    reader.finish()?;
    if mac.len() != 4 || pad.len() >= 8 || (body.len() + pad.len()) % 8 != 0 {
        return Err(malformed("iit container layout"));
    }
    let mut data = body.to_vec();
    data.extend_from_slice(pad);
    let sbox = SBox::dke1();
    for candidate in candidates {
        let key = hash::iit_password_key(candidate);
        let cipher = Gost89::new(&key, &sbox);
        let mut plain = Zeroizing::new(cipher.ecb_decrypt(&data).map_err(|_| malformed("iit"))?);
        plain.truncate(body.len());
        if cipher.mac(&plain) == mac {
            return parse_pkcs8(&plain);
        }
    }
    Err(Error::WrongPassword)
}

// ----- writers -----

/// Encodes a key as DSTU 4145 PKCS#8 (explicit parameters, DKE No.1, bare LE scalar).
fn encode_pkcs8(key: &PrivateKey, attributes: Option<&[u8]>) -> Zeroizing<Vec<u8>> {
    let d = key.to_le_bytes();
    let algorithm = params::dstu_key_algorithm(key.curve(), &DKE1);
    let version = asn1::uint(0);
    let d_octets = Zeroizing::new(asn1::octets(&d));
    let mut parts: Vec<&[u8]> = vec![&version, &algorithm, &d_octets];
    let attributes = attributes.map(|attrs| asn1::tlv(tag::ctx(0), attrs));
    if let Some(attributes) = &attributes {
        parts.push(attributes);
    }
    Zeroizing::new(asn1::seq(&parts))
}

fn random_bytes<R: rand::CryptoRng, const N: usize>(rng: &mut R) -> [u8; N] {
    let mut out = [0u8; N];
    rng.fill_bytes(&mut out);
    out
}

fn encrypt_pbes2<R: rand::CryptoRng>(
    plain: &[u8],
    password: &[u8],
    iterations: u32,
    rng: &mut R,
) -> (Vec<u8>, Vec<u8>) {
    let salt: [u8; 32] = random_bytes(rng);
    let iv: [u8; 8] = random_bytes(rng);
    let mut key = Zeroizing::new([0u8; 32]);
    hash::pbkdf2(password, &salt, iterations, &mut key[..]);
    let ciphertext = Gost89::new(&key, &SBox::dke1()).cfb_encrypt(&iv, plain);
    let prf = asn1::algorithm_id(&oids::HMAC_GOST34311, Some(&asn1::null()));
    let kdf = asn1::algorithm_id(
        &oids::PBKDF2,
        Some(&asn1::seq(&[&asn1::octets(&salt), &asn1::uint(u64::from(iterations)), &prf])),
    );
    let cipher = asn1::algorithm_id(
        &oids::GOST28147_CFB,
        Some(&asn1::seq(&[&asn1::octets(&iv), &asn1::octets(&DKE1)])),
    );
    (asn1::algorithm_id(&oids::PBES2, Some(&asn1::seq(&[&kdf, &cipher]))), ciphertext)
}

fn local_key_id_attributes(key_id: &[u8]) -> Vec<u8> {
    let attribute =
        asn1::seq(&[&asn1::oid(&oids::LOCAL_KEY_ID), &asn1::set_of(&[&asn1::octets(key_id)])]);
    asn1::set_of(&[&attribute])
}

/// Writes a PKCS#12 file in the shape of the Diia/IIT samples: shrouded key bags (PBES2 with
/// PBKDF2-HMAC-GOST34311 and GOST 28147 CFB), an encrypted certificate bag and the GOST
/// PKCS#12 MAC. `iterations` applies to every KDF (the samples use 10 000).
pub fn write_pkcs12<R: rand::CryptoRng>(
    keys: &[&PrivateKey],
    certificates: &[&Certificate],
    password: &str,
    iterations: u32,
    rng: &mut R,
) -> Vec<u8> {
    let iterations = iterations.max(1);
    let password_bytes = password.as_bytes();
    let key_bags: Vec<Vec<u8>> = keys
        .iter()
        .map(|key| {
            let (algorithm, ciphertext) =
                encrypt_pbes2(&encode_pkcs8(key, None), password_bytes, iterations, rng);
            let encrypted = asn1::seq(&[&algorithm, &asn1::octets(&ciphertext)]);
            asn1::seq(&[
                &asn1::oid(&oids::SHROUDED_KEY_BAG),
                &asn1::tlv(tag::ctx(0), &encrypted),
                &local_key_id_attributes(&key_id_of(&key.public_key())),
            ])
        })
        .collect();
    let key_refs: Vec<&[u8]> = key_bags.iter().map(Vec::as_slice).collect();
    let key_contents = asn1::seq(&key_refs);
    let cert_bags: Vec<Vec<u8>> = certificates
        .iter()
        .map(|cert| {
            let value = asn1::seq(&[
                &asn1::oid(&oids::X509_CERTIFICATE),
                &asn1::tlv(tag::ctx(0), &asn1::octets(cert.der())),
            ]);
            asn1::seq(&[
                &asn1::oid(&oids::CERT_BAG),
                &asn1::tlv(tag::ctx(0), &value),
                &local_key_id_attributes(&cert.computed_key_id()),
            ])
        })
        .collect();
    let cert_refs: Vec<&[u8]> = cert_bags.iter().map(Vec::as_slice).collect();
    let cert_contents = asn1::seq(&cert_refs);
    let (cert_algorithm, cert_ciphertext) =
        encrypt_pbes2(&cert_contents, password_bytes, iterations, rng);
    let encrypted_data = asn1::seq(&[
        &asn1::uint(0),
        &asn1::seq(&[
            &asn1::oid(&oids::DATA),
            &cert_algorithm,
            &asn1::tlv(tag::ctx_prim(0), &cert_ciphertext),
        ]),
    ]);
    let auth_safe = asn1::seq(&[
        &asn1::seq(&[
            &asn1::oid(&oids::DATA),
            &asn1::tlv(tag::ctx(0), &asn1::octets(&key_contents)),
        ]),
        &asn1::seq(&[&asn1::oid(&oids::ENCRYPTED_DATA), &asn1::tlv(tag::ctx(0), &encrypted_data)]),
    ]);
    let salt: [u8; 32] = random_bytes(rng);
    let mut mac_key = Zeroizing::new([0u8; 32]);
    hash::pkcs12_kdf(3, &hash::bmp_password(password), &salt, iterations, &mut mac_key[..]);
    let mac = HmacKey::new(&mac_key[..]).mac(&auth_safe);
    let mac_data = asn1::seq(&[
        &asn1::seq(&[
            &asn1::algorithm_id(&oids::GOST34311, Some(&asn1::null())),
            &asn1::octets(&mac),
        ]),
        &asn1::octets(&salt),
        &asn1::uint(u64::from(iterations)),
    ]);
    asn1::seq(&[
        &asn1::uint(3),
        &asn1::seq(&[&asn1::oid(&oids::DATA), &asn1::tlv(tag::ctx(0), &asn1::octets(&auth_safe))]),
        &mac_data,
    ])
}

/// Writes a legacy IIT container (format of key-containers.md §4): the signing key as PKCS#8
/// plus the key-agreement key in IIT attributes, encrypted in ECB under H^10000(password).
pub fn write_iit_container(
    signing_key: &PrivateKey,
    ka_key: &PrivateKey,
    password: &str,
) -> Vec<u8> {
    let signing_id = key_id_of(&signing_key.public_key());
    let ka_id = key_id_of(&ka_key.public_key());
    let ka_d = ka_key.to_le_bytes();
    let mut reversed = Zeroizing::new(vec![0u8]);
    reversed.extend(ka_d.iter().map(|b| b.reverse_bits()));
    let ka_bits = Zeroizing::new(asn1::tlv(tag::BIT_STRING, &reversed));
    let curve = ka_key.curve();
    let mut b = curve.b_le().to_vec();
    b.reverse();
    let mut g = curve.g_compressed_le().to_vec();
    g.reverse();
    let mut poly: Vec<u32> = curve.poly().to_vec();
    poly.reverse();
    let field_poly = if poly.len() == 1 {
        asn1::uint(u64::from(poly[0]))
    } else {
        let parts: Vec<Vec<u8>> = poly.iter().map(|&k| asn1::uint(u64::from(k))).collect();
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        asn1::seq(&refs)
    };
    let ec_binary = asn1::seq(&[
        &asn1::seq(&[&asn1::uint(u64::from(curve.m())), &field_poly]),
        &asn1::uint(u64::from(curve.a())),
        &asn1::octets(&b),
        &asn1::uint_be(&curve.n_be()),
        &asn1::octets(&g),
    ]);
    let ka_params = asn1::seq(&[&ec_binary, &asn1::octets(&DKE1), &asn1::octets(&DKE1)]);
    let attribute = |oid: &const_oid::ObjectIdentifier, value: &[u8]| {
        asn1::seq(&[&asn1::oid(oid), &asn1::set_of(&[value])])
    };
    let attributes = [
        attribute(&oids::IIT_SIGN_KEY_ID, &asn1::octets(&signing_id)),
        attribute(&oids::IIT_KA_KEY_ID, &asn1::octets(&ka_id)),
        Zeroizing::new(attribute(&oids::IIT_KA_KEY, &ka_bits)).to_vec(),
        attribute(&oids::IIT_KA_PARAMS, &ka_params),
    ]
    .concat();
    let plain = encode_pkcs8(signing_key, Some(&attributes));
    let key = hash::iit_password_key(password.as_bytes());
    let cipher = Gost89::new(&key, &SBox::dke1());
    let mac = cipher.mac(&plain);
    let mut padded = Zeroizing::new(plain.to_vec());
    padded.resize(plain.len().div_ceil(8) * 8, 0);
    let encrypted = cipher.ecb_encrypt(&padded).expect("padded to whole blocks");
    let (body, pad) = encrypted.split_at(plain.len());
    let header = asn1::seq(&[
        &asn1::oid(&oids::IIT_CONTAINER),
        &asn1::seq(&[&asn1::octets(&mac), &asn1::octets(pad)]),
    ]);
    asn1::seq(&[&header, &asn1::octets(body)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_count_is_bounded() {
        let count = |value: u64| {
            let der = asn1::uint(value);
            iteration_count(asn1::parse_one(&der, tag::INTEGER).expect("integer"))
        };
        assert_eq!(count(10_000).ok(), Some(10_000), "the samples' count is accepted");
        assert_eq!(count(MAX_KDF_ITERATIONS).ok(), Some(100_000), "the bound itself is accepted");
        assert!(count(MAX_KDF_ITERATIONS + 1).is_err(), "one more round than the bound is refused");
        assert!(count(0).is_err(), "zero rounds are refused");
    }

    #[test]
    fn cp1251_candidates() {
        assert_eq!(password_candidates("12345677").len(), 1);
        let both = password_candidates("пароль");
        assert_eq!(both.len(), 2);
        assert_eq!(&both[1][..], &[0xef, 0xe0, 0xf0, 0xee, 0xeb, 0xfc]);
        assert_eq!(to_cp1251("Її").unwrap()[..], [0xaf, 0xbf]);
        assert!(to_cp1251("日本").is_none());
    }
}
