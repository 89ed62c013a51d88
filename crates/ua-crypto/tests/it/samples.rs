//! The published Diia SDK samples: containers unlock, envelopes open byte-exact with valid
//! signatures, and the policy errors (untrusted signer, wrong time, wrong password) appear.

use std::sync::OnceLock;

use time::OffsetDateTime;
use time::macros::datetime;
use ua_crypto::{Certificate, Error, KeyContainer, TrustPolicy, open_envelope};

use crate::fixtures::read;

pub const PFX_AT: OffsetDateTime = datetime!(2022-04-13 00:00:00 UTC);
pub const KEY6_AT: OffsetDateTime = datetime!(2024-10-24 10:22:56 UTC);
pub const KEY6_SIGNING_CERT: &str = "key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer";
pub const KEY6_KA_CERT: &str = "key6-set/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer";
pub const PASSPORT: &str = "key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf";

pub fn cert(relative: &str) -> Certificate {
    Certificate::from_pem_or_der(&read(relative)).unwrap()
}

/// Containers are opened once per test binary: each costs four 10 000-round KDFs.
pub fn pfx_keys() -> &'static KeyContainer {
    static KEYS: OnceLock<KeyContainer> = OnceLock::new();
    KEYS.get_or_init(|| KeyContainer::open(&read("pfx-set/DiiaTest.pfx"), "Test").unwrap())
}

pub fn key6_keys() -> &'static KeyContainer {
    static KEYS: OnceLock<KeyContainer> = OnceLock::new();
    KEYS.get_or_init(|| KeyContainer::open(&read("key6-set/Key-6.dat"), "12345677").unwrap())
}

/// One sample envelope and everything needed to open it.
pub struct Sample {
    pub envelope: &'static str,
    pub keys: fn() -> &'static KeyContainer,
    pub sender_certs: &'static [&'static str],
    pub trusted: &'static str,
    pub at: OffsetDateTime,
    pub expected: Expected,
    pub signer_cn: &'static str,
}

pub enum Expected {
    Bytes(&'static [u8]),
    File(&'static str),
}

impl Expected {
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Expected::Bytes(bytes) => bytes.to_vec(),
            Expected::File(path) => read(path),
        }
    }
}

pub const SAMPLES: [Sample; 3] = [
    Sample {
        envelope: "pfx-set/EnvelopedData",
        keys: pfx_keys,
        sender_certs: &["pfx-set/user_cert_enc.crt"],
        trusted: "pfx-set/user_cert.crt",
        at: PFX_AT,
        expected: Expected::Bytes(b"123456"),
        signer_cn: "",
    },
    Sample {
        envelope: "key6-set/encodedData.json.p7s.p7e",
        keys: key6_keys,
        sender_certs: &[],
        trusted: KEY6_SIGNING_CERT,
        at: KEY6_AT,
        expected: Expected::File("key6-set/encodedData.json"),
        signer_cn: "CN=Тестовий Користувач 1",
    },
    Sample {
        envelope: "key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf.p7s.p7e",
        keys: key6_keys,
        sender_certs: &[],
        trusted: KEY6_SIGNING_CERT,
        at: KEY6_AT,
        expected: Expected::File(PASSPORT),
        signer_cn: "CN=Тестовий Користувач 1",
    },
];

impl Sample {
    pub fn policy(&self) -> TrustPolicy {
        TrustPolicy { trusted_signers: vec![cert(self.trusted)], at: self.at }
    }

    pub fn senders(&self) -> Vec<Certificate> {
        self.sender_certs.iter().map(|path| cert(path)).collect()
    }

    pub fn open(&self, input: &[u8]) -> Result<ua_crypto::Opened, Error> {
        open_envelope(input, (self.keys)(), &self.senders(), &self.policy())
    }
}

#[test]
fn containers_hold_the_documented_keys() {
    let pfx = pfx_keys();
    assert_eq!(pfx.keys().len(), 2, "DiiaTest.pfx holds a signing and a key-agreement key");
    for cert_file in ["pfx-set/DiiaKey1.cer", "pfx-set/DiiaKey2.cer"] {
        let expected = cert(cert_file);
        assert!(
            pfx.keys().iter().any(|key| key.certificate() == Some(&expected)),
            "{cert_file}: a pfx key equals its certificate key (−d·G matched)"
        );
    }
    let key6 = key6_keys();
    assert_eq!(key6.keys().len(), 2);
    assert_eq!(key6.certificates().len(), 7, "the key6 container carries 7 certificates");
    let ka = cert(KEY6_KA_CERT);
    let ka_key = key6.keys().iter().find(|key| key.certificate() == Some(&ka)).unwrap();
    assert_eq!(ka_key.curve().m(), 431);
    assert_eq!(Some(&ka_key.key_id()[..]), ka.subject_key_id(), "key id = SKI");
    let signing = cert(KEY6_SIGNING_CERT);
    assert!(key6.keys().iter().any(|key| key.certificate() == Some(&signing)));
    // Every certificate in the container verifies against the IIT test root inside it.
    let root = key6.certificates().iter().find(|c| c.issuer() == c.subject()).unwrap();
    for c in key6.certificates() {
        c.verify_issued_by(root).unwrap();
    }
}

#[test]
fn sample_envelopes_open_byte_exact() {
    for sample in &SAMPLES {
        let opened = sample
            .open(&read(sample.envelope))
            .unwrap_or_else(|err| panic!("{}: {err}", sample.envelope));
        assert!(opened.content == sample.expected.bytes(), "{}: content differs", sample.envelope);
        assert!(opened.signer.subject.contains(sample.signer_cn), "{}", opened.signer.subject);
        assert_eq!(opened.algorithms.content_cipher_oid, "1.2.804.2.1.1.1.1.1.1.3");
        assert_eq!(opened.algorithms.key_agreement_oid, "1.2.804.2.1.1.1.1.3.4");
        assert_eq!(opened.algorithms.digest_oid, "1.2.804.2.1.1.1.1.2.1");
        assert_eq!(opened.algorithms.signature_oid, "1.2.804.2.1.1.1.1.3.1.1");
        assert_eq!(opened.signer_certificate, cert(sample.trusted));
    }
}

#[test]
fn key6_signer_and_signing_time() {
    let opened = SAMPLES[1].open(&read(SAMPLES[1].envelope)).unwrap();
    assert_eq!(opened.signer.serial_hex, "5B63D88375D9201804000000E0BA0500FA8F0E00");
    assert!(opened.signer.issuer.contains("Тестовий ЦСК"));
    assert_eq!(opened.signing_time, Some(KEY6_AT));
    let pfx = SAMPLES[0].open(&read(SAMPLES[0].envelope)).unwrap();
    assert_eq!(pfx.signing_time, Some(datetime!(2022-04-13 07:46:27 UTC)));
}

#[test]
fn pfx_envelope_needs_the_external_sender_certificate() {
    let sample = &SAMPLES[0];
    let err = open_envelope(&read(sample.envelope), pfx_keys(), &[], &sample.policy()).unwrap_err();
    assert!(matches!(err, Error::SenderCertificateNotFound), "{err:?}");
}

#[test]
fn policy_errors() {
    for sample in &SAMPLES {
        let input = read(sample.envelope);
        let keys = (sample.keys)();
        let other_trusted =
            TrustPolicy { trusted_signers: vec![cert("pfx-set/DiiaKey1.cer")], at: sample.at };
        let err = open_envelope(&input, keys, &sample.senders(), &other_trusted).unwrap_err();
        assert!(matches!(err, Error::UntrustedSigner), "{}: {err:?}", sample.envelope);
        let late = TrustPolicy { at: datetime!(2030-01-01 00:00:00 UTC), ..sample.policy() };
        let err = open_envelope(&input, keys, &sample.senders(), &late).unwrap_err();
        assert!(matches!(err, Error::CertificateNotValidAt), "{}: {err:?}", sample.envelope);
    }
}

#[test]
fn trusting_the_issuing_ca_is_enough() {
    let root = key6_keys().certificates().iter().find(|c| c.issuer() == c.subject()).unwrap();
    let policy = TrustPolicy { trusted_signers: vec![root.clone()], at: KEY6_AT };
    let opened = open_envelope(&read(SAMPLES[1].envelope), key6_keys(), &[], &policy).unwrap();
    assert_eq!(opened.content, read("key6-set/encodedData.json"));
}

#[test]
fn wrong_envelope_for_the_keys() {
    let sample = &SAMPLES[1];
    let err = open_envelope(&read(sample.envelope), pfx_keys(), &[], &sample.policy()).unwrap_err();
    assert!(matches!(err, Error::RecipientNotFound), "{err:?}");
}

#[test]
fn wrong_password() {
    for (file, password) in [("pfx-set/DiiaTest.pfx", "Tesx"), ("key6-set/Key-6.dat", "пароль")]
    {
        let err = KeyContainer::open(&read(file), password).unwrap_err();
        assert!(matches!(err, Error::WrongPassword), "{file}: {err:?}");
    }
}

#[test]
fn input_errors() {
    let keys = pfx_keys();
    let policy = SAMPLES[0].policy();
    let cases: [(&[u8], &str); 4] = [
        (b"not base64 at all!", "not_base64"),
        (b"", "not_base64"),
        (b"MAMCAQA=", "not_cms"),
        (b"\x30\x03\x02\x01", "not_cms"),
    ];
    for (input, code) in cases {
        let err = open_envelope(input, keys, &[], &policy).unwrap_err();
        assert_eq!(err.code(), code, "{input:?}: {err:?}");
    }
}
