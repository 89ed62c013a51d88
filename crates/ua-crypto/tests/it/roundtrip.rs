//! seal → open round trips with freshly generated identities, and the legacy IIT and PKCS#12
//! writers read back by the container reader.

use std::sync::OnceLock;

use proptest::prelude::*;
use time::OffsetDateTime;
use ua_crypto::testca::{Identity, TestCa};
use ua_crypto::{Error, KeyContainer, SealParams, TrustPolicy, open_envelope, seal};

struct World {
    diia: Identity,
    partner: Identity,
}

/// Key generation and certificate signing are not free in debug builds: do it once.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut rng = rand::rng();
        let ca = TestCa::generate("Test CA", &mut rng).unwrap();
        World {
            diia: ca.generate_identity("Diia test", &mut rng).unwrap(),
            partner: ca.generate_identity("Partner test", &mut rng).unwrap(),
        }
    })
}

fn seal_to_partner(content: &[u8], include_originator_cert: bool) -> Vec<u8> {
    let world = world();
    let params = SealParams {
        signer_key: &world.diia.signing_key,
        signer_cert: &world.diia.signing_cert,
        sender_ka_key: &world.diia.ka_key,
        sender_ka_cert: &world.diia.ka_cert,
        recipient_cert: &world.partner.ka_cert,
        include_originator_cert,
        signing_time: OffsetDateTime::now_utc().replace_nanosecond(0).unwrap(),
    };
    seal(content, &params, &mut rand::rng()).unwrap()
}

fn partner_keys() -> KeyContainer {
    let world = world();
    let pfx = ua_crypto::write_pkcs12(
        &[&world.partner.ka_key, &world.partner.signing_key],
        &[&world.partner.ka_cert, &world.partner.signing_cert],
        "пароль",
        50,
        &mut rand::rng(),
    );
    KeyContainer::open(&pfx, "пароль").unwrap()
}

fn partner_container() -> &'static KeyContainer {
    static KEYS: OnceLock<KeyContainer> = OnceLock::new();
    KEYS.get_or_init(partner_keys)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn seal_open_round_trip(content in proptest::collection::vec(any::<u8>(), 0..3000), carry in any::<bool>()) {
        let world = world();
        let sealed = seal_to_partner(&content, carry);
        let senders = if carry { vec![] } else { vec![world.diia.ka_cert.clone()] };
        // Trust the CA, not the leaf: the chain check must accept it.
        let policy = TrustPolicy {
            trusted_signers: vec![world.diia.ca_cert.clone()],
            at: OffsetDateTime::now_utc(),
        };
        let opened = open_envelope(&sealed, partner_container(), &senders, &policy).unwrap();
        prop_assert_eq!(opened.content, content);
        prop_assert!(opened.signer.subject.contains("Diia test"));
    }
}

#[test]
fn sealed_for_someone_else_is_recipient_not_found() {
    let world = world();
    let sealed = seal_to_partner(b"hello", true);
    let diia_keys = KeyContainer::from_keys(Vec::new(), vec![world.diia.ka_cert.clone()]);
    let policy = TrustPolicy { trusted_signers: vec![], at: OffsetDateTime::now_utc() };
    let err = open_envelope(&sealed, &diia_keys, &[], &policy).unwrap_err();
    assert!(matches!(err, Error::RecipientNotFound), "{err:?}");
    let err = open_envelope(&sealed, partner_container(), &[], &policy).unwrap_err();
    assert!(matches!(err, Error::UntrustedSigner), "{err:?}");
}

#[test]
fn iit_container_round_trip() {
    let world = world();
    let file = ua_crypto::write_iit_container(
        &world.partner.signing_key,
        &world.partner.ka_key,
        "12345677",
    );
    let keys = KeyContainer::open(&file, "12345677").unwrap();
    assert_eq!(keys.keys().len(), 2);
    let ids: Vec<[u8; 32]> = keys.keys().iter().map(|key| *key.key_id()).collect();
    assert!(ids.contains(&ua_crypto::key_id_of(&world.partner.ka_key.public_key())));
    assert!(ids.contains(&ua_crypto::key_id_of(&world.partner.signing_key.public_key())));
    assert!(matches!(KeyContainer::open(&file, "12345678"), Err(Error::WrongPassword)));
    // The legacy container has no certificates: the recipient certificate may come from the
    // caller, and only a certificate holding exactly this key is accepted.
    let sealed = seal_to_partner(b"legacy", true);
    let policy = TrustPolicy {
        trusted_signers: vec![world.diia.signing_cert.clone()],
        at: OffsetDateTime::now_utc(),
    };
    let opened =
        open_envelope(&sealed, &keys, std::slice::from_ref(&world.partner.ka_cert), &policy)
            .unwrap();
    assert_eq!(opened.content, b"legacy");
}

#[test]
fn corrupted_generated_pkcs12_is_a_typed_error() {
    let world = world();
    let pfx = ua_crypto::write_pkcs12(
        &[&world.partner.ka_key],
        &[&world.partner.ka_cert],
        "pw",
        3,
        &mut rand::rng(),
    );
    assert_eq!(KeyContainer::open(&pfx, "pw").unwrap().keys().len(), 1);
    for position in (0..pfx.len()).step_by(7) {
        let mut corrupted = pfx.clone();
        corrupted[position] ^= 0x20;
        if let Ok(keys) = KeyContainer::open(&corrupted, "pw") {
            // Only bytes outside the MAC (the MAC salt/count/digest structure) could pass, and
            // then the MAC itself would fail; anything that opens must be the same key.
            assert_eq!(
                keys.keys()[0].key_id(),
                &ua_crypto::key_id_of(&world.partner.ka_key.public_key())
            );
        }
    }
}
