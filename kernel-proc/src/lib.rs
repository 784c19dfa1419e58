//! kernel-proc: HLE of `xboxkrnl.exe` and `xam.xex`.
//!
//! The kernel runs as one event loop over the kernel link: each call from a
//! guest thread is dispatched through the export table to a typed export
//! function that receives the [`kernel::Kernel`] context. Submodules:
//! - [`kernel`]: the context; [`dispatch`]: calls, typed arguments, outcomes;
//!   [`status`]: NTSTATUS values; [`clock`]: guest time.
//! - [`exports`]: the declarative export table.
//! - [`loader`]: placing a title and binding its imports; [`variables`]:
//!   the data of variable exports; [`link`]: the event loop over the kernel ring.
//! - [`ob`]: objects and handles; [`threading`]: threads, waits, scheduling;
//!   [`mm`]: memory manager; [`io`]: files; [`xam`]: the XAM subset;
//!   [`net`]: Winsock and XNet with the cable unplugged.

// Exports take the console's parameter lists, which often exceed seven.
#![allow(clippy::too_many_arguments)]

pub mod audio;
pub mod bench;
pub mod clock;
pub mod crypt;
pub mod dispatch;
pub mod exports;
pub mod io;
pub mod kernel;
pub mod link;
pub mod loader;
pub mod local;
pub mod mm;
pub mod modules;
pub mod net;
pub mod ob;
pub mod rtl;
pub mod status;
pub mod threading;
pub mod trace;
pub mod variables;
pub mod video;
pub mod xam;
pub mod xconfig;

use shared::config::TitleSpec;
use shared::formats::title::{self, Title};
use shared::ipc::bootstrap::ChildSession;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Why kernel-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum KernelError {
    #[error("cannot open the title: {0}")]
    Title(#[from] shared::formats::FormatError),
    #[error("cannot load the title: {0}")]
    Load(#[from] loader::LoadError),
    #[error("cannot attach the kernel link: {0}")]
    Link(#[from] shared::ipc::ring::RingError),
    #[error("the instrumented kernel needs an event log path (xenact run --event-log FILE)")]
    NoEventLog,
    #[error("cannot create the event log {0}: {1}")]
    EventLog(std::path::PathBuf, std::io::Error),
}

/// Runs the kernel unit: loads the title, serves its kernel calls until the
/// title ends or the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), KernelError> {
    serve_title(session, false)
}

/// The instrumented kernel (`kernel-proc-traced`): the same kernel, which
/// also writes the event log named by `Config::event_log` and takes back
/// every call cpu-proc could run locally, so each appears in the log.
pub fn run_traced(session: ChildSession) -> Result<(), KernelError> {
    serve_title(session, true)
}

/// Creates the guest thread interrupt-time code runs on (never scheduled:
/// created suspended) and publishes its PCR and stack for cpu-proc.
fn publish_interrupt_context(kernel: &mut kernel::Kernel) {
    // The kernel's own thread, not the title's: the event log leaves it out.
    let trace = kernel.trace.take();
    let created = threading::create_thread(
        kernel,
        threading::CreateThread { stack_size: 64 * 1024, creation_flags: 1, ..threading::CreateThread::default() },
    );
    kernel.trace = trace;
    let Some(t) = created.ok().and_then(|(_, tid)| kernel.threads.get(tid)) else {
        tracing::warn!("no interrupt context: graphics and audio callbacks will not run");
        return;
    };
    let (tid, pcr, stack_pointer) = (t.id, t.pcr.0, t.stack.base - 0x100);
    kernel.interrupt_thread = Some(tid);
    let context = kernel.memory.control();
    let context = context.interrupt_context();
    context.thread.store(tid, std::sync::atomic::Ordering::SeqCst);
    context.pcr.store(pcr, std::sync::atomic::Ordering::SeqCst);
    context.stack_pointer.store(stack_pointer, std::sync::atomic::Ordering::SeqCst);
    context.ready.store(1, std::sync::atomic::Ordering::SeqCst);
}

fn serve_title(session: ChildSession, traced: bool) -> Result<(), KernelError> {
    let Some(spec) = session.config.title.clone() else {
        tracing::info!("idle session: no title");
        session.ready();
        session.wait_for_shutdown();
        return Ok(());
    };
    let title: Title = match &spec {
        TitleSpec::Path(path) => title::open(path)?,
        TitleSpec::Embedded { bytes, .. } => title::from_bytes(bytes)?,
    };
    let mut kernel = kernel::Kernel::new(session.memory.clone(), session.config.clone(), kernel::DebugOutput::Stdout);
    if traced {
        let path = session.config.event_log.clone().ok_or(KernelError::NoEventLog)?;
        let tracer = trace::Tracer::create(&path).map_err(|e| KernelError::EventLog(path, e))?;
        let tracer = tracer.with_guest_clock(session.memory.clone(), session.config.deterministic);
        kernel.trace = Some(Box::new(tracer));
        kernel.objects.events = Some(Vec::new());
    }
    let mut link = link::Link::attach(&session.memory, session.config.spin)?;
    let title_id = title.executable.xex.title_id();
    if let Some(dir) = &session.config.cache_dir {
        let dir = dir.join(format!("{:08X}", title_id.unwrap_or(0)));
        if let Err(err) = kernel.io.mount_cache(&dir) {
            tracing::warn!("no cache: device ({}: {err})", dir.display());
        }
    }
    let memory = kernel.memory.clone();
    kernel.mm.record_system_range(&memory);
    let loaded = loader::load(&mut kernel, title)?;
    publish_interrupt_context(&mut kernel);
    tracing::info!(
        "title {} loaded at {:#010x} ({:#x} bytes), entry {:#010x}, main thread {}",
        title_id.map_or("without id".into(), |id| format!("{id:08X}")),
        loaded.base,
        loaded.size,
        loaded.entry,
        loaded.main_thread
    );
    if traced {
        local::declare_none(&kernel.memory.control());
    } else {
        local::declare(&kernel);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let worker = {
        let stop = stop.clone();
        let supervisor = session.to_supervisor.clone();
        std::thread::Builder::new()
            .name("kernel".into())
            .spawn(move || link::serve(&mut kernel, &mut link, &stop, &supervisor))
            .expect("spawning the kernel thread")
    };
    session.ready();
    session.wait_for_shutdown();
    stop.store(true, Ordering::SeqCst);
    let _ = worker.join();
    Ok(())
}
