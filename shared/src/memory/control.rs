//! The control area: shared state that is not guest memory.
//!
//! It lives in the same memfd as guest RAM, behind the 4 GiB guest space, so
//! it survives the restart of any unit: the GPU register file, the GPU's
//! architectural state (vblank counter, pending interrupts), per-unit
//! heartbeats, the hot rings between units, the dirty-page bitmap and the
//! page-state table of the memory manager.
//!
//! | offset | size | contents |
//! | --- | --- | --- |
//! | `0x000000` | 4 KiB | [`Header`]: magic and layout version |
//! | `0x001000` | 4 KiB | unit status blocks ([`UnitStatus`]), one per unit |
//! | `0x002000` | 4 KiB | [`GpuState`] |
//! | `0x003000` | 4 KiB | [`AudioState`] |
//! | `0x004000` | 4 KiB | [`LocalExports`]: what kernel-proc lets cpu-proc run itself |
//! | `0x005000` | 4 KiB | [`InterruptContext`]: where cpu-proc runs interrupt-time guest code |
//! | `0x006000` | 4 KiB | [`GuestTime`]: the retired-instruction clock of `--deterministic` |
//! | `0x007000` | 4 KiB | [`InputState`]: the controllers, as the host's input devices set them |
//! | `0x010000` | 81 KiB | GPU register file (the `0x7FC80000` MMIO window and the constant banks above it) |
//! | `0x100000` | 16 × 1 MiB | rings, one per [`RingId`] |
//! | `0x1100000` | 128 KiB | dirty-page bitmap, one bit per 4 KiB guest page |
//! | `0x1200000` | 4 MiB | page-state table, one `u32` per 4 KiB guest page |
//! | `0x1800000` | 10 MiB | EDRAM, the GPU's render-target memory ([`EDRAM_SIZE`]) |

use crate::ipc::ring::RingId;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// "XNCT" — written by the supervisor once the area is initialised.
pub const MAGIC: u32 = 0x584E_4354;
/// Bumped whenever the layout below changes.
pub const LAYOUT_VERSION: u32 = 4;

const HEADER: usize = 0x0;
const UNIT_STATUS: usize = 0x1000;
const GPU_STATE: usize = 0x2000;
const AUDIO_STATE: usize = 0x3000;
const LOCAL_EXPORTS: usize = 0x4000;
const INTERRUPT_CONTEXT: usize = 0x5000;
const GUEST_TIME: usize = 0x6000;
const INPUT_STATE: usize = 0x7000;
const GPU_REGS: usize = 0x1_0000;
/// Number of 32-bit GPU registers kept in the shared file: the 64 KiB MMIO
/// window at `0x7FC80000` (0x4000 registers; window size from xenia
/// `graphics_system.cc`) and the constant banks above it that only the
/// command processor writes (to 0x5003), so they too survive a restart.
pub const GPU_REGISTER_COUNT: usize = 0x5100;
const RINGS: usize = 0x10_0000;
/// Bytes reserved for each ring (header plus slots).
pub const RING_REGION: usize = 0x10_0000;
const RING_COUNT: usize = 16;
const DIRTY_BITMAP: usize = 0x110_0000;
const DIRTY_BITMAP_LEN: usize = (1 << 32) / 4096 / 8;
const PAGE_TABLE: usize = 0x120_0000;
const PAGE_TABLE_LEN: usize = (1 << 32) / 4096 * 4;
const EDRAM: usize = 0x180_0000;
/// Bytes of EDRAM: 10 MiB, 2048 tiles of 80 × 16 samples at 32 bits
/// (xenia `xenos.h`, `kEdramTileCount`, `kEdramSizeBytes`).
pub const EDRAM_SIZE: usize = 10 << 20;

const _: () = {
    assert!(GPU_REGS + GPU_REGISTER_COUNT * 4 <= RINGS);
    assert!(RINGS + RING_COUNT * RING_REGION <= DIRTY_BITMAP);
    assert!(DIRTY_BITMAP + DIRTY_BITMAP_LEN <= PAGE_TABLE);
    assert!(PAGE_TABLE + PAGE_TABLE_LEN <= EDRAM);
    assert!(EDRAM + EDRAM_SIZE <= super::layout::CONTROL_SIZE as usize);
    assert!(std::mem::size_of::<GuestTime>() <= 0x1000);
    assert!(std::mem::size_of::<InputState>() <= 0x1000);
    assert!(std::mem::size_of::<UnitStatus>() * 8 <= 0x1000);
    assert!(std::mem::size_of::<GpuState>() <= 0x1000);
    assert!(std::mem::size_of::<AudioState>() <= 0x1000);
    assert!(std::mem::size_of::<LocalExports>() <= 0x1000);
};

/// The first bytes of the control area.
#[repr(C)]
pub struct Header {
    pub magic: AtomicU32,
    pub layout_version: AtomicU32,
}

/// Liveness and identity of one unit's current process.
#[repr(C)]
pub struct UnitStatus {
    /// Pid of the process now serving the unit (0 when none).
    pub pid: AtomicU32,
    /// How many times the unit has been started this session.
    pub generation: AtomicU32,
    /// Incremented by the unit while it is healthy.
    pub heartbeat: AtomicU64,
}

/// GPU state that must survive a restart of gpu-proc.
#[repr(C)]
pub struct GpuState {
    /// Vertical blanks since the session started.
    pub vblank_count: AtomicU64,
    /// Interrupt sources raised and not yet delivered (bit per source).
    pub interrupt_pending: AtomicU32,
    /// 1 while the GPU runs as the non-rendering fallback.
    pub fallback: AtomicU32,
    /// 1 once the register file holds its power-on values.
    pub registers_initialised: AtomicU32,
    /// Doorbells gpu-proc has taken off the ring.
    pub doorbells: AtomicU64,
    /// Swaps the command processor has executed (the counter an
    /// `EVENT_WRITE_SHD` with bit 31 of its initiator writes to memory).
    pub cp_swap_count: AtomicU32,
    /// Guest address of the graphics interrupt callback set by
    /// `VdSetGraphicsInterruptCallback` (0: none), and its user data (r4 of
    /// each call; r3 is the source: 0 vblank, 1 command processor).
    pub interrupt_callback: AtomicU32,
    pub interrupt_user_data: AtomicU32,
    /// Address given to `VdSetSystemCommandBufferGpuIdentifierAddress`.
    pub gpu_identifier_address: AtomicU32,
    _pad: AtomicU32,
    /// Doorbells gpu-proc has finished with: the command processor ran as
    /// far as it could and the interrupts it raised are on their ring.
    /// `--deterministic` cpu-proc waits for this after each doorbell.
    pub doorbells_done: AtomicU64,
}

/// The guest clock of a `--deterministic` session: guest time is a count of
/// instruction ticks, not host time. Only cpu-proc moves it, and only the
/// one guest thread that runs (or its scheduler, between threads): it adds
/// the instructions each thread retires (at kernel calls, time-base reads
/// and switch points) and the ticks it skips when every guest thread is
/// blocked until a deadline (idle fast-forward). Every unit derives its
/// notion of time from [`GuestTime::ticks`]: the kernel's clock and timers,
/// the vblank interrupt, audio-proc's frame pacer.
#[repr(C)]
pub struct GuestTime {
    /// 1 when the session is deterministic (the fields below are the clock).
    pub deterministic: AtomicU32,
    /// 1 once the title has ended: under `--deterministic` the clock stands
    /// still from then on (set by kernel-proc before anyone learns of the
    /// end), so how long the session takes to shut down adds no audio
    /// frames or interrupts.
    pub stopped: AtomicU32,
    /// Instruction ticks since the session started (retired plus skipped).
    pub ticks: AtomicU64,
    /// Of `ticks`, those skipped while every thread was blocked.
    pub skipped: AtomicU64,
    /// The kernel's next timer or wait deadline in ticks (`u64::MAX`: none),
    /// published after every message it handles.
    pub next_deadline: AtomicU64,
}

impl GuestTime {
    /// Guest instructions per second of deterministic guest time: a nominal
    /// 1 instruction per nanosecond (Xenon's cores run at 3.2 GHz with an
    /// IPC well below one; the figure only has to be fixed, not exact).
    pub const TICKS_PER_SECOND: u64 = 1_000_000_000;

    /// Deterministic guest time now.
    pub fn now(&self) -> std::time::Duration {
        Self::duration_of(self.ticks.load(Ordering::SeqCst))
    }

    /// The guest time `ticks` stand for.
    pub fn duration_of(ticks: u64) -> std::time::Duration {
        std::time::Duration::from_nanos(ticks * (1_000_000_000 / Self::TICKS_PER_SECOND))
    }

    /// Ticks in `duration` of guest time (rounded up: a deadline is never early).
    pub fn ticks_of(duration: std::time::Duration) -> u64 {
        let nanos_per_tick = (1_000_000_000 / Self::TICKS_PER_SECOND) as u128;
        duration.as_nanos().div_ceil(nanos_per_tick).min(u64::MAX as u128) as u64
    }

    pub fn is_deterministic(&self) -> bool {
        self.deterministic.load(Ordering::SeqCst) != 0
    }
}

/// The four controller ports. A host input device (the window's keyboard
/// in gpu-proc) plugs a pad in and publishes its state; kernel-proc's
/// `XamInput*` exports read it. The state outlives the process that wrote
/// it, so a pad stays connected across a gpu-proc restart.
#[repr(C)]
pub struct InputState {
    pub pads: [PadState; InputState::PORTS],
}

impl InputState {
    /// Controller ports of the console.
    pub const PORTS: usize = 4;
}

/// One controller port.
#[repr(C)]
pub struct PadState {
    /// Non-zero while a pad is plugged into this port.
    pub connected: AtomicU32,
    /// Sequence lock of the state below, with one writer: odd while a
    /// change is being written, two more per change; half of it is the
    /// guest's `dwPacketNumber`.
    pub sequence: AtomicU32,
    /// `wButtons << 16 | bLeftTrigger << 8 | bRightTrigger`.
    pub buttons_triggers: AtomicU32,
    _pad: AtomicU32,
    /// The thumbsticks' four axes, LX in the low 16 bits up to RY.
    pub thumbs: AtomicU64,
}

/// A pad's buttons, triggers and sticks, as `XINPUT_GAMEPAD` holds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gamepad {
    /// `XINPUT_GAMEPAD_*` bits.
    pub buttons: u16,
    pub left_trigger: u8,
    pub right_trigger: u8,
    pub thumb_lx: i16,
    pub thumb_ly: i16,
    pub thumb_rx: i16,
    pub thumb_ry: i16,
}

impl Gamepad {
    /// The 12-byte big-endian `XINPUT_GAMEPAD` the guest reads.
    pub fn to_guest(&self) -> [u8; 12] {
        let mut out = [0; 12];
        out[0..2].copy_from_slice(&self.buttons.to_be_bytes());
        out[2] = self.left_trigger;
        out[3] = self.right_trigger;
        for (i, axis) in [self.thumb_lx, self.thumb_ly, self.thumb_rx, self.thumb_ry].into_iter().enumerate() {
            out[4 + 2 * i..6 + 2 * i].copy_from_slice(&axis.to_be_bytes());
        }
        out
    }
}

impl PadState {
    /// Plugs a pad in (or pulls it out); the packet number moves on.
    pub fn set_connected(&self, connected: bool) {
        self.connected.store(connected as u32, Ordering::SeqCst);
        self.sequence.fetch_add(2, Ordering::SeqCst);
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst) != 0
    }

    /// Publishes a new state when it differs from the current one.
    pub fn publish(&self, pad: &Gamepad) {
        let bt = (pad.buttons as u32) << 16 | (pad.left_trigger as u32) << 8 | pad.right_trigger as u32;
        let thumbs = [pad.thumb_lx, pad.thumb_ly, pad.thumb_rx, pad.thumb_ry]
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, &axis)| acc | (axis as u16 as u64) << (16 * i));
        if self.buttons_triggers.load(Ordering::SeqCst) == bt && self.thumbs.load(Ordering::SeqCst) == thumbs {
            return;
        }
        // A writer that died mid-change left the sequence odd: even it up.
        let start = self.sequence.load(Ordering::SeqCst) | 1;
        self.sequence.store(start, Ordering::SeqCst);
        self.buttons_triggers.store(bt, Ordering::SeqCst);
        self.thumbs.store(thumbs, Ordering::SeqCst);
        self.sequence.store(start.wrapping_add(1), Ordering::SeqCst);
    }

    /// The packet number and state, or `None` with no pad plugged in.
    pub fn read(&self) -> Option<(u32, Gamepad)> {
        if !self.is_connected() {
            return None;
        }
        // Retry while a change is being written, so the fields come from
        // one state; a writer that died mid-change is waited for only a
        // little.
        for attempt in 0.. {
            let sequence = self.sequence.load(Ordering::SeqCst);
            let bt = self.buttons_triggers.load(Ordering::SeqCst);
            let thumbs = self.thumbs.load(Ordering::SeqCst);
            let settled = sequence % 2 == 0 || attempt >= 1000;
            if settled && self.sequence.load(Ordering::SeqCst) == sequence {
                let packet = sequence / 2;
                let axis = |i: u32| (thumbs >> (16 * i)) as u16 as i16;
                let pad = Gamepad {
                    buttons: (bt >> 16) as u16,
                    left_trigger: (bt >> 8) as u8,
                    right_trigger: bt as u8,
                    thumb_lx: axis(0),
                    thumb_ly: axis(1),
                    thumb_rx: axis(2),
                    thumb_ry: axis(3),
                };
                return Some((packet, pad));
            }
            std::hint::spin_loop();
        }
        unreachable!("the loop above returns")
    }
}

/// Audio state that must survive a restart of audio-proc.
#[repr(C)]
pub struct AudioState {
    /// Audio frames (256 samples each) the driver clock has produced.
    pub frames_rendered: AtomicU64,
    /// The render-driver clients, indexed by the low 16 bits of their
    /// driver handle.
    pub clients: [AudioClientState; AudioState::CLIENTS],
    /// Clients registered as the kernel sees it (bit per slot), written
    /// before the registering call returns: `--deterministic` cpu-proc
    /// decides from it whether audio callbacks can come.
    pub registered: AtomicU32,
    _pad: AtomicU32,
    /// Messages sent to audio-proc (kernel and cpu rings together) and
    /// those it has applied. Under `--deterministic` audio-proc applies every
    /// message sent before the guest clock reached a frame before rendering
    /// that frame.
    pub messages_sent: AtomicU64,
    pub messages_applied: AtomicU64,
    /// Frames whose callback requests are on their ring (set after
    /// `frames_rendered`): `--deterministic` cpu-proc waits for this.
    pub frames_requested: AtomicU64,
}

impl AudioState {
    /// Render-driver clients the console accepts at once (xenia
    /// `audio_system.h`, `kMaximumClientCount`).
    pub const CLIENTS: usize = 8;
}

/// One registered render-driver client, as audio-proc mirrors it.
#[repr(C)]
pub struct AudioClientState {
    /// Frames the client has submitted since it registered.
    pub frames_submitted: AtomicU64,
    /// Non-zero while the slot holds a registered client.
    pub in_use: AtomicU32,
    /// Guest address of the client's callback.
    pub callback: AtomicU32,
    /// The callback's argument (a guest address).
    pub argument: AtomicU32,
}

/// The guest context interrupt-time code runs on (graphics interrupt and
/// audio callbacks): a guest thread the kernel created for the purpose and
/// never schedules, with its own PCR and stack. Published by kernel-proc
/// once the title is loaded.
#[repr(C)]
pub struct InterruptContext {
    /// Non-zero once the fields below are set.
    pub ready: AtomicU32,
    pub thread: AtomicU32,
    pub pcr: AtomicU32,
    pub stack_pointer: AtomicU32,
}

/// Exports cpu-proc may run without a round trip, as declared by the kernel
/// process at start-up (before any guest thread exists). A kernel that wants
/// every call (an instrumented one) declares none.
#[repr(C)]
pub struct LocalExports {
    /// Bit `i` set: export `i` of the export table may run in cpu-proc.
    pub bitmap: [AtomicU32; LOCAL_EXPORT_WORDS],
    /// Bytes of static TLS data in front of each thread's TLS slots.
    pub tls_data_size: AtomicU32,
    /// TLS slots per thread.
    pub tls_slot_count: AtomicU32,
}

/// Words of [`LocalExports::bitmap`] (room for 4096 exports).
pub const LOCAL_EXPORT_WORDS: usize = 128;

impl LocalExports {
    /// Whether export `index` may run in cpu-proc.
    #[inline]
    pub fn is_local(&self, index: u32) -> bool {
        let word = (index / 32) as usize;
        word < LOCAL_EXPORT_WORDS && self.bitmap[word].load(Ordering::Relaxed) & (1 << (index % 32)) != 0
    }

    /// Replaces the declaration with `indices`.
    pub fn declare(&self, indices: impl IntoIterator<Item = u32>) {
        let mut words = [0u32; LOCAL_EXPORT_WORDS];
        for i in indices {
            if let Some(w) = words.get_mut((i / 32) as usize) {
                *w |= 1 << (i % 32);
            }
        }
        for (slot, w) in self.bitmap.iter().zip(words) {
            slot.store(w, Ordering::SeqCst);
        }
    }
}

/// A process's view of the control area. Every field is atomic: any process
/// may read or write it at any time.
#[derive(Clone, Copy)]
pub struct ControlArea<'m> {
    base: *mut u8,
    _memory: std::marker::PhantomData<&'m super::GuestMemory>,
}

impl<'m> ControlArea<'m> {
    /// # Safety
    /// `base` must point at a mapped control area of `CONTROL_SIZE` bytes
    /// that lives for `'m`.
    pub(super) unsafe fn new(base: *mut u8) -> Self {
        ControlArea { base, _memory: std::marker::PhantomData }
    }

    /// # Safety
    /// `offset` must leave room for a `T` inside the control area, and `T`
    /// must be made only of atomics (valid for any bit pattern).
    unsafe fn at<T>(&self, offset: usize) -> &'m T {
        &*(self.base.add(offset) as *const T)
    }

    pub fn header(&self) -> &'m Header {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(HEADER) }
    }

    /// Stamps the header; done once by the supervisor after creating the file.
    pub fn initialise(&self) {
        self.header().layout_version.store(LAYOUT_VERSION, Ordering::SeqCst);
        self.header().magic.store(MAGIC, Ordering::SeqCst);
    }

    /// Whether the supervisor initialised this area with the same layout.
    pub fn is_initialised(&self) -> bool {
        self.header().magic.load(Ordering::SeqCst) == MAGIC
            && self.header().layout_version.load(Ordering::SeqCst) == LAYOUT_VERSION
    }

    pub fn unit_status(&self, unit: crate::ipc::control::Unit) -> &'m UnitStatus {
        // SAFETY: at most eight status blocks fit in the 4 KiB page (asserted).
        unsafe { self.at(UNIT_STATUS + unit as usize * std::mem::size_of::<UnitStatus>()) }
    }

    pub fn gpu_state(&self) -> &'m GpuState {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(GPU_STATE) }
    }

    pub fn interrupt_context(&self) -> &'m InterruptContext {
        // SAFETY: fixed offset within its own page.
        unsafe { self.at(INTERRUPT_CONTEXT) }
    }

    pub fn guest_time(&self) -> &'m GuestTime {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(GUEST_TIME) }
    }

    /// EDRAM as [`EDRAM_SIZE`] / 4 words; gpu-proc owns its contents (the
    /// words are atomics only so that every process may map them).
    pub fn edram(&self) -> &'m [AtomicU32] {
        // SAFETY: the region lies inside the control area (asserted) and is
        // made only of plain words, valid for any bit pattern.
        unsafe { std::slice::from_raw_parts(self.base.add(EDRAM) as *const AtomicU32, EDRAM_SIZE / 4) }
    }

    pub fn input_state(&self) -> &'m InputState {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(INPUT_STATE) }
    }

    pub fn local_exports(&self) -> &'m LocalExports {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(LOCAL_EXPORTS) }
    }

    pub fn audio_state(&self) -> &'m AudioState {
        // SAFETY: fixed offset checked by the layout assertions.
        unsafe { self.at(AUDIO_STATE) }
    }

    /// GPU register `index` (byte offset in the MMIO window / 4), host-endian.
    /// Panics if `index` is not below [`GPU_REGISTER_COUNT`].
    pub fn gpu_register(&self, index: usize) -> &'m AtomicU32 {
        assert!(index < GPU_REGISTER_COUNT, "GPU register index {index:#x} out of range");
        // SAFETY: index bounded above.
        unsafe { self.at(GPU_REGS + index * 4) }
    }

    /// The whole GPU register file.
    pub fn gpu_registers(&self) -> &'m [AtomicU32; GPU_REGISTER_COUNT] {
        // SAFETY: the register file occupies exactly this many words.
        unsafe { self.at(GPU_REGS) }
    }

    /// Base pointer and length of a ring's region.
    pub fn ring_region(&self, ring: RingId) -> (*mut u8, usize) {
        let index = ring as usize;
        assert!(index < RING_COUNT);
        // SAFETY: within the ring block (asserted above and in the layout).
        (unsafe { self.base.add(RINGS + index * RING_REGION) }, RING_REGION)
    }

    /// Marks the 4 KiB guest page holding `addr` as written.
    #[inline]
    pub fn mark_dirty(&self, addr: u32) {
        let page = (addr >> 12) as usize;
        // SAFETY: 2^20 pages / 32 words fit in the bitmap.
        let word: &AtomicU32 = unsafe { self.at(DIRTY_BITMAP + (page / 32) * 4) };
        let bit = 1u32 << (page % 32);
        if word.load(Ordering::Relaxed) & bit == 0 {
            word.fetch_or(bit, Ordering::Relaxed);
        }
    }

    /// Clears and returns whether the page holding `addr` was written since the last call.
    pub fn take_dirty(&self, addr: u32) -> bool {
        let page = (addr >> 12) as usize;
        // SAFETY: as in `mark_dirty`.
        let word: &AtomicU32 = unsafe { self.at(DIRTY_BITMAP + (page / 32) * 4) };
        let bit = 1u32 << (page % 32);
        word.fetch_and(!bit, Ordering::AcqRel) & bit != 0
    }

    /// Whether the memory manager has allocated the 4 KiB page holding
    /// `addr`. A physical frame is in use when it is allocated through any of
    /// the three physical views.
    #[inline]
    pub fn page_in_use(&self, addr: u32) -> bool {
        if addr < 0xA000_0000 {
            return self.page_state(addr).load(Ordering::Relaxed) != 0;
        }
        let Some(phys) = super::GuestMemory::translate(super::VirtAddr(addr)) else { return false };
        let phys = phys.0;
        let views = [0xA000_0000 | phys, 0xC000_0000 | phys, phys.wrapping_sub(0x1000).wrapping_add(0xE000_0000)];
        let e_view_valid = phys >= 0x1000;
        views
            .iter()
            .enumerate()
            .any(|(i, &v)| (i < 2 || e_view_valid) && self.page_state(v).load(Ordering::Relaxed) != 0)
    }

    /// Page-state word of the 4 KiB guest page holding `addr` (owned by the
    /// kernel's memory manager; 0 = free).
    pub fn page_state(&self, addr: u32) -> &'m AtomicU32 {
        // SAFETY: 2^20 entries of 4 bytes fit the table.
        unsafe { self.at(PAGE_TABLE + (addr >> 12) as usize * 4) }
    }
}

#[cfg(test)]
mod tests {
    use super::Gamepad;
    use crate::memory::GuestMemory;
    use rustix::fd::AsFd;

    #[test]
    fn dirty_bits_are_set_once_and_taken_once() {
        let fd = GuestMemory::create_file().unwrap();
        let m = GuestMemory::map(fd.as_fd()).unwrap();
        let c = m.control();
        assert!(!c.take_dirty(0x8200_1234));
        c.mark_dirty(0x8200_1234);
        c.mark_dirty(0x8200_1FFF);
        assert!(c.take_dirty(0x8200_1000));
        assert!(!c.take_dirty(0x8200_1000));
        assert!(!c.take_dirty(0x8200_2000));
    }

    #[test]
    fn fresh_area_is_not_initialised_until_stamped() {
        let fd = GuestMemory::create_file().unwrap();
        let m = GuestMemory::map(fd.as_fd()).unwrap();
        assert!(!m.control().is_initialised());
        m.control().initialise();
        assert!(m.control().is_initialised());
    }

    #[test]
    fn a_pad_reads_back_what_was_published_and_counts_changes() {
        let fd = GuestMemory::create_file().unwrap();
        let m = GuestMemory::map(fd.as_fd()).unwrap();
        let port = &m.control().input_state().pads[0];
        assert_eq!(port.read(), None, "no pad plugged in at power-on");
        port.set_connected(true);
        let (first, idle) = port.read().unwrap();
        assert_eq!(idle, Gamepad::default());
        let pad = Gamepad {
            buttons: 0x1010,
            left_trigger: 255,
            right_trigger: 1,
            thumb_lx: -32768,
            thumb_ly: 32767,
            thumb_rx: -1,
            thumb_ry: 0,
        };
        port.publish(&pad);
        let (second, read) = port.read().unwrap();
        assert_eq!(read, pad);
        assert_eq!(second, first + 1);
        port.publish(&pad);
        assert_eq!(port.read().unwrap().0, second, "an unchanged state keeps its packet number");
        // A writer that died halfway leaves an odd sequence: readers still get through.
        port.sequence.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(port.read().unwrap().1, pad);
    }

    #[test]
    fn the_guest_gamepad_is_big_endian() {
        let pad = Gamepad { buttons: 0x1234, left_trigger: 5, right_trigger: 6, thumb_lx: -2, ..Default::default() };
        assert_eq!(pad.to_guest(), [0x12, 0x34, 5, 6, 0xFF, 0xFE, 0, 0, 0, 0, 0, 0]);
    }
}
