//! What the event log costs the kernel (`xenact bench instrumentation`).
//!
//! One kernel, in this process, handles the same cheap call
//! (`RtlNtStatusToDosError`) many times three ways:
//! - **bare**: the dispatch path without its event hooks
//!   ([`crate::link::dispatch`]): the kernel as it would be with no
//!   instrumentation compiled in;
//! - **plain**: the dispatch path of `kernel-proc`, whose event hooks are
//!   there but switched off (the tracer is `None`);
//! - **traced**: the dispatch path of `kernel-proc-traced`, writing every
//!   event (to a sink, so disk speed does not count).
//!
//! plain − bare is what the plain kernel pays for instrumentation.

use crate::dispatch::Call;
use crate::exports::EXPORTS;
use crate::kernel::Kernel;
use crate::trace::Tracer;
use shared::ipc::kernel::{CallArgs, Frame, ToKernel};
use std::time::Instant;

/// Nanoseconds per call of each way, best of several rounds.
#[derive(Clone, Copy, Debug)]
pub struct InstrumentationCost {
    pub calls: u64,
    pub bare_ns: f64,
    pub plain_ns: f64,
    pub traced_ns: f64,
}

impl InstrumentationCost {
    /// What the plain kernel pays per call for carrying the hooks.
    pub fn plain_overhead_ns(&self) -> f64 {
        self.plain_ns - self.bare_ns
    }
}

const ROUNDS: usize = 5;

/// Measures `calls` calls per round each way.
pub fn measure(calls: u64) -> anyhow::Result<InstrumentationCost> {
    let index = EXPORTS
        .iter()
        .position(|e| e.name == "RtlNtStatusToDosError")
        .ok_or_else(|| anyhow::anyhow!("RtlNtStatusToDosError is not in the export table"))?;
    let mut kernel = Kernel::for_tests();
    let (_, thread) = crate::threading::create_thread(&mut kernel, crate::threading::CreateThread::default())
        .map_err(|status| anyhow::anyhow!("cannot create the benchmark thread: {status:?}"))?;
    kernel.outbox.clear();
    let call = Call {
        thread,
        export: index as u32,
        args: CallArgs { gpr: [0xC000_0034, 0, 0, 0, 0, 0, 0, 0], fpr: [0; 4], sp: 0, lr: 0x8200_0000 },
    };

    // Each way decodes the call from its ring frame first, as the link does.
    let frame = ToKernel::Call { thread: call.thread, export: call.export, args: call.args }.encode();
    // Rounds of the two alternate, so drift of the host hits both alike.
    let (mut bare, mut plain) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..ROUNDS {
        plain = plain.min(time_per_call(calls, || {
            crate::link::call(&mut kernel, decode(&frame));
            kernel.outbox.clear();
        }));
        bare = bare.min(time_per_call(calls, || {
            crate::link::dispatch(&mut kernel, decode(&frame));
            kernel.outbox.clear();
        }));
    }
    kernel.trace = Some(Box::new(Tracer::to_writer(Box::new(std::io::sink()))?));
    kernel.objects.events = Some(Vec::new());
    let traced = (0..ROUNDS)
        .map(|_| {
            time_per_call(calls, || {
                crate::link::call(&mut kernel, decode(&frame));
                kernel.outbox.clear();
            })
        })
        .fold(f64::INFINITY, f64::min);
    Ok(InstrumentationCost { calls, bare_ns: bare, plain_ns: plain, traced_ns: traced })
}

/// The call in `frame` (the compiler may not assume which).
fn decode(frame: &Frame) -> Call {
    match ToKernel::decode(std::hint::black_box(frame)) {
        Ok(ToKernel::Call { thread, export, args }) => Call { thread, export, args },
        _ => unreachable!("the benchmark encodes a call"),
    }
}

/// Nanoseconds per run of `f` over `calls` runs.
fn time_per_call(calls: u64, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        f();
    }
    start.elapsed().as_nanos() as f64 / calls as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_handles_the_call_and_tracing_costs_more_than_nothing() {
        let cost = measure(2_000).unwrap();
        assert!(cost.bare_ns > 0.0 && cost.plain_ns > 0.0);
        // Writing JSON events is real work; skipping them is not.
        assert!(cost.traced_ns > cost.plain_ns, "{cost:?}");
    }
}
