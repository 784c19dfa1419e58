//! Threads: creation with stack, PCR, TLS and `KTHREAD` in guest memory;
//! exit; suspend and resume counts; priorities and affinity.
//!
//! Guest structures (offsets from xenia `xthread.h`/`xthread.cc` and its
//! notes in `xboxkrnl_threading.cc`; its `X_KTHREAD` comment "0x10" on
//! `unk_18` is really 0x18):
//!
//! PCR (0x2D8 bytes, one per thread here; r13 points at it):
//! | 0x000 | TLS block pointer (static TLS data, then the slots) |
//! | 0x030 | the PCR's own address |
//! | 0x070 | stack base (high end) |
//! | 0x074 | stack limit (low end) |
//! | 0x100 | current `KTHREAD` |
//! | 0x10C | current processor (u8) |
//! | 0x150 | DPC active (RtlSetLastError skips when non-zero) |
//!
//! KTHREAD (0xAB0 bytes, a thread object's body): dispatcher header (type 6,
//! signaled at exit) 0x0; list heads pointing at themselves 0x10, 0x40 (at
//! +0x20), 0x74, 0x7C, 0x144, 0x154; 0x48 self, 0x4C +0x18; 0x54 u16 0x102;
//! 0x56 u16 1; stack base 0x5C; stack limit 0x60; TLS block 0x68; 0x8B u8 1;
//! 0x9C 0xFDFFD7FF; APC disable count 0xB0; suspend count u8 0xBC; current
//! processor u8 0xBF; stack allocation base 0xD0; create time u64 0x130;
//! exit time u64 0x138; exit status 0x140; thread id 0x14C; start address
//! 0x150; last error 0x160; creation flags 0x16C; 0x17C 1.
//!
//! Stacks come from [`super::STACK_RANGE_START`]..[`super::STACK_RANGE_END`]
//! in 64 KiB pages with one guard page below and above, as xenia lays them
//! out; a thread starts with r1 0x100 bytes below its stack base so the
//! entry function may use its caller's parameter save area.

use super::{dispatcher, wait, Threads};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::ob::{resolve_typed, ObjectId, ObjectType};
use crate::status::NtStatus;
use shared::ipc::kernel::{GuestThreadId, ThreadStart, ToCpu};
use shared::memory::VirtAddr;
use std::collections::VecDeque;

pub const KTHREAD_SIZE: u32 = 0xAB0;
pub const KTHREAD_APC_DISABLE: u32 = 0xB0;
pub const KTHREAD_SUSPEND_COUNT: u32 = 0xBC;
pub const KTHREAD_CURRENT_CPU: u32 = 0xBF;
pub const KTHREAD_STACK_BASE: u32 = 0x5C;
pub const KTHREAD_STACK_LIMIT: u32 = 0x60;
pub const KTHREAD_TLS: u32 = 0x68;
pub const KTHREAD_STACK_ALLOC_BASE: u32 = 0xD0;
pub const KTHREAD_CREATE_TIME: u32 = 0x130;
pub const KTHREAD_EXIT_TIME: u32 = 0x138;
pub const KTHREAD_EXIT_STATUS: u32 = 0x140;
pub const KTHREAD_THREAD_ID: u32 = 0x14C;
pub const KTHREAD_START_ADDRESS: u32 = 0x150;
pub const KTHREAD_LAST_ERROR: u32 = 0x160;
pub const KTHREAD_CREATION_FLAGS: u32 = 0x16C;

pub const PCR_SIZE: u32 = 0x2D8;
pub const PCR_TLS: u32 = 0x000;
pub const PCR_SELF: u32 = 0x030;
pub const PCR_STACK_BASE: u32 = 0x070;
pub const PCR_STACK_LIMIT: u32 = 0x074;
pub const PCR_CURRENT_THREAD: u32 = 0x100;
pub const PCR_CURRENT_CPU: u32 = 0x10C;
pub const PCR_DPC_ACTIVE: u32 = 0x150;

/// `ExCreateThread` creation flags.
pub const CREATE_SUSPENDED: u32 = 0x1;
/// Return the `KTHREAD` pointer instead of a handle (xenia: flag 0x80).
pub const CREATE_RETURN_KTHREAD: u32 = 0x80;

const STACK_PAGE: u32 = 0x1_0000;
const MIN_STACK: u32 = 0x4000;
/// Space left above the initial r1 for the entry's parameter save area.
const INITIAL_FRAME: u32 = 0x100;
/// Status a thread reads as its exit code while it runs (`STILL_ACTIVE`).
const STILL_ACTIVE: u32 = 0x103;

/// What a new thread is.
#[derive(Clone, Copy, Debug, Default)]
pub struct CreateThread {
    /// The title's thread function.
    pub entry: u32,
    /// Its argument.
    pub start_context: u32,
    /// XAPI's startup trampoline (`XapiThreadStartup`), 0 for none: when
    /// set it runs first with (entry, start_context).
    pub xapi_startup: u32,
    /// Stack bytes; 0 takes the title's default.
    pub stack_size: u32,
    /// Raw creation flags (bit 0 suspended, top byte processor mask, 0x20 /
    /// 0x40 priority hints); kept in the `KTHREAD`.
    pub creation_flags: u32,
    /// The title's main thread: its end ends the title.
    pub main_thread: bool,
}

/// A thread's stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stack {
    pub alloc_base: u32,
    pub alloc_size: u32,
    /// Low end (above the lower guard page).
    pub limit: u32,
    /// High end.
    pub base: u32,
}

/// Where a thread is, as far as the kernel knows.
#[derive(Debug)]
pub enum RunState {
    /// Created suspended, never started.
    Created,
    /// Running guest code or in a call that has not blocked.
    Running,
    /// Blocked in a wait.
    Waiting(wait::Wait),
    /// Ended with this code.
    Exited(u32),
}

/// One guest thread.
#[derive(Debug)]
pub struct Thread {
    pub id: GuestThreadId,
    /// Its thread object (`None` once the last reference is gone).
    pub object: Option<ObjectId>,
    /// The handle creation returned.
    pub handle: u32,
    pub kthread: VirtAddr,
    pub pcr: VirtAddr,
    /// TLS block (static data, then the slots).
    pub tls_block: VirtAddr,
    pub tls_slots: VirtAddr,
    pub stack: Stack,
    pub entry: u32,
    pub start_context: u32,
    pub xapi_startup: u32,
    pub creation_flags: u32,
    pub priority: i32,
    pub affinity: u32,
    pub processor: u8,
    pub suspend_count: u32,
    pub state: RunState,
    /// User-mode APCs waiting for an alertable wait.
    pub user_apcs: VecDeque<super::apc::Callback>,
    /// Kernel-mode APCs waiting for the thread to be parked in a wait.
    pub kernel_apcs: VecDeque<super::apc::Callback>,
    /// Link register of the thread's last blocking call (for reports).
    pub last_lr: u32,
    /// Export the thread last blocked in.
    pub last_wait_export: &'static str,
    pub irql: u8,
    pub main: bool,
}

impl Thread {
    pub fn exit_code(&self) -> Option<u32> {
        match self.state {
            RunState::Exited(code) => Some(code),
            _ => None,
        }
    }

    pub fn is_alive(&self) -> bool {
        !matches!(self.state, RunState::Exited(_))
    }

    pub fn wait(&self) -> Option<&wait::Wait> {
        match &self.state {
            RunState::Waiting(w) => Some(w),
            _ => None,
        }
    }

    fn start_message(&self, return_address: u32) -> ThreadStart {
        let (entry, args) = if self.xapi_startup != 0 {
            (self.xapi_startup, [self.entry, self.start_context, 0])
        } else {
            (self.entry, [self.start_context, 0, 0])
        };
        ThreadStart {
            thread: self.id,
            entry,
            stack_pointer: self.stack.base - INITIAL_FRAME,
            args,
            pcr: self.pcr.0,
            return_address,
            processor: self.processor as u32,
        }
    }
}

fn processor_for(threads: &mut Threads, mask: u32) -> u8 {
    let mask = mask & 0x3F;
    if mask == 0 {
        threads.next_processor = (threads.next_processor + 1) % 6;
        threads.next_processor
    } else {
        mask.trailing_zeros() as u8
    }
}

/// Creates a guest thread (the loader uses this for the title's main
/// thread; `ExCreateThread` for the others) and starts it unless it was
/// created suspended. Returns its handle and thread id.
pub fn create_thread(kernel: &mut Kernel, params: CreateThread) -> Result<(u32, GuestThreadId), NtStatus> {
    let requested = if params.stack_size == 0 { kernel.threads.default_stack_size } else { params.stack_size };
    let size = requested.max(MIN_STACK).next_multiple_of(STACK_PAGE);
    let alloc_size = size + 2 * STACK_PAGE;
    let alloc_base = kernel.threads.stacks.alloc(alloc_size, STACK_PAGE).ok_or(NtStatus::NO_MEMORY)?;
    let stack = Stack { alloc_base, alloc_size, limit: alloc_base + STACK_PAGE, base: alloc_base + STACK_PAGE + size };

    let object = match kernel.objects.create(&kernel.memory, ObjectType::Thread, KTHREAD_SIZE) {
        Ok(o) => o,
        Err(e) => {
            kernel.threads.stacks.free(alloc_base);
            return Err(e);
        }
    };
    let kthread = kernel.objects.get(object).expect("just created").body;
    let template = kernel.threads.tls;
    let blocks = (
        kernel.objects.alloc_guest(&kernel.memory, template.block_size(), 16),
        kernel.objects.alloc_guest(&kernel.memory, PCR_SIZE, 16),
    );
    let (Some(tls_block), Some(pcr)) = blocks else {
        for a in [blocks.0, blocks.1].into_iter().flatten() {
            kernel.objects.free_guest(a);
        }
        kernel.objects.retain(&kernel.memory, object);
        kernel.objects.release(&kernel.memory, object);
        kernel.threads.stacks.free(alloc_base);
        return Err(NtStatus::NO_MEMORY);
    };
    template.fill(&kernel.memory, tls_block);

    let id = kernel.threads.next_id;
    kernel.threads.next_id += 1;
    let processor = processor_for(&mut kernel.threads, params.creation_flags >> 24);
    let suspended = params.creation_flags & CREATE_SUSPENDED != 0;
    let thread = Thread {
        id,
        object: Some(object),
        handle: 0,
        kthread,
        pcr,
        tls_block,
        tls_slots: tls_block.add(template.data_size),
        stack,
        entry: params.entry,
        start_context: params.start_context,
        xapi_startup: params.xapi_startup,
        creation_flags: params.creation_flags,
        priority: 0,
        affinity: 1 << processor,
        processor,
        suspend_count: suspended as u32,
        state: if suspended { RunState::Created } else { RunState::Running },
        user_apcs: VecDeque::new(),
        kernel_apcs: VecDeque::new(),
        last_lr: 0,
        last_wait_export: "",
        irql: 0,
        main: params.main_thread,
    };
    write_guest_thread(kernel, &thread);

    // One reference for the handle, one the thread holds on itself until it ends.
    let handle = match kernel.objects.add_handle(&kernel.memory, object) {
        Ok(h) => h,
        Err(e) => {
            kernel.objects.free_guest(tls_block);
            kernel.objects.free_guest(pcr);
            kernel.objects.retain(&kernel.memory, object);
            kernel.objects.release(&kernel.memory, object);
            kernel.threads.stacks.free(alloc_base);
            return Err(e);
        }
    };
    kernel.objects.retain(&kernel.memory, object);
    let thread = Thread { handle, ..thread };
    if !suspended {
        kernel.outbox.push(ToCpu::StartThread(thread.start_message(kernel.threads.return_thunk)));
    }
    kernel.threads.by_kthread.insert(kthread.0, id);
    kernel.threads.threads.insert(id, thread);
    tracing::debug!(
        thread = id,
        handle = format_args!("{handle:#x}"),
        entry = format_args!("{:#x}", params.entry),
        "thread created"
    );
    if let Some(trace) = kernel.trace.as_mut() {
        trace.thread_created(id, params.entry, params.start_context, size, suspended);
    }
    Ok((handle, id))
}

fn write_guest_thread(kernel: &Kernel, t: &Thread) {
    let m = &kernel.memory;
    let k = t.kthread;
    let w32 = |off: u32, v: u32| {
        let _ = m.write_u32(k.add(off), v);
    };
    dispatcher::init(m, k, dispatcher::Kind::Thread, KTHREAD_SIZE, 0);
    for list in [0x10, 0x74, 0x7C, 0x144, 0x154] {
        w32(list, k.0 + list);
        w32(list + 4, k.0 + list);
    }
    w32(0x40, k.0 + 0x20);
    w32(0x44, k.0 + 0x20);
    w32(0x48, k.0);
    w32(0x4C, k.0 + 0x18);
    let _ = m.write_u16(k.add(0x54), 0x102);
    let _ = m.write_u16(k.add(0x56), 1);
    w32(KTHREAD_STACK_BASE, t.stack.base);
    w32(KTHREAD_STACK_LIMIT, t.stack.limit);
    w32(KTHREAD_TLS, t.tls_block.0);
    let _ = m.write_u8(k.add(0x8B), 1);
    w32(0x9C, 0xFDFF_D7FF);
    let _ = m.write_u8(k.add(KTHREAD_SUSPEND_COUNT), t.suspend_count as u8);
    let _ = m.write_u8(k.add(KTHREAD_CURRENT_CPU), t.processor);
    w32(KTHREAD_STACK_ALLOC_BASE, t.stack.alloc_base);
    let _ = m.write_u64(k.add(KTHREAD_CREATE_TIME), kernel.clock.system_time());
    w32(KTHREAD_EXIT_STATUS, STILL_ACTIVE);
    w32(KTHREAD_THREAD_ID, t.id);
    w32(KTHREAD_START_ADDRESS, t.entry);
    w32(KTHREAD_LAST_ERROR, 0);
    w32(KTHREAD_CREATION_FLAGS, t.creation_flags);
    w32(0x17C, 1);

    let p = t.pcr;
    let _ = m.write_u32(p.add(PCR_TLS), t.tls_block.0);
    let _ = m.write_u32(p.add(PCR_SELF), p.0);
    let _ = m.write_u32(p.add(PCR_STACK_BASE), t.stack.base);
    let _ = m.write_u32(p.add(PCR_STACK_LIMIT), t.stack.limit);
    let _ = m.write_u32(p.add(PCR_CURRENT_THREAD), k.0);
    let _ = m.write_u8(p.add(PCR_CURRENT_CPU), t.processor);
    let _ = m.write_u32(p.add(PCR_DPC_ACTIVE), 0);
}

/// Ends thread `id` with `code`: its object is signaled, the mutants it
/// owns are abandoned, queued APCs are dropped, its stack and PCR go back,
/// and its self-reference is released. Ending the main thread ends the
/// title with that code (`kernel.title_exit`). Calling it again does nothing.
pub fn exit_thread(kernel: &mut Kernel, id: GuestThreadId, code: u32) {
    let Some(t) = kernel.threads.threads.get_mut(&id) else { return };
    if !t.is_alive() {
        return;
    }
    if let Some(trace) = kernel.trace.as_mut() {
        trace.thread_exited(id, code);
    }
    let Some(t) = kernel.threads.threads.get_mut(&id) else { return };
    t.state = RunState::Exited(code);
    t.user_apcs.clear();
    t.kernel_apcs.clear();
    let (kthread, object, main, stack, pcr, tls) = (t.kthread, t.object, t.main, t.stack, t.pcr, t.tls_block);
    let m = &kernel.memory;
    let _ = m.write_u32(kthread.add(KTHREAD_EXIT_STATUS), code);
    let _ = m.write_u64(kthread.add(KTHREAD_EXIT_TIME), kernel.clock.system_time());
    super::mutant::abandon_owned_by(kernel, kthread);
    dispatcher::set_signal(&kernel.memory, kthread, 1);
    wait::signal_changed(kernel, kthread);
    kernel.threads.stacks.free(stack.alloc_base);
    kernel.objects.free_guest(pcr);
    kernel.objects.free_guest(tls);
    if let Some(object) = object {
        kernel.objects.release(&kernel.memory, object);
        if kernel.objects.get(object).is_none() {
            forget_object(kernel, id);
        }
    }
    if main && kernel.title_exit.is_none() {
        kernel.title_exit = Some(code as i32);
    }
    tracing::debug!(thread = id, code = format_args!("{code:#x}"), "thread exited");
}

/// Drops the link from thread `id` to its destroyed object.
fn forget_object(kernel: &mut Kernel, id: GuestThreadId) {
    if let Some(t) = kernel.threads.threads.get_mut(&id) {
        t.object = None;
        let k = t.kthread.0;
        kernel.threads.by_kthread.remove(&k);
    }
}

/// Hook: guest thread `id` returned from its entry function with `code` in
/// r3. With an XAPI startup trampoline the exit code is 0 (the trampoline
/// normally ends the thread itself), as xenia treats it.
pub fn thread_returned(kernel: &mut Kernel, id: GuestThreadId, code: u32) {
    let xapi = kernel.threads.get(id).is_some_and(|t| t.xapi_startup != 0);
    exit_thread(kernel, id, if xapi { 0 } else { code });
}

/// Hook: guest thread `id` stopped on a fault; it ends with
/// `STATUS_ACCESS_VIOLATION` as its exit code.
pub fn thread_faulted(kernel: &mut Kernel, id: GuestThreadId) {
    exit_thread(kernel, id, NtStatus::ACCESS_VIOLATION.0);
}

/// The thread a `KTHREAD` pointer names.
fn thread_at(kernel: &Kernel, kthread: VirtAddr) -> Option<GuestThreadId> {
    kernel.threads.by_kthread(kthread)
}

/// The thread a handle names (pseudo handles included).
fn thread_by_handle(kernel: &Kernel, handle: u32, current: GuestThreadId) -> Result<GuestThreadId, NtStatus> {
    let object = resolve_typed(kernel, handle, current, ObjectType::Thread)?;
    let body = kernel.objects.get(object).ok_or(NtStatus::INVALID_HANDLE)?.body;
    thread_at(kernel, body).ok_or(NtStatus::INVALID_HANDLE)
}

/// Adds one to `id`'s suspend count; returns the previous count.
pub fn suspend(kernel: &mut Kernel, id: GuestThreadId) -> Result<u32, NtStatus> {
    let t = kernel.threads.threads.get_mut(&id).ok_or(NtStatus::INVALID_HANDLE)?;
    if !t.is_alive() {
        return Err(NtStatus::UNSUCCESSFUL);
    }
    let previous = t.suspend_count;
    if previous >= 127 {
        return Err(NtStatus(0xC000_004A)); // STATUS_SUSPEND_COUNT_EXCEEDED
    }
    t.suspend_count += 1;
    let _ = kernel.memory.write_u8(t.kthread.add(KTHREAD_SUSPEND_COUNT), t.suspend_count as u8);
    if previous == 0 && !matches!(t.state, RunState::Created) {
        kernel.outbox.push(ToCpu::Suspend { thread: id });
    }
    Ok(previous)
}

/// Takes one from `id`'s suspend count, starting or resuming it at zero;
/// returns the previous count.
pub fn resume(kernel: &mut Kernel, id: GuestThreadId) -> Result<u32, NtStatus> {
    let return_thunk = kernel.threads.return_thunk;
    let t = kernel.threads.threads.get_mut(&id).ok_or(NtStatus::INVALID_HANDLE)?;
    let previous = t.suspend_count;
    if previous == 0 {
        return Ok(0);
    }
    t.suspend_count -= 1;
    let _ = kernel.memory.write_u8(t.kthread.add(KTHREAD_SUSPEND_COUNT), t.suspend_count as u8);
    if t.suspend_count == 0 && t.is_alive() {
        if matches!(t.state, RunState::Created) {
            t.state = RunState::Running;
            kernel.outbox.push(ToCpu::StartThread(t.start_message(return_thunk)));
        } else {
            kernel.outbox.push(ToCpu::Resume { thread: id });
        }
    }
    Ok(previous)
}

fn write_optional(kernel: &Kernel, out: Option<VirtAddr>, value: u32) {
    if let Some(out) = out {
        let _ = kernel.memory.write_u32(out, value);
    }
}

/// `ExCreateThread(Handle*, StackSize, ThreadId*, XapiThreadStartup,
/// StartAddress, StartContext, CreationFlags)`.
#[allow(clippy::too_many_arguments)]
pub fn ex_create_thread(
    kernel: &mut Kernel,
    handle_out: Option<VirtAddr>,
    stack_size: u32,
    thread_id_out: Option<VirtAddr>,
    xapi_startup: u32,
    start_address: u32,
    start_context: u32,
    creation_flags: u32,
) -> NtStatus {
    let params = CreateThread {
        entry: start_address,
        start_context,
        xapi_startup,
        stack_size,
        creation_flags,
        main_thread: false,
    };
    match create_thread(kernel, params) {
        Ok((handle, id)) => {
            let kthread = kernel.threads.get(id).map(|t| t.kthread.0).unwrap_or(0);
            write_optional(
                kernel,
                handle_out,
                if creation_flags & CREATE_RETURN_KTHREAD != 0 { kthread } else { handle },
            );
            write_optional(kernel, thread_id_out, id);
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `ExTerminateThread(ExitStatus)`: the calling thread ends.
pub fn ex_terminate_thread(kernel: &mut Kernel, exit_code: u32, call: Call) -> Outcome {
    exit_thread(kernel, call.thread, exit_code);
    Outcome::ExitThread(exit_code)
}

/// `NtTerminateThread(Handle, ExitStatus)`: ends another thread (or the caller).
pub fn nt_terminate_thread(kernel: &mut Kernel, handle: u32, exit_code: u32, call: Call) -> Outcome {
    let id = match thread_by_handle(kernel, handle, call.thread) {
        Ok(id) => id,
        Err(e) => return Outcome::value(e.0 as u64),
    };
    if id == call.thread {
        return ex_terminate_thread(kernel, exit_code, call);
    }
    if kernel.threads.get(id).is_some_and(|t| t.is_alive()) {
        // The stack may still be in use until cpu-proc stops the thread: keep it.
        if let Some(t) = kernel.threads.threads.get_mut(&id) {
            t.stack.alloc_base = 0;
        }
        exit_thread(kernel, id, exit_code);
        kernel.outbox.push(ToCpu::Terminate { thread: id });
    }
    Outcome::value(0)
}

/// `NtResumeThread(Handle, PreviousSuspendCount*)`.
pub fn nt_resume_thread(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>, call: Call) -> NtStatus {
    match thread_by_handle(kernel, handle, call.thread).and_then(|id| resume(kernel, id)) {
        Ok(previous) => {
            write_optional(kernel, previous_out, previous);
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `NtSuspendThread(Handle, PreviousSuspendCount*)`.
pub fn nt_suspend_thread(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>, call: Call) -> NtStatus {
    match thread_by_handle(kernel, handle, call.thread).and_then(|id| suspend(kernel, id)) {
        Ok(previous) => {
            write_optional(kernel, previous_out, previous);
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `KeResumeThread(Thread)`: the previous suspend count.
pub fn ke_resume_thread(kernel: &mut Kernel, kthread: VirtAddr) -> u32 {
    thread_at(kernel, kthread).and_then(|id| resume(kernel, id).ok()).unwrap_or(0)
}

/// `KeSuspendThread(Thread)`: the previous suspend count.
pub fn ke_suspend_thread(kernel: &mut Kernel, kthread: VirtAddr) -> u32 {
    thread_at(kernel, kthread).and_then(|id| suspend(kernel, id).ok()).unwrap_or(0)
}

/// `KeSetBasePriorityThread(Thread, Increment)`: the previous base priority.
pub fn ke_set_base_priority_thread(kernel: &mut Kernel, kthread: VirtAddr, increment: i32) -> i32 {
    let Some(id) = thread_at(kernel, kthread) else { return 0 };
    let t = kernel.threads.threads.get_mut(&id).expect("indexed thread");
    std::mem::replace(&mut t.priority, increment)
}

/// `KeQueryBasePriorityThread(Thread)`.
pub fn ke_query_base_priority_thread(kernel: &mut Kernel, kthread: VirtAddr) -> i32 {
    thread_at(kernel, kthread).and_then(|id| kernel.threads.get(id)).map_or(0, |t| t.priority)
}

/// `KeAlertThread(Thread, AlertMode)`: an alertable wait of the thread
/// ends with `STATUS_ALERTED`; whether the thread was already alerted
/// (never, here: alerts are not kept).
pub fn ke_alert_thread(kernel: &mut Kernel, kthread: VirtAddr, _mode: u32) -> bool {
    if let Some(id) = thread_at(kernel, kthread) {
        if kernel.threads.get(id).and_then(|t| t.wait()).is_some_and(|w| w.alertable) {
            wait::complete(kernel, id, NtStatus::ALERTED, false);
        }
    }
    false
}

/// `KeAlertResumeThread(Thread)`: alerts, then resumes; the previous
/// suspend count.
pub fn ke_alert_resume_thread(kernel: &mut Kernel, kthread: VirtAddr) -> u32 {
    ke_alert_thread(kernel, kthread, 0);
    ke_resume_thread(kernel, kthread)
}

/// `KeSetPriorityThread(Thread, Priority)`: the previous priority (kept,
/// not used for scheduling: cpu-proc decides who runs).
pub fn ke_set_priority_thread(kernel: &mut Kernel, kthread: VirtAddr, priority: i32) -> i32 {
    ke_set_base_priority_thread(kernel, kthread, priority)
}

/// `KeSetDisableBoostThread(Thread, Disable)`: boosts are not modelled.
pub fn ke_set_disable_boost_thread(_kernel: &mut Kernel, _kthread: VirtAddr, _disable: u32) -> u32 {
    0
}

/// `KeSetAffinityThread(Thread, Affinity, PreviousAffinity*)`: the thread
/// moves to the lowest processor in the mask (0–5); the previous mask is
/// written, the status returned (the console's form, per xenia).
pub fn ke_set_affinity_thread(
    kernel: &mut Kernel,
    kthread: VirtAddr,
    affinity: u32,
    previous_out: Option<VirtAddr>,
) -> NtStatus {
    if affinity & 0x3F == 0 {
        return NtStatus::INVALID_PARAMETER;
    }
    let Some(id) = thread_at(kernel, kthread) else { return NtStatus::INVALID_HANDLE };
    let t = kernel.threads.threads.get_mut(&id).expect("indexed thread");
    let previous = 1u32 << t.processor;
    t.affinity = affinity & 0x3F;
    t.processor = t.affinity.trailing_zeros() as u8;
    let (kthread, pcr, cpu) = (t.kthread, t.pcr, t.processor);
    let _ = kernel.memory.write_u8(kthread.add(KTHREAD_CURRENT_CPU), cpu);
    let _ = kernel.memory.write_u8(pcr.add(PCR_CURRENT_CPU), cpu);
    write_optional(kernel, previous_out, previous);
    NtStatus::SUCCESS
}

/// `KeGetCurrentProcessType()`.
pub fn ke_get_current_process_type(kernel: &mut Kernel) -> u32 {
    kernel.threads.process_type
}

/// `KeSetCurrentProcessType(Type)`.
pub fn ke_set_current_process_type(kernel: &mut Kernel, ty: u32) {
    if ty <= super::PROCESS_TYPE_SYSTEM {
        kernel.threads.process_type = ty;
    }
}

/// `KeEnterCriticalRegion()`: disables normal kernel APCs for the caller.
pub fn ke_enter_critical_region(kernel: &mut Kernel, call: Call) {
    adjust_apc_disable(kernel, call.thread, -1);
}

/// `KeLeaveCriticalRegion()`.
pub fn ke_leave_critical_region(kernel: &mut Kernel, call: Call) {
    adjust_apc_disable(kernel, call.thread, 1);
}

fn adjust_apc_disable(kernel: &mut Kernel, id: GuestThreadId, by: i32) {
    if let Some(t) = kernel.threads.get(id) {
        let at = t.kthread.add(KTHREAD_APC_DISABLE);
        let v = kernel.memory.read_u32(at).unwrap_or(0) as i32 + by;
        let _ = kernel.memory.write_u32(at, v as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread, started};

    #[test]
    fn a_new_thread_gets_pcr_kthread_tls_and_a_stack_in_the_stack_range() {
        let (k, t) = kernel_with_thread();
        let th = k.threads.get(t).unwrap();
        let m = &k.memory;
        assert!(th.stack.limit >= 0x7000_0000 && th.stack.base < 0x7E00_0000);
        assert_eq!(m.read_u32(th.pcr.add(PCR_CURRENT_THREAD)).unwrap(), th.kthread.0);
        assert_eq!(m.read_u32(th.pcr.add(PCR_TLS)).unwrap(), th.tls_block.0);
        assert_eq!(m.read_u32(th.pcr.add(PCR_SELF)).unwrap(), th.pcr.0);
        assert_eq!(m.read_u32(th.pcr.add(PCR_STACK_BASE)).unwrap(), th.stack.base);
        assert_eq!(m.read_u32(th.kthread.add(KTHREAD_THREAD_ID)).unwrap(), t);
        assert_eq!(m.read_u8(th.kthread).unwrap(), 6, "a thread's dispatcher type");
        let start = started(&k, t).expect("the thread was started");
        assert_eq!(start.pcr, th.pcr.0);
        assert_eq!(start.stack_pointer, th.stack.base - 0x100);
        assert_eq!(start.args[0], 0x1234);
    }

    #[test]
    fn a_suspended_thread_starts_when_its_count_reaches_zero() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(0x4000_0000);
        let st = ex_create_thread(&mut k, Some(out), 0, Some(out.add(4)), 0, 0x8200_0000, 7, CREATE_SUSPENDED);
        assert_eq!(st, NtStatus::SUCCESS);
        let h = k.memory.read_u32(out).unwrap();
        let id = k.memory.read_u32(out.add(4)).unwrap();
        k.outbox.clear();
        assert_eq!(nt_suspend_thread(&mut k, h, Some(out.add(8)), call_from(t)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out.add(8)).unwrap(), 1);
        assert_eq!(nt_resume_thread(&mut k, h, Some(out.add(8)), call_from(t)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out.add(8)).unwrap(), 2);
        assert!(k.outbox.is_empty(), "still suspended once");
        nt_resume_thread(&mut k, h, None, call_from(t));
        assert_eq!(started(&k, id).map(|s| s.args[0]), Some(7));
    }

    #[test]
    fn suspending_a_running_thread_tells_the_cpu() {
        let (mut k, t) = kernel_with_thread();
        k.outbox.clear();
        let kthread = k.threads.get(t).unwrap().kthread;
        assert_eq!(ke_suspend_thread(&mut k, kthread), 0);
        assert_eq!(ke_suspend_thread(&mut k, kthread), 1);
        assert_eq!(k.outbox, vec![ToCpu::Suspend { thread: t }]);
        assert_eq!(ke_resume_thread(&mut k, kthread), 2);
        assert_eq!(ke_resume_thread(&mut k, kthread), 1);
        assert_eq!(k.outbox.last(), Some(&ToCpu::Resume { thread: t }));
    }

    #[test]
    fn exit_code_is_kept_and_the_thread_object_is_signaled() {
        let (mut k, t) = kernel_with_thread();
        let th = k.threads.get(t).unwrap();
        let kthread = th.kthread;
        thread_returned(&mut k, t, 42);
        assert_eq!(k.threads.exit_code(t), Some(42));
        assert_eq!(k.memory.read_u32(kthread.add(KTHREAD_EXIT_STATUS)).unwrap(), 42);
        assert_eq!(dispatcher::signal(&k.memory, kthread), 1);
        assert_eq!(k.title_exit, None, "not the main thread");
    }

    #[test]
    fn the_main_threads_end_ends_the_title() {
        let mut k = Kernel::for_tests();
        let (_, id) =
            create_thread(&mut k, CreateThread { entry: 0x8200_0000, main_thread: true, ..Default::default() })
                .unwrap();
        assert_eq!(ex_terminate_thread(&mut k, 3, call_from(id)), Outcome::ExitThread(3));
        assert_eq!(k.title_exit, Some(3));
    }

    #[test]
    fn priority_and_affinity_are_kept() {
        let (mut k, t) = kernel_with_thread();
        let kthread = k.threads.get(t).unwrap().kthread;
        assert_eq!(ke_set_base_priority_thread(&mut k, kthread, 15), 0);
        assert_eq!(ke_query_base_priority_thread(&mut k, kthread), 15);
        let out = VirtAddr(0x4000_0000);
        assert_eq!(ke_set_affinity_thread(&mut k, kthread, 0b100, Some(out)), NtStatus::SUCCESS);
        assert_eq!(k.threads.get(t).unwrap().processor, 2);
        assert_eq!(k.memory.read_u8(kthread.add(KTHREAD_CURRENT_CPU)).unwrap(), 2);
        assert_eq!(ke_set_affinity_thread(&mut k, kthread, 0b1, Some(out)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0b100);
    }

    #[test]
    fn the_return_kthread_flag_hands_out_the_pointer() {
        let (mut k, _) = kernel_with_thread();
        let out = VirtAddr(0x4000_0000);
        ex_create_thread(&mut k, Some(out), 0, Some(out.add(4)), 0, 0x8200_0000, 0, CREATE_RETURN_KTHREAD);
        let id = k.memory.read_u32(out.add(4)).unwrap();
        assert_eq!(k.memory.read_u32(out).unwrap(), k.threads.get(id).unwrap().kthread.0);
    }
}
