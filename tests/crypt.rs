//! Whole-system test of the XeCrypt and XeKeys exports: the `crypt` guest
//! program runs under `xenact run --headless`, checks published known
//! answers through the real kernel calls and prints one line per check.

use std::process::Command;
use xenact_system_tests::{bin, repo_path};

#[test]
fn crypt_program_gets_every_known_answer_and_ends_with_exit_code_0() {
    let cache = std::env::temp_dir().join(format!("xenact-cache-crypt-{}", std::process::id()));
    let out = Command::new(bin("xenact"))
        .arg("run")
        .arg("--headless")
        .args(["--timeout", "60", "--cache-dir"])
        .arg(&cache)
        .arg(repo_path("tests/guest/bin/crypt.xex"))
        .output()
        .expect("running xenact");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.lines().any(|l| l == "RESULT pass=33 fail=0"), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    for line in [
        "crypt: sha256 incremental ok",
        "crypt: md5 message digest ok",
        "crypt: hmac-sha rfc 2202 case 2 ok",
        "crypt: hmac-sha incremental rfc 2202 case 1 ok",
        "crypt: aes cbc sp 800-38a ok",
        "crypt: des cbc fips 81 ok",
        "crypt: des3 ecb sp 800-67 ok",
        "crypt: rc4 stream rfc 6229 ok",
        "crypt: rsa pub crypt ok",
        "crypt: pkcs1 verify ok",
        "crypt: xekeys hmac sha key 0x19 ok",
        "crypt: xekeys aes cbc using key answer ok",
        "crypt: random fills and differs ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?} in:\n{stdout}");
    }
    let _ = std::fs::remove_dir_all(&cache);
}
