//! Downmixing 5.1 frames to stereo and mixing the clients of one frame
//! period.
//!
//! The downmix follows ITU-R BS.775's stereo fold-down, without its
//! normalisation so that a title playing only the front pair is heard at
//! its own level:
//!
//! | output | front same side | centre | back same side | LFE |
//! | --- | --- | --- | --- | --- |
//! | left / right | 1.0 | 1/√2 (−3 dB) | 1/√2 (−3 dB) | 0 (dropped) |
//!
//! The sum of all clients is clamped to [−1, 1] once, after mixing.

use crate::frame::{Channel, Frame, SAMPLES};
use std::f32::consts::FRAC_1_SQRT_2;

/// Weight of the front channel on its own side.
pub const FRONT_GAIN: f32 = 1.0;
/// Weight of the centre channel on each side.
pub const CENTER_GAIN: f32 = FRAC_1_SQRT_2;
/// Weight of a back channel on its own side.
pub const BACK_GAIN: f32 = FRAC_1_SQRT_2;
/// Weight of the low-frequency channel (stereo speakers have no sub).
pub const LFE_GAIN: f32 = 0.0;

/// Interleaved stereo samples (left, right) in one frame period.
pub const STEREO_SAMPLES: usize = SAMPLES * 2;

/// Adds the stereo fold-down of `frame` to `out` (interleaved left, right).
pub fn downmix_into(frame: &Frame, out: &mut [f32; STEREO_SAMPLES]) {
    let fl = frame.plane(Channel::FrontLeft);
    let fr = frame.plane(Channel::FrontRight);
    let fc = frame.plane(Channel::FrontCenter);
    let lfe = frame.plane(Channel::LowFrequency);
    let bl = frame.plane(Channel::BackLeft);
    let br = frame.plane(Channel::BackRight);
    for (i, pair) in out.chunks_exact_mut(2).enumerate() {
        let shared = CENTER_GAIN * fc[i] + LFE_GAIN * lfe[i];
        pair[0] += FRONT_GAIN * fl[i] + shared + BACK_GAIN * bl[i];
        pair[1] += FRONT_GAIN * fr[i] + shared + BACK_GAIN * br[i];
    }
}

/// Accumulates the clients' frames of one frame period.
pub struct Mixer {
    sum: [f32; STEREO_SAMPLES],
}

impl Default for Mixer {
    fn default() -> Self {
        Mixer { sum: [0.0; STEREO_SAMPLES] }
    }
}

impl Mixer {
    /// Starts a new frame period (silence).
    pub fn clear(&mut self) {
        self.sum = [0.0; STEREO_SAMPLES];
    }

    /// Adds one client's frame.
    pub fn add(&mut self, frame: &Frame) {
        downmix_into(frame, &mut self.sum);
    }

    /// The mixed period, clamped to [−1, 1]; non-finite samples become 0.
    pub fn finish(&mut self) -> &[f32; STEREO_SAMPLES] {
        for s in &mut self.sum {
            *s = if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 };
        }
        &self.sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_with(values: [f32; 6]) -> Frame {
        let mut frame = Frame::silent();
        for (plane, v) in frame.planes.iter_mut().zip(values) {
            plane.fill(v);
        }
        frame
    }

    #[test]
    fn downmix_uses_unity_front_minus_3db_centre_and_back_and_drops_lfe() {
        let cases = [
            ([0.5, 0.0, 0.0, 0.0, 0.0, 0.0], (0.5, 0.0)),
            ([0.0, 0.5, 0.0, 0.0, 0.0, 0.0], (0.0, 0.5)),
            ([0.0, 0.0, 0.5, 0.0, 0.0, 0.0], (0.5 * FRAC_1_SQRT_2, 0.5 * FRAC_1_SQRT_2)),
            ([0.0, 0.0, 0.0, 0.9, 0.0, 0.0], (0.0, 0.0)),
            ([0.0, 0.0, 0.0, 0.0, 0.5, 0.0], (0.5 * FRAC_1_SQRT_2, 0.0)),
            ([0.0, 0.0, 0.0, 0.0, 0.0, 0.5], (0.0, 0.5 * FRAC_1_SQRT_2)),
        ];
        for (input, (left, right)) in cases {
            let mut out = [0.0; STEREO_SAMPLES];

            downmix_into(&frame_with(input), &mut out);

            assert!((out[0] - left).abs() < 1e-6, "{input:?}: left {}", out[0]);
            assert!((out[1] - right).abs() < 1e-6, "{input:?}: right {}", out[1]);
            assert_eq!(out[STEREO_SAMPLES - 2], out[0]);
        }
    }

    #[test]
    fn two_clients_are_summed_and_the_sum_is_clamped() {
        let mut mixer = Mixer::default();
        mixer.add(&frame_with([0.25, -0.25, 0.0, 0.0, 0.0, 0.0]));
        mixer.add(&frame_with([0.5, -0.9, 0.0, 0.0, 0.0, 0.0]));

        let out = mixer.finish();

        assert!((out[0] - 0.75).abs() < 1e-6);
        assert_eq!(out[1], -1.0);
    }

    #[test]
    fn clearing_starts_a_silent_period_and_nan_is_silenced() {
        let mut mixer = Mixer::default();
        mixer.add(&frame_with([0.5; 6]));
        mixer.clear();
        mixer.add(&frame_with([f32::NAN, 0.0, 0.0, 0.0, 0.0, 0.0]));

        let out = mixer.finish();

        assert!(out.iter().all(|s| *s == 0.0));
    }
}
