//! Thread-local storage: each thread's TLS block holds the title's static
//! TLS data (`__declspec(thread)`, copied from the XEX's template) followed
//! by the dynamic slots `KeTlsAlloc` hands out. The PCR's first word points
//! at the block (facts from xenia `XThread::Create`: 1024 slots unless the
//! XEX's TLS header says otherwise; slots sit after the static data).

use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};

/// `TLS_OUT_OF_INDEXES`.
pub const TLS_OUT_OF_INDEXES: u32 = 0xFFFF_FFFF;
const DEFAULT_SLOTS: u32 = 1024;

/// The shape of every thread's TLS block (from the XEX TLS header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlsTemplate {
    /// Dynamic slots per thread.
    pub slot_count: u32,
    /// Bytes of static TLS data in front of the slots.
    pub data_size: u32,
    /// Where the initial static data is in the image (0 = none).
    pub raw_data_address: u32,
    /// Bytes of it to copy (the rest of `data_size` is zero).
    pub raw_data_size: u32,
}

impl Default for TlsTemplate {
    fn default() -> TlsTemplate {
        TlsTemplate { slot_count: DEFAULT_SLOTS, data_size: 0, raw_data_address: 0, raw_data_size: 0 }
    }
}

impl TlsTemplate {
    pub fn block_size(&self) -> u32 {
        self.data_size + self.slot_count * 4
    }

    /// Copies the static data into a fresh (zeroed) block.
    pub fn fill(&self, memory: &GuestMemory, block: VirtAddr) {
        if self.raw_data_address != 0 && self.raw_data_size != 0 {
            let len = self.raw_data_size.min(self.data_size);
            let _ = memory.copy_within(block, VirtAddr(self.raw_data_address), len);
        }
    }
}

fn slot_address(kernel: &Kernel, thread: u32, index: u32) -> Option<VirtAddr> {
    let t = kernel.threads.get(thread)?;
    (index < kernel.threads.tls.slot_count).then(|| t.tls_slots.add(index * 4))
}

fn clear_slot_everywhere(kernel: &Kernel, index: u32) {
    for t in kernel.threads.iter().filter(|t| t.is_alive()) {
        let _ = kernel.memory.write_u32(t.tls_slots.add(index * 4), 0);
    }
}

/// `KeTlsAlloc()`: the lowest free slot, zeroed in every thread, or
/// `TLS_OUT_OF_INDEXES`.
pub fn ke_tls_alloc(kernel: &mut Kernel) -> u32 {
    let count = kernel.threads.tls.slot_count as usize;
    let slots = &mut kernel.threads.tls_slots;
    slots.resize(count, false);
    let Some(index) = slots.iter().position(|used| !used) else { return TLS_OUT_OF_INDEXES };
    slots[index] = true;
    clear_slot_everywhere(kernel, index as u32);
    index as u32
}

/// `KeTlsFree(Index)`: true when the slot was allocated.
pub fn ke_tls_free(kernel: &mut Kernel, index: u32) -> bool {
    match kernel.threads.tls_slots.get_mut(index as usize) {
        Some(used) if *used => {
            *used = false;
            clear_slot_everywhere(kernel, index);
            true
        }
        _ => false,
    }
}

/// `KeTlsGetValue(Index)` for the calling thread (0 past the last slot).
pub fn ke_tls_get_value(kernel: &mut Kernel, index: u32, call: Call) -> u32 {
    slot_address(kernel, call.thread, index).and_then(|a| kernel.memory.read_u32(a).ok()).unwrap_or(0)
}

/// `KeTlsSetValue(Index, Value)` for the calling thread.
pub fn ke_tls_set_value(kernel: &mut Kernel, index: u32, value: u32, call: Call) -> bool {
    slot_address(kernel, call.thread, index).is_some_and(|a| kernel.memory.write_u32(a, value).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread, spawn};

    #[test]
    fn tls_values_are_per_thread_and_freed_slots_are_reused() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let s0 = ke_tls_alloc(&mut k);
        let s1 = ke_tls_alloc(&mut k);
        assert_eq!((s0, s1), (0, 1));
        assert!(ke_tls_set_value(&mut k, s1, 0xAA, call_from(a)));
        assert!(ke_tls_set_value(&mut k, s1, 0xBB, call_from(b)));
        assert_eq!(ke_tls_get_value(&mut k, s1, call_from(a)), 0xAA);
        assert_eq!(ke_tls_get_value(&mut k, s1, call_from(b)), 0xBB);
        let slot_in_guest = k.threads.get(a).unwrap().tls_slots.add(4);
        assert_eq!(k.memory.read_u32(slot_in_guest).unwrap(), 0xAA, "slots live in the guest TLS block");
        assert!(ke_tls_free(&mut k, s1));
        assert!(!ke_tls_free(&mut k, s1));
        assert_eq!(ke_tls_get_value(&mut k, s1, call_from(a)), 0, "freeing clears the slot");
        assert_eq!(ke_tls_alloc(&mut k), 1);
    }

    #[test]
    fn static_tls_data_is_copied_in_front_of_the_slots() {
        let mut k = Kernel::for_tests();
        k.memory.write_u32(VirtAddr(0x8200_0000), 0xCAFE_F00D).unwrap();
        k.threads.set_tls_template(TlsTemplate {
            slot_count: 8,
            data_size: 0x10,
            raw_data_address: 0x8200_0000,
            raw_data_size: 4,
        });
        let t = spawn(&mut k, 0x8200_0100);
        let th = k.threads.get(t).unwrap();
        assert_eq!(k.memory.read_u32(th.tls_block).unwrap(), 0xCAFE_F00D);
        assert_eq!(th.tls_slots, th.tls_block.add(0x10));
        assert!(!ke_tls_set_value(&mut k, 8, 1, call_from(t)), "past the last slot");
    }
}
