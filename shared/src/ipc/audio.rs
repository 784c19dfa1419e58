//! The links of the audio unit: kernel → audio (render-driver clients and
//! submitted frames) and cpu → audio (a callback returned). Both carry one
//! plain-old-data [`AudioMessage`].

use crate::memory::VirtAddr;
use std::time::Duration;

/// The render driver's sample rate and frame length: one frame of 256
/// samples every 5.33 ms (xenia `audio_system.cc`).
pub const SAMPLE_RATE: u32 = 48_000;
pub const FRAME_SAMPLES: u32 = 256;

/// Frames whose period has ended after `elapsed` of emulator time.
pub fn frames_in(elapsed: Duration) -> u64 {
    (elapsed.as_nanos() * SAMPLE_RATE as u128 / (FRAME_SAMPLES as u128 * 1_000_000_000)) as u64
}

/// Emulator time at which frame `n` (counted from 0) ends, rounded up to
/// the nanosecond: `frames_in(end_of_frame(n)) == n + 1`.
pub fn end_of_frame(n: u64) -> Duration {
    Duration::from_nanos(((n + 1) as u128 * FRAME_SAMPLES as u128 * 1_000_000_000).div_ceil(SAMPLE_RATE as u128) as u64)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct AudioMessage {
    pub kind: u32,
    pub client: u32,
    pub address: u32,
    pub argument: u32,
    /// The guest clock (`GuestTime::ticks`) when the message was sent.
    /// Under `--deterministic` audio-proc applies a message to the first
    /// frame that ends after it, whenever the message arrives.
    pub stamp: u64,
}

/// What an [`AudioMessage`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToAudio {
    /// Slot `client` belongs to `callback`, called with `argument` in r3.
    Register { client: u32, callback: VirtAddr, argument: u32 },
    /// Slot `client` is free again.
    Unregister { client: u32 },
    /// `client` submitted the frame at `frame`.
    Submit { client: u32, frame: VirtAddr },
    /// The callback run for `client` returned (from cpu-proc).
    CallbackDone { client: u32 },
}

impl ToAudio {
    /// The message, sent at guest clock `stamp`.
    pub fn encode(self, stamp: u64) -> AudioMessage {
        let (kind, client, address, argument) = match self {
            ToAudio::Register { client, callback, argument } => (1, client, callback.0, argument),
            ToAudio::Unregister { client } => (2, client, 0, 0),
            ToAudio::Submit { client, frame } => (3, client, frame.0, 0),
            ToAudio::CallbackDone { client } => (4, client, 0, 0),
        };
        AudioMessage { kind, client, address, argument, stamp }
    }

    pub fn decode(m: AudioMessage) -> Option<ToAudio> {
        Some(match m.kind {
            1 => ToAudio::Register { client: m.client, callback: VirtAddr(m.address), argument: m.argument },
            2 => ToAudio::Unregister { client: m.client },
            3 => ToAudio::Submit { client: m.client, frame: VirtAddr(m.address) },
            4 => ToAudio::CallbackDone { client: m.client },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_has_ended_at_its_end_and_not_a_nanosecond_before() {
        for n in [0, 1, 2, 374, 1_000_000] {
            let end = end_of_frame(n);
            assert_eq!(frames_in(end), n + 1, "frame {n}");
            assert_eq!(frames_in(end - Duration::from_nanos(1)), n, "frame {n}");
        }
    }

    #[test]
    fn every_message_survives_its_encoding_and_junk_is_refused() {
        for m in [
            ToAudio::Register { client: 1, callback: VirtAddr(0x8201_0000), argument: 7 },
            ToAudio::Unregister { client: 2 },
            ToAudio::Submit { client: 3, frame: VirtAddr(0x4000_0000) },
            ToAudio::CallbackDone { client: 4 },
        ] {
            assert_eq!(ToAudio::decode(m.encode(7)), Some(m));
            assert_eq!(m.encode(7).stamp, 7);
        }
        assert_eq!(ToAudio::decode(AudioMessage { kind: 9, client: 0, address: 0, argument: 0, stamp: 0 }), None);
    }
}
