//! Presentation of swapped front buffers.
//!
//! On each swap the command processor's thread snapshots the front buffer's
//! memory (so later resolves into the same buffer cannot change a frame
//! already swapped) and hands it to the presenter thread through a bounded
//! queue; when the queue is full the frame is dropped, never the command
//! processor stalled — except with `--dump-frames`, where every swap must
//! reach its file and the command processor waits for room. The presenter de-tiles and converts the frame to RGBA8
//! ([`frontbuffer`]), draws it through wgpu ([`renderer`]) and, with
//! `--dump-frames DIR`, writes `DIR/frame-NNNNNN.png` ([`dump`]).
//!
//! Unless the session is headless, the presenter thread runs a window
//! ([`window`]) and draws each frame into it, scaled to fit; with no
//! display it says so in one line and draws off-screen.
//!
//! The wgpu device is made once per process (with the window, or on the
//! first frame). With no Vulkan adapter the presenter says so in one line
//! and goes on with the CPU conversion alone, so frame dumps still come out.

pub mod dump;
pub mod frontbuffer;
pub mod keyboard;
pub mod renderer;
pub mod window;

use crate::cp::Swap;
use frontbuffer::{FrontBuffer, FrontBufferError};
use renderer::Renderer;
use shared::memory::GuestMemory;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;
pub use window::WindowOptions;

/// Frames the presenter may hold before new ones are dropped.
pub const QUEUE_FRAMES: usize = 3;

/// A swapped frame, captured when the swap executed.
pub struct Frame {
    /// The session's swap count after this swap (its dump number).
    pub count: u32,
    pub buffer: FrontBuffer,
    pub raw: Vec<u8>,
}

impl Frame {
    pub fn capture(memory: &GuestMemory, swap: &Swap) -> Result<Frame, FrontBufferError> {
        let buffer = FrontBuffer::of_swap(swap)?;
        let raw = buffer.capture(memory)?;
        Ok(Frame { count: swap.count, buffer, raw })
    }
}

/// What the presenter does with frames.
#[derive(Clone, Debug, Default)]
pub struct PresentOptions {
    /// Write each frame as a PNG here.
    pub dump_dir: Option<PathBuf>,
    /// Draw frames through wgpu (off: CPU conversion only).
    pub use_wgpu: bool,
}

/// Counters of a presenter.
#[derive(Debug, Default)]
pub struct PresentStats {
    pub presented: AtomicU64,
    pub dropped: AtomicU64,
    pub failed: AtomicU64,
}

/// Presents frames one at a time on the calling thread (the presenter
/// thread's body, and the GPU benchmark's).
pub struct Presentation {
    options: PresentOptions,
    renderer: Option<Renderer>,
    /// The renderer could not be made: CPU conversion only from now on.
    no_renderer: bool,
    /// A window shows the frames: read back only for dumps.
    windowed: bool,
}

impl Presentation {
    pub fn new(options: PresentOptions) -> Presentation {
        Presentation { no_renderer: !options.use_wgpu, options, renderer: None, windowed: false }
    }

    /// Presentation into a window, through `renderer` (made for its surface).
    pub fn windowed(options: PresentOptions, renderer: Renderer) -> Presentation {
        Presentation { options, renderer: Some(renderer), no_renderer: false, windowed: true }
    }

    /// Whether frames go through wgpu (known after the first frame).
    pub fn renderer(&self) -> Option<&Renderer> {
        self.renderer.as_ref()
    }

    pub fn renderer_mut(&mut self) -> Option<&mut Renderer> {
        self.renderer.as_mut()
    }

    /// Converts, draws and (when asked) dumps one frame.
    pub fn present(&mut self, frame: &Frame) -> std::io::Result<()> {
        let (width, height) = (frame.buffer.width, frame.buffer.height);
        let mut rgba = frame.buffer.to_rgba8(&frame.raw);
        if self.renderer.is_none() && !self.no_renderer {
            let started = Instant::now();
            match Renderer::new() {
                Ok(r) => {
                    tracing::info!(
                        "presenting through wgpu on {} (device made in {:?})",
                        r.adapter(),
                        started.elapsed()
                    );
                    self.renderer = Some(r);
                }
                Err(err) => {
                    tracing::warn!("{err}; frames are converted on the CPU only");
                    self.no_renderer = true;
                }
            }
        }
        let read_back = !self.windowed || self.options.dump_dir.is_some();
        if let Some(renderer) = self.renderer.as_mut() {
            renderer.upload(&rgba, width, height);
            match read_back.then(|| renderer.read_back()) {
                None => {}
                Some(Ok(drawn)) => rgba = drawn,
                Some(Err(err)) => {
                    tracing::error!("wgpu presentation failed: {err}; frames are converted on the CPU only");
                    self.renderer = None;
                    self.no_renderer = true;
                }
            }
        }
        if let Some(dir) = &self.options.dump_dir {
            dump::write_png(&dump::frame_path(dir, frame.count), &rgba, width, height)?;
        }
        tracing::debug!("presented frame {} ({width}×{height})", frame.count);
        Ok(())
    }

    /// Presents one frame and counts how that went.
    fn present_counted(&mut self, frame: &Frame, counters: &PresentStats) {
        match self.present(frame) {
            Ok(()) => {
                counters.presented.fetch_add(1, Ordering::Relaxed);
            }
            Err(err) => {
                if counters.failed.fetch_add(1, Ordering::Relaxed) == 0 {
                    tracing::error!("writing frame {} failed: {err} (further failures are counted)", frame.count);
                }
            }
        }
    }
}

/// The presenter thread and the sending end of its queue.
pub struct Presenter {
    queue: Option<SyncSender<Frame>>,
    /// Wakes the window's event loop when a frame is queued.
    wake: Option<window::Waker>,
    /// Frames are dumped: the queue waits for room instead of dropping.
    lossless: bool,
    thread: Option<JoinHandle<()>>,
    stats: Arc<PresentStats>,
}

impl Presenter {
    /// Starts the presenter thread: frames go to a window when `window` is
    /// given and one opens, and are drawn off-screen otherwise.
    pub fn start(options: PresentOptions, window: Option<WindowOptions>) -> std::io::Result<Presenter> {
        let (queue, frames) = mpsc::sync_channel::<Frame>(QUEUE_FRAMES);
        let lossless = options.dump_dir.is_some();
        let stats = Arc::new(PresentStats::default());
        let counters = stats.clone();
        let (waker_tx, waker_rx) = mpsc::channel();
        let thread = std::thread::Builder::new().name("presenter".into()).spawn(move || {
            let frames = match window {
                Some(window) => match window::run(window, options.clone(), frames, &counters, waker_tx) {
                    Ok(()) => return,
                    Err(frames) => frames,
                },
                None => {
                    drop(waker_tx);
                    frames
                }
            };
            let mut presentation = Presentation::new(options);
            for frame in frames {
                presentation.present_counted(&frame, &counters);
            }
        })?;
        // The window's event loop is up (or failed) before the first frame.
        let wake = waker_rx.recv().ok();
        Ok(Presenter { queue: Some(queue), wake, lossless, thread: Some(thread), stats })
    }

    /// Queues a frame; drops it when the presenter is behind, unless frames
    /// are dumped: then every swap must reach its file, and the command
    /// processor waits for room (the title runs slower, it loses nothing).
    pub fn submit(&self, frame: Frame) {
        let Some(queue) = &self.queue else { return };
        let sent = match self.lossless {
            true => queue.send(frame).map_err(|e| TrySendError::Disconnected(e.0)),
            false => queue.try_send(frame),
        };
        match sent {
            Ok(()) => {
                if let Some(wake) = &self.wake {
                    wake.wake();
                }
            }
            Err(TrySendError::Full(frame)) => {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("presenter behind: frame {} dropped", frame.count);
            }
            Err(TrySendError::Disconnected(_)) => {
                self.stats.failed.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn stats(&self) -> &PresentStats {
        &self.stats
    }

    /// Presents what is queued, then ends the thread (and closes the window).
    pub fn stop(mut self) {
        self.queue = None;
        if let Some(wake) = &self.wake {
            wake.wake();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let s = &self.stats;
        tracing::info!(
            "presenter: {} frames presented, {} dropped, {} failed",
            s.presented.load(Ordering::Relaxed),
            s.dropped.load(Ordering::Relaxed),
            s.failed.load(Ordering::Relaxed)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{texture, SWIZZLE_XYZW};
    use shared::memory::PhysAddr;
    use std::os::fd::AsFd;

    fn swap(count: u32) -> Swap {
        Swap {
            frontbuffer: PhysAddr(0x0100_0000),
            width: 64,
            height: 32,
            texture_fetch: [
                1 << 31 | 2 << 22 | 2,
                0x0100_0000 | 2 << 6 | texture::K_8_8_8_8,
                0,
                SWIZZLE_XYZW << 1,
                0,
                0,
            ],
            count,
        }
    }

    #[test]
    fn a_frame_captured_at_swap_keeps_its_pixels_when_memory_changes_later() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let at = GuestMemory::physical_view(PhysAddr(0x0100_0000)).unwrap();
        memory.write_u32(at, 0xFF00_00FF).unwrap();
        let frame = Frame::capture(&memory, &swap(7)).unwrap();
        memory.write_u32(at, 0).unwrap();
        let rgba = frame.buffer.to_rgba8(&frame.raw);
        assert_eq!(&rgba[..4], &[0xFF, 0, 0, 0xFF]);
        assert_eq!(frame.count, 7);
    }

    #[test]
    fn cpu_only_presentation_dumps_numbered_frames() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let dir = std::env::temp_dir().join(format!("xenact-present-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut p = Presentation::new(PresentOptions { dump_dir: Some(dir.clone()), use_wgpu: false });
        p.present(&Frame::capture(&memory, &swap(3)).unwrap()).unwrap();
        assert!(dir.join("frame-000003.png").exists());
        assert!(p.renderer().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
