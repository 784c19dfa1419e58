//! Guest faults as values: what went wrong, where, and the registers.

use super::decode;
use super::state::ThreadState;
use shared::memory::MemError;
use std::fmt;

/// What kind of guest fault happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// A load or store the memory refused (outside the 4 GiB space, an
    /// atomic on a misaligned address, a vector access to MMIO…).
    Memory { addr: u32, len: u32, write: bool, error: MemError },
    /// Instruction fetch from an address that holds no plain memory.
    Fetch { addr: u32 },
    /// The word does not decode to a Xenon instruction.
    Illegal,
    /// The word decodes, but the instruction is privileged or not one a
    /// title may run in user mode.
    Privileged,
    /// The decoder knows the instruction but the interpreter has no
    /// semantics for it (a newer decoder than this interpreter).
    Unimplemented { mnemonic: &'static str },
    /// A `tw`/`twi`/`td`/`tdi` whose condition held (and is not the debug
    /// print form).
    Trap,
    /// The bus refused an MMIO access or a system call.
    Bus(String),
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::Memory { addr, len, write, error } => {
                write!(f, "{} of {len} bytes at {addr:#010x} refused: {error}", if *write { "store" } else { "load" })
            }
            FaultKind::Fetch { addr } => write!(f, "instruction fetch from {addr:#010x}, which is not plain memory"),
            FaultKind::Illegal => f.write_str("illegal instruction"),
            FaultKind::Privileged => f.write_str("privileged or unsupported instruction in user mode"),
            FaultKind::Unimplemented { mnemonic } => write!(f, "instruction {mnemonic} is not implemented"),
            FaultKind::Trap => f.write_str("trap instruction fired"),
            FaultKind::Bus(message) => write!(f, "bus error: {message}"),
        }
    }
}

/// A guest fault report: the faulting instruction, its disassembly and the
/// thread's registers at the time (before the instruction took effect, except
/// for instructions that already wrote registers before a later access
/// failed, such as `lmw`).
#[derive(Debug, Clone)]
pub struct Fault {
    pub pc: u32,
    pub word: u32,
    pub disassembly: String,
    pub kind: FaultKind,
    pub registers: Box<ThreadState>,
}

impl Fault {
    pub fn new(kind: FaultKind, pc: u32, word: u32, state: &ThreadState) -> Fault {
        let mut registers = Box::new(state.clone());
        registers.pc = pc;
        Fault { pc, word, disassembly: decode::disassemble(word, pc), kind, registers }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "guest fault: {}", self.kind)?;
        writeln!(f, "  at {:#010x}: {:08x}  {}", self.pc, self.word, self.disassembly)?;
        write!(f, "{}", self.registers)
    }
}

impl std::error::Error for Fault {}
