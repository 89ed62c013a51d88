//! The DSTU 4145 named polynomial-basis curves (OIDs 1.2.804.2.1.1.1.1.3.1.1.2.0 … .2.9).
//!
//! Values are the published domain parameters (order of the Ministry of Justice of Ukraine /
//! SSSCIP No. 1236/5/453 of 2012-08-20), written here as little-endian hex like the DSTU
//! certificate encoding: B, the order n and the affine base point (x, y).

/// One named curve's parameters.
pub(crate) struct NamedCurve {
    /// Dotted OID.
    pub(crate) oid: &'static str,
    /// Extension degree.
    pub(crate) m: u32,
    /// Middle exponents of the reduction polynomial, ascending.
    pub(crate) poly: &'static [u32],
    /// Coefficient A ∈ {0, 1}.
    pub(crate) a: u8,
    /// B, little-endian hex, ⌈m/8⌉ bytes.
    pub(crate) b: &'static str,
    /// Order n, little-endian hex.
    pub(crate) n: &'static str,
    /// Base point x, little-endian hex.
    pub(crate) gx: &'static str,
    /// Base point y, little-endian hex.
    pub(crate) gy: &'static str,
}

/// All ten named curves, in OID order.
pub(crate) const NAMED: [NamedCurve; 10] = [
    // M163
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.0",
        m: 163,
        poly: &[3, 6, 7],
        a: 1,
        b: "215d45c1198a635e9203b40a21c82d2a460861ff05",
        n: "4df1bc392d26e22bc1be0200000000000000000004",
        gx: "be2358f3a3f8da297223c4a583e94cd75d5ff8e202",
        gy: "3a72cde20ce0f03fd0d98452b9d7518c8a006f8203",
    },
    // M167
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.1",
        m: 167,
        poly: &[6],
        a: 1,
        b: "ac7d825a31a4f130098a51209f75110823ebcee36e",
        n: "1f70f79ff2d7c7bc2eb1ffffffffffffffffffff3f",
        gx: "54cd218b01a2b2303d0a91032819686a7853661f7a",
        gy: "1899d55fe435d48ed9569190b8c60e1c7826eb495f",
    },
    // M173
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.2",
        m: 173,
        poly: &[1, 2, 10],
        a: 0,
        b: "d937b46f6b8f27bb3b85f6dd6ec12fdb9904c8768510",
        n: "3128bb25386e60674e9b180000000000000000000008",
        gx: "ca8973d381917a56ad2fa28f44f0ad6ecc9b611ad404",
        gy: "a191d9e01c5cfff78b02d26d5ec734b24928c11cb510",
    },
    // M179
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.3",
        m: 179,
        poly: &[1, 2, 4],
        a: 1,
        b: "10b7be724518042de341a307dd882f6f43266585e0a604",
        n: "ef3642b65afe35049681b9ffffffffffffffffffffff03",
        gx: "037d2c02674695a99b81487fc56dd22b4b4651fe06ba06",
        gy: "9e3adc668a7809ffaa8782ca805006ecdc823536bc5f02",
    },
    // M191
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.4",
        m: 191,
        poly: &[9],
        a: 1,
        b: "03fcfe502748e027ff81496b8b0e89d5c42e9002216ec87b",
        n: "4f47f78867bcdac1ca79a769000000000000000000000040",
        gx: "2971ebda76fefcc2b5b958acd2a612794afff262b7144171",
        gy: "da08db038dcd1396fa96db112f90e5ef17c6778b561ec429",
    },
    // M233
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.5",
        m: 233,
        poly: &[1, 4, 9],
        a: 1,
        b: "2c4d45ce6e93aa26038a3bddf54ed51ba2647ecfc73455679550b1736900",
        n: "d7e0cf03261d0322698a2fe774e913000000000000000000000000000001",
        gx: "96fe5eb2ee03d02827f345351d76313c5bf38d11a13bf8cdb626a5cd3f00",
        gy: "358d6df99d0bbe324dc5912e3b5ed9ba7b4ae5a9edde544c937ab5a89c00",
    },
    // M257
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.6",
        m: 257,
        poly: &[12],
        a: 0,
        b: "10bee3db6aea9e1f86578c45c12594ff942394a7d738f9187e6515017294f4ce01",
        n: "0d477d901477e1d387e982f13a2159670000000000000000000000000000008000",
        gx: "b70fd2d8dce8a93423c6101bca91c47a007e6c300b26cd556c9b0e7d20ef292a00",
        gy: "ef14d856f12c708b970bd6a9932c81e60231a0eed8f6cc9f44d444f71fd4860601",
    },
    // M307
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.7",
        m: 307,
        poly: &[2, 4, 8],
        a: 1,
        b: "bb6849908601c9bd90608bf10d0541e2e2e299c5c096424fe93d6d6c5e4b05b56636d5f7c79303",
        n: "b7b7224060d488a5bb0f390da75d82f3c279c0ffffffffffffffffffffffffffffffffffffff03",
        gx: "aa32726e2dc0523c7467316d279b237a085a82cd5cf76bd1f1921e4c9824021a299d188bee1602",
        gy: "a0f2c73722ab4083bef7c7119adcf2f2a8627767d1c566286e9c042e9db0ae7f2bd2ac6b30d905",
    },
    // M367
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.8",
        m: 367,
        poly: &[21],
        a: 1,
        b: "365199567b435597a7794c39923df9b8daca42fe2a0c4ba6a46abf476b55474465d57a62d1f3a6b7b042d28afc43",
        n: "492d9b0444ef452281e88cd28f42224f82faa3750b309c0000000000000000000000000000000000000000000040",
        gx: "a1b9b34135374abf789f109ae512feb53996e081a60c401ae87b3e41767a1961f9d3e09aa9498cf012d5dd6e4a32",
        gy: "103c2b442616051fba41cd54f4aa8134fec38419b6c6493a042bb967a5d177f9c7079053399ef577445b7a59ab01",
    },
    // M431
    NamedCurve {
        oid: "1.2.804.2.1.1.1.1.3.1.1.2.9",
        m: 431,
        poly: &[1, 3, 5],
        a: 1,
        b: "f3ca40c669a4da173149ca12c32dae186b53ac6bc6365997deaeae8ad2d888f9bfd53401694ef9c4273d8cfe6dc28f706a0f4910ce03",
        n: "cf040511957a0cd980afcb1f8aaa812ff024a7c0a80980457531baffffffffffffffffffffffffffffffffffffffffffffffffffff3f",
        gx: "7d857c94c5433bfd991e17c22684065850a9a249ed7bc249ae5a4e878689f872ef7ad524082ec3038e9aede7ba6ba13381d979ba621a",
        gy: "b92de090e0243772e2b50833a54ba11e9b76c155a839188d6b39aa31f341a28df4a54c4b7551f466debd96febe0bf7c13140e1e1b570",
    },
];

/// The example curve of DSTU 4145-2002 annex B (M163 with its own base point), used by the
/// standard's signature example; not a named curve.
#[cfg(test)]
pub(crate) const ANNEX_B: NamedCurve = NamedCurve {
    oid: "",
    m: 163,
    poly: &[3, 6, 7],
    a: 1,
    b: "215d45c1198a635e9203b40a21c82d2a460861ff05",
    n: "4df1bc392d26e22bc1be0200000000000000000004",
    gx: "2004548c5c8874feaf01fff97dc23aa9937f862d07",
    gy: "9bfdc3ad2211b84a5f9d59c5972b8547399c4a2200",
};
