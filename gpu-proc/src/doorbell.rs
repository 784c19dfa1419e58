//! Takes doorbells off the cpu → gpu ring. The command processor (a later
//! step) is woken from here; for now each doorbell is counted in the shared
//! GPU state so the guest's writes are seen to arrive.

use shared::ipc::gpu::Doorbell;
use shared::ipc::ring::{self, RingError, SpinPolicy};
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub struct DoorbellListener {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl DoorbellListener {
    pub fn start(memory: Arc<GuestMemory>, spin: SpinPolicy) -> Result<DoorbellListener, RingError> {
        let mut bells = ring::receiver::<Doorbell>(&memory, ring::RingId::GpuDoorbell, spin)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("doorbell".into())
            .spawn(move || {
                let gpu = memory.control().gpu_state();
                while !flag.load(Ordering::Relaxed) {
                    if let Ok(bell) = bells.recv(Duration::from_millis(100)) {
                        gpu.doorbells.fetch_add(1, Ordering::SeqCst);
                        tracing::trace!(
                            "doorbell: {} = {:#x}",
                            crate::registers::name(bell.register).unwrap_or("?"),
                            bell.value
                        );
                    }
                }
            })
            .expect("spawning the doorbell thread");
        Ok(DoorbellListener { stop, thread })
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}
