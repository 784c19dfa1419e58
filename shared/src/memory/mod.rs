//! Guest memory: one memfd mapped at the same guest offsets in every process.
//!
//! The supervisor creates the memfd ([`GuestMemory::create`]) and hands it to
//! each child as an inherited descriptor; every process maps it with
//! [`GuestMemory::map`] into a 4 GiB-aligned host reservation, so guest
//! address `g` is at `base + g` everywhere. The MMIO window stays an
//! inaccessible hole. The control area (GPU register file, rings, bitmaps)
//! follows the 4 GiB guest space behind a guard page; see [`control`].
//!
//! Guest data is big-endian. All access goes through this API: scalar and
//! bulk accesses are volatile copies (another process may write the same
//! bytes at any time, as another core may on the console), and guest locks
//! and reservations use [`GuestMemory::atomic_u32`] / [`GuestMemory::atomic_u64`].
//!
//! Submodules: [`addr`] (address newtypes), [`layout`] (the address map),
//! [`control`] (the control area's layout).

pub mod addr;
pub mod control;
pub mod layout;

pub use addr::{PhysAddr, VirtAddr};
pub use control::{ControlArea, Gamepad, InputState, PadState};

use layout::{RangeKind, CONTROL_FILE_OFFSET, CONTROL_SIZE, FILE_SIZE, GUEST_MAP, MMIO_END, MMIO_START};
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::mm::{mmap, mmap_anonymous, munmap, MapFlags, ProtFlags};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64};

/// Why a guest memory access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MemError {
    #[error("guest access of {len} bytes at {addr} runs past the 4 GiB address space")]
    OutOfRange { addr: VirtAddr, len: u32 },
    #[error("guest access at {addr} is in the MMIO window; plain memory access refused")]
    Mmio { addr: VirtAddr },
    #[error("atomic guest access at {addr} is not {align}-byte aligned")]
    Misaligned { addr: VirtAddr, align: u32 },
    #[error("physical address {0} is beyond the 512 MiB of RAM")]
    PhysicalOutOfRange(PhysAddr),
    #[error("guest access at {addr} touches memory that is not allocated")]
    Unallocated { addr: VirtAddr },
}

/// Why guest memory could not be created or mapped.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("memfd_create failed: {0}")]
    Create(rustix::io::Errno),
    #[error("sizing the guest memory file to {size} bytes failed: {errno}")]
    Size { size: u64, errno: rustix::io::Errno },
    #[error("the guest memory file is {actual} bytes; expected {expected}")]
    WrongSize { actual: u64, expected: u64 },
    #[error("reserving host address space failed: {0}")]
    Reserve(rustix::io::Errno),
    #[error("mapping guest range {start:#010x} failed: {errno}")]
    Map { start: u32, errno: rustix::io::Errno },
}

/// Size of the host reservation: the guest space, a guard page, the control area.
const GUARD: usize = 0x1_0000;
const GUEST_SPACE: usize = 1 << 32;
const MAPPED_LEN: usize = GUEST_SPACE + GUARD + CONTROL_SIZE as usize;

/// One process's mapping of guest memory. Cloning is not offered: share it
/// by reference or `Arc`. Unmapped on drop.
pub struct GuestMemory {
    base: NonNull<u8>,
    /// Refuse accesses to pages the memory manager has not allocated
    /// (see [`GuestMemory::guard_unallocated_pages`]).
    page_guard: std::sync::atomic::AtomicBool,
}

// SAFETY: the mapping is shared memory that every thread (and process) may
// access concurrently; all access goes through volatile or atomic operations.
unsafe impl Send for GuestMemory {}
unsafe impl Sync for GuestMemory {}

impl GuestMemory {
    /// Creates the session's guest memory file (sparse, `FILE_SIZE` bytes).
    /// The descriptor is close-on-exec; the spawner passes it explicitly.
    pub fn create_file() -> Result<OwnedFd, MapError> {
        let fd = rustix::fs::memfd_create("xenact-guest", rustix::fs::MemfdFlags::CLOEXEC).map_err(MapError::Create)?;
        rustix::fs::ftruncate(&fd, FILE_SIZE).map_err(|errno| MapError::Size { size: FILE_SIZE, errno })?;
        Ok(fd)
    }

    /// Opens the guest memory file of the running session whose supervisor
    /// (or any unit) has pid `pid`, through `/proc/PID/fd`. This is how
    /// inspection tools and whole-system tests reach a live session.
    pub fn open_session_file(pid: u32) -> std::io::Result<OwnedFd> {
        let dir = format!("/proc/{pid}/fd");
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let Ok(target) = std::fs::read_link(&path) else { continue };
            if target.to_string_lossy().starts_with("/memfd:xenact-guest") {
                let file = std::fs::OpenOptions::new().read(true).write(true).open(&path)?;
                return Ok(file.into());
            }
        }
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("process {pid} holds no Xenact guest memory")))
    }

    /// Maps the guest memory file into a fresh 4 GiB-aligned reservation.
    pub fn map(fd: BorrowedFd<'_>) -> Result<GuestMemory, MapError> {
        let actual = rustix::fs::fstat(fd).map_err(MapError::Reserve)?.st_size as u64;
        if actual != FILE_SIZE {
            return Err(MapError::WrongSize { actual, expected: FILE_SIZE });
        }
        // Reserve twice the span so a 4 GiB-aligned window fits, then trim.
        let reserve_len = MAPPED_LEN + GUEST_SPACE;
        // SAFETY: a fresh anonymous PROT_NONE mapping at an address the kernel picks.
        let raw = unsafe {
            mmap_anonymous(
                std::ptr::null_mut(),
                reserve_len,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .map_err(MapError::Reserve)? as usize;
        let base = (raw + GUEST_SPACE - 1) & !(GUEST_SPACE - 1);
        // SAFETY: both trimmed pieces lie inside the reservation made above.
        unsafe {
            if base > raw {
                munmap(raw as *mut _, base - raw).map_err(MapError::Reserve)?;
            }
            let tail = base + MAPPED_LEN;
            let raw_end = raw + reserve_len;
            if raw_end > tail {
                munmap(tail as *mut _, raw_end - tail).map_err(MapError::Reserve)?;
            }
        }
        let memory = GuestMemory {
            base: NonNull::new(base as *mut u8).expect("mmap returned null"),
            page_guard: std::sync::atomic::AtomicBool::new(false),
        };
        for range in GUEST_MAP.iter().filter(|r| r.kind != RangeKind::Mmio) {
            memory
                .map_fixed(fd, range.start as usize, range.size() as usize, range.file_offset)
                .map_err(|errno| MapError::Map { start: range.start, errno })?;
        }
        memory
            .map_fixed(fd, GUEST_SPACE + GUARD, CONTROL_SIZE as usize, CONTROL_FILE_OFFSET)
            .map_err(|errno| MapError::Map { start: u32::MAX, errno })?;
        Ok(memory)
    }

    fn map_fixed(&self, fd: BorrowedFd<'_>, offset: usize, len: usize, file_offset: u64) -> rustix::io::Result<()> {
        // SAFETY: the target lies inside this object's reservation, which no
        // Rust reference points into as a plain slice.
        unsafe {
            mmap(
                self.base.as_ptr().add(offset).cast(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::SHARED | MapFlags::FIXED | MapFlags::NORESERVE,
                fd.as_fd(),
                file_offset,
            )?;
        }
        Ok(())
    }

    /// Host address of guest address 0, for code (a JIT, fast paths) that
    /// has already validated its accesses.
    pub fn host_base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// The control area of this mapping.
    pub fn control(&self) -> ControlArea<'_> {
        // SAFETY: the control area is mapped for as long as `self` lives.
        unsafe { ControlArea::new(self.base.as_ptr().add(GUEST_SPACE + GUARD)) }
    }

    /// From now on, refuse accesses through this mapping to pages the
    /// memory manager has not allocated, as the console's MMU faults on
    /// them. cpu-proc turns this on for guest code; tools and the kernel
    /// (which fills guest memory on the title's behalf) leave it off.
    pub fn guard_unallocated_pages(&self) {
        self.page_guard.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Checks that `len` bytes at `addr` are plain guest memory and returns
    /// their host address.
    #[inline(always)]
    pub fn host_ptr(&self, addr: VirtAddr, len: u32) -> Result<*mut u8, MemError> {
        let start = addr.0 as u64;
        let end = start + len as u64;
        if end > 1 << 32 {
            return Err(MemError::OutOfRange { addr, len });
        }
        if start < MMIO_END as u64 && end > MMIO_START as u64 {
            return Err(MemError::Mmio { addr });
        }
        if self.page_guard.load(std::sync::atomic::Ordering::Relaxed) && len != 0 {
            let control = self.control();
            let last = addr.add(len - 1);
            if !control.page_in_use(addr.0) || (last.0 >> 12 != addr.0 >> 12 && !control.page_in_use(last.0)) {
                return Err(MemError::Unallocated { addr });
            }
        }
        // SAFETY: `start + len` is within the mapped 4 GiB guest space.
        Ok(unsafe { self.base.as_ptr().add(addr.0 as usize) })
    }

    /// Whether `addr` falls in the MMIO window.
    #[inline(always)]
    pub fn is_mmio(addr: VirtAddr) -> bool {
        addr.0 >= MMIO_START && addr.0 < MMIO_END
    }

    /// Copies guest bytes out.
    pub fn read_bytes(&self, addr: VirtAddr, out: &mut [u8]) -> Result<(), MemError> {
        let src = self.host_ptr(addr, checked_len(addr, out.len())?)?;
        // SAFETY: range validated; `out` is private host memory.
        unsafe { std::ptr::copy(src, out.as_mut_ptr(), out.len()) };
        Ok(())
    }

    /// Copies bytes into guest memory.
    pub fn write_bytes(&self, addr: VirtAddr, data: &[u8]) -> Result<(), MemError> {
        let dst = self.host_ptr(addr, checked_len(addr, data.len())?)?;
        // SAFETY: range validated.
        unsafe { std::ptr::copy(data.as_ptr(), dst, data.len()) };
        Ok(())
    }

    /// Sets `len` guest bytes to `byte`.
    pub fn fill(&self, addr: VirtAddr, len: u32, byte: u8) -> Result<(), MemError> {
        let dst = self.host_ptr(addr, len)?;
        // SAFETY: range validated.
        unsafe { std::ptr::write_bytes(dst, byte, len as usize) };
        Ok(())
    }

    /// Copies `len` bytes inside guest memory (ranges may overlap).
    pub fn copy_within(&self, dst: VirtAddr, src: VirtAddr, len: u32) -> Result<(), MemError> {
        let s = self.host_ptr(src, len)?;
        let d = self.host_ptr(dst, len)?;
        // SAFETY: both ranges validated.
        unsafe { std::ptr::copy(s, d, len as usize) };
        Ok(())
    }

    /// The guest word at `addr` as an atomic (its value is big-endian).
    pub fn atomic_u32(&self, addr: VirtAddr) -> Result<&AtomicU32, MemError> {
        if addr.0 % 4 != 0 {
            return Err(MemError::Misaligned { addr, align: 4 });
        }
        let p = self.host_ptr(addr, 4)?;
        // SAFETY: aligned, mapped for the lifetime of `self`, only ever
        // accessed through volatile or atomic operations.
        Ok(unsafe { AtomicU32::from_ptr(p.cast()) })
    }

    /// The guest doubleword at `addr` as an atomic (its value is big-endian).
    pub fn atomic_u64(&self, addr: VirtAddr) -> Result<&AtomicU64, MemError> {
        if addr.0 % 8 != 0 {
            return Err(MemError::Misaligned { addr, align: 8 });
        }
        let p = self.host_ptr(addr, 8)?;
        // SAFETY: as for `atomic_u32`.
        Ok(unsafe { AtomicU64::from_ptr(p.cast()) })
    }

    /// Translates a guest virtual address in one of the physical views to
    /// the physical address it reaches. Other ranges have no physical
    /// backing visible to the GPU.
    pub fn translate(addr: VirtAddr) -> Option<PhysAddr> {
        match addr.0 {
            0xA000_0000..=0xDFFF_FFFF => Some(PhysAddr(addr.0 & 0x1FFF_FFFF)),
            0xE000_0000..=0xFFFF_FFFF => Some(PhysAddr((addr.0 & 0x1FFF_FFFF) + 0x1000)),
            _ => None,
        }
    }

    /// The guest address of a physical address through the `0xA0000000` view.
    pub fn physical_view(phys: PhysAddr) -> Result<VirtAddr, MemError> {
        if phys.0 as u64 >= layout::PHYSICAL_SIZE {
            return Err(MemError::PhysicalOutOfRange(phys));
        }
        Ok(VirtAddr(0xA000_0000 | phys.0))
    }
}

fn checked_len(addr: VirtAddr, len: usize) -> Result<u32, MemError> {
    u32::try_from(len).map_err(|_| MemError::OutOfRange { addr, len: u32::MAX })
}

macro_rules! scalar_access {
    ($($read:ident $write:ident $ty:ty;)*) => {
        impl GuestMemory {
            $(
                #[doc = concat!("Reads a big-endian `", stringify!($ty), "`.")]
                #[inline(always)]
                pub fn $read(&self, addr: VirtAddr) -> Result<$ty, MemError> {
                    const N: usize = std::mem::size_of::<$ty>();
                    let p = self.host_ptr(addr, N as u32)?;
                    // SAFETY: validated; `[u8; N]` has alignment 1.
                    let bytes = unsafe { std::ptr::read_volatile(p as *const [u8; N]) };
                    Ok(<$ty>::from_be_bytes(bytes))
                }

                #[doc = concat!("Writes a big-endian `", stringify!($ty), "`.")]
                #[inline(always)]
                pub fn $write(&self, addr: VirtAddr, value: $ty) -> Result<(), MemError> {
                    const N: usize = std::mem::size_of::<$ty>();
                    let p = self.host_ptr(addr, N as u32)?;
                    // SAFETY: validated; `[u8; N]` has alignment 1.
                    unsafe { std::ptr::write_volatile(p as *mut [u8; N], value.to_be_bytes()) };
                    Ok(())
                }
            )*
        }
    };
}

scalar_access! {
    read_u8 write_u8 u8;
    read_u16 write_u16 u16;
    read_u32 write_u32 u32;
    read_u64 write_u64 u64;
    read_u128 write_u128 u128;
    read_f32 write_f32 f32;
    read_f64 write_f64 f64;
}

impl Drop for GuestMemory {
    fn drop(&mut self) {
        // SAFETY: the whole span belongs to this object.
        unsafe {
            let _ = munmap(self.base.as_ptr().cast(), MAPPED_LEN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> GuestMemory {
        let fd = GuestMemory::create_file().unwrap();
        GuestMemory::map(fd.as_fd()).unwrap()
    }

    #[test]
    fn base_is_4gib_aligned() {
        let m = fresh();
        assert_eq!(m.host_base() as usize % (1usize << 32), 0);
    }

    #[test]
    fn scalars_round_trip_big_endian() {
        let m = fresh();
        let a = VirtAddr(0x1000_0003);
        m.write_u32(a, 0x1122_3344).unwrap();
        assert_eq!(m.read_u8(a).unwrap(), 0x11);
        assert_eq!(m.read_u16(a.add(2)).unwrap(), 0x3344);
        m.write_u128(a, 0x0102_0304_0506_0708_090A_0B0C_0D0E_0F10).unwrap();
        assert_eq!(m.read_u64(a.add(8)).unwrap(), 0x090A_0B0C_0D0E_0F10);
        m.write_f64(a, -2.5).unwrap();
        assert_eq!(m.read_f64(a).unwrap(), -2.5);
        m.write_f32(a, 1.5).unwrap();
        assert_eq!(m.read_u32(a).unwrap(), 0x3FC0_0000);
    }

    #[test]
    fn physical_views_alias_one_region() {
        let m = fresh();
        m.write_u32(VirtAddr(0xA000_2000), 0xCAFE_F00D).unwrap();
        assert_eq!(m.read_u32(VirtAddr(0xC000_2000)).unwrap(), 0xCAFE_F00D);
        // The 0xE0000000 view starts 4 KiB into physical memory.
        assert_eq!(m.read_u32(VirtAddr(0xE000_1000)).unwrap(), 0xCAFE_F00D);
        assert_eq!(GuestMemory::translate(VirtAddr(0xE000_1000)), Some(PhysAddr(0x2000)));
    }

    #[test]
    fn virtual_heaps_do_not_alias_physical_memory() {
        let m = fresh();
        m.write_u32(VirtAddr(0xA000_0000), 7).unwrap();
        assert_eq!(m.read_u32(VirtAddr(0x0000_0000)).unwrap(), 0);
        assert_eq!(m.read_u32(VirtAddr(0x8000_0000)).unwrap(), 0);
        assert_eq!(GuestMemory::translate(VirtAddr(0x8200_0000)), None);
    }

    #[test]
    fn mmio_and_out_of_range_accesses_are_refused() {
        let m = fresh();
        assert_eq!(m.read_u32(VirtAddr(0x7FC8_0000)), Err(MemError::Mmio { addr: VirtAddr(0x7FC8_0000) }));
        // A store straddling into the window is refused too.
        assert!(matches!(m.write_u64(VirtAddr(0x7EFF_FFFC), 0), Err(MemError::Mmio { .. })));
        assert!(matches!(m.read_u32(VirtAddr(0xFFFF_FFFE)), Err(MemError::OutOfRange { .. })));
        assert!(matches!(m.read_bytes(VirtAddr(0xFFFF_F000), &mut [0; 0x2000]), Err(MemError::OutOfRange { .. })));
    }

    #[test]
    fn the_last_page_of_the_e0_view_is_backed() {
        let m = fresh();
        m.write_u32(VirtAddr(0xFFFF_FFFC), 0xABCD_EF01).unwrap();
        assert_eq!(m.read_u32(VirtAddr(0xFFFF_FFFC)).unwrap(), 0xABCD_EF01);
    }

    #[test]
    fn atomics_refuse_misalignment_and_see_big_endian_data() {
        let m = fresh();
        let a = VirtAddr(0x4000_0000);
        m.write_u32(a, 5).unwrap();
        let atom = m.atomic_u32(a).unwrap();
        assert_eq!(u32::from_be(atom.load(std::sync::atomic::Ordering::SeqCst)), 5);
        assert!(matches!(m.atomic_u32(a.add(2)), Err(MemError::Misaligned { .. })));
        assert!(matches!(m.atomic_u64(a.add(4)), Err(MemError::Misaligned { .. })));
    }

    #[test]
    fn a_guarded_mapping_refuses_unallocated_pages_and_sees_every_view_of_a_frame() {
        let m = fresh();
        m.write_u32(VirtAddr(0x4001_0000), 1).unwrap();
        m.guard_unallocated_pages();
        assert!(matches!(m.read_u32(VirtAddr(0x4001_0000)), Err(MemError::Unallocated { .. })));
        assert!(matches!(m.read_u32(VirtAddr(0)), Err(MemError::Unallocated { .. })));
        m.control().page_state(0x4001_0000).store(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(m.read_u32(VirtAddr(0x4001_0000)).unwrap(), 1);
        // An access running into the next, unallocated page is refused.
        assert!(matches!(m.read_u64(VirtAddr(0x4001_0FFC)), Err(MemError::Unallocated { .. })));
        // A frame allocated through the 0xA0000000 view is usable through the others.
        m.control().page_state(0xA002_0000).store(1, std::sync::atomic::Ordering::SeqCst);
        m.write_u32(VirtAddr(0xC002_0000), 5).unwrap();
        assert_eq!(m.read_u32(VirtAddr(0xE001_F000)).unwrap(), 5);
        assert!(matches!(m.read_u32(VirtAddr(0xC003_0000)), Err(MemError::Unallocated { .. })));
    }

    #[test]
    fn two_mappings_of_one_file_share_data() {
        let fd = GuestMemory::create_file().unwrap();
        let a = GuestMemory::map(fd.as_fd()).unwrap();
        let b = GuestMemory::map(fd.as_fd()).unwrap();
        a.write_u64(VirtAddr(0x9000_0010), 0x0123_4567_89AB_CDEF).unwrap();
        assert_eq!(b.read_u64(VirtAddr(0x9000_0010)).unwrap(), 0x0123_4567_89AB_CDEF);
        a.control().gpu_register(0x10).store(42, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(b.control().gpu_register(0x10).load(std::sync::atomic::Ordering::SeqCst), 42);
    }
}
