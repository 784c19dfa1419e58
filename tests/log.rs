//! Whole-system tests of the instrumented kernel and the log tools.

use std::path::PathBuf;
use std::process::Command;
use xenact_system_tests::{bin, repo_path};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xenact-log-test-{}-{name}", std::process::id()))
}

/// Runs `image` under the instrumented kernel, writing `log`.
fn traced_run(image: &str, log: &PathBuf) -> String {
    let out = Command::new(bin("xenact"))
        .args(["run", "--headless", "--timeout", "60", "--event-log"])
        .arg(log)
        .arg("--cache-dir")
        .arg(temp("cache"))
        .arg(repo_path(image))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn xenact(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin("xenact")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_instrumented_kernel_logs_every_kind_with_semantic_ids_and_the_title_behaves_the_same() {
    let log = temp("threads.jsonl");
    let stdout = traced_run("tests/guest/bin/threads.xex", &log);
    assert!(stdout.contains("RESULT pass=29 fail=0"), "{stdout}");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["kind"], "schema_version");
    assert_eq!(lines[0]["schema_version"], 1);
    assert_eq!(lines[0]["engine"], "xenact");
    for kind in [
        "kernel.call",
        "kernel.return",
        "handle.create",
        "handle.destroy",
        "wait.begin",
        "wait.end",
        "thread.create",
        "thread.exit",
    ] {
        assert!(lines.iter().any(|l| l["kind"] == kind), "no {kind} event");
    }
    for event in &lines[1..] {
        for field in ["engine", "tid", "tid_event_idx", "host_ns", "guest_cycle", "deterministic", "payload"] {
            assert!(event.get(field).is_some(), "{field} missing in {event}");
        }
    }
    // Locally runnable calls are taken back: critical sections appear.
    assert!(lines.iter().any(|l| l["payload"]["name"] == "RtlEnterCriticalSection"));
    let ids: Vec<&str> = lines.iter().filter_map(|l| l["payload"]["thread_semantic_id"].as_str()).collect();
    assert_eq!(ids.len(), 9);
    assert!(ids.iter().all(|id| id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit())));
}

#[test]
fn two_runs_of_a_single_threaded_title_give_one_digest_and_no_divergence() {
    let (a, b) = (temp("hello-a.jsonl.gz"), temp("hello-b.jsonl.zst"));
    traced_run("tests/guest/bin/hello.xex", &a);
    traced_run("tests/guest/bin/hello.xex", &b);
    assert_eq!(&std::fs::read(&a).unwrap()[..2], &[0x1F, 0x8B], "gzip magic");
    assert_eq!(&std::fs::read(&b).unwrap()[..4], &[0x28, 0xB5, 0x2F, 0xFD], "zstd magic");
    let (code_a, digest_a, _) = xenact(&["log", "digest", a.to_str().unwrap()]);
    let (code_b, digest_b, _) = xenact(&["log", "digest", b.to_str().unwrap()]);
    assert_eq!((code_a, code_b), (0, 0));
    assert!(digest_a.starts_with("digest: sha1:"), "{digest_a}");
    assert_eq!(digest_a, digest_b);
    assert!(digest_a.contains("kernel.call: ") && digest_a.contains("events: "), "{digest_a}");
    let (code, report, _) = xenact(&["log", "diff", a.to_str().unwrap(), b.to_str().unwrap(), "--validate-identical"]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("| 1 | 1 | semantic id |"), "{report}");
    let _ = (std::fs::remove_file(&a), std::fs::remove_file(&b));
}

#[test]
fn different_titles_diverge_and_validate_identical_fails_with_a_report() {
    let (a, b, out) = (temp("div-a.jsonl"), temp("div-b.jsonl"), temp("div-report.md"));
    traced_run("tests/guest/bin/hello.xex", &a);
    traced_run("tests/guest/bin/demo.xex", &b);
    let (code, _, _) = xenact(&[
        "log",
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--tid-map",
        "1=1",
        "--validate-identical",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains("| 1 | 1 | manual map |"), "{report}");
    assert!(report.contains("The divergent pair:") && report.contains("Matching events before it:"), "{report}");
    for f in [a, b, out] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn a_log_that_is_not_an_event_log_is_a_one_line_error() {
    let (code, _, stderr) = xenact(&["log", "digest", repo_path("README.md").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn bench_log_diff_compares_two_synthetic_logs() {
    let (code, stdout, stderr) = xenact(&["bench", "log-diff", "--events", "20000"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("diff of two 20000-event logs"), "{stdout}");
}

#[test]
fn trace_pc_records_each_visit_as_an_engine_local_event_that_diffs_skip() {
    let (a, b) = (temp("pc-a.jsonl"), temp("pc-b.jsonl"));
    traced_run("tests/guest/bin/hello.xex", &a);
    // The entry point of hello.xex runs exactly once.
    let out = Command::new(bin("xenact"))
        .args(["run", "--headless", "--timeout", "60", "--trace-pc", "0x82010000", "--event-log"])
        .arg(&b)
        .arg(repo_path("tests/guest/bin/hello.xex"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&b).unwrap();
    let hits: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["kind"] == "pc.hit")
        .collect();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["payload"]["pc"], "0x82010000");
    assert_eq!(hits[0]["payload"]["r3_r10"].as_array().unwrap().len(), 8);
    let (code, report, _) = xenact(&["log", "diff", a.to_str().unwrap(), b.to_str().unwrap(), "--validate-identical"]);
    assert_eq!(code, 0, "{report}");
    let _ = (std::fs::remove_file(&a), std::fs::remove_file(&b));
}
