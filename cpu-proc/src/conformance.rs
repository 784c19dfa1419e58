//! The conformance runner behind `xenact ppc-test CASES.jsonl`.
//!
//! Each line of a case file is one case:
//!
//! ```json
//! {"name": "add_1", "image": "add.bin", "load": "0x80000000", "entry": "0x80000008",
//!  "in": {"r5": "0x100000", "f1": "1.5", "v3": ["00000001","00000002","00000003","00000004"]},
//!  "mem_in": [{"addr": "0x10001000", "hex": "00010203"}],
//!  "out": {"r3": "0x100005"}, "mem_out": [{"addr": "0x10001000", "hex": "00010203"}]}
//! ```
//!
//! For each case: a fresh machine with every register zero, then `in`
//! applied; the image (relative to the case file) loaded at `load`; a zeroed
//! read/write data window `0x10001000–0x1000FFFF`; a 64 KiB stack just below
//! the image with r1 inside it; LR = `0xBCBCBCBC`; then the interpreter runs
//! from `entry` until control returns to `0xBCBCBCBC` (at most
//! [`INSTRUCTION_CAP`] instructions). `out` and `mem_out` are compared:
//! integer registers on all 64 bits; a float written in decimal by value, one
//! written as `0x…` bit for bit; a vector as four 32-bit words, the first at
//! the lowest address; `cr`, `xer`, `fpscr`, `vscr`, `lr`, `ctr`, `vrsave`
//! as integers. One line is printed per failing case, then `N passed, M failed`.

use crate::ppc::{CodeMap, ReservationTable};
use crate::ppc::{Interpreter, Limits, Machine, NullBus, RunExit, ThreadState};
use rustix::fd::AsFd;
use serde_json::Value;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where control returns to when a case ends.
pub const RETURN_ADDRESS: u32 = 0xBCBC_BCBC;
/// A case that retires this many instructions without returning fails.
pub const INSTRUCTION_CAP: u64 = 10_000_000;
/// The zeroed data window every case may use.
pub const DATA_WINDOW: (u32, u32) = (0x1000_1000, 0x1000_FFFF);
const STACK_SIZE: u32 = 0x1_0000;

/// Why a case file could not be run at all.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("mapping guest memory: {0}")]
    Memory(#[from] shared::memory::MapError),
    #[error("writing the report: {0}")]
    Report(std::io::Error),
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

/// One parsed case.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub image: PathBuf,
    pub load: u32,
    pub entry: u32,
    pub inputs: Vec<(Register, Value)>,
    pub mem_in: Vec<(u32, Vec<u8>)>,
    pub outputs: Vec<(Register, Value)>,
    pub mem_out: Vec<(u32, Vec<u8>)>,
}

/// A register a case may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Gpr(usize),
    Fpr(usize),
    Vr(usize),
    Cr,
    Xer,
    Fpscr,
    Vscr,
    Lr,
    Ctr,
    Vrsave,
}

impl Register {
    pub fn parse(name: &str) -> Option<Register> {
        let indexed = |prefix: &str, max: usize| -> Option<usize> {
            let n: usize = name.strip_prefix(prefix)?.parse().ok()?;
            (n < max).then_some(n)
        };
        Some(match name {
            "cr" => Register::Cr,
            "xer" => Register::Xer,
            "fpscr" => Register::Fpscr,
            "vscr" => Register::Vscr,
            "lr" => Register::Lr,
            "ctr" => Register::Ctr,
            "vrsave" => Register::Vrsave,
            _ => {
                if let Some(n) = indexed("r", 32) {
                    Register::Gpr(n)
                } else if let Some(n) = indexed("f", 32) {
                    Register::Fpr(n)
                } else if let Some(n) = indexed("v", 128) {
                    Register::Vr(n)
                } else {
                    return None;
                }
            }
        })
    }

    fn name(self) -> String {
        match self {
            Register::Gpr(n) => format!("r{n}"),
            Register::Fpr(n) => format!("f{n}"),
            Register::Vr(n) => format!("v{n}"),
            Register::Cr => "cr".into(),
            Register::Xer => "xer".into(),
            Register::Fpscr => "fpscr".into(),
            Register::Vscr => "vscr".into(),
            Register::Lr => "lr".into(),
            Register::Ctr => "ctr".into(),
            Register::Vrsave => "vrsave".into(),
        }
    }
}

fn parse_int(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| n.as_i64().map(|x| x as u64)),
        Value::String(s) => {
            let s = s.trim();
            let (neg, body) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s),
            };
            let magnitude = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
                u64::from_str_radix(&hex.replace('_', ""), 16).ok()?
            } else {
                body.parse::<u64>().ok()?
            };
            Some(if neg { magnitude.wrapping_neg() } else { magnitude })
        }
        _ => None,
    }
}

/// A float operand: raw bits for `0x…`, a value otherwise.
#[derive(Debug, Clone, Copy)]
enum FloatSpec {
    Bits(u64),
    Value(f64),
}

fn parse_float(v: &Value) -> Option<FloatSpec> {
    match v {
        Value::Number(n) => n.as_f64().map(FloatSpec::Value),
        Value::String(s) => {
            let s = s.trim();
            if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                u64::from_str_radix(hex, 16).ok().map(FloatSpec::Bits)
            } else {
                let lower = s.to_ascii_lowercase();
                let value = match lower.as_str() {
                    "nan" | "+nan" => f64::NAN,
                    "-nan" => -f64::NAN,
                    "inf" | "+inf" | "infinity" | "+infinity" => f64::INFINITY,
                    "-inf" | "-infinity" => f64::NEG_INFINITY,
                    _ => lower.parse().ok()?,
                };
                Some(FloatSpec::Value(value))
            }
        }
        _ => None,
    }
}

fn parse_vector(v: &Value) -> Option<[u32; 4]> {
    let items = v.as_array()?;
    if items.len() != 4 {
        return None;
    }
    let mut out = [0u32; 4];
    for (slot, item) in out.iter_mut().zip(items) {
        let s = item.as_str()?.trim();
        let s = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")).unwrap_or(s);
        *slot = u32::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

fn parse_hex_bytes(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

fn parse_memory(v: Option<&Value>) -> Result<Vec<(u32, Vec<u8>)>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items = v.as_array().ok_or("mem_in/mem_out must be an array")?;
    items
        .iter()
        .map(|item| {
            let addr = item.get("addr").and_then(parse_int).ok_or("memory entry without a valid addr")?;
            let hex = item.get("hex").and_then(Value::as_str).ok_or("memory entry without hex")?;
            let bytes = parse_hex_bytes(hex).ok_or("memory entry hex is not whole bytes")?;
            Ok((addr as u32, bytes))
        })
        .collect()
}

fn parse_registers(v: Option<&Value>) -> Result<Vec<(Register, Value)>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let map = v.as_object().ok_or("in/out must be an object")?;
    map.iter()
        .map(|(k, value)| Register::parse(k).map(|r| (r, value.clone())).ok_or(format!("unknown register {k:?}")))
        .collect()
}

impl Case {
    /// Parses one JSONL line; `base` is the case file's directory.
    pub fn parse(line: &str, base: &Path) -> Result<Case, String> {
        let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let text = |key: &str| v.get(key).and_then(Value::as_str).ok_or(format!("missing {key:?}"));
        let addr =
            |key: &str| v.get(key).and_then(parse_int).map(|a| a as u32).ok_or(format!("missing or bad {key:?}"));
        Ok(Case {
            name: text("name")?.to_string(),
            image: base.join(text("image")?),
            load: addr("load")?,
            entry: addr("entry")?,
            inputs: parse_registers(v.get("in"))?,
            mem_in: parse_memory(v.get("mem_in"))?,
            outputs: parse_registers(v.get("out"))?,
            mem_out: parse_memory(v.get("mem_out"))?,
        })
    }
}

fn apply_input(st: &mut ThreadState, reg: Register, value: &Value) -> Result<(), String> {
    let bad = || format!("bad value {value} for {}", reg.name());
    match reg {
        Register::Fpr(n) => {
            st.fpr[n] = match parse_float(value).ok_or_else(bad)? {
                FloatSpec::Bits(b) => b,
                FloatSpec::Value(f) => f.to_bits(),
            }
        }
        Register::Vr(n) => st.vr[n] = parse_vector(value).ok_or_else(bad)?,
        _ => {
            let x = parse_int(value).ok_or_else(bad)?;
            match reg {
                Register::Gpr(n) => st.gpr[n] = x,
                Register::Cr => st.cr = x as u32,
                Register::Xer => st.set_xer(x),
                Register::Fpscr => st.fpscr = x as u32,
                Register::Vscr => st.vscr = x as u32,
                Register::Lr => st.lr = x,
                Register::Ctr => st.ctr = x,
                Register::Vrsave => st.vrsave = x as u32,
                Register::Fpr(_) | Register::Vr(_) => unreachable!("handled above"),
            }
        }
    }
    Ok(())
}

/// Compares one expected register; returns a description of a mismatch.
fn check_output(st: &ThreadState, reg: Register, value: &Value) -> Option<String> {
    let name = reg.name();
    match reg {
        Register::Fpr(n) => {
            let got = st.fpr[n];
            match parse_float(value) {
                Some(FloatSpec::Bits(b)) => (got != b).then(|| format!("{name} expected {b:#018x} got {got:#018x}")),
                Some(FloatSpec::Value(f)) => {
                    let g = f64::from_bits(got);
                    let same = (f.is_nan() && g.is_nan()) || f == g;
                    (!same).then(|| format!("{name} expected {f} got {g} ({got:#018x})"))
                }
                None => Some(format!("{name}: unreadable expected value {value}")),
            }
        }
        Register::Vr(n) => {
            let got = st.vr[n];
            match parse_vector(value) {
                Some(want) => (got != want).then(|| {
                    format!(
                        "{name} expected [{:08X} {:08X} {:08X} {:08X}] got [{:08X} {:08X} {:08X} {:08X}]",
                        want[0], want[1], want[2], want[3], got[0], got[1], got[2], got[3]
                    )
                }),
                None => Some(format!("{name}: unreadable expected value {value}")),
            }
        }
        _ => {
            let got = match reg {
                Register::Gpr(n) => st.gpr[n],
                Register::Cr => st.cr as u64,
                Register::Xer => st.xer(),
                Register::Fpscr => st.fpscr as u64,
                Register::Vscr => st.vscr as u64,
                Register::Lr => st.lr,
                Register::Ctr => st.ctr,
                Register::Vrsave => st.vrsave as u64,
                Register::Fpr(_) | Register::Vr(_) => unreachable!("handled above"),
            };
            match parse_int(value) {
                Some(want) => (got != want).then(|| format!("{name} expected {want:#x} got {got:#x}")),
                None => Some(format!("{name}: unreadable expected value {value}")),
            }
        }
    }
}

/// How one case went.
#[derive(Debug)]
pub enum Outcome {
    Pass,
    /// The mismatches, or the reason the case could not finish.
    Fail(Vec<String>, Option<String>),
}

/// Runs one case on a fresh machine.
pub fn run_case(case: &Case, image: &[u8]) -> Result<Outcome, ConformanceError> {
    let fd = GuestMemory::create_file()?;
    let memory = GuestMemory::map(fd.as_fd())?;
    let code = CodeMap::new();
    let reservations = ReservationTable::new();
    let mut problems = Vec::new();
    if let Err(e) = memory.write_bytes(VirtAddr(case.load), image) {
        return Ok(Outcome::Fail(vec![format!("image does not fit at {:#x}: {e}", case.load)], None));
    }
    for (addr, bytes) in &case.mem_in {
        if let Err(e) = memory.write_bytes(VirtAddr(*addr), bytes) {
            problems.push(format!("mem_in at {addr:#x}: {e}"));
        }
    }
    let mut state = ThreadState::default();
    state.gpr[1] = (case.load - STACK_SIZE / 2) as u64 & !0xF;
    state.lr = RETURN_ADDRESS as u64;
    for (reg, value) in &case.inputs {
        if let Err(e) = apply_input(&mut state, *reg, value) {
            problems.push(e);
        }
    }
    if !problems.is_empty() {
        return Ok(Outcome::Fail(problems, None));
    }
    state.pc = case.entry;
    let mut cpu = Interpreter::new(state);
    let mut bus = NullBus::default();
    let machine = Machine { memory: &memory, code: &code, reservations: &reservations, probes: &[] };
    let result = cpu.run(machine, &mut bus, Limits { budget: INSTRUCTION_CAP, stop_at: Some(RETURN_ADDRESS) });
    match result {
        Ok(RunExit::ReachedStop) => {}
        Ok(RunExit::BudgetSpent) => {
            return Ok(Outcome::Fail(
                vec![format!("did not return within {INSTRUCTION_CAP} instructions (pc {:#010x})", cpu.state.pc)],
                None,
            ))
        }
        Ok(RunExit::Stopped) => return Ok(Outcome::Fail(vec!["the bus stopped the thread".into()], None)),
        Err(fault) => {
            let first = fault.to_string().lines().take(2).collect::<Vec<_>>().join(" /");
            return Ok(Outcome::Fail(vec![first], Some(fault.to_string())));
        }
    }
    for (reg, value) in &case.outputs {
        if let Some(m) = check_output(&cpu.state, *reg, value) {
            problems.push(m);
        }
    }
    for (addr, want) in &case.mem_out {
        let mut got = vec![0; want.len()];
        match memory.read_bytes(VirtAddr(*addr), &mut got) {
            Ok(()) if got == *want => {}
            Ok(()) => problems.push(format!("memory at {addr:#x} expected {} got {}", hex(want), hex(&got))),
            Err(e) => problems.push(format!("memory at {addr:#x}: {e}")),
        }
    }
    Ok(if problems.is_empty() { Outcome::Pass } else { Outcome::Fail(problems, Some(cpu.state.to_string())) })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Runs every case of `path`, writing one line per failure (and, with
/// `verbose`, a line per pass and the registers of each failure) and the
/// closing `N passed, M failed` line to `out`.
pub fn run_file(path: &Path, verbose: bool, out: &mut dyn Write) -> Result<Summary, ConformanceError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConformanceError::Read { path: path.into(), source })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut images: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    let mut summary = Summary::default();
    let report = ConformanceError::Report;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with("//") {
            continue;
        }
        let case = Case::parse(line, base).map_err(|message| ConformanceError::Parse {
            path: path.into(),
            line: index + 1,
            message,
        })?;
        if !images.contains_key(&case.image) {
            let bytes = std::fs::read(&case.image)
                .map_err(|source| ConformanceError::Read { path: case.image.clone(), source })?;
            images.insert(case.image.clone(), bytes);
        }
        match run_case(&case, &images[&case.image])? {
            Outcome::Pass => {
                summary.passed += 1;
                if verbose {
                    writeln!(out, "PASS {}", case.name).map_err(report)?;
                }
            }
            Outcome::Fail(problems, detail) => {
                summary.failed += 1;
                writeln!(out, "FAIL {}: {}", case.name, problems.join("; ")).map_err(report)?;
                if verbose {
                    if let Some(detail) = detail {
                        for l in detail.lines() {
                            writeln!(out, "    {l}").map_err(report)?;
                        }
                    }
                }
            }
        }
    }
    writeln!(out, "{summary}").map_err(report)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    // add r3,r4,r5 ; blr   and   stw r4,0(r5) ; blr
    const IMAGE: [u8; 16] =
        [0x7C, 0x64, 0x2A, 0x14, 0x4E, 0x80, 0x00, 0x20, 0x90, 0x85, 0x00, 0x00, 0x4E, 0x80, 0x00, 0x20];

    fn write_cases(dir: &Path, lines: &[&str]) -> PathBuf {
        std::fs::write(dir.join("tiny.bin"), IMAGE).unwrap();
        let path = dir.join("tiny.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xenact-conformance-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn passing_and_failing_cases_are_counted_with_one_line_per_failure() {
        let dir = temp_dir("count");
        let path = write_cases(
            &dir,
            &[
                r#"{"name": "add_ok", "image": "tiny.bin", "load": "0x82000000", "entry": "0x82000000", "in": {"r4": "0x7", "r5": "0x8"}, "out": {"r3": "0xF", "lr": "0xBCBCBCBC"}}"#,
                r#"{"name": "add_wrong", "image": "tiny.bin", "load": "0x82000000", "entry": "0x82000000", "in": {"r4": "1", "r5": "1"}, "out": {"r3": "3"}}"#,
                r#"{"name": "store", "image": "tiny.bin", "load": "0x82000000", "entry": "0x82000008", "in": {"r4": "0xA1B2C3D4", "r5": "0x10001000"}, "mem_out": [{"addr": "0x10001000", "hex": "A1B2C3D4"}]}"#,
            ],
        );
        let mut out = Vec::new();
        let summary = run_file(&path, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(summary, Summary { passed: 2, failed: 1 });
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.starts_with("FAIL add_wrong: r3 expected 0x3 got 0x2"), "{text}");
        assert_eq!(text.lines().last(), Some("2 passed, 1 failed"));
    }

    #[test]
    fn a_fault_fails_the_case_with_its_report() {
        let dir = temp_dir("fault");
        let path = write_cases(
            &dir,
            &[
                r#"{"name": "mmio_store", "image": "tiny.bin", "load": "0x82000000", "entry": "0x82000008", "in": {"r5": "0x7FC80000"}, "out": {}}"#,
            ],
        );
        let mut out = Vec::new();
        let summary = run_file(&path, true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(summary.failed, 1);
        assert!(text.contains("stw r4, 0x0(r5)"), "{text}");
    }

    #[test]
    fn floats_compare_by_value_in_decimal_and_by_bits_in_hex() {
        let mut st = ThreadState::default();
        st.fpr[1] = 1.5f64.to_bits();
        assert!(check_output(&st, Register::Fpr(1), &Value::from("1.5")).is_none());
        assert!(check_output(&st, Register::Fpr(1), &Value::from("0x3FF8000000000000")).is_none());
        assert!(check_output(&st, Register::Fpr(1), &Value::from("0x3FF8000000000001")).is_some());
    }

    #[test]
    fn a_runaway_case_hits_the_instruction_cap() {
        let dir = temp_dir("cap");
        std::fs::write(dir.join("loop.bin"), [0x48, 0, 0, 0]).unwrap(); // b .
        let path = dir.join("loop.jsonl");
        std::fs::write(&path, r#"{"name": "spin", "image": "loop.bin", "load": "0x82000000", "entry": "0x82000000", "in": {}, "out": {}}"#).unwrap();
        let mut out = Vec::new();
        let summary = run_file(&path, false, &mut out).unwrap();
        assert_eq!(summary.failed, 1);
        assert!(String::from_utf8(out).unwrap().contains("did not return"));
    }
}
