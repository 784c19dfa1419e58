//! `kernel-proc`: wires the process up; the unit lives in the library.

fn main() -> std::process::ExitCode {
    shared::process::run_child(shared::ipc::control::Unit::Kernel, kernel_proc::run)
}
