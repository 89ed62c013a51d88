//! Criterion benchmarks of the DSTU 4145 layer: M431 ECDH, M257 sign and verify, M431 point
//! decompression, M431 public key (−d·G), and the M431 field operations underneath.
//! Run: `cargo bench -p ua-crypto --bench ec`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use ua_crypto::dstu4145::{Curve, PrivateKey, PublicKey, verify};
use ua_crypto::gf2m::{Fe, Field};

const M257: &str = "1.2.804.2.1.1.1.1.3.1.1.2.6";
const M431: &str = "1.2.804.2.1.1.1.1.3.1.1.2.9";

fn bench_ec(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let m431 = Curve::named(M431).expect("M431");
    let m257 = Curve::named(M257).expect("M257");

    let a = PrivateKey::generate(&m431, &mut rng);
    let b = PrivateKey::generate(&m431, &mut rng).public_key();
    // A key remembers its agreements, so every iteration gets a fresh copy of `a` (made
    // outside the timing): this is the full constant-time ladder. The remembered case is
    // `m431_ecdh_remembered`.
    let a_bytes = a.to_le_bytes();
    c.bench_function("m431_ecdh", |bch| {
        bch.iter_batched(
            || PrivateKey::from_le_bytes(&m431, &a_bytes).expect("key"),
            |fresh| fresh.ecdh_cofactor_x_be(black_box(&b)).expect("ecdh"),
            criterion::BatchSize::PerIteration,
        )
    });
    c.bench_function("m431_ecdh_remembered", |bch| {
        bch.iter(|| a.ecdh_cofactor_x_be(black_box(&b)).expect("ecdh"))
    });

    let b_bytes = b.to_compressed_le();
    c.bench_function("m431_decompress", |bch| {
        bch.iter(|| PublicKey::from_compressed_le(&m431, black_box(&b_bytes)).expect("decode"))
    });

    let d431 = a.to_le_bytes();
    c.bench_function("m431_public_key", |bch| {
        bch.iter(|| PrivateKey::from_le_bytes(&m431, black_box(&d431)).expect("key"))
    });

    let s = PrivateKey::generate(&m257, &mut rng);
    let q = s.public_key();
    let hash = [0x5au8; 32];
    c.bench_function("m257_sign", |bch| bch.iter(|| s.sign(black_box(&hash), &mut rng)));

    let sig = s.sign(&hash, &mut rng);
    c.bench_function("m257_verify", |bch| {
        bch.iter(|| verify(black_box(&q), black_box(&hash), black_box(&sig)).expect("valid"))
    });
}

fn bench_field(c: &mut Criterion) {
    let f = Field::new(431, &[1, 3, 5]).expect("M431 field");
    let a = f.truncate(&Fe([0x0123_4567_89ab_cdef; 8]));
    let b = f.truncate(&Fe([0xfedc_ba98_7654_3210; 8]));
    c.bench_function("gf431_mul", |bch| bch.iter(|| f.mul(black_box(&a), black_box(&b))));
    c.bench_function("gf431_sqr", |bch| bch.iter(|| f.sqr(black_box(&a))));
    c.bench_function("gf431_inv", |bch| bch.iter(|| f.inv(black_box(&a))));
}

criterion_group!(benches, bench_ec, bench_field);
criterion_main!(benches);
