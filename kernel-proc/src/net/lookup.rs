//! DNS and QoS lookups. Each hands the title a block it releases later
//! (`XNDNS`, `XNQOS`) and sets the title's event when the block is final.
//! With no link they complete at once: a DNS lookup with `WSAENETDOWN` as
//! its status and no address, a QoS probe with `XNET_XNQOSINFO_COMPLETE`
//! and no `TARGET_CONTACTED` (nothing was reached, nothing measured).
//! Listening for QoS probes needs the wire: `WSAENETDOWN`.
//!
//! Layouts (xenia `xam_net.cc`): `XNDNS` is status i32 0x0, count 0x4, up
//! to 8 addresses 0x8 (0x28 bytes); `XNQOS` is count 0x0, pending count
//! 0x4, then 0x18-byte `XNQOSINFO` entries from 0x8 (flags u8 0x0, probes
//! sent u16 0x2, received 0x4, data length 0x6, data 0x8, RTTs 0xC/0xE,
//! bandwidths 0x10/0x14).

use super::error::*;
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

pub const XNDNS_SIZE: u32 = 0x28;
pub const XNQOS_HEADER: u32 = 0x8;
pub const XNQOSINFO_SIZE: u32 = 0x18;
/// `XNET_XNQOSINFO_COMPLETE`.
pub const QOSINFO_COMPLETE: u8 = 0x01;
/// `XNET_XNQOSINFO_TARGET_CONTACTED`.
pub const QOSINFO_TARGET_CONTACTED: u8 = 0x02;

fn allocate(kernel: &mut Kernel, size: u32) -> Option<VirtAddr> {
    let block = kernel.objects.alloc_guest(&kernel.memory, size, 16)?;
    kernel.net.lookups.insert(block.0);
    Some(block)
}

fn release(kernel: &mut Kernel, block: Option<VirtAddr>) -> u32 {
    match block {
        Some(block) if kernel.net.lookups.remove(&block.0) => {
            kernel.objects.free_guest(block);
            0
        }
        _ => WSAEINVAL,
    }
}

fn signal(kernel: &mut Kernel, event: u32) {
    if event != 0 {
        crate::ob::signal_event_by_handle(kernel, event);
    }
}

/// `XNetDnsLookup(Caller, Host, Event, XNDNS**)`: finished at once, with
/// `WSAENETDOWN` as the status.
pub fn xnet_dns_lookup(
    kernel: &mut Kernel,
    _caller: u32,
    host: Option<VirtAddr>,
    event: u32,
    out: Option<VirtAddr>,
) -> u32 {
    let (Some(_), Some(out)) = (host, out) else { return WSAEINVAL };
    let Some(dns) = allocate(kernel, XNDNS_SIZE) else { return WSAENETDOWN };
    let _ = kernel.memory.write_u32(dns, WSAENETDOWN);
    let _ = kernel.memory.write_u32(out, dns.0);
    signal(kernel, event);
    0
}

/// `XNetDnsRelease(Caller, XNDNS*)`.
pub fn xnet_dns_release(kernel: &mut Kernel, _caller: u32, dns: Option<VirtAddr>) -> u32 {
    release(kernel, dns)
}

/// A finished `XNQOS` of `count` entries none of which was reached.
fn unreached(kernel: &mut Kernel, count: u32, event: u32, out: VirtAddr) -> u32 {
    let Some(qos) = allocate(kernel, XNQOS_HEADER + XNQOSINFO_SIZE * count.max(1)) else { return WSAENETDOWN };
    let m = &kernel.memory;
    let _ = m.write_u32(qos, count);
    for i in 0..count {
        let _ = m.write_u8(qos.add(XNQOS_HEADER + XNQOSINFO_SIZE * i), QOSINFO_COMPLETE);
    }
    let _ = m.write_u32(out, qos.0);
    signal(kernel, event);
    0
}

/// `XNetQosLookup(Caller, cxna, XNADDR*[], XNKID*[], XNKEY*[], cina,
/// IN_ADDR[], ServiceId[], Probes, BitsPerSec, Flags, Event, XNQOS**)`:
/// thirteen arguments, so read from the call.
pub fn xnet_qos_lookup(kernel: &mut Kernel, call: Call) -> u32 {
    let arg = |n| call.arg(&kernel.memory, n) as u32;
    let (peers, servers, event, out) = (arg(1), arg(5), arg(11), arg(12));
    let count = peers.saturating_add(servers);
    if count == 0 || out == 0 {
        return WSAEINVAL;
    }
    unreached(kernel, count, event, VirtAddr(out))
}

/// `XNetQosServiceLookup(Caller, Flags, Event, XNQOS**)`: the one entry
/// for the service, not reached.
pub fn xnet_qos_service_lookup(
    kernel: &mut Kernel,
    _caller: u32,
    _flags: u32,
    event: u32,
    out: Option<VirtAddr>,
) -> u32 {
    let Some(out) = out else { return WSAEINVAL };
    unreached(kernel, 1, event, out)
}

/// `XNetQosRelease(Caller, XNQOS*)`.
pub fn xnet_qos_release(kernel: &mut Kernel, _caller: u32, qos: Option<VirtAddr>) -> u32 {
    release(kernel, qos)
}

/// `XNetQosListen(Caller, XNKID*, Data, Size, BitsPerSec, Flags)`.
pub fn xnet_qos_listen(
    _kernel: &mut Kernel,
    _caller: u32,
    _kid: Option<VirtAddr>,
    _data: u32,
    _size: u32,
    _bits_per_sec: u32,
    _flags: u32,
) -> u32 {
    WSAENETDOWN
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn a_dns_lookup_fails_at_once_with_the_network_down_and_sets_its_event() {
        let (mut k, _) = kernel_with_thread();
        let event = new_event(&mut k, 0, false);
        let (host, out) = (scratch(&mut k, 16), scratch(&mut k, 4));
        k.memory.write_bytes(host, b"xbox.com\0").unwrap();
        assert_eq!(xnet_dns_lookup(&mut k, 1, Some(host), event, Some(out)), 0);
        let dns = VirtAddr(k.memory.read_u32(out).unwrap());
        assert_eq!(k.memory.read_u32(dns).unwrap(), WSAENETDOWN);
        assert_eq!(k.memory.read_u32(dns.add(4)).unwrap(), 0, "no addresses");
        assert_eq!(event_state(&k, event), 1);
        assert_eq!(xnet_dns_release(&mut k, 1, Some(dns)), 0);
        assert_eq!(xnet_dns_release(&mut k, 1, Some(dns)), WSAEINVAL, "released once");
    }

    #[test]
    fn a_qos_lookup_completes_with_every_target_unreached() {
        let (mut k, t) = kernel_with_thread();
        let event = new_event(&mut k, 0, false);
        let out = scratch(&mut k, 4);
        let mut call = call_from(t);
        let sp = scratch(&mut k, 0x100);
        call.args.sp = sp.0;
        call.args.gpr = [1, 2, 0, 0, 0, 1, 0, 0];
        // Arguments 9–13 are on the stack from r1+0x54.
        k.memory.write_u64(sp.add(0x54 + 8 * 3), event as u64).unwrap();
        k.memory.write_u64(sp.add(0x54 + 8 * 4), out.0 as u64).unwrap();
        assert_eq!(xnet_qos_lookup(&mut k, call), 0);
        let qos = VirtAddr(k.memory.read_u32(out).unwrap());
        assert_eq!((k.memory.read_u32(qos).unwrap(), k.memory.read_u32(qos.add(4)).unwrap()), (3, 0));
        for i in 0..3 {
            let flags = k.memory.read_u8(qos.add(XNQOS_HEADER + XNQOSINFO_SIZE * i)).unwrap();
            assert_eq!(flags, QOSINFO_COMPLETE, "complete, target not contacted");
        }
        assert_eq!(event_state(&k, event), 1);
        assert_eq!(xnet_qos_release(&mut k, 1, Some(qos)), 0);
    }

    #[test]
    fn the_qos_service_is_not_reached_and_listening_needs_the_wire() {
        let (mut k, _) = kernel_with_thread();
        let out = scratch(&mut k, 4);
        assert_eq!(xnet_qos_service_lookup(&mut k, 1, 0, 0, Some(out)), 0);
        let qos = VirtAddr(k.memory.read_u32(out).unwrap());
        assert_eq!(k.memory.read_u32(qos).unwrap(), 1);
        assert_eq!(k.memory.read_u8(qos.add(8)).unwrap() & QOSINFO_TARGET_CONTACTED, 0);
        assert_eq!(xnet_qos_listen(&mut k, 1, None, 0, 0, 0, 0), WSAENETDOWN);
    }
}
