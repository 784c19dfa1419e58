//! The one exhaustive match from opcode to semantics.
//!
//! Every [`Opcode`] the decoder can produce has an arm. The crate marks the
//! enum `#[non_exhaustive]`, so the compiler insists on a wildcard; it maps
//! to [`FaultKind::Unimplemented`], and the test
//! `every_decoder_opcode_has_an_arm` walks every opcode value to prove the
//! wildcard is unreachable for this version of the decoder.

use super::bus::Bus;
use super::decode::{self, Ins, Opcode, Supplement};
use super::fault::FaultKind;
use super::fpu::{self, Arith};
use super::load_store::{self as ls, Form, Load, Store};
use super::vmx::{self, Lane, Shift};
use super::{branch, integer as int, system as sys, vmx128 as v128};
use super::{Cpu, Exec, Stop};

fn illegal() -> Exec {
    Err(Stop::Fault(FaultKind::Illegal))
}

fn privileged() -> Exec {
    Err(Stop::Fault(FaultKind::Privileged))
}

#[inline(always)]
pub(crate) fn execute<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    use Opcode as O;
    let st = &mut *cpu.st;
    match i.op {
        // ---- integer ----
        O::Addi => int::addi(st, i),
        O::Addis => int::addis(st, i),
        O::Addic => int::addic(st, i, false),
        O::Addic_ => int::addic(st, i, true),
        O::Subfic => int::subfic(st, i),
        O::Mulli => int::mulli(st, i),
        O::Add => int::add(st, i),
        O::Addc => int::addc(st, i),
        O::Adde => int::adde(st, i),
        O::Addme => int::addme(st, i),
        O::Addze => int::addze(st, i),
        O::Subf => int::subf(st, i),
        O::Subfc => int::subfc(st, i),
        O::Subfe => int::subfe(st, i),
        O::Subfme => int::subfme(st, i),
        O::Subfze => int::subfze(st, i),
        O::Neg => int::neg(st, i),
        O::Mullw => int::mullw(st, i),
        O::Mulhw => int::mulhw(st, i),
        O::Mulhwu => int::mulhwu(st, i),
        O::Mulld => int::mulld(st, i),
        O::Mulhd => int::mulhd(st, i),
        O::Mulhdu => int::mulhdu(st, i),
        O::Divw => int::divw(st, i),
        O::Divwu => int::divwu(st, i),
        O::Divd => int::divd(st, i),
        O::Divdu => int::divdu(st, i),
        O::And => int::and(st, i),
        O::Andc => int::andc(st, i),
        O::Or => int::or(st, i),
        O::Orc => int::orc(st, i),
        O::Xor => int::xor(st, i),
        O::Nand => int::nand(st, i),
        O::Nor => int::nor(st, i),
        O::Eqv => int::eqv(st, i),
        O::Andi_ => int::andi(st, i, 0),
        O::Andis_ => int::andi(st, i, 16),
        O::Ori => int::ori(st, i, 0),
        O::Oris => int::ori(st, i, 16),
        O::Xori => int::xori(st, i, 0),
        O::Xoris => int::xori(st, i, 16),
        O::Extsb => int::extsb(st, i),
        O::Extsh => int::extsh(st, i),
        O::Extsw => int::extsw(st, i),
        O::Cntlzw => int::cntlzw(st, i),
        O::Cntlzd => int::cntlzd(st, i),
        O::Rlwinm => int::rlwinm(st, i),
        O::Rlwnm => int::rlwnm(st, i),
        O::Rlwimi => int::rlwimi(st, i),
        O::Rldicl => int::rldicl(st, i),
        O::Rldicr => int::rldicr(st, i),
        O::Rldic => int::rldic(st, i),
        O::Rldimi => int::rldimi(st, i),
        O::Rldcl => int::rldcl(st, i),
        O::Rldcr => int::rldcr(st, i),
        O::Slw => int::slw(st, i),
        O::Srw => int::srw(st, i),
        O::Sraw => int::sraw(st, i),
        O::Srawi => int::srawi(st, i),
        O::Sld => int::sld(st, i),
        O::Srd => int::srd(st, i),
        O::Srad => int::srad(st, i),
        O::Sradi => int::sradi(st, i),
        O::Cmp => int::cmp(st, i),
        O::Cmpi => int::cmpi(st, i),
        O::Cmpl => int::cmpl(st, i),
        O::Cmpli => int::cmpli(st, i),

        // ---- branch and CR logical ----
        O::B => branch::b(st, i),
        O::Bc => branch::bc(st, i),
        O::Bclr => branch::bclr(st, i),
        O::Bcctr => branch::bcctr(st, i),
        O::Crand => branch::cr_logical(st, i, |a, b| a & b),
        O::Crandc => branch::cr_logical(st, i, |a, b| a & !b),
        O::Creqv => branch::cr_logical(st, i, |a, b| a == b),
        O::Crnand => branch::cr_logical(st, i, |a, b| !(a & b)),
        O::Crnor => branch::cr_logical(st, i, |a, b| !(a | b)),
        O::Cror => branch::cr_logical(st, i, |a, b| a | b),
        O::Crorc => branch::cr_logical(st, i, |a, b| a | !b),
        O::Crxor => branch::cr_logical(st, i, |a, b| a ^ b),
        O::Mcrf => branch::mcrf(st, i),

        // ---- integer loads and stores ----
        O::Lbz => return ls::load(cpu, i, Load::Byte, Form::D),
        O::Lbzu => return ls::load(cpu, i, Load::Byte, Form::DUpdate),
        O::Lbzx => return ls::load(cpu, i, Load::Byte, Form::X),
        O::Lbzux => return ls::load(cpu, i, Load::Byte, Form::XUpdate),
        O::Lhz => return ls::load(cpu, i, Load::Half, Form::D),
        O::Lhzu => return ls::load(cpu, i, Load::Half, Form::DUpdate),
        O::Lhzx => return ls::load(cpu, i, Load::Half, Form::X),
        O::Lhzux => return ls::load(cpu, i, Load::Half, Form::XUpdate),
        O::Lha => return ls::load(cpu, i, Load::HalfAlgebraic, Form::D),
        O::Lhau => return ls::load(cpu, i, Load::HalfAlgebraic, Form::DUpdate),
        O::Lhax => return ls::load(cpu, i, Load::HalfAlgebraic, Form::X),
        O::Lhaux => return ls::load(cpu, i, Load::HalfAlgebraic, Form::XUpdate),
        O::Lwz => return ls::load(cpu, i, Load::Word, Form::D),
        O::Lwzu => return ls::load(cpu, i, Load::Word, Form::DUpdate),
        O::Lwzx => return ls::load(cpu, i, Load::Word, Form::X),
        O::Lwzux => return ls::load(cpu, i, Load::Word, Form::XUpdate),
        O::Lwa => return ls::load(cpu, i, Load::WordAlgebraic, Form::Ds),
        O::Lwax => return ls::load(cpu, i, Load::WordAlgebraic, Form::X),
        O::Lwaux => return ls::load(cpu, i, Load::WordAlgebraic, Form::XUpdate),
        O::Ld => return ls::load(cpu, i, Load::Double, Form::Ds),
        O::Ldu => return ls::load(cpu, i, Load::Double, Form::DsUpdate),
        O::Ldx => return ls::load(cpu, i, Load::Double, Form::X),
        O::Ldux => return ls::load(cpu, i, Load::Double, Form::XUpdate),
        O::Lhbrx => return ls::load(cpu, i, Load::HalfReversed, Form::X),
        O::Lwbrx => return ls::load(cpu, i, Load::WordReversed, Form::X),
        O::Stb => return ls::store(cpu, i, Store::Byte, Form::D),
        O::Stbu => return ls::store(cpu, i, Store::Byte, Form::DUpdate),
        O::Stbx => return ls::store(cpu, i, Store::Byte, Form::X),
        O::Stbux => return ls::store(cpu, i, Store::Byte, Form::XUpdate),
        O::Sth => return ls::store(cpu, i, Store::Half, Form::D),
        O::Sthu => return ls::store(cpu, i, Store::Half, Form::DUpdate),
        O::Sthx => return ls::store(cpu, i, Store::Half, Form::X),
        O::Sthux => return ls::store(cpu, i, Store::Half, Form::XUpdate),
        O::Stw => return ls::store(cpu, i, Store::Word, Form::D),
        O::Stwu => return ls::store(cpu, i, Store::Word, Form::DUpdate),
        O::Stwx => return ls::store(cpu, i, Store::Word, Form::X),
        O::Stwux => return ls::store(cpu, i, Store::Word, Form::XUpdate),
        O::Std => return ls::store(cpu, i, Store::Double, Form::Ds),
        O::Stdu => return ls::store(cpu, i, Store::Double, Form::DsUpdate),
        O::Stdx => return ls::store(cpu, i, Store::Double, Form::X),
        O::Stdux => return ls::store(cpu, i, Store::Double, Form::XUpdate),
        O::Sthbrx => return ls::store(cpu, i, Store::HalfReversed, Form::X),
        O::Stwbrx => return ls::store(cpu, i, Store::WordReversed, Form::X),
        O::Lmw => return ls::lmw(cpu, i),
        O::Stmw => return ls::stmw(cpu, i),
        O::Lswi => return ls::load_string(cpu, i, false),
        O::Lswx => return ls::load_string(cpu, i, true),
        O::Stswi => return ls::store_string(cpu, i, false),
        O::Stswx => return ls::store_string(cpu, i, true),
        O::Lwarx => return ls::load_reserve(cpu, i, false),
        O::Ldarx => return ls::load_reserve(cpu, i, true),
        O::Stwcx_ => return ls::store_conditional(cpu, i, false),
        O::Stdcx_ => return ls::store_conditional(cpu, i, true),
        O::Dcbz => return ls::dcbz(cpu, i, 32),
        O::Dcbzl => return ls::dcbz(cpu, i, 128),

        // ---- floating-point loads and stores ----
        O::Lfs => return ls::load_float(cpu, i, false, Form::D),
        O::Lfsu => return ls::load_float(cpu, i, false, Form::DUpdate),
        O::Lfsx => return ls::load_float(cpu, i, false, Form::X),
        O::Lfsux => return ls::load_float(cpu, i, false, Form::XUpdate),
        O::Lfd => return ls::load_float(cpu, i, true, Form::D),
        O::Lfdu => return ls::load_float(cpu, i, true, Form::DUpdate),
        O::Lfdx => return ls::load_float(cpu, i, true, Form::X),
        O::Lfdux => return ls::load_float(cpu, i, true, Form::XUpdate),
        O::Stfs => return ls::store_float(cpu, i, false, Form::D),
        O::Stfsu => return ls::store_float(cpu, i, false, Form::DUpdate),
        O::Stfsx => return ls::store_float(cpu, i, false, Form::X),
        O::Stfsux => return ls::store_float(cpu, i, false, Form::XUpdate),
        O::Stfd => return ls::store_float(cpu, i, true, Form::D),
        O::Stfdu => return ls::store_float(cpu, i, true, Form::DUpdate),
        O::Stfdx => return ls::store_float(cpu, i, true, Form::X),
        O::Stfdux => return ls::store_float(cpu, i, true, Form::XUpdate),
        O::Stfiwx => return ls::stfiwx(cpu, i),

        // ---- FPU ----
        O::Fadd => fpu::arith(st, i, Arith::Add, false),
        O::Fadds => fpu::arith(st, i, Arith::Add, true),
        O::Fsub => fpu::arith(st, i, Arith::Sub, false),
        O::Fsubs => fpu::arith(st, i, Arith::Sub, true),
        O::Fmul => fpu::arith(st, i, Arith::Mul, false),
        O::Fmuls => fpu::arith(st, i, Arith::Mul, true),
        O::Fdiv => fpu::arith(st, i, Arith::Div, false),
        O::Fdivs => fpu::arith(st, i, Arith::Div, true),
        O::Fsqrt => fpu::arith(st, i, Arith::Sqrt, false),
        O::Fsqrts => fpu::arith(st, i, Arith::Sqrt, true),
        O::Fmadd => fpu::arith(st, i, Arith::MulAdd { subtract: false, negate: false }, false),
        O::Fmadds => fpu::arith(st, i, Arith::MulAdd { subtract: false, negate: false }, true),
        O::Fmsub => fpu::arith(st, i, Arith::MulAdd { subtract: true, negate: false }, false),
        O::Fmsubs => fpu::arith(st, i, Arith::MulAdd { subtract: true, negate: false }, true),
        O::Fnmadd => fpu::arith(st, i, Arith::MulAdd { subtract: false, negate: true }, false),
        O::Fnmadds => fpu::arith(st, i, Arith::MulAdd { subtract: false, negate: true }, true),
        O::Fnmsub => fpu::arith(st, i, Arith::MulAdd { subtract: true, negate: true }, false),
        O::Fnmsubs => fpu::arith(st, i, Arith::MulAdd { subtract: true, negate: true }, true),
        O::Fres => fpu::fres(st, i),
        O::Frsqrte => fpu::frsqrte(st, i),
        O::Frsp => fpu::frsp(st, i),
        O::Fsel => fpu::fsel(st, i),
        O::Fmr => fpu::sign_op(st, i, |x| x),
        O::Fneg => fpu::sign_op(st, i, |x| x ^ (1 << 63)),
        O::Fabs => fpu::sign_op(st, i, |x| x & !(1 << 63)),
        O::Fnabs => fpu::sign_op(st, i, |x| x | (1 << 63)),
        O::Fctiw => fpu::convert_to_integer(st, i, true, false),
        O::Fctiwz => fpu::convert_to_integer(st, i, true, true),
        O::Fctid => fpu::convert_to_integer(st, i, false, false),
        O::Fctidz => fpu::convert_to_integer(st, i, false, true),
        O::Fcfid => fpu::fcfid(st, i),
        O::Fcmpu => fpu::compare(st, i, false),
        O::Fcmpo => fpu::compare(st, i, true),
        O::Mffs => fpu::mffs(st, i),
        O::Mtfsf => fpu::mtfsf(st, i),
        O::Mtfsfi => fpu::mtfsfi(st, i),
        O::Mtfsb0 => fpu::mtfsb(st, i, false),
        O::Mtfsb1 => fpu::mtfsb(st, i, true),
        O::Mcrfs => fpu::mcrfs(st, i),

        // ---- system ----
        O::Sc => return sys::sc(cpu),
        O::Tw => return sys::trap(cpu, i, false, false),
        O::Twi => return sys::trap(cpu, i, true, false),
        O::Td => return sys::trap(cpu, i, false, true),
        O::Tdi => return sys::trap(cpu, i, true, true),
        O::Mfspr => return sys::mfspr(cpu, i),
        O::Mtspr => return sys::mtspr(st, i),
        O::Mftb => return sys::mftb(cpu, i),
        O::Mfcr => sys::mfcr(st, i),
        O::Mfocrf => sys::mfocrf(st, i),
        O::Mtcrf => sys::mtcrf(st, i),
        O::Mcrxr => sys::mcrxr(st, i),
        O::Mfmsr => sys::mfmsr(st, i),
        O::Mtmsr => sys::mtmsr(st, i, false),
        O::Mtmsrd => sys::mtmsr(st, i, true),
        O::Sync => sys::sync(i.field_sync_l() == 1),
        O::Eieio => sys::sync(true),
        O::Isync => return Err(Stop::Resync),
        O::Icbi => return sys::icbi(cpu, i),
        O::Dcbf | O::Dcbst | O::Dcbt | O::Dcbtst | O::Dss | O::Dst | O::Dstst => {}
        O::Dcbi | O::Rfi | O::Rfid | O::Tlbie | O::Tlbsync | O::Slbia | O::Slbie | O::Mfsr | O::Mfsrin | O::Mtsr => {
            return privileged()
        }
        O::Mtsrin | O::Mtsrd | O::Mtsrdin | O::Eciwx | O::Ecowx => return privileged(),

        // ---- AltiVec ----
        O::Mfvscr => vmx::mfvscr(st, i),
        O::Mtvscr => vmx::mtvscr(st, i),
        O::Vaddubm => vmx::vx(st, i, |_, a, b| vmx::add_modulo(a, b, Lane::Byte)),
        O::Vadduhm => vmx::vx(st, i, |_, a, b| vmx::add_modulo(a, b, Lane::Half)),
        O::Vadduwm => vmx::vx(st, i, |_, a, b| vmx::add_modulo(a, b, Lane::Word)),
        O::Vaddubs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Byte, false, false)),
        O::Vadduhs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Half, false, false)),
        O::Vadduws => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Word, false, false)),
        O::Vaddsbs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Byte, true, false)),
        O::Vaddshs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Half, true, false)),
        O::Vaddsws => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Word, true, false)),
        O::Vaddcuw => vmx::vx(st, i, |_, a, b| vmx::add_carry(a, b)),
        O::Vsububm => vmx::vx(st, i, |_, a, b| vmx::sub_modulo(a, b, Lane::Byte)),
        O::Vsubuhm => vmx::vx(st, i, |_, a, b| vmx::sub_modulo(a, b, Lane::Half)),
        O::Vsubuwm => vmx::vx(st, i, |_, a, b| vmx::sub_modulo(a, b, Lane::Word)),
        O::Vsububs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Byte, false, true)),
        O::Vsubuhs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Half, false, true)),
        O::Vsubuws => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Word, false, true)),
        O::Vsubsbs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Byte, true, true)),
        O::Vsubshs => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Half, true, true)),
        O::Vsubsws => vmx::vx(st, i, |s, a, b| vmx::add_saturate(s, a, b, Lane::Word, true, true)),
        O::Vsubcuw => vmx::vx(st, i, |_, a, b| vmx::sub_carry(a, b)),
        O::Vavgub => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Byte, false)),
        O::Vavguh => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Half, false)),
        O::Vavguw => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Word, false)),
        O::Vavgsb => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Byte, true)),
        O::Vavgsh => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Half, true)),
        O::Vavgsw => vmx::vx(st, i, |_, a, b| vmx::average(a, b, Lane::Word, true)),
        O::Vmaxub => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Byte, false, true)),
        O::Vmaxuh => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Half, false, true)),
        O::Vmaxuw => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Word, false, true)),
        O::Vmaxsb => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Byte, true, true)),
        O::Vmaxsh => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Half, true, true)),
        O::Vmaxsw => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Word, true, true)),
        O::Vminub => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Byte, false, false)),
        O::Vminuh => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Half, false, false)),
        O::Vminuw => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Word, false, false)),
        O::Vminsb => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Byte, true, false)),
        O::Vminsh => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Half, true, false)),
        O::Vminsw => vmx::vx(st, i, |_, a, b| vmx::max_min(a, b, Lane::Word, true, false)),
        O::Vmuleub => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Byte, false, false)),
        O::Vmulesb => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Byte, true, false)),
        O::Vmuleuh => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Half, false, false)),
        O::Vmulesh => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Half, true, false)),
        O::Vmuloub => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Byte, false, true)),
        O::Vmulosb => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Byte, true, true)),
        O::Vmulouh => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Half, false, true)),
        O::Vmulosh => vmx::vx(st, i, |_, a, b| vmx::multiply_even_odd(a, b, Lane::Half, true, true)),
        O::Vmhaddshs => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_high_add(s, a, b, c, false)),
        O::Vmhraddshs => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_high_add(s, a, b, c, true)),
        O::Vmladduhm => vmx::va_form(st, i, |_, a, b, c| vmx::multiply_low_add(a, b, c)),
        O::Vmsumubm => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 0)),
        O::Vmsummbm => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 1)),
        O::Vmsumuhm => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 2)),
        O::Vmsumuhs => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 3)),
        O::Vmsumshm => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 4)),
        O::Vmsumshs => vmx::va_form(st, i, |s, a, b, c| vmx::multiply_sum(s, a, b, c, 5)),
        O::Vsum4ubs => vmx::vx(st, i, |s, a, b| vmx::sum_across_quarter(s, a, b, Lane::Byte, false)),
        O::Vsum4sbs => vmx::vx(st, i, |s, a, b| vmx::sum_across_quarter(s, a, b, Lane::Byte, true)),
        O::Vsum4shs => vmx::vx(st, i, |s, a, b| vmx::sum_across_quarter(s, a, b, Lane::Half, true)),
        O::Vsum2sws => vmx::vx(st, i, vmx::sum2),
        O::Vsumsws => vmx::vx(st, i, vmx::sum_all),
        O::Vand => vmx::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] & b[k])),
        O::Vandc => vmx::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] & !b[k])),
        O::Vor => vmx::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] | b[k])),
        O::Vnor => vmx::vx(st, i, |_, a, b| std::array::from_fn(|k| !(a[k] | b[k]))),
        O::Vxor => vmx::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] ^ b[k])),
        O::Vsel => vmx::va_form(st, i, |_, a, b, c| vmx::select(a, b, c)),
        O::Vperm => vmx::va_form(st, i, |_, a, b, c| vmx::perm(a, b, c)),
        O::Vsldoi => {
            let sh = i.field_shb() as u32;
            vmx::vx(st, i, |_, a, b| vmx::sldoi(a, b, sh))
        }
        O::Vsl => vmx::vx(st, i, |_, a, b| vmx::shift_bits(a, b, true)),
        O::Vsr => vmx::vx(st, i, |_, a, b| vmx::shift_bits(a, b, false)),
        O::Vslo => vmx::vx(st, i, |_, a, b| vmx::shift_octets(a, b, true)),
        O::Vsro => vmx::vx(st, i, |_, a, b| vmx::shift_octets(a, b, false)),
        O::Vslb => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Byte, Shift::Left)),
        O::Vslh => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Half, Shift::Left)),
        O::Vslw => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Left)),
        O::Vsrb => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Byte, Shift::Right)),
        O::Vsrh => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Half, Shift::Right)),
        O::Vsrw => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Right)),
        O::Vsrab => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Byte, Shift::RightAlgebraic)),
        O::Vsrah => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Half, Shift::RightAlgebraic)),
        O::Vsraw => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::RightAlgebraic)),
        O::Vrlb => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Byte, Shift::Rotate)),
        O::Vrlh => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Half, Shift::Rotate)),
        O::Vrlw => vmx::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Rotate)),
        O::Vmrghb => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Byte, true)),
        O::Vmrghh => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Half, true)),
        O::Vmrghw => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Word, true)),
        O::Vmrglb => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Byte, false)),
        O::Vmrglh => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Half, false)),
        O::Vmrglw => vmx::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Word, false)),
        O::Vspltb => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |_, _, b| vmx::splat(b, Lane::Byte, n))
        }
        O::Vsplth => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |_, _, b| vmx::splat(b, Lane::Half, n))
        }
        O::Vspltw => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |_, _, b| vmx::splat(b, Lane::Word, n))
        }
        O::Vspltisb => st.vr[i.field_vd() as usize] = vmx::splat_immediate(i.field_vsimm(), Lane::Byte),
        O::Vspltish => st.vr[i.field_vd() as usize] = vmx::splat_immediate(i.field_vsimm(), Lane::Half),
        O::Vspltisw => st.vr[i.field_vd() as usize] = vmx::splat_immediate(i.field_vsimm(), Lane::Word),
        O::Vpkuhum => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, false, false, true)),
        O::Vpkuwum => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, false, false, true)),
        O::Vpkuhus => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, false, false, false)),
        O::Vpkuwus => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, false, false, false)),
        O::Vpkshus => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, true, false, false)),
        O::Vpkswus => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, true, false, false)),
        O::Vpkshss => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, true, true, false)),
        O::Vpkswss => vmx::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, true, true, false)),
        O::Vpkpx => vmx::vx(st, i, |_, a, b| vmx::pack_pixel(a, b)),
        O::Vupkhsb => vmx::vx(st, i, |_, _, b| vmx::unpack(b, Lane::Byte, true)),
        O::Vupklsb => vmx::vx(st, i, |_, _, b| vmx::unpack(b, Lane::Byte, false)),
        O::Vupkhsh => vmx::vx(st, i, |_, _, b| vmx::unpack(b, Lane::Half, true)),
        O::Vupklsh => vmx::vx(st, i, |_, _, b| vmx::unpack(b, Lane::Half, false)),
        O::Vupkhpx => vmx::vx(st, i, |_, _, b| vmx::unpack_pixel(b, true)),
        O::Vupklpx => vmx::vx(st, i, |_, _, b| vmx::unpack_pixel(b, false)),
        O::Vcmpequb => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Byte, 0)),
        O::Vcmpequh => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Half, 0)),
        O::Vcmpequw => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Word, 0)),
        O::Vcmpgtsb => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Byte, 1)),
        O::Vcmpgtsh => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Half, 1)),
        O::Vcmpgtsw => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Word, 1)),
        O::Vcmpgtub => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Byte, 2)),
        O::Vcmpgtuh => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Half, 2)),
        O::Vcmpgtuw => vmx::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Word, 2)),
        O::Vcmpeqfp => vmx::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 0)),
        O::Vcmpgefp => vmx::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 1)),
        O::Vcmpgtfp => vmx::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 2)),
        O::Vcmpbfp => vmx::vcmp(st, i, true, vmx::compare_bounds),
        O::Vaddfp => vmx::vx(st, i, |s, a, b| vmx::float_op(s, &[a, b], |x| x[0] + x[1])),
        O::Vsubfp => vmx::vx(st, i, |s, a, b| vmx::float_op(s, &[a, b], |x| x[0] - x[1])),
        O::Vmaddfp => vmx::va_form(st, i, |s, a, b, c| vmx::float_op(s, &[a, c, b], |x| x[0].mul_add(x[1], x[2]))),
        O::Vnmsubfp => vmx::va_form(st, i, |s, a, b, c| vmx::float_op(s, &[a, c, b], |x| -(x[0].mul_add(x[1], -x[2])))),
        O::Vmaxfp => vmx::vx(st, i, |s, a, b| vmx::max_min_float(s, a, b, true)),
        O::Vminfp => vmx::vx(st, i, |s, a, b| vmx::max_min_float(s, a, b, false)),
        O::Vrefp => vmx::vx(st, i, |s, _, b| vmx::float_op(s, &[b], |x| 1.0 / x[0])),
        O::Vrsqrtefp => vmx::vx(st, i, |s, _, b| vmx::float_op(s, &[b], |x| 1.0 / x[0].sqrt())),
        O::Vexptefp => vmx::vx(st, i, |s, _, b| vmx::float_op(s, &[b], |x| x[0].exp2())),
        O::Vlogefp => vmx::vx(st, i, |s, _, b| vmx::float_op(s, &[b], |x| x[0].log2())),
        O::Vrfin => vmx::vx(st, i, |s, _, b| vmx::round_float(s, b, 0)),
        O::Vrfiz => vmx::vx(st, i, |s, _, b| vmx::round_float(s, b, 1)),
        O::Vrfip => vmx::vx(st, i, |s, _, b| vmx::round_float(s, b, 2)),
        O::Vrfim => vmx::vx(st, i, |s, _, b| vmx::round_float(s, b, 3)),
        O::Vctsxs => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |s, _, b| vmx::float_to_int(s, b, n, true))
        }
        O::Vctuxs => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |s, _, b| vmx::float_to_int(s, b, n, false))
        }
        O::Vcfsx => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |s, _, b| vmx::int_to_float(s, b, n, true))
        }
        O::Vcfux => {
            let n = i.field_vuimm() as u32;
            vmx::vx(st, i, |s, _, b| vmx::int_to_float(s, b, n, false))
        }
        O::Lvsl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            cpu.st.vr[i.field_vd() as usize] = vmx::shift_control(ea, false)
        }
        O::Lvsr => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            cpu.st.vr[i.field_vd() as usize] = vmx::shift_control(ea, true)
        }
        O::Lvx | O::Lvxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvx(cpu, i.field_vd() as usize, ea);
        }
        O::Stvx | O::Stvxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvx(cpu, i.field_vs() as usize, ea);
        }
        O::Lvebx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::load_element(cpu, i.field_vd() as usize, ea, Lane::Byte);
        }
        O::Lvehx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::load_element(cpu, i.field_vd() as usize, ea, Lane::Half);
        }
        O::Lvewx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::load_element(cpu, i.field_vd() as usize, ea, Lane::Word);
        }
        O::Stvebx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::store_element(cpu, i.field_vs() as usize, ea, Lane::Byte);
        }
        O::Stvehx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::store_element(cpu, i.field_vs() as usize, ea, Lane::Half);
        }
        O::Stvewx => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::store_element(cpu, i.field_vs() as usize, ea, Lane::Word);
        }
        O::Lvlx | O::Lvlxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvlx(cpu, i.field_vd() as usize, ea);
        }
        O::Lvrx | O::Lvrxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvrx(cpu, i.field_vd() as usize, ea);
        }
        O::Stvlx | O::Stvlxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvlx(cpu, i.field_vs() as usize, ea);
        }
        O::Stvrx | O::Stvrxl => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvrx(cpu, i.field_vs() as usize, ea);
        }

        // ---- VMX128 ----
        O::Lvsl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            cpu.st.vr[v128::vd(i)] = vmx::shift_control(ea, false)
        }
        O::Lvsr128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            cpu.st.vr[v128::vd(i)] = vmx::shift_control(ea, true)
        }
        O::Lvx128 | O::Lvxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvx(cpu, v128::vd(i), ea);
        }
        O::Stvx128 | O::Stvxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvx(cpu, v128::vd(i), ea);
        }
        O::Lvewx128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::load_element(cpu, v128::vd(i), ea, Lane::Word);
        }
        O::Stvewx128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::store_element(cpu, v128::vd(i), ea, Lane::Word);
        }
        O::Lvlx128 | O::Lvlxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvlx(cpu, v128::vd(i), ea);
        }
        O::Lvrx128 | O::Lvrxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::lvrx(cpu, v128::vd(i), ea);
        }
        O::Stvlx128 | O::Stvlxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvlx(cpu, v128::vd(i), ea);
        }
        O::Stvrx128 | O::Stvrxl128 => {
            let ea = cpu.ea_x(i.field_ra(), i.field_rb());
            return vmx::stvrx(cpu, v128::vd(i), ea);
        }
        O::Vaddfp128 => v128::vx(st, i, |s, a, b| vmx::float_op(s, &[a, b], |x| x[0] + x[1])),
        O::Vsubfp128 => v128::vx(st, i, |s, a, b| vmx::float_op(s, &[a, b], |x| x[0] - x[1])),
        O::Vmulfp128 => v128::vx(st, i, |s, a, b| vmx::float_op(s, &[a, b], |x| x[0] * x[1])),
        // vD = vA * vB + vD
        O::Vmaddfp128 => v128::vx_acc(st, i, |s, a, b, d| vmx::float_op(s, &[a, d, b], |x| x[0].mul_add(x[2], x[1]))),
        // vD = vA * vD + vB
        O::Vmaddcfp128 => v128::vx_acc(st, i, |s, a, b, d| vmx::float_op(s, &[a, b, d], |x| x[0].mul_add(x[2], x[1]))),
        // vD = -(vA * vB - vD)
        O::Vnmsubfp128 => {
            v128::vx_acc(st, i, |s, a, b, d| vmx::float_op(s, &[a, d, b], |x| -(x[0].mul_add(x[2], -x[1]))))
        }
        O::Vmsum3fp128 => v128::dot(st, i, 3),
        O::Vmsum4fp128 => v128::dot(st, i, 4),
        O::Vand128 => v128::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] & b[k])),
        O::Vandc128 => v128::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] & !b[k])),
        O::Vor128 => v128::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] | b[k])),
        O::Vnor128 => v128::vx(st, i, |_, a, b| std::array::from_fn(|k| !(a[k] | b[k]))),
        O::Vxor128 => v128::vx(st, i, |_, a, b| std::array::from_fn(|k| a[k] ^ b[k])),
        // vD = (vA & !vD) | (vB & vD)
        O::Vsel128 => v128::vx_acc(st, i, |_, a, b, d| vmx::select(a, b, d)),
        O::Vperm128 => v128::vperm128(st, i),
        O::Vsldoi128 => {
            let sh = i.field_shb() as u32;
            v128::vx(st, i, |_, a, b| vmx::sldoi(a, b, sh))
        }
        O::Vslo128 => v128::vx(st, i, |_, a, b| vmx::shift_octets(a, b, true)),
        O::Vsro128 => v128::vx(st, i, |_, a, b| vmx::shift_octets(a, b, false)),
        O::Vslw128 => v128::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Left)),
        O::Vsrw128 => v128::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Right)),
        O::Vsraw128 => v128::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::RightAlgebraic)),
        O::Vrlw128 => v128::vx(st, i, |_, a, b| vmx::shift_lanes(a, b, Lane::Word, Shift::Rotate)),
        O::Vpkshss128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, true, true, false)),
        O::Vpkshus128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, true, false, false)),
        O::Vpkswss128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, true, true, false)),
        O::Vpkswus128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, true, false, false)),
        O::Vpkuhum128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, false, false, true)),
        O::Vpkuhus128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Half, false, false, false)),
        O::Vpkuwum128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, false, false, true)),
        O::Vpkuwus128 => v128::vx(st, i, |s, a, b| vmx::pack(s, a, b, Lane::Word, false, false, false)),
        O::Vmrghw128 => v128::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Word, true)),
        O::Vmrglw128 => v128::vx(st, i, |_, a, b| vmx::merge(a, b, Lane::Word, false)),
        O::Vupkhsb128 => v128::unary(st, i, |_, b| vmx::unpack(b, Lane::Byte, true)),
        O::Vupklsb128 => v128::unary(st, i, |_, b| vmx::unpack(b, Lane::Byte, false)),
        O::Vupkhsh128 => v128::unary(st, i, |_, b| vmx::unpack(b, Lane::Half, true)),
        O::Vupklsh128 => v128::unary(st, i, |_, b| vmx::unpack(b, Lane::Half, false)),
        O::Vcmpeqfp128 => v128::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 0)),
        O::Vcmpgefp128 => v128::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 1)),
        O::Vcmpgtfp128 => v128::vcmp(st, i, false, |s, a, b| vmx::compare_float(s, a, b, 2)),
        O::Vcmpequw128 => v128::vcmp(st, i, false, |_, a, b| vmx::compare_int(a, b, Lane::Word, 0)),
        O::Vcmpbfp128 => v128::vcmp(st, i, true, vmx::compare_bounds),
        O::Vctsxs128 => {
            let n = i.field_vuimm() as u32;
            v128::unary(st, i, |s, b| vmx::float_to_int(s, b, n, true))
        }
        O::Vctuxs128 => {
            let n = i.field_vuimm() as u32;
            v128::unary(st, i, |s, b| vmx::float_to_int(s, b, n, false))
        }
        O::Vcfsx128 => {
            let n = i.field_vuimm() as u32;
            v128::unary(st, i, |s, b| vmx::int_to_float(s, b, n, true))
        }
        O::Vcfux128 => {
            let n = i.field_vuimm() as u32;
            v128::unary(st, i, |s, b| vmx::int_to_float(s, b, n, false))
        }
        O::Vexptefp128 => v128::unary(st, i, |s, b| vmx::float_op(s, &[b], |x| x[0].exp2())),
        O::Vlogefp128 => v128::unary(st, i, |s, b| vmx::float_op(s, &[b], |x| x[0].log2())),
        O::Vrefp128 => v128::unary(st, i, |s, b| vmx::float_op(s, &[b], |x| 1.0 / x[0])),
        O::Vrsqrtefp128 => v128::unary(st, i, |s, b| vmx::float_op(s, &[b], |x| 1.0 / x[0].sqrt())),
        O::Vmaxfp128 => v128::vx(st, i, |s, a, b| vmx::max_min_float(s, a, b, true)),
        O::Vminfp128 => v128::vx(st, i, |s, a, b| vmx::max_min_float(s, a, b, false)),
        O::Vrfin128 => v128::unary(st, i, |s, b| vmx::round_float(s, b, 0)),
        O::Vrfiz128 => v128::unary(st, i, |s, b| vmx::round_float(s, b, 1)),
        O::Vrfip128 => v128::unary(st, i, |s, b| vmx::round_float(s, b, 2)),
        O::Vrfim128 => v128::unary(st, i, |s, b| vmx::round_float(s, b, 3)),
        O::Vspltw128 => {
            let n = i.field_vuimm() as u32;
            v128::unary(st, i, |_, b| vmx::splat(b, Lane::Word, n))
        }
        O::Vspltisw128 => v128::vspltisw128(st, i),
        O::Vpermwi128 => v128::vpermwi128(st, i),
        O::Vrlimi128 => v128::vrlimi128(st, i),
        O::Vpkd3d128 => {
            if !v128::vpkd3d128(st, i) {
                return illegal();
            }
        }
        O::Vupkd3d128 => {
            if !v128::vupkd3d128(st, i) {
                return illegal();
            }
        }

        // ---- not Xenon: Gekko/Broadway paired singles ----
        O::DcbzL | O::PsqLux | O::PsqLx | O::PsqStux | O::PsqStx | O::PsAbs | O::PsAdd | O::PsCmpo0 | O::PsCmpo1 => {
            return illegal()
        }
        O::PsCmpu0 | O::PsCmpu1 | O::PsDiv | O::PsMadd | O::PsMadds0 | O::PsMadds1 | O::PsMerge00 | O::PsMerge01 => {
            return illegal()
        }
        O::PsMerge10 | O::PsMerge11 | O::PsMr | O::PsMsub | O::PsMul | O::PsMuls0 | O::PsMuls1 | O::PsNabs => {
            return illegal()
        }
        O::PsNeg | O::PsNmadd | O::PsNmsub | O::PsRes | O::PsRsqrte | O::PsSel | O::PsSub | O::PsSum0 | O::PsSum1 => {
            return illegal()
        }
        O::PsqL | O::PsqLu | O::PsqSt | O::PsqStu => return illegal(),
        O::Illegal => {
            return match decode::supplement(i.code) {
                Some(Supplement::Ldbrx) => ls::load(cpu, i, Load::DoubleReversed, Form::X),
                Some(Supplement::Stdbrx) => ls::store(cpu, i, Store::DoubleReversed, Form::X),
                None => illegal(),
            }
        }
        _ => return Err(Stop::Fault(FaultKind::Unimplemented { mnemonic: i.op.mnemonic() })),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rig;
    use super::super::Machine;
    use super::*;

    #[test]
    fn every_decoder_opcode_has_an_arm() {
        let mut rig = Rig::new();
        let mut unhandled = Vec::new();
        for value in 0..=u16::MAX {
            let op = Opcode::from(value);
            if op == Opcode::Illegal {
                continue;
            }
            let machine =
                Machine { memory: &rig.memory, code: &rig.code, reservations: &rig.reservations, probes: &[] };
            let mut cpu = Cpu {
                st: &mut rig.cpu.state,
                mem: machine.memory,
                code: machine.code,
                res: machine.reservations,
                bus: &mut rig.bus,
                budget: 1,
                remaining: 1,
            };
            if let Err(Stop::Fault(FaultKind::Unimplemented { mnemonic })) = execute(&mut cpu, Ins { code: 0, op }) {
                unhandled.push(mnemonic);
            }
        }
        assert!(unhandled.is_empty(), "no arm for {unhandled:?}");
    }
}
