//! Whole-system tests of the kernel: the guest programs run to their end
//! under `xenact run --headless` and print the results they check.

use std::process::{Command, Output};
use xenact_system_tests::{bin, repo_path};

fn run(image: Option<&str>) -> (Output, String, String) {
    let cache = std::env::temp_dir().join(format!("xenact-cache-{}", std::process::id()));
    let mut cmd = Command::new(bin("xenact"));
    cmd.arg("run").arg("--headless").args(["--timeout", "60", "--cache-dir"]).arg(&cache);
    if let Some(image) = image {
        cmd.arg(repo_path(image));
    }
    let out = cmd.output().expect("running xenact");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// Runs a program that ends with `RESULT pass=N fail=M` and returns its stdout.
fn run_program(image: &str, passes: usize) -> String {
    let (out, stdout, stderr) = run(Some(image));
    assert!(
        stdout.lines().any(|l| l == format!("RESULT pass={passes} fail=0")),
        "{image}: stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{image}: stderr:\n{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    stdout
}

#[test]
fn hello_prints_its_greeting_and_ends_with_exit_code_0() {
    let stdout = run_program("tests/guest/bin/hello.xex", 1);
    assert_eq!(stdout.lines().next(), Some("hello: Hello from the Xenact guest!"));
}

#[test]
fn threads_pass_every_object_and_wait_check() {
    let stdout = run_program("tests/guest/bin/threads.xex", 29);
    for line in [
        "threads: event wakes other thread ok",
        "threads: semaphore over limit fails ok",
        "threads: mutant owned elsewhere times out ok",
        "threads: critical section counter ok",
        "threads: tls per thread ok",
        "threads: wait all times out ok",
        "threads: delay execution ok",
        "threads: exit codes kept ok",
        "threads: ExTerminateThread exit code ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?} in:\n{stdout}");
    }
}

#[test]
fn compute_gets_every_integer_fpu_and_altivec_answer_right() {
    let stdout = run_program("tests/guest/bin/compute.xex", 23);
    assert!(stdout.contains("compute: 64-bit add carries ok"));
    assert!(stdout.contains("compute: fmadd single rounding ok"));
    assert!(stdout.contains("compute: vperm reverses ok"));
}

#[test]
fn run_without_an_image_boots_the_embedded_demo() {
    let (out, stdout, stderr) = run(None);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("  Xenact demo title"), "{stdout}");
    assert!(stdout.contains("demo: thread 2 says hello after thread 1"), "{stdout}");
    assert!(stdout.lines().any(|l| l == "RESULT pass=1 fail=0"), "{stdout}");
}

#[test]
fn threads_blocked_for_good_end_the_session_with_a_dump_and_the_deadlock_code() {
    let (out, stdout, stderr) = run(Some("tests/guest/bin/deadlock.xex"));
    assert_eq!(out.status.code(), Some(72), "{stderr}");
    assert!(stdout.contains("deadlock: both threads now wait forever"));
    assert!(!stdout.contains("not reached"));
    assert!(stderr.contains("all 2 guest threads are blocked"), "{stderr}");
    assert_eq!(stderr.matches("    waits for any of:").count(), 2, "{stderr}");
    assert!(stderr.contains("thread 1 "), "{stderr}");
    assert!(stderr.contains("in NtWaitForSingleObjectEx"), "{stderr}");
    assert!(stderr.contains("notification event") && stderr.contains("synchronization event"), "{stderr}");
}

#[test]
fn a_trap_ends_the_session_with_a_fault_report_and_the_guest_fault_code() {
    let (out, stdout, stderr) = run(Some("tests/guest/bin/fault.xex"));
    assert_eq!(out.status.code(), Some(71), "{stderr}");
    assert!(stdout.contains("fault: trapping now") && !stdout.contains("not reached"));
    assert!(stderr.contains("trap instruction fired"), "{stderr}");
    assert!(stderr.contains("7fe00008  trap"), "{stderr}");
    assert!(stderr.contains("r3  0000000000001234"), "{stderr}");
    assert!(stderr.contains("recent kernel calls") && stderr.contains("xboxkrnl.exe!DbgPrint"), "{stderr}");
}

#[test]
fn memory_allocates_queries_protects_and_frees_in_every_page_size() {
    let stdout = run_program("tests/guest/bin/memory.xex", 33);
    for line in [
        "memory: virtual 64k query after protect ok",
        "memory: physical 64k in range ok",
        "memory: physical 16m in range ok",
        "memory: physical 4k address below 512 MiB ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?} in:\n{stdout}");
    }
}

#[test]
fn files_read_seek_query_and_list_the_same_from_a_disc_image_and_a_folder() {
    let from_disc = run_program("tests/guest/bin/files.iso", 15);
    let from_folder = run_program("tests/guest/bin/files", 15);
    assert_eq!(from_disc, from_folder);
    for line in ["files: path escaping the mount fails ok", "files: list directory ok", "files: entry sub\\"] {
        assert!(from_disc.lines().any(|l| l == line), "missing {line:?} in:\n{from_disc}");
    }
}

#[test]
fn bench_kernel_reports_a_local_and_a_cross_process_export() {
    let out = Command::new(bin("xenact")).args(["bench", "kernel"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row =
        |name: &str| stdout.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{stdout}")).to_string();
    assert!(row("KeTlsGetValue").contains("cpu-proc"), "{stdout}");
    assert!(row("KeGetCurrentProcessType").contains("kernel-proc"), "{stdout}");
    assert!(row("KeTlsGetValue").ends_with("µs"));
}

#[test]
fn a_read_of_unallocated_memory_is_a_guest_fault_naming_the_address() {
    let (out, stdout, stderr) = run(Some("tests/guest/bin/badptr.xex"));
    assert_eq!(out.status.code(), Some(71), "{stderr}");
    assert!(stdout.contains("badptr: reading address 0x10") && !stdout.contains("not reached"));
    assert!(stderr.contains("load of 4 bytes at 0x00000010"), "{stderr}");
    assert!(stderr.contains("not allocated"), "{stderr}");
    assert!(stderr.contains("lwz"), "{stderr}");
}

#[test]
fn vblank_and_command_processor_interrupts_reach_the_guest_callback() {
    let stdout = run_program("tests/guest/bin/gpu_irq.xex", 5);
    for line in [
        "gpu_irq: vblank interrupts arrive ok",
        "gpu_irq: command processor interrupt arrives ok",
        "gpu_irq: read pointer written back ok",
    ] {
        assert!(stdout.lines().any(|l| l == line), "missing {line:?} in:\n{stdout}");
    }
}

#[test]
fn max_instructions_stops_the_run_with_a_summary_and_its_own_exit_code() {
    let out = Command::new(bin("xenact"))
        .args(["run", "--headless", "--timeout", "60", "--max-instructions", "5000"])
        .arg(repo_path("tests/guest/bin/compute.xex"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(73), "{stderr}");
    assert!(
        stderr.contains("instruction limit reached: 5000 guest instructions retired; thread 1 stopped at 0x"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("RESULT"));
}
