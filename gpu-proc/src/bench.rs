//! The body of `xenact bench gpu`: the clear-and-swap loop of a title,
//! in-process and without a guest. Each iteration puts the packets
//! `gpu_clear` writes (a resolve that clears the 1280×720 EDRAM target, a
//! resolve into the tiled front buffer, the fetch-constant load and swap
//! packet of `VdSwap`) into a ring, runs the command processor over it and
//! presents the swapped frame through wgpu (no PNG).

use crate::cp::pm4::{op, type0, type3, SWAP_SIGNATURE};
use crate::cp::{CommandProcessor, Effect};
use crate::format::{texture, SWIZZLE_XYZW};
use crate::present::{Frame, PresentOptions, Presentation};
use crate::registers as regs;
use crate::resolve::EDRAM_MODE_COPY;
use shared::memory::{GuestMemory, PhysAddr, VirtAddr};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
const RING: u32 = 0x0010_0000;
/// 2^(13+3) bytes.
const RING_BUFSZ: u32 = 13;
const VERTICES: u32 = 0x0020_0000;
const SCRATCH: u32 = 0x0100_0000;
const FRONT: u32 = 0x0200_0000;

/// What one benchmark run measured.
#[derive(Debug, Clone)]
pub struct GpuBenchReport {
    pub swaps: u32,
    pub width: u32,
    pub height: u32,
    /// The wgpu adapter, `None` when frames were converted on the CPU only.
    pub adapter: Option<String>,
    pub total: Duration,
    /// Command processor time (packets and both resolves).
    pub command_processor: Duration,
    /// Front-buffer capture, conversion, wgpu upload, draw and read-back.
    pub presentation: Duration,
}

impl GpuBenchReport {
    pub fn swaps_per_second(&self) -> f64 {
        self.swaps as f64 / self.total.as_secs_f64()
    }
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum GpuBenchError {
    #[error("cannot map guest memory: {0}")]
    Map(#[from] shared::memory::MapError),
    #[error("guest memory: {0}")]
    Memory(#[from] shared::memory::MemError),
    #[error("front buffer: {0}")]
    FrontBuffer(#[from] crate::present::frontbuffer::FrontBufferError),
    #[error("presentation: {0}")]
    Present(#[from] std::io::Error),
    #[error("iteration {0} produced no swap")]
    NoSwap(u32),
}

fn resolve_packets(dest: u32, copy_control: u32, clear: u32) -> Vec<u32> {
    vec![
        type0(regs::CONTEXT_BASE, 3),
        WIDTH,
        0,
        WIDTH / 80 * HEIGHT / 16,
        type0(regs::PA_SC_SCREEN_SCISSOR_TL, 2),
        0,
        8192 << 16 | 8192,
        type0(regs::PA_SC_WINDOW_OFFSET, 3),
        0,
        1 << 31,
        HEIGHT << 16 | WIDTH,
        type0(regs::RB_COPY_CONTROL, 4),
        copy_control,
        dest,
        HEIGHT << 16 | WIDTH,
        2 | texture::K_8_8_8_8 << 7,
        type0(regs::RB_DEPTH_CLEAR, 3),
        0xFFFF_FF00,
        clear,
        0,
        type3(op::SET_CONSTANT, 3),
        1 << 16,
        VERTICES | 3,
        6 << 2 | 2,
        type0(regs::RB_MODECONTROL, 1),
        EDRAM_MODE_COPY,
        type3(op::DRAW_INDX_2, 1),
        3 << 16 | 2 << 6 | 8,
        type0(regs::RB_MODECONTROL, 1),
        4,
    ]
}

fn swap_packets() -> Vec<u32> {
    let fetch = [
        1 << 31 | (WIDTH / 32) << 22 | 2,
        FRONT | 2 << 6 | texture::K_8_8_8_8,
        (HEIGHT - 1) << 13 | (WIDTH - 1),
        SWIZZLE_XYZW << 1,
        0,
        1 << 9,
    ];
    let mut words = vec![type0(regs::SHADER_CONSTANT_FETCH_00_0, 6)];
    words.extend(fetch);
    words.extend([type3(op::XE_SWAP, 4), SWAP_SIGNATURE, FRONT, WIDTH, HEIGHT]);
    words
}

/// Runs `swaps` iterations after one warm-up iteration (which makes the
/// wgpu device).
pub fn run(swaps: u32, use_wgpu: bool) -> Result<GpuBenchReport, GpuBenchError> {
    let fd = GuestMemory::create_file()?;
    let memory = Arc::new(GuestMemory::map(fd.as_fd())?);
    let control = memory.control();
    let set = |r: u32, v: u32| control.gpu_register(r as usize).store(v, Ordering::SeqCst);
    set(regs::CP_RB_BASE, RING);
    set(regs::CP_RB_CNTL, RING_BUFSZ | crate::cp::RB_NO_UPDATE);
    for (i, v) in [0.0f32, 0.0, WIDTH as f32, 0.0, WIDTH as f32, HEIGHT as f32].iter().enumerate() {
        memory.write_f32(VirtAddr(0xA000_0000 | (VERTICES + 4 * i as u32)), *v)?;
    }
    let mut cp = CommandProcessor::new(memory.clone());
    let mut presentation = Presentation::new(PresentOptions { dump_dir: None, use_wgpu });
    let (mut command_processor, mut present) = (Duration::ZERO, Duration::ZERO);
    let started = Instant::now();
    let mut total_started = started;
    for i in 0..=swaps {
        if i == 1 {
            (command_processor, present) = (Duration::ZERO, Duration::ZERO);
            total_started = Instant::now();
        }
        let color = 0xFF00_0000 | (i.wrapping_mul(0x3F_1F0F) & 0xFF_FFFF);
        let mut words = resolve_packets(SCRATCH, 3 << 8, color);
        words.extend(resolve_packets(FRONT, 0, 0));
        words.extend(swap_packets());
        for (n, w) in words.iter().enumerate() {
            memory.write_u32(GuestMemory::physical_view(PhysAddr(RING + 4 * n as u32))?, *w)?;
        }
        set(regs::CP_RB_RPTR, 0);
        set(regs::CP_RB_WPTR, words.len() as u32);
        let t = Instant::now();
        cp.run();
        let swap = cp.take_effects().into_iter().find_map(|e| match e {
            Effect::Swap(s) => Some(s),
            _ => None,
        });
        command_processor += t.elapsed();
        let swap = swap.ok_or(GpuBenchError::NoSwap(i))?;
        let t = Instant::now();
        presentation.present(&Frame::capture(&memory, &swap)?)?;
        present += t.elapsed();
    }
    Ok(GpuBenchReport {
        swaps,
        width: WIDTH,
        height: HEIGHT,
        adapter: presentation.renderer().map(|r| r.adapter().to_string()),
        total: total_started.elapsed(),
        command_processor,
        presentation: present,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_loop_swaps_once_per_iteration_on_the_cpu_path() {
        let report = run(2, false).unwrap();
        assert_eq!(report.swaps, 2);
        assert!(report.adapter.is_none());
        assert!(report.swaps_per_second() > 0.0);
    }
}
