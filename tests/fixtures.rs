//! The committed fixtures rebuild byte for byte from their sources when the
//! cross toolchain is installed (CI installs it; elsewhere these tests say
//! so and pass without checking).

use std::process::Command;
use xenact_system_tests::{bin, repo_path};

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

#[test]
fn guest_programs_rebuild_identically() {
    if !have("powerpc-linux-gnu-gcc") {
        eprintln!("powerpc-linux-gnu-gcc not installed: guest fixtures not rebuilt");
        return;
    }
    let out = Command::new("bash")
        .arg(repo_path("tests/guest/build.sh"))
        .arg("--check")
        .env("XENACT", bin("xenact"))
        .output()
        .expect("running tests/guest/build.sh");
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn conformance_binaries_rebuild_identically() {
    if !have("powerpc-linux-gnu-as") {
        eprintln!("powerpc-linux-gnu-as not installed: conformance binaries not rebuilt");
        return;
    }
    let out =
        Command::new("bash").arg(repo_path("tests/ppc/build.sh")).arg("--check").output().expect("running build.sh");
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn xenact_info_describes_every_guest_fixture_and_refuses_a_bad_file() {
    for name in ["hello", "threads", "memory", "files", "compute", "demo"] {
        let path = repo_path(&format!("tests/guest/bin/{name}.xex"));
        let out = Command::new(bin("xenact")).arg("info").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("entry point: 0x8201"), "{name}:\n{text}");
        assert!(text.contains("XamLoaderTerminateTitle"), "{name}:\n{text}");
    }
    let iso = Command::new(bin("xenact")).arg("info").arg(repo_path("tests/guest/bin/files.iso")).output().unwrap();
    assert!(iso.status.success());
    assert!(String::from_utf8_lossy(&iso.stdout).to_lowercase().contains("default.xex"));
    let bad = Command::new(bin("xenact")).arg("info").arg(repo_path("README.md")).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&bad.stderr).lines().count(), 1);
}
