//! Object identifiers used by the Ukrainian CMS profile and PKCS#12.

use const_oid::ObjectIdentifier as Oid;

/// id-data.
pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// id-signedData.
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// id-envelopedData.
pub const ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");
/// id-encryptedData.
pub const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
/// PBES2.
pub const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
/// PBKDF2.
pub const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
/// PKCS#12 keyBag.
pub const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
/// PKCS#12 pkcs8ShroudedKeyBag.
pub const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
/// PKCS#12 certBag.
pub const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
/// x509Certificate (cert bag type).
pub const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
/// localKeyId attribute.
pub const LOCAL_KEY_ID: Oid = Oid::new_unwrap("1.2.840.113549.1.9.21");
/// HMAC with GOST 34.311 (PBKDF2 prf).
pub const HMAC_GOST34311: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.1.2");
/// GOST 34.311-95 hash.
pub const GOST34311: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.2.1");
/// GOST 28147-89 CFB.
pub const GOST28147_CFB: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.1.1.3");
/// GOST 28147-89 key wrap.
pub const GOST28147_WRAP: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.1.1.5");
/// Static DH with cofactor and the GOST 34.311 KDF.
pub const DH_COFACTOR_GOST34311: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.3.4");
/// DSTU 4145 with GOST 34.311, little-endian profile (key and signature algorithm).
pub const DSTU4145_LE: Oid = Oid::new_unwrap("1.2.804.2.1.1.1.1.3.1.1");
/// contentType attribute.
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// messageDigest attribute.
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// signingTime attribute.
pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
/// signingCertificateV2 attribute (ESS).
pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// contentTimestamp attribute.
pub const CONTENT_TIMESTAMP: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.20");
/// TSTInfo content type.
pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// SHA-256 (accepted in ESSCertIDv2, its default).
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
/// Legacy IIT key container.
pub const IIT_CONTAINER: Oid = Oid::new_unwrap("1.3.6.1.4.1.19398.1.1.1.2");
/// IIT attribute: key id of the signing key.
pub const IIT_SIGN_KEY_ID: Oid = Oid::new_unwrap("1.3.6.1.4.1.19398.1.1.2.1");
/// IIT attribute: curve parameters of the key-agreement key.
pub const IIT_KA_PARAMS: Oid = Oid::new_unwrap("1.3.6.1.4.1.19398.1.1.2.2");
/// IIT attribute: key-agreement private key (bit-reversed bytes).
pub const IIT_KA_KEY: Oid = Oid::new_unwrap("1.3.6.1.4.1.19398.1.1.2.3");
/// IIT attribute: key id of the key-agreement key.
pub const IIT_KA_KEY_ID: Oid = Oid::new_unwrap("1.3.6.1.4.1.19398.1.1.2.5");
/// X.509 subjectKeyIdentifier extension.
pub const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
/// X.509 keyUsage extension.
pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
/// X.509 authorityKeyIdentifier extension.
pub const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
/// X.509 basicConstraints extension.
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
