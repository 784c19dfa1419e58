//! The audio subsystem of the kernel: the XAudio render driver's client
//! table, speaker and volume settings, and the XMA context exports (not
//! supported until an XMA decoder exists).
//!
//! The kernel owns registration: it hands out driver handles and forwards
//! what titles do to audio-proc as [`ToAudio`] messages (queued in
//! [`Audio::outbox`]); audio-proc runs the frame clock and asks cpu-proc to
//! run the callbacks.
//!
//! Submodules: [`render`] (`XAudio*RenderDriver*`, speaker configuration,
//! voice-category volume), [`xma`] (`XMA*`), [`ducker`]
//! (`XAudioEnableDucker`).

pub mod ducker;
pub mod render;
pub mod xma;

use shared::memory::VirtAddr;
use std::collections::HashSet;

/// Render-driver clients at once (xenia `kMaximumClientCount`).
pub const MAX_CLIENTS: usize = 8;

/// A driver handle is `DRIVER_HANDLE_TAG | slot` (xenia
/// `xboxkrnl_audio.cc`: 0x4155 is "AU").
pub const DRIVER_HANDLE_TAG: u32 = 0x4155_0000;

/// The slot a driver handle names, if it is one.
pub fn client_of(handle: u32) -> Option<u32> {
    let slot = handle & 0xFFFF;
    (handle & 0xFFFF_0000 == DRIVER_HANDLE_TAG && (slot as usize) < MAX_CLIENTS).then_some(slot)
}

/// What the kernel tells audio-proc, in the order titles did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToAudio {
    /// Slot `client` now belongs to `callback`; cpu-proc calls it with
    /// `argument` in r3.
    Register { client: u32, callback: VirtAddr, argument: u32 },
    /// Slot `client` is free again.
    Unregister { client: u32 },
    /// `client` submitted the frame at `frame` (6 × 256 big-endian `f32`,
    /// planar); audio-proc copies it before the callback's completion.
    Submit { client: u32, frame: VirtAddr },
}

/// One registered client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub callback: VirtAddr,
    /// The context word the title registered.
    pub context: u32,
    /// The pool word holding `context`: the callback's argument (xenia
    /// passes the callback a pointer to the context, not the context).
    pub argument: VirtAddr,
}

/// Audio state of the kernel.
#[derive(Debug, Default)]
pub struct Audio {
    pub clients: [Option<Client>; MAX_CLIENTS],
    /// Messages for audio-proc produced by calls; the link sends them.
    pub outbox: Vec<ToAudio>,
    /// Exports already reported as not supported (each is logged once).
    unsupported_reported: HashSet<u32>,
}

impl Audio {
    /// The first free slot.
    pub fn free_slot(&self) -> Option<u32> {
        self.clients.iter().position(Option::is_none).map(|i| i as u32)
    }

    pub fn client(&self, slot: u32) -> Option<&Client> {
        self.clients.get(slot as usize).and_then(Option::as_ref)
    }

    /// Records that export `index` was called though not supported; true
    /// the first time (the caller logs it once).
    pub fn first_unsupported_call(&mut self, index: u32) -> bool {
        self.unsupported_reported.insert(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tagged_handles_of_existing_slots_name_a_client() {
        assert_eq!(client_of(0x4155_0000), Some(0));
        assert_eq!(client_of(0x4155_0007), Some(7));
        assert_eq!(client_of(0x4155_0008), None);
        assert_eq!(client_of(0x1234_0001), None);
    }
}
