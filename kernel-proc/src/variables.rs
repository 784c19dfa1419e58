//! Variable exports: data the kernel owns in guest memory and titles reach
//! through their import records (`XboxHardwareInfo`, `XboxKrnlVersion`,
//! `KeTimeStampBundle`, …).
//!
//! Each imported variable gets a block from the kernel pool the first time
//! the loader binds it. The known ones are filled as the console fills them
//! (layouts and values from xenia `xboxkrnl_module.cc`); the others are
//! zeroed blocks, logged by name so a title that reads one is easy to spot.

use crate::exports::{Export, EXPORTS};
use crate::kernel::Kernel;
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::memory::VirtAddr;
use std::collections::HashMap;

/// Size of the block given to a variable the kernel does not know.
const UNKNOWN_SIZE: u32 = 64;
/// `ExLoadedCommandLine` and `ExLoadedImageName` buffer sizes.
const COMMAND_LINE_SIZE: u32 = 1024;
const IMAGE_NAME_SIZE: u32 = 256;

/// Addresses of the variable exports bound so far, by export index.
#[derive(Debug, Default)]
pub struct Variables {
    by_export: HashMap<usize, VirtAddr>,
    time_stamp_bundle: Option<VirtAddr>,
}

impl Variables {
    /// The `KeTimeStampBundle` block, if a title imported it.
    pub fn time_stamp_bundle(&self) -> Option<VirtAddr> {
        self.time_stamp_bundle
    }
}

/// The guest address of variable export `index`, allocating and filling
/// its block on first use.
pub fn address_of(kernel: &mut Kernel, index: usize) -> Result<VirtAddr, NtStatus> {
    if let Some(&addr) = kernel.variables.by_export.get(&index) {
        return Ok(addr);
    }
    let export: &Export = EXPORTS.get(index).ok_or(NtStatus::INVALID_PARAMETER)?;
    let size = match export.name {
        "XboxHardwareInfo" => 16,
        "XboxKrnlVersion" | "XboxKrnlBaseVersion" => 8,
        "KeDebugMonitorData" | "KeCertMonitorData" | "ExConsoleGameRegion" | "XexExecutableModuleHandle" => 4,
        "KeTimeStampBundle" => 24,
        "ExLoadedCommandLine" => COMMAND_LINE_SIZE,
        "ExLoadedImageName" => IMAGE_NAME_SIZE,
        name => crate::video::variables::size_of(name).unwrap_or(UNKNOWN_SIZE),
    };
    let memory = kernel.memory.clone();
    let addr = kernel.mm.pool_alloc(&memory, size).ok_or(NtStatus::NO_MEMORY)?;
    memory.fill(addr, size, 0).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let w =
        |offset: u32, bytes: &[u8]| memory.write_bytes(addr.add(offset), bytes).map_err(|_| NtStatus::ACCESS_VIOLATION);
    match export.name {
        // Flags 0x20 (storage initialised), six hardware threads.
        "XboxHardwareInfo" => {
            w(0, &0x20u32.to_be_bytes())?;
            w(4, &[6])?;
        }
        // 2.0.65535.65535 with the QFE byte 0x80: titles only check >=.
        "XboxKrnlVersion" | "XboxKrnlBaseVersion" => w(0, &[0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00])?,
        // Every region bit set.
        "ExConsoleGameRegion" => w(0, &[0xFF; 4])?,
        "ExLoadedCommandLine" => w(0, b"\"default.xex\"")?,
        "ExLoadedImageName" => w(0, b"\\Device\\Cdrom0\\default.xex")?,
        "KeTimeStampBundle" => kernel.variables.time_stamp_bundle = Some(addr),
        "XexExecutableModuleHandle" => w(0, &crate::modules::title_handle(kernel).to_be_bytes())?,
        "KeDebugMonitorData" | "KeCertMonitorData" => {}
        name if crate::video::variables::size_of(name).is_some() => {
            crate::video::variables::fill(kernel, name, addr);
        }
        // The address of an object-type export is how Ob* calls name a type.
        name if object_type(name).is_some() => {
            kernel.objects.set_type_object(object_type(name).expect("checked"), addr);
        }
        other => tracing::debug!("variable export {other} bound to a zeroed {UNKNOWN_SIZE}-byte block at {addr}"),
    }
    kernel.variables.by_export.insert(index, addr);
    Ok(addr)
}

/// The object type an `Ex…ObjectType`-style export stands for.
fn object_type(name: &str) -> Option<ObjectType> {
    use ObjectType::*;
    [Event, Semaphore, Mutant, Timer, Thread, File, IoCompletion, SymbolicLink]
        .into_iter()
        .find(|ty| ty.type_export() == Some(name))
}

/// Refreshes the time fields of `KeTimeStampBundle` (uptime in ms at +16,
/// interrupt time at +0, system time at +8), as the console's clock
/// interrupt does every millisecond; the event loop calls it each turn.
pub fn tick(kernel: &Kernel) {
    if let Some(bundle) = kernel.variables.time_stamp_bundle {
        let elapsed = kernel.clock.elapsed();
        let _ = kernel.memory.write_u64(bundle, (elapsed.as_nanos() / 100) as u64);
        let _ = kernel.memory.write_u64(bundle.add(8), kernel.clock.system_time());
        let _ = kernel.memory.write_u32(bundle.add(16), elapsed.as_millis() as u32);
    }
}
