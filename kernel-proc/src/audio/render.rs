//! The XAudio render driver: `XAudioRegisterRenderDriverClient`,
//! `XAudioUnregisterRenderDriverClient`, `XAudioSubmitRenderDriverFrame`,
//! and the settings titles read: `XAudioGetSpeakerConfig`,
//! `XAudioGetVoiceCategoryVolume`, `XAudioGetVoiceCategoryVolumeChangeMask`.
//!
//! Facts from xenia `xboxkrnl_audio.cc` and `audio_system.cc`: the client
//! registers a two-word structure (callback address, context); the driver
//! handle is `0x41550000 | slot`; the callback receives a pointer to a word
//! holding the context; the speaker configuration reads 0x00010001 and
//! every voice category is at full volume with no change pending.

use super::{client_of, Client, ToAudio, DRIVER_HANDLE_TAG};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `XAudioGetSpeakerConfig`'s value (xenia's).
pub const SPEAKER_CONFIG: u32 = 0x0001_0001;

/// `XAUDIO_RENDER_DRIVER_CALLBACK` (8 bytes): the callback, its context.
pub mod callback_struct {
    pub const CALLBACK: u32 = 0x0;
    pub const CONTEXT: u32 = 0x4;
    pub const SIZE: u32 = 0x8;
}

/// `XAudioRegisterRenderDriverClient(callback, driver_out)`: takes a free
/// slot and writes its driver handle.
pub fn x_audio_register_render_driver_client(
    kernel: &mut Kernel,
    callback: VirtAddr,
    driver_out: VirtAddr,
) -> Result<NtStatus, NtStatus> {
    let memory = kernel.memory.clone();
    let function = memory.read_u32(callback.add(callback_struct::CALLBACK)).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let context = memory.read_u32(callback.add(callback_struct::CONTEXT)).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let slot = kernel.audio.free_slot().ok_or(NtStatus::NO_MEMORY)?;
    let argument = kernel.mm.pool_alloc(&memory, 4).ok_or(NtStatus::NO_MEMORY)?;
    if memory.write_u32(argument, context).is_err() || memory.write_u32(driver_out, DRIVER_HANDLE_TAG | slot).is_err() {
        kernel.mm.pool_free(&memory, argument);
        return Err(NtStatus::ACCESS_VIOLATION);
    }
    let function = VirtAddr(function);
    kernel.audio.clients[slot as usize] = Some(Client { callback: function, context, argument });
    kernel.memory.control().audio_state().registered.fetch_or(1 << slot, std::sync::atomic::Ordering::SeqCst);
    kernel.audio.outbox.push(ToAudio::Register { client: slot, callback: function, argument: argument.0 });
    tracing::debug!("render-driver client {slot}: callback {:#010x}, context {context:#010x}", function.0);
    Ok(NtStatus::SUCCESS)
}

/// `XAudioUnregisterRenderDriverClient(driver)`.
pub fn x_audio_unregister_render_driver_client(kernel: &mut Kernel, driver: u32) -> NtStatus {
    let Some(slot) = client_of(driver) else { return NtStatus::INVALID_PARAMETER };
    let Some(client) = kernel.audio.clients[slot as usize].take() else { return NtStatus::INVALID_PARAMETER };
    let memory = kernel.memory.clone();
    kernel.mm.pool_free(&memory, client.argument);
    memory.control().audio_state().registered.fetch_and(!(1 << slot), std::sync::atomic::Ordering::SeqCst);
    kernel.audio.outbox.push(ToAudio::Unregister { client: slot });
    NtStatus::SUCCESS
}

/// `XAudioSubmitRenderDriverFrame(driver, samples)`.
pub fn x_audio_submit_render_driver_frame(kernel: &mut Kernel, driver: u32, samples: VirtAddr) -> NtStatus {
    match client_of(driver).filter(|&slot| kernel.audio.client(slot).is_some()) {
        Some(slot) => {
            kernel.audio.outbox.push(ToAudio::Submit { client: slot, frame: samples });
            NtStatus::SUCCESS
        }
        None => NtStatus::INVALID_PARAMETER,
    }
}

/// `XAudioGetSpeakerConfig(config_out)`.
pub fn x_audio_get_speaker_config(kernel: &mut Kernel, out: VirtAddr) -> NtStatus {
    match kernel.memory.write_u32(out, SPEAKER_CONFIG) {
        Ok(()) => NtStatus::SUCCESS,
        Err(_) => NtStatus::ACCESS_VIOLATION,
    }
}

/// `XAudioGetVoiceCategoryVolumeChangeMask(driver, mask_out)`: no category
/// volume ever changes.
pub fn x_audio_get_voice_category_volume_change_mask(kernel: &mut Kernel, _driver: u32, out: VirtAddr) -> NtStatus {
    match kernel.memory.write_u32(out, 0) {
        Ok(()) => NtStatus::SUCCESS,
        Err(_) => NtStatus::ACCESS_VIOLATION,
    }
}

/// `XAudioGetVoiceCategoryVolume(category, volume_out)`: 1.0 (full).
pub fn x_audio_get_voice_category_volume(kernel: &mut Kernel, _category: u32, out: VirtAddr) -> NtStatus {
    match kernel.memory.write_f32(out, 1.0) {
        Ok(()) => NtStatus::SUCCESS,
        Err(_) => NtStatus::ACCESS_VIOLATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::MAX_CLIENTS;

    const CALLBACK: VirtAddr = VirtAddr(0x1000);
    const HANDLE: VirtAddr = VirtAddr(0x1010);

    fn register(k: &mut Kernel, function: u32, context: u32) -> Result<u32, NtStatus> {
        k.memory.write_u32(CALLBACK, function).unwrap();
        k.memory.write_u32(CALLBACK.add(4), context).unwrap();
        x_audio_register_render_driver_client(k, CALLBACK, HANDLE)?;
        Ok(k.memory.read_u32(HANDLE).unwrap())
    }

    #[test]
    fn registering_writes_a_tagged_handle_and_tells_audio_proc_the_callback() {
        let mut k = Kernel::for_tests();

        let handle = register(&mut k, 0x8200_1234, 0xCAFE).unwrap();

        assert_eq!(handle, 0x4155_0000);
        let client = *k.audio.client(0).unwrap();
        assert_eq!(client.callback, VirtAddr(0x8200_1234));
        assert_eq!(k.memory.read_u32(client.argument).unwrap(), 0xCAFE);
        assert_eq!(
            k.audio.outbox,
            [ToAudio::Register { client: 0, callback: VirtAddr(0x8200_1234), argument: client.argument.0 }]
        );
    }

    #[test]
    fn each_client_gets_its_own_slot_until_the_table_is_full() {
        let mut k = Kernel::for_tests();

        let handles: Vec<u32> =
            (0..MAX_CLIENTS as u32).map(|i| register(&mut k, 0x8200_0000 + i, i).unwrap()).collect();

        assert_eq!(handles, (0..MAX_CLIENTS as u32).map(|i| 0x4155_0000 | i).collect::<Vec<_>>());
        assert_eq!(register(&mut k, 0x8200_0000, 0), Err(NtStatus::NO_MEMORY));
    }

    #[test]
    fn unregistering_frees_the_slot_for_the_next_client() {
        let mut k = Kernel::for_tests();
        let first = register(&mut k, 0x8200_1000, 1).unwrap();
        register(&mut k, 0x8200_2000, 2).unwrap();
        k.audio.outbox.clear();

        assert_eq!(x_audio_unregister_render_driver_client(&mut k, first), NtStatus::SUCCESS);
        let again = register(&mut k, 0x8200_3000, 3).unwrap();

        assert_eq!(again, first);
        assert!(matches!(k.audio.outbox[..], [ToAudio::Unregister { client: 0 }, ToAudio::Register { client: 0, .. }]));
        assert_eq!(x_audio_unregister_render_driver_client(&mut k, 0x4155_0005), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn a_submitted_frame_is_forwarded_with_its_address() {
        let mut k = Kernel::for_tests();
        let handle = register(&mut k, 0x8200_1000, 0).unwrap();
        k.audio.outbox.clear();

        let status = x_audio_submit_render_driver_frame(&mut k, handle, VirtAddr(0x4000_0000));

        assert_eq!(status, NtStatus::SUCCESS);
        assert_eq!(k.audio.outbox, [ToAudio::Submit { client: 0, frame: VirtAddr(0x4000_0000) }]);
        assert_eq!(x_audio_submit_render_driver_frame(&mut k, 0x4155_0001, VirtAddr(0)), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn settings_read_as_stereo_speakers_at_full_volume_with_no_change() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x2000);

        assert_eq!(x_audio_get_speaker_config(&mut k, out), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0x0001_0001);
        k.memory.write_u32(out, 0xFFFF_FFFF).unwrap();
        assert_eq!(x_audio_get_voice_category_volume_change_mask(&mut k, 0x4155_0000, out), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
        assert_eq!(x_audio_get_voice_category_volume(&mut k, 3, out), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_f32(out).unwrap(), 1.0);
    }
}
