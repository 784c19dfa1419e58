//! Support for whole-system tests: locate the built binaries, start a real
//! `xenact` session, follow its output, find its children, reach its memory.
//!
//! The binaries must be built first (`cargo build --workspace`); the test
//! command in the README does that.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Folder holding the workspace's binaries (beside this test's `deps/`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|p| p.parent()).expect("target dir").to_path_buf();
    assert!(dir.join("xenact").exists(), "{} has no xenact binary: run `cargo build --workspace` first", dir.display());
    dir
}

pub fn bin(name: &str) -> PathBuf {
    bin_dir().join(name)
}

/// Path of a file in the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

/// Runs `xenact ARGS` to completion and returns its status, stdout and stderr.
pub fn xenact(args: &[&str]) -> (ExitStatus, String, String) {
    let out = Command::new(bin("xenact")).args(args).output().expect("running xenact");
    (out.status, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A running `xenact` process whose output is collected line by line.
/// Dropping it kills the supervisor (its children die with it).
pub struct Session {
    pub child: Child,
    stderr_lines: Receiver<String>,
    /// Set when the stdout and stderr readers have read to the end.
    drained: Arc<[std::sync::atomic::AtomicBool; 2]>,
    pub stderr: Arc<Mutex<Vec<String>>>,
    pub stdout: Arc<Mutex<Vec<String>>>,
}

impl Session {
    /// Starts `xenact ARGS` and waits until it reports the session running.
    pub fn start(args: &[&str]) -> Session {
        Session::start_with_env(args, &[])
    }

    /// [`Session::start`] with environment changes: each variable is set
    /// to `Some` value or removed.
    pub fn start_with_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Session {
        let mut command = Command::new(bin("xenact"));
        for (name, value) in env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        let mut child = command
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting xenact");
        let (tx, stderr_lines) = mpsc::channel();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let drained: Arc<[std::sync::atomic::AtomicBool; 2]> = Arc::default();
        let err = child.stderr.take().unwrap();
        let all = stderr.clone();
        let done = drained.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                all.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
            done[0].store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let out = child.stdout.take().unwrap();
        let all = stdout.clone();
        let done = drained.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                all.lock().unwrap().push(line);
            }
            done[1].store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut session = Session { child, stderr_lines, drained, stderr, stdout };
        session.wait_for_line("session running", Duration::from_secs(30));
        session
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for a stderr line containing `needle`; panics with the output so far on timeout.
    pub fn wait_for_line(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr_lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "no line containing {needle:?} within {timeout:?}; stderr:\n{}",
                    self.stderr.lock().unwrap().join("\n")
                ),
            }
        }
    }

    /// Pid of the supervisor's child named `name`.
    pub fn child_pid(&self, name: &str) -> Option<u32> {
        children_of(self.pid()).into_iter().find(|(_, n)| n == name).map(|(pid, _)| pid)
    }

    /// Waits for the supervisor to exit and returns its status; its last
    /// output lines are collected by then (readers given up to 2 s).
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let drained = || self.drained.iter().all(|d| d.load(std::sync::atomic::Ordering::SeqCst));
                eventually(Duration::from_secs(2), drained);
                return status;
            }
            assert!(Instant::now() < deadline, "xenact did not exit within {timeout:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// All stderr so far as one string.
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The live children of `pid` as (pid, process name).
pub fn children_of(pid: u32) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return found };
    for entry in entries.flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else { continue };
        // Format: pid (comm) state ppid …; comm may hold spaces.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = &stat[open + 1..close];
        let mut rest = stat[close + 2..].split_whitespace();
        let state = rest.next().unwrap_or("");
        let ppid: u32 = rest.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        if ppid == pid && state != "Z" {
            found.push((child, comm.to_string()));
        }
    }
    found
}

/// Whether a process with this pid exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rfind(')').map(|i| !stat[i + 2..].starts_with('Z')).unwrap_or(false),
        Err(_) => false,
    }
}

pub fn kill9(pid: u32) {
    // SAFETY: sending a signal has no memory-safety preconditions.
    unsafe {
        libc::kill(pid as i32, libc::SIGKILL);
    }
}

/// Maps the guest memory of the running session whose supervisor is `pid`.
pub fn map_session(pid: u32) -> shared::GuestMemory {
    use std::os::fd::AsFd;
    let fd = shared::GuestMemory::open_session_file(pid).expect("opening the session's guest memory");
    shared::GuestMemory::map(fd.as_fd()).expect("mapping the session's guest memory")
}

/// Polls `cond` until it holds or `timeout` passes.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    cond()
}

/// Entries of /dev/shm now.
pub fn dev_shm_entries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/dev/shm")
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}
