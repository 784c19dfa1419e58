//! `xenact bench ipc`: round-trip latency of each transport between two
//! real processes (this one and an echo peer started from the same binary).
//! `xenact bench kernel`: kernel calls made by guest code in a real session.

use crate::child::{inherit_fd_at, CHILD_MEM_FD};
use anyhow::{bail, Context};
use ipc_channel::ipc::{self, IpcOneShotServer, IpcSender};
use shared::ipc::bench::{BenchRingMessage, BenchUp};
use shared::ipc::ring::{self, RingId, SpinPolicy};
use shared::memory::GuestMemory;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(10);

/// Latency figures of one transport.
#[derive(Debug, Clone, Copy)]
pub struct RoundTrip {
    pub median: Duration,
    pub p99: Duration,
}

impl RoundTrip {
    /// Median and 99th percentile of `samples`.
    pub fn from_samples(mut samples: Vec<Duration>) -> RoundTrip {
        assert!(!samples.is_empty(), "no samples");
        samples.sort();
        let n = samples.len();
        RoundTrip { median: samples[n / 2], p99: samples[(n * 99 / 100).min(n - 1)] }
    }
}

/// Runs every transport and prints a table.
pub fn run_ipc(iterations: usize, spin: u32) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("round trip between two processes, {iterations} round trips each, {cores} cores");
    println!("{:<34} {:>12} {:>12}", "transport", "median", "p99");
    let rows = [
        ("ipc-channel".to_string(), ipc_channel_round_trip(iterations)?),
        ("ring, spin off (futex)".to_string(), ring_round_trip(iterations, SpinPolicy::OFF)?),
        (format!("ring, spin on ({spin} spins)"), ring_round_trip(iterations, SpinPolicy { max_spins: spin })?),
    ];
    for (name, r) in rows {
        println!("{:<34} {:>9.2} µs {:>9.2} µs", name, micros(r.median), micros(r.p99));
    }
    Ok(())
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn peer_command(args: &[&str]) -> anyhow::Result<Command> {
    let exe = std::env::current_exe().context("locating the xenact binary")?;
    let mut command = Command::new(exe);
    command.arg("__bench-peer").args(args).stdin(Stdio::null());
    // SAFETY: async-signal-safe calls only.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    Ok(command)
}

struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ipc_channel_round_trip(iterations: usize) -> anyhow::Result<RoundTrip> {
    let (server, name) = IpcOneShotServer::<BenchUp>::new()?;
    let _peer = Reaped(peer_command(&["ipc", &name])?.spawn()?);
    let (up, hello) = server.accept().map_err(|e| anyhow::anyhow!("bench peer did not connect: {e:?}"))?;
    let BenchUp::Hello { pings } = hello else { bail!("bench peer sent {hello:?} first") };
    let mut samples = Vec::with_capacity(iterations);
    for i in 0..(iterations + iterations / 10) as u64 {
        let t0 = Instant::now();
        pings.send(i)?;
        match up.try_recv_timeout(TIMEOUT) {
            Ok(BenchUp::Pong(n)) if n == i => {}
            other => bail!("bench peer answered {other:?} to ping {i}"),
        }
        if i as usize >= iterations / 10 {
            samples.push(t0.elapsed());
        }
    }
    Ok(RoundTrip::from_samples(samples))
}

fn ring_round_trip(iterations: usize, spin: SpinPolicy) -> anyhow::Result<RoundTrip> {
    let memfd = GuestMemory::create_file()?;
    let memory = GuestMemory::map(memfd.as_fd())?;
    memory.control().initialise();
    let mut command = peer_command(&["ring", &CHILD_MEM_FD.to_string(), &spin.max_spins.to_string()])?;
    let raw = memfd.as_raw_fd();
    // SAFETY: async-signal-safe calls only.
    unsafe {
        command.pre_exec(move || inherit_fd_at(raw, CHILD_MEM_FD));
    }
    let _peer = Reaped(command.spawn()?);
    let mut ping = ring::sender::<BenchRingMessage>(&memory, RingId::BenchPing, spin)?;
    let mut pong = ring::receiver::<BenchRingMessage>(&memory, RingId::BenchPong, spin)?;
    let mut samples = Vec::with_capacity(iterations);
    let warmup = iterations / 10;
    for i in 0..(iterations + warmup) as u64 {
        let t0 = Instant::now();
        ping.send(BenchRingMessage { seq: i, payload: [i; 7] }, TIMEOUT)?;
        let reply = pong.recv(TIMEOUT).context("bench peer did not answer on the ring")?;
        if reply.seq != i {
            bail!("bench peer echoed {} to ping {i}", reply.seq);
        }
        if i as usize >= warmup {
            samples.push(t0.elapsed());
        }
    }
    ping.send(BenchRingMessage { seq: u64::MAX, payload: [0; 7] }, TIMEOUT)?;
    Ok(RoundTrip::from_samples(samples))
}

/// The guest program behind `xenact bench kernel` (tests/guest/programs/kbench.c).
const KBENCH_XEX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/guest/bin/kbench.xex"));
/// The console's time base frequency, in which the guest measures.
const TIME_BASE_HZ: f64 = 49_875_000.0;

/// One line of the guest's report: export, calls, total and median ticks.
pub fn parse_kbench_line(line: &str) -> Option<(String, u64, u64, u64)> {
    let rest = line.strip_prefix("kbench: ")?;
    let mut words = rest.split_whitespace();
    let name = words.next()?.to_string();
    let mut field = |key: &str| words.next()?.strip_prefix(key)?.parse::<u64>().ok();
    Some((name, field("calls=")?, field("total_ticks=")?, field("median_ticks=")?))
}

/// Runs the kernel-call benchmark in a real session and prints a table;
/// `spin` sets the session's ring spin budget (default: the machine's).
/// `xenact bench instrumentation`: see [`kernel_proc::bench`].
pub fn run_instrumentation(calls: u64) -> anyhow::Result<()> {
    let cost = kernel_proc::bench::measure(calls.max(1))?;
    println!("one kernel call (RtlNtStatusToDosError) dispatched in-process, best of 5 rounds of {} calls", cost.calls);
    println!("{:<44} {:>10}", "way", "ns/call");
    println!("{:<44} {:>10.1}", "bare dispatch (no event hooks at all)", cost.bare_ns);
    println!("{:<44} {:>10.1}", "plain kernel-proc (event hooks off)", cost.plain_ns);
    println!("{:<44} {:>10.1}", "kernel-proc-traced (every event written)", cost.traced_ns);
    println!("the plain kernel pays {:.1} ns per call for instrumentation", cost.plain_overhead_ns());
    Ok(())
}

pub fn run_kernel(spin: Option<u32>) -> anyhow::Result<()> {
    let path = std::env::temp_dir().join(format!("xenact-kbench-{}.xex", std::process::id()));
    std::fs::write(&path, KBENCH_XEX)?;
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["run", "--headless", "--timeout", "300"]);
    if let Some(spin) = spin {
        command.args(["--spin", &spin.to_string()]);
    }
    let out = command.arg(&path).stdin(Stdio::null()).output();
    let _ = std::fs::remove_file(&path);
    let out = out?;
    if !out.status.success() {
        bail!("the benchmark session failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<_> = stdout.lines().filter_map(parse_kbench_line).collect();
    if rows.len() != 2 {
        bail!("unexpected benchmark output:\n{stdout}");
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let spin = spin.map_or("machine default".to_string(), |n| n.to_string());
    println!("kernel calls made by guest code in a real session, {cores} cores, ring spin {spin}");
    println!("{:<26} {:<12} {:>12} {:>18}", "export", "runs in", "calls/s", "median round trip");
    for ((name, calls, total, median), place) in rows.into_iter().zip(["cpu-proc", "kernel-proc"]) {
        let per_second = calls as f64 / (total as f64 / TIME_BASE_HZ);
        println!("{:<26} {:<12} {:>12.0} {:>15.2} µs", name, place, per_second, median as f64 / TIME_BASE_HZ * 1e6);
    }
    Ok(())
}

/// Writes a synthetic event log of `events` events over 8 threads, shaped
/// like the instrumented kernel's (calls, returns, waits, handles).
pub fn write_synthetic_log(path: &std::path::Path, events: usize, allocation_base: u32) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, r#"{{"kind":"schema_version","schema_version":1,"engine":"xenact"}}"#)?;
    let threads = 8u64;
    for tid in 1..=threads {
        writeln!(
            out,
            r#"{{"deterministic":false,"engine":"xenact","guest_cycle":0,"host_ns":{tid},"kind":"thread.create","payload":{{"ctx_ptr":"0x00000000","entry_pc":"0x8201{tid:04x}","raw_tid":{tid},"stack_size":262144,"suspended":false,"thread_semantic_id":"{:016x}"}},"tid":{tid},"tid_event_idx":0}}"#,
            0x9e37_79b9_7f4a_7c15u64.wrapping_mul(tid)
        )?;
    }
    for i in 0..events.saturating_sub(threads as usize) as u64 {
        let tid = i % threads + 1;
        let idx = i / threads + 1;
        let line = match idx % 4 {
            0 => format!(
                r#""kind":"kernel.call","payload":{{"args":["0x7004feb0","0x{:08x}","0x00000000","0x00000000","0x00000000","0x00000000","0x820011a0","0x82020000"],"module":"xboxkrnl.exe","name":"MmAllocatePhysicalMemoryEx","ordinal":186}}"#,
                idx
            ),
            1 => format!(
                r#""kind":"kernel.return","payload":{{"name":"MmAllocatePhysicalMemoryEx","return_value":"0x{:08x}","status":"error"}}"#,
                allocation_base.wrapping_add((idx as u32) << 12)
            ),
            2 => format!(
                r#""kind":"wait.begin","payload":{{"alertable":false,"export":"NtWaitForSingleObjectEx","handles":["{:016x}"],"timeout_ns":0,"wait_all":false}}"#,
                idx % 7
            ),
            _ => r#""kind":"wait.end","payload":{"status":"0x00000000","wait_duration_cycles":12}"#.to_string(),
        };
        writeln!(
            out,
            r#"{{"deterministic":false,"engine":"xenact","guest_cycle":0,"host_ns":{},{line},"tid":{tid},"tid_event_idx":{idx}}}"#,
            i * 1000
        )?;
    }
    out.flush()
}

/// `xenact bench log-diff`: the time to diff two `events`-event logs that
/// differ only in allocation addresses (so every event is compared).
pub fn run_log_diff(events: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("xenact-bench-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    write_synthetic_log(&a, events, 0xA000_0000)?;
    write_synthetic_log(&b, events, 0xB000_0000)?;
    let start = Instant::now();
    let (la, lb) = std::thread::scope(|s| {
        let other = s.spawn(|| crate::log::read_for_compare(&b));
        (crate::log::read_for_compare(&a), other.join().expect("log reader thread"))
    });
    let (la, lb) = (la?, lb?);
    let options = crate::log::DiffOptions { canonicalize_allocators: true, ..Default::default() };
    let result = crate::log::diff(&la, &lb, &options);
    let _report = crate::log::report(&la, &lb, &result);
    let elapsed = start.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(result.identical(), "synthetic logs were expected to match");
    println!("diff of two {events}-event logs (read, pair, compare, report): {:.2} s", elapsed.as_secs_f64());
    Ok(())
}

/// The echo peer (`xenact __bench-peer ipc NAME` or `… ring FD SPINS`).
pub fn peer(args: &[String]) -> anyhow::Result<()> {
    match args {
        [kind, name] if kind == "ipc" => {
            let up = IpcSender::<BenchUp>::connect(name.clone())?;
            let (pings, ping_rx) = ipc::channel::<u64>()?;
            up.send(BenchUp::Hello { pings })?;
            while let Ok(n) = ping_rx.recv() {
                up.send(BenchUp::Pong(n))?;
            }
            Ok(())
        }
        [kind, fd, spins] if kind == "ring" => {
            let fd: i32 = fd.parse()?;
            // SAFETY: the bench passes its memfd at this descriptor.
            let memfd = unsafe { OwnedFd::from_raw_fd(fd) };
            let memory = GuestMemory::map(memfd.as_fd())?;
            let spin = SpinPolicy { max_spins: spins.parse()? };
            let mut ping = ring::receiver::<BenchRingMessage>(&memory, RingId::BenchPing, spin)?;
            let mut pong = ring::sender::<BenchRingMessage>(&memory, RingId::BenchPong, spin)?;
            loop {
                let msg = ping.recv(TIMEOUT)?;
                if msg.seq == u64::MAX {
                    return Ok(());
                }
                pong.send(msg, TIMEOUT)?;
            }
        }
        _ => bail!("usage: xenact __bench-peer ipc NAME | ring FD SPINS"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kbench_lines_parse_and_others_do_not() {
        let row = parse_kbench_line("kbench: KeTlsGetValue calls=4000 total_ticks=55670 median_ticks=11").unwrap();
        assert_eq!(row, ("KeTlsGetValue".to_string(), 4000, 55670, 11));
        assert!(parse_kbench_line("kbench: KeTlsGetValue calls=x").is_none());
        assert!(parse_kbench_line("RESULT pass=1 fail=0").is_none());
    }

    #[test]
    fn percentiles_come_from_sorted_samples() {
        let samples: Vec<Duration> = (1..=100).rev().map(Duration::from_micros).collect();
        let r = RoundTrip::from_samples(samples);
        assert_eq!(r.median, Duration::from_micros(51));
        assert_eq!(r.p99, Duration::from_micros(100));
    }
}
