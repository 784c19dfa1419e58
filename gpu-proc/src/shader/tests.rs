//! Whole programs: hand-assembled shaders decoded and disassembled, the
//! errors of malformed control flow, and random words never panicking.

use super::alu::{Component, RegisterFile, ScalarOp, Target, VectorOp, Write};
use super::control::{AllocKind, Condition, ControlFlow, SlotKind};
use super::fetch::{Dimension, TextureOp, VertexFormat};
use super::*;
use Component::{X, Y, Z};

/// A pass-through vertex shader: position and a texture coordinate from
/// one stream of 5 dwords per vertex, out to oPos and o0.
///
/// ```text
/// exec                      (slots 3–4, both fetches)
///    vfetch_full r0.xyz1, r0.x, vf0, DataFormat=FMT_32_32_32_FLOAT, Stride=5
///    vfetch_mini r1.xy__, Offset=3, DataFormat=FMT_32_32_FLOAT
/// alloc position
/// exec                      (slot 5, ALU, serialized)
///    max oPos, r0, r0
/// alloc interpolators
/// exece                     (slot 6, ALU)
///    max o0.xy01, r1, r1
/// cnop
/// ```
const PASS_THROUGH_VS: [u32; 21] = [
    // CF pair 0: exec (address 3, count 2, sequence 0b0101: fetch, fetch;
    // predicate clean; opcode 1) and alloc position (kind 1 in bits 41–42,
    // opcode 12).
    0x0005_2003,
    0x0000_1200,
    0xC200_0000,
    // CF pair 1: exec (address 5, count 1, sequence 0b10: ALU, serialize)
    // and alloc interpolators (kind 2).
    0x0002_1005,
    0x0000_1200,
    0xC400_0000,
    // CF pair 2: exece (opcode 2, address 6, count 1, ALU) and cnop.
    0x0000_1006,
    0x0000_2200,
    0x0000_0000,
    // Slot 3: vfetch_full. Dword 0: must-be-one (19), constant 31 (20–24)
    // sub-index 2 (25–26) = hardware 95 = D3D vf0; source r0.x, dest r0.
    // Dword 1: dest swizzle x, y, z, 1 (0, 1, 2, 5 in 3-bit groups =
    // 0xA88), format 57 (16–21). Dword 2: stride 5.
    0x05F8_0000,
    0x0039_0A88,
    0x0000_0005,
    // Slot 4: vfetch_mini (dword 1 bit 30) into r1 (dword 0 bits 12–17),
    // swizzle x, y, keep, keep (0xFC8), format 37; offset 3 (dword 2 8–30).
    0x0008_1000,
    0x4025_0FC8,
    0x0000_0300,
    // Slot 5: max oPos, r0, r0. Dword 0: export register 62, export (15),
    // vector mask 0xF, scalar retain_prev (50 << 26) with mask 0. Dword 2:
    // sources r0, r0, r0 (temporaries, bits 29–31), vector opcode 2 (max).
    0xC80F_803E,
    0x0000_0000,
    0xE200_0000,
    // Slot 6: max o0.xy01, r1, r1. Vector mask 0b1011, scalar mask 0b1000
    // (both set on w: 1.0), the zero flag (14) making unwritten z 0.0.
    0xC88B_C000,
    0x0000_0000,
    0xE201_0100,
];

/// A pixel shader sampling tf0 at interpolant 0 into oC0.
///
/// ```text
/// exec                      (slot 2, fetch)
///    tfetch2D r0, r0.xy, tf0
/// alloc colors
/// exece                     (slot 3, ALU, serialized)
///    max oC0, r0, r0
/// cnop
/// ```
const TEXTURED_PS: [u32; 12] = [
    // CF pair 0: exec (address 2, count 1, sequence 0b01: fetch) and
    // alloc colors (kind 2).
    0x0001_1002,
    0x0000_1200,
    0xC400_0000,
    // CF pair 1: exece (address 3, count 1, sequence 0b10) and cnop.
    0x0002_1003,
    0x0000_2200,
    0x0000_0000,
    // Slot 2: tfetch2D. Dword 0: opcode 1, fetch-valid-only (19), source
    // swizzle x, y, z (0 | 1 << 2 | 2 << 4 in 26–31), constant 0, source
    // and dest r0. Dword 1: dest xyzw (0x688), every filter "fetch
    // constant" (3, 3, 3, aniso 7, arbitrary 7, 3, 3), computed LOD (28).
    // Dword 2: dimension 1 = 2D (14–15).
    0x9008_0001,
    0x1FFF_F688,
    0x0000_4000,
    // Slot 3: max oC0, r0, r0 (export register 0 in a pixel shader).
    0xC80F_8000,
    0x0000_0000,
    0xE200_0000,
];

#[test]
fn pass_through_vertex_shader_decodes_into_its_fetches_and_exports() {
    let program = decode(&PASS_THROUGH_VS, ShaderStage::Vertex).unwrap();

    assert_eq!(program.control_flow.len(), 6);
    let ControlFlow::Exec(fetches) = &program.control_flow[0] else { panic!("{:?}", program.control_flow[0]) };
    assert_eq!((fetches.address, fetches.count, fetches.condition), (3, 2, Condition::Always));
    assert!(fetches.slots().all(|s| s.kind == SlotKind::Fetch && !s.serialize));
    assert!(matches!(program.control_flow[1], ControlFlow::Alloc(a) if a.kind == AllocKind::Position));
    let ControlFlow::Exec(position) = &program.control_flow[2] else { panic!() };
    assert!(position.slots().all(|s| s.kind == SlotKind::Alu && s.serialize));
    assert!(matches!(program.control_flow[3], ControlFlow::Alloc(a) if a.kind == AllocKind::Interpolators));
    let ControlFlow::Exec(last) = &program.control_flow[4] else { panic!() };
    assert!(last.is_end() && last.ends_shader);
    assert_eq!(program.control_flow[5], ControlFlow::Nop);

    assert_eq!(program.instructions.keys().copied().collect::<Vec<_>>(), [3, 4, 5, 6]);
    let Some(Instruction::VertexFetch(full)) = program.instruction(3) else { panic!() };
    assert!(!full.mini);
    assert_eq!((full.dest.index, full.source, full.source_component), (0, 0, X));
    assert_eq!(full.dest.writes, [Write::From(X), Write::From(Y), Write::From(Z), Write::One]);
    assert_eq!(
        (full.fetch_constant, full.format, full.stride, full.offset),
        (95, VertexFormat::Fmt32_32_32Float, 5, 0)
    );
    let Some(Instruction::VertexFetch(mini)) = program.instruction(4) else { panic!() };
    assert!(mini.mini);
    assert_eq!(mini.full_fetch_slot, Some(3));
    assert_eq!((mini.dest.index, mini.format, mini.offset), (1, VertexFormat::Fmt32_32Float, 3));
    assert_eq!(mini.dest.writes, [Write::From(X), Write::From(Y), Write::Keep, Write::Keep]);

    let Some(Instruction::Alu(pos)) = program.instruction(5) else { panic!() };
    assert!(pos.export);
    assert_eq!(
        (pos.vector_op, pos.vector_dest.target, pos.vector_dest.write_mask()),
        (VectorOp::Max, Target::Position, 0xF)
    );
    assert!(pos.vector_sources.iter().all(|s| s.file == RegisterFile::Temporary && s.index == 0));
    assert_eq!((pos.scalar_op, pos.scalar_dest.write_mask()), (ScalarOp::RetainPrev, 0));
    let Some(Instruction::Alu(o0)) = program.instruction(6) else { panic!() };
    assert_eq!(o0.vector_dest.target, Target::Interpolator(0));
    assert_eq!(o0.vector_dest.writes, [Write::From(X), Write::From(Y), Write::Zero, Write::One]);
    assert_eq!(o0.vector_sources[0].index, 1);
}

#[test]
fn pass_through_vertex_shader_disassembles_like_the_assembler_prints_it() {
    let program = decode(&PASS_THROUGH_VS, ShaderStage::Vertex).unwrap();
    let expected = "\
/*    0.0 */       exec
/*    3   */          vfetch_full r0.xyz1, r0.x, vf0, DataFormat=FMT_32_32_32_FLOAT, Stride=5
/*    4   */          vfetch_mini r1.xy__, Offset=3, DataFormat=FMT_32_32_FLOAT
/*    0.1 */       alloc position
/*    1.0 */       exec
/*    5   */          serialize
                      max oPos, r0, r0
/*    1.1 */       alloc interpolators
/*    2.0 */       exece
/*    6   */          max o0.xy01, r1, r1
/*    2.1 */       cnop
";
    assert_eq!(disasm::disassemble(&program), expected);
    assert_eq!(program.to_string(), expected);
}

#[test]
fn textured_pixel_shader_decodes_into_a_fetch_and_a_color_export() {
    let program = decode(&TEXTURED_PS, ShaderStage::Pixel).unwrap();

    assert_eq!(program.control_flow.len(), 4);
    assert!(matches!(program.control_flow[1], ControlFlow::Alloc(a) if a.kind == AllocKind::Colors));
    let Some(Instruction::TextureFetch(fetch)) = program.instruction(2) else { panic!() };
    assert_eq!((fetch.op, fetch.dimension, fetch.fetch_constant), (TextureOp::Fetch, Dimension::D2, 0));
    assert_eq!((fetch.source, &fetch.source_swizzle[..fetch.coordinates() as usize]), (0, &[X, Y][..]));
    assert_eq!(fetch.dest.writes, Component::ALL.map(Write::From));
    assert!(fetch.fetch_valid_only && fetch.use_computed_lod);
    assert_eq!((fetch.mag_filter, fetch.min_filter, fetch.mip_filter, fetch.aniso_filter), (None, None, None, None));
    assert_eq!((fetch.lod_bias, fetch.offset), (0.0, [0.0; 3]));
    let Some(Instruction::Alu(color)) = program.instruction(3) else { panic!() };
    assert_eq!((color.vector_dest.target, color.vector_dest.write_mask()), (Target::Color(0), 0xF));
}

#[test]
fn textured_pixel_shader_disassembles_like_the_assembler_prints_it() {
    let program = decode(&TEXTURED_PS, ShaderStage::Pixel).unwrap();
    assert_eq!(
        program.to_string(),
        "\
/*    0.0 */       exec
/*    2   */          tfetch2D r0, r0.xy, tf0
/*    0.1 */       alloc colors
/*    1.0 */       exece
/*    3   */          serialize
                      max oC0, r0, r0
/*    1.1 */       cnop
"
    );
}

#[test]
fn the_same_microcode_exports_to_stage_specific_registers() {
    // Export register 0 is interpolator o0 in a vertex shader.
    let program = decode(&TEXTURED_PS, ShaderStage::Vertex).unwrap();
    let Some(Instruction::Alu(alu)) = program.instruction(3) else { panic!() };
    assert_eq!(alu.vector_dest.target, Target::Interpolator(0));
    assert!(matches!(program.control_flow[1], ControlFlow::Alloc(a) if a.kind == AllocKind::Interpolators));
    // Position (62) is no pixel shader export.
    assert_eq!(
        decode(&PASS_THROUGH_VS, ShaderStage::Pixel),
        Err(DecodeError::field(15, "export register", 62, "not an export register of this shader stage"))
    );
}

#[test]
fn words_past_the_program_are_not_read() {
    // Trailing words no exec names, and a CF program ending at its exece
    // even though more slots follow.
    let mut words = TEXTURED_PS.to_vec();
    words.extend([0xFFFF_FFFF; 7]);
    let program = decode(&words, ShaderStage::Pixel).unwrap();
    assert_eq!(program.instructions.len(), 2);
}

/// Three CF pairs around a loop: `loop i1, L4` / exec body / `endloop i1,
/// L2` jumping back, then a jump over a block to the exece.
#[test]
fn loops_and_jumps_get_labels_at_their_targets() {
    let words = [
        // Pair 0: loop i1, L4 (opcode 7, loop constant 1 in 16–20) and a
        // cnop.
        0x0001_0004,
        0x0000_7000,
        0x0000_0000,
        // Pair 1: exec (address 4, count 1, ALU, clean) and endloop i1, L2
        // (opcode 8, body address 2).
        0x0000_1004,
        0x0002_1200,
        0x8000_0001,
        // Pair 2: jmp L5 (opcode 11, unconditional 13) and exece (address 5,
        // count 1, ALU, clean).
        0x0000_2005,
        0x1005_B000,
        0x2200_0000,
        // Pair 3: cnop, cnop — after the jump target's pair.
        0,
        0,
        0,
        // Slot 4: mul r1, r1, c0 (vector opcode 1; source 1 r1, a
        // temporary; source 2 c0, a constant).
        0xC80F_0001,
        0x0000_0000,
        0x8101_0000,
        // Slot 5: max o0, r1, r1.
        0xC80F_8000,
        0x0000_0000,
        0xE201_0100,
    ];
    let program = decode(&words, ShaderStage::Vertex).unwrap();
    assert_eq!(program.labels().into_iter().collect::<Vec<_>>(), [2, 4, 5]);
    // The exece is CF 5 and nothing names a later address: pair 3 is not
    // control flow.
    assert_eq!(program.control_flow.len(), 6);
    assert_eq!(
        program.to_string(),
        "\
/*    0.0 */       loop i1, L4
/*    0.1 */       cnop
                label L2
/*    1.0 */       exec
/*    4   */          mul r1, r1, c0
/*    1.1 */       endloop i1, L2
                label L4
/*    2.0 */       jmp L5
                label L5
/*    2.1 */       exece
/*    5   */          max o0, r1, r1
"
    );
}

#[test]
fn malformed_control_flow_is_reported_with_its_dword() {
    assert_eq!(decode(&[], ShaderStage::Vertex), Err(DecodeError::Empty));
    assert_eq!(decode(&[0x0000_1006, 0], ShaderStage::Vertex), Err(DecodeError::Truncated { dword: 0, len: 2 }));
    // Only cnops: the program never ends.
    assert_eq!(decode(&[0; 6], ShaderStage::Vertex), Err(DecodeError::Unterminated { dword: 6 }));
    // exece of slot 1, count 2, in 6 dwords: slot 2 is missing.
    assert_eq!(
        decode(&[0x0000_2001, 0x0000_2200, 0, 0, 0, 0], ShaderStage::Vertex),
        Err(DecodeError::ExecPastEnd { dword: 0, address: 1, end: 3, len: 6 })
    );
    // exece of slot 0: its own CF pair.
    assert_eq!(
        decode(&[0x0000_1000, 0x0000_2200, 0, 0, 0, 0], ShaderStage::Vertex),
        Err(DecodeError::ExecOverlapsControlFlow { dword: 0, address: 0 })
    );
    // An empty exece, then (from dword 1) jmp L9, past the program.
    assert_eq!(
        decode(&[0x0000_0000, 0x2009_2200, 0xB000_0000], ShaderStage::Vertex),
        Err(DecodeError::field(1, "address", 9, "names a CF address past the end of the control-flow program"))
    );
}

#[test]
fn a_slot_run_as_both_alu_and_fetch_is_an_error() {
    let words = [
        // exec (address 2, count 1, fetch) and exece (address 2, count 1,
        // ALU): both halves name slot 2.
        0x0001_1002,
        0x1002_1200,
        0x2200_0000,
        0,
        0,
        0,
        // Slot 2: a vertex fetch that is also a valid ALU instruction
        // (vector opcode 0 reading constants).
        0x0008_0000,
        0x0039_0688,
        0x0000_0000,
    ];
    assert_eq!(decode(&words, ShaderStage::Vertex), Err(DecodeError::SlotKindConflict { dword: 6 }));
}

#[test]
fn an_undefined_opcode_in_an_instruction_names_its_dword() {
    let mut words = TEXTURED_PS;
    // Slot 3's vector opcode (dword 11 bits 24–28) to 31.
    words[11] = 0xFF00_0000;
    assert_eq!(
        decode(&words, ShaderStage::Pixel),
        Err(DecodeError::field(11, "vector opcode", 31, "undefined ALU vector opcode"))
    );
}

/// The fuzz body: any words, either stage; decoding and disassembling must
/// return.
fn decode_anything(words: &[u32]) {
    for stage in [ShaderStage::Vertex, ShaderStage::Pixel] {
        if let Ok(program) = decode(words, stage) {
            let _ = program.to_string();
        }
    }
}

#[test]
fn fuzz_smoke_random_and_mutated_microcode_never_panics() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut decoded = 0;
    // Random words.
    for _ in 0..2000 {
        let len = (next() % 40) as usize;
        let words: Vec<u32> = (0..len).map(|_| next() as u32).collect();
        decode_anything(&words);
    }
    // Bit flips and word replacements in the valid shaders, which mostly
    // still decode and so exercise the disassembler on odd fields.
    for seed in [&PASS_THROUGH_VS[..], &TEXTURED_PS[..]] {
        for _ in 0..3000 {
            let mut words = seed.to_vec();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % words.len();
                match next() % 3 {
                    0 => words[at] ^= 1 << (next() % 32),
                    1 => words[at] = next() as u32,
                    _ => words.truncate(at.max(1)),
                }
            }
            decode_anything(&words);
            decoded += decode(&words, ShaderStage::Vertex).is_ok() as u32;
        }
    }
    // Degenerate inputs.
    decode_anything(&[u32::MAX; 64]);
    decode_anything(&[0; 3]);
    assert!(decoded > 1000, "only {decoded} mutants decoded: the smoke test would not reach the disassembler");
}
