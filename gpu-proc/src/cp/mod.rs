//! The command processor: consumes the PM4 ring the guest fills and turns
//! it into register writes, memory writes and [`Effect`]s for the rest of
//! the GPU (draws, swaps, CP interrupts, shader microcode loads).
//!
//! Submodules: [`pm4`] (packet headers, opcodes, endian swaps),
//! `execute` (the type-3 handlers), `registers` (register writes and their
//! side effects), [`fuzz`] (the body of the `pm4_ring` fuzz target).
//!
//! # Architectural state
//!
//! Everything that must survive a restart of gpu-proc is in the shared
//! mapping: the ring's set-up (`CP_RB_BASE`, `CP_RB_CNTL`,
//! `CP_RB_RPTR_ADDR`), its pointers (`CP_RB_RPTR`, `CP_RB_WPTR`, in dwords)
//! and the swap counter ([`shared::memory::control::GpuState::cp_swap_count`]).
//! A new command processor resumes at `CP_RB_RPTR`. The read pointer is
//! committed after each packet of the primary ring, so a process killed
//! inside an indirect buffer re-executes that whole buffer (a frame may
//! repeat). Host-side state that a restart loses: the bin mask/select
//! (reset to all-pass), the active shader hashes (re-learned at the next
//! `IM_LOAD`), and the shader constants above the MMIO window (see below).
//!
//! # Bounded work
//!
//! [`CommandProcessor::run`] never blocks for long and never loops forever:
//! it stops after [`Limits::packets_per_run`] packets of the primary ring or
//! [`Limits::dwords_per_run`] dwords in all (returning
//! [`RunOutcome::Budget`]), bounds the work of nested indirect buffers per
//! primary packet ([`Limits::work_per_packet`], depth
//! [`Limits::max_ib_depth`]), and polls a `WAIT_REG_MEM` that is not
//! satisfied [`Limits::wait_polls`] times (fewer once the run has spent its
//! polls on earlier waits). In the primary ring the CP then
//! yields: the read pointer stays on the wait packet and `run` returns
//! [`RunOutcome::Waiting`]; the caller runs it again on the next doorbell or
//! after a short timer. After [`Limits::wait_give_up`] at the same packet
//! (or at once inside an indirect buffer, which cannot be resumed midway)
//! the wait is abandoned with a log line and execution goes on.
//!
//! # Registers above the MMIO window
//!
//! The CP addresses 0x5003 registers (xenia `kRegisterCount`): the shader
//! constants at 0x4000–0x5002 are only reachable through PM4 packets and lie
//! beyond the shared register file's 0x4000 words. Until the shared file
//! grows, they live in this struct; indices below
//! [`shared::memory::control::GPU_REGISTER_COUNT`] always go to the shared file.

mod execute;
pub mod fuzz;
pub mod pm4;
mod registers;
#[cfg(test)]
mod tests;

use crate::registers as regs;
use shared::memory::control::GPU_REGISTER_COUNT;
use shared::memory::{GuestMemory, MemError, PhysAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bounds on the work of one [`CommandProcessor::run`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Primary-ring packets executed before `run` returns [`RunOutcome::Budget`].
    pub packets_per_run: u32,
    /// Dwords (primary and nested) after which `run` returns
    /// [`RunOutcome::Budget`] at the next primary packet.
    pub dwords_per_run: u32,
    /// Dwords of nested indirect buffers one primary packet may execute; the
    /// rest of its buffers is dropped with a log line.
    pub work_per_packet: u32,
    /// Nesting of indirect buffers (the console has two levels).
    pub max_ib_depth: u32,
    /// Polls of an unsatisfied `WAIT_REG_MEM` before yielding (each after a
    /// thread yield); one run polls at most four times this in all, then
    /// each further wait polls once.
    pub wait_polls: u32,
    /// How long a primary-ring `WAIT_REG_MEM` may keep the ring stalled
    /// before it is abandoned.
    pub wait_give_up: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            packets_per_run: 1 << 16,
            dwords_per_run: 1 << 22,
            work_per_packet: 1 << 22,
            max_ib_depth: 4,
            wait_polls: 64,
            wait_give_up: Duration::from_secs(2),
        }
    }
}

/// How a [`CommandProcessor::run`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// The ring is not set up (`CP_RB_BASE` and `CP_RB_CNTL` are zero).
    NotConfigured,
    /// The read pointer reached the write pointer, or the next packet is
    /// not completely written yet.
    Idle,
    /// The packet budget ran out with work left: run again.
    Budget,
    /// A primary packet swapped (its [`Effect::Swap`] is the last effect):
    /// capture the front buffer, then run again. Stopping here keeps later
    /// packets (the next frame's resolves) from overwriting the front
    /// buffer before it is captured.
    Swapped,
    /// Stalled on a `WAIT_REG_MEM`: run again on the next doorbell or soon.
    Waiting,
    /// The ring's set-up or contents are unusable; the unread part of the
    /// ring was dropped (logged).
    Fault,
}

/// Something the command processor asks of the rest of the GPU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `PM4_INTERRUPT`: raise the CP interrupt (source 1 of the graphics
    /// interrupt callback) on each hardware thread whose bit is set.
    Interrupt { cpu_mask: u32 },
    /// The swap packet of `VdSwap`: present this front buffer.
    Swap(Swap),
    /// `DRAW_INDX` / `DRAW_INDX_2`.
    Draw(Draw),
    /// `IM_LOAD` / `IM_LOAD_IMMEDIATE`: shader microcode for a stage.
    ShaderLoad(ShaderLoad),
}

/// A swap request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Swap {
    /// Physical address of the front buffer.
    pub frontbuffer: PhysAddr,
    pub width: u32,
    pub height: u32,
    /// Texture fetch constant 0 (six words) when the swap executed: the
    /// front buffer's format, pitch and tiling (`VdSwap` writes it first).
    pub texture_fetch: [u32; 6],
    /// Value of the swap counter after this swap.
    pub count: u32,
}

impl Swap {
    /// The front buffer's texture format (xenos `TextureFormat`, bits 0–5
    /// of fetch word 1: 6 is `k_8_8_8_8`, 54 `k_2_10_10_10_AS_16_16_16_16`).
    pub fn format(&self) -> u32 {
        self.texture_fetch[1] & 0x3F
    }

    /// Whether the front buffer is tiled (bit 31 of fetch word 0).
    pub fn tiled(&self) -> bool {
        self.texture_fetch[0] & 0x8000_0000 != 0
    }
}

/// Where a draw's indices come from (`VGT_DRAW_INITIATOR.SOURCE_SELECT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexSource {
    /// An index buffer in memory.
    Dma,
    /// Indices inside the packet (not decoded yet; they are skipped).
    Immediate,
    /// 0, 1, 2, … generated by the GPU.
    Auto,
    /// The reserved value 3.
    Invalid,
}

/// An index buffer in guest memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexBuffer {
    pub base: PhysAddr,
    /// 4-byte indices when true, 2-byte otherwise.
    pub index_32bit: bool,
    /// Endian swap of each index (`VGT_DMA_SIZE.SWAP_MODE`).
    pub endian: pm4::Endian,
    /// Size of the buffer in indices (`VGT_DMA_SIZE.NUM_WORDS`).
    pub words: u32,
}

/// A draw call as the command processor saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw {
    /// `VGT_DRAW_INITIATOR` as written.
    pub initiator: u32,
    /// Primitive type (xenos `PrimitiveType`: 4 triangle list, 8 rectangle list…).
    pub primitive: u32,
    pub source: IndexSource,
    pub index_count: u32,
    pub index_buffer: Option<IndexBuffer>,
    /// Visibility-query token of `DRAW_INDX` (0 for `DRAW_INDX_2`).
    pub viz_query: u32,
    /// Hashes of the microcode last loaded for each stage.
    pub vertex_shader: Option<u64>,
    pub pixel_shader: Option<u64>,
    /// Hash of the context registers (0x2000–0x23FF) and all shader
    /// constants when the draw executed: equal hashes mean equal state.
    pub state_hash: u64,
}

/// Shader stage of an `IM_LOAD` (xenia `ShaderType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShaderStage {
    Vertex,
    Pixel,
}

/// Shader microcode loaded into the sequencer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShaderLoad {
    pub stage: ShaderStage,
    /// Where it came from (`None`: embedded in the packet).
    pub address: Option<PhysAddr>,
    pub microcode: Vec<u32>,
    pub hash: u64,
}

/// Counters for logs and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub packets: u64,
    pub malformed: u64,
    /// Draws in copy mode executed as resolves.
    pub resolves: u64,
}

/// Why a packet could not be executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CpError {
    #[error("GPU memory access failed: {0}")]
    Memory(#[from] MemError),
    #[error("ring buffer size field {0} is out of range")]
    RingSize(u32),
    #[error("ring buffer at {base:#x} of {bytes:#x} bytes runs past physical memory")]
    RingRange { base: u32, bytes: u64 },
}

/// What executing one packet led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Done,
    /// The packet runs past the data available; nothing consumed.
    Incomplete,
    /// A `WAIT_REG_MEM` yields; nothing consumed.
    Wait,
}

/// A window of dwords in physical memory, read in order, wrapping at `size`.
#[derive(Clone, Copy, Debug)]
struct Stream {
    base: u32,
    /// Wrap modulus in dwords (a power of two for the ring).
    size: u32,
    pos: u32,
    /// Dwords left to read.
    left: u32,
}

impl Stream {
    fn read(&mut self, memory: &GuestMemory) -> Result<u32, CpError> {
        let at = self.base.wrapping_add((self.pos % self.size) * 4);
        let value = memory.read_u32(GuestMemory::physical_view(PhysAddr(at))?)?;
        self.pos = (self.pos + 1) % self.size;
        self.left -= 1;
        Ok(value)
    }
}

/// Physical memory ends here (512 MiB).
const PHYSICAL_END: u64 = 0x2000_0000;
/// `CP_RB_CNTL` fields (R6xx layout): `RB_BUFSZ` (size is 2^(n+3) bytes),
/// `RB_BLKSZ`, and `RB_NO_UPDATE` (no read-pointer write-back).
pub const RB_BUFSZ_MASK: u32 = 0x3F;
pub const RB_BLKSZ_SHIFT: u32 = 8;
pub const RB_NO_UPDATE: u32 = 1 << 27;

/// The command processor of one gpu-proc.
pub struct CommandProcessor {
    memory: Arc<GuestMemory>,
    limits: Limits,
    effects: Vec<Effect>,
    /// Registers `GPU_REGISTER_COUNT..CP_REGISTER_COUNT` (see the module doc).
    extended: Box<[u32]>,
    bin_mask: u64,
    bin_select: u64,
    vertex_shader: Option<u64>,
    pixel_shader: Option<u64>,
    /// Primary-ring position of the packet being executed.
    packet_rptr: u32,
    /// The primary-ring wait the CP is stalled on, and since when.
    waiting: Option<(u32, Instant)>,
    /// Nested-buffer dwords left to the current primary packet.
    work_left: u32,
    /// Dwords executed by the current run.
    dwords_done: u64,
    /// `WAIT_REG_MEM` polls left to the current run.
    polls_left: u32,
    unknown_logged: [bool; 128],
    ring_fault_logged: bool,
    /// Whether draws touch EDRAM and memory (off for the fallback GPU).
    rendering: bool,
    /// Resolve refusals already logged (each distinct reason once).
    resolve_logged: std::collections::HashSet<String>,
    stats: Stats,
}

impl CommandProcessor {
    pub fn new(memory: Arc<GuestMemory>) -> CommandProcessor {
        CommandProcessor::with_limits(memory, Limits::default())
    }

    pub fn with_limits(memory: Arc<GuestMemory>, limits: Limits) -> CommandProcessor {
        let extended = vec![0; (regs::CP_REGISTER_COUNT as usize).saturating_sub(GPU_REGISTER_COUNT)];
        CommandProcessor {
            memory,
            limits,
            effects: Vec::new(),
            extended: extended.into_boxed_slice(),
            bin_mask: 0xFFFF_FFFF,
            bin_select: 0xFFFF_FFFF,
            vertex_shader: None,
            pixel_shader: None,
            packet_rptr: 0,
            waiting: None,
            work_left: 0,
            dwords_done: 0,
            polls_left: 0,
            unknown_logged: [false; 128],
            ring_fault_logged: false,
            rendering: true,
            resolve_logged: std::collections::HashSet::new(),
            stats: Stats::default(),
        }
    }

    /// Takes the effects produced since the last call, in ring order.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Turns EDRAM work (resolves, clears) on or off; the fallback GPU
    /// executes the ring without it.
    pub fn set_rendering(&mut self, rendering: bool) {
        self.rendering = rendering;
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Executes the primary ring from `CP_RB_RPTR` up to `CP_RB_WPTR`
    /// (within the budget), commits the read pointer and writes it back to
    /// guest memory when write-back is enabled.
    pub fn run(&mut self) -> RunOutcome {
        let memory = self.memory.clone();
        let control = memory.control();
        let base = control.gpu_register(regs::CP_RB_BASE as usize).load(Ordering::Acquire) & 0x1FFF_FFFF;
        let cntl = control.gpu_register(regs::CP_RB_CNTL as usize).load(Ordering::Acquire);
        if base == 0 && cntl == 0 {
            return RunOutcome::NotConfigured;
        }
        let size = match ring_dwords(base, cntl) {
            Ok(size) => size,
            Err(err) => {
                if !self.ring_fault_logged {
                    tracing::error!("command processor: {err}; the ring is not executed");
                    self.ring_fault_logged = true;
                }
                return RunOutcome::Fault;
            }
        };
        let rptr_reg = control.gpu_register(regs::CP_RB_RPTR as usize);
        let wptr = control.gpu_register(regs::CP_RB_WPTR as usize).load(Ordering::Acquire);
        if wptr >= size && !self.ring_fault_logged {
            tracing::warn!("command processor: write pointer {wptr:#x} is past the {size:#x}-dword ring; wrapped");
            self.ring_fault_logged = true;
        }
        let wptr = wptr % size;
        let mut rptr = rptr_reg.load(Ordering::Acquire) % size;
        let mut packets = 0;
        self.dwords_done = 0;
        self.polls_left = self.limits.wait_polls.saturating_mul(4);
        let outcome = loop {
            if rptr == wptr {
                break RunOutcome::Idle;
            }
            if packets >= self.limits.packets_per_run || self.dwords_done >= self.limits.dwords_per_run as u64 {
                break RunOutcome::Budget;
            }
            packets += 1;
            let mut stream = Stream { base, size, pos: rptr, left: (wptr + size - rptr) % size };
            self.packet_rptr = rptr;
            self.work_left = self.limits.work_per_packet;
            let effects_before = self.effects.len();
            match self.packet(&mut stream, 0) {
                Ok(Step::Done) => {
                    rptr = stream.pos;
                    if self.effects[effects_before..].iter().any(|e| matches!(e, Effect::Swap(_))) {
                        break RunOutcome::Swapped;
                    }
                }
                Ok(Step::Incomplete) => {
                    // A header announcing more than the ring can ever hold
                    // would stall it for good: drop the rest instead.
                    let announced = Header::decode(self.peek(base, rptr).unwrap_or(0)).body_len();
                    if announced + 1 >= size {
                        self.stats.malformed += 1;
                        tracing::error!(
                            "command processor: packet at ring dword {rptr:#x} announces {announced} words, more than \
                             the ring holds; dropped the rest of the ring"
                        );
                        rptr = wptr;
                        break RunOutcome::Fault;
                    }
                    break RunOutcome::Idle;
                }
                Ok(Step::Wait) => break RunOutcome::Waiting,
                Err(err) => {
                    self.stats.malformed += 1;
                    tracing::error!("command processor: {err} at ring dword {rptr:#x}; dropped the rest of the ring");
                    rptr = wptr;
                    break RunOutcome::Fault;
                }
            }
            rptr_reg.store(rptr, Ordering::Release);
        };
        rptr_reg.store(rptr, Ordering::Release);
        self.write_back_rptr(rptr);
        outcome
    }

    fn peek(&self, base: u32, pos: u32) -> Result<u32, CpError> {
        Ok(self.memory.read_u32(GuestMemory::physical_view(PhysAddr(base.wrapping_add(pos * 4)))?)?)
    }

    fn write_back_rptr(&self, rptr: u32) {
        let control = self.memory.control();
        let cntl = control.gpu_register(regs::CP_RB_CNTL as usize).load(Ordering::Relaxed);
        let addr = control.gpu_register(regs::CP_RB_RPTR_ADDR as usize).load(Ordering::Relaxed) & 0x1FFF_FFFC;
        if addr != 0 && cntl & RB_NO_UPDATE == 0 {
            if let Ok(at) = GuestMemory::physical_view(PhysAddr(addr)) {
                let _ = self.memory.write_u32(at, rptr);
            }
        }
    }

    /// Executes `dwords` words at `base` as an indirect buffer would be
    /// (for tests and tools; the ring reaches it through `INDIRECT_BUFFER`).
    pub fn execute_buffer(&mut self, base: PhysAddr, dwords: u32) {
        self.work_left = self.limits.work_per_packet;
        self.polls_left = self.limits.wait_polls.saturating_mul(4);
        self.indirect_buffer(base.0, dwords, 1);
    }

    /// Runs the packets of an indirect buffer at nesting `depth` (≥ 1).
    fn indirect_buffer(&mut self, base: u32, dwords: u32, depth: u32) {
        if depth > self.limits.max_ib_depth {
            self.stats.malformed += 1;
            tracing::error!(
                "command processor: indirect buffers nested deeper than {}; skipped",
                self.limits.max_ib_depth
            );
            return;
        }
        let base = base & 0x1FFF_FFFC;
        if base as u64 + dwords as u64 * 4 > PHYSICAL_END || dwords == 0 {
            if dwords != 0 {
                self.stats.malformed += 1;
                tracing::error!("command processor: indirect buffer {base:#x}+{dwords:#x} runs past memory; skipped");
            }
            return;
        }
        let mut stream = Stream { base, size: dwords, pos: 0, left: dwords };
        while stream.left > 0 {
            if self.work_left == 0 {
                self.stats.malformed += 1;
                tracing::error!(
                    "command processor: indirect buffers of one packet exceed {} dwords; the rest is dropped",
                    self.limits.work_per_packet
                );
                return;
            }
            let before = stream.left;
            match self.packet(&mut stream, depth) {
                Ok(Step::Done) => {}
                Ok(Step::Incomplete) => {
                    self.stats.malformed += 1;
                    tracing::error!("command processor: last packet of indirect buffer {base:#x} is truncated");
                    return;
                }
                Ok(Step::Wait) => unreachable!("waits yield only in the primary ring"),
                Err(err) => {
                    self.stats.malformed += 1;
                    tracing::error!("command processor: {err} in indirect buffer {base:#x}; rest skipped");
                    return;
                }
            }
            self.work_left = self.work_left.saturating_sub(before - stream.left);
        }
    }

    /// Reads and executes one packet. On `Incomplete` or `Wait` the stream
    /// may have moved; the caller discards it.
    fn packet(&mut self, stream: &mut Stream, depth: u32) -> Result<Step, CpError> {
        let word = stream.read(&self.memory)?;
        let header = Header::decode(word);
        let len = header.body_len();
        if len > stream.left {
            return Ok(Step::Incomplete);
        }
        self.stats.packets += 1;
        self.dwords_done += 1 + len as u64;
        let mut body = Vec::with_capacity(len as usize);
        for _ in 0..len {
            body.push(stream.read(&self.memory)?);
        }
        match header {
            Header::Type0 { base, count, one_register } => {
                for (i, &value) in body.iter().enumerate().take(count as usize) {
                    let index = if one_register { base } else { base + i as u32 };
                    self.write_register(index, value);
                }
                Ok(Step::Done)
            }
            Header::Type1 { first, second } => {
                self.write_register(first, body[0]);
                self.write_register(second, body[1]);
                Ok(Step::Done)
            }
            Header::Type2 => Ok(Step::Done),
            Header::Type3 { opcode, predicated, .. } => {
                if predicated && (self.bin_select & self.bin_mask == 0 || opcode == pm4::op::XE_SWAP) {
                    return Ok(Step::Done);
                }
                self.type3(opcode, &body, depth)
            }
        }
    }

    fn malformed(&mut self, what: &str, body: &[u32]) -> Result<Step, CpError> {
        self.stats.malformed += 1;
        tracing::warn!("command processor: {what} with {} body words; skipped", body.len());
        Ok(Step::Done)
    }
}

pub use pm4::Endian;
use pm4::Header;

/// Size of the ring in dwords from `CP_RB_CNTL`, checked against memory.
fn ring_dwords(base: u32, cntl: u32) -> Result<u32, CpError> {
    let bufsz = cntl & RB_BUFSZ_MASK;
    // 2^(bufsz+3) bytes; physical memory holds at most 2^29.
    if bufsz > 26 {
        return Err(CpError::RingSize(bufsz));
    }
    let bytes = 1u64 << (bufsz + 3);
    if base as u64 + bytes > PHYSICAL_END {
        return Err(CpError::RingRange { base, bytes });
    }
    Ok((bytes / 4) as u32)
}

/// FNV-1a over words, for draw-state and microcode hashes.
fn hash_words(hash: u64, words: impl IntoIterator<Item = u32>) -> u64 {
    let mut h = hash;
    for w in words {
        for b in w.to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    h
}

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
