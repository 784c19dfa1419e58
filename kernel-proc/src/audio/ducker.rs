//! `XAudioEnableDucker`: lowers the title's sound while system audio (voice
//! chat, the guide) plays. Xenact plays no system audio, so there is never
//! anything to duck under; the call succeeds (xenia `xboxkrnl_audio.cc`).

use crate::kernel::Kernel;

/// `XAudioEnableDucker(Enable)`: `ERROR_SUCCESS`.
pub fn x_audio_enable_ducker(_kernel: &mut Kernel, _enable: u32) -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabling_the_ducker_succeeds() {
        assert_eq!(x_audio_enable_ducker(&mut Kernel::for_tests(), 1), 0);
    }
}
