//! `audio-proc`: wires the process up; the unit lives in the library.

fn main() -> std::process::ExitCode {
    shared::process::run_child(shared::ipc::control::Unit::Audio, audio_proc::run)
}
