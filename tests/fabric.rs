//! Whole-system tests of the process fabric: real `xenact`, real children,
//! real shared memory.

use std::os::unix::process::ExitStatusExt;
use std::sync::atomic::Ordering;
use std::time::Duration;
use xenact_system_tests::*;

const UNITS: [&str; 4] = ["cpu-proc", "kernel-proc", "gpu-proc", "audio-proc"];

#[test]
fn an_idle_session_keeps_every_unit_alive_until_timeout() {
    let mut s = Session::start(&["run", "--idle", "--headless", "--timeout", "3"]);
    let names: Vec<String> = children_of(s.pid()).into_iter().map(|(_, n)| n).collect();
    for unit in UNITS {
        assert!(names.contains(&unit.to_string()), "{unit} missing among {names:?}");
    }
    let status = s.wait(Duration::from_secs(30));
    assert_eq!(status.code(), Some(124), "stderr:\n{}", s.stderr_text());
    assert!(children_of(s.pid()).is_empty());
}

#[test]
fn killing_xenact_leaves_no_child_alive_and_nothing_in_dev_shm() {
    let shm_before = dev_shm_entries();
    let mut s = Session::start(&["run", "--idle", "--headless", "--timeout", "60"]);
    let children: Vec<u32> = children_of(s.pid()).into_iter().map(|(pid, _)| pid).collect();
    assert_eq!(children.len(), 4, "children: {children:?}");
    kill9(s.pid());
    s.wait(Duration::from_secs(5));
    std::thread::sleep(Duration::from_secs(1));
    for pid in children {
        assert!(!alive(pid), "child {pid} outlived the supervisor");
    }
    let leaked: Vec<String> = dev_shm_entries().into_iter().filter(|e| !shm_before.contains(e)).collect();
    assert!(leaked.is_empty(), "left in /dev/shm: {leaked:?}");
}

#[test]
fn gpu_proc_killed_five_times_keeps_registers_and_vblank_advancing() {
    let mut s = Session::start(&["run", "--idle", "--headless", "--timeout", "120"]);
    let memory = map_session(s.pid());
    let control = memory.control();
    let vblanks = || control.gpu_state().vblank_count.load(Ordering::SeqCst);
    assert!(eventually(Duration::from_secs(5), || vblanks() > 3), "vblank counter does not advance");
    let mut last_pid = s.child_pid("gpu-proc").expect("gpu-proc running");
    for round in 0..5u32 {
        control.gpu_register(0x100 + round as usize).store(0xC0DE_0000 + round, Ordering::SeqCst);
        kill9(last_pid);
        s.wait_for_line(&format!("(restart {})", round + 1), Duration::from_secs(20));
        let pid = s.child_pid("gpu-proc").expect("gpu-proc restarted");
        assert_ne!(pid, last_pid);
        last_pid = pid;
        for earlier in 0..=round {
            assert_eq!(control.gpu_register(0x100 + earlier as usize).load(Ordering::SeqCst), 0xC0DE_0000 + earlier);
        }
        let after_restart = vblanks();
        assert!(
            eventually(Duration::from_secs(5), || vblanks() >= after_restart + 5),
            "vblank counter stuck at {} after restart {}",
            vblanks(),
            round + 1
        );
    }
    let log = s.stderr_text();
    assert!(log.contains("gpu-proc died (signal 9); restarted in"), "{log}");
    // More than three crashes within a minute: the fourth restart is the fallback.
    assert!(log.contains("restarted as fallback in"), "{log}");
    assert_eq!(control.gpu_state().fallback.load(Ordering::SeqCst), 1);
}

#[test]
fn audio_proc_killed_is_restarted_and_its_clock_continues() {
    let mut s = Session::start(&["run", "--idle", "--headless", "--timeout", "60"]);
    let memory = map_session(s.pid());
    let frames = || memory.control().audio_state().frames_rendered.load(Ordering::SeqCst);
    assert!(eventually(Duration::from_secs(5), || frames() > 10));
    kill9(s.child_pid("audio-proc").unwrap());
    s.wait_for_line("audio-proc died (signal 9); restarted in", Duration::from_secs(20));
    let after = frames();
    assert!(eventually(Duration::from_secs(5), || frames() > after + 10), "audio clock stuck at {}", frames());
}

#[test]
fn death_of_cpu_proc_ends_the_session_with_the_unit_crash_code() {
    for unit in ["cpu-proc", "kernel-proc"] {
        let mut s = Session::start(&["run", "--idle", "--headless", "--timeout", "60"]);
        let others: Vec<u32> = children_of(s.pid()).into_iter().map(|(p, _)| p).collect();
        kill9(s.child_pid(unit).unwrap());
        let status = s.wait(Duration::from_secs(20));
        assert_eq!(status.code(), Some(70), "{unit}: stderr:\n{}", s.stderr_text());
        assert!(s.stderr_text().contains(&format!("{unit} failed: died (signal 9)")), "{}", s.stderr_text());
        for pid in others {
            assert!(!alive(pid), "{unit}: child {pid} left running");
        }
    }
}

#[test]
fn a_kernel_speaking_another_protocol_version_is_refused_naming_both() {
    let dir = std::env::temp_dir().join(format!("xenact-proto-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wrapper = dir.join("old-kernel-proc");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\nexec {} \"$@\" --claim-protocol-version 99\n", bin("kernel-proc").display()),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let (status, _, stderr) =
        xenact(&["run", "--idle", "--headless", "--timeout", "30", "--kernel", wrapper.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    let expected = format!(
        "kernel-proc speaks protocol version 99, xenact speaks protocol version {}",
        shared::ipc::PROTOCOL_VERSION
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_write_through_one_view_is_read_through_another_view_in_another_process() {
    let s = Session::start(&["run", "--idle", "--headless", "--timeout", "60"]);
    let memory = map_session(s.pid());
    // Physical page 0x10000 through the 0xA0000000 view, from this process…
    memory.write_u32(shared::VirtAddr(0xA001_0000), 0x1234_5678).unwrap();
    // …read through the 0xE0000000 view (which starts 4 KiB in) by another process.
    let (status, stdout, stderr) = xenact(&["peek", &s.pid().to_string(), "0xE000F000", "4"]);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "e000f000: 12 34 56 78");
    // And the other way round: another process writes through the 0xC0000000 view.
    let (status, _, stderr) = xenact(&["poke", &s.pid().to_string(), "0xC0020000", "cafef00d"]);
    assert!(status.success(), "{stderr}");
    assert_eq!(memory.read_u32(shared::VirtAddr(0xA002_0000)).unwrap(), 0xCAFE_F00D);
}

#[test]
fn plain_memory_access_to_mmio_or_past_4gib_is_refused_by_the_tools() {
    let s = Session::start(&["run", "--idle", "--headless", "--timeout", "60"]);
    let pid = s.pid().to_string();
    let (status, _, stderr) = xenact(&["peek", &pid, "0x7FC80000", "4"]);
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("MMIO window"), "{stderr}");
    let (status, _, stderr) = xenact(&["peek", &pid, "0xFFFFFFFE", "4"]);
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("past the 4 GiB"), "{stderr}");
}

#[test]
fn sigint_ends_the_session_with_130_and_no_children_left() {
    let mut s = Session::start(&["run", "--idle", "--headless"]);
    let children: Vec<u32> = children_of(s.pid()).into_iter().map(|(p, _)| p).collect();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(s.pid() as i32, libc::SIGINT) };
    let status = s.wait(Duration::from_secs(20));
    assert_eq!(status.code(), Some(130), "{:?} {}", status.signal(), s.stderr_text());
    for pid in children {
        assert!(!alive(pid), "child {pid} left running");
    }
}

#[test]
fn a_missing_image_is_a_one_line_error_with_exit_code_2() {
    let (status, stdout, stderr) = xenact(&["run", "/nonexistent/game.iso", "--timeout", "5"]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/game.iso"));
    assert!(stdout.is_empty());
}

#[test]
fn a_malformed_image_is_a_one_line_error_with_exit_code_2_and_nothing_started() {
    let dir = std::env::temp_dir().join(format!("xenact-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hello = std::fs::read(repo_path("tests/guest/bin/hello.xex")).unwrap();
    let truncated = dir.join("truncated.xex");
    std::fs::write(&truncated, &hello[..hello.len() / 3]).unwrap();
    let garbage = dir.join("garbage.iso");
    std::fs::write(&garbage, vec![0x5Au8; 100_000]).unwrap();
    for image in [&truncated, &garbage] {
        let (status, stdout, stderr) = xenact(&["run", image.to_str().unwrap(), "--timeout", "5"]);
        assert_eq!(status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(image.file_name().unwrap().to_str().unwrap()), "{stderr}");
        assert!(!stderr.contains("session running"));
        assert!(stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bench_ipc_prints_median_and_p99_for_each_transport() {
    let (status, stdout, stderr) = xenact(&["bench", "ipc", "--iterations", "200"]);
    assert!(status.success(), "{stderr}");
    for row in ["ipc-channel", "ring, spin off", "ring, spin on"] {
        let line = stdout.lines().find(|l| l.starts_with(row)).unwrap_or_else(|| panic!("no {row} row in:\n{stdout}"));
        assert_eq!(line.matches("µs").count(), 2, "{line}");
    }
}
