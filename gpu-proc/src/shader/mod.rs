//! Xenos shader microcode: the decoder every later consumer (the WGSL
//! translator, logs, shader dumps) reads, and its disassembler.
//!
//! A shader is an array of big-endian dwords loaded by `IM_LOAD` /
//! `IM_LOAD_IMMEDIATE` ([`crate::cp`] converts them to host `u32`s). It is
//! cut into 96-bit slots of three dwords. The control-flow (CF) program
//! fills the first slots, two 48-bit CF instructions per slot; the ALU and
//! fetch instructions the CF program's `exec` blocks run fill the slots
//! after it, one 96-bit instruction per slot, named by slot number (xenia
//! `ucode.h`). Submodules:
//! - [`control`]: the CF instructions (exec and its conditional forms,
//!   loops, calls, jumps, alloc) and the unpacking of a CF pair.
//! - [`alu`]: the co-issued vector + scalar ALU instruction, its opcodes,
//!   operands and destinations (registers and exports).
//! - [`fetch`]: vertex fetch and texture fetch instructions.
//! - [`disasm`]: readable text in the form xenia prints (itself close to the
//!   Microsoft shader assembler's).
//!
//! [`decode`] walks the CF program from dword 0 and decodes every slot an
//! exec block runs; any malformed field is a [`DecodeError`] naming its
//! dword, never a panic.

pub mod alu;
pub mod control;
pub mod disasm;
pub mod fetch;

#[cfg(test)]
mod tests;

pub use crate::cp::ShaderStage;
use alu::AluInstruction;
use control::{ControlFlow, SlotKind};
use fetch::{TextureFetch, VertexFetch};
use std::collections::BTreeMap;

/// Dwords per instruction slot (a CF pair or one ALU / fetch instruction).
pub const SLOT_DWORDS: usize = 3;

/// A decoded shader.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub stage: ShaderStage,
    /// The CF program in order; an instruction's index here is its CF
    /// address (what jumps, calls and loops name as `L<n>`).
    pub control_flow: Vec<ControlFlow>,
    /// Every instruction an exec block runs, by slot number (slot `n` is
    /// dwords `3n..3n + 3`).
    pub instructions: BTreeMap<u32, Instruction>,
}

/// One ALU or fetch instruction slot.
#[derive(Clone, Debug, PartialEq)]
pub enum Instruction {
    Alu(AluInstruction),
    VertexFetch(VertexFetch),
    TextureFetch(TextureFetch),
}

impl Program {
    /// The instruction in slot `slot`, if an exec block runs it.
    pub fn instruction(&self, slot: u32) -> Option<&Instruction> {
        self.instructions.get(&slot)
    }

    /// Every CF address a jump, call or loop names (the `L<n>` labels).
    pub fn labels(&self) -> std::collections::BTreeSet<u32> {
        self.control_flow.iter().filter_map(ControlFlow::target).collect()
    }
}

/// Why microcode could not be decoded. `dword` is an index into the words
/// given to [`decode`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("no microcode")]
    Empty,
    #[error("the control-flow pair at dword {dword} runs past the end of the microcode ({len} dwords)")]
    Truncated { dword: usize, len: usize },
    #[error("the control-flow program reaches dword {dword} without an exece")]
    Unterminated { dword: usize },
    #[error("dword {dword}: {field} = {value}: {reason}")]
    Field { dword: usize, field: &'static str, value: u32, reason: &'static str },
    #[error("dword {dword}: exec of slots {address}..{end} runs past the end of the microcode ({len} dwords)")]
    ExecPastEnd { dword: usize, address: u32, end: u32, len: usize },
    #[error("dword {dword}: exec of slot {address} overlaps the control-flow program")]
    ExecOverlapsControlFlow { dword: usize, address: u32 },
    #[error("dword {dword}: the slot is run both as an ALU and as a fetch instruction")]
    SlotKindConflict { dword: usize },
}

impl DecodeError {
    /// A field holding a value the hardware does not define.
    pub(crate) fn field(dword: usize, field: &'static str, value: u32, reason: &'static str) -> Self {
        DecodeError::Field { dword, field, value, reason }
    }
}

/// Decodes `words` as microcode for `stage`.
///
/// The CF program is read pair by pair from dword 0. It ends after the pair
/// holding an unconditional `exece` once no jump, call or loop seen so far
/// names a later CF address, and may never run into the first slot an exec
/// block runs (xenia `shader_translator.cc` bounds it the same way). Then
/// every slot each exec block runs is decoded as the block's sequence bits
/// say: as an ALU or as a fetch instruction.
pub fn decode(words: &[u32], stage: ShaderStage) -> Result<Program, DecodeError> {
    if words.is_empty() {
        return Err(DecodeError::Empty);
    }
    let control_flow = walk_control_flow(words, stage)?;
    let mut instructions = BTreeMap::new();
    // The vfetch_full a vfetch_mini takes its address from: the last one
    // before it in CF order (xenia `shader_translator.cc`).
    let mut last_full_fetch = None;
    for cf in &control_flow {
        let ControlFlow::Exec(exec) = cf else { continue };
        for slot in exec.slots() {
            let dword = slot.address as usize * SLOT_DWORDS;
            match instructions.get(&slot.address) {
                Some(previous) if kind_of(previous) == slot.kind => continue,
                Some(_) => return Err(DecodeError::SlotKindConflict { dword }),
                None => {}
            }
            let slot_words = [words[dword], words[dword + 1], words[dword + 2]];
            let instruction = match slot.kind {
                SlotKind::Alu => Instruction::Alu(AluInstruction::decode(slot_words, dword, stage)?),
                SlotKind::Fetch if fetch::is_vertex_fetch(slot_words) => {
                    let mut vfetch = VertexFetch::decode(slot_words, dword)?;
                    if vfetch.mini {
                        vfetch.full_fetch_slot = last_full_fetch;
                    } else {
                        last_full_fetch = Some(slot.address);
                    }
                    Instruction::VertexFetch(vfetch)
                }
                SlotKind::Fetch => Instruction::TextureFetch(TextureFetch::decode(slot_words, dword)?),
            };
            instructions.insert(slot.address, instruction);
        }
    }
    Ok(Program { stage, control_flow, instructions })
}

fn kind_of(instruction: &Instruction) -> SlotKind {
    match instruction {
        Instruction::Alu(_) => SlotKind::Alu,
        Instruction::VertexFetch(_) | Instruction::TextureFetch(_) => SlotKind::Fetch,
    }
}

/// Reads CF pairs from dword 0 until the program ends (see [`decode`]),
/// checking that every exec block's slots exist and every branch target is
/// inside the program.
fn walk_control_flow(words: &[u32], stage: ShaderStage) -> Result<Vec<ControlFlow>, DecodeError> {
    let slots = (words.len() / SLOT_DWORDS) as u32;
    // Exclusive bound of the CF program, in slots: the first slot an exec
    // block runs.
    let mut bound = slots.max(1);
    let mut furthest_target = 0u32;
    let mut ended = false;
    let mut control_flow = Vec::new();
    let mut pair = 0u32;
    while pair < bound {
        let dword = pair as usize * SLOT_DWORDS;
        if dword + SLOT_DWORDS > words.len() {
            return Err(DecodeError::Truncated { dword, len: words.len() });
        }
        let halves = control::unpack_pair([words[dword], words[dword + 1], words[dword + 2]]);
        for half in halves {
            let dword = control::dword_of(control_flow.len() as u32);
            let cf = ControlFlow::decode(half, stage);
            if let ControlFlow::Exec(exec) = &cf {
                if exec.count > 0 {
                    let end = exec.address + exec.count;
                    if exec.address <= pair {
                        return Err(DecodeError::ExecOverlapsControlFlow { dword, address: exec.address });
                    }
                    if end > slots {
                        return Err(DecodeError::ExecPastEnd { dword, address: exec.address, end, len: words.len() });
                    }
                    bound = bound.min(exec.address);
                }
                ended |= exec.is_end();
            }
            if let Some(target) = cf.target() {
                furthest_target = furthest_target.max(target);
            }
            control_flow.push(cf);
        }
        pair += 1;
        if ended && furthest_target < control_flow.len() as u32 {
            break;
        }
    }
    if !ended {
        return Err(DecodeError::Unterminated { dword: pair as usize * SLOT_DWORDS });
    }
    if let Some((index, target)) = control_flow
        .iter()
        .enumerate()
        .find_map(|(i, cf)| cf.target().filter(|&t| t as usize >= control_flow.len()).map(|t| (i, t)))
    {
        return Err(DecodeError::field(
            control::dword_of(index as u32),
            "address",
            target,
            "names a CF address past the end of the control-flow program",
        ));
    }
    Ok(control_flow)
}
