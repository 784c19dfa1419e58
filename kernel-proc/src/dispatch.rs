//! Calling an export: the call frame, typed argument extraction and the
//! outcome of a call.
//!
//! An export is an ordinary Rust function whose first parameter is the
//! kernel context and whose other parameters implement [`FromArg`]:
//!
//! ```ignore
//! fn nt_close(kernel: &mut Kernel, handle: Handle) -> NtStatus { … }
//! ```
//!
//! [`handler!`](crate::handler) turns it into a [`Handler`] for the export
//! table; arguments are taken from r3–r10 and then from the caller's stack
//! (at `r1 + 0x54 + 8·(n − 8)`, the Xenon ABI's parameter save area, as
//! xenia's `shim_utils.h` reads it), and the return value becomes r3.

use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::ipc::kernel::{CallArgs, GuestThreadId};
use shared::memory::{GuestMemory, VirtAddr};

/// One kernel call as it arrived from a guest thread.
#[derive(Clone, Copy, Debug)]
pub struct Call {
    pub thread: GuestThreadId,
    /// Index of the export in the export table.
    pub export: u32,
    pub args: CallArgs,
}

impl Call {
    /// The `n`th integer argument (0 = r3), from the stack past the eighth.
    pub fn arg(&self, memory: &GuestMemory, n: usize) -> u64 {
        if n < 8 {
            self.args.gpr[n]
        } else {
            let at = VirtAddr(self.args.sp.wrapping_add(0x54 + 8 * (n as u32 - 8)));
            memory.read_u64(at).unwrap_or(0)
        }
    }
}

/// What a call leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The call is done: r3 (and r4) take these values.
    Return { r3: u64, r4: u64 },
    /// The thread stays parked; whoever unblocks it sends its return later
    /// (a wait that is not satisfied yet, a suspended thread…).
    Pending,
    /// The calling thread ends with this exit code (it is not resumed).
    ExitThread(u32),
    /// The title ends with this exit code.
    TerminateTitle(i32),
    /// The export has no implementation: reported by name once, the caller
    /// gets `STATUS_NOT_IMPLEMENTED`.
    Unimplemented,
}

impl Outcome {
    pub const fn value(r3: u64) -> Outcome {
        Outcome::Return { r3, r4: 0 }
    }
}

/// A typed argument of an export.
pub trait FromArg: Sized {
    fn from_arg(kernel: &Kernel, call: &Call, index: usize) -> Self;
}

macro_rules! int_arg {
    ($($ty:ty),*) => {$(
        impl FromArg for $ty {
            fn from_arg(kernel: &Kernel, call: &Call, index: usize) -> Self {
                call.arg(&kernel.memory, index) as $ty
            }
        }
    )*};
}
int_arg!(u8, u16, u32, u64, i32, i64);

impl FromArg for bool {
    fn from_arg(kernel: &Kernel, call: &Call, index: usize) -> Self {
        call.arg(&kernel.memory, index) as u32 != 0
    }
}

impl FromArg for VirtAddr {
    fn from_arg(kernel: &Kernel, call: &Call, index: usize) -> Self {
        VirtAddr(call.arg(&kernel.memory, index) as u32)
    }
}

/// A guest pointer that may be null.
impl FromArg for Option<VirtAddr> {
    fn from_arg(kernel: &Kernel, call: &Call, index: usize) -> Self {
        match call.arg(&kernel.memory, index) as u32 {
            0 => None,
            p => Some(VirtAddr(p)),
        }
    }
}

/// The rest of the arguments, from `first` on (for `DbgPrint`-style varargs).
#[derive(Clone, Copy, Debug)]
pub struct VarArgs {
    pub call: Call,
    pub first: usize,
}

impl VarArgs {
    pub fn get(&self, memory: &GuestMemory, n: usize) -> u64 {
        self.call.arg(memory, self.first + n)
    }
}

/// The call itself, for exports that need the thread id or raw registers.
impl FromArg for Call {
    fn from_arg(_: &Kernel, call: &Call, _: usize) -> Self {
        *call
    }
}

/// What an export's return value becomes.
pub trait IntoOutcome {
    fn into_outcome(self) -> Outcome;
}

impl IntoOutcome for Outcome {
    fn into_outcome(self) -> Outcome {
        self
    }
}

impl IntoOutcome for () {
    fn into_outcome(self) -> Outcome {
        Outcome::value(0)
    }
}

impl IntoOutcome for NtStatus {
    fn into_outcome(self) -> Outcome {
        Outcome::value(self.0 as u64)
    }
}

impl IntoOutcome for VirtAddr {
    fn into_outcome(self) -> Outcome {
        Outcome::value(self.0 as u64)
    }
}

impl IntoOutcome for bool {
    fn into_outcome(self) -> Outcome {
        Outcome::value(self as u64)
    }
}

macro_rules! int_ret {
    ($($ty:ty),*) => {$(
        impl IntoOutcome for $ty {
            fn into_outcome(self) -> Outcome {
                // Sign-extend signed results as the guest's 64-bit r3 would hold them.
                Outcome::value(self as i64 as u64)
            }
        }
    )*};
}
int_ret!(u8, u16, u32, i32);

impl IntoOutcome for u64 {
    fn into_outcome(self) -> Outcome {
        Outcome::value(self)
    }
}

impl<T: IntoOutcome> IntoOutcome for Result<T, NtStatus> {
    fn into_outcome(self) -> Outcome {
        match self {
            Ok(v) => v.into_outcome(),
            Err(status) => status.into_outcome(),
        }
    }
}

/// The uniform shape of every export in the table.
pub type Handler = fn(&mut Kernel, &Call) -> Outcome;

/// A function callable as an export with argument tuple `Args`.
pub trait ExportFn<Args> {
    fn invoke(&self, kernel: &mut Kernel, call: &Call) -> Outcome;
}

macro_rules! export_fn {
    ($($arg:ident),*) => {
        impl<F, R, $($arg),*> ExportFn<($($arg,)*)> for F
        where
            F: Fn(&mut Kernel, $($arg),*) -> R,
            R: IntoOutcome,
            $($arg: FromArg),*
        {
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
            fn invoke(&self, kernel: &mut Kernel, call: &Call) -> Outcome {
                let mut index = 0;
                $(
                    let $arg = $arg::from_arg(kernel, call, index);
                    index += 1;
                )*
                self(kernel, $($arg),*).into_outcome()
            }
        }
    };
}
export_fn!();
export_fn!(A);
export_fn!(A, B);
export_fn!(A, B, C);
export_fn!(A, B, C, D);
export_fn!(A, B, C, D, E);
export_fn!(A, B, C, D, E, G);
export_fn!(A, B, C, D, E, G, H);
export_fn!(A, B, C, D, E, G, H, I);
export_fn!(A, B, C, D, E, G, H, I, J);
export_fn!(A, B, C, D, E, G, H, I, J, K);
export_fn!(A, B, C, D, E, G, H, I, J, K, L);

/// Turns a typed export function into a table [`Handler`].
#[macro_export]
macro_rules! handler {
    ($f:path) => {{
        fn adapter(kernel: &mut $crate::kernel::Kernel, call: &$crate::dispatch::Call) -> $crate::dispatch::Outcome {
            $crate::dispatch::ExportFn::invoke(&$f, kernel, call)
        }
        adapter as $crate::dispatch::Handler
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ipc::kernel::CallArgs;

    fn call_with(gpr: [u64; 8], sp: u32) -> Call {
        Call { thread: 1, export: 0, args: CallArgs { gpr, fpr: [0; 4], sp, lr: 0 } }
    }

    fn add3(_: &mut Kernel, a: u32, b: u32, c: i32) -> i32 {
        a as i32 + b as i32 + c
    }

    fn tenth(
        _: &mut Kernel,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        ninth: u32,
        tenth: u32,
    ) -> u32 {
        ninth * 100 + tenth
    }

    fn fails(_: &mut Kernel, p: Option<VirtAddr>) -> Result<u32, NtStatus> {
        p.map(|a| a.0).ok_or(NtStatus::INVALID_PARAMETER)
    }

    #[test]
    fn typed_arguments_come_from_r3_up_and_signed_results_are_sign_extended() {
        let mut k = Kernel::for_tests();
        let h = crate::handler!(add3);
        let out = h(&mut k, &call_with([1, 2, (-10i64) as u64, 0, 0, 0, 0, 0], 0));
        assert_eq!(out, Outcome::value(-7i64 as u64));
    }

    #[test]
    fn arguments_past_the_eighth_come_from_the_callers_stack() {
        let mut k = Kernel::for_tests();
        let sp = 0x7000_1000u32;
        k.memory.write_u64(VirtAddr(sp + 0x54), 7).unwrap();
        k.memory.write_u64(VirtAddr(sp + 0x5C), 3).unwrap();
        let h = crate::handler!(tenth);
        assert_eq!(h(&mut k, &call_with([0; 8], sp)), Outcome::value(703));
    }

    #[test]
    fn a_result_error_becomes_its_status() {
        let mut k = Kernel::for_tests();
        let h = crate::handler!(fails);
        assert_eq!(h(&mut k, &call_with([0; 8], 0)), Outcome::value(0xC000_000D));
        assert_eq!(h(&mut k, &call_with([0x8200_0000, 0, 0, 0, 0, 0, 0, 0], 0)), Outcome::value(0x8200_0000));
    }
}
