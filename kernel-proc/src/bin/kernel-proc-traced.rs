//! `kernel-proc-traced`: the instrumented kernel process. The same kernel
//! as `kernel-proc`, writing the event log `xenact run --event-log FILE`
//! names. Selected by the supervisor; the plain kernel carries no tracer.

fn main() -> std::process::ExitCode {
    shared::process::run_child(shared::ipc::control::Unit::Kernel, kernel_proc::run_traced)
}
