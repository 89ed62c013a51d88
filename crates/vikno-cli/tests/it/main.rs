//! Runs the built `vikno-cli` binary on the published Diia SDK samples.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js"))
        .join(relative)
}

fn run(args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vikno-cli"))
        .args(args)
        .env("VIKNO_TEST_PASSWORD", password)
        .output()
        .expect("the built binary runs")
}

fn path(relative: &str) -> String {
    fixture(relative).to_string_lossy().into_owned()
}

#[test]
fn open_all_three_samples() {
    let key6_signing = path("key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer");
    let cases = [
        (
            vec![
                "open".to_owned(),
                "--key".to_owned(),
                path("pfx-set/DiiaTest.pfx"),
                "--cert".to_owned(),
                path("pfx-set/user_cert_enc.crt"),
                "--trust".to_owned(),
                path("pfx-set/user_cert.crt"),
                "--at".to_owned(),
                "2022-04-13T00:00:00Z".to_owned(),
                path("pfx-set/EnvelopedData"),
            ],
            "Test",
            b"123456".to_vec(),
        ),
        (
            vec![
                "open".to_owned(),
                "--key".to_owned(),
                path("key6-set/Key-6.dat"),
                "--trust".to_owned(),
                key6_signing.clone(),
                "--at".to_owned(),
                "2024-10-24T10:22:56Z".to_owned(),
                path("key6-set/encodedData.json.p7s.p7e"),
            ],
            "12345677",
            std::fs::read(fixture("key6-set/encodedData.json")).unwrap(),
        ),
        (
            vec![
                "open".to_owned(),
                "--key".to_owned(),
                path("key6-set/Key-6.dat"),
                "--trust".to_owned(),
                key6_signing,
                "--at".to_owned(),
                "2024-10-24T10:22:56Z".to_owned(),
                path("key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf.p7s.p7e"),
            ],
            "12345677",
            std::fs::read(fixture(
                "key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf",
            ))
            .unwrap(),
        ),
    ];
    for (mut args, password, expected) in cases {
        args.insert(3, "--password-env".to_owned());
        args.insert(4, "VIKNO_TEST_PASSWORD".to_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args, password);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(output.stdout == expected, "content is byte-exact");
        let summary: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
        assert_eq!(summary["algorithms"]["key_agreement"], "1.2.804.2.1.1.1.1.3.4");
        assert!(summary["signer"]["serial"].is_string());
    }
}

#[test]
fn failures_exit_non_zero_with_a_code() {
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["keys", "--key", "KEY", "--password-env", "VIKNO_TEST_PASSWORD"],
            "wrong",
            "wrong_password",
        ),
        (
            &[
                "open",
                "--key",
                "KEY",
                "--password-env",
                "VIKNO_TEST_PASSWORD",
                "--at",
                "2022-04-13T00:00:00Z",
                "ENVELOPE",
            ],
            "Test",
            "sender_certificate_not_found",
        ),
        (&["verify", "ENVELOPE"], "", "not_cms"),
    ];
    let key = path("pfx-set/DiiaTest.pfx");
    let envelope = path("pfx-set/EnvelopedData");
    for (args, password, code) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|arg| match *arg {
                "KEY" => key.as_str(),
                "ENVELOPE" => envelope.as_str(),
                other => other,
            })
            .collect();
        let output = run(&args, password);
        assert!(!output.status.success(), "{args:?} must fail");
        let report: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&output.stderr).trim()).unwrap();
        assert_eq!(report["code"], code, "{report}");
        assert!(report["message"].is_string());
    }
}

#[test]
fn keys_lists_both_keys() {
    let output = run(
        &["keys", "--key", &path("key6-set/Key-6.dat"), "--password-env", "VIKNO_TEST_PASSWORD"],
        "12345677",
    );
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let curves: Vec<u64> = lines.iter().map(|line| line["curve_m"].as_u64().unwrap()).collect();
    assert!(curves.contains(&257) && curves.contains(&431), "{curves:?}");
    assert!(lines.iter().all(|line| line["certificate"]["serial"].is_string()));
}

mod crash;
