//! The code rule, table-driven: every refusal reason with its stable UI code.

use vikno_scan::{Code, classify};

const LINK: &str = "https://diia.app/documents/internal-passport/a1b2c3/verify/9b2f1c3e-0d4a-4c5b-8e6f-7a8b9c0d1e2f";

#[test]
fn table() {
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("4006381333931", Ok("share_code")),
        ("5901234123457\n", Ok("share_code")),
        ("\t9780201379624 ", Ok("share_code")),
        (LINK, Ok("diia_qr")),
        ("", Err("empty")),
        ("   ", Err("empty")),
        ("400638133393", Err("wrong_length")),
        ("40063813339310", Err("wrong_length")),
        ("0123456789012", Err("leading_zero")),
        ("4006381333930", Err("bad_check_digit")),
        ("4006-381333931", Err("non_digit")),
        ("4OO6381333931", Err("non_digit")),
        ("https://diia.app/documents/x/1/verify/zz", Err("bad_uuid")),
        (
            "https://diia.app/other/x/1/verify/9b2f1c3e-0d4a-4c5b-8e6f-7a8b9c0d1e2f",
            Err("not_diia_link"),
        ),
        (
            "https://evil.example/documents/x/1/verify/9b2f1c3e-0d4a-4c5b-8e6f-7a8b9c0d1e2f",
            Err("not_diia_link"),
        ),
        ("diia.app", Err("not_diia_link")),
        ("привіт", Err("unrecognised")),
    ];
    for (input, want) in cases {
        let got = classify(input).map(|c| c.kind()).map_err(|e| e.code());
        assert_eq!(&got, want, "input {input:?}");
    }
}

#[test]
fn messages_say_what_and_why_without_leaking() {
    let e = classify("4006381333930").expect_err("bad check");
    let msg = e.to_string();
    assert!(msg.contains("expected 1"), "{msg}");
    assert!(msg.contains("400"), "shows a recognisable prefix: {msg}");
    assert!(!msg.contains("4006381333930"), "masks the full number: {msg}");
    let long = "x".repeat(10_000);
    assert!(classify(&long).expect_err("junk").to_string().len() < 200);
}

#[test]
fn link_fields() {
    let Ok(Code::DiiaQr { doc_type, doc_id, uuid, url }) = classify(LINK) else {
        panic!("link refused");
    };
    assert_eq!((doc_type.as_str(), doc_id.as_str()), ("internal-passport", "a1b2c3"));
    assert_eq!(uuid, "9b2f1c3e-0d4a-4c5b-8e6f-7a8b9c0d1e2f");
    assert_eq!(url, LINK);
}
