//! The ALU instruction: one vector operation and one scalar operation
//! issued together in 96 bits (xenia `ucode.h` `AluInstruction`).
//!
//! Dword 0: vector destination 0–5 (+ aL-relative 6), constants absolute 7,
//! scalar destination 8–13 (+ relative 14), export 15, vector write mask
//! 16–19, scalar write mask 20–23, vector saturate 24, scalar saturate 25,
//! scalar opcode 26–31.
//! Dword 1: swizzles of sources 3, 2, 1 in 0–7, 8–15, 16–23; their
//! negations in 24, 25, 26; expected predicate 27, predicated 28, constant
//! relative to a0 (else aL) 29, relative addressing of the second and first
//! constant 30, 31.
//! Dword 2: registers of sources 3, 2, 1 in 0–7, 8–15, 16–23; vector
//! opcode 24–28; sources 3, 2, 1 are temporaries (else constants) 29, 30,
//! 31.
//!
//! The vector operation reads sources 1–3 as it needs; the scalar operation
//! reads source 3. Swizzles are relative: two bits per result component,
//! added to that component's own index.

use super::{DecodeError, ShaderStage};

fn bits(word: u32, low: u32, count: u32) -> u32 {
    (word >> low) & ((1 << count) - 1)
}

fn bit(word: u32, at: u32) -> bool {
    word >> at & 1 == 1
}

/// A vector component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    X,
    Y,
    Z,
    W,
}

impl Component {
    pub const ALL: [Component; 4] = [Component::X, Component::Y, Component::Z, Component::W];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(index: u32) -> Component {
        Component::ALL[(index & 3) as usize]
    }
}

/// What a destination component receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Left unchanged.
    Keep,
    /// This component of the operation's (or fetch's) result.
    From(Component),
    /// The constant 0.0 (exports and fetches only).
    Zero,
    /// The constant 1.0 (exports and fetches only).
    One,
}

/// How a register index is offset at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    Absolute,
    /// Plus the loop counter `aL` (`[n+aL]`).
    LoopRelative,
    /// Plus the address register `a0` (`[n+a0]`, constants only).
    AddressRelative,
}

/// The register file a source reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterFile {
    /// `r0`–`r63`.
    Temporary,
    /// Float constants `c0`–`c255`.
    Constant,
}

/// One source operand as the operation reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: RegisterFile,
    pub index: u8,
    pub addressing: Addressing,
    /// Negated after taking the absolute value.
    pub negate: bool,
    pub abs: bool,
    /// The components read, absolute. A vector operation reads four, in
    /// result order; a scalar operation one (`a`) or two (`a`, `b`).
    pub read: [Component; 4],
    /// How many of `read` apply (4, 2 or 1).
    pub count: u8,
}

impl Source {
    /// The components read.
    pub fn swizzle(&self) -> &[Component] {
        &self.read[..self.count as usize]
    }
}

/// Where an ALU result goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Temporary register `r<index>` (plus `aL` if relative).
    Temporary { index: u8, relative: bool },
    /// Vertex shader interpolator `o0`–`o15`.
    Interpolator(u8),
    /// Vertex shader position `oPos`.
    Position,
    /// Vertex shader `oPts`: point size in X, edge flag in Y, kill flag in Z.
    PointSizeEdgeFlagKill,
    /// Pixel shader colour `oC0`–`oC3`.
    Color(u8),
    /// Pixel shader depth `oDepth` (X).
    Depth,
    /// Memory export address `eA`.
    ExportAddress,
    /// Memory export data `eM0`–`eM4`.
    ExportData(u8),
}

/// A destination: target and what each component receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Destination {
    pub target: Target,
    pub writes: [Write; 4],
    pub saturate: bool,
}

impl Destination {
    /// Components written at all (bit 0 = X).
    pub fn write_mask(&self) -> u8 {
        (0..4).filter(|&i| self.writes[i] != Write::Keep).fold(0, |mask, i| mask | 1 << i)
    }
}

/// Side effects beyond the destination, for analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Effects {
    pub address_register: bool,
    pub predicate: bool,
    pub pixel_kill: bool,
}

const NONE: Effects = Effects { address_register: false, predicate: false, pixel_kill: false };
const ADDRESS: Effects = Effects { address_register: true, predicate: false, pixel_kill: false };
const PREDICATE: Effects = Effects { address_register: false, predicate: true, pixel_kill: false };
const KILL: Effects = Effects { address_register: false, predicate: false, pixel_kill: true };

/// Vector opcodes, bits 24–28 of dword 2 (xenia `ucode.h`
/// `AluVectorOpcode`; 30 and 31 are undefined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorOp {
    Add,
    Mul,
    Max,
    Min,
    Seq,
    Sgt,
    Sge,
    Sne,
    Frc,
    Trunc,
    Floor,
    Mad,
    CndEq,
    CndGe,
    CndGt,
    Dp4,
    Dp3,
    Dp2Add,
    Cube,
    Max4,
    SetpEqPush,
    SetpNePush,
    SetpGtPush,
    SetpGePush,
    KillEq,
    KillGt,
    KillGe,
    KillNe,
    Dst,
    MaxA,
}

/// Per vector opcode: assembler name, sources read, side effects
/// (xenia `ucode.cc` `kAluVectorOpcodeInfos`).
const VECTOR_OPS: [(VectorOp, &str, usize, Effects); 30] = [
    (VectorOp::Add, "add", 2, NONE),
    (VectorOp::Mul, "mul", 2, NONE),
    (VectorOp::Max, "max", 2, NONE),
    (VectorOp::Min, "min", 2, NONE),
    (VectorOp::Seq, "seq", 2, NONE),
    (VectorOp::Sgt, "sgt", 2, NONE),
    (VectorOp::Sge, "sge", 2, NONE),
    (VectorOp::Sne, "sne", 2, NONE),
    (VectorOp::Frc, "frc", 1, NONE),
    (VectorOp::Trunc, "trunc", 1, NONE),
    (VectorOp::Floor, "floor", 1, NONE),
    (VectorOp::Mad, "mad", 3, NONE),
    (VectorOp::CndEq, "cndeq", 3, NONE),
    (VectorOp::CndGe, "cndge", 3, NONE),
    (VectorOp::CndGt, "cndgt", 3, NONE),
    (VectorOp::Dp4, "dp4", 2, NONE),
    (VectorOp::Dp3, "dp3", 2, NONE),
    (VectorOp::Dp2Add, "dp2add", 3, NONE),
    (VectorOp::Cube, "cube", 2, NONE),
    (VectorOp::Max4, "max4", 1, NONE),
    (VectorOp::SetpEqPush, "setp_eq_push", 2, PREDICATE),
    (VectorOp::SetpNePush, "setp_ne_push", 2, PREDICATE),
    (VectorOp::SetpGtPush, "setp_gt_push", 2, PREDICATE),
    (VectorOp::SetpGePush, "setp_ge_push", 2, PREDICATE),
    (VectorOp::KillEq, "kill_eq", 2, KILL),
    (VectorOp::KillGt, "kill_gt", 2, KILL),
    (VectorOp::KillGe, "kill_ge", 2, KILL),
    (VectorOp::KillNe, "kill_ne", 2, KILL),
    (VectorOp::Dst, "dst", 2, NONE),
    (VectorOp::MaxA, "maxa", 2, ADDRESS),
];

impl VectorOp {
    pub fn from_opcode(opcode: u32) -> Option<VectorOp> {
        VECTOR_OPS.get(opcode as usize).map(|row| row.0)
    }

    fn row(self) -> &'static (VectorOp, &'static str, usize, Effects) {
        &VECTOR_OPS[self as usize]
    }

    /// The assembler mnemonic.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// How many of sources 1–3 the operation reads.
    pub fn operand_count(self) -> usize {
        self.row().2
    }

    pub fn effects(self) -> Effects {
        self.row().3
    }
}

/// Scalar opcodes, bits 26–31 of dword 0 (xenia `ucode.h`
/// `AluScalarOpcode`; 41 and 51–63 are undefined). `mulsc`, `addsc` and
/// `subsc` each take two opcodes, the low bit being part of their
/// temporary register's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarOp {
    Adds,
    AddsPrev,
    Muls,
    MulsPrev,
    MulsPrev2,
    Maxs,
    Mins,
    Seqs,
    Sgts,
    Sges,
    Snes,
    Frcs,
    Truncs,
    Floors,
    Exp,
    Logc,
    Log,
    Rcpc,
    Rcpf,
    Rcp,
    Rsqc,
    Rsqf,
    Rsq,
    MaxAs,
    MaxAsf,
    Subs,
    SubsPrev,
    SetpEq,
    SetpNe,
    SetpGt,
    SetpGe,
    SetpInv,
    SetpPop,
    SetpClr,
    SetpRstr,
    KillsEq,
    KillsGt,
    KillsGe,
    KillsNe,
    KillsOne,
    Sqrt,
    Mulsc,
    Addsc,
    Subsc,
    Sin,
    Cos,
    RetainPrev,
}

/// How a scalar operation reads source 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarOperands {
    /// None (`setp_clr`, `retain_prev`).
    None,
    /// Component `a` of source 3.
    A,
    /// Components `a` and `b` of source 3.
    AB,
    /// A constant's `a` and a temporary's `b` (`mulsc`, `addsc`, `subsc`).
    ConstantAndTemporary,
}

/// Per scalar opcode (index = opcode; `None` = undefined): assembler name,
/// operands, side effects (xenia `ucode.cc` `kAluScalarOpcodeInfos`).
const SCALAR_OPS: [Option<(ScalarOp, &str, ScalarOperands, Effects)>; 51] = {
    use ScalarOperands::{ConstantAndTemporary as CT, None as N, A, AB};
    [
        Some((ScalarOp::Adds, "adds", AB, NONE)),
        Some((ScalarOp::AddsPrev, "adds_prev", A, NONE)),
        Some((ScalarOp::Muls, "muls", AB, NONE)),
        Some((ScalarOp::MulsPrev, "muls_prev", A, NONE)),
        Some((ScalarOp::MulsPrev2, "muls_prev2", AB, NONE)),
        Some((ScalarOp::Maxs, "maxs", AB, NONE)),
        Some((ScalarOp::Mins, "mins", AB, NONE)),
        Some((ScalarOp::Seqs, "seqs", A, NONE)),
        Some((ScalarOp::Sgts, "sgts", A, NONE)),
        Some((ScalarOp::Sges, "sges", A, NONE)),
        Some((ScalarOp::Snes, "snes", A, NONE)),
        Some((ScalarOp::Frcs, "frcs", A, NONE)),
        Some((ScalarOp::Truncs, "truncs", A, NONE)),
        Some((ScalarOp::Floors, "floors", A, NONE)),
        Some((ScalarOp::Exp, "exp", A, NONE)),
        Some((ScalarOp::Logc, "logc", A, NONE)),
        Some((ScalarOp::Log, "log", A, NONE)),
        Some((ScalarOp::Rcpc, "rcpc", A, NONE)),
        Some((ScalarOp::Rcpf, "rcpf", A, NONE)),
        Some((ScalarOp::Rcp, "rcp", A, NONE)),
        Some((ScalarOp::Rsqc, "rsqc", A, NONE)),
        Some((ScalarOp::Rsqf, "rsqf", A, NONE)),
        Some((ScalarOp::Rsq, "rsq", A, NONE)),
        Some((ScalarOp::MaxAs, "maxas", AB, ADDRESS)),
        Some((ScalarOp::MaxAsf, "maxasf", AB, ADDRESS)),
        Some((ScalarOp::Subs, "subs", AB, NONE)),
        Some((ScalarOp::SubsPrev, "subs_prev", A, NONE)),
        Some((ScalarOp::SetpEq, "setp_eq", A, PREDICATE)),
        Some((ScalarOp::SetpNe, "setp_ne", A, PREDICATE)),
        Some((ScalarOp::SetpGt, "setp_gt", A, PREDICATE)),
        Some((ScalarOp::SetpGe, "setp_ge", A, PREDICATE)),
        Some((ScalarOp::SetpInv, "setp_inv", A, PREDICATE)),
        Some((ScalarOp::SetpPop, "setp_pop", A, PREDICATE)),
        Some((ScalarOp::SetpClr, "setp_clr", N, PREDICATE)),
        Some((ScalarOp::SetpRstr, "setp_rstr", A, PREDICATE)),
        Some((ScalarOp::KillsEq, "kills_eq", A, KILL)),
        Some((ScalarOp::KillsGt, "kills_gt", A, KILL)),
        Some((ScalarOp::KillsGe, "kills_ge", A, KILL)),
        Some((ScalarOp::KillsNe, "kills_ne", A, KILL)),
        Some((ScalarOp::KillsOne, "kills_one", A, KILL)),
        Some((ScalarOp::Sqrt, "sqrt", A, NONE)),
        None,
        Some((ScalarOp::Mulsc, "mulsc", CT, NONE)),
        Some((ScalarOp::Mulsc, "mulsc", CT, NONE)),
        Some((ScalarOp::Addsc, "addsc", CT, NONE)),
        Some((ScalarOp::Addsc, "addsc", CT, NONE)),
        Some((ScalarOp::Subsc, "subsc", CT, NONE)),
        Some((ScalarOp::Subsc, "subsc", CT, NONE)),
        Some((ScalarOp::Sin, "sin", A, NONE)),
        Some((ScalarOp::Cos, "cos", A, NONE)),
        Some((ScalarOp::RetainPrev, "retain_prev", N, NONE)),
    ]
};

impl ScalarOp {
    pub fn from_opcode(opcode: u32) -> Option<ScalarOp> {
        SCALAR_OPS.get(opcode as usize).copied().flatten().map(|row| row.0)
    }

    fn row(self) -> (ScalarOp, &'static str, ScalarOperands, Effects) {
        let found = SCALAR_OPS.iter().flatten().find(|row| row.0 == self);
        // Every variant has a row; the fallback is never taken.
        found.copied().unwrap_or((self, "", ScalarOperands::None, NONE))
    }

    pub fn name(self) -> &'static str {
        self.row().1
    }

    pub fn operands(self) -> ScalarOperands {
        self.row().2
    }

    pub fn effects(self) -> Effects {
        self.row().3
    }
}

/// A decoded ALU instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct AluInstruction {
    pub vector_op: VectorOp,
    /// Sources 1.. the vector operation reads.
    pub vector_sources: Vec<Source>,
    pub vector_dest: Destination,
    pub scalar_op: ScalarOp,
    /// One source (`a` / `ab` of source 3), or a constant and a temporary
    /// for `mulsc` / `addsc` / `subsc`, or none.
    pub scalar_sources: Vec<Source>,
    pub scalar_dest: Destination,
    /// `Some(expected)`: runs only where `p0` equals `expected`.
    pub predicate: Option<bool>,
    /// Both results go to one export register instead of temporaries.
    pub export: bool,
}

/// The raw fields of the three dwords.
struct Fields {
    words: [u32; 3],
}

impl Fields {
    fn source_swizzle(&self, source: u32) -> u32 {
        bits(self.words[1], 8 * (3 - source), 8)
    }

    fn source_negate(&self, source: u32) -> bool {
        bit(self.words[1], 27 - source)
    }

    fn source_register(&self, source: u32) -> u32 {
        bits(self.words[2], 8 * (3 - source), 8)
    }

    fn source_is_temporary(&self, source: u32) -> bool {
        bit(self.words[2], 32 - source)
    }

    /// Whether source `source`, if a constant, is relatively addressed: the
    /// first constant among sources 1–3 uses bit 31, later ones bit 30
    /// (xenia `ucode.h` `src_const_is_addressed`).
    fn constant_is_relative(&self, source: u32) -> bool {
        let earlier_constants = (1..source).any(|s| !self.source_is_temporary(s));
        bit(self.words[1], if earlier_constants { 30 } else { 31 })
    }

    fn constant_addressing(&self, source: u32) -> Addressing {
        if !self.constant_is_relative(source) {
            Addressing::Absolute
        } else if bit(self.words[1], 29) {
            Addressing::AddressRelative
        } else {
            Addressing::LoopRelative
        }
    }

    /// Source `source` with `components` components: four in result order,
    /// or the scalar `a` (component 3's swizzle) then `b` (component 0's).
    fn source(&self, source: u32, components: u8) -> Source {
        let swizzle = self.source_swizzle(source);
        let pick = |component: u32| Component::from_index((swizzle >> (2 * component)) + component);
        let mut read = [Component::X; 4];
        match components {
            4 => read = [pick(0), pick(1), pick(2), pick(3)],
            _ => {
                read[0] = pick(3);
                read[1] = pick(0);
            }
        }
        let register = self.source_register(source);
        let negate = self.source_negate(source);
        if self.source_is_temporary(source) {
            Source {
                file: RegisterFile::Temporary,
                index: (register & 0x3F) as u8,
                addressing: if register & 0x40 != 0 { Addressing::LoopRelative } else { Addressing::Absolute },
                negate,
                abs: register & 0x80 != 0,
                read,
                count: components,
            }
        } else {
            Source {
                file: RegisterFile::Constant,
                index: register as u8,
                addressing: self.constant_addressing(source),
                negate,
                abs: bit(self.words[0], 7),
                read,
                count: components,
            }
        }
    }

    /// The constant and temporary of `mulsc` / `addsc` / `subsc`: constant
    /// `c<source 3 register>.a`, and temporary `r<n>.b` where `n` is built
    /// from the opcode's low bit (bit 0), source 3's temporary flag (bit 1)
    /// and bits 2–5 of its swizzle (xenia `ucode.h`).
    fn constant_and_temporary(&self, opcode: u32) -> [Source; 2] {
        let swizzle = self.source_swizzle(3);
        let common = Source {
            file: RegisterFile::Constant,
            index: self.source_register(3) as u8,
            addressing: self.constant_addressing(3),
            negate: self.source_negate(3),
            abs: bit(self.words[0], 7),
            read: [Component::from_index((swizzle >> 6) + 3); 4],
            count: 1,
        };
        let index = (opcode & 1) | (self.source_is_temporary(3) as u32) << 1 | (swizzle & 0x3C);
        let temporary = Source {
            file: RegisterFile::Temporary,
            index: index as u8,
            addressing: Addressing::Absolute,
            read: [Component::from_index(swizzle); 4],
            ..common
        };
        [common, temporary]
    }
}

/// The export register an exporting ALU instruction writes (xenia
/// `ucode.h` `ExportRegister`).
fn export_target(register: u32, stage: ShaderStage) -> Option<Target> {
    match (register, stage) {
        (32, _) => Some(Target::ExportAddress),
        (33..=37, _) => Some(Target::ExportData((register - 33) as u8)),
        (0..=15, ShaderStage::Vertex) => Some(Target::Interpolator(register as u8)),
        (62, ShaderStage::Vertex) => Some(Target::Position),
        (63, ShaderStage::Vertex) => Some(Target::PointSizeEdgeFlagKill),
        (0..=3, ShaderStage::Pixel) => Some(Target::Color(register as u8)),
        (61, ShaderStage::Pixel) => Some(Target::Depth),
        _ => None,
    }
}

impl AluInstruction {
    /// Decodes the slot at `dword` (for errors).
    pub fn decode(words: [u32; 3], dword: usize, stage: ShaderStage) -> Result<AluInstruction, DecodeError> {
        let fields = Fields { words };
        let [w0, w1, w2] = words;
        let vector_opcode = bits(w2, 24, 5);
        let vector_op = VectorOp::from_opcode(vector_opcode).ok_or_else(|| {
            DecodeError::field(dword + 2, "vector opcode", vector_opcode, "undefined ALU vector opcode")
        })?;
        let scalar_opcode = bits(w0, 26, 6);
        let scalar_op = ScalarOp::from_opcode(scalar_opcode)
            .ok_or_else(|| DecodeError::field(dword, "scalar opcode", scalar_opcode, "undefined ALU scalar opcode"))?;

        let export = bit(w0, 15);
        let vector_mask = bits(w0, 16, 4);
        let scalar_mask = bits(w0, 20, 4);
        let identity = |mask: u32| -> [Write; 4] {
            Component::ALL.map(|c| if mask >> c.index() & 1 == 1 { Write::From(c) } else { Write::Keep })
        };
        let (vector_target, scalar_target, vector_writes, scalar_writes) = if export {
            let register = bits(w0, 0, 6);
            let target = export_target(register, stage).ok_or_else(|| {
                DecodeError::field(dword, "export register", register, "not an export register of this shader stage")
            })?;
            // Per component: vector mask only → vector result; scalar only →
            // scalar result; both → 1.0; neither → unchanged, or 0.0 when
            // the scalar destination's relative bit is set (xenia `ucode.h`).
            let zero_unwritten = bit(w0, 14);
            let vector_writes = Component::ALL.map(|c| {
                let (v, s) = (vector_mask >> c.index() & 1 == 1, scalar_mask >> c.index() & 1 == 1);
                match (v, s) {
                    (true, true) => Write::One,
                    (true, false) => Write::From(c),
                    (false, false) if zero_unwritten => Write::Zero,
                    _ => Write::Keep,
                }
            });
            (target, target, vector_writes, identity(scalar_mask & !vector_mask))
        } else {
            let vector = Target::Temporary { index: bits(w0, 0, 6) as u8, relative: bit(w0, 6) };
            let scalar = Target::Temporary { index: bits(w0, 8, 6) as u8, relative: bit(w0, 14) };
            (vector, scalar, identity(vector_mask), identity(scalar_mask))
        };

        let vector_sources = (1..=vector_op.operand_count() as u32).map(|s| fields.source(s, 4)).collect();
        let scalar_sources = match scalar_op.operands() {
            ScalarOperands::None => Vec::new(),
            ScalarOperands::A => vec![fields.source(3, 1)],
            ScalarOperands::AB => vec![fields.source(3, 2)],
            ScalarOperands::ConstantAndTemporary => fields.constant_and_temporary(scalar_opcode).to_vec(),
        };
        Ok(AluInstruction {
            vector_op,
            vector_sources,
            vector_dest: Destination { target: vector_target, writes: vector_writes, saturate: bit(w0, 24) },
            scalar_op,
            scalar_sources,
            scalar_dest: Destination { target: scalar_target, writes: scalar_writes, saturate: bit(w0, 25) },
            predicate: bit(w1, 28).then_some(bit(w1, 27)),
            export,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Component::{W, X, Y, Z};

    fn decode(words: [u32; 3], stage: ShaderStage) -> AluInstruction {
        AluInstruction::decode(words, 0, stage).unwrap()
    }

    #[test]
    fn mad_reads_three_sources_with_swizzles_negation_and_abs() {
        // mad r5.xy__, -r1_abs.wzyx, c7.xxxx, r[2+aL]
        // dword 0: vector dest 5, vector mask 0b0011, scalar retain_prev
        //   (50 << 26) with mask 0: 0x0003_0005 | 0xC800_0000.
        // dword 1: src1 swizzle wzyx relative = (3-0, 2-1, 1-2, 0-3) mod 4
        //   = 3, 1, 3, 1 → 0b01_11_01_11 = 0x77 in 16–23; src2 swizzle xxxx
        //   relative = (0, -1, -2, -3) mod 4 = 0, 3, 2, 1 → 0b01_10_11_00 =
        //   0x6C in 8–15; src3 identity; src1 negated (26).
        // dword 2: src1 r1 with abs (0x81) in 16–23, src2 c7 in 8–15, src3
        //   r2 aL-relative (0x42) in 0–7; opcode 11; src1 and src3 temps.
        let words = [0xC803_0005, 0x0477_6C00, 0xAB81_0742];
        let alu = decode(words, ShaderStage::Vertex);
        assert_eq!(alu.vector_op, VectorOp::Mad);
        assert_eq!(alu.vector_dest.target, Target::Temporary { index: 5, relative: false });
        assert_eq!(alu.vector_dest.write_mask(), 0b0011);
        let [s1, s2, s3] = &alu.vector_sources[..] else { panic!("{:?}", alu.vector_sources) };
        assert_eq!((s1.file, s1.index, s1.negate, s1.abs), (RegisterFile::Temporary, 1, true, true));
        assert_eq!(s1.swizzle(), [W, Z, Y, X]);
        assert_eq!((s2.file, s2.index, s2.addressing), (RegisterFile::Constant, 7, Addressing::Absolute));
        assert_eq!(s2.swizzle(), [X, X, X, X]);
        assert_eq!((s3.index, s3.addressing, s3.swizzle()), (2, Addressing::LoopRelative, &[X, Y, Z, W][..]));
        assert_eq!(alu.scalar_op, ScalarOp::RetainPrev);
        assert!(alu.scalar_sources.is_empty());
        assert_eq!(alu.scalar_dest.write_mask(), 0);
        assert_eq!(alu.predicate, None);
    }

    #[test]
    fn co_issued_scalar_reads_a_and_b_of_source_three() {
        // (!p0) dp4 r0.x___, c0, r1  +  (!p0) maxs_sat r3.___w, r2.wx
        // dword 0: vector dest 0, scalar dest 3 (8–13), vector mask 0b0001,
        //   scalar mask 0b1000, scalar saturate (25), opcode 5 (maxs)
        //   = 3 << 8 | 1 << 16 | 8 << 20 | 1 << 25 | 5 << 26.
        // dword 1: src3 swizzle 0 reads a = w (component 3 + 0) and b = x;
        //   predicated (28), expected 0 (27).
        // dword 2: src1 c0 (constant), src2 r1, src3 r2; opcode 15.
        let words = [0x1681_0300, 0x1000_0000, 0x6F00_0102];
        let alu = decode(words, ShaderStage::Pixel);
        assert_eq!(alu.vector_op, VectorOp::Dp4);
        assert_eq!(alu.vector_sources[0].file, RegisterFile::Constant);
        assert_eq!(alu.vector_sources[1].file, RegisterFile::Temporary);
        assert_eq!(alu.scalar_op, ScalarOp::Maxs);
        assert_eq!(alu.scalar_dest.target, Target::Temporary { index: 3, relative: false });
        assert_eq!(alu.scalar_dest.writes, [Write::Keep, Write::Keep, Write::Keep, Write::From(W)]);
        assert!(alu.scalar_dest.saturate && !alu.vector_dest.saturate);
        let [a] = &alu.scalar_sources[..] else { panic!() };
        assert_eq!((a.file, a.index, a.swizzle()), (RegisterFile::Temporary, 2, &[W, X][..]));
        assert_eq!(alu.predicate, Some(false));
    }

    #[test]
    fn mulsc_builds_its_temporary_from_opcode_flag_and_swizzle_bits() {
        // mulsc r0.__z_, c12.y, r5.x: opcode 43 (low bit 1), src3 flagged
        // a constant (bit 1 of the index 0), swizzle 0b10_0001_00 (bits
        // 2–5 = 0b0100) → temporary index 1 | 0 | 4 = 5. The constant reads
        // a = component 3: (2 + 3) & 3 = y; the temporary b = 0 & 3 = x.
        // dword 0: scalar mask 0b0100 (20), opcode 43.
        // dword 1: src3 swizzle 0x84.
        // dword 2: src3 register 12; vector op max reading r0, r0 (bits 30,
        //   31 set), src3 a constant.
        let words = [0xAC40_0000, 0x0000_0084, 0xC200_000C];
        let alu = decode(words, ShaderStage::Vertex);
        assert_eq!(alu.scalar_op, ScalarOp::Mulsc);
        let [c, r] = &alu.scalar_sources[..] else { panic!() };
        assert_eq!((c.file, c.index, c.swizzle()), (RegisterFile::Constant, 12, &[Y][..]));
        assert_eq!((r.file, r.index, r.swizzle()), (RegisterFile::Temporary, 5, &[X][..]));
        assert_eq!(alu.scalar_dest.write_mask(), 0b0100);
    }

    #[test]
    fn exports_mix_vector_scalar_and_constant_components() {
        // Vertex oPos (62) from the vector op in xy, the scalar op in z,
        // 1.0 in w (both masks): vector mask 0b1011, scalar mask 0b1100.
        let w0 = 62 | 1 << 15 | 0b1011 << 16 | 0b1100 << 20 | 19 << 26;
        let alu = decode([w0, 0, 0xC000_0000], ShaderStage::Vertex);
        assert!(alu.export);
        assert_eq!(alu.vector_dest.target, Target::Position);
        assert_eq!(alu.vector_dest.writes, [Write::From(X), Write::From(Y), Write::Keep, Write::One]);
        assert_eq!(alu.scalar_dest.target, Target::Position);
        assert_eq!(alu.scalar_dest.writes, [Write::Keep, Write::Keep, Write::From(Z), Write::Keep]);
        assert_eq!(alu.scalar_op, ScalarOp::Rcp);

        // With the scalar-relative bit, unwritten components get 0.0.
        let alu = decode([w0 & !(0b1100 << 20) | 1 << 14, 0, 0xC000_0000], ShaderStage::Vertex);
        assert_eq!(alu.vector_dest.writes, [Write::From(X), Write::From(Y), Write::Zero, Write::From(W)]);
    }

    #[test]
    fn export_registers_depend_on_the_stage() {
        let target = |register: u32, stage| {
            AluInstruction::decode([register | 1 << 15 | 0xF << 16 | 50 << 26, 0, 0], 0, stage)
                .map(|alu| alu.vector_dest.target)
        };
        assert_eq!(target(15, ShaderStage::Vertex), Ok(Target::Interpolator(15)));
        assert_eq!(target(63, ShaderStage::Vertex), Ok(Target::PointSizeEdgeFlagKill));
        assert_eq!(target(3, ShaderStage::Pixel), Ok(Target::Color(3)));
        assert_eq!(target(61, ShaderStage::Pixel), Ok(Target::Depth));
        assert_eq!(target(32, ShaderStage::Pixel), Ok(Target::ExportAddress));
        assert_eq!(target(37, ShaderStage::Vertex), Ok(Target::ExportData(4)));
        assert_eq!(
            target(4, ShaderStage::Pixel),
            Err(DecodeError::field(0, "export register", 4, "not an export register of this shader stage"))
        );
        assert!(target(62, ShaderStage::Pixel).is_err());
    }

    #[test]
    fn constant_relative_addressing_picks_bit_31_for_the_first_constant_and_30_for_later_ones() {
        // add r0, c[0+a0], c4: the first constant relative (31), the
        // second not (30); bit 29 picks a0 over aL.
        let w1 = 1 << 31 | 1 << 29;
        let alu = decode([0xF << 16 | 50 << 26, w1, 0x0000_0409], ShaderStage::Vertex);
        assert_eq!(alu.vector_op, VectorOp::Add);
        assert_eq!(alu.vector_sources[0].addressing, Addressing::AddressRelative);
        assert_eq!(alu.vector_sources[1].addressing, Addressing::Absolute);
        // Source 1 a temporary: source 2 is the first constant, bit 31.
        let alu = decode([0xF << 16 | 50 << 26, 1 << 31, 0x8000_0409], ShaderStage::Vertex);
        assert_eq!(alu.vector_sources[1].addressing, Addressing::LoopRelative);
    }

    #[test]
    fn every_defined_opcode_has_a_name_and_undefined_ones_are_errors() {
        assert_eq!((0..32).filter_map(VectorOp::from_opcode).count(), 30);
        // 51 opcodes less the undefined 41; mulsc, addsc and subsc take two each.
        assert_eq!((0..64).filter_map(ScalarOp::from_opcode).count(), 50);
        for op in (0..64).filter_map(ScalarOp::from_opcode) {
            assert!(!op.name().is_empty(), "{op:?}");
        }
        assert_eq!(VectorOp::from_opcode(29).map(VectorOp::name), Some("maxa"));
        assert_eq!(ScalarOp::from_opcode(50).map(ScalarOp::name), Some("retain_prev"));
        assert!(VectorOp::Max4.operand_count() == 1 && VectorOp::Dp2Add.operand_count() == 3);
        assert!(ScalarOp::KillsOne.effects().pixel_kill && VectorOp::MaxA.effects().address_register);
        assert_eq!(
            AluInstruction::decode([0, 0, 30 << 24], 6, ShaderStage::Vertex),
            Err(DecodeError::field(8, "vector opcode", 30, "undefined ALU vector opcode"))
        );
        assert_eq!(
            AluInstruction::decode([41 << 26, 0, 0], 6, ShaderStage::Vertex),
            Err(DecodeError::field(6, "scalar opcode", 41, "undefined ALU scalar opcode"))
        );
    }
}
