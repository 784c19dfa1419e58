//! The signed-in profile and its settings: `XamUserReadProfileSettings`,
//! `XamUserReadProfileSettingsEx`, `XamUserWriteProfileSettings`.
//!
//! A setting id packs its data type (bits 28–31), the largest size of its
//! value (bits 16–27) and a number (bits 0–13); ids whose bits 8–13 are all
//! set are title-specific (`XPROFILE_TITLE_SPECIFIC1`–`3`), kept per title
//! and the only ones a title may write. The console's defaults for the
//! system settings are those of a fresh profile (ids and values as xenia's
//! `user_profile.cc` records them). Title-specific settings are written
//! under the session's cache folder,
//! `CACHE_DIR/profiles/XUID/TITLEID/SETTINGID.bin`, so a later run of the
//! same title reads them back.
//!
//! A read fills an `XUSER_READ_PROFILE_SETTING_RESULT`: the setting count
//! and a pointer to the `XUSER_PROFILE_SETTING` records (40 bytes each)
//! that follow it, then the string and binary values the records point at.

use super::{error, overlapped, system, user};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::collections::HashMap;
use std::path::PathBuf;

/// The offline XUID of the local profile (the `0xE000…` form the console
/// gives profiles that were never linked to Xbox Live).
pub const OFFLINE_XUID: u64 = 0xE000_0000_5845_4E41;
/// The gamertag of the local profile.
pub const DEFAULT_GAMERTAG: &str = "Xenact";

/// `XUSER_DATA_TYPE_*`.
pub mod data_type {
    pub const CONTEXT: u8 = 0;
    pub const INT32: u8 = 1;
    pub const INT64: u8 = 2;
    pub const DOUBLE: u8 = 3;
    pub const UNICODE: u8 = 4;
    pub const FLOAT: u8 = 5;
    pub const BINARY: u8 = 6;
    pub const DATETIME: u8 = 7;
    pub const NULL: u8 = 0xFF;
}

/// `XSOURCE_*`: where a value came from.
pub mod source {
    pub const NO_VALUE: u32 = 0;
    pub const DEFAULT: u32 = 1;
    pub const TITLE: u32 = 2;
}

/// `XUSER_PROFILE_SETTING`: source, user index (or XUID, 8-aligned),
/// setting id, then `XUSER_DATA` (type byte, value from 8 bytes in).
pub mod record {
    pub const SOURCE: u32 = 0x00;
    pub const USER: u32 = 0x08;
    pub const SETTING_ID: u32 = 0x10;
    pub const DATA_TYPE: u32 = 0x18;
    pub const VALUE: u32 = 0x20;
    /// Binary and string values: byte count, then the pointer.
    pub const VALUE_PTR: u32 = 0x24;
    pub const SIZE: u32 = 40;
    const _: () = assert!(VALUE + 8 == SIZE);
}

/// Size of the `XUSER_READ_PROFILE_SETTING_RESULT` header.
pub const RESULT_HEADER_SIZE: u32 = 8;

/// Well-known setting ids.
pub mod id {
    pub const GAMER_YAXIS_INVERSION: u32 = 0x1004_0002;
    pub const OPTION_CONTROLLER_VIBRATION: u32 = 0x1004_0003;
    pub const GAMERCARD_ZONE: u32 = 0x1004_0004;
    pub const GAMER_DIFFICULTY: u32 = 0x1004_0015;
    pub const TITLE_SPECIFIC1: u32 = 0x63E8_3FFF;
    pub const TITLE_SPECIFIC2: u32 = 0x63E8_3FFE;
    pub const TITLE_SPECIFIC3: u32 = 0x63E8_3FFD;
}

/// A setting's value.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Int32(u32),
    Float(f32),
    Unicode(&'static str),
}

/// The defaults of a fresh profile's system settings.
const DEFAULTS: &[(u32, Value)] = &[
    (id::GAMER_YAXIS_INVERSION, Value::Int32(0)),
    // Vibration on (3).
    (id::OPTION_CONTROLLER_VIBRATION, Value::Int32(3)),
    // Zone: none (0; 1 recreation, 2 pro, 3 family, 4 underground).
    (id::GAMERCARD_ZONE, Value::Int32(0)),
    (0x1004_0005, Value::Int32(0)),           // gamercard region
    (0x1004_0006, Value::Int32(0xFA)),        // gamerscore
    (0x5004_000B, Value::Float(0.0)),         // reputation
    (0x1004_000C, Value::Int32(0)),           // voice muted
    (0x1004_000D, Value::Int32(0)),           // voice through speakers
    (0x1004_000E, Value::Int32(0x64)),        // voice volume
    (0x402C_0011, Value::Unicode("")),        // motto
    (0x1004_0012, Value::Int32(1)),           // titles played
    (0x1004_0013, Value::Int32(0)),           // achievements earned
    (id::GAMER_DIFFICULTY, Value::Int32(0)),  // normal
    (0x1004_0018, Value::Int32(0)),           // control sensitivity: medium
    (0x1004_001D, Value::Int32(0xFFFF_0000)), // preferred colour 1
    (0x1004_001E, Value::Int32(0xFF00_FF00)), // preferred colour 2
    (0x1004_0022, Value::Int32(1)),           // auto aim
    (0x1004_0023, Value::Int32(0)),           // auto centre
    (0x1004_0024, Value::Int32(0)),           // movement control: left stick
    (0x1004_0026, Value::Int32(0)),           // racing transmission: automatic
    (0x1004_0027, Value::Int32(0)),           // racing camera: behind
    (0x1004_0028, Value::Int32(0)),           // racing brake: trigger
    (0x1004_0029, Value::Int32(0)),           // racing accelerator: trigger
    (0x1004_0038, Value::Int32(0)),           // title gamerscore earned
    (0x1004_0039, Value::Int32(0)),           // title achievements earned
    (0x4064_000F, Value::Unicode("gamercard_picture_key")),
];

/// The data type packed in a setting id.
fn type_of(setting_id: u32) -> u8 {
    (setting_id >> 28) as u8
}

/// The largest value size packed in a setting id.
fn max_size_of(setting_id: u32) -> u32 {
    (setting_id >> 16) & 0xFFF
}

/// Whether a setting id is one of the title-specific ones.
pub fn is_title_specific(setting_id: u32) -> bool {
    setting_id & 0x3F00 == 0x3F00
}

/// The signed-in profile.
#[derive(Debug)]
pub struct Profile {
    pub xuid: u64,
    pub gamertag: String,
    /// Title-specific values by (title id, setting id), read from disk on
    /// first use; `None` when never written.
    title_settings: HashMap<(u32, u32), Option<Vec<u8>>>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile { xuid: OFFLINE_XUID, gamertag: DEFAULT_GAMERTAG.into(), title_settings: HashMap::new() }
    }
}

/// Where a title-specific setting is kept on the host.
fn setting_path(kernel: &Kernel, title_id: u32, setting_id: u32) -> Option<PathBuf> {
    let base = kernel.config.cache_dir.as_ref()?;
    Some(
        base.join("profiles")
            .join(format!("{:016X}", kernel.xam.profile.xuid))
            .join(format!("{title_id:08X}"))
            .join(format!("{setting_id:08X}.bin")),
    )
}

/// The stored value of a title-specific setting.
fn title_setting(kernel: &mut Kernel, title_id: u32, setting_id: u32) -> Option<Vec<u8>> {
    if let Some(v) = kernel.xam.profile.title_settings.get(&(title_id, setting_id)) {
        return v.clone();
    }
    let value = setting_path(kernel, title_id, setting_id).and_then(|p| std::fs::read(p).ok());
    kernel.xam.profile.title_settings.insert((title_id, setting_id), value.clone());
    value
}

fn store_title_setting(kernel: &mut Kernel, title_id: u32, setting_id: u32, value: Vec<u8>) {
    if let Some(path) = setting_path(kernel, title_id, setting_id) {
        let written =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, &value));
        if let Err(err) = written {
            tracing::warn!("profile setting {setting_id:08X} not saved to {}: {err}", path.display());
        }
    }
    kernel.xam.profile.title_settings.insert((title_id, setting_id), Some(value));
}

/// What one record says: source, data type, the inline value and the
/// out-of-line bytes (binary or UTF-16).
struct Entry {
    source: u32,
    data_type: u8,
    inline: u64,
    bytes: Vec<u8>,
}

fn lookup(kernel: &mut Kernel, title_id: u32, setting_id: u32) -> Option<Entry> {
    if is_title_specific(setting_id) {
        if type_of(setting_id) != data_type::BINARY {
            return None;
        }
        return Some(match title_setting(kernel, title_id, setting_id) {
            Some(bytes) => Entry { source: source::TITLE, data_type: data_type::BINARY, inline: 0, bytes },
            None => Entry { source: source::NO_VALUE, data_type: data_type::BINARY, inline: 0, bytes: Vec::new() },
        });
    }
    let (_, value) = DEFAULTS.iter().find(|(id, _)| *id == setting_id)?;
    Some(match value {
        Value::Int32(v) => {
            Entry { source: source::DEFAULT, data_type: data_type::INT32, inline: u64::from(*v) << 32, bytes: vec![] }
        }
        Value::Float(f) => Entry {
            source: source::DEFAULT,
            data_type: data_type::FLOAT,
            inline: u64::from(f.to_bits()) << 32,
            bytes: vec![],
        },
        Value::Unicode(s) => {
            let bytes = if s.is_empty() {
                Vec::new()
            } else {
                s.encode_utf16().chain([0]).flat_map(u16::to_be_bytes).collect()
            };
            Entry { source: source::DEFAULT, data_type: data_type::UNICODE, inline: 0, bytes }
        }
    })
}

/// Finishes a call: through the overlapped when there is one.
fn finish(kernel: &mut Kernel, ov: Option<VirtAddr>, call: Call, result: u32) -> u32 {
    match ov {
        Some(ov) => {
            overlapped::complete_immediate(kernel, call.thread, ov, result);
            error::IO_PENDING
        }
        None => result,
    }
}

/// `XamUserReadProfileSettings(TitleId, UserIndex, XuidCount, Xuids,
/// SettingCount, SettingIds, PDWORD BufferSize, Buffer, Overlapped)`.
#[allow(clippy::too_many_arguments)]
pub fn xam_user_read_profile_settings(
    kernel: &mut Kernel,
    title_id: u32,
    user_index: u32,
    xuid_count: u32,
    xuids: Option<VirtAddr>,
    setting_count: u32,
    setting_ids: Option<VirtAddr>,
    buffer_size: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let request = ReadRequest { title_id, user_index, xuid_count, xuids, setting_count, setting_ids };
    read(kernel, request, buffer_size, buffer, ov, call)
}

/// `XamUserReadProfileSettingsEx(TitleId, UserIndex, XuidCount, Xuids,
/// SettingCount, SettingIds, PDWORD BufferSize, Flags, Buffer, Overlapped)`.
#[allow(clippy::too_many_arguments)]
pub fn xam_user_read_profile_settings_ex(
    kernel: &mut Kernel,
    title_id: u32,
    user_index: u32,
    xuid_count: u32,
    xuids: Option<VirtAddr>,
    setting_count: u32,
    setting_ids: Option<VirtAddr>,
    buffer_size: Option<VirtAddr>,
    _flags: u32,
    buffer: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let request = ReadRequest { title_id, user_index, xuid_count, xuids, setting_count, setting_ids };
    read(kernel, request, buffer_size, buffer, ov, call)
}

struct ReadRequest {
    title_id: u32,
    user_index: u32,
    xuid_count: u32,
    xuids: Option<VirtAddr>,
    setting_count: u32,
    setting_ids: Option<VirtAddr>,
}

fn read(
    kernel: &mut Kernel,
    request: ReadRequest,
    buffer_size: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let m = kernel.memory.clone();
    if !(1..=32).contains(&request.setting_count) {
        return error::INVALID_PARAMETER;
    }
    let (Some(size_ptr), Some(ids_ptr)) = (buffer_size, request.setting_ids) else {
        return error::INVALID_PARAMETER;
    };
    let have = m.read_u32(size_ptr).unwrap_or(0);
    if have != 0 && buffer.is_none() {
        return error::INVALID_PARAMETER;
    }
    let ids: Vec<u32> = (0..request.setting_count).map(|i| m.read_u32(ids_ptr.add(4 * i)).unwrap_or(0)).collect();
    // One record per setting per profile asked about (the XUID list, or the one user).
    let owners: Vec<Option<u64>> = match request.xuids.filter(|_| request.xuid_count > 0) {
        Some(list) => (0..request.xuid_count.min(16)).map(|i| m.read_u64(list.add(8 * i)).ok()).collect(),
        None => vec![None],
    };
    let data_per_owner: u32 = ids
        .iter()
        .filter(|&&id| matches!(type_of(id), data_type::UNICODE | data_type::BINARY))
        .map(|&id| max_size_of(id))
        .sum();
    let records = ids.len() as u32 * owners.len() as u32;
    let needed = RESULT_HEADER_SIZE + records * record::SIZE + data_per_owner * owners.len() as u32;
    let Some(buffer) = buffer.filter(|_| have >= needed) else {
        let _ = m.write_u32(size_ptr, needed);
        return error::INSUFFICIENT_BUFFER;
    };
    if request.xuids.is_none() {
        let result = user::check_user(request.user_index);
        if result != error::SUCCESS {
            return finish(kernel, ov, call, result);
        }
    }
    let title_id = match request.title_id {
        0 | 0xFFFF_FFFF => system::current_title_id(kernel),
        id => id,
    };
    let mut entries = Vec::with_capacity(records as usize);
    for owner in &owners {
        for &setting_id in &ids {
            let Some(entry) = lookup(kernel, title_id, setting_id) else {
                tracing::warn!("XamUserReadProfileSettings: unknown setting {setting_id:08X}");
                return finish(kernel, ov, call, error::INVALID_PARAMETER);
            };
            let ours = owner.is_none_or(|x| x == kernel.xam.profile.xuid);
            let entry =
                if ours { entry } else { Entry { source: source::NO_VALUE, inline: 0, bytes: vec![], ..entry } };
            entries.push((*owner, setting_id, entry));
        }
    }
    let _ = m.fill(buffer, needed, 0);
    let first_record = buffer.add(RESULT_HEADER_SIZE);
    let _ = m.write_u32(buffer, records);
    let _ = m.write_u32(buffer.add(4), first_record.0);
    let mut data = first_record.add(records * record::SIZE);
    for (i, (owner, setting_id, entry)) in entries.into_iter().enumerate() {
        let at = first_record.add(i as u32 * record::SIZE);
        let _ = m.write_u32(at.add(record::SOURCE), entry.source);
        match owner {
            Some(xuid) => m.write_u64(at.add(record::USER), xuid),
            None => m.write_u32(at.add(record::USER), request.user_index),
        }
        .ok();
        let _ = m.write_u32(at.add(record::SETTING_ID), setting_id);
        let _ = m.write_u8(at.add(record::DATA_TYPE), entry.data_type);
        if matches!(entry.data_type, data_type::UNICODE | data_type::BINARY) {
            if !entry.bytes.is_empty() {
                let _ = m.write_u32(at.add(record::VALUE), entry.bytes.len() as u32);
                let _ = m.write_u32(at.add(record::VALUE_PTR), data.0);
                let _ = m.write_bytes(data, &entry.bytes);
                data = data.add(entry.bytes.len() as u32);
            }
        } else {
            let _ = m.write_u64(at.add(record::VALUE), entry.inline);
        }
    }
    finish(kernel, ov, call, error::SUCCESS)
}

/// `XamUserWriteProfileSettings(TitleId, UserIndex, SettingCount,
/// PXUSER_PROFILE_SETTING Settings, Overlapped)`: stores the
/// title-specific settings (binary, at most their id's size); any other id
/// is refused with `ERROR_ACCESS_DENIED` and nothing is written.
pub fn xam_user_write_profile_settings(
    kernel: &mut Kernel,
    title_id: u32,
    user_index: u32,
    setting_count: u32,
    settings: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let Some(settings) = settings.filter(|_| setting_count > 0) else { return error::INVALID_PARAMETER };
    let result = user::check_user(user_index);
    if result != error::SUCCESS {
        return finish(kernel, ov, call, result);
    }
    let m = kernel.memory.clone();
    let mut writes = Vec::new();
    for i in 0..setting_count.min(64) {
        let at = settings.add(i * record::SIZE);
        let setting_id = m.read_u32(at.add(record::SETTING_ID)).unwrap_or(0);
        let kind = m.read_u8(at.add(record::DATA_TYPE)).unwrap_or(data_type::NULL);
        if !is_title_specific(setting_id) {
            return finish(kernel, ov, call, error::ACCESS_DENIED);
        }
        if kind != data_type::BINARY {
            return finish(kernel, ov, call, error::INVALID_PARAMETER);
        }
        let size = m.read_u32(at.add(record::VALUE)).unwrap_or(0);
        let ptr = m.read_u32(at.add(record::VALUE_PTR)).unwrap_or(0);
        if size > max_size_of(setting_id) {
            return finish(kernel, ov, call, error::INVALID_PARAMETER);
        }
        let mut bytes = vec![0; size as usize];
        if ptr != 0 && m.read_bytes(VirtAddr(ptr), &mut bytes).is_err() {
            return finish(kernel, ov, call, error::INVALID_PARAMETER);
        }
        writes.push((setting_id, bytes));
    }
    let title_id = match title_id {
        0 | 0xFFFF_FFFF => system::current_title_id(kernel),
        id => id,
    };
    for (setting_id, bytes) in writes {
        store_title_setting(kernel, title_id, setting_id, bytes);
    }
    finish(kernel, ov, call, error::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::TempDir;
    use crate::threading::testing::{call_from, kernel_with_thread};

    const SIZE: VirtAddr = VirtAddr(0x1000);
    const IDS: VirtAddr = VirtAddr(0x1100);
    const BUF: VirtAddr = VirtAddr(0x2000);

    fn ask(k: &mut Kernel, ids: &[u32], size: u32, ov: Option<VirtAddr>, t: u32) -> u32 {
        for (i, id) in ids.iter().enumerate() {
            k.memory.write_u32(IDS.add(4 * i as u32), *id).unwrap();
        }
        k.memory.write_u32(SIZE, size).unwrap();
        let buf = (size > 0).then_some(BUF);
        xam_user_read_profile_settings(k, 0, 0, 0, None, ids.len() as u32, Some(IDS), Some(SIZE), buf, ov, call_from(t))
    }

    fn record_at(i: u32) -> VirtAddr {
        BUF.add(RESULT_HEADER_SIZE + i * record::SIZE)
    }

    #[test]
    fn a_small_buffer_gets_the_size_needed() {
        let (mut k, t) = kernel_with_thread();
        let r = ask(&mut k, &[id::GAMERCARD_ZONE, id::TITLE_SPECIFIC1], 0, None, t);
        assert_eq!(r, error::INSUFFICIENT_BUFFER);
        assert_eq!(k.memory.read_u32(SIZE).unwrap(), 8 + 2 * 40 + 1000);
    }

    #[test]
    fn system_settings_read_as_a_fresh_profile() {
        let (mut k, t) = kernel_with_thread();
        let ids =
            [id::GAMERCARD_ZONE, id::OPTION_CONTROLLER_VIBRATION, id::GAMER_YAXIS_INVERSION, id::GAMER_DIFFICULTY];
        assert_eq!(ask(&mut k, &ids, 0x400, None, t), error::SUCCESS);
        assert_eq!(k.memory.read_u32(BUF).unwrap(), 4);
        assert_eq!(k.memory.read_u32(BUF.add(4)).unwrap(), BUF.0 + 8);
        let r = record_at(1);
        assert_eq!(k.memory.read_u32(r.add(record::SOURCE)).unwrap(), source::DEFAULT);
        assert_eq!(k.memory.read_u32(r.add(record::SETTING_ID)).unwrap(), id::OPTION_CONTROLLER_VIBRATION);
        assert_eq!(k.memory.read_u8(r.add(record::DATA_TYPE)).unwrap(), data_type::INT32);
        assert_eq!(k.memory.read_u32(r.add(record::VALUE)).unwrap(), 3);
        assert_eq!(k.memory.read_u32(record_at(3).add(record::VALUE)).unwrap(), 0);
    }

    #[test]
    fn unset_title_settings_have_no_value_and_unknown_ids_fail() {
        let (mut k, t) = kernel_with_thread();
        assert_eq!(ask(&mut k, &[id::TITLE_SPECIFIC2], 0x800, None, t), error::SUCCESS);
        let r = record_at(0);
        assert_eq!(k.memory.read_u32(r.add(record::SOURCE)).unwrap(), source::NO_VALUE);
        assert_eq!(k.memory.read_u32(r.add(record::VALUE)).unwrap(), 0);
        assert_eq!(ask(&mut k, &[0x1004_3333], 0x800, None, t), error::INVALID_PARAMETER);
        assert_eq!(ask(&mut k, &[], 0x800, None, t), error::INVALID_PARAMETER);
    }

    #[test]
    fn a_written_title_setting_reads_back_and_survives_a_new_session() {
        let cache = TempDir::new("profile");
        let (mut k, t) = kernel_with_thread();
        k.config.cache_dir = Some(cache.0.clone());
        let (setting, value) = (VirtAddr(0x3000), VirtAddr(0x3100));
        k.memory.fill(setting, record::SIZE, 0).unwrap();
        k.memory.write_u32(setting.add(record::SETTING_ID), id::TITLE_SPECIFIC1).unwrap();
        k.memory.write_u8(setting.add(record::DATA_TYPE), data_type::BINARY).unwrap();
        k.memory.write_u32(setting.add(record::VALUE), 5).unwrap();
        k.memory.write_u32(setting.add(record::VALUE_PTR), value.0).unwrap();
        k.memory.write_bytes(value, b"hello").unwrap();
        let ov = VirtAddr(0x3800);
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        let r = xam_user_write_profile_settings(&mut k, 0, 0, 1, Some(setting), Some(ov), call_from(t));
        assert_eq!(r, error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov).unwrap(), error::SUCCESS);

        let (mut k2, t2) = kernel_with_thread();
        k2.config.cache_dir = Some(cache.0.clone());
        assert_eq!(ask(&mut k2, &[id::TITLE_SPECIFIC1], 0x800, Some(ov), t2), error::IO_PENDING);
        assert_eq!(k2.memory.read_u32(ov).unwrap(), error::SUCCESS);
        let r = record_at(0);
        assert_eq!(k2.memory.read_u32(r.add(record::SOURCE)).unwrap(), source::TITLE);
        assert_eq!(k2.memory.read_u32(r.add(record::VALUE)).unwrap(), 5);
        let ptr = VirtAddr(k2.memory.read_u32(r.add(record::VALUE_PTR)).unwrap());
        assert_eq!(ptr, BUF.add(8 + 40));
        let mut got = [0; 5];
        k2.memory.read_bytes(ptr, &mut got).unwrap();
        assert_eq!(&got, b"hello");
    }

    #[test]
    fn system_settings_cannot_be_written_and_other_users_do_not_exist() {
        let (mut k, t) = kernel_with_thread();
        let setting = VirtAddr(0x3000);
        k.memory.fill(setting, record::SIZE, 0).unwrap();
        k.memory.write_u32(setting.add(record::SETTING_ID), id::GAMER_DIFFICULTY).unwrap();
        k.memory.write_u8(setting.add(record::DATA_TYPE), data_type::INT32).unwrap();
        assert_eq!(xam_user_write_profile_settings(&mut k, 0, 0, 1, Some(setting), None, call_from(t)), 5);
        assert_eq!(xam_user_write_profile_settings(&mut k, 0, 1, 1, Some(setting), None, call_from(t)), 0x525);
        assert_eq!(xam_user_write_profile_settings(&mut k, 0, 0, 0, Some(setting), None, call_from(t)), 0x57);
    }
}
