//! Feeds arbitrary bytes to the GPU command processor as the contents of
//! its primary ring (PM4 packets, indirect buffers, waits, draws, swaps).
//! It must consume them within its bounds, never panic and never hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gpu_proc::cp::fuzz::fuzz_body(data);
});
