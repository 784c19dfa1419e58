//! Control-flow instructions: 48 bits each, two packed in one three-dword
//! slot (xenia `ucode.h`).
//!
//! As one 48-bit value, with dword 0 of the instruction in bits 0–31 and
//! its 16-bit second half in bits 32–47, every instruction keeps its opcode
//! in bits 44–47 and (except alloc) its addressing mode in bit 43. The
//! first of a pair is dword 0 plus the low half of dword 1; the second is
//! the high half of dword 1 plus dword 2.

use super::ShaderStage;

/// Splits a CF slot into its two 48-bit instructions.
pub fn unpack_pair(words: [u32; 3]) -> [u64; 2] {
    let first = words[0] as u64 | ((words[1] & 0xFFFF) as u64) << 32;
    let second = (words[1] >> 16) as u64 | (words[2] as u64) << 16;
    [first, second]
}

/// The dword where CF instruction `index` starts.
pub fn dword_of(index: u32) -> usize {
    (index / 2) as usize * super::SLOT_DWORDS + (index % 2) as usize
}

fn bits(value: u64, low: u32, count: u32) -> u32 {
    ((value >> low) & ((1 << count) - 1)) as u32
}

fn bit(value: u64, at: u32) -> bool {
    value >> at & 1 == 1
}

/// The 4-bit CF opcode (xenia `ucode.h` `ControlFlowOpcode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CfOpcode {
    Nop = 0,
    Exec = 1,
    ExecEnd = 2,
    /// `cexec` on a bool constant; the predicate is not clean.
    CondExec = 3,
    CondExecEnd = 4,
    /// `(p0) exec`: on the predicate.
    CondExecPred = 5,
    CondExecPredEnd = 6,
    LoopStart = 7,
    LoopEnd = 8,
    CondCall = 9,
    Return = 10,
    CondJmp = 11,
    Alloc = 12,
    /// `cexec` on a bool constant with the predicate clean (despite its
    /// name in the R400 documents, xenia found it takes a bool constant).
    CondExecPredClean = 13,
    CondExecPredCleanEnd = 14,
    /// A hint that no more vertex fetches follow.
    MarkVsFetchDone = 15,
}

impl CfOpcode {
    const ALL: [CfOpcode; 16] = [
        CfOpcode::Nop,
        CfOpcode::Exec,
        CfOpcode::ExecEnd,
        CfOpcode::CondExec,
        CfOpcode::CondExecEnd,
        CfOpcode::CondExecPred,
        CfOpcode::CondExecPredEnd,
        CfOpcode::LoopStart,
        CfOpcode::LoopEnd,
        CfOpcode::CondCall,
        CfOpcode::Return,
        CfOpcode::CondJmp,
        CfOpcode::Alloc,
        CfOpcode::CondExecPredClean,
        CfOpcode::CondExecPredCleanEnd,
        CfOpcode::MarkVsFetchDone,
    ];

    /// The opcode in bits 44–47 of a CF instruction.
    pub fn of(cf: u64) -> CfOpcode {
        CfOpcode::ALL[bits(cf, 44, 4) as usize]
    }
}

/// Which register set relative addressing inside the block uses (bit 43).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressingMode {
    /// Relative to the loop counter `aL`.
    Relative,
    /// Relative to the address register `a0`.
    Absolute,
}

impl AddressingMode {
    fn of(cf: u64) -> Self {
        if bit(cf, 43) {
            AddressingMode::Absolute
        } else {
            AddressingMode::Relative
        }
    }
}

/// What a conditional CF instruction tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    Always,
    /// The predicate `p0` equals `expected` (`(p0)` / `(!p0)`). For an
    /// exec, the block runs if any of the 64 invocations passes.
    Predicate {
        expected: bool,
    },
    /// Bool constant `b<index>` equals `expected` (`b<n>` / `!b<n>`).
    BoolConstant {
        index: u8,
        expected: bool,
    },
}

/// One CF instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum ControlFlow {
    /// `cnop`.
    Nop,
    Exec(Exec),
    LoopStart(LoopStart),
    LoopEnd(LoopEnd),
    /// `call` / `ccall`: pushes a return address (at most 4 deep).
    Call(Branch),
    /// `ret`: back to the last call; nothing outside one.
    Return {
        addressing: AddressingMode,
    },
    /// `jmp` / `cjmp`.
    Jump(Jump),
    Alloc(Alloc),
    MarkVsFetchDone,
}

impl ControlFlow {
    /// Decodes one 48-bit CF instruction. Every opcode is defined and every
    /// field value is valid, so this cannot fail; the walk in
    /// [`super::decode`] checks addresses against the microcode.
    pub fn decode(cf: u64, stage: ShaderStage) -> ControlFlow {
        let addressing = AddressingMode::of(cf);
        let opcode = CfOpcode::of(cf);
        match opcode {
            CfOpcode::Nop => ControlFlow::Nop,
            CfOpcode::Exec
            | CfOpcode::ExecEnd
            | CfOpcode::CondExec
            | CfOpcode::CondExecEnd
            | CfOpcode::CondExecPred
            | CfOpcode::CondExecPredEnd
            | CfOpcode::CondExecPredClean
            | CfOpcode::CondExecPredCleanEnd => ControlFlow::Exec(Exec::decode(cf, opcode, addressing)),
            CfOpcode::LoopStart => ControlFlow::LoopStart(LoopStart {
                skip_address: bits(cf, 0, 13),
                repeat: bit(cf, 13),
                loop_constant: bits(cf, 16, 5) as u8,
                addressing,
            }),
            CfOpcode::LoopEnd => ControlFlow::LoopEnd(LoopEnd {
                body_address: bits(cf, 0, 13),
                loop_constant: bits(cf, 16, 5) as u8,
                predicated_break: bit(cf, 21).then_some(bit(cf, 42)),
                addressing,
            }),
            CfOpcode::CondCall => ControlFlow::Call(Branch::decode(cf, addressing)),
            CfOpcode::Return => ControlFlow::Return { addressing },
            CfOpcode::CondJmp => {
                ControlFlow::Jump(Jump { branch: Branch::decode(cf, addressing), direction: bit(cf, 33) })
            }
            CfOpcode::Alloc => ControlFlow::Alloc(Alloc::decode(cf, stage)),
            CfOpcode::MarkVsFetchDone => ControlFlow::MarkVsFetchDone,
        }
    }

    /// The CF address this instruction may continue at other than the next
    /// one: a jump or call target, the skip address of a loop start, the
    /// body address of a loop end.
    pub fn target(&self) -> Option<u32> {
        match self {
            ControlFlow::LoopStart(start) => Some(start.skip_address),
            ControlFlow::LoopEnd(end) => Some(end.body_address),
            ControlFlow::Call(call) => Some(call.target),
            ControlFlow::Jump(jump) => Some(jump.branch.target),
            _ => None,
        }
    }
}

/// An exec block and its conditional forms: runs `count` instruction
/// slots from `address` (xenia `ucode.h` `ControlFlowExecInstruction`,
/// `ControlFlowCondExecInstruction`, `ControlFlowCondExecPredInstruction`).
///
/// Bits: address 0–11, count 12–14, yield 15, sequence 16–27, and 6 bits
/// xenia guesses are vertex-cache hints in 28–33. Then, for a plain or
/// predicated exec, predicate-clean in 41 and the expected predicate in 42;
/// for a bool-constant exec, the constant in 34–41 and its expected value
/// in 42.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exec {
    pub opcode: CfOpcode,
    pub condition: Condition,
    /// `exece`: the shader ends after this block (for a conditional exec,
    /// only if the condition held).
    pub ends_shader: bool,
    /// First instruction slot.
    pub address: u32,
    /// Instructions run, 0–6.
    pub count: u32,
    /// Two bits per instruction from bit 0: bit 0 fetch (else ALU), bit 1
    /// serialize (wait for earlier results before issuing).
    pub sequence: u32,
    pub is_yield: bool,
    /// The compiler clears this when the block changes the predicate, so
    /// the sequencer must wait for it (always false for `CondExec*`, true
    /// for `CondExecPredClean*`).
    pub predicate_clean: bool,
    pub vertex_cache: u8,
    pub addressing: AddressingMode,
}

/// Whether a slot holds an ALU or a fetch instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Alu,
    Fetch,
}

/// One instruction an exec block runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecSlot {
    pub address: u32,
    pub kind: SlotKind,
    pub serialize: bool,
}

impl Exec {
    fn decode(cf: u64, opcode: CfOpcode, addressing: AddressingMode) -> Exec {
        let condition = match opcode {
            CfOpcode::CondExec
            | CfOpcode::CondExecEnd
            | CfOpcode::CondExecPredClean
            | CfOpcode::CondExecPredCleanEnd => {
                Condition::BoolConstant { index: bits(cf, 34, 8) as u8, expected: bit(cf, 42) }
            }
            CfOpcode::CondExecPred | CfOpcode::CondExecPredEnd => Condition::Predicate { expected: bit(cf, 42) },
            _ => Condition::Always,
        };
        let predicate_clean = match opcode {
            CfOpcode::CondExec | CfOpcode::CondExecEnd => false,
            CfOpcode::CondExecPredClean | CfOpcode::CondExecPredCleanEnd => true,
            _ => bit(cf, 41),
        };
        Exec {
            opcode,
            condition,
            ends_shader: matches!(
                opcode,
                CfOpcode::ExecEnd | CfOpcode::CondExecEnd | CfOpcode::CondExecPredEnd | CfOpcode::CondExecPredCleanEnd
            ),
            address: bits(cf, 0, 12),
            count: bits(cf, 12, 3),
            sequence: bits(cf, 16, 12),
            is_yield: bit(cf, 15),
            predicate_clean,
            vertex_cache: bits(cf, 28, 6) as u8,
            addressing,
        }
    }

    /// An unconditional `exece`: nothing after it runs unless branched to.
    pub fn is_end(&self) -> bool {
        self.opcode == CfOpcode::ExecEnd
    }

    /// The slots this block runs, in order. The sequence field describes
    /// six; for a count of 7 the seventh reads as ALU, as xenia takes it.
    pub fn slots(&self) -> impl Iterator<Item = ExecSlot> + '_ {
        (0..self.count).map(move |i| {
            let pair = self.sequence.checked_shr(2 * i).unwrap_or(0);
            ExecSlot {
                address: self.address + i,
                kind: if pair & 1 == 1 { SlotKind::Fetch } else { SlotKind::Alu },
                serialize: pair & 2 == 2,
            }
        })
    }
}

/// `loop i<n>, L<skip>`: enters a loop (at most 4 deep) whose parameters
/// are in integer constant `i<n>`; jumps to `skip_address` if it runs zero
/// times (xenia `ucode.h` `ControlFlowLoopStartInstruction`: address 0–12,
/// repeat 13, constant 16–20).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopStart {
    pub skip_address: u32,
    /// Keep the current `aL` instead of resetting it.
    pub repeat: bool,
    pub loop_constant: u8,
    pub addressing: AddressingMode,
}

/// `endloop i<n>, L<body>`: counts an iteration and goes back to
/// `body_address` unless done (address 0–12, constant 16–20, predicated
/// break 21, its expected predicate 42).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopEnd {
    pub body_address: u32,
    pub loop_constant: u8,
    /// `Some(expected)`: also leave the loop when the predicate of every
    /// invocation equals `expected`.
    pub predicated_break: Option<bool>,
    pub addressing: AddressingMode,
}

/// The target and condition of a call or jump (address 0–12,
/// unconditional 13, predicated 14, bool constant 34–41, expected value
/// 42; xenia `ucode.h` `ControlFlowCondCallInstruction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Branch {
    pub target: u32,
    pub condition: Condition,
    pub addressing: AddressingMode,
}

impl Branch {
    fn decode(cf: u64, addressing: AddressingMode) -> Branch {
        let condition = if bit(cf, 13) {
            Condition::Always
        } else if bit(cf, 14) {
            Condition::Predicate { expected: bit(cf, 42) }
        } else {
            Condition::BoolConstant { index: bits(cf, 34, 8) as u8, expected: bit(cf, 42) }
        };
        Branch { target: bits(cf, 0, 13), condition, addressing }
    }
}

/// A jump: a [`Branch`] plus the direction bit (33) whose use is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    pub branch: Branch,
    pub direction: bool,
}

/// What an `alloc` reserves export space for (bits 41–42).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    None,
    /// Vertex shader position (`alloc position`).
    Position,
    /// Vertex shader interpolators (`alloc interpolators`).
    Interpolators,
    /// Pixel shader colours (`alloc colors`): the same encoding as
    /// interpolators.
    Colors,
    /// Memory export (`alloc export = <size>`).
    Memory,
}

/// `alloc`: reserves export space before the exports (size in bits 0–2,
/// unserialized 40, kind 41–42; xenia `ucode.h`
/// `ControlFlowAllocInstruction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alloc {
    pub kind: AllocKind,
    pub size: u8,
    pub unserialized: bool,
}

impl Alloc {
    fn decode(cf: u64, stage: ShaderStage) -> Alloc {
        let kind = match (bits(cf, 41, 2), stage) {
            (0, _) => AllocKind::None,
            (1, _) => AllocKind::Position,
            (2, ShaderStage::Vertex) => AllocKind::Interpolators,
            (2, ShaderStage::Pixel) => AllocKind::Colors,
            _ => AllocKind::Memory,
        };
        Alloc { kind, size: bits(cf, 0, 3) as u8, unserialized: bit(cf, 40) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs two 48-bit CF instructions into a slot, the inverse of
    /// [`unpack_pair`], written from the layout rather than by inverting it.
    fn pack(a: u64, b: u64) -> [u32; 3] {
        [a as u32, (a >> 32) as u32 & 0xFFFF | (b as u32 & 0xFFFF) << 16, (b >> 16) as u32]
    }

    #[test]
    fn a_pair_unpacks_into_its_two_48_bit_halves() {
        let words = [0x1111_2222, 0xAAAA_3333, 0xBBBB_CCCC];
        assert_eq!(unpack_pair(words), [0x3333_1111_2222, 0xBBBB_CCCC_AAAA]);
        assert_eq!(pack(0x3333_1111_2222, 0xBBBB_CCCC_AAAA), words);
    }

    #[test]
    fn exec_fields_decode_from_their_bits() {
        // exec: address 5, count 3, yield, sequence fetch / alu+serialize /
        // fetch (01 10 01 from bit 16 → 0b01_10_01), vc 0b101010,
        // predicate clean, addressing a0, opcode 1.
        let cf: u64 = 5 | 3 << 12 | 1 << 15 | 0b01_10_01 << 16 | 0b10_1010 << 28 | 1 << 41 | 1 << 43 | 1 << 44;
        let ControlFlow::Exec(exec) = ControlFlow::decode(cf, ShaderStage::Vertex) else { panic!() };
        assert_eq!(exec.opcode, CfOpcode::Exec);
        assert_eq!(exec.condition, Condition::Always);
        assert_eq!((exec.address, exec.count, exec.sequence), (5, 3, 0b01_10_01));
        assert!(exec.is_yield && exec.predicate_clean && !exec.ends_shader && !exec.is_end());
        assert_eq!(exec.vertex_cache, 0b10_1010);
        assert_eq!(exec.addressing, AddressingMode::Absolute);
        let slots: Vec<_> = exec.slots().map(|s| (s.address, s.kind, s.serialize)).collect();
        assert_eq!(slots, [(5, SlotKind::Fetch, false), (6, SlotKind::Alu, true), (7, SlotKind::Fetch, false)]);
    }

    #[test]
    fn cond_exec_forms_take_a_bool_constant_or_the_predicate() {
        // cexece !b130 (opcode 4): constant 130 in 34–41, expected 0.
        let cf = 9u64 | 1 << 12 | 130 << 34 | 4 << 44;
        let ControlFlow::Exec(exec) = ControlFlow::decode(cf, ShaderStage::Pixel) else { panic!() };
        assert_eq!(exec.condition, Condition::BoolConstant { index: 130, expected: false });
        assert!(exec.ends_shader && !exec.is_end() && !exec.predicate_clean);

        // cexec b7 with a clean predicate (opcode 13), expected 1.
        let cf = 9u64 | 7 << 34 | 1 << 42 | 13 << 44;
        let ControlFlow::Exec(exec) = ControlFlow::decode(cf, ShaderStage::Pixel) else { panic!() };
        assert_eq!(exec.condition, Condition::BoolConstant { index: 7, expected: true });
        assert!(exec.predicate_clean && !exec.ends_shader);

        // (!p0) exece (opcode 6) with predicate clean unset.
        let cf = 9u64 | 6 << 44;
        let ControlFlow::Exec(exec) = ControlFlow::decode(cf, ShaderStage::Pixel) else { panic!() };
        assert_eq!(exec.condition, Condition::Predicate { expected: false });
        assert!(exec.ends_shader && !exec.predicate_clean);
    }

    #[test]
    fn loops_name_their_constant_and_targets() {
        // loop i3, L6, Repeat=true
        let cf = 6u64 | 1 << 13 | 3 << 16 | 7 << 44;
        assert_eq!(
            ControlFlow::decode(cf, ShaderStage::Vertex),
            ControlFlow::LoopStart(LoopStart {
                skip_address: 6,
                repeat: true,
                loop_constant: 3,
                addressing: AddressingMode::Relative
            })
        );
        // (p0) endloop i31, L2
        let cf = 2u64 | 31 << 16 | 1 << 21 | 1 << 42 | 8 << 44;
        let decoded = ControlFlow::decode(cf, ShaderStage::Vertex);
        assert_eq!(
            decoded,
            ControlFlow::LoopEnd(LoopEnd {
                body_address: 2,
                loop_constant: 31,
                predicated_break: Some(true),
                addressing: AddressingMode::Relative
            })
        );
        assert_eq!(decoded.target(), Some(2));
    }

    #[test]
    fn calls_and_jumps_are_unconditional_predicated_or_on_a_bool_constant() {
        let call = |cf: u64| match ControlFlow::decode(cf | 9 << 44, ShaderStage::Vertex) {
            ControlFlow::Call(branch) => branch,
            other => panic!("{other:?}"),
        };
        assert_eq!(call(0x1ABC | 1 << 13).condition, Condition::Always);
        assert_eq!(call(0x1ABC | 1 << 13).target, 0x1ABC);
        assert_eq!(call(4 | 1 << 14).condition, Condition::Predicate { expected: false });
        assert_eq!(call(4 | 255 << 34 | 1 << 42).condition, Condition::BoolConstant { index: 255, expected: true });

        let ControlFlow::Jump(jump) = ControlFlow::decode(12 | 1 << 33 | 5 << 34 | 11 << 44, ShaderStage::Pixel) else {
            panic!()
        };
        assert_eq!(jump.branch.target, 12);
        assert_eq!(jump.branch.condition, Condition::BoolConstant { index: 5, expected: false });
        assert!(jump.direction);
    }

    #[test]
    fn alloc_kind_two_is_interpolators_in_a_vertex_shader_and_colors_in_a_pixel_shader() {
        let cf = 2u64 << 41 | 12 << 44;
        let kind = |stage| match ControlFlow::decode(cf, stage) {
            ControlFlow::Alloc(alloc) => alloc.kind,
            other => panic!("{other:?}"),
        };
        assert_eq!(kind(ShaderStage::Vertex), AllocKind::Interpolators);
        assert_eq!(kind(ShaderStage::Pixel), AllocKind::Colors);
        let memory = ControlFlow::decode(4 | 1 << 40 | 3 << 41 | 12 << 44, ShaderStage::Vertex);
        assert_eq!(memory, ControlFlow::Alloc(Alloc { kind: AllocKind::Memory, size: 4, unserialized: true }));
    }

    #[test]
    fn other_opcodes_carry_no_fields() {
        assert_eq!(ControlFlow::decode(0xFFFF_FFFF, ShaderStage::Vertex), ControlFlow::Nop);
        assert_eq!(
            ControlFlow::decode(10 << 44 | 1 << 43, ShaderStage::Vertex),
            ControlFlow::Return { addressing: AddressingMode::Absolute }
        );
        assert_eq!(ControlFlow::decode(15 << 44, ShaderStage::Vertex), ControlFlow::MarkVsFetchDone);
        assert_eq!(dword_of(0), 0);
        assert_eq!(dword_of(1), 1);
        assert_eq!(dword_of(5), 7);
    }
}
