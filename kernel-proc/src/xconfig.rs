//! `ExGetXConfigSetting`: the console's configuration as a retail console
//! in the USA with English as its language would report it (categories,
//! setting numbers and values from xenia `xboxkrnl_xconfig.cc`; the layout
//! is free60's XConfig).

use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

const STATUS_INVALID_PARAMETER_1: NtStatus = NtStatus(0xC000_00EF);
const STATUS_INVALID_PARAMETER_2: NtStatus = NtStatus(0xC000_00F0);
const STATUS_INVALID_PARAMETER_3: NtStatus = NtStatus(0xC000_00F1);

const SECURED: u16 = 0x0002;
const USER: u16 = 0x0003;
/// XCONFIG_USER_LANGUAGE: 1 = English.
const LANGUAGE_ENGLISH: u32 = 1;
/// XCONFIG_USER_COUNTRY: 103 = United States.
const COUNTRY_US: u8 = 103;

/// The bytes of one setting, or the status for an unknown one.
fn setting(category: u16, setting: u16) -> Result<Vec<u8>, NtStatus> {
    match (category, setting) {
        // XCONFIG_SECURED_AV_REGION: USA/Canada.
        (SECURED, 0x0002) => Ok(0x0000_1000u32.to_be_bytes().to_vec()),
        (SECURED, _) => Err(STATUS_INVALID_PARAMETER_2),
        // Time zone bias, names and dates: zero (UTC).
        (USER, 0x0001..=0x0007) => Ok(vec![0; 4]),
        (USER, 0x0009) => Ok(LANGUAGE_ENGLISH.to_be_bytes().to_vec()),
        // XCONFIG_USER_VIDEO_FLAGS: widescreen.
        (USER, 0x000A) => Ok(0x0004_0000u32.to_be_bytes().to_vec()),
        // XCONFIG_USER_RETAIL_FLAGS.
        (USER, 0x000C) => Ok(vec![0; 4]),
        (USER, 0x000E) => Ok(vec![COUNTRY_US]),
        (USER, _) => Err(STATUS_INVALID_PARAMETER_2),
        _ => Err(STATUS_INVALID_PARAMETER_1),
    }
}

/// `ExGetXConfigSetting(Category, Setting, Buffer, BufferSize, RequiredSize)`.
pub fn ex_get_xconfig_setting(
    kernel: &mut Kernel,
    category: u16,
    setting_id: u16,
    buffer: Option<VirtAddr>,
    buffer_size: u16,
    required_size: Option<VirtAddr>,
) -> NtStatus {
    let value = match setting(category, setting_id) {
        Ok(v) => v,
        Err(status) => {
            tracing::debug!("ExGetXConfigSetting({category:#x}, {setting_id:#x}): unknown setting");
            return status;
        }
    };
    let m = &kernel.memory;
    match buffer {
        Some(buffer) => {
            if (buffer_size as usize) < value.len() {
                return NtStatus::BUFFER_TOO_SMALL;
            }
            if m.write_bytes(buffer, &value).is_err() {
                return NtStatus::ACCESS_VIOLATION;
            }
        }
        None if buffer_size != 0 => return STATUS_INVALID_PARAMETER_3,
        None => {}
    }
    if let Some(out) = required_size {
        let _ = m.write_u16(out, value.len() as u16);
    }
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_region_and_country_read_as_a_us_english_console() {
        let mut k = Kernel::for_tests();
        let (buf, size) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_0100));
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x0009, Some(buf), 4, Some(size)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(buf).unwrap(), 1);
        assert_eq!(k.memory.read_u16(size).unwrap(), 4);
        assert_eq!(ex_get_xconfig_setting(&mut k, SECURED, 0x0002, Some(buf), 4, None), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(buf).unwrap(), 0x1000);
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x000E, Some(buf), 4, Some(size)), NtStatus::SUCCESS);
        assert_eq!((k.memory.read_u8(buf).unwrap(), k.memory.read_u16(size).unwrap()), (103, 1));
    }

    #[test]
    fn sizes_and_unknown_settings_get_the_consoles_errors() {
        let mut k = Kernel::for_tests();
        let (buf, size) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_0100));
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x0009, Some(buf), 2, None), NtStatus::BUFFER_TOO_SMALL);
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x0009, None, 0, Some(size)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u16(size).unwrap(), 4);
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x0009, None, 4, None), STATUS_INVALID_PARAMETER_3);
        assert_eq!(ex_get_xconfig_setting(&mut k, USER, 0x0FFF, Some(buf), 4, None), STATUS_INVALID_PARAMETER_2);
        assert_eq!(ex_get_xconfig_setting(&mut k, 0x0042, 0x0001, Some(buf), 4, None), STATUS_INVALID_PARAMETER_1);
    }
}
