//! Type-3 packets. Body layouts are facts from xenia
//! `command_processor.cc` (`ExecutePacketType3_*`); a body shorter than its
//! opcode needs is counted as malformed and skipped.

use super::pm4::{compare, op, SWAP_SIGNATURE};
use super::{
    hash_words, CommandProcessor, CpError, Draw, Effect, Endian, IndexBuffer, IndexSource, ShaderLoad, ShaderStage,
    Step, Swap, FNV_OFFSET,
};
use crate::registers as regs;
use shared::memory::PhysAddr;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Base register of each `SET_CONSTANT` / `LOAD_ALU_CONSTANT` type:
/// ALU, fetch, boolean, loop constants and context registers.
fn constant_base(kind: u32) -> Option<u32> {
    match kind {
        0 => Some(regs::SHADER_CONSTANT_000_X),
        1 => Some(regs::SHADER_CONSTANT_FETCH_00_0),
        2 => Some(regs::SHADER_CONSTANT_BOOL_000_031),
        3 => Some(regs::SHADER_CONSTANT_LOOP_00),
        4 => Some(regs::CONTEXT_BASE),
        _ => None,
    }
}

/// Screen extents `EVENT_WRITE_EXT` reports: the whole 8192×8192 space in
/// units of 8 pixels, depth 0–1 (xenia's answer).
const SCREEN_EXTENTS: [u16; 6] = [0, 8192 >> 3, 0, 8192 >> 3, 0, 1];
/// `VIZQUERY_START` / `VIZQUERY_END` event initiators (xenia `xenos.h`).
const VIZQUERY_START: u32 = 7;
const VIZQUERY_END: u32 = 8;

impl CommandProcessor {
    pub(super) fn type3(&mut self, opcode: u8, body: &[u32], depth: u32) -> Result<Step, CpError> {
        let need = |n: usize| body.len() >= n;
        match opcode {
            op::ME_INIT | op::NOP | op::INVALIDATE_STATE | op::WAIT_FOR_IDLE | op::CONTEXT_UPDATE => {}
            op::INTERRUPT if need(1) => self.effects.push(Effect::Interrupt { cpu_mask: body[0] }),
            op::XE_SWAP if need(4) => self.swap(body),
            op::INDIRECT_BUFFER | op::INDIRECT_BUFFER_PFD if need(2) => {
                self.indirect_buffer(body[0], body[1] & 0xF_FFFF, depth + 1)
            }
            op::WAIT_REG_MEM if need(5) => return Ok(self.wait_reg_mem(body, depth)),
            op::REG_RMW if need(3) => {
                let (info, and, or) = (body[0], body[1], body[2]);
                let target = info & 0x1FFF;
                let mut value = self.read_register(target);
                value &= if info & 0x8000_0000 != 0 { self.read_register(and & 0x1FFF) } else { and };
                value |= if info & 0x4000_0000 != 0 { self.read_register(or & 0x1FFF) } else { or };
                self.write_register(target, value);
            }
            op::REG_TO_MEM if need(2) => {
                let value = self.read_register(body[0]);
                self.write_memory(body[1], value);
            }
            op::MEM_WRITE if need(1) => {
                let mut addr = body[0];
                for &value in &body[1..] {
                    self.write_memory(addr, value);
                    addr = addr.wrapping_add(4);
                }
            }
            op::COND_WRITE if need(6) => {
                let (info, poll, reference, mask, target, data) =
                    (body[0], body[1], body[2], body[3], body[4], body[5]);
                let value = if info & 0x10 != 0 { self.read_memory(poll) } else { self.poll_register(poll) };
                if compare(info, value, mask, reference) {
                    if info & 0x100 != 0 {
                        self.write_memory(target, data);
                    } else {
                        self.write_register(target, data);
                    }
                }
            }
            op::EVENT_WRITE if need(1) => self.write_register(regs::VGT_EVENT_INITIATOR, body[0] & 0x3F),
            op::EVENT_WRITE_SHD if need(3) => {
                let (initiator, addr, value) = (body[0], body[1], body[2]);
                self.write_register(regs::VGT_EVENT_INITIATOR, initiator & 0x3F);
                let data = if initiator & 0x8000_0000 != 0 {
                    self.memory.control().gpu_state().cp_swap_count.load(Ordering::Acquire)
                } else {
                    value
                };
                self.write_memory(addr, data);
            }
            op::EVENT_WRITE_EXT if need(2) => {
                self.write_register(regs::VGT_EVENT_INITIATOR, body[0] & 0x3F);
                let base = body[1] & 0x1FFF_FFFC;
                for (i, extent) in SCREEN_EXTENTS.iter().enumerate() {
                    if let Ok(at) = shared::memory::GuestMemory::physical_view(PhysAddr(base + 2 * i as u32)) {
                        let _ = self.memory.write_u16(at, *extent);
                    }
                }
            }
            op::EVENT_WRITE_ZPD if need(1) => self.write_register(regs::VGT_EVENT_INITIATOR, body[0] & 0x3F),
            op::VIZ_QUERY if need(1) => {
                let id = body[0] & 0x3F;
                if body[0] & 0x100 == 0 {
                    self.write_register(regs::VGT_EVENT_INITIATOR, VIZQUERY_START);
                } else {
                    // Report every query as visible.
                    self.write_register(regs::VGT_EVENT_INITIATOR, VIZQUERY_END);
                    let (reg, bit) = if id < 32 {
                        (regs::PA_SC_VIZ_QUERY_STATUS_0, id)
                    } else {
                        (regs::PA_SC_VIZ_QUERY_STATUS_1, id - 32)
                    };
                    let v = self.read_register(reg) | 1 << bit;
                    self.write_register(reg, v);
                }
            }
            op::DRAW_INDX if need(2) => self.draw(body[0], &body[1..]),
            op::DRAW_INDX_2 if need(1) => self.draw(0, body),
            op::SET_CONSTANT if need(1) => match constant_base(body[0] >> 16 & 0xFF) {
                Some(base) => self.write_registers(base + (body[0] & 0x7FF), &body[1..]),
                None => return self.malformed("SET_CONSTANT of an unknown type", body),
            },
            op::SET_CONSTANT2 | op::SET_SHADER_CONSTANTS if need(1) => {
                self.write_registers(body[0] & 0xFFFF, &body[1..])
            }
            op::LOAD_ALU_CONSTANT if need(3) => {
                let address = body[0] & 0x1FFF_FFFC;
                let dwords = body[2] & 0xFFF;
                match constant_base(body[1] >> 16 & 0xFF) {
                    Some(base) => {
                        let values: Vec<u32> =
                            (0..dwords).map(|n| self.read_data(address.wrapping_add(4 * n))).collect();
                        self.write_registers(base + (body[1] & 0x7FF), &values);
                    }
                    None => return self.malformed("LOAD_ALU_CONSTANT of an unknown type", body),
                }
            }
            op::IM_LOAD if need(2) => {
                let address = body[0] & 0x1FFF_FFFC;
                let dwords = body[1] & 0xFFFF;
                let microcode = (0..dwords).map(|n| self.read_data(address.wrapping_add(4 * n))).collect();
                self.load_shader(body[0] & 3, Some(PhysAddr(address)), microcode);
            }
            op::IM_LOAD_IMMEDIATE if need(2) => {
                let dwords = (body[1] & 0xFFFF) as usize;
                if dwords > body.len() - 2 {
                    return self.malformed("IM_LOAD_IMMEDIATE with microcode past its packet", body);
                }
                self.load_shader(body[0], None, body[2..2 + dwords].to_vec());
            }
            op::SET_BIN_MASK_LO if need(1) => self.bin_mask = self.bin_mask & !0xFFFF_FFFF | body[0] as u64,
            op::SET_BIN_MASK_HI if need(1) => self.bin_mask = self.bin_mask & 0xFFFF_FFFF | (body[0] as u64) << 32,
            op::SET_BIN_SELECT_LO if need(1) => self.bin_select = self.bin_select & !0xFFFF_FFFF | body[0] as u64,
            op::SET_BIN_SELECT_HI if need(1) => {
                self.bin_select = self.bin_select & 0xFFFF_FFFF | (body[0] as u64) << 32
            }
            op::SET_BIN_MASK if need(2) => self.bin_mask = (body[0] as u64) << 32 | body[1] as u64,
            op::SET_BIN_SELECT if need(2) => self.bin_select = (body[0] as u64) << 32 | body[1] as u64,
            op::INTERRUPT
            | op::XE_SWAP
            | op::INDIRECT_BUFFER
            | op::INDIRECT_BUFFER_PFD
            | op::WAIT_REG_MEM
            | op::REG_RMW
            | op::REG_TO_MEM
            | op::MEM_WRITE
            | op::COND_WRITE
            | op::EVENT_WRITE
            | op::EVENT_WRITE_SHD
            | op::EVENT_WRITE_EXT
            | op::EVENT_WRITE_ZPD
            | op::VIZ_QUERY
            | op::DRAW_INDX
            | op::DRAW_INDX_2
            | op::SET_CONSTANT
            | op::SET_CONSTANT2
            | op::SET_SHADER_CONSTANTS
            | op::LOAD_ALU_CONSTANT
            | op::IM_LOAD
            | op::IM_LOAD_IMMEDIATE
            | op::SET_BIN_MASK_LO
            | op::SET_BIN_MASK_HI
            | op::SET_BIN_SELECT_LO
            | op::SET_BIN_SELECT_HI
            | op::SET_BIN_MASK
            | op::SET_BIN_SELECT => return self.malformed(&format!("type-3 opcode {opcode:#04x}"), body),
            _ => {
                let logged = &mut self.unknown_logged[opcode as usize & 0x7F];
                if !*logged {
                    *logged = true;
                    tracing::warn!(
                        "command processor: unknown type-3 opcode {opcode:#04x} ({} words) skipped; logged once",
                        body.len()
                    );
                }
            }
        }
        Ok(Step::Done)
    }

    fn write_registers(&mut self, first: u32, values: &[u32]) {
        for (i, &v) in values.iter().enumerate() {
            self.write_register(first.wrapping_add(i as u32), v);
        }
    }

    fn swap(&mut self, body: &[u32]) {
        if body[0] != SWAP_SIGNATURE {
            self.stats.malformed += 1;
            tracing::warn!("command processor: swap packet without its signature ({:#010x}); skipped", body[0]);
            return;
        }
        let count = self.memory.control().gpu_state().cp_swap_count.fetch_add(1, Ordering::AcqRel).wrapping_add(1);
        let mut texture_fetch = [0; 6];
        for (i, w) in texture_fetch.iter_mut().enumerate() {
            *w = self.read_register(regs::SHADER_CONSTANT_FETCH_00_0 + i as u32);
        }
        self.effects.push(Effect::Swap(Swap {
            frontbuffer: PhysAddr(body[1] & 0x1FFF_FFFF),
            width: body[2],
            height: body[3],
            texture_fetch,
            count,
        }));
    }

    /// `WAIT_REG_MEM`: wait info (bit 4: memory; low bits: function), poll
    /// address or register, reference, mask, wait interval.
    fn wait_reg_mem(&mut self, body: &[u32], depth: u32) -> Step {
        let (info, poll, reference, mask) = (body[0], body[1], body[2], body[3]);
        let polls = self.limits.wait_polls.min(self.polls_left).max(1);
        for i in 0..polls {
            let value = if info & 0x10 != 0 { self.read_memory(poll) } else { self.poll_register(poll) };
            if compare(info, value, mask, reference) {
                self.waiting = None;
                return Step::Done;
            }
            self.polls_left = self.polls_left.saturating_sub(1);
            if i + 1 < polls {
                std::thread::yield_now();
            }
        }
        if depth == 0 {
            let now = Instant::now();
            let since = match self.waiting {
                Some((at, since)) if at == self.packet_rptr => since,
                _ => {
                    self.waiting = Some((self.packet_rptr, now));
                    now
                }
            };
            if now.duration_since(since) < self.limits.wait_give_up {
                return Step::Wait;
            }
        }
        self.waiting = None;
        tracing::warn!(
            "command processor: WAIT_REG_MEM on {} {poll:#x} (function {}, reference {reference:#x}, mask {mask:#x}) \
             never satisfied; abandoned",
            if info & 0x10 != 0 { "memory" } else { "register" },
            info & 7
        );
        Step::Done
    }

    /// A draw: `VGT_DRAW_INITIATOR`, then for indexed draws `VGT_DMA_BASE`
    /// and `VGT_DMA_SIZE`; any further words (immediate indices) are skipped.
    fn draw(&mut self, viz_query: u32, body: &[u32]) {
        let initiator = body[0];
        self.write_register(regs::VGT_DRAW_INITIATOR, initiator);
        let source = match initiator >> 6 & 3 {
            0 => IndexSource::Dma,
            1 => IndexSource::Immediate,
            2 => IndexSource::Auto,
            _ => IndexSource::Invalid,
        };
        let index_32bit = initiator & (1 << 11) != 0;
        let mut index_buffer = None;
        if source == IndexSource::Dma {
            if body.len() < 3 {
                self.stats.malformed += 1;
                tracing::warn!("command processor: indexed draw without its index buffer words; skipped");
                return;
            }
            self.write_register(regs::VGT_DMA_BASE, body[1]);
            self.write_register(regs::VGT_DMA_SIZE, body[2]);
            let align = if index_32bit { 3 } else { 1 };
            index_buffer = Some(IndexBuffer {
                base: PhysAddr(body[1] & 0x1FFF_FFFF & !align),
                index_32bit,
                endian: Endian::from_bits(body[2] >> 30),
                words: body[2] & 0xFF_FFFF,
            });
        }
        let state_hash = hash_words(
            FNV_OFFSET,
            (regs::CONTEXT_BASE..regs::CONTEXT_BASE + 0x400)
                .chain(regs::SHADER_CONSTANT_000_X..regs::CP_REGISTER_COUNT)
                .map(|r| self.read_register(r)),
        );
        self.effects.push(Effect::Draw(Draw {
            initiator,
            primitive: initiator & 0x3F,
            source,
            index_count: initiator >> 16,
            index_buffer,
            viz_query,
            vertex_shader: self.vertex_shader,
            pixel_shader: self.pixel_shader,
            state_hash,
        }));
        if self.rendering && self.read_register(regs::RB_MODECONTROL) & 7 == crate::resolve::EDRAM_MODE_COPY {
            self.resolve();
        }
    }

    /// A draw in copy mode: the resolve runs before the next packet, so the
    /// ring sees its memory writes in order.
    fn resolve(&mut self) {
        let memory = self.memory.clone();
        let control = memory.control();
        let edram = crate::edram::Edram::new(control.edram());
        let outcome = crate::resolve::resolve(&memory, edram, &|r| self.read_register(r));
        self.stats.resolves += 1;
        let refused = match outcome {
            Ok(done) => {
                tracing::trace!("resolve: {done:?}");
                done.copy_refused
            }
            Err(err) => Some(err),
        };
        if let Some(err) = refused {
            let text = err.to_string();
            if self.resolve_logged.len() < 64 && self.resolve_logged.insert(text.clone()) {
                tracing::warn!("resolve: {text}; logged once");
            }
        }
    }

    fn load_shader(&mut self, kind: u32, address: Option<PhysAddr>, microcode: Vec<u32>) {
        let stage = match kind {
            0 => ShaderStage::Vertex,
            1 => ShaderStage::Pixel,
            _ => {
                self.stats.malformed += 1;
                tracing::warn!("command processor: shader load for unknown stage {kind}; skipped");
                return;
            }
        };
        let hash = hash_words(FNV_OFFSET, microcode.iter().copied());
        match stage {
            ShaderStage::Vertex => self.vertex_shader = Some(hash),
            ShaderStage::Pixel => self.pixel_shader = Some(hash),
        }
        self.effects.push(Effect::ShaderLoad(ShaderLoad { stage, address, microcode, hash }));
    }
}
