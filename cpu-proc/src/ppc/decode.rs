//! The one decoder: the `powerpc` crate, configured for Xenon.
//!
//! Interpreter, disassembler and any later JIT all take their opcodes from
//! here. The crate generates its tables from one data file (`isa.yaml`) that
//! covers PowerPC 64-bit, AltiVec and VMX128.

use powerpc::{Extension, Extensions};
pub use powerpc::{Ins, Opcode};

/// The instruction-set extensions Xenon implements.
pub const XENON: Extensions =
    Extensions::from_bitmask(Extension::Ppc64.bitmask() | Extension::AltiVec.bitmask() | Extension::Vmx128.bitmask());

/// Xenon instructions `powerpc` 0.4.1 does not decode, with their encodings
/// from xenia's `tools/ppc-instructions.xml`. Consulted only for words the
/// crate reports as illegal; both the interpreter and the disassembler go
/// through [`decode`] and [`supplement`], so this stays one decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Supplement {
    /// `ldbrx rD, rA, rB` (X-form, 31/532).
    Ldbrx,
    /// `stdbrx rS, rA, rB` (X-form, 31/660).
    Stdbrx,
}

/// `(mask, pattern, instruction)`.
const SUPPLEMENTS: [(u32, u32, Supplement); 2] =
    [(0xFC00_07FF, 0x7C00_0428, Supplement::Ldbrx), (0xFC00_07FF, 0x7C00_0528, Supplement::Stdbrx)];

/// `mtocrf` (XFX-form with bit 11 set): the crate only knows `mtcrf`, whose
/// semantics are the same for the single field `mtocrf` names.
const MTOCRF: (u32, u32) = (0xFC10_07FF, 0x7C10_0120);

/// Decodes one instruction word.
#[inline]
pub fn decode(word: u32) -> Ins {
    let ins = Ins::new(word, XENON);
    if ins.op == Opcode::Illegal && word & MTOCRF.0 == MTOCRF.1 {
        return Ins { code: word, op: Opcode::Mtcrf };
    }
    ins
}

/// The supplementary instruction an illegal-to-the-crate word encodes, if any.
pub fn supplement(word: u32) -> Option<Supplement> {
    SUPPLEMENTS.iter().find(|(mask, pattern, _)| word & mask == *pattern).map(|(_, _, s)| *s)
}

/// Disassembles one word at `pc` in the simplified (assembler-idiom) form,
/// resolving relative branch targets. Illegal words print as `.long`.
pub fn disassemble(word: u32, pc: u32) -> String {
    let ins = decode(word);
    if ins.op == Opcode::Illegal {
        let (d, a, b) = ((word >> 21) & 31, (word >> 16) & 31, (word >> 11) & 31);
        return match supplement(word) {
            Some(Supplement::Ldbrx) => format!("ldbrx r{d}, r{a}, r{b}"),
            Some(Supplement::Stdbrx) => format!("stdbrx r{d}, r{a}, r{b}"),
            None => format!(".long {word:#010x}"),
        };
    }
    let text = ins.simplified().to_string();
    match ins.branch_dest(pc) {
        Some(dest) => format!("{text}  ; -> {dest:#010x}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoder_knows_integer_altivec_and_vmx128_words() {
        assert_eq!(decode(0x7C63_2214).op, Opcode::Add); // add r3,r3,r4
        assert_eq!(decode(0x1000_0484).op, Opcode::Vor); // vor v0,v0,v0
        assert_eq!(decode(0x7C20_040E).op, Opcode::Lvlx); // lvlx v1,0,r0
        assert_eq!(decode(0x0000_0000).op, Opcode::Illegal);
    }

    #[test]
    fn supplement_covers_ldbrx_stdbrx_and_mtocrf() {
        assert_eq!(supplement(0x7C64_2C28), Some(Supplement::Ldbrx));
        assert_eq!(supplement(0x7CA4_3528), Some(Supplement::Stdbrx));
        assert_eq!(disassemble(0x7C64_2C28, 0), "ldbrx r3, r4, r5");
        assert_eq!(decode(0x7C94_0120).op, Opcode::Mtcrf);
    }

    #[test]
    fn disassembly_uses_simplified_mnemonics_and_branch_targets() {
        assert_eq!(disassemble(0x3860_0005, 0), "li r3, 0x5");
        assert!(disassemble(0x4800_0010, 0x8200_0000).ends_with("-> 0x82000010"));
        assert_eq!(disassemble(0, 0), ".long 0x00000000");
    }
}
