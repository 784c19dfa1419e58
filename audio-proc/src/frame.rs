//! One render-driver frame as a title submits it.
//!
//! Facts from xenia (`apu/conversion.h`, `apu/sdl/sdl_audio_driver.cc`): a
//! frame is 256 samples per channel for 6 channels, stored planar (all of
//! channel 0, then all of channel 1, …) as big-endian IEEE `f32`, at a guest
//! virtual address. The channel order is XAudio2's default 5.1 mapping:
//! front left, front right, front centre, low frequency, back left, back
//! right.

use shared::memory::{GuestMemory, MemError, VirtAddr};

/// Channels in a frame.
pub const CHANNELS: usize = 6;
/// Samples per channel in a frame.
pub const SAMPLES: usize = 256;
/// Bytes of a frame in guest memory.
pub const FRAME_BYTES: usize = CHANNELS * SAMPLES * 4;

/// The planes of a frame, in guest order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Channel {
    FrontLeft = 0,
    FrontRight = 1,
    FrontCenter = 2,
    LowFrequency = 3,
    BackLeft = 4,
    BackRight = 5,
}

/// A decoded frame: host-endian samples, one plane per [`Channel`].
#[derive(Clone, PartialEq)]
pub struct Frame {
    pub planes: [[f32; SAMPLES]; CHANNELS],
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame").field("front_left[0]", &self.planes[0][0]).finish_non_exhaustive()
    }
}

impl Frame {
    pub fn silent() -> Frame {
        Frame { planes: [[0.0; SAMPLES]; CHANNELS] }
    }

    pub fn plane(&self, channel: Channel) -> &[f32; SAMPLES] {
        &self.planes[channel as usize]
    }

    pub fn plane_mut(&mut self, channel: Channel) -> &mut [f32; SAMPLES] {
        &mut self.planes[channel as usize]
    }

    /// Decodes the guest's layout (planar, big-endian `f32`).
    pub fn from_be_bytes(bytes: &[u8; FRAME_BYTES]) -> Frame {
        let mut frame = Frame::silent();
        for (word, sample) in bytes.chunks_exact(4).zip(frame.planes.iter_mut().flatten()) {
            *sample = f32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        frame
    }

    /// Encodes the frame as a title would lay it out in guest memory.
    pub fn to_be_bytes(&self) -> Box<[u8; FRAME_BYTES]> {
        let mut bytes = Box::new([0u8; FRAME_BYTES]);
        for (word, sample) in bytes.chunks_exact_mut(4).zip(self.planes.iter().flatten()) {
            word.copy_from_slice(&sample.to_be_bytes());
        }
        bytes
    }

    /// Copies and decodes the frame at `addr` in guest memory.
    pub fn read(memory: &GuestMemory, addr: VirtAddr) -> Result<Frame, MemError> {
        let mut bytes = [0u8; FRAME_BYTES];
        memory.read_bytes(addr, &mut bytes)?;
        Ok(Frame::from_be_bytes(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_endian_planar_bytes_decode_to_the_right_channel_and_sample() {
        let mut bytes = [0u8; FRAME_BYTES];
        // Channel 1 (front right), sample 3: 0.5f32 = 0x3F000000.
        let at = (SAMPLES + 3) * 4;
        bytes[at..at + 4].copy_from_slice(&[0x3F, 0x00, 0x00, 0x00]);
        // Channel 5 (back right), last sample: -2.0f32 = 0xC0000000.
        let at = FRAME_BYTES - 4;
        bytes[at..at + 4].copy_from_slice(&[0xC0, 0x00, 0x00, 0x00]);

        let frame = Frame::from_be_bytes(&bytes);

        assert_eq!(frame.plane(Channel::FrontRight)[3], 0.5);
        assert_eq!(frame.plane(Channel::BackRight)[SAMPLES - 1], -2.0);
        assert_eq!(frame.plane(Channel::FrontLeft)[3], 0.0);
        assert_eq!(frame.planes.iter().flatten().filter(|s| **s != 0.0).count(), 2);
    }

    #[test]
    fn encoding_then_decoding_gives_the_same_frame() {
        let mut frame = Frame::silent();
        for (i, s) in frame.planes.iter_mut().flatten().enumerate() {
            *s = i as f32 * 0.25 - 100.0;
        }

        let back = Frame::from_be_bytes(&frame.to_be_bytes());

        assert_eq!(back, frame);
    }
}
