//! Whole-system test of the network exports: the `net` guest program runs
//! the boot-time network sequence of a title on a console with its cable
//! unplugged and every step behaves as that console's does.

use std::process::Command;
use xenact_system_tests::{bin, repo_path};

#[test]
fn net_starts_the_stack_and_sees_no_network_cleanly() {
    let cache = std::env::temp_dir().join(format!("xenact-cache-net-{}", std::process::id()));
    let out = Command::new(bin("xenact"))
        .arg("run")
        .arg("--headless")
        .args(["--timeout", "60", "--cache-dir"])
        .arg(&cache)
        .arg(repo_path("tests/guest/bin/net.xex"))
        .output()
        .expect("running xenact");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "net: XNetStartup ok",
        "net: WSAStartup ok",
        "net: title address is ethernet only ok",
        "net: link status ok",
        "net: bind system link port ok",
        "net: recvfrom would block ok",
        "net: sendto finds the network down ok",
        "net: select times out ok",
        "net: closesocket ok",
        "net: WSACleanup ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?}; stdout:\n{stdout}\nstderr:\n{stderr}");
    }
    assert!(stdout.lines().any(|l| l == "RESULT pass=15 fail=0"), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("unimplemented export"), "an export the program uses is missing:\n{stderr}");
}
