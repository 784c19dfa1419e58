//! Disassembly in the form xenia prints (xenia
//! `shader_translator_disasm.cc`, itself following the Microsoft shader
//! assembler's syntax): each CF instruction on a line headed
//! `/* <slot>.<half> */`, each exec block followed by the instructions it
//! runs headed `/* <slot>   */`, `label L<n>` before every branch target.
//! An ALU instruction whose vector and scalar operations both do something
//! puts the scalar one on a continuation line starting with `+`.

use super::alu::{
    Addressing, AluInstruction, Component, Destination, RegisterFile, ScalarOp, Source, Target, VectorOp, Write,
};
use super::control::{AllocKind, Condition, ControlFlow, Exec};
use super::fetch::{AnisoFilter, FetchDest, TextureFetch, TextureFilter, TextureOp, VertexFetch, VertexFormat};
use super::{Instruction, Program};
use std::fmt::{self, Write as _};

/// The whole program as text, one line per CF instruction and per
/// instruction slot (plus labels and continuation lines).
pub fn disassemble(program: &Program) -> String {
    let labels = program.labels();
    let mut out = String::new();
    for (index, cf) in program.control_flow.iter().enumerate() {
        let index = index as u32;
        if labels.contains(&index) {
            let _ = writeln!(out, "                label L{index}");
        }
        let _ = writeln!(out, "/* {:4}.{} */ {}", index / 2, index % 2, control_flow(cf));
        let ControlFlow::Exec(exec) = cf else { continue };
        for slot in exec.slots() {
            let _ = write!(out, "/* {:4}   */ ", slot.address);
            if slot.serialize {
                out.push_str("         serialize\n             ");
            }
            match program.instruction(slot.address) {
                Some(instruction) => out.push_str(&self::instruction(instruction)),
                None => out.push_str("      <not decoded>"),
            }
            out.push('\n');
        }
    }
    out
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&disassemble(self))
    }
}

/// One instruction slot's text (two lines for a co-issued ALU pair).
pub fn instruction(instruction: &Instruction) -> String {
    match instruction {
        Instruction::Alu(alu) => self::alu(alu),
        Instruction::VertexFetch(fetch) => vertex_fetch(fetch),
        Instruction::TextureFetch(fetch) => texture_fetch(fetch),
    }
}

/// The six-column predicate prefix.
fn predicate(predicate: Option<bool>) -> &'static str {
    match predicate {
        None => "      ",
        Some(true) => " (p0) ",
        Some(false) => "(!p0) ",
    }
}

fn not(expected: bool) -> &'static str {
    if expected {
        ""
    } else {
        "!"
    }
}

/// One CF instruction's text.
pub fn control_flow(cf: &ControlFlow) -> String {
    match cf {
        ControlFlow::Nop => "      cnop".into(),
        ControlFlow::Exec(exec) => self::exec(exec),
        ControlFlow::LoopStart(start) => {
            let repeat = if start.repeat { ", Repeat=true" } else { "" };
            format!("      loop i{}, L{}{repeat}", start.loop_constant, start.skip_address)
        }
        ControlFlow::LoopEnd(end) => {
            format!("{}endloop i{}, L{}", predicate(end.predicated_break), end.loop_constant, end.body_address)
        }
        ControlFlow::Call(call) => branch("call", "ccall", call.condition, call.target),
        ControlFlow::Return { .. } => "      ret".into(),
        ControlFlow::Jump(jump) => branch("jmp", "cjmp", jump.branch.condition, jump.branch.target),
        ControlFlow::Alloc(alloc) => match alloc.kind {
            AllocKind::None => "      alloc".into(),
            AllocKind::Position => "      alloc position".into(),
            AllocKind::Interpolators => "      alloc interpolators".into(),
            AllocKind::Colors => "      alloc colors".into(),
            AllocKind::Memory => format!("      alloc export = {}", alloc.size),
        },
        ControlFlow::MarkVsFetchDone => "      mark_vs_fetch_done".into(),
    }
}

fn exec(exec: &Exec) -> String {
    let end = if exec.ends_shader { "e" } else { "" };
    let mut text = match exec.condition {
        Condition::Always => format!("      exec{end}"),
        Condition::Predicate { expected } => format!("{}exec{end}", predicate(Some(expected))),
        Condition::BoolConstant { index, expected } => format!("      cexec{end} {}b{index}", not(expected)),
    };
    if exec.is_yield {
        // The assembler wants a comma only after a bool constant.
        if matches!(exec.condition, Condition::BoolConstant { .. }) {
            text.push(',');
        }
        text.push_str(" Yield=true");
    }
    if !exec.predicate_clean {
        text.push_str("    // PredicateClean=false");
    }
    text
}

fn branch(plain: &str, conditional: &str, condition: Condition, target: u32) -> String {
    match condition {
        Condition::Always => format!("      {plain} L{target}"),
        Condition::Predicate { expected } => format!("{}{plain} L{target}", predicate(Some(expected))),
        Condition::BoolConstant { index, expected } => {
            format!("      {conditional} {}b{index}, L{target}", not(expected))
        }
    }
}

fn component(component: Component) -> char {
    ['x', 'y', 'z', 'w'][component.index()]
}

/// `.xy_1` after a destination: nothing for all four components straight,
/// `._` for none.
fn writes(writes: &[Write; 4]) -> String {
    if writes.iter().all(|w| *w == Write::Keep) {
        return "._".into();
    }
    if *writes == Component::ALL.map(Write::From) {
        return String::new();
    }
    let chars = writes.iter().map(|w| match w {
        Write::Keep => '_',
        Write::From(c) => component(*c),
        Write::Zero => '0',
        Write::One => '1',
    });
    std::iter::once('.').chain(chars).collect()
}

fn target(target: Target) -> String {
    match target {
        Target::Temporary { index, relative: false } => format!("r{index}"),
        Target::Temporary { index, relative: true } => format!("r[{index}+aL]"),
        Target::Interpolator(n) => format!("o{n}"),
        Target::Position => "oPos".into(),
        Target::PointSizeEdgeFlagKill => "oPts".into(),
        Target::Color(n) => format!("oC{n}"),
        Target::Depth => "oDepth".into(),
        Target::ExportAddress => "eA".into(),
        Target::ExportData(n) => format!("eM{n}"),
    }
}

fn destination(dest: &Destination) -> String {
    target(dest.target) + &writes(&dest.writes)
}

/// `-c_abs[3+a0].wzyx`: the swizzle left out when it is four components
/// straight.
fn source(source: &Source) -> String {
    let mut text = String::new();
    if source.negate {
        text.push('-');
    }
    text.push(if source.file == RegisterFile::Temporary { 'r' } else { 'c' });
    if source.abs {
        text.push_str("_abs");
    }
    let index = source.index;
    match source.addressing {
        Addressing::Absolute if source.abs => text += &format!("[{index}]"),
        Addressing::Absolute => text += &index.to_string(),
        Addressing::LoopRelative => text += &format!("[{index}+aL]"),
        Addressing::AddressRelative => text += &format!("[{index}+a0]"),
    }
    if source.swizzle() != Component::ALL {
        text.push('.');
        text.extend(source.swizzle().iter().map(|&c| component(c)));
    }
    text
}

fn is_plain_r0(source: &Source) -> bool {
    source.file == RegisterFile::Temporary
        && source.index == 0
        && source.addressing == Addressing::Absolute
        && !source.negate
        && !source.abs
        && source.swizzle() == Component::ALL
}

fn is_r0(target: Target) -> bool {
    target == Target::Temporary { index: 0, relative: false }
}

/// `retain_prev` writing nothing: what the assembler puts in a slot with no
/// scalar operation.
fn scalar_is_filler(alu: &AluInstruction) -> bool {
    alu.scalar_op == ScalarOp::RetainPrev
        && alu.scalar_dest.write_mask() == 0
        && !alu.scalar_dest.saturate
        && (is_r0(alu.scalar_dest.target) || !matches!(alu.scalar_dest.target, Target::Temporary { .. }))
}

/// `max r0._, r0, r0`: what the assembler puts in a slot with no vector
/// operation (for an export, only if the scalar operation does something).
fn vector_is_filler(alu: &AluInstruction) -> bool {
    alu.vector_op == VectorOp::Max
        && alu.vector_dest.write_mask() == 0
        && !alu.vector_dest.saturate
        && alu.vector_sources.iter().all(is_plain_r0)
        && match alu.vector_dest.target {
            Target::Temporary { .. } => is_r0(alu.vector_dest.target),
            _ => !scalar_is_filler(alu),
        }
}

fn operation(name: &str, dest: &Destination, sources: &[Source]) -> String {
    let mut text = name.to_string();
    if dest.saturate {
        text.push_str("_sat");
    }
    text.push(' ');
    text += &destination(dest);
    for s in sources {
        text += ", ";
        text += &source(s);
    }
    text
}

fn alu(alu: &AluInstruction) -> String {
    let prefix = predicate(alu.predicate);
    let (vector, scalar) = (!vector_is_filler(alu), !scalar_is_filler(alu));
    if !vector && !scalar {
        return format!("   {prefix}nop");
    }
    let mut text = String::new();
    if vector {
        text = format!("   {prefix}{}", operation(alu.vector_op.name(), &alu.vector_dest, &alu.vector_sources));
    }
    if scalar {
        text += if vector { "\n              + " } else { "   " };
        text += prefix;
        text += &operation(alu.scalar_op.name(), &alu.scalar_dest, &alu.scalar_sources);
    }
    text
}

fn fetch_dest(dest: &FetchDest) -> String {
    let register = Target::Temporary { index: dest.index, relative: dest.relative };
    target(register) + &writes(&dest.writes)
}

fn fetch_source(index: u8, relative: bool, swizzle: &[Component]) -> String {
    let register = target(Target::Temporary { index, relative });
    register + "." + &swizzle.iter().map(|&c| component(c)).collect::<String>()
}

fn vertex_fetch(fetch: &VertexFetch) -> String {
    let name = if fetch.mini { "vfetch_mini" } else { "vfetch_full" };
    let mut text = format!("   {}{name} {}", predicate(fetch.predicate), fetch_dest(&fetch.dest));
    if !fetch.mini {
        text += ", ";
        text += &fetch_source(fetch.source, fetch.source_relative, &[fetch.source_component]);
        // Direct3D numbers vertex fetch constants from the top.
        text += &format!(", vf{}", 95 - i32::from(fetch.fetch_constant));
        if fetch.round_index {
            text += ", RoundIndex=true";
        }
    }
    if fetch.exp_adjust != 0 {
        text += &format!(", ExpAdjust={}", fetch.exp_adjust);
    }
    if fetch.offset != 0 {
        text += &format!(", Offset={}", fetch.offset);
    }
    if fetch.format != VertexFormat::Undefined {
        text += &format!(", DataFormat={}", fetch.format.name());
    }
    if !fetch.mini && fetch.stride != 0 {
        text += &format!(", Stride={}", fetch.stride);
    }
    if fetch.signed {
        text += ", Signed=true";
    }
    if fetch.integer {
        text += ", NumFormat=integer";
    }
    if fetch.prefetch_count != 1 {
        text += &format!(", PrefetchCount={}", fetch.prefetch_count);
    }
    text
}

fn texture_name(fetch: &TextureFetch) -> String {
    let dimension = ["1D", "2D", "3D", "Cube"][fetch.dimension as usize];
    match fetch.op {
        TextureOp::Fetch => format!("tfetch{dimension}"),
        TextureOp::BorderColorFraction => format!("getBCF{dimension}"),
        TextureOp::ComputedLod => format!("getCompTexLOD{dimension}"),
        TextureOp::Gradients => "getGradients".into(),
        TextureOp::Weights => format!("getWeights{dimension}"),
        TextureOp::SetLod => "setTexLOD".into(),
        TextureOp::SetGradientsH => "setGradientH".into(),
        TextureOp::SetGradientsV => "setGradientV".into(),
    }
}

fn filter_name(filter: TextureFilter) -> &'static str {
    match filter {
        TextureFilter::Point => "point",
        TextureFilter::Linear => "linear",
        TextureFilter::BaseMap => "basemap",
    }
}

fn aniso_name(filter: AnisoFilter) -> &'static str {
    match filter {
        AnisoFilter::Disabled => "disabled",
        AnisoFilter::Max1To1 => "max1to1",
        AnisoFilter::Max2To1 => "max2to1",
        AnisoFilter::Max4To1 => "max4to1",
        AnisoFilter::Max8To1 => "max8to1",
        AnisoFilter::Max16To1 => "max16to1",
    }
}

fn texture_fetch(fetch: &TextureFetch) -> String {
    let mut text = format!("   {}{} ", predicate(fetch.predicate), texture_name(fetch));
    if fetch.op.has_dest() {
        text += &fetch_dest(&fetch.dest);
        text += ", ";
    }
    let coordinates = &fetch.source_swizzle[..fetch.coordinates() as usize];
    text += &fetch_source(fetch.source, fetch.source_relative, coordinates);
    if !fetch.op.uses_texture() {
        return text;
    }
    text += &format!(", tf{}", fetch.fetch_constant);
    if !fetch.fetch_valid_only {
        text += ", FetchValidOnly=false";
    }
    if fetch.unnormalized_coordinates {
        text += ", UnnormalizedTextureCoords=true";
    }
    let filters = [("MagFilter", fetch.mag_filter), ("MinFilter", fetch.min_filter), ("MipFilter", fetch.mip_filter)];
    for (name, filter) in filters {
        if let Some(filter) = filter {
            text += &format!(", {name}={}", filter_name(filter));
        }
    }
    if let Some(aniso) = fetch.aniso_filter {
        text += &format!(", AnisoFilter={}", aniso_name(aniso));
    }
    for (name, filter) in [("VolMagFilter", fetch.vol_mag_filter), ("VolMinFilter", fetch.vol_min_filter)] {
        if let Some(filter) = filter {
            text += &format!(", {name}={}", filter_name(filter));
        }
    }
    if !fetch.use_computed_lod {
        text += ", UseComputedLOD=false";
    }
    if fetch.use_register_lod {
        text += ", UseRegisterLOD=true";
    }
    if fetch.use_register_gradients {
        text += ", UseRegisterGradients=true";
    }
    if fetch.lod_bias != 0.0 {
        text += &format!(", LODBias={}", fetch.lod_bias);
    }
    let axes = fetch.dimension.components() as usize;
    for (axis, name) in ["OffsetX", "OffsetY", "OffsetZ"].iter().enumerate().take(axes) {
        if fetch.offset[axis] != 0.0 {
            text += &format!(", {name}={}", fetch.offset[axis]);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shader::control::{AddressingMode, Alloc, Branch, Jump, LoopEnd, LoopStart};
    use crate::shader::ShaderStage;

    fn alu_text(words: [u32; 3], stage: ShaderStage) -> String {
        alu(&AluInstruction::decode(words, 0, stage).unwrap())
    }

    #[test]
    fn alu_text_shows_swizzles_negation_abs_and_relative_registers() {
        // The instruction of alu.rs's mad test.
        assert_eq!(
            alu_text([0xC803_0005, 0x0477_6C00, 0xAB81_0742], ShaderStage::Vertex),
            "         mad r5.xy__, -r_abs[1].wzyx, c7.xxxx, r[2+aL]"
        );
    }

    #[test]
    fn co_issued_scalar_goes_on_a_continuation_line() {
        assert_eq!(
            alu_text([0x1681_0300, 0x1000_0000, 0x6F00_0102], ShaderStage::Pixel),
            "   (!p0) dp4 r0.x___, c0, r1\n              + (!p0) maxs_sat r3.___w, r2.wx"
        );
        // The scalar operation alone, with mulsc's two operands.
        assert_eq!(
            alu_text([0xAC40_0000, 0x0000_0084, 0xC200_000C], ShaderStage::Vertex),
            "         mulsc r0.__z_, c12.y, r5.x"
        );
    }

    #[test]
    fn filler_operations_print_as_nop() {
        // max r0._, r0, r0 + retain_prev r0._
        assert_eq!(alu_text([50 << 26, 0, 0xE200_0000], ShaderStage::Vertex), "         nop");
        assert_eq!(alu_text([50 << 26, 1 << 28 | 1 << 27, 0xE200_0000], ShaderStage::Vertex), "    (p0) nop");
    }

    #[test]
    fn export_constants_show_as_0_and_1() {
        // max oPos.xy01, r1, r1: vector mask 1011, scalar mask 1000, zero
        // flag (14) for z.
        let w0 = 62 | 1 << 14 | 1 << 15 | 0b1011 << 16 | 0b1000 << 20 | 50 << 26;
        assert_eq!(alu_text([w0, 0, 0xE201_0100], ShaderStage::Vertex), "         max oPos.xy01, r1, r1");
    }

    #[test]
    fn constant_addressing_shows_a0_and_al() {
        // add r0, c[0+a0], c4 then with source 1 a temporary: r0, c[4+aL].
        let w0 = 0xF << 16 | 50 << 26;
        assert_eq!(alu_text([w0, 1 << 31 | 1 << 29, 0x0000_0409], ShaderStage::Vertex), "         add r0, c[0+a0], c4");
        assert_eq!(alu_text([w0, 1 << 31, 0x8000_0409], ShaderStage::Vertex), "         add r0, r0, c[4+aL]");
    }

    #[test]
    fn control_flow_text_matches_the_assembler_syntax() {
        let abs = AddressingMode::Absolute;
        let text = |cf: ControlFlow| control_flow(&cf);
        assert_eq!(
            text(ControlFlow::LoopStart(LoopStart {
                skip_address: 9,
                repeat: true,
                loop_constant: 2,
                addressing: abs
            })),
            "      loop i2, L9, Repeat=true"
        );
        assert_eq!(
            text(ControlFlow::LoopEnd(LoopEnd {
                body_address: 3,
                loop_constant: 2,
                predicated_break: Some(false),
                addressing: abs
            })),
            "(!p0) endloop i2, L3"
        );
        let call =
            Branch { target: 12, condition: Condition::BoolConstant { index: 4, expected: false }, addressing: abs };
        assert_eq!(text(ControlFlow::Call(call)), "      ccall !b4, L12");
        let jump = Branch { target: 7, condition: Condition::Predicate { expected: true }, addressing: abs };
        assert_eq!(text(ControlFlow::Jump(Jump { branch: jump, direction: false })), " (p0) jmp L7");
        let jump = Branch { condition: Condition::Always, ..jump };
        assert_eq!(text(ControlFlow::Jump(Jump { branch: jump, direction: false })), "      jmp L7");
        assert_eq!(text(ControlFlow::Return { addressing: abs }), "      ret");
        assert_eq!(
            text(ControlFlow::Alloc(Alloc { kind: AllocKind::Memory, size: 2, unserialized: false })),
            "      alloc export = 2"
        );
        assert_eq!(text(ControlFlow::Nop), "      cnop");
    }

    #[test]
    fn exec_text_shows_condition_yield_and_an_unclean_predicate() {
        let cf = 4u64 | 1 << 15 | 130 << 34 | 4 << 44;
        let ControlFlow::Exec(cexece) = ControlFlow::decode(cf, ShaderStage::Pixel) else { panic!() };
        assert_eq!(exec(&cexece), "      cexece !b130, Yield=true    // PredicateClean=false");
        let cf = 4u64 | 1 << 41 | 1 << 42 | 5 << 44;
        let ControlFlow::Exec(pred) = ControlFlow::decode(cf, ShaderStage::Pixel) else { panic!() };
        assert_eq!(exec(&pred), " (p0) exec");
    }

    #[test]
    fn fetch_text_lists_only_attributes_that_differ_from_the_defaults() {
        let vfetch = VertexFetch::decode([0x91F8_3840, 0xBE1A_BB01, 0xFFFF_FB06], 0).unwrap();
        assert_eq!(
            vertex_fetch(&vfetch),
            "    (p0) vfetch_full r3.yx01, r[2+aL].z, vf2, RoundIndex=true, ExpAdjust=-2, Offset=-5, \
             DataFormat=FMT_16_16_16_16, Stride=6, Signed=true, NumFormat=integer, PrefetchCount=3"
        );
        // The texture fetch of fetch.rs's test.
        let w0 = 1 | 4 << 5 | 1 << 12 | 9 << 20 | 1 << 25 | 0b00_01_10 << 26;
        let w1 = 0xE88 | 1 << 14 | 2 << 16 | 3 << 18 | 7 << 21 | 3 << 24 | 1 << 29;
        let w2 = 1 | 1 << 1 | ((-20i32 as u32) & 0x7F) << 2 | 2 << 14 | 3 << 16 | 0b10000 << 21 | 15 << 26;
        let tfetch = TextureFetch::decode([w0, w1, w2], 0).unwrap();
        assert_eq!(
            texture_fetch(&tfetch),
            "         tfetch3D r1.xyz_, r4.zyx, tf9, FetchValidOnly=false, UnnormalizedTextureCoords=true, \
             MagFilter=point, MinFilter=linear, MipFilter=basemap, AnisoFilter=max4to1, VolMinFilter=point, \
             UseComputedLOD=false, UseRegisterLOD=true, UseRegisterGradients=true, LODBias=-1.25, OffsetX=1.5, \
             OffsetY=-8, OffsetZ=7.5"
        );
        // setTexLOD has no destination, constant or attributes.
        let set_lod = TextureFetch::decode([24 | 3 << 5 | 0b11 << 26, 0x688 | 7 << 18, 0], 0).unwrap();
        assert_eq!(texture_fetch(&set_lod), "         setTexLOD r3.w");
    }
}
