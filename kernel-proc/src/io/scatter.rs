//! `NtReadFileScatter`: one read spread over page-sized buffers.
//!
//! The segment array holds one 32-bit buffer address per 4 KiB page of the
//! transfer (xenia `xfile.cc`, `ReadScatter`): bytes `4096·i ..` of the read
//! land in segment `i`, the last segment taking what is left. Offsets,
//! positions, end of file and completion (status block, event, APC) work as
//! in [`super::read_write`].

use super::read_write::{read_into, Completion};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// Bytes one segment element covers.
pub const SEGMENT_SIZE: u32 = 0x1000;

/// Reads a page at a time, each into the buffer its segment names.
fn read_scatter(
    kernel: &mut Kernel,
    handle: u32,
    segments: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: &Call,
) -> Result<u32, NtStatus> {
    read_into(kernel, handle, length, byte_offset, call, SEGMENT_SIZE, |kernel, done| {
        Ok(VirtAddr(kernel.memory.r32(segments.add(4 * (done / SEGMENT_SIZE)))?))
    })
}

/// `NtReadFileScatter(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE
/// ApcRoutine, PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
/// PFILE_SEGMENT_ELEMENT SegmentArray, ULONG Length, PLARGE_INTEGER
/// ByteOffset)`.
#[allow(clippy::too_many_arguments)]
pub fn nt_read_file_scatter(
    kernel: &mut Kernel,
    handle: u32,
    event: u32,
    apc_routine: u32,
    apc_context: u32,
    iosb: Option<VirtAddr>,
    segments: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let done = Completion { event, apc_routine, apc_context, iosb };
    done.run(kernel, &call, |kernel| {
        Ok((NtStatus::SUCCESS, read_scatter(kernel, handle, segments, length, byte_offset, &call)?))
    })
}

#[cfg(test)]
mod tests {
    use super::super::create::tests::{open_read, setup, IOSB};
    use super::*;
    use crate::threading::testing::call_from;

    const SEGMENTS: VirtAddr = VirtAddr(0x2000);
    const PAGES: [u32; 2] = [0x6000, 0x4000];
    const OFF: VirtAddr = VirtAddr(0x1020);

    #[test]
    fn each_page_of_the_read_lands_in_its_own_segment() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\data\\numbers.bin");
        for (i, p) in PAGES.iter().enumerate() {
            k.memory.write_u32(SEGMENTS.add(4 * i as u32), *p).unwrap();
        }
        k.memory.write_u64(OFF, 10).unwrap();
        let s = nt_read_file_scatter(&mut k, h, 0, 0, 0, Some(IOSB), SEGMENTS, 0x2000, Some(OFF), call_from(t));
        assert_eq!(s, NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(IOSB.add(4)).unwrap(), 246, "the file has 256 bytes");
        assert_eq!(k.memory.read_u8(VirtAddr(PAGES[0])).unwrap(), 10);
        assert_eq!(k.memory.read_u8(VirtAddr(PAGES[0] + 245)).unwrap(), 255);
        let again = nt_read_file_scatter(&mut k, h, 0, 0, 0, Some(IOSB), SEGMENTS, 0x2000, None, call_from(t));
        assert_eq!(again, NtStatus::END_OF_FILE, "the position moved to the end");
    }

    #[test]
    fn a_bad_handle_fails_and_writes_the_status_block() {
        let (mut k, t, _a, _b) = setup();
        let s = nt_read_file_scatter(&mut k, 0x4242, 0, 0, 0, Some(IOSB), SEGMENTS, 0x1000, None, call_from(t));
        assert_eq!(s, NtStatus::INVALID_HANDLE);
        assert_eq!(k.memory.read_u32(IOSB).unwrap(), NtStatus::INVALID_HANDLE.0);
    }
}
