//! The kernel context: every piece of kernel state, passed explicitly to
//! every export (no globals). kernel-proc runs it on one thread, so no
//! subsystem needs locks; calls, timers and wake-ups are processed in order.

use crate::clock::GuestClock;
use crate::{io, mm, net, ob, threading, xam};
use shared::config::Config;
use shared::ipc::kernel::ToCpu;
use shared::memory::GuestMemory;
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;

/// Where `DbgPrint` and the guest's debug output go.
pub enum DebugOutput {
    /// Each line to this process's stdout (the supervisor forwards it).
    Stdout,
    /// Collected, for tests.
    Buffer(Vec<u8>),
}

impl DebugOutput {
    /// Writes one line exactly as the guest formatted it (a newline is added
    /// when the guest's text has none).
    pub fn line(&mut self, text: &[u8]) {
        let text = text.strip_suffix(b"\n").unwrap_or(text);
        match self {
            DebugOutput::Stdout => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text);
                let _ = out.write_all(b"\n");
                let _ = out.flush();
            }
            DebugOutput::Buffer(buf) => {
                buf.extend_from_slice(text);
                buf.push(b'\n');
            }
        }
    }

    /// What a `Buffer` holds, as text.
    pub fn text(&self) -> String {
        match self {
            DebugOutput::Stdout => String::new(),
            DebugOutput::Buffer(buf) => String::from_utf8_lossy(buf).into_owned(),
        }
    }
}

/// All kernel state.
pub struct Kernel {
    pub memory: Arc<GuestMemory>,
    pub config: Config,
    pub clock: GuestClock,
    /// Handles and the objects behind them.
    pub objects: ob::Objects,
    /// Guest threads, their waits and the scheduler's view of them.
    pub threads: threading::Threads,
    /// Heaps and page state.
    pub mm: mm::MemoryManager,
    /// Devices, open files, directory enumeration.
    pub io: io::FileSystem,
    /// XAM state (notification listeners, user sign-in…).
    pub xam: xam::Xam,
    /// Controller keystrokes already reported.
    pub input: xam::input::Keystrokes,
    /// Winsock and XNet: the stack, its sockets and lookups.
    pub net: net::Net,
    /// The kernel's own thread that interrupt-time code runs on (not the
    /// title's: left out of deadlock reports).
    pub interrupt_thread: Option<shared::ipc::kernel::GuestThreadId>,
    /// Render-driver clients and messages for audio-proc.
    pub audio: crate::audio::Audio,
    /// The event log, in the instrumented kernel only (`kernel-proc-traced`).
    pub trace: Option<Box<crate::trace::Tracer>>,
    /// The loaded title's module and module lookups.
    pub modules: crate::modules::Modules,
    /// Data blocks of the variable exports the title imported.
    pub variables: crate::variables::Variables,
    /// Messages for cpu-proc produced while handling a call or a tick
    /// (returns of woken threads, thread starts, APCs); the link sends them.
    pub outbox: Vec<ToCpu>,
    /// `--deterministic`: threads whose call parked them in this turn of
    /// the loop; each gets [`ToCpu::Blocked`] unless it was woken at once.
    pub parked: Vec<shared::ipc::kernel::GuestThreadId>,
    /// `--deterministic`: cpu-proc asked for [`ToCpu::Synced`].
    pub sync_requested: bool,
    /// Set when the title has ended, with its exit code.
    pub title_exit: Option<i32>,
    /// Set when the title hit a fatal error the kernel reports as a guest
    /// fault (`KeBugCheck`).
    pub fatal: Option<String>,
    pub debug: DebugOutput,
    /// `XeCryptRandom`'s generator (fixed seed under `--deterministic`).
    pub random: crate::crypt::random::Random,
    unimplemented_reported: HashSet<u32>,
}

impl Kernel {
    pub fn new(memory: Arc<GuestMemory>, config: Config, debug: DebugOutput) -> Kernel {
        Kernel {
            clock: if config.deterministic {
                GuestClock::from_guest_ticks(memory.clone())
            } else {
                GuestClock::new(false)
            },
            objects: Default::default(),
            threads: Default::default(),
            mm: Default::default(),
            io: Default::default(),
            xam: Default::default(),
            input: Default::default(),
            net: Default::default(),
            variables: Default::default(),
            modules: Default::default(),
            trace: None,
            audio: Default::default(),
            interrupt_thread: None,
            outbox: Vec::new(),
            parked: Vec::new(),
            sync_requested: false,
            title_exit: None,
            fatal: None,
            debug,
            random: crate::crypt::random::Random::new(config.deterministic),
            unimplemented_reported: HashSet::new(),
            memory,
            config,
        }
    }

    /// A kernel over fresh guest memory, output collected in a buffer.
    /// For unit tests (it spawns nothing).
    pub fn for_tests() -> Kernel {
        use std::os::fd::AsFd;
        let fd = GuestMemory::create_file().expect("memfd for a test kernel");
        let memory = GuestMemory::map(fd.as_fd()).expect("mapping a test kernel's memory");
        memory.control().initialise();
        Kernel::new(Arc::new(memory), Config::default(), DebugOutput::Buffer(Vec::new()))
    }

    /// Records that export `index` was called without an implementation;
    /// true the first time (the caller logs it once).
    pub fn first_unimplemented_call(&mut self, index: u32) -> bool {
        self.unimplemented_reported.insert(index)
    }
}
