//! Guest workloads for `xenact bench cpu`.
//!
//! Each workload is a small raw big-endian image assembled from the `.s`
//! file beside it (rebuild with `cpu-proc/src/ppc/bench/build.sh`), run in
//! process through the real interpreter: full flags, MMIO checks on every
//! access, dirty-page marking on every store. The result is guest
//! instructions retired per second of host time.

use super::{CodeMap, Interpreter, Limits, Machine, NullBus, ReservationTable, RunExit, ThreadState};
use rustix::fd::AsFd;
use shared::memory::{GuestMemory, VirtAddr};
use std::time::Instant;

const LOAD: u32 = 0x8200_0000;
const RETURN: u32 = 0xBCBC_BCBC;
const SOURCE: u32 = 0x1000_1000;
const DESTINATION: u32 = 0x1000_3000;

/// One benchmark program.
pub struct Workload {
    pub name: &'static str,
    pub image: &'static [u8],
    /// Iterations (r3) for a run of roughly a second at the target speed.
    pub iterations: u64,
    setup: fn(&mut ThreadState, &GuestMemory),
}

fn setup_integer(_: &mut ThreadState, _: &GuestMemory) {}

fn setup_memcpy(st: &mut ThreadState, memory: &GuestMemory) {
    let data: Vec<u8> = (0..4096u32).map(|i| i as u8).collect();
    memory.write_bytes(VirtAddr(SOURCE), &data).expect("bench source buffer");
    st.gpr[4] = SOURCE as u64;
    st.gpr[5] = DESTINATION as u64;
}

fn setup_fp(st: &mut ThreadState, _: &GuestMemory) {
    for (n, v) in [(1, 0.5f64), (2, 1.000_001), (3, 0.999_999), (4, 1.0), (6, 2.0)] {
        st.fpr[n] = v.to_bits();
    }
}

fn setup_vmx(st: &mut ThreadState, memory: &GuestMemory) {
    let floats: Vec<u8> =
        [1.0f32, 0.5, 0.25, 2.0, 0.001, 0.002, 0.003, 0.004].iter().flat_map(|f| f.to_be_bytes()).collect();
    memory.write_bytes(VirtAddr(SOURCE), &floats).expect("bench vector buffer");
    st.gpr[4] = SOURCE as u64;
}

pub const WORKLOADS: [Workload; 4] = [
    Workload {
        name: "integer loop",
        image: include_bytes!("integer.bin"),
        iterations: 30_000_000,
        setup: setup_integer,
    },
    Workload { name: "memory copy", image: include_bytes!("memcpy.bin"), iterations: 150_000, setup: setup_memcpy },
    Workload { name: "FP loop", image: include_bytes!("fp.bin"), iterations: 10_000_000, setup: setup_fp },
    Workload { name: "VMX loop", image: include_bytes!("vmx.bin"), iterations: 3_000_000, setup: setup_vmx },
];

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct Measurement {
    pub instructions: u64,
    pub seconds: f64,
}

impl Measurement {
    pub fn mips(&self) -> f64 {
        self.instructions as f64 / self.seconds / 1e6
    }
}

/// Why a workload could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("mapping guest memory: {0}")]
    Memory(#[from] shared::memory::MapError),
    #[error("loading the image: {0}")]
    Load(#[from] shared::memory::MemError),
    #[error("the workload faulted:\n{0}")]
    Fault(Box<super::Fault>),
    #[error("the workload did not return ({0:?})")]
    DidNotReturn(RunExit),
}

/// Runs `workload` for `iterations` on a fresh machine.
pub fn run(workload: &Workload, iterations: u64) -> Result<Measurement, BenchError> {
    let fd = GuestMemory::create_file()?;
    let memory = GuestMemory::map(fd.as_fd())?;
    memory.write_bytes(VirtAddr(LOAD), workload.image)?;
    let code = CodeMap::new();
    let reservations = ReservationTable::new();
    let mut state = ThreadState::default();
    (workload.setup)(&mut state, &memory);
    state.gpr[3] = iterations;
    state.lr = RETURN as u64;
    state.pc = LOAD;
    let mut cpu = Interpreter::new(state);
    let mut bus = NullBus::default();
    let machine = Machine { memory: &memory, code: &code, reservations: &reservations, probes: &[] };
    let start = Instant::now();
    let exit =
        cpu.run(machine, &mut bus, Limits { budget: u64::MAX, stop_at: Some(RETURN) }).map_err(BenchError::Fault)?;
    let seconds = start.elapsed().as_secs_f64();
    if exit != RunExit::ReachedStop {
        return Err(BenchError::DidNotReturn(exit));
    }
    Ok(Measurement { instructions: cpu.retired, seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_runs_to_completion_on_a_short_count() {
        for w in &WORKLOADS {
            let m = run(w, 10).unwrap_or_else(|e| panic!("{}: {e}", w.name));
            assert!(m.instructions > 10, "{}", w.name);
        }
    }
}
