//! The XAM services a title uses at boot, through the real processes: the
//! `xam` guest program signs in, writes a profile setting and a save, and a
//! second run with the same cache folder finds both.

use std::process::{Command, Output};
use xenact_system_tests::{bin, repo_path};

fn run_xam(cache: &std::path::Path) -> (Output, String, String) {
    let out = Command::new(bin("xenact"))
        .arg("run")
        .arg("--headless")
        .args(["--timeout", "60", "--cache-dir"])
        .arg(cache)
        .arg(repo_path("tests/guest/bin/xam.xex"))
        .output()
        .expect("running xenact");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

fn assert_all_pass(run: &str, (out, stdout, stderr): &(Output, String, String)) {
    assert!(
        stdout.lines().any(|l| l.starts_with("RESULT pass=") && l.ends_with(" fail=0")),
        "{run}: stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stdout.contains("FAIL"), "{run}: {stdout}");
    assert_eq!(out.status.code(), Some(0), "{run}: stderr:\n{stderr}");
}

#[test]
fn a_second_run_finds_the_first_runs_profile_setting_and_save() {
    let cache = std::env::temp_dir().join(format!("xenact-xam-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);

    let first = run_xam(&cache);
    assert_all_pass("first run", &first);
    assert!(first.1.contains("xam: no profile setting from a previous run"), "{}", first.1);
    assert!(first.1.contains("xam: no save from a previous run"), "{}", first.1);
    for check in
        ["slot 0 signed in locally", "profile setting reads back", "save file reads back", "message box completed"]
    {
        assert!(first.1.contains(&format!("xam: {check} ok")), "{check}: {}", first.1);
    }

    let second = run_xam(&cache);
    assert_all_pass("second run", &second);
    assert!(second.1.contains("xam: previous run's profile setting: xenact-profile"), "{}", second.1);
    assert!(second.1.contains("xam: previous run's save: xenact-save"), "{}", second.1);

    let _ = std::fs::remove_dir_all(&cache);
}
