//! Whole-system test of the `kmisc` guest program: reader/writer locks
//! under contention, an I/O completion port between two threads, CRC-32
//! known answers and the title's own resource section, in a free run and
//! under `--deterministic` (whose output must repeat exactly).

use std::process::Command;
use xenact_system_tests::{bin, repo_path};

const IMAGE: &str = "tests/guest/bin/kmisc.xex";
const CHECKS: usize = 29;

/// Runs kmisc with `extra` flags; its stdout once it passed every check.
fn run(extra: &[&str]) -> String {
    let out = Command::new(bin("xenact"))
        .args(["run", "--headless", "--timeout", "120"])
        .args(extra)
        .arg(repo_path(IMAGE))
        .output()
        .expect("running xenact");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.lines().any(|l| l == format!("RESULT pass={CHECKS} fail=0")),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    stdout
}

#[test]
fn kmisc_passes_every_lock_port_crc_and_section_check() {
    let stdout = run(&[]);
    for line in [
        "kmisc: rwlock reader waits for writer ok",
        "kmisc: rwlock readers saw no torn write ok",
        "kmisc: iocp empty wait times out ok",
        "kmisc: iocp blocking remove ok",
        "kmisc: crc32 check value ok",
        "kmisc: module section found ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?} in:\n{stdout}");
    }
}

#[test]
fn kmisc_under_deterministic_prints_the_same_lines_every_run() {
    let first = run(&["--deterministic"]);
    let second = run(&["--deterministic"]);
    assert_eq!(first, second);
}
