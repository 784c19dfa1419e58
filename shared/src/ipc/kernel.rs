//! The cpu ⇄ kernel link: kernel calls one way, results and thread
//! commands the other. Both directions are rings in the shared mapping
//! ([`RingId::KernelCall`](super::ring::RingId::KernelCall) and
//! [`RingId::KernelReply`](super::ring::RingId::KernelReply)).
//!
//! Each direction has a typed enum ([`ToKernel`], [`ToCpu`]) and one fixed
//! 128-byte plain-old-data frame ([`Frame`]) that carries it through the ring.

/// A guest thread id, assigned by the kernel (the console's thread ids).
pub type GuestThreadId = u32;

/// Where a guest thread's entry function returns to. cpu-proc stops the
/// thread when control reaches it and reports [`ToKernel::ThreadReturned`];
/// nothing is ever mapped there as code (it lies in the physical view, in a
/// page no title places code in).
pub const THREAD_RETURN_ADDRESS: u32 = 0xBCBC_BCBC;

/// The fixed-size frame both rings carry.
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Frame {
    pub kind: u32,
    pub thread: u32,
    pub word: u32,
    pub flags: u32,
    pub values: [u64; 14],
}

const _: () = assert!(std::mem::size_of::<Frame>() == 128);

/// The register arguments of a kernel call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallArgs {
    /// r3–r10.
    pub gpr: [u64; 8],
    /// f1–f4 (bit patterns), for the few exports that take floats.
    pub fpr: [u64; 4],
    /// r1, where arguments past the eighth live.
    pub sp: u32,
    /// The caller's link register, for reports.
    pub lr: u32,
}

/// cpu-proc → kernel-proc.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToKernel {
    /// Guest thread `thread` executed the thunk of export `export` (its index
    /// in the export table). The thread waits for [`ToCpu::Return`].
    Call { thread: GuestThreadId, export: u32, args: CallArgs },
    /// Guest thread `thread` returned from its entry point with `code` in r3.
    ThreadReturned { thread: GuestThreadId, code: u32 },
    /// Guest thread `thread` stopped on a guest fault; cpu-proc reported it
    /// to the supervisor.
    ThreadFaulted { thread: GuestThreadId },
    /// Guest thread `thread` reached probe PC `pc` (`--trace-pc`) with these
    /// r3–r10 and LR; the instrumented kernel logs it.
    PcHit { thread: GuestThreadId, pc: u32, gpr: [u64; 8], lr: u64 },
    /// `--deterministic`: a switch point of cpu-proc's scheduler. The kernel
    /// handles everything sent before, fires the timers and ends the waits
    /// due at the guest time now, publishes its next deadline and answers
    /// [`ToCpu::Synced`] (after the returns of the threads it woke).
    Sync,
}

/// kernel-proc → cpu-proc.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToCpu {
    /// Finish the call `thread` is waiting in: r3 (and r4) take these values.
    Return { thread: GuestThreadId, r3: u64, r4: u64 },
    /// Create and run a guest thread.
    StartThread(ThreadStart),
    /// Suspend a running thread at its next block boundary.
    Suspend { thread: GuestThreadId },
    /// Resume a suspended thread.
    Resume { thread: GuestThreadId },
    /// End a thread without running more of its code (the kernel has
    /// already recorded its exit).
    Terminate { thread: GuestThreadId },
    /// Run a user-mode APC on `thread` before it returns from its current
    /// (alertable) call: `routine(r3, r4, r5)`.
    Apc { thread: GuestThreadId, routine: u32, args: [u32; 3] },
    /// `--deterministic`: the call `thread` made parked it (a wait that is
    /// not satisfied yet); its [`ToCpu::Return`] comes later. Never sent in
    /// the same batch as another message for the same thread.
    Blocked { thread: GuestThreadId },
    /// The answer to [`ToKernel::Sync`].
    Synced,
}

/// Everything cpu-proc needs to start a guest thread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreadStart {
    pub thread: GuestThreadId,
    /// Where execution starts.
    pub entry: u32,
    /// Initial r1 (top of the stack, minus the ABI's back-chain area).
    pub stack_pointer: u32,
    /// r3–r5 at entry.
    pub args: [u32; 3],
    /// r13: the processor control region of the thread's processor.
    pub pcr: u32,
    /// Where the thread returns to when its entry function returns: a thunk
    /// that reports [`ToKernel::ThreadReturned`].
    pub return_address: u32,
    /// Processor (hardware thread, 0–5) the thread prefers.
    pub processor: u32,
}

/// Why a frame could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown frame kind {0} on the kernel link")]
pub struct UnknownFrame(pub u32);

impl ToKernel {
    /// [`Frame::kind`] of [`ToKernel::Call`] and [`ToKernel::Sync`].
    pub const CALL_KIND: u32 = 1;
    pub const SYNC_KIND: u32 = 5;

    pub fn encode(&self) -> Frame {
        let mut f = Frame { kind: 0, thread: 0, word: 0, flags: 0, values: [0; 14] };
        match *self {
            ToKernel::Call { thread, export, args } => {
                f.kind = Self::CALL_KIND;
                f.thread = thread;
                f.word = export;
                f.values[..8].copy_from_slice(&args.gpr);
                f.values[8..12].copy_from_slice(&args.fpr);
                f.values[12] = args.sp as u64;
                f.values[13] = args.lr as u64;
            }
            ToKernel::ThreadReturned { thread, code } => {
                f.kind = 2;
                f.thread = thread;
                f.word = code;
            }
            ToKernel::ThreadFaulted { thread } => {
                f.kind = 3;
                f.thread = thread;
            }
            ToKernel::PcHit { thread, pc, gpr, lr } => {
                f.kind = 4;
                f.thread = thread;
                f.word = pc;
                f.values[..8].copy_from_slice(&gpr);
                f.values[8] = lr;
            }
            ToKernel::Sync => f.kind = Self::SYNC_KIND,
        }
        f
    }

    pub fn decode(f: &Frame) -> Result<ToKernel, UnknownFrame> {
        Ok(match f.kind {
            1 => {
                let mut gpr = [0; 8];
                gpr.copy_from_slice(&f.values[..8]);
                let mut fpr = [0; 4];
                fpr.copy_from_slice(&f.values[8..12]);
                ToKernel::Call {
                    thread: f.thread,
                    export: f.word,
                    args: CallArgs { gpr, fpr, sp: f.values[12] as u32, lr: f.values[13] as u32 },
                }
            }
            2 => ToKernel::ThreadReturned { thread: f.thread, code: f.word },
            3 => ToKernel::ThreadFaulted { thread: f.thread },
            4 => {
                let mut gpr = [0; 8];
                gpr.copy_from_slice(&f.values[..8]);
                ToKernel::PcHit { thread: f.thread, pc: f.word, gpr, lr: f.values[8] }
            }
            5 => ToKernel::Sync,
            other => return Err(UnknownFrame(other)),
        })
    }
}

impl ToCpu {
    /// The guest thread the message is for (`None` for [`ToCpu::Synced`]).
    pub fn thread(&self) -> Option<GuestThreadId> {
        match *self {
            ToCpu::Return { thread, .. }
            | ToCpu::Suspend { thread }
            | ToCpu::Resume { thread }
            | ToCpu::Terminate { thread }
            | ToCpu::Apc { thread, .. }
            | ToCpu::Blocked { thread } => Some(thread),
            ToCpu::StartThread(start) => Some(start.thread),
            ToCpu::Synced => None,
        }
    }

    pub fn encode(&self) -> Frame {
        let mut f = Frame { kind: 0, thread: 0, word: 0, flags: 0, values: [0; 14] };
        match *self {
            ToCpu::Return { thread, r3, r4 } => {
                f.kind = 1;
                f.thread = thread;
                f.values[0] = r3;
                f.values[1] = r4;
            }
            ToCpu::StartThread(s) => {
                f.kind = 2;
                f.thread = s.thread;
                f.values[..9].copy_from_slice(&[
                    s.entry as u64,
                    s.stack_pointer as u64,
                    s.args[0] as u64,
                    s.args[1] as u64,
                    s.args[2] as u64,
                    s.pcr as u64,
                    s.return_address as u64,
                    s.processor as u64,
                    0,
                ]);
            }
            ToCpu::Suspend { thread } => {
                f.kind = 3;
                f.thread = thread;
            }
            ToCpu::Resume { thread } => {
                f.kind = 4;
                f.thread = thread;
            }
            ToCpu::Terminate { thread } => {
                f.kind = 5;
                f.thread = thread;
            }
            ToCpu::Apc { thread, routine, args } => {
                f.kind = 6;
                f.thread = thread;
                f.word = routine;
                f.values[0] = args[0] as u64;
                f.values[1] = args[1] as u64;
                f.values[2] = args[2] as u64;
            }
            ToCpu::Blocked { thread } => {
                f.kind = 7;
                f.thread = thread;
            }
            ToCpu::Synced => f.kind = 8,
        }
        f
    }

    pub fn decode(f: &Frame) -> Result<ToCpu, UnknownFrame> {
        let v = |i: usize| f.values[i] as u32;
        Ok(match f.kind {
            1 => ToCpu::Return { thread: f.thread, r3: f.values[0], r4: f.values[1] },
            2 => ToCpu::StartThread(ThreadStart {
                thread: f.thread,
                entry: v(0),
                stack_pointer: v(1),
                args: [v(2), v(3), v(4)],
                pcr: v(5),
                return_address: v(6),
                processor: v(7),
            }),
            3 => ToCpu::Suspend { thread: f.thread },
            4 => ToCpu::Resume { thread: f.thread },
            5 => ToCpu::Terminate { thread: f.thread },
            6 => ToCpu::Apc { thread: f.thread, routine: f.word, args: [v(0), v(1), v(2)] },
            7 => ToCpu::Blocked { thread: f.thread },
            8 => ToCpu::Synced,
            other => return Err(UnknownFrame(other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_survives_its_frame() {
        let args =
            CallArgs { gpr: [1, 2, 3, 4, 5, 6, 7, u64::MAX], fpr: [9, 10, 11, 12], sp: 0x7000_0000, lr: 0x8200_1234 };
        for m in [
            ToKernel::Call { thread: 7, export: 42, args },
            ToKernel::ThreadReturned { thread: 7, code: 0xFFFF_FFFF },
            ToKernel::ThreadFaulted { thread: 9 },
            ToKernel::PcHit { thread: 3, pc: 0x8201_0000, gpr: [1, 2, 3, 4, 5, 6, 7, 8], lr: 0x8201_0010 },
            ToKernel::Sync,
        ] {
            assert_eq!(ToKernel::decode(&m.encode()), Ok(m));
        }
        let start = ThreadStart {
            thread: 3,
            entry: 0x8200_0000,
            stack_pointer: 0x7001_0000,
            args: [1, 2, 3],
            pcr: 0x7FFF_0000 - 0x1000,
            return_address: 0x8000_1000,
            processor: 2,
        };
        for m in [
            ToCpu::Return { thread: 1, r3: 0xC000_0001, r4: 5 },
            ToCpu::StartThread(start),
            ToCpu::Suspend { thread: 1 },
            ToCpu::Resume { thread: 1 },
            ToCpu::Terminate { thread: 1 },
            ToCpu::Apc { thread: 2, routine: 0x8200_0100, args: [4, 5, 6] },
            ToCpu::Blocked { thread: 4 },
            ToCpu::Synced,
        ] {
            assert_eq!(ToCpu::decode(&m.encode()), Ok(m));
        }
    }

    #[test]
    fn an_unknown_kind_is_an_error_not_a_panic() {
        let f = Frame { kind: 99, thread: 0, word: 0, flags: 0, values: [0; 14] };
        assert_eq!(ToKernel::decode(&f), Err(UnknownFrame(99)));
        assert_eq!(ToCpu::decode(&f), Err(UnknownFrame(99)));
    }
}
