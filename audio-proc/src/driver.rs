//! The render driver: its client table, the frames clients submitted, and
//! what happens every frame period.
//!
//! The kernel owns registration (it hands out the driver handles) and
//! forwards what titles do as [`Command`]s; cpu-proc runs the callbacks
//! this driver asks for. Every frame period [`Driver::tick`] mixes one
//! queued frame of each client (silence for a client that has none), hands
//! the stereo result to the output, and asks for callbacks so that each
//! client has [`PREFILL_FRAMES`] frames queued or being rendered.
//!
//! The client table and the frame count are mirrored in the control area
//! ([`shared::memory::control::AudioState`]), so a restarted audio-proc
//! resumes them with [`Driver::restore`]; queued frames are lost (at most
//! [`PREFILL_FRAMES`] periods).

use crate::frame::Frame;
use crate::mixer::Mixer;
use crate::output::{AudioOutput, OutputError};
use shared::memory::control::AudioState;
use shared::memory::{GuestMemory, MemError, VirtAddr};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Clients at once (xenia `kMaximumClientCount`).
pub const MAX_CLIENTS: usize = AudioState::CLIENTS;
/// Frames a client may have queued; later submissions are dropped (xenia
/// `kMaximumQueuedFrames`).
pub const MAX_QUEUED_FRAMES: usize = 64;
/// Frames each client is kept ahead by: queued plus callbacks in flight.
pub const PREFILL_FRAMES: usize = 2;
/// Frame periods after which a callback that never reported back is
/// forgotten (so a lost completion cannot stall a client).
pub const CALLBACK_TIMEOUT_TICKS: u64 = 32;

/// A client's slot: the low 16 bits of its driver handle.
pub type ClientIndex = u32;

/// What the kernel forwards from the title's render-driver calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `XAudioRegisterRenderDriverClient` gave slot `client` to a callback;
    /// `argument` is the value the callback receives in r3.
    Register { client: ClientIndex, callback: VirtAddr, argument: u32 },
    /// `XAudioUnregisterRenderDriverClient`.
    Unregister { client: ClientIndex },
    /// `XAudioSubmitRenderDriverFrame`: a frame at `frame` in guest memory.
    /// Must arrive before the [`Command::CallbackDone`] of the callback that
    /// submitted it (the title may reuse the buffer afterwards).
    Submit { client: ClientIndex, frame: VirtAddr },
    /// A callback this driver asked for returned to cpu-proc.
    CallbackDone { client: ClientIndex },
}

/// A callback cpu-proc should run as guest code: `callback(argument)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallbackRequest {
    pub client: ClientIndex,
    pub callback: VirtAddr,
    pub argument: u32,
}

/// A command the driver refused.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("render-driver client {0} does not exist (at most {MAX_CLIENTS})")]
    NoSuchClient(ClientIndex),
    #[error("render-driver client {0} is not registered")]
    NotRegistered(ClientIndex),
    #[error("render-driver client {client}: frame at {frame:#010x} unreadable: {source}")]
    Frame { client: ClientIndex, frame: u32, source: MemError },
}

struct Client {
    callback: VirtAddr,
    argument: u32,
    queue: VecDeque<Box<Frame>>,
    /// The tick each callback still in flight was asked for.
    in_flight: VecDeque<u64>,
    underruns: u64,
}

impl Client {
    fn new(callback: VirtAddr, argument: u32) -> Client {
        Client { callback, argument, queue: VecDeque::new(), in_flight: VecDeque::new(), underruns: 0 }
    }
}

/// The render driver of one session.
pub struct Driver {
    memory: Arc<GuestMemory>,
    clients: [Option<Client>; MAX_CLIENTS],
    mixer: Mixer,
    ticks: u64,
}

impl Driver {
    /// The driver as the control area describes it: the clients registered
    /// before a restart, with empty queues.
    pub fn restore(memory: Arc<GuestMemory>) -> Driver {
        let mut clients: [Option<Client>; MAX_CLIENTS] = Default::default();
        for (slot, saved) in clients.iter_mut().zip(&memory.control().audio_state().clients) {
            if saved.in_use.load(Ordering::SeqCst) != 0 {
                *slot = Some(Client::new(
                    VirtAddr(saved.callback.load(Ordering::SeqCst)),
                    saved.argument.load(Ordering::SeqCst),
                ));
            }
        }
        Driver { memory, clients, mixer: Mixer::default(), ticks: 0 }
    }

    fn state(&self) -> &AudioState {
        self.memory.control().audio_state()
    }

    fn slot(&mut self, client: ClientIndex) -> Result<&mut Option<Client>, DriverError> {
        self.clients.get_mut(client as usize).ok_or(DriverError::NoSuchClient(client))
    }

    fn client(&mut self, client: ClientIndex) -> Result<&mut Client, DriverError> {
        self.slot(client)?.as_mut().ok_or(DriverError::NotRegistered(client))
    }

    /// Applies one command from the kernel or cpu-proc.
    pub fn apply(&mut self, command: Command) -> Result<(), DriverError> {
        match command {
            Command::Register { client, callback, argument } => self.register(client, callback, argument),
            Command::Unregister { client } => self.unregister(client),
            Command::Submit { client, frame } => self.submit(client, frame),
            Command::CallbackDone { client } => self.callback_done(client),
        }
    }

    /// Gives slot `client` to `callback(argument)` (replacing any client
    /// there).
    pub fn register(&mut self, client: ClientIndex, callback: VirtAddr, argument: u32) -> Result<(), DriverError> {
        *self.slot(client)? = Some(Client::new(callback, argument));
        let saved = &self.state().clients[client as usize];
        saved.callback.store(callback.0, Ordering::SeqCst);
        saved.argument.store(argument, Ordering::SeqCst);
        saved.frames_submitted.store(0, Ordering::SeqCst);
        saved.in_use.store(1, Ordering::SeqCst);
        Ok(())
    }

    /// Frees slot `client`; its queued frames are dropped.
    pub fn unregister(&mut self, client: ClientIndex) -> Result<(), DriverError> {
        self.slot(client)?.take().ok_or(DriverError::NotRegistered(client))?;
        self.state().clients[client as usize].in_use.store(0, Ordering::SeqCst);
        Ok(())
    }

    /// Copies the frame at `frame` into `client`'s queue.
    pub fn submit(&mut self, client: ClientIndex, frame: VirtAddr) -> Result<(), DriverError> {
        self.client(client)?;
        let decoded =
            Frame::read(&self.memory, frame).map_err(|source| DriverError::Frame { client, frame: frame.0, source })?;
        let queue = &mut self.client(client)?.queue;
        if queue.len() < MAX_QUEUED_FRAMES {
            queue.push_back(Box::new(decoded));
        }
        self.state().clients[client as usize].frames_submitted.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// Records that one callback of `client` returned.
    pub fn callback_done(&mut self, client: ClientIndex) -> Result<(), DriverError> {
        self.client(client)?.in_flight.pop_front();
        Ok(())
    }

    /// One frame period: mixes a frame of every client into `output` and
    /// returns the callbacks to run now.
    pub fn tick(&mut self, output: &mut dyn AudioOutput) -> Result<Vec<CallbackRequest>, OutputError> {
        self.mixer.clear();
        for client in self.clients.iter_mut().flatten() {
            match client.queue.pop_front() {
                Some(frame) => self.mixer.add(&frame),
                None => client.underruns += 1,
            }
        }
        output.write(self.mixer.finish())?;
        self.state().frames_rendered.fetch_add(1, Ordering::SeqCst);

        let now = self.ticks;
        self.ticks += 1;
        let mut requests = Vec::new();
        for (index, client) in self.clients.iter_mut().enumerate() {
            let Some(client) = client else { continue };
            while client.in_flight.front().is_some_and(|asked| now - asked >= CALLBACK_TIMEOUT_TICKS) {
                client.in_flight.pop_front();
            }
            while client.queue.len() + client.in_flight.len() < PREFILL_FRAMES {
                client.in_flight.push_back(now);
                requests.push(CallbackRequest {
                    client: index as ClientIndex,
                    callback: client.callback,
                    argument: client.argument,
                });
            }
        }
        Ok(requests)
    }

    /// Frames rendered in this session (across restarts).
    pub fn frames_rendered(&self) -> u64 {
        self.state().frames_rendered.load(Ordering::SeqCst)
    }

    pub fn is_registered(&self, client: ClientIndex) -> bool {
        self.clients.get(client as usize).is_some_and(Option::is_some)
    }

    /// Frames `client` has queued.
    pub fn queued(&self, client: ClientIndex) -> usize {
        self.clients.get(client as usize).and_then(Option::as_ref).map_or(0, |c| c.queue.len())
    }

    /// Periods `client` had no frame for.
    pub fn underruns(&self, client: ClientIndex) -> u64 {
        self.clients.get(client as usize).and_then(Option::as_ref).map_or(0, |c| c.underruns)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::frame::{Channel, SAMPLES};
    use crate::output::CaptureSink;
    use std::os::fd::AsFd;

    pub(crate) fn test_memory() -> Arc<GuestMemory> {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        memory.control().initialise();
        Arc::new(memory)
    }

    fn put_frame(memory: &GuestMemory, at: VirtAddr, front: f32) {
        let mut frame = Frame::silent();
        frame.plane_mut(Channel::FrontLeft).fill(front);
        frame.plane_mut(Channel::FrontRight).fill(-front);
        memory.write_bytes(at, &frame.to_be_bytes()[..]).unwrap();
    }

    const A: VirtAddr = VirtAddr(0x0010_0000);
    const B: VirtAddr = VirtAddr(0x0011_0000);

    #[test]
    fn a_new_client_is_asked_for_prefill_frames_then_one_per_period() {
        let mut driver = Driver::restore(test_memory());
        let mut out = CaptureSink::default();
        driver.register(0, VirtAddr(0x8200_1000), 0x1234).unwrap();

        let first = driver.tick(&mut out).unwrap();
        assert_eq!(first.len(), PREFILL_FRAMES);
        assert_eq!(first[0], CallbackRequest { client: 0, callback: VirtAddr(0x8200_1000), argument: 0x1234 });
        for _ in 0..PREFILL_FRAMES {
            driver.submit(0, A).unwrap();
            driver.callback_done(0).unwrap();
        }
        let second = driver.tick(&mut out).unwrap();

        assert_eq!(second.len(), 1);
        assert_eq!(driver.queued(0), 1);
        assert_eq!(driver.frames_rendered(), 2);
        assert_eq!(out.samples.len(), 2 * SAMPLES * 2);
    }

    #[test]
    fn two_clients_frames_are_mixed_in_the_same_period() {
        let memory = test_memory();
        put_frame(&memory, A, 0.25);
        put_frame(&memory, B, 0.5);
        let mut driver = Driver::restore(memory);
        let mut out = CaptureSink::default();
        driver.register(0, VirtAddr(0x8200_1000), 0).unwrap();
        driver.register(3, VirtAddr(0x8200_2000), 0).unwrap();

        driver.submit(0, A).unwrap();
        driver.submit(3, B).unwrap();
        driver.tick(&mut out).unwrap();

        assert!((out.samples[0] - 0.75).abs() < 1e-6);
        assert!((out.samples[1] + 0.75).abs() < 1e-6);
        assert_eq!(driver.underruns(0), 0);
    }

    #[test]
    fn a_client_without_a_frame_plays_silence_and_counts_an_underrun() {
        let mut driver = Driver::restore(test_memory());
        let mut out = CaptureSink::default();
        driver.register(1, VirtAddr(0x8200_1000), 0).unwrap();

        driver.tick(&mut out).unwrap();

        assert!(out.samples.iter().all(|s| *s == 0.0));
        assert_eq!(driver.underruns(1), 1);
    }

    #[test]
    fn a_callback_that_never_reports_back_is_asked_again_after_the_timeout() {
        let mut driver = Driver::restore(test_memory());
        let mut out = CaptureSink::default();
        driver.register(0, VirtAddr(0x8200_1000), 0).unwrap();
        assert_eq!(driver.tick(&mut out).unwrap().len(), PREFILL_FRAMES);

        let asked: usize = (0..CALLBACK_TIMEOUT_TICKS).map(|_| driver.tick(&mut out).unwrap().len()).sum();

        assert_eq!(asked, PREFILL_FRAMES);
    }

    #[test]
    fn a_restarted_driver_keeps_its_clients_and_frame_count() {
        let memory = test_memory();
        let mut out = CaptureSink::default();
        let mut driver = Driver::restore(memory.clone());
        driver.register(2, VirtAddr(0x8200_1000), 0x40).unwrap();
        driver.register(5, VirtAddr(0x8200_2000), 0x50).unwrap();
        driver.unregister(5).unwrap();
        driver.tick(&mut out).unwrap();
        drop(driver);

        let mut restarted = Driver::restore(memory);
        let requests = restarted.tick(&mut out).unwrap();

        assert!(restarted.is_registered(2));
        assert!(!restarted.is_registered(5));
        assert_eq!(restarted.frames_rendered(), 2);
        assert_eq!(requests[0], CallbackRequest { client: 2, callback: VirtAddr(0x8200_1000), argument: 0x40 });
    }

    #[test]
    fn commands_for_unknown_or_free_slots_are_refused() {
        let mut driver = Driver::restore(test_memory());

        assert!(matches!(driver.apply(Command::Unregister { client: 9 }), Err(DriverError::NoSuchClient(9))));
        assert!(matches!(driver.apply(Command::Submit { client: 1, frame: A }), Err(DriverError::NotRegistered(1))));
    }
}
