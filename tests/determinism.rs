//! Whole-system tests of `--deterministic`: one guest thread at a time,
//! guest time from retired instructions, the same event log every run.

use std::path::PathBuf;
use std::process::Command;
use xenact_system_tests::{bin, repo_path};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xenact-det-test-{}-{name}", std::process::id()))
}

/// Runs `image` (with `extra` flags) under the instrumented kernel and
/// returns the digest of its event log and the title's output.
fn digest_of_run(image: &str, name: &str, extra: &[&str]) -> (String, String) {
    let log = temp(&format!("{name}.jsonl"));
    let out = Command::new(bin("xenact"))
        .args(["run", "--headless", "--timeout", "120", "--event-log"])
        .arg(&log)
        .args(extra)
        .arg(repo_path(image))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("fail=0"), "{stdout}");
    let digest = Command::new(bin("xenact")).args(["log", "digest"]).arg(&log).output().unwrap();
    assert!(digest.status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    let first_event = text.lines().nth(1).unwrap_or_default().to_string();
    (String::from_utf8_lossy(&digest.stdout).into_owned(), first_event)
}

#[test]
fn threads_run_five_times_deterministically_gives_five_identical_digests() {
    let runs: Vec<(String, String)> = (0..5)
        .map(|i| digest_of_run("tests/guest/bin/threads.xex", &format!("threads-{i}"), &["--deterministic"]))
        .collect();
    let (digest, first_event) = &runs[0];
    assert!(digest.starts_with("digest: sha1:"), "{digest}");
    // The events say the run was deterministic, so the digest covers guest_cycle too.
    assert!(first_event.contains("\"deterministic\":true"), "{first_event}");
    for (i, (other, _)) in runs.iter().enumerate().skip(1) {
        assert_eq!(other, digest, "run {i} differs from run 0");
    }
}

#[test]
fn threads_without_deterministic_still_completes_and_says_so_in_its_events() {
    for i in 0..2 {
        let (digest, first_event) = digest_of_run("tests/guest/bin/threads.xex", &format!("free-{i}"), &[]);
        assert!(digest.starts_with("digest: sha1:"), "{digest}");
        assert!(first_event.contains("\"deterministic\":false"), "{first_event}");
    }
}

#[test]
fn interrupt_time_callbacks_come_at_the_same_guest_instant_every_run() {
    // gpu_irq: vblank from the guest clock, the doorbell and the command
    // processor's interrupt. tone: 375 render-driver callbacks paced by the
    // guest clock. gpu_clear: 300 resolves and swaps through gpu-proc.
    // The sound is the same too, sample for sample: audio messages carry
    // the guest time they were sent at, and the clock stops with the title.
    for image in ["gpu_irq", "tone", "gpu_clear"] {
        let path = format!("tests/guest/bin/{image}.xex");
        let run = |name: &str| {
            let wav = temp(&format!("{image}-{name}.wav"));
            let extra = ["--deterministic", "--audio-out", wav.to_str().unwrap()];
            let (digest, _) = digest_of_run(&path, &format!("{image}-{name}"), &extra);
            let sound = std::fs::read(&wav).unwrap();
            std::fs::remove_file(&wav).unwrap();
            (digest, sound)
        };
        let (digest_a, sound_a) = run("a");
        let (digest_b, sound_b) = run("b");
        assert_eq!(digest_a, digest_b, "{image}");
        assert!(sound_a == sound_b, "{image}: the WAV files differ ({} and {} bytes)", sound_a.len(), sound_b.len());
        if image == "tone" {
            // 2 s of a tone, not silence: frames of 256 stereo 16-bit samples
            // (the title submits 375; the clock stops with the last period open).
            assert!(sound_a.len() >= 44 + 370 * 256 * 4, "{} bytes", sound_a.len());
            assert!(sound_a[44..].iter().any(|&b| b != 0));
        }
    }
}

#[test]
fn a_deterministic_run_survives_gpu_and_audio_proc_kills() {
    // The waits on gpu-proc (doorbells) and audio-proc (frames) are
    // bounded, so a restarting unit costs reproducibility, never the run.
    let dumps = temp("kills-frames");
    let mut session = xenact_system_tests::Session::start(&[
        "run",
        "--headless",
        "--deterministic",
        "--timeout",
        "180",
        "--dump-frames",
        dumps.to_str().unwrap(),
        repo_path("tests/guest/bin/gpu_clear.xex").to_str().unwrap(),
    ]);
    for unit in ["gpu-proc", "audio-proc"] {
        // Past the supervisor's crash-loop uptime, so each is an isolated crash.
        std::thread::sleep(std::time::Duration::from_millis(2300));
        let pid = session.child_pid(unit).unwrap_or_else(|| panic!("{unit} running"));
        xenact_system_tests::kill9(pid);
        session.wait_for_line(&format!("{unit} died"), std::time::Duration::from_secs(10));
    }
    let status = session.wait(std::time::Duration::from_secs(170));
    let stdout = session.stdout.lock().unwrap().join("\n");
    assert_eq!(status.code(), Some(0), "{stdout}\n{}", session.stderr_text());
    assert!(stdout.contains("RESULT pass=4 fail=0"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dumps);
}
