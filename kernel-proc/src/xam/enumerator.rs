//! XAM enumerators: a handle over a fixed list of equally sized records
//! that `XamEnumerate` hands out a batch at a time, then
//! `ERROR_NO_MORE_FILES` (xenia `xenumerator.cc`, `xam_enum.cc`).

use super::error;
use super::overlapped;
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// One enumerator's records and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enumerator {
    pub item_size: u32,
    pub items_per_enumerate: u32,
    /// The records, back to back.
    pub items: Vec<u8>,
    /// Records handed out so far.
    pub position: u32,
}

impl Enumerator {
    pub fn item_count(&self) -> u32 {
        (self.items.len() as u32).checked_div(self.item_size).unwrap_or(0)
    }
}

/// Creates an enumerator object and returns a handle to it.
pub fn create(kernel: &mut Kernel, item_size: u32, items_per_enumerate: u32, items: Vec<u8>) -> Result<u32, NtStatus> {
    let memory = kernel.memory.clone();
    let id = kernel.objects.create(&memory, ObjectType::Other, 0x10)?;
    kernel.xam.enumerators.insert(id, Enumerator { item_size, items_per_enumerate, items, position: 0 });
    match kernel.objects.add_handle(&memory, id) {
        Ok(handle) => Ok(handle),
        Err(e) => {
            kernel.xam.enumerators.remove(&id);
            Err(e)
        }
    }
}

/// Writes the next batch into `buffer`: (win32 result, records written).
fn next_batch(kernel: &mut Kernel, handle: u32, buffer: Option<VirtAddr>, buffer_length: u32) -> (u32, u32) {
    let Some(id) = kernel.objects.lookup(handle) else { return (error::INVALID_HANDLE, 0) };
    let Some(e) = kernel.xam.enumerators.get_mut(&id) else { return (error::INVALID_HANDLE, 0) };
    let Some(buffer) = buffer else { return (error::INVALID_PARAMETER, 0) };
    let count = (e.item_count() - e.position).min(e.items_per_enumerate.max(1));
    if count == 0 {
        return (error::NO_MORE_FILES, 0);
    }
    if buffer_length < count * e.item_size {
        return (error::INSUFFICIENT_BUFFER, 0);
    }
    let start = (e.position * e.item_size) as usize;
    let bytes = &e.items[start..start + (count * e.item_size) as usize];
    if kernel.memory.write_bytes(buffer, bytes).is_err() {
        return (error::INVALID_PARAMETER, 0);
    }
    e.position += count;
    (error::SUCCESS, count)
}

/// `XamEnumerate(HANDLE Enumerator, DWORD Flags, PVOID Buffer, DWORD
/// BufferSize, PDWORD ItemsReturned, PXOVERLAPPED Overlapped)`: synchronous
/// with `ItemsReturned`, otherwise completed through the overlapped.
#[allow(clippy::too_many_arguments)]
pub fn xam_enumerate(
    kernel: &mut Kernel,
    handle: u32,
    _flags: u32,
    buffer: Option<VirtAddr>,
    buffer_length: u32,
    items_returned: Option<VirtAddr>,
    overlapped: Option<VirtAddr>,
    call: Call,
) -> u32 {
    if kernel.objects.lookup(handle).is_none_or(|id| !kernel.xam.enumerators.contains_key(&id)) {
        return error::INVALID_HANDLE;
    }
    let (result, count) = next_batch(kernel, handle, buffer, buffer_length);
    match (items_returned, overlapped) {
        (Some(out), _) => {
            let _ = kernel.memory.write_u32(out, if result == error::SUCCESS { count } else { 0 });
            result
        }
        (None, Some(ov)) => {
            overlapped::complete(kernel, call.thread, ov, result, error::hresult(result), count);
            error::IO_PENDING
        }
        (None, None) => error::INVALID_PARAMETER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{apcs, call_from, kernel_with_thread};

    #[test]
    fn batches_come_out_in_order_then_no_more_files() {
        let (mut k, t) = kernel_with_thread();
        let items: Vec<u8> = (0..5u8).flat_map(|i| [i; 4]).collect();
        let h = create(&mut k, 4, 2, items).unwrap();
        let (buf, n) = (VirtAddr(0x1000), VirtAddr(0x1100));
        let run = |k: &mut Kernel| xam_enumerate(k, h, 0, Some(buf), 64, Some(n), None, call_from(t));
        assert_eq!(run(&mut k), error::SUCCESS);
        assert_eq!(k.memory.read_u32(n).unwrap(), 2);
        assert_eq!(k.memory.read_u64(buf).unwrap(), 0x0000_0000_0101_0101);
        assert_eq!(run(&mut k), error::SUCCESS);
        assert_eq!(run(&mut k), error::SUCCESS);
        assert_eq!(k.memory.read_u32(n).unwrap(), 1);
        assert_eq!(k.memory.read_u32(buf).unwrap(), 0x0404_0404);
        assert_eq!(run(&mut k), error::NO_MORE_FILES);
        assert_eq!(k.memory.read_u32(n).unwrap(), 0);
        assert_eq!(xam_enumerate(&mut k, 0xDEAD, 0, Some(buf), 64, Some(n), None, call_from(t)), error::INVALID_HANDLE);
    }

    #[test]
    fn overlapped_enumeration_completes_with_an_apc() {
        let (mut k, t) = kernel_with_thread();
        let h = create(&mut k, 8, 1, Vec::new()).unwrap();
        let ov = VirtAddr(0x2000);
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        k.memory.write_u32(ov.add(overlapped::COMPLETION_ROUTINE), 0x8200_1000).unwrap();
        let r = xam_enumerate(&mut k, h, 0, Some(VirtAddr(0x1000)), 8, None, Some(ov), call_from(t));
        assert_eq!(r, error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::RESULT)).unwrap(), error::NO_MORE_FILES);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::EXTENDED_ERROR)).unwrap(), 0x8007_0012);
        // Delivered when the thread next waits alertably.
        let queued = k.threads.get(t).unwrap().user_apcs.len();
        assert!(queued == 1 || apcs(&k).iter().any(|a| a.1 == 0x8200_1000));
    }
}
