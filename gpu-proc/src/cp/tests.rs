//! Rings built in guest memory by hand, run through the command processor.

use super::pm4::{op, type0, type0_one_register, type3, SWAP_SIGNATURE, TYPE2};
use super::*;
use shared::memory::VirtAddr;
use std::os::fd::AsFd;

const RING: u32 = 0x0010_0000;
/// 2^(7+3) bytes = 256 dwords.
const RING_BUFSZ: u32 = 7;
const RING_DWORDS: u32 = 256;
const WRITE_BACK: u32 = 0x0000_2000;

struct Rig {
    memory: Arc<GuestMemory>,
    cp: CommandProcessor,
    wptr: u32,
}

fn view(phys: u32) -> VirtAddr {
    VirtAddr(0xA000_0000 | phys)
}

impl Rig {
    fn new() -> Rig {
        Rig::with_limits(Limits { wait_polls: 2, wait_give_up: Duration::from_secs(3600), ..Limits::default() })
    }

    fn with_limits(limits: Limits) -> Rig {
        let fd = GuestMemory::create_file().unwrap();
        let memory = Arc::new(GuestMemory::map(fd.as_fd()).unwrap());
        let rig = Rig { cp: CommandProcessor::with_limits(memory.clone(), limits), memory, wptr: 0 };
        rig.set(regs::CP_RB_BASE, RING);
        rig.set(regs::CP_RB_CNTL, RING_BUFSZ);
        rig.set(regs::CP_RB_RPTR_ADDR, WRITE_BACK);
        rig
    }

    fn reg(&self, index: u32) -> u32 {
        self.memory.control().gpu_register(index as usize).load(Ordering::SeqCst)
    }

    fn set(&self, index: u32, value: u32) {
        self.memory.control().gpu_register(index as usize).store(value, Ordering::SeqCst);
    }

    fn word(&self, phys: u32) -> u32 {
        self.memory.read_u32(view(phys)).unwrap()
    }

    fn poke(&self, phys: u32, value: u32) {
        self.memory.write_u32(view(phys), value).unwrap();
    }

    /// Appends words to the ring (wrapping) without ringing the doorbell.
    fn push(&mut self, words: &[u32]) {
        for &w in words {
            self.poke(RING + (self.wptr % RING_DWORDS) * 4, w);
            self.wptr = (self.wptr + 1) % RING_DWORDS;
        }
    }

    /// Appends words, moves the write pointer and runs the CP.
    fn submit(&mut self, words: &[u32]) -> RunOutcome {
        self.push(words);
        self.set(regs::CP_RB_WPTR, self.wptr);
        self.cp.run()
    }
}

#[test]
fn an_unconfigured_ring_is_not_run() {
    let fd = GuestMemory::create_file().unwrap();
    let memory = Arc::new(GuestMemory::map(fd.as_fd()).unwrap());
    assert_eq!(CommandProcessor::new(memory).run(), RunOutcome::NotConfigured);
}

#[test]
fn type0_packets_write_registers_in_sequence_or_repeatedly() {
    let mut rig = Rig::new();
    let out = rig.submit(&[type0(0x2100, 3), 1, 2, 3, type0_one_register(0x2200, 2), 7, 8, TYPE2]);
    assert_eq!(out, RunOutcome::Idle);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101), rig.reg(0x2102)), (1, 2, 3));
    assert_eq!((rig.reg(0x2200), rig.reg(0x2201)), (8, 0));
}

#[test]
fn read_pointer_reaches_the_write_pointer_and_is_written_back() {
    let mut rig = Rig::new();
    rig.submit(&[type3(op::NOP, 3), 0, 0, 0, TYPE2]);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 5);
    assert_eq!(rig.word(WRITE_BACK), 5);
}

#[test]
fn no_write_back_while_rb_no_update_is_set() {
    let mut rig = Rig::new();
    rig.set(regs::CP_RB_CNTL, RING_BUFSZ | RB_NO_UPDATE);
    rig.submit(&[TYPE2, TYPE2]);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 2);
    assert_eq!(rig.word(WRITE_BACK), 0);
}

#[test]
fn packets_that_straddle_the_end_of_the_ring_wrap_around() {
    let mut rig = Rig::new();
    rig.push(&vec![TYPE2; RING_DWORDS as usize - 2]);
    rig.set(regs::CP_RB_WPTR, rig.wptr);
    rig.cp.run();
    assert_eq!(rig.submit(&[type0(0x2100, 2), 0xAA, 0xBB]), RunOutcome::Idle);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101)), (0xAA, 0xBB));
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 1);
}

#[test]
fn a_packet_not_completely_written_waits_for_the_rest() {
    let mut rig = Rig::new();
    assert_eq!(rig.submit(&[type0(0x2100, 2), 5]), RunOutcome::Idle);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 0);
    assert_eq!(rig.reg(0x2100), 0);
    rig.submit(&[6]);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101)), (5, 6));
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 3);
}

#[test]
fn a_header_longer_than_the_ring_drops_the_ring_instead_of_stalling() {
    let mut rig = Rig::new();
    assert_eq!(rig.submit(&[type3(op::NOP, 0x1000), 1, 2]), RunOutcome::Fault);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 3);
    assert!(rig.cp.stats().malformed > 0);
}

#[test]
fn mem_write_honours_the_endian_bits_of_the_address() {
    let mut rig = Rig::new();
    rig.submit(&[type3(op::MEM_WRITE, 3), 0x3000 | 2, 0x1122_3344, 0x5566_7788]);
    rig.submit(&[type3(op::MEM_WRITE, 2), 0x3010, 0x1122_3344]);
    assert_eq!(rig.word(0x3000), 0x1122_3344);
    assert_eq!(rig.word(0x3004), 0x5566_7788);
    // No swap: the GPU's little-endian word as the big-endian guest sees it.
    assert_eq!(rig.word(0x3010), 0x4433_2211);
}

#[test]
fn indirect_buffers_run_nested_and_a_self_referencing_one_is_bounded() {
    let mut rig = Rig::new();
    let ib2 = 0x5000;
    rig.poke(ib2, type0(0x2101, 1));
    rig.poke(ib2 + 4, 0x22);
    let ib1 = 0x4000;
    for (i, w) in [type0(0x2100, 1), 0x11, type3(op::INDIRECT_BUFFER_PFD, 2), ib2, 2].iter().enumerate() {
        rig.poke(ib1 + 4 * i as u32, *w);
    }
    rig.submit(&[type3(op::INDIRECT_BUFFER, 2), 0xA000_0000 | ib1, 5]);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101)), (0x11, 0x22));

    // A buffer that calls itself stops at the depth limit.
    let looping = 0x6000;
    for (i, w) in [type3(op::INDIRECT_BUFFER, 2), looping, 4, type3(op::MEM_WRITE, 2), 0x7000 | 2, 1].iter().enumerate()
    {
        rig.poke(looping + 4 * i as u32, *w);
    }
    rig.poke(looping + 8, 6);
    assert_eq!(rig.submit(&[type3(op::INDIRECT_BUFFER, 2), looping, 6, TYPE2]), RunOutcome::Idle);
    assert_eq!(rig.word(0x7000), 1);
    assert!(rig.cp.stats().malformed > 0);
}

#[test]
fn an_indirect_buffer_past_physical_memory_is_skipped() {
    let mut rig = Rig::new();
    assert_eq!(rig.submit(&[type3(op::INDIRECT_BUFFER, 2), 0x1FFF_FFF0, 0x100, type0(0x2100, 1), 9]), RunOutcome::Idle);
    assert_eq!(rig.reg(0x2100), 9);
}

#[test]
fn wait_reg_mem_on_memory_yields_and_resumes_on_a_later_run() {
    let mut rig = Rig::new();
    let fence = 0x3100;
    // Wait until the big-endian word at `fence` equals 7, then write a register.
    let wait = [type3(op::WAIT_REG_MEM, 5), 0x10 | 3, fence | 2, 7, 0xFFFF_FFFF, 0x100];
    let out = rig.submit(&[&wait[..], &[type0(0x2100, 1), 1]].concat());
    assert_eq!(out, RunOutcome::Waiting);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 0);
    assert_eq!(rig.reg(0x2100), 0);
    rig.poke(fence, 7);
    assert_eq!(rig.cp.run(), RunOutcome::Idle);
    assert_eq!(rig.reg(0x2100), 1);
}

#[test]
fn a_wait_that_is_never_satisfied_is_abandoned_after_the_give_up_time() {
    let mut rig = Rig::with_limits(Limits { wait_polls: 1, wait_give_up: Duration::ZERO, ..Limits::default() });
    // Function 0: never.
    let out = rig.submit(&[type3(op::WAIT_REG_MEM, 5), 0, 0x2100, 0, 0, 0, type0(0x2101, 1), 3]);
    assert_eq!(out, RunOutcome::Idle);
    assert_eq!(rig.reg(0x2101), 3);
}

#[test]
fn wait_on_coher_status_host_is_satisfied_once_the_cp_makes_memory_coherent() {
    let mut rig = Rig::new();
    let out = rig.submit(&[
        type0(regs::COHER_STATUS_HOST, 1),
        0x0300_0000,
        type3(op::WAIT_REG_MEM, 5),
        3,
        regs::COHER_STATUS_HOST,
        0,
        0x8000_0000,
        0x100,
    ]);
    assert_eq!(out, RunOutcome::Idle);
    assert_eq!(rig.reg(regs::COHER_STATUS_HOST), 0);
}

#[test]
fn reg_rmw_and_cond_write_combine_registers_and_memory() {
    let mut rig = Rig::new();
    // REG_RMW reaches registers below 0x2000 (a 13-bit index).
    rig.set(0x1F00, 0xF0F0);
    rig.set(0x2101, 0x000F);
    rig.set(0x0101, 0x0F00);
    // 0x1F00 = (0x1F00 & 0xFF00) | reg 0x101.
    rig.submit(&[type3(op::REG_RMW, 3), 0x4000_0000 | 0x1F00, 0xFF00, 0x0101]);
    assert_eq!(rig.reg(0x1F00), 0xFF00);
    // If register 0x2101 == 0xF, write 0xCAFE big-endian to memory.
    rig.submit(&[type3(op::COND_WRITE, 6), 0x100 | 3, 0x2101, 0xF, !0, 0x3200 | 2, 0xCAFE]);
    assert_eq!(rig.word(0x3200), 0xCAFE);
    // A false condition writes nothing.
    rig.submit(&[type3(op::COND_WRITE, 6), 3, 0x2101, 0xE, !0, 0x2102, 1]);
    assert_eq!(rig.reg(0x2102), 0);
}

#[test]
fn event_writes_record_the_initiator_and_write_their_fence() {
    let mut rig = Rig::new();
    rig.submit(&[type3(op::EVENT_WRITE_SHD, 3), 0x14, 0x3300 | 2, 0x1234]);
    assert_eq!(rig.reg(regs::VGT_EVENT_INITIATOR), 0x14);
    assert_eq!(rig.word(0x3300), 0x1234);
    rig.memory.control().gpu_state().cp_swap_count.store(41, Ordering::SeqCst);
    rig.submit(&[type3(op::EVENT_WRITE_SHD, 3), 0x8000_0014, 0x3304 | 2, 0]);
    assert_eq!(rig.word(0x3304), 41);
    rig.submit(&[type3(op::EVENT_WRITE_EXT, 2), 0x15, 0x3400 | 1]);
    assert_eq!(rig.memory.read_u16(view(0x3402)).unwrap(), 1024);
    assert_eq!(rig.memory.read_u16(view(0x340A)).unwrap(), 1);
    rig.submit(&[type3(op::EVENT_WRITE, 1), 0x3F]);
    assert_eq!(rig.reg(regs::VGT_EVENT_INITIATOR), 0x3F);
}

#[test]
fn interrupt_and_swap_packets_become_effects() {
    let mut rig = Rig::new();
    let swap = [
        type0(regs::SHADER_CONSTANT_FETCH_00_0, 6),
        1,
        2,
        3,
        4,
        5,
        6,
        type3(op::XE_SWAP, 4),
        SWAP_SIGNATURE,
        0x0800_0000,
        1280,
        720,
    ];
    assert_eq!(rig.submit(&[&[type3(op::INTERRUPT, 1), 0b100][..], &swap[..]].concat()), RunOutcome::Swapped);
    let effects = rig.cp.take_effects();
    assert_eq!(effects[0], Effect::Interrupt { cpu_mask: 0b100 });
    assert_eq!(
        effects[1],
        Effect::Swap(Swap {
            frontbuffer: PhysAddr(0x0800_0000),
            width: 1280,
            height: 720,
            texture_fetch: [1, 2, 3, 4, 5, 6],
            count: 1
        })
    );
    assert_eq!(rig.memory.control().gpu_state().cp_swap_count.load(Ordering::SeqCst), 1);
    assert!(rig.cp.take_effects().is_empty());
}

#[test]
fn a_run_stops_after_a_swap_so_the_front_buffer_is_captured_before_the_next_frame() {
    let mut rig = Rig::new();
    let swap = [type3(op::XE_SWAP, 4), SWAP_SIGNATURE, 0x0800_0000, 1280, 720];
    // Two frames queued at once: swap, then a register write standing for
    // the next frame's resolve, then the second swap.
    let ring = [&swap[..], &[type0(0x2100, 1), 7][..], &swap[..]].concat();
    assert_eq!(rig.submit(&ring), RunOutcome::Swapped);
    assert_eq!(rig.cp.take_effects().len(), 1);
    assert_eq!(rig.reg(0x2100), 0, "nothing after the swap ran yet");
    assert_eq!(rig.cp.run(), RunOutcome::Swapped);
    assert_eq!(rig.reg(0x2100), 7);
    assert_eq!(rig.cp.take_effects().len(), 1);
    assert_eq!(rig.cp.run(), RunOutcome::Idle);
}

#[test]
fn constants_land_in_their_banks_including_those_above_the_mmio_window() {
    let mut rig = Rig::new();
    // Fetch constant 2 (type 1), context register 0x2005 (type 4).
    rig.submit(&[type3(op::SET_CONSTANT, 3), 1 << 16 | 6, 0xAB, 0xCD]);
    rig.submit(&[type3(op::SET_CONSTANT, 2), 4 << 16 | 5, 0x77]);
    rig.submit(&[type3(op::SET_CONSTANT2, 2), 0x2010, 0x99]);
    rig.submit(&[type3(op::SET_SHADER_CONSTANTS, 2), 0x2011, 0x98]);
    rig.poke(0x3500, 0x3F80_0000);
    rig.poke(0x3504, 0x4000_0000);
    rig.submit(&[type3(op::LOAD_ALU_CONSTANT, 3), 0x3500, 4, 2]);
    assert_eq!(rig.cp.read_register(regs::SHADER_CONSTANT_FETCH_00_0 + 6), 0xAB);
    assert_eq!(rig.cp.read_register(regs::SHADER_CONSTANT_FETCH_00_0 + 7), 0xCD);
    assert_eq!(rig.reg(0x2005), 0x77);
    assert_eq!((rig.reg(0x2010), rig.reg(0x2011)), (0x99, 0x98));
    assert_eq!(rig.cp.read_register(regs::SHADER_CONSTANT_000_X + 4), 0x3F80_0000);
    assert_eq!(rig.cp.read_register(regs::SHADER_CONSTANT_000_X + 5), 0x4000_0000);
    // The constants live in the shared register file: a command processor
    // started after a gpu-proc restart sees them.
    let restarted = CommandProcessor::new(rig.memory.clone());
    assert_eq!(restarted.read_register(regs::SHADER_CONSTANT_FETCH_00_0 + 6), 0xAB);
    assert_eq!(restarted.read_register(regs::SHADER_CONSTANT_000_X + 5), 0x4000_0000);
}

#[test]
fn draws_are_recorded_with_their_index_buffer_shaders_and_state() {
    let mut rig = Rig::new();
    rig.poke(0x3600, 0xDEAD_BEEF);
    rig.submit(&[type3(op::IM_LOAD, 2), 0x3600, 1]);
    rig.submit(&[type3(op::IM_LOAD_IMMEDIATE, 4), 1, 2, 0x1111, 0x2222]);
    // Indexed triangle list of 6 16-bit indices at 0x8000, 8-in-16 swapped.
    let initiator = 6 << 16 | 4;
    rig.submit(&[type3(op::DRAW_INDX, 4), 0, initiator, 0x8000, 1 << 30 | 6]);
    // Auto-indexed rectangle list, then the same draw again with other state.
    rig.submit(&[type3(op::DRAW_INDX_2, 1), 3 << 16 | 2 << 6 | 8]);
    rig.submit(&[type0(0x2100, 1), 5, type3(op::DRAW_INDX_2, 1), 3 << 16 | 2 << 6 | 8]);
    let effects = rig.cp.take_effects();
    let Effect::ShaderLoad(vs) = &effects[0] else { panic!("{effects:?}") };
    let Effect::ShaderLoad(ps) = &effects[1] else { panic!("{effects:?}") };
    assert_eq!(
        (vs.stage, vs.address, &vs.microcode[..]),
        (ShaderStage::Vertex, Some(PhysAddr(0x3600)), &[0xDEAD_BEEF][..])
    );
    assert_eq!((ps.stage, ps.address, &ps.microcode[..]), (ShaderStage::Pixel, None, &[0x1111, 0x2222][..]));
    let Effect::Draw(indexed) = effects[2] else { panic!() };
    assert_eq!(indexed.primitive, 4);
    assert_eq!(indexed.index_count, 6);
    assert_eq!(
        indexed.index_buffer,
        Some(IndexBuffer { base: PhysAddr(0x8000), index_32bit: false, endian: Endian::Swap8In16, words: 6 })
    );
    assert_eq!((indexed.vertex_shader, indexed.pixel_shader), (Some(vs.hash), Some(ps.hash)));
    assert_eq!(rig.reg(regs::VGT_DMA_BASE), 0x8000);
    let (Effect::Draw(a), Effect::Draw(b)) = (&effects[3], &effects[4]) else { panic!() };
    assert_eq!((a.source, a.primitive, a.index_count, a.index_buffer), (IndexSource::Auto, 8, 3, None));
    assert_ne!(a.state_hash, b.state_hash);
}

#[test]
fn unknown_opcodes_and_short_bodies_are_skipped_by_their_count() {
    let mut rig = Rig::new();
    let out =
        rig.submit(&[type3(0x7E, 3), type0(0x2100, 1), 1, 2, type3(op::WAIT_REG_MEM, 2), 0, 0, type0(0x2101, 1), 4]);
    assert_eq!(out, RunOutcome::Idle);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101)), (0, 4));
    assert_eq!(rig.cp.stats().malformed, 1);
}

#[test]
fn the_packet_budget_returns_early_and_the_next_run_continues() {
    let mut rig = Rig::with_limits(Limits { packets_per_run: 2, ..Limits::default() });
    assert_eq!(rig.submit(&[TYPE2, TYPE2, TYPE2, type0(0x2100, 1), 1]), RunOutcome::Budget);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 2);
    assert_eq!(rig.word(WRITE_BACK), 2);
    assert_eq!(rig.cp.run(), RunOutcome::Idle);
    assert_eq!(rig.reg(0x2100), 1);
}

#[test]
fn the_dword_budget_counts_nested_buffers() {
    let mut rig = Rig::with_limits(Limits { dwords_per_run: 16, ..Limits::default() });
    let ib = 0x4000;
    rig.poke(ib, type3(op::NOP, 31));
    assert_eq!(rig.submit(&[type3(op::INDIRECT_BUFFER, 2), ib, 32, TYPE2]), RunOutcome::Budget);
    assert_eq!(rig.reg(regs::CP_RB_RPTR), 3);
    assert_eq!(rig.cp.run(), RunOutcome::Idle);
}

#[test]
fn many_unsatisfiable_waits_inside_an_indirect_buffer_share_one_poll_budget() {
    let mut rig = Rig::with_limits(Limits { wait_polls: 8, ..Limits::default() });
    let ib = 0x10_0000 + RING_DWORDS * 4;
    let wait = [type3(op::WAIT_REG_MEM, 5), 0, 0x2100, 0, 0, 0];
    for i in 0..1000u32 {
        for (j, w) in wait.iter().enumerate() {
            rig.poke(ib + 4 * (6 * i + j as u32), *w);
        }
    }
    assert_eq!(rig.submit(&[type3(op::INDIRECT_BUFFER, 2), ib, 6000, type0(0x2100, 1), 1]), RunOutcome::Idle);
    assert_eq!(rig.reg(0x2100), 1);
    assert_eq!(rig.cp.polls_left, 0);
}

#[test]
fn enabled_scratch_registers_are_mirrored_to_memory() {
    let mut rig = Rig::new();
    rig.submit(&[type0(regs::SCRATCH_UMSK, 1), 0b10, type0(regs::SCRATCH_ADDR, 1), 0x3700]);
    rig.submit(&[type0(regs::SCRATCH_REG0, 2), 0x55, 0x66]);
    assert_eq!(rig.word(0x3700), 0);
    assert_eq!(rig.word(0x3704), 0x66);
}

#[test]
fn a_ring_that_does_not_fit_in_memory_is_refused() {
    let rig = Rig::new();
    rig.set(regs::CP_RB_BASE, 0x1FFF_FF00);
    rig.set(regs::CP_RB_WPTR, 4);
    let mut rig = rig;
    assert_eq!(rig.cp.run(), RunOutcome::Fault);
    rig.set(regs::CP_RB_BASE, RING);
    rig.set(regs::CP_RB_CNTL, 40);
    assert_eq!(rig.cp.run(), RunOutcome::Fault);
}

#[test]
fn a_new_command_processor_resumes_where_the_old_one_stopped() {
    let mut rig = Rig::new();
    rig.submit(&[type0(0x2100, 1), 1]);
    let mut second = CommandProcessor::new(rig.memory.clone());
    rig.push(&[type0(0x2101, 1), 2]);
    rig.set(regs::CP_RB_WPTR, rig.wptr);
    rig.set(0x2100, 0);
    assert_eq!(second.run(), RunOutcome::Idle);
    assert_eq!((rig.reg(0x2100), rig.reg(0x2101)), (0, 2));
}

/// A ring that uses every supported packet once, the seed of the smoke mutations.
fn seed_ring() -> Vec<u32> {
    vec![
        type3(op::ME_INIT, 2),
        0,
        0,
        type0(0x2100, 2),
        1,
        2,
        type0_one_register(regs::SCRATCH_REG0, 1),
        3,
        TYPE2,
        type3(op::INDIRECT_BUFFER, 2),
        RING,
        8,
        type3(op::WAIT_REG_MEM, 5),
        3,
        0x2100,
        1,
        !0,
        0x100,
        type3(op::REG_RMW, 3),
        0x2101,
        0,
        4,
        type3(op::COND_WRITE, 6),
        0x113,
        0x3000,
        0,
        !0,
        0x3004,
        1,
        type3(op::EVENT_WRITE_SHD, 3),
        0x8000_0000,
        0x3008,
        0,
        type3(op::EVENT_WRITE_EXT, 2),
        0,
        0x3010,
        type3(op::MEM_WRITE, 2),
        0x3020,
        5,
        type3(op::INTERRUPT, 1),
        1,
        type3(op::SET_CONSTANT, 2),
        0x1_0000,
        6,
        type3(op::SET_CONSTANT2, 2),
        0x2102,
        7,
        type3(op::LOAD_ALU_CONSTANT, 3),
        RING,
        0,
        16,
        type3(op::SET_SHADER_CONSTANTS, 2),
        0x4001,
        8,
        type3(op::IM_LOAD, 2),
        RING,
        8,
        type3(op::IM_LOAD_IMMEDIATE, 3),
        1,
        1,
        9,
        type3(op::INVALIDATE_STATE, 1),
        0,
        type3(op::DRAW_INDX, 4),
        0,
        3 << 16 | 4,
        0x3100,
        3,
        type3(op::DRAW_INDX_2, 1),
        3 << 16 | 2 << 6 | 4,
        type3(op::XE_SWAP, 4),
        SWAP_SIGNATURE,
        0x0800_0000,
        1280,
        720,
        type3(op::NOP, 1),
        0,
    ]
}

#[test]
fn fuzz_smoke_mutated_rings_never_panic_or_hang() {
    let seed: Vec<u8> = seed_ring().iter().flat_map(|w| w.to_be_bytes()).collect();
    fuzz::fuzz_body(&seed);
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..150 {
        let mut data = seed.clone();
        for _ in 0..1 + next() % 6 {
            let at = (next() as usize) % data.len();
            match next() % 4 {
                0 => data[at] ^= 1 << (next() % 8),
                1 => data[at] = next() as u8,
                // A random header word somewhere (type 0 or 3 with a random count).
                2 if data.len() >= 4 => {
                    let at = (at & !3).min(data.len() - 4);
                    data[at..at + 4].copy_from_slice(&(next() as u32).to_be_bytes());
                }
                2 => {}
                _ => data.truncate(at.max(4)),
            }
        }
        fuzz::fuzz_body(&data);
    }
    // Degenerate inputs.
    fuzz::fuzz_body(&[]);
    fuzz::fuzz_body(&[0xFF; 4096]);
    fuzz::fuzz_body(&[0xC0, 0x3F, 0x3F, 0x00, 0, 0, 0, 0, 0, 0, 0, 8]);
}

/// Register writes and a draw in copy mode as Direct3D issues them for a
/// resolve of the 64×32 top-left corner of a k_8_8_8_8 target at tile 0.
fn resolve_packets(dest: u32, copy_control: u32, clear: u32, vertices: u32) -> Vec<u32> {
    vec![
        type0(regs::CONTEXT_BASE, 2),
        64,
        0,
        type0(regs::PA_SC_SCREEN_SCISSOR_TL, 2),
        0,
        8192 << 16 | 8192,
        type0(regs::PA_SC_WINDOW_SCISSOR_TL, 2),
        1 << 31,
        8192 << 16 | 8192,
        type0(regs::RB_COPY_CONTROL, 4),
        copy_control,
        dest,
        32 << 16 | 64,
        2 | crate::format::texture::K_8_8_8_8 << 7,
        type0(regs::RB_COLOR_CLEAR, 1),
        clear,
        type3(op::SET_CONSTANT, 3),
        1 << 16,
        vertices | 3,
        6 << 2 | 2,
        type0(regs::RB_MODECONTROL, 1),
        crate::resolve::EDRAM_MODE_COPY,
        type3(op::DRAW_INDX_2, 1),
        3 << 16 | 2 << 6 | 8,
        type0(regs::RB_MODECONTROL, 1),
        4,
    ]
}

#[test]
fn a_draw_in_copy_mode_clears_edram_and_resolves_it_to_memory() {
    let mut rig = Rig::new();
    let (vertices, scratch, front) = (0x0003_0000, 0x0004_0000, 0x0005_0000);
    for (i, v) in [-0.5f32, -0.5, 63.5, -0.5, 63.5, 31.5].iter().enumerate() {
        rig.memory.write_f32(view(vertices + 4 * i as u32), *v).unwrap();
    }
    // Clear EDRAM to a colour (the copy goes to a scratch buffer), then
    // copy EDRAM to the front buffer.
    rig.submit(&resolve_packets(scratch, 1 << 8, 0xFF30_2010, vertices));
    rig.submit(&resolve_packets(front, 0, 0, vertices));
    assert_eq!(rig.cp.stats().resolves, 2);
    for (x, y) in [(0, 0), (63, 31), (17, 9)] {
        let at = front + crate::tiling::tiled_2d_offset(x, y, 64, 2);
        assert_eq!(rig.word(at), 0xFF30_2010, "front buffer pixel ({x},{y})");
    }
    assert_eq!(rig.word(scratch), 0, "the clearing resolve copied the EDRAM before clearing it");
}

#[test]
fn the_fallback_gpu_executes_copy_draws_without_touching_memory() {
    let mut rig = Rig::new();
    rig.cp.set_rendering(false);
    let vertices = 0x0003_0000;
    for (i, v) in [-0.5f32, -0.5, 63.5, -0.5, 63.5, 31.5].iter().enumerate() {
        rig.memory.write_f32(view(vertices + 4 * i as u32), *v).unwrap();
    }
    rig.submit(&resolve_packets(0x0004_0000, 1 << 8, 0xFF30_2010, vertices));
    rig.submit(&resolve_packets(0x0005_0000, 0, 0, vertices));
    assert_eq!(rig.cp.stats().resolves, 0);
    assert_eq!(rig.word(0x0005_0000), 0);
    assert_eq!(rig.reg(regs::RB_MODECONTROL), 4);
}
