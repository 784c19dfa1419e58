//! `xenact`: the Xenact command line. Parses arguments and hands off to the
//! supervisor library; see `lib.rs` for the modules.

use clap::{Parser, Subcommand};
use shared::config::{Config, TitleSpec};
use shared::ipc::ring::SpinPolicy;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use supervisor::exit::{ExitReason, EXIT_BAD_INPUT};
use supervisor::session::{self, Binaries, SessionOptions};

#[derive(Parser)]
#[command(name = "xenact", version, about = "Xbox 360 emulator built as cooperating processes")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Boot a title (a .xex, a disc image, or a folder holding default.xex);
    /// without IMAGE, the embedded demo title.
    Run(RunArgs),
    /// Describe a .xex, a disc image or a title folder.
    Info(supervisor::formats_cli::InfoArgs),
    /// Build XEX2 files.
    #[command(subcommand)]
    Xex(supervisor::formats_cli::XexCommand),
    /// Build disc images.
    #[command(subcommand)]
    Iso(supervisor::formats_cli::IsoCommand),
    /// Run PowerPC conformance cases (one JSON case per line).
    #[command(name = "ppc-test")]
    PpcTest(supervisor::ppc_cli::PpcTestArgs),
    /// Read event logs of the instrumented kernel (`run --event-log`).
    #[command(subcommand)]
    Log(LogCommand),
    /// Measure Xenact's own machinery.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print guest memory of a running session (by the pid of any of its processes).
    Peek {
        pid: u32,
        /// Guest virtual address (0x… or decimal).
        addr: String,
        /// Bytes to print.
        #[arg(default_value = "64")]
        len: String,
    },
    /// Write bytes (hex) into guest memory of a running session.
    Poke { pid: u32, addr: String, hex: String },
    /// The echo peer of `bench ipc` (internal).
    #[command(name = "__bench-peer", hide = true)]
    BenchPeer { args: Vec<String> },
}

/// The demo title, run when no image is given.
const DEMO_XEX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/guest/bin/demo.xex"));

#[derive(clap::Args)]
struct RunArgs {
    /// The title to boot (default: the embedded demo title).
    image: Option<PathBuf>,
    /// Start every unit but no title: the session idles until --timeout or
    /// Ctrl-C (for inspecting the machine with peek/poke, and for tests).
    #[arg(long, conflicts_with = "image")]
    idle: bool,
    /// No window: frames are dumped as PNG files with --dump-frames.
    #[arg(long)]
    headless: bool,
    /// Write every presented frame as DIR/frame-NNNNNN.png (numbered by swap).
    #[arg(long, value_name = "DIR")]
    dump_frames: Option<PathBuf>,
    /// One guest thread at a time, switched at fixed instruction quanta or
    /// blocking calls; guest time from retired instructions. Two runs of the
    /// same image give the same event log digest.
    #[arg(long)]
    deterministic: bool,
    /// End the session after this many seconds (exit code 124).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Use another kernel-process binary that speaks the protocol.
    #[arg(long, value_name = "PATH")]
    kernel: Option<PathBuf>,
    /// Stop the run after this many guest instructions, with a summary
    /// (exit code 73).
    #[arg(long, value_name = "N")]
    max_instructions: Option<u64>,
    /// Record r3–r10 and LR each time one of these PCs is reached, as
    /// `pc.hit` events of the event log (needs --event-log).
    #[arg(long, value_name = "ADDR[,ADDR…]", value_delimiter = ',')]
    trace_pc: Vec<String>,
    /// Write the audio to this WAV file instead of the sound device.
    #[arg(long, value_name = "FILE.wav")]
    audio_out: Option<PathBuf>,
    /// Run the instrumented kernel and write its event log (JSONL; a `.gz`
    /// or `.zst` name compresses).
    #[arg(long, value_name = "FILE")]
    event_log: Option<PathBuf>,
    /// Folder of the titles' writable cache: devices (default:
    /// $XDG_CACHE_HOME/xenact or ~/.cache/xenact).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Maximum spin of the hot rings before sleeping (0 = never spin;
    /// default: off on machines with two cores or fewer).
    #[arg(long, value_name = "N")]
    spin: Option<u32>,
}

#[derive(Subcommand)]
enum LogCommand {
    /// Digest over the deterministic fields, event count, counts per kind.
    Digest { file: PathBuf },
    /// Compare two runs thread by thread and report the first divergences.
    Diff {
        a: PathBuf,
        b: PathBuf,
        /// Pair threads by hand: `A_TID=B_TID,…`.
        #[arg(long, value_name = "MAP")]
        tid_map: Option<String>,
        /// Write the markdown report here instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Exit 1 on any divergence.
        #[arg(long)]
        validate_identical: bool,
        /// Compare allocator results as they are.
        #[arg(long)]
        no_canonicalize_allocators: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Time to diff two event logs of this many events each.
    LogDiff {
        #[arg(long, default_value_t = 1_000_000)]
        events: usize,
    },
    /// CPU time audio-proc's mixer spends per second of audio.
    Audio {
        /// Seconds of audio to render.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
    /// What the event log costs the kernel: the same call bare, through the
    /// plain kernel's dispatch (hooks off) and through the instrumented one.
    Instrumentation {
        /// Calls per round (best of five rounds).
        #[arg(long, default_value_t = 1_000_000)]
        calls: u64,
    },
    /// Kernel calls from guest code: a local export and a cross-process one.
    Kernel {
        /// Ring spin budget of the session (default: off on two cores or fewer).
        #[arg(long)]
        spin: Option<u32>,
    },
    /// Guest MIPS of the PowerPC interpreter on four workloads.
    Cpu(supervisor::ppc_cli::BenchCpuArgs),
    /// Swaps per second of the clear-and-swap loop, presented through wgpu.
    Gpu {
        #[arg(long, default_value_t = 200)]
        swaps: u32,
        /// Convert frames on the CPU only (no wgpu).
        #[arg(long)]
        cpu_only: bool,
    },
    /// Round trip of ipc-channel and the shared-memory ring between two processes.
    Ipc {
        #[arg(long, default_value_t = 20_000)]
        iterations: usize,
        /// Spin budget of the "spin on" run.
        #[arg(long, default_value_t = SpinPolicy::DEFAULT_ON.max_spins)]
        spin: u32,
    },
}

fn main() -> ExitCode {
    shared::process::init("xenact", false);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(EXIT_BAD_INPUT),
            };
        }
    };
    match cli.command {
        Command::Run(args) => run(args),
        Command::Log(cmd) => log(cmd),
        Command::Info(args) => report(supervisor::formats_cli::run_info(&args)),
        Command::Xex(cmd) => report(supervisor::formats_cli::run_xex(&cmd)),
        Command::Iso(cmd) => report(supervisor::formats_cli::run_iso(&cmd)),
        Command::PpcTest(args) => supervisor::ppc_cli::run(args).unwrap_or_else(|e| {
            eprintln!("xenact: {e:#}");
            ExitCode::FAILURE
        }),
        Command::Bench(BenchCommand::Cpu(args)) => supervisor::ppc_cli::bench(args).unwrap_or_else(|e| {
            eprintln!("xenact: {e:#}");
            ExitCode::FAILURE
        }),
        Command::Bench(BenchCommand::LogDiff { events }) => report(supervisor::bench::run_log_diff(events)),
        Command::Bench(BenchCommand::Audio { seconds }) => report(bench_audio(seconds)),
        Command::Bench(BenchCommand::Instrumentation { calls }) => {
            report(supervisor::bench::run_instrumentation(calls))
        }
        Command::Bench(BenchCommand::Kernel { spin }) => report(supervisor::bench::run_kernel(spin)),
        Command::Bench(BenchCommand::Gpu { swaps, cpu_only }) => report(supervisor::bench_gpu::run(swaps, cpu_only)),
        Command::Bench(BenchCommand::Ipc { iterations, spin }) => report(supervisor::bench::run_ipc(iterations, spin)),
        Command::Peek { pid, addr, len } => report(
            parse_addr(&addr)
                .and_then(|a| Ok((a, supervisor::inspect::parse_u32(&len)?)))
                .and_then(|(a, n)| supervisor::inspect::peek(pid, a, n)),
        ),
        Command::Poke { pid, addr, hex } => {
            report(parse_addr(&addr).and_then(|a| supervisor::inspect::poke(pid, a, &hex)))
        }
        Command::BenchPeer { args } => report(supervisor::bench::peer(&args)),
    }
}

fn log(cmd: LogCommand) -> ExitCode {
    use supervisor::log;
    // Output piped into `head` and the like: end quietly when the reader
    // goes away, as command-line tools do, instead of panicking in print.
    // (Only here: a session must never die of SIGPIPE from a child's socket.)
    // SAFETY: restoring the default disposition of SIGPIPE; no other thread
    // of this process handles signals.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match cmd {
        LogCommand::Digest { file } => match log::read(&file) {
            Ok(events) => {
                let d = log::digest(&events);
                println!("digest: sha1:{}", d.digest);
                println!("events: {}", d.events);
                for (kind, n) in &d.per_kind {
                    println!("{kind}: {n}");
                }
                ExitCode::SUCCESS
            }
            Err(err) => bad_input(format_args!("{err:#}")),
        },
        LogCommand::Diff { a, b, tid_map, out, validate_identical, no_canonicalize_allocators } => {
            let tid_map = match tid_map.as_deref().map(log::parse_tid_map).transpose() {
                Ok(map) => map.unwrap_or_default(),
                Err(err) => return bad_input(format_args!("--tid-map: {err:#}")),
            };
            // The two logs are read on two threads.
            let (ra, rb) = std::thread::scope(|s| {
                let other = s.spawn(|| log::read_for_compare(&b));
                (log::read_for_compare(&a), other.join().expect("log reader thread"))
            });
            let (la, lb) = match (ra, rb) {
                (Ok(la), Ok(lb)) => (la, lb),
                (Err(err), _) | (_, Err(err)) => return bad_input(format_args!("{err:#}")),
            };
            let options = log::DiffOptions { tid_map, canonicalize_allocators: !no_canonicalize_allocators };
            let result = log::diff(&la, &lb, &options);
            let text = log::report(&la, &lb, &result);
            match out {
                Some(path) => {
                    if let Err(err) = std::fs::write(&path, &text) {
                        eprintln!("xenact: writing {}: {err}", path.display());
                        return ExitCode::FAILURE;
                    }
                }
                None => print!("{text}"),
            }
            let diverged = result.pairs.iter().filter(|p| p.divergence.is_some()).count();
            eprintln!("xenact: {} thread pairs, {diverged} diverged", result.pairs.len());
            if validate_identical && !result.identical() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn bench_audio(seconds: f64) -> anyhow::Result<()> {
    anyhow::ensure!(seconds.is_finite() && seconds > 0.0, "--seconds takes a positive number");
    let r = audio_proc::bench::run(Duration::from_secs_f64(seconds))?;
    println!("audio-proc rendering two clients (decode, 5.1 downmix, mix) into the null sink");
    println!("audio rendered: {:.2} s in {} frames", r.audio.as_secs_f64(), r.frames);
    println!("CPU time per second of audio: {:.3} ms", r.cpu_per_audio_second().as_secs_f64() * 1e3);
    Ok(())
}

fn parse_addr(text: &str) -> anyhow::Result<u32> {
    supervisor::inspect::parse_u32(text)
}

/// Prints an error as one line and maps it to exit code 1.
fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<supervisor::formats_cli::BadInput>().is_some() => bad_input(err),
        Err(err) => {
            eprintln!("xenact: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether a window can open; when not, says the session runs headless.
fn display_or_say_so() -> bool {
    let display = shared::config::display_server().is_some();
    if !display {
        tracing::warn!(
            "no display (neither WAYLAND_DISPLAY nor DISPLAY is set): running headless; \
             --dump-frames DIR keeps the frames as PNGs"
        );
    }
    display
}

fn bad_input(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("xenact: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn run(args: RunArgs) -> ExitCode {
    // A title that cannot be opened and parsed is refused before any unit starts.
    if let Some(image) = &args.image {
        if let Err(err) = shared::formats::title::open(image) {
            return bad_input(format_args!("cannot load {}: {err}", image.display()));
        }
    }
    let timeout = match args.timeout {
        Some(secs) if !(secs.is_finite() && secs > 0.0) => {
            return bad_input("--timeout takes a positive number of seconds")
        }
        Some(secs) => Some(Duration::from_secs_f64(secs)),
        None => None,
    };
    let mut binaries = match Binaries::beside_current_exe() {
        Ok(b) => b,
        Err(err) => return bad_input(format_args!("cannot locate the unit binaries: {err}")),
    };
    let event_log = match &args.event_log {
        Some(path) => match std::path::absolute(path) {
            Ok(path) => Some(path),
            Err(err) => return bad_input(format_args!("event log {}: {err}", path.display())),
        },
        None => None,
    };
    binaries.kernel = args.kernel.or_else(|| event_log.as_ref().map(|_| binaries.dir.join("kernel-proc-traced")));
    let title = match (args.image, args.idle) {
        (_, true) => None,
        (Some(path), false) => Some(TitleSpec::Path(path)),
        (None, false) => Some(TitleSpec::Embedded { name: "demo.xex".into(), bytes: DEMO_XEX.to_vec() }),
    };
    let cache_dir = args.cache_dir.or_else(|| {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("xenact"))
    });
    let mut trace_pcs = Vec::new();
    for text in &args.trace_pc {
        match supervisor::inspect::parse_u32(text) {
            Ok(pc) => trace_pcs.push(pc),
            Err(err) => return bad_input(format_args!("--trace-pc: {err:#}")),
        }
    }
    if !trace_pcs.is_empty() && args.event_log.is_none() {
        return bad_input("--trace-pc records into the event log: give --event-log FILE too");
    }
    let audio_out = match &args.audio_out {
        Some(path) => match std::path::absolute(path) {
            Ok(path) => Some(path),
            Err(err) => return bad_input(format_args!("audio output {}: {err}", path.display())),
        },
        None => None,
    };
    let dump_frames = match &args.dump_frames {
        Some(dir) => match std::fs::create_dir_all(dir).and_then(|()| std::path::absolute(dir)) {
            Ok(dir) => Some(dir),
            Err(err) => return bad_input(format_args!("--dump-frames {}: {err}", dir.display())),
        },
        None => None,
    };
    let config = Config {
        title,
        dump_frames,
        deterministic: args.deterministic,
        cache_dir,
        event_log,
        audio_out,
        max_instructions: args.max_instructions,
        trace_pcs,
        headless: args.headless || !display_or_say_so(),
        spin: args.spin.map(|max_spins| SpinPolicy { max_spins }).unwrap_or_else(SpinPolicy::for_this_machine),
        ..Config::default()
    };
    let reason = match session::run(SessionOptions { config, timeout, binaries }) {
        Ok(reason) => reason,
        Err(err) => {
            eprintln!("xenact: cannot start the session: {err:#}");
            return ExitCode::from(supervisor::exit::EXIT_UNIT_CRASHED);
        }
    };
    match &reason {
        ExitReason::GuestFault(report) | ExitReason::Deadlock(report) => eprintln!("{report}"),
        _ => {}
    }
    eprintln!("xenact: session ended: {reason} (exit code {})", reason.code());
    ExitCode::from(reason.code())
}
