//! `xenact ppc-test` and `xenact bench cpu`: the PowerPC conformance runner
//! and the interpreter benchmark, both in process (no children spawned).

use anyhow::Context;
use cpu_proc::{conformance, ppc::bench};
use std::path::PathBuf;
use std::process::ExitCode;

/// `xenact ppc-test CASES.jsonl [--verbose]`
#[derive(Debug, clap::Args)]
pub struct PpcTestArgs {
    /// A JSONL file of cases (images are relative to it).
    pub cases: PathBuf,
    /// Print passing cases too, and the registers of each failing case.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs a case file; exit status 1 when any case failed.
pub fn run(args: PpcTestArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let summary = conformance::run_file(&args.cases, args.verbose, &mut out)
        .with_context(|| format!("running {}", args.cases.display()))?;
    Ok(if summary.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `xenact bench cpu [--scale N]`
#[derive(Debug, clap::Args)]
pub struct BenchCpuArgs {
    /// Multiplies every workload's iteration count (fractions allowed).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
}

/// Runs each guest workload through the interpreter and prints guest MIPS.
pub fn bench(args: BenchCpuArgs) -> anyhow::Result<ExitCode> {
    println!("{:<14} {:>14} {:>9} {:>9}", "workload", "instructions", "seconds", "MIPS");
    for workload in &bench::WORKLOADS {
        let iterations = ((workload.iterations as f64 * args.scale) as u64).max(1);
        let m = bench::run(workload, iterations).with_context(|| format!("workload {}", workload.name))?;
        println!("{:<14} {:>14} {:>9.3} {:>9.1}", workload.name, m.instructions, m.seconds, m.mips());
    }
    Ok(ExitCode::SUCCESS)
}
