//! `NtReadFile`, `NtWriteFile`, `NtFlushBuffersFile`,
//! `NtDeviceIoControlFile`, and the completion every I/O export shares.
//!
//! Reads and writes happen at once. A null offset (or the
//! `FILE_USE_FILE_POINTER_POSITION` value) means the file's position, which
//! moves past the bytes transferred. A zero-length read succeeds; a read at
//! or past the end is `END_OF_FILE`. Completion writes the
//! `IO_STATUS_BLOCK`, signals the caller's event and queues its APC
//! (`routine(ApcContext, IoStatusBlock, 0)`; the routine's low bit is a
//! flag, not part of the address) on the calling thread.

use super::create::{file_id, write_iosb};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `FILE_USE_FILE_POINTER_POSITION` as a byte offset.
const USE_FILE_POINTER: u64 = 0xFFFF_FFFF_FFFF_FFFE;
/// Largest transfer done in one host read (the rest follows in a loop).
const CHUNK: usize = 1 << 20;

/// How the caller wants to hear about completion.
#[derive(Clone, Copy, Debug)]
pub struct Completion {
    pub event: u32,
    pub apc_routine: u32,
    pub apc_context: u32,
    pub iosb: Option<VirtAddr>,
}

impl Completion {
    /// Runs a request that completes at once: checks the event handle,
    /// performs `transfer` (its status and the bytes it moved, or the
    /// failure), then completes through the status block, event and APC.
    pub fn run(
        self,
        kernel: &mut Kernel,
        call: &Call,
        transfer: impl FnOnce(&mut Kernel) -> Result<(NtStatus, u32), NtStatus>,
    ) -> NtStatus {
        if let Err(e) = self.check(kernel, call) {
            write_iosb(kernel, self.iosb, e, 0);
            return e;
        }
        let (status, information) = transfer(kernel).unwrap_or_else(|e| (e, 0));
        self.finish(kernel, call, status, information)
    }

    /// Checks the event handle before the request starts.
    pub fn check(&self, kernel: &Kernel, call: &Call) -> Result<(), NtStatus> {
        if self.event != 0 {
            crate::ob::resolve_typed(kernel, self.event, call.thread, ObjectType::Event)?;
        }
        Ok(())
    }

    /// Reports the outcome: IOSB, event, APC. Returns `status`.
    pub fn finish(self, kernel: &mut Kernel, call: &Call, status: NtStatus, information: u32) -> NtStatus {
        write_iosb(kernel, self.iosb, status, information);
        if self.event != 0 {
            crate::ob::signal_event_by_handle(kernel, self.event);
        }
        let routine = self.apc_routine & !1;
        if routine != 0 {
            let iosb = self.iosb.map_or(0, |a| a.0);
            crate::threading::queue_user_apc(kernel, call.thread, routine, [self.apc_context, iosb, 0]);
        }
        status
    }
}

/// The byte offset a request names.
fn offset(kernel: &Kernel, byte_offset: Option<VirtAddr>, position: u64) -> Result<u64, NtStatus> {
    match byte_offset {
        None => Ok(position),
        Some(p) => match kernel.memory.r64(p)? {
            USE_FILE_POINTER | u64::MAX => Ok(position),
            v if (v as i64) < 0 => Err(NtStatus::INVALID_PARAMETER),
            v => Ok(v),
        },
    }
}

fn read(
    kernel: &mut Kernel,
    handle: u32,
    buffer: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: &Call,
) -> Result<u32, NtStatus> {
    read_into(kernel, handle, length, byte_offset, call, CHUNK as u32, |_, done| Ok(buffer.add(done)))
}

/// Reads `length` bytes of the file at `byte_offset` (or its position)
/// in pieces of at most `piece` bytes, each to the guest address `dest`
/// gives for the bytes read so far, and moves the file position on. A
/// short piece ends the read; reading nothing at all is end of file.
pub(super) fn read_into(
    kernel: &mut Kernel,
    handle: u32,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: &Call,
    piece: u32,
    dest: impl Fn(&Kernel, u32) -> Result<VirtAddr, NtStatus>,
) -> Result<u32, NtStatus> {
    let id = file_id(kernel, handle, call.thread)?;
    let file = &kernel.io.files[&id];
    if file.is_dir {
        return Err(NtStatus::INVALID_DEVICE_REQUEST);
    }
    let at = offset(kernel, byte_offset, file.position)?;
    if length == 0 {
        return Ok(0);
    }
    let mut done = 0u32;
    let mut chunk = vec![0u8; length.min(piece) as usize];
    while done < length {
        let want = (length - done).min(piece) as usize;
        let n = kernel.io.read_at(file, at + done as u64, &mut chunk[..want])?;
        kernel.memory.write_all(dest(kernel, done)?, &chunk[..n])?;
        done += n as u32;
        if n < want {
            break;
        }
    }
    if done == 0 {
        return Err(NtStatus::END_OF_FILE);
    }
    kernel.io.files.get_mut(&id).expect("looked up above").position = at + done as u64;
    Ok(done)
}

fn write(
    kernel: &mut Kernel,
    handle: u32,
    buffer: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: &Call,
) -> Result<u32, NtStatus> {
    use std::os::unix::fs::FileExt;
    let id = file_id(kernel, handle, call.thread)?;
    let file = &kernel.io.files[&id];
    if file.is_dir {
        return Err(NtStatus::INVALID_DEVICE_REQUEST);
    }
    let host = file.host.as_ref().filter(|_| file.can_write).ok_or(NtStatus::ACCESS_DENIED)?;
    let at = offset(kernel, byte_offset, file.position)?;
    let data = kernel.memory.read_vec(buffer, length)?;
    host.write_all_at(&data, at).map_err(|_| NtStatus::UNSUCCESSFUL)?;
    kernel.io.files.get_mut(&id).expect("looked up above").position = at + length as u64;
    Ok(length)
}

/// `NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
/// PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG
/// Length, PLARGE_INTEGER ByteOffset)`.
#[allow(clippy::too_many_arguments)]
pub fn nt_read_file(
    kernel: &mut Kernel,
    handle: u32,
    event: u32,
    apc_routine: u32,
    apc_context: u32,
    iosb: Option<VirtAddr>,
    buffer: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let done = Completion { event, apc_routine, apc_context, iosb };
    done.run(kernel, &call, |kernel| Ok((NtStatus::SUCCESS, read(kernel, handle, buffer, length, byte_offset, &call)?)))
}

/// `NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
/// PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG
/// Length, PLARGE_INTEGER ByteOffset)`: only files of a writable device
/// opened for writing take writes.
#[allow(clippy::too_many_arguments)]
pub fn nt_write_file(
    kernel: &mut Kernel,
    handle: u32,
    event: u32,
    apc_routine: u32,
    apc_context: u32,
    iosb: Option<VirtAddr>,
    buffer: VirtAddr,
    length: u32,
    byte_offset: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let done = Completion { event, apc_routine, apc_context, iosb };
    done.run(kernel, &call, |kernel| {
        Ok((NtStatus::SUCCESS, write(kernel, handle, buffer, length, byte_offset, &call)?))
    })
}

/// `NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)`.
pub fn nt_flush_buffers_file(kernel: &mut Kernel, handle: u32, iosb: Option<VirtAddr>, call: Call) -> NtStatus {
    let status = match file_id(kernel, handle, call.thread) {
        Ok(id) => {
            if let Some(host) = &kernel.io.files[&id].host {
                let _ = host.sync_data();
            }
            NtStatus::SUCCESS
        }
        Err(e) => e,
    };
    write_iosb(kernel, iosb, status, 0);
    status
}

/// `NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE
/// ApcRoutine, PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG
/// IoControlCode, PVOID InputBuffer, ULONG InputLength, PVOID OutputBuffer,
/// ULONG OutputLength)`: no device control is modelled; every request is
/// answered `STATUS_NOT_SUPPORTED` (and logged with its code).
#[allow(clippy::too_many_arguments)]
pub fn nt_device_io_control_file(
    kernel: &mut Kernel,
    handle: u32,
    event: u32,
    apc_routine: u32,
    apc_context: u32,
    iosb: Option<VirtAddr>,
    code: u32,
    _input: u32,
    _input_length: u32,
    _output: u32,
    _output_length: u32,
    call: Call,
) -> NtStatus {
    tracing::info!("NtDeviceIoControlFile({handle:#x}, {code:#x}): not supported");
    let done = Completion { event, apc_routine, apc_context, iosb };
    done.finish(kernel, &call, NtStatus::NOT_SUPPORTED, 0)
}

#[cfg(test)]
mod tests {
    use super::super::create::tests::{open, open_read, setup, IOSB};
    use super::super::create::{access, disposition};
    use super::*;
    use crate::threading::testing::call_from;

    const BUF: VirtAddr = VirtAddr(0x4000);
    const OFF: VirtAddr = VirtAddr(0x1020);

    fn rd(k: &mut Kernel, t: u32, h: u32, len: u32, at: Option<u64>) -> (NtStatus, u32) {
        if let Some(at) = at {
            k.memory.write_u64(OFF, at).unwrap();
        }
        let s = nt_read_file(k, h, 0, 0, 0, Some(IOSB), BUF, len, at.map(|_| OFF), call_from(t));
        assert_eq!(k.memory.read_u32(IOSB).unwrap(), s.0);
        (s, k.memory.read_u32(IOSB.add(4)).unwrap())
    }

    #[test]
    fn reads_at_offsets_and_at_the_position() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\data\\numbers.bin");
        assert_eq!(rd(&mut k, t, h, 16, Some(100)), (NtStatus::SUCCESS, 16));
        assert_eq!(k.memory.read_u8(BUF).unwrap(), 100);
        assert_eq!(k.memory.read_u8(BUF.add(15)).unwrap(), 115);
        // The position follows the last transfer.
        assert_eq!(rd(&mut k, t, h, 4, None), (NtStatus::SUCCESS, 4));
        assert_eq!(k.memory.read_u32(BUF).unwrap(), 0x7475_7677);
        assert_eq!(rd(&mut k, t, h, 4, Some(USE_FILE_POINTER)), (NtStatus::SUCCESS, 4));
        assert_eq!(k.memory.read_u8(BUF).unwrap(), 120);
        // A short read at the end, then END_OF_FILE.
        assert_eq!(rd(&mut k, t, h, 64, Some(250)), (NtStatus::SUCCESS, 6));
        assert_eq!(rd(&mut k, t, h, 8, Some(256)), (NtStatus::END_OF_FILE, 0));
        assert_eq!(rd(&mut k, t, h, 0, Some(300)), (NtStatus::SUCCESS, 0));
        assert_eq!(rd(&mut k, t, 0x4242, 4, None).0, NtStatus::INVALID_HANDLE);
    }

    #[test]
    fn reading_a_directory_or_into_bad_memory_fails() {
        let (mut k, t, _a, _b) = setup();
        let (_, d, _) = open(&mut k, t, "game:\\data", access::READ_DATA, disposition::OPEN, 1);
        assert_eq!(rd(&mut k, t, d, 4, Some(0)).0, NtStatus::INVALID_DEVICE_REQUEST);
        let (_, h, _) = open_read(&mut k, t, "game:\\data\\numbers.bin");
        let s = nt_read_file(&mut k, h, 0, 0, 0, Some(IOSB), VirtAddr(0x7FC8_0000), 16, None, call_from(t));
        assert_eq!(s, NtStatus::ACCESS_VIOLATION);
    }

    #[test]
    fn writes_reach_the_cache_but_not_the_disc() {
        let (mut k, t, _a, cache) = setup();
        let rw = access::GENERIC_READ | access::GENERIC_WRITE;
        let (_, h, _) = open(&mut k, t, "cache:\\out.bin", rw, disposition::CREATE, 0x20);
        k.memory.write_bytes(BUF, b"hello world").unwrap();
        let s = nt_write_file(&mut k, h, 0, 0, 0, Some(IOSB), BUF, 5, None, call_from(t));
        assert_eq!((s, k.memory.read_u32(IOSB.add(4)).unwrap()), (NtStatus::SUCCESS, 5));
        let s = nt_write_file(&mut k, h, 0, 0, 0, Some(IOSB), BUF.add(5), 6, None, call_from(t));
        assert_eq!(s, NtStatus::SUCCESS);
        assert_eq!(std::fs::read(cache.0.join("out.bin")).unwrap(), b"hello world");
        assert_eq!(rd(&mut k, t, h, 5, Some(6)), (NtStatus::SUCCESS, 5));
        assert_eq!(k.memory.read_vec(BUF, 5).unwrap(), b"world");
        assert_eq!(nt_flush_buffers_file(&mut k, h, Some(IOSB), call_from(t)), NtStatus::SUCCESS);
        let (_, g, _) = open(&mut k, t, "game:\\data\\numbers.bin", rw, disposition::OPEN, 0);
        let s = nt_write_file(&mut k, g, 0, 0, 0, Some(IOSB), BUF, 5, None, call_from(t));
        assert_eq!(s, NtStatus::ACCESS_DENIED);
        let (_, r, _) = open(&mut k, t, "cache:\\out.bin", access::GENERIC_READ, disposition::OPEN, 0);
        assert_eq!(nt_write_file(&mut k, r, 0, 0, 0, Some(IOSB), BUF, 5, None, call_from(t)), NtStatus::ACCESS_DENIED);
    }

    #[test]
    fn asynchronous_completion_signals_the_event_and_queues_the_apc() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open(&mut k, t, "game:\\data\\numbers.bin", access::GENERIC_READ, disposition::OPEN, 0);
        let ev_out = VirtAddr(0x1030);
        let s = crate::threading::event::nt_create_event(&mut k, ev_out, None, 0, false);
        assert_eq!(s, NtStatus::SUCCESS);
        let ev = k.memory.read_u32(ev_out).unwrap();
        k.memory.write_u64(OFF, 10).unwrap();
        let s = nt_read_file(&mut k, h, ev, 0x8200_0101, 0x77, Some(IOSB), BUF, 4, Some(OFF), call_from(t));
        assert_eq!(s, NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(BUF).unwrap(), 0x0A0B_0C0D);
        // The event is signalled: its dispatcher header's signal state is set.
        let id = k.objects.lookup(ev).unwrap();
        let body = k.objects.get(id).unwrap().body;
        assert_eq!(k.memory.read_u32(body.add(4)).unwrap(), 1);
        // The APC waits on the thread with (context, IOSB, 0), the flag bit cleared.
        let queued: Vec<_> = k.threads.get(t).unwrap().user_apcs.iter().map(|c| (c.routine, c.args)).collect();
        assert_eq!(queued, [(0x8200_0100, [0x77, IOSB.0, 0])]);
        // An event handle that is not an event fails up front.
        let s = nt_read_file(&mut k, h, h, 0, 0, Some(IOSB), BUF, 4, Some(OFF), call_from(t));
        assert_eq!(s, NtStatus::OBJECT_TYPE_MISMATCH);
    }

    #[test]
    fn device_control_is_not_supported() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\default.xex");
        let s = nt_device_io_control_file(&mut k, h, 0, 0, 0, Some(IOSB), 0x70000, 0, 0, 0x5000, 8, call_from(t));
        assert_eq!(s, NtStatus::NOT_SUPPORTED);
        assert_eq!(k.memory.read_u32(IOSB).unwrap(), NtStatus::NOT_SUPPORTED.0);
    }
}
