//! Unit tests of the DSTU 4145 layer: named-curve table, known answers from real samples and
//! the standard's example, sign/verify and ECDH properties, rejection of malformed input.

use super::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

const KEY6: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/key6-set");

const M257_OID: &str = "1.2.804.2.1.1.1.1.3.1.1.2.6";
const M431_OID: &str = "1.2.804.2.1.1.1.1.3.1.1.2.9";

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test hex")
}

fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// One DER TLV at `pos`: (tag, content start, content end). Definite lengths only.
fn tlv(der: &[u8], pos: usize) -> (u8, usize, usize) {
    let tag = der[pos];
    let first = der[pos + 1] as usize;
    let (len, hdr) = if first < 0x80 {
        (first, 2)
    } else {
        let nlen = first & 0x7f;
        let len =
            der[pos + 2..pos + 2 + nlen].iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
        (len, 2 + nlen)
    };
    (tag, pos + hdr, pos + hdr + len)
}

/// Children of a constructed TLV's content.
fn children(der: &[u8], start: usize, end: usize) -> Vec<(u8, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        let t = tlv(der, pos);
        pos = t.2;
        out.push(t);
    }
    out
}

/// The compressed public key inside a certificate: Certificate → tbsCertificate →
/// subjectPublicKeyInfo (7th field with the [0] version) → BIT STRING → OCTET STRING content.
fn cert_public_key(der: &[u8]) -> Vec<u8> {
    let (_, cs, ce) = tlv(der, 0);
    let (_, ts, te) = children(der, cs, ce)[0];
    let tbs = children(der, ts, te);
    assert_eq!(tbs[0].0, 0xa0, "v3 certificate with explicit version");
    let (tag, ss, se) = tbs[6];
    assert_eq!(tag, 0x30);
    let (bit_tag, bs, be) = children(der, ss, se)[1];
    assert_eq!(bit_tag, 0x03);
    assert_eq!(der[bs], 0, "no unused bits");
    let (oct_tag, os, oe) = tlv(der, bs + 1);
    assert_eq!((oct_tag, oe), (0x04, be));
    der[os..oe].to_vec()
}

/// §6.2 of key-containers.md: the explicit parameters stored in the sample certificates.
fn doc_m257() -> Curve {
    Curve::from_explicit(
        257,
        &[12],
        0,
        &unhex("10bee3db6aea9e1f86578c45c12594ff942394a7d738f9187e6515017294f4ce01"),
        &unhex("800000000000000000000000000000006759213af182e987d3e17714907d470d"),
        &unhex("b60fd2d8dce8a93423c6101bca91c47a007e6c300b26cd556c9b0e7d20ef292a00"),
    )
    .expect("M257 explicit parameters are valid")
}

fn doc_m431() -> Curve {
    Curve::from_explicit(
        431,
        &[1, 3, 5],
        1,
        &unhex(concat!(
            "f3ca40c669a4da173149ca12c32dae186b53ac6bc6365997deaeae8ad2d888f9bfd5",
            "3401694ef9c4273d8cfe6dc28f706a0f4910ce03"
        )),
        &unhex(concat!(
            "3fffffffffffffffffffffffffffffffffffffffffffffffffffffba3175458009a8",
            "c0a724f02f81aa8a1fcbaf80d90c7a95110504cf"
        )),
        &unhex(concat!(
            "7c857c94c5433bfd991e17c22684065850a9a249ed7bc249ae5a4e878689f872ef7a",
            "d524082ec3038e9aede7ba6ba13381d979ba621a"
        )),
    )
    .expect("M431 explicit parameters are valid")
}

#[test]
fn named_table_is_consistent() {
    let mut seen = 0;
    for (i, nc) in params::NAMED.iter().enumerate() {
        let oid = format!("1.2.804.2.1.1.1.1.3.1.1.2.{i}");
        let c = Curve::named(&oid).expect("named curve");
        assert_eq!(c.named_oid(), Some(nc.oid));
        assert_eq!(c.m(), nc.m);
        assert!(c.is_on_curve(&c.g), "{oid}: G on the curve");
        // Round trip through the explicit constructor, which also checks n·G = O and the
        // cofactor against the Hasse bound.
        let e = Curve::from_explicit(
            c.m(),
            c.poly(),
            c.a(),
            &c.b_le(),
            &c.n_be(),
            &c.g_compressed_le(),
        )
        .expect("explicit round trip");
        assert_eq!(e, c);
        assert_eq!(e.named_oid(), Some(nc.oid));
        assert_eq!(c.cofactor(), if c.a() == 1 { 2 } else { 4 });
        assert_eq!(c.field_len(), (nc.m as usize).div_ceil(8));
        seen += 1;
    }
    assert_eq!(seen, 10);
    assert!(Curve::named("1.2.804.2.1.1.1.1.3.1.1.2.10").is_none());
    assert!(Curve::named("1.2.804.2.1.1.1.1.3.1.1.3.0").is_none());
}

#[test]
fn doc_explicit_params_equal_named_curves() {
    let m257 = doc_m257();
    assert_eq!(m257, Curve::named(M257_OID).expect("M257"));
    assert_eq!(m257.named_oid(), Some(M257_OID));
    assert_eq!((m257.cofactor(), m257.order_bits(), m257.field_len()), (4, 256, 33));
    let m431 = doc_m431();
    assert_eq!(m431, Curve::named(M431_OID).expect("M431"));
    assert_eq!(m431.named_oid(), Some(M431_OID));
    assert_eq!((m431.cofactor(), m431.order_bits(), m431.field_len()), (2, 430, 54));
    assert_eq!(
        m431.g_compressed_le(),
        unhex(concat!(
            "7c857c94c5433bfd991e17c22684065850a9a249ed7bc249ae5a4e878689f872ef7a",
            "d524082ec3038e9aede7ba6ba13381d979ba621a"
        ))
    );
    assert_eq!(m431.n_be()[0], 0x3f);
}

const KEY6_D: &str = concat!(
    "482ee4e335fc5ca27ac5cb8bc47a867bec7df5438349001ab6331102a1d04921f994",
    "3c59e1e3294bf2630eeaf77abe447869c786351b"
);

#[test]
fn key6_m431_key_matches_certificate_and_ecdh_kat() {
    let der = std::fs::read(format!("{KEY6}/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer"))
        .expect("key6-set KA certificate");
    let cert_key = cert_public_key(&der);
    assert_eq!(cert_key.len(), 54);
    let curve = doc_m431();
    let d = PrivateKey::from_le_bytes(&curve, &unhex(KEY6_D)).expect("valid d");
    assert_eq!(d.public_key().to_compressed_le(), cert_key, "Q = −d·G");
    // +d·G must not match (the DSTU sign convention matters).
    let plus = Curve::neg(&d.public_key().q);
    assert_ne!(curve.compress(&plus), cert_key);
    let peer = PublicKey::from_compressed_le(&curve, &cert_key).expect("certificate key decodes");
    assert_eq!(peer, d.public_key());
    let zx = d.ecdh_cofactor_x_be(&peer).expect("ecdh");
    assert_eq!(
        hex::encode(&*zx),
        concat!(
            "4b3687347ed6556b410dffb2b2407851230ea470d222cd193950bcb7617193e7feb8",
            "2804425639e6815275971bd78272157dc96e213d"
        )
    );
    assert_eq!(d.to_le_bytes().as_slice(), unhex(KEY6_D).as_slice());
}

#[test]
fn key6_m257_signing_certificate_key_decodes() {
    let der = std::fs::read(format!("{KEY6}/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer"))
        .expect("key6-set signing certificate");
    let key = cert_public_key(&der);
    let curve = doc_m257();
    let q = PublicKey::from_compressed_le(&curve, &key).expect("decodes");
    assert_eq!(q.to_compressed_le(), key);
}

/// DSTU 4145-2002 annex B: key pair and signature with a fixed nonce on the example curve.
#[test]
fn annex_b_signature_kat() {
    let curve = Curve::from_table(&params::ANNEX_B);
    assert!(curve.is_on_curve(&curve.g));
    let d = PrivateKey::from_le_bytes(&curve, &unhex("3e5a9b1c0c7973d0f89371d647ff5179df0ff68301"))
        .expect("d");
    let q = d.public_key().q;
    assert_eq!(curve.field.to_le_bytes(&q.x), unhex("dac2bd4af69cb7e45c78acb69c92ff23e0fde77d05"));
    assert_eq!(curve.field.to_le_bytes(&q.y), unhex("aab9320577345f7badf6ab85ad06cf4b324454e803"));
    let hash = unhex("ff4722f5aeed76eb2e5373df6d1680715bb92e3a8886e4ae9a0c917742c4c909");
    let k = scalar::from_le_bytes(&unhex("c6617f242d93128ede791d7a2b01db97bd405e0201")).expect("k");
    let sig = d.sign_with_nonce(&hash, &k).expect("signature");
    assert_eq!(
        hex::encode(&sig),
        concat!(
            "a7088d06937ade9af524a4800d4a01aa0c2cea7402",
            "ca5a61b332a3d65b0f238c8e2b83317395860d1002"
        )
    );
    assert_eq!(verify(&d.public_key(), &hash, &sig), Ok(()));
}

#[test]
fn sign_verify_round_trips_and_tampering() {
    let mut rng = rng(7);
    for oid_tail in [0, 2, 6, 9] {
        let curve = Curve::named(&format!("1.2.804.2.1.1.1.1.3.1.1.2.{oid_tail}")).expect("curve");
        let key = PrivateKey::generate(&curve, &mut rng);
        let public = key.public_key();
        let hash: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ oid_tail);
        let sig = key.sign(&hash, &mut rng);
        assert_eq!(sig.len(), 2 * curve.order_bits().div_ceil(8));
        assert_eq!(verify(&public, &hash, &sig), Ok(()), "curve {oid_tail}");
        // A second signature differs (random nonce) and verifies too.
        let sig2 = key.sign(&hash, &mut rng);
        assert_ne!(sig, sig2);
        assert_eq!(verify(&public, &hash, &sig2), Ok(()));
        // Flipped bits in the signature and in the hash.
        for bit in [0, 9, 8 * sig.len() / 2 + 3, 8 * sig.len() - 20] {
            let mut bad = sig.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(verify(&public, &hash, &bad).is_err(), "flipped bit {bit}");
        }
        let mut bad_hash = hash;
        bad_hash[0] ^= 1;
        assert_eq!(verify(&public, &bad_hash, &sig), Err(EcError::InvalidSignature));
        // r and s swapped.
        let half = sig.len() / 2;
        let swapped = [&sig[half..], &sig[..half]].concat();
        assert!(verify(&public, &hash, &swapped).is_err());
        // Someone else's key.
        let other = PrivateKey::generate(&curve, &mut rng).public_key();
        assert_eq!(verify(&other, &hash, &sig), Err(EcError::InvalidSignature));
        // Malformed lengths and out-of-range halves.
        assert_eq!(verify(&public, &hash, &sig[..sig.len() - 1]), Err(EcError::BadLength));
        assert_eq!(verify(&public, &hash, &[]), Err(EcError::BadLength));
        assert_eq!(verify(&public, &hash, &vec![0; sig.len()]), Err(EcError::InvalidSignature));
        assert_eq!(verify(&public, &hash, &vec![0xff; sig.len()]), Err(EcError::InvalidSignature));
    }
}

#[test]
fn zero_hash_is_read_as_one() {
    let curve = Curve::named(M257_OID).expect("M257");
    let key = PrivateKey::generate(&curve, &mut rng(3));
    let one: Vec<u8> = std::iter::once(1).chain([0u8; 31]).collect();
    let sig = key.sign(&[0u8; 32], &mut rng(4));
    assert_eq!(verify(&key.public_key(), &one, &sig), Ok(()));
}

#[test]
fn ecdh_agrees_and_checks_curves() {
    let mut rng = rng(11);
    for oid in [M257_OID, M431_OID] {
        let curve = Curve::named(oid).expect("curve");
        let a = PrivateKey::generate(&curve, &mut rng);
        let b = PrivateKey::generate(&curve, &mut rng);
        let ab = a.ecdh_cofactor_x_be(&b.public_key()).expect("a·B");
        let ba = b.ecdh_cofactor_x_be(&a.public_key()).expect("b·A");
        assert_eq!(ab, ba);
        assert_eq!(ab.len(), curve.field_len());
    }
    let a = PrivateKey::generate(&Curve::named(M257_OID).expect("M257"), &mut rng);
    let b = PrivateKey::generate(&Curve::named(M431_OID).expect("M431"), &mut rng);
    assert_eq!(a.ecdh_cofactor_x_be(&b.public_key()), Err(EcError::CurveMismatch));
}

#[test]
fn remembered_agreements_equal_fresh_ones() {
    // More peers than the key remembers, twice over: hits, misses and evictions all agree with
    // the other side's fresh computation.
    let mut rng = rng(12);
    let curve = Curve::named(M257_OID).expect("curve");
    let ours = PrivateKey::generate(&curve, &mut rng);
    let peers: Vec<PrivateKey> = (0..10).map(|_| PrivateKey::generate(&curve, &mut rng)).collect();
    for _ in 0..2 {
        for peer in &peers {
            let remembered = ours.ecdh_cofactor_x_be(&peer.public_key()).expect("ours·peer");
            let fresh = peer.ecdh_cofactor_x_be(&ours.public_key()).expect("peer·ours");
            assert_eq!(remembered, fresh);
        }
    }
}

#[test]
fn compression_round_trips_and_rejections() {
    let mut rng = rng(5);
    for oid in [M257_OID, M431_OID, "1.2.804.2.1.1.1.1.3.1.1.2.2"] {
        let curve = Curve::named(oid).expect("curve");
        for _ in 0..4 {
            let q = PrivateKey::generate(&curve, &mut rng).public_key();
            let bytes = q.to_compressed_le();
            assert_eq!(bytes.len(), curve.field_len());
            let back = PublicKey::from_compressed_le(&curve, &bytes).expect("decodes");
            assert_eq!(back, q);
            assert!(curve.is_on_curve(&back.q));
        }
        let len = curve.field_len();
        assert_eq!(
            PublicKey::from_compressed_le(&curve, &vec![0; len - 1]),
            Err(EcError::BadLength)
        );
        assert_eq!(
            PublicKey::from_compressed_le(&curve, &vec![0; len + 1]),
            Err(EcError::BadLength)
        );
        // All-ones in the top byte exceed 2^m.
        let mut too_big = vec![0u8; len];
        too_big[len - 1] = 0xff;
        assert_eq!(PublicKey::from_compressed_le(&curve, &too_big), Err(EcError::InvalidPoint));
        // About half of all x have no point; find one and check it is refused.
        let mut refused = 0;
        for i in 1u8..40 {
            let mut x = vec![0u8; len];
            x[0] = i;
            x[1] = i.wrapping_mul(91);
            match PublicKey::from_compressed_le(&curve, &x) {
                Ok(p) => assert!(curve.is_on_curve(&p.q)),
                Err(e) => {
                    assert_eq!(e, EcError::InvalidPoint);
                    refused += 1;
                }
            }
        }
        assert!(refused > 0);
    }
}

#[test]
fn private_key_checks_and_hygiene() {
    let curve = Curve::named(M257_OID).expect("M257");
    assert_eq!(PrivateKey::from_le_bytes(&curve, &[0u8; 32]).err(), Some(EcError::InvalidScalar));
    let mut n_le = curve.n_be();
    n_le.reverse();
    assert_eq!(PrivateKey::from_le_bytes(&curve, &n_le).err(), Some(EcError::InvalidScalar));
    assert_eq!(PrivateKey::from_le_bytes(&curve, &[0xff; 32]).err(), Some(EcError::InvalidScalar));
    assert_eq!(PrivateKey::from_le_bytes(&curve, &[1; 70]).err(), Some(EcError::InvalidScalar));
    // n − 1 is the largest valid scalar; its public key is G itself (−(−1)·G).
    n_le[0] -= 1;
    let k = PrivateKey::from_le_bytes(&curve, &n_le).expect("n − 1");
    assert_eq!(k.public_key().q, curve.g);
    let one = PrivateKey::from_le_bytes(&curve, &[1]).expect("1");
    assert_eq!(one.public_key().q, Curve::neg(&curve.g));
    assert_eq!(one.to_le_bytes().len(), 32);
    let dbg = format!("{one:?}");
    assert!(dbg.contains("redacted") && !dbg.contains("d: ["));
}

#[test]
fn explicit_parameter_rejections() {
    let c = Curve::named(M257_OID).expect("M257");
    let (b, n, g) = (c.b_le(), c.n_be(), c.g_compressed_le());
    let bad = |r: Result<Curve, EcError>| matches!(r, Err(EcError::InvalidParameters(_)));
    assert!(bad(Curve::from_explicit(257, &[12], 2, &b, &n, &g)));
    assert!(bad(Curve::from_explicit(257, &[13], 0, &b, &n, &g)));
    assert!(bad(Curve::from_explicit(256, &[12], 0, &b, &n, &g)));
    assert!(bad(Curve::from_explicit(257, &[12], 0, &[0], &n, &g)));
    assert!(bad(Curve::from_explicit(257, &[12], 1, &b, &n, &g)));
    let mut n2 = n.clone();
    *n2.last_mut().expect("n") ^= 2;
    assert!(bad(Curve::from_explicit(257, &[12], 0, &b, &n2, &g)));
    // A base point that does not decode.
    let g2 = (0u8..=255)
        .map(|i| {
            let mut v = g.clone();
            v[3] ^= i;
            v
        })
        .find(|v| c.decompress(v).is_err())
        .expect("some x has no point");
    assert!(bad(Curve::from_explicit(257, &[12], 0, &b, &n, &g2)));
    // Leading zero in n (INTEGER sign byte) and a trimmed B are accepted.
    let mut n0 = vec![0u8];
    n0.extend(&n);
    assert_eq!(Curve::from_explicit(257, &[12], 0, &b, &n0, &g), Ok(c));
}
