//! The Xenon PowerPC interpreter.
//!
//! Submodules: [`decode`] (the one decoder and the disassembler),
//! [`state`] (thread registers), [`bus`] (what is not plain memory),
//! [`fault`] (guest faults as values), [`cache`] (decoded pages and their
//! invalidation), [`reservation`] (`lwarx`/`stwcx.` across threads),
//! `dispatch` (the exhaustive opcode match) and one file per instruction
//! family: [`integer`], [`branch`], [`load_store`], [`fpu`], [`vmx`],
//! [`vmx128`], [`system`].
//!
//! A guest thread is an [`Interpreter`] (its registers and decoded pages)
//! run against a [`Machine`] (the process-wide memory, code map and
//! reservation table) and a [`Bus`]. [`Interpreter::run`] executes until a
//! budget of instructions is spent, the stop address is reached, the bus
//! stops the thread, or a guest fault, which comes back as a [`Fault`] value.

pub mod bench;
pub mod branch;
pub mod bus;
pub mod cache;
pub mod decode;
mod dispatch;
pub mod fault;
pub mod fpu;
pub mod integer;
pub mod load_store;
pub mod reservation;
pub mod state;
pub mod system;
pub mod vmx;
pub mod vmx128;

pub use bus::{Bus, BusError, NullBus};
pub use cache::CodeMap;
pub use fault::{Fault, FaultKind};
pub use reservation::ReservationTable;
pub use state::ThreadState;

use cache::PageCache;
use shared::memory::{GuestMemory, MemError, VirtAddr};

/// What every guest thread of the process shares.
#[derive(Clone, Copy)]
pub struct Machine<'m> {
    pub memory: &'m GuestMemory,
    pub code: &'m CodeMap,
    pub reservations: &'m ReservationTable,
    /// PCs at which [`Bus::probe`] is called before the instruction runs
    /// (`--trace-pc`); empty normally, which costs one test per instruction.
    pub probes: &'m [u32],
}

/// Why [`Interpreter::run`] returned without a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunExit {
    /// The program counter reached [`Limits::stop_at`].
    ReachedStop,
    /// [`Limits::budget`] instructions retired.
    BudgetSpent,
    /// The bus asked the thread to stop ([`BusError::Stop`]).
    Stopped,
}

/// How long one call to [`Interpreter::run`] may go on.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Instructions to retire at most.
    pub budget: u64,
    /// Return when control reaches this address (checked whenever control
    /// enters a new code page, so it must not share a page with code that runs).
    pub stop_at: Option<u32>,
}

/// One guest thread: registers plus its decoded-page cache.
#[derive(Default)]
pub struct Interpreter {
    pub state: ThreadState,
    cache: PageCache,
    /// Instructions retired since creation.
    pub retired: u64,
}

/// How an instruction ended other than by completing normally.
#[derive(Debug)]
pub(crate) enum Stop {
    /// A guest fault; the instruction did not complete.
    Fault(FaultKind),
    /// The instruction completed, and decoded code may be stale (a store
    /// into a code page, `icbi`, `isync`, `sc`): re-check the cache.
    Resync,
    /// The instruction completed and the bus asked the thread to stop.
    Halt,
}

impl From<FaultKind> for Stop {
    fn from(kind: FaultKind) -> Stop {
        Stop::Fault(kind)
    }
}

impl From<BusError> for Stop {
    fn from(error: BusError) -> Stop {
        match error {
            BusError::Fault(message) => Stop::Fault(FaultKind::Bus(message)),
            BusError::Stop => Stop::Halt,
        }
    }
}

pub(crate) type Exec<T = ()> = Result<T, Stop>;

impl Interpreter {
    pub fn new(state: ThreadState) -> Interpreter {
        Interpreter { state, ..Default::default() }
    }

    /// Runs guest code from `state.pc`.
    pub fn run<B: Bus>(&mut self, machine: Machine<'_>, bus: &mut B, limits: Limits) -> Result<RunExit, Box<Fault>> {
        let mut cpu = Cpu {
            st: &mut self.state,
            mem: machine.memory,
            code: machine.code,
            res: machine.reservations,
            bus,
            budget: limits.budget,
            remaining: limits.budget,
        };
        let retired_before = limits.budget;
        let exit = 'outer: loop {
            self.cache.revalidate(machine.code);
            let pc = cpu.st.pc;
            if limits.stop_at == Some(pc) {
                break RunExit::ReachedStop;
            }
            if cpu.remaining == 0 {
                break RunExit::BudgetSpent;
            }
            let page = match self.cache.page(machine.memory, machine.code, pc) {
                Ok(page) => page,
                Err(kind) => {
                    self.retired += retired_before - cpu.remaining;
                    return Err(Box::new(Fault::new(kind, pc, 0, cpu.st)));
                }
            };
            let page_base = pc & !0xFFF;
            loop {
                let pc = cpu.st.pc;
                if pc.wrapping_sub(page_base) >= cache::PAGE_SIZE {
                    continue 'outer;
                }
                let ins = page.ops[((pc >> 2) & 0x3FF) as usize];
                if !machine.probes.is_empty() && machine.probes.contains(&pc) {
                    cpu.bus.probe(cpu.st);
                }
                cpu.st.pc = pc.wrapping_add(4);
                let result = dispatch::execute(&mut cpu, ins);
                match result {
                    Ok(()) => {}
                    Err(Stop::Resync) => {
                        cpu.remaining -= 1;
                        continue 'outer;
                    }
                    Err(Stop::Halt) => {
                        cpu.remaining -= 1;
                        break 'outer RunExit::Stopped;
                    }
                    Err(Stop::Fault(kind)) => {
                        cpu.st.pc = pc;
                        self.retired += retired_before - cpu.remaining;
                        return Err(Box::new(Fault::new(kind, pc, ins.code, cpu.st)));
                    }
                }
                cpu.remaining -= 1;
                if cpu.remaining == 0 {
                    break 'outer RunExit::BudgetSpent;
                }
            }
        };
        self.retired += retired_before - cpu.remaining;
        Ok(exit)
    }
}

/// The context an instruction executes in.
pub(crate) struct Cpu<'a, B> {
    pub st: &'a mut ThreadState,
    pub mem: &'a GuestMemory,
    pub code: &'a CodeMap,
    pub res: &'a ReservationTable,
    pub bus: &'a mut B,
    /// The budget of this run and what is left of it.
    pub budget: u64,
    pub remaining: u64,
}

impl<B: Bus> Cpu<'_, B> {
    /// Tells the bus how far the run has got before it observes guest time.
    #[inline]
    pub fn sync_clock(&mut self) {
        self.bus.retired(self.budget - self.remaining);
    }
}

fn mem_fault(error: MemError, addr: u32, len: u32, write: bool) -> Stop {
    Stop::Fault(FaultKind::Memory { addr, len, write, error })
}

macro_rules! scalar_memory {
    ($($load:ident $store:ident $read:ident $write:ident $ty:ty;)*) => {
        impl<B: Bus> Cpu<'_, B> {
            $(
                /// Loads from plain memory, or from the bus in the MMIO window.
                #[inline(always)]
                pub fn $load(&mut self, ea: u32) -> Exec<$ty> {
                    const N: u32 = std::mem::size_of::<$ty>() as u32;
                    match self.mem.$read(VirtAddr(ea)) {
                        Ok(v) => Ok(v),
                        Err(MemError::Mmio { .. }) if GuestMemory::is_mmio(VirtAddr(ea)) && GuestMemory::is_mmio(VirtAddr(ea.wrapping_add(N - 1))) => {
                            Ok(self.bus.mmio_read(VirtAddr(ea), N)? as $ty)
                        }
                        Err(e) => Err(mem_fault(e, ea, N, false)),
                    }
                }

                /// Stores to plain memory (marking the page dirty, cancelling
                /// reservations, invalidating decoded code), or to the bus.
                #[inline(always)]
                pub fn $store(&mut self, ea: u32, value: $ty) -> Exec {
                    const N: u32 = std::mem::size_of::<$ty>() as u32;
                    match self.mem.$write(VirtAddr(ea), value) {
                        Ok(()) => self.after_store(ea, N),
                        Err(MemError::Mmio { .. }) if GuestMemory::is_mmio(VirtAddr(ea)) && GuestMemory::is_mmio(VirtAddr(ea.wrapping_add(N - 1))) => {
                            self.sync_clock();
                            Ok(self.bus.mmio_write(VirtAddr(ea), N, value as u64)?)
                        }
                        Err(e) => Err(mem_fault(e, ea, N, true)),
                    }
                }
            )*
        }
    };
}

scalar_memory! {
    load_u8 store_u8 read_u8 write_u8 u8;
    load_u16 store_u16 read_u16 write_u16 u16;
    load_u32 store_u32 read_u32 write_u32 u32;
    load_u64 store_u64 read_u64 write_u64 u64;
}

impl<B: Bus> Cpu<'_, B> {
    /// Bookkeeping every successful plain store does.
    #[inline(always)]
    pub fn after_store(&mut self, ea: u32, len: u32) -> Exec {
        let control = self.mem.control();
        control.mark_dirty(ea);
        self.res.note_store(ea);
        let last = ea.wrapping_add(len - 1);
        let mut resync = self.code.note_store(ea);
        if (last ^ ea) >> 12 != 0 {
            control.mark_dirty(last);
            resync |= self.code.note_store(last);
        }
        if resync {
            Err(Stop::Resync)
        } else {
            Ok(())
        }
    }

    /// Loads a 16-byte vector (quadword-aligned by the caller) as four words.
    pub fn load_vector(&mut self, ea: u32) -> Exec<state::Vector> {
        let v = self.mem.read_u128(VirtAddr(ea)).map_err(|e| mem_fault(e, ea, 16, false))?;
        Ok([(v >> 96) as u32, (v >> 64) as u32, (v >> 32) as u32, v as u32])
    }

    pub fn store_vector(&mut self, ea: u32, v: state::Vector) -> Exec {
        let value = (v[0] as u128) << 96 | (v[1] as u128) << 64 | (v[2] as u128) << 32 | v[3] as u128;
        self.mem.write_u128(VirtAddr(ea), value).map_err(|e| mem_fault(e, ea, 16, true))?;
        self.after_store(ea, 16)
    }

    /// `(rA|0) + rB` truncated to a 32-bit guest address.
    #[inline(always)]
    pub fn ea_x(&self, ra: u8, rb: u8) -> u32 {
        let base = if ra == 0 { 0 } else { self.st.gpr[ra as usize] };
        base.wrapping_add(self.st.gpr[rb as usize]) as u32
    }

    /// `(rA|0) + d` truncated to a 32-bit guest address.
    #[inline(always)]
    pub fn ea_d(&self, ra: u8, d: i64) -> u32 {
        let base = if ra == 0 { 0 } else { self.st.gpr[ra as usize] };
        base.wrapping_add(d as u64) as u32
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A tiny harness for the family tests: assemble words, run them.
    use super::*;
    use rustix::fd::AsFd;

    pub const CODE: u32 = 0x8200_0000;
    pub const RETURN: u32 = 0xBCBC_BCBC;

    pub struct Rig {
        pub memory: GuestMemory,
        pub code: CodeMap,
        pub reservations: ReservationTable,
        pub cpu: Interpreter,
        pub bus: NullBus,
    }

    impl Rig {
        pub fn new() -> Rig {
            let fd = GuestMemory::create_file().unwrap();
            let memory = GuestMemory::map(fd.as_fd()).unwrap();
            let mut cpu = Interpreter::default();
            cpu.state.pc = CODE;
            cpu.state.lr = RETURN as u64;
            Rig { memory, code: CodeMap::new(), reservations: ReservationTable::new(), cpu, bus: NullBus::default() }
        }

        /// Runs `words` followed by `blr`.
        pub fn run(&mut self, words: &[u32]) -> Result<RunExit, Box<Fault>> {
            for (i, w) in words.iter().chain(std::iter::once(&0x4E80_0020)).enumerate() {
                self.memory.write_u32(VirtAddr(CODE + 4 * i as u32), *w).unwrap();
            }
            self.code.invalidate_range(CODE, 0x1000);
            self.cpu.state.pc = CODE;
            let machine =
                Machine { memory: &self.memory, code: &self.code, reservations: &self.reservations, probes: &[] };
            self.cpu.run(machine, &mut self.bus, Limits { budget: 100_000, stop_at: Some(RETURN) })
        }

        pub fn st(&mut self) -> &mut ThreadState {
            &mut self.cpu.state
        }
    }

    /// Runs `words` with the given GPRs set; returns the state after.
    pub fn run_with(words: &[u32], gprs: &[(usize, u64)]) -> ThreadState {
        let mut rig = Rig::new();
        for (n, v) in gprs {
            rig.st().gpr[*n] = *v;
        }
        assert_eq!(rig.run(words).unwrap(), RunExit::ReachedStop);
        rig.cpu.state.clone()
    }
}
