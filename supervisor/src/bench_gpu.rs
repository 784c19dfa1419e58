//! `xenact bench gpu`: swaps per second of the clear-and-swap loop (two
//! 1280×720 resolves and a swap presented through wgpu), in-process.

use std::time::Duration;

pub fn run(swaps: u32, cpu_only: bool) -> anyhow::Result<()> {
    anyhow::ensure!(swaps > 0, "--swaps takes a positive number");
    let r = gpu_proc::bench::run(swaps, !cpu_only)?;
    let per = |d: Duration| d.as_secs_f64() * 1e3 / r.swaps as f64;
    println!(
        "clear + resolve + swap of a {}×{} k_8_8_8_8 frame, {} swaps, presented {}",
        r.width,
        r.height,
        r.swaps,
        match &r.adapter {
            Some(adapter) => format!("through wgpu on {adapter}"),
            None => "with CPU conversion only".to_string(),
        }
    );
    println!("swaps per second: {:.1}", r.swaps_per_second());
    println!(
        "per swap: {:.2} ms (command processor and resolves {:.2} ms, presentation {:.2} ms)",
        per(r.total),
        per(r.command_processor),
        per(r.presentation)
    );
    Ok(())
}
