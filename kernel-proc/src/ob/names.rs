//! Object names: `OBJECT_ATTRIBUTES` as titles pass them, and the table of
//! named objects (names compare without regard to ASCII case).
//!
//! Guest layouts (xenia `xbox.h`; its comment on `attributes` says 0xC but
//! the field is at 0x8):
//! - `OBJECT_ATTRIBUTES` (0xC bytes): `RootDirectory` 0x0, `ObjectName`
//!   (pointer to an `ANSI_STRING`) 0x4, `Attributes` 0x8.
//! - `ANSI_STRING` (8 bytes): `Length` u16 0x0, `MaximumLength` u16 0x2,
//!   `Buffer` 0x4.

use super::{ObjectId, ObjectType};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::HashMap;

/// `OBJECT_ATTRIBUTES.ObjectName`.
pub const ATTRIBUTES_NAME: u32 = 0x4;

/// Named objects, keyed by lower-cased name.
#[derive(Debug, Default)]
pub struct NameTable {
    names: HashMap<String, ObjectId>,
}

impl NameTable {
    pub fn insert(&mut self, name: &str, id: ObjectId) {
        self.names.insert(name.to_ascii_lowercase(), id);
    }

    pub fn remove(&mut self, name: &str) {
        self.names.remove(&name.to_ascii_lowercase());
    }

    pub fn find(&self, name: &str) -> Option<ObjectId> {
        self.names.get(&name.to_ascii_lowercase()).copied()
    }
}

/// Reads an `ANSI_STRING` at `addr`.
pub fn read_ansi_string(memory: &GuestMemory, addr: VirtAddr) -> Result<String, NtStatus> {
    let len = memory.read_u16(addr).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let buffer = memory.read_u32(addr.add(4)).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let mut bytes = vec![0; len as usize];
    if len > 0 {
        memory.read_bytes(VirtAddr(buffer), &mut bytes).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    }
    Ok(bytes.iter().map(|&b| b as char).collect())
}

/// The name in an `OBJECT_ATTRIBUTES`, if it has a non-empty one.
pub fn attributes_name(memory: &GuestMemory, attrs: Option<VirtAddr>) -> Result<Option<String>, NtStatus> {
    let Some(attrs) = attrs else { return Ok(None) };
    let name_ptr = memory.read_u32(attrs.add(ATTRIBUTES_NAME)).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    if name_ptr == 0 {
        return Ok(None);
    }
    let name = read_ansi_string(memory, VirtAddr(name_ptr))?;
    Ok((!name.is_empty()).then_some(name))
}

/// What a create call with `OBJECT_ATTRIBUTES` should do.
pub enum Creation {
    /// A same-typed object has the name: a new handle to it was opened
    /// (`OBJECT_NAME_EXISTS`).
    Opened(u32),
    /// Create a new object, then name it with this (if any).
    Create(Option<String>),
}

/// The first half of every `NtCreate*` that takes a name: an existing
/// object of type `ty` is opened, another type is a collision.
pub fn open_if_named(kernel: &mut Kernel, attrs: Option<VirtAddr>, ty: ObjectType) -> Result<Creation, NtStatus> {
    let Some(name) = attributes_name(&kernel.memory, attrs)? else { return Ok(Creation::Create(None)) };
    let Some(id) = kernel.objects.find_name(&name) else { return Ok(Creation::Create(Some(name))) };
    if kernel.objects.get(id).map(|o| o.ty) != Some(ty) {
        return Err(NtStatus::OBJECT_NAME_COLLISION);
    }
    let handle = kernel.objects.add_handle(&kernel.memory, id)?;
    Ok(Creation::Opened(handle))
}

/// The second half: gives the new object `id` a handle and its name, writes
/// the handle to `handle_out`. On failure the object is released.
pub fn finish_create(
    kernel: &mut Kernel,
    id: ObjectId,
    name: Option<String>,
    handle_out: Option<VirtAddr>,
) -> Result<u32, NtStatus> {
    let handle = kernel.objects.add_handle(&kernel.memory, id)?;
    if let Some(name) = name {
        let status = kernel.objects.set_name(id, &name);
        if !status.is_success() {
            kernel.objects.close(&kernel.memory, handle);
            return Err(status);
        }
    }
    if let Some(out) = handle_out {
        kernel.memory.write_u32(out, handle).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    }
    Ok(handle)
}

/// Writes the handle of an [`Creation::Opened`] result and gives the
/// status a create call returns for it.
pub fn report_opened(kernel: &mut Kernel, handle: u32, handle_out: Option<VirtAddr>) -> NtStatus {
    if let Some(out) = handle_out {
        if kernel.memory.write_u32(out, handle).is_err() {
            kernel.objects.close(&kernel.memory, handle);
            return NtStatus::ACCESS_VIOLATION;
        }
    }
    NtStatus::OBJECT_NAME_EXISTS
}

/// Writes an `ANSI_STRING` and its text into guest memory at `at` (the text
/// follows the 8-byte string header). For tests and kernel-built attributes.
pub fn write_ansi_string(memory: &GuestMemory, at: VirtAddr, text: &str) {
    let _ = memory.write_u16(at, text.len() as u16);
    let _ = memory.write_u16(at.add(2), text.len() as u16);
    let _ = memory.write_u32(at.add(4), at.0 + 8);
    let _ = memory.write_bytes(at.add(8), text.as_bytes());
}

/// Builds `OBJECT_ATTRIBUTES` naming `name` at `at` (0x40 bytes and more
/// are used). For tests.
pub fn write_object_attributes(memory: &GuestMemory, at: VirtAddr, name: &str) -> VirtAddr {
    let _ = memory.write_u32(at, 0);
    let _ = memory.write_u32(at.add(ATTRIBUTES_NAME), at.0 + 0x10);
    let _ = memory.write_u32(at.add(8), 0);
    write_ansi_string(memory, at.add(0x10), name);
    at
}
