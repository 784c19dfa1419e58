//! XNet: start-up and its parameters, the console's addresses with no link,
//! address conversions, options, the system-link port and `XNetRandom`.
//!
//! With the cable unplugged the stack knows its Ethernet address and has no
//! IP: `XNetGetTitleXnAddr` answers `XNET_GET_XNADDR_ETHERNET` with only
//! `abEnet` filled (`XNET_GET_XNADDR_NONE` before the stack is started),
//! `XNetGetEthernetLinkStatus` is 0 (no `XNET_ETHERNET_LINK_ACTIVE`), the
//! retail debug address is `NONE`. No security association can form, so the
//! `XNADDR` ⇄ `IN_ADDR` conversions fail with `WSAEINVAL`.
//!
//! Layouts (xenia `xam_net.cc`): `XNADDR` is ina u32 0x0, inaOnline u32
//! 0x4, wPortOnline u16 0x8, abEnet[6] 0xA, abOnline[20] 0x10 (0x24 bytes);
//! `XNetStartupParams` is 13 bytes, the first its own size.

use super::error::*;
use super::{read_c_string, MAC_ADDRESS};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::hash::{BuildHasher, Hasher};

/// `XNET_GET_XNADDR_*` flags.
pub const XNADDR_PENDING: u32 = 0x0000;
pub const XNADDR_NONE: u32 = 0x0001;
pub const XNADDR_ETHERNET: u32 = 0x0002;
pub const XNADDR_STATIC: u32 = 0x0004;
pub const XNADDR_DHCP: u32 = 0x0008;

pub const XNADDR_SIZE: u32 = 0x24;
const XNADDR_ENET: u32 = 0xA;

/// `XNET_OPTID_STARTUP_PARAMS`.
pub const OPTID_STARTUP_PARAMS: u32 = 1;
/// Size of `XNetStartupParams`.
pub const STARTUP_PARAMS_SIZE: u32 = 13;
/// The port system link uses until a title picks another (UDP 3074).
pub const DEFAULT_SYSTEM_LINK_PORT: u16 = 3074;
/// `INADDR_NONE`: what `inet_addr` returns for a malformed address.
pub const INADDR_NONE: u32 = 0xFFFF_FFFF;

/// `XNetStartupParams` with the defaults the XDK documents for fields a
/// title leaves 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartupParams {
    pub flags: u8,
    pub max_dgram_sockets: u8,
    pub max_stream_sockets: u8,
    pub receive_buffer_k: u8,
    pub send_buffer_k: u8,
    pub key_reg_max: u8,
    pub sec_reg_max: u8,
    pub qos_data_limit_div4: u8,
    pub qos_probe_timeout_s: u8,
    pub qos_probe_retries: u8,
    pub qos_max_simultaneous_responses: u8,
    pub qos_pair_wait_time_s: u8,
}

impl Default for StartupParams {
    fn default() -> StartupParams {
        StartupParams {
            flags: 0,
            max_dgram_sockets: 8,
            max_stream_sockets: 32,
            receive_buffer_k: 16,
            send_buffer_k: 16,
            key_reg_max: 4,
            sec_reg_max: 32,
            qos_data_limit_div4: 64,
            qos_probe_timeout_s: 2,
            qos_probe_retries: 3,
            qos_max_simultaneous_responses: 8,
            qos_pair_wait_time_s: 2,
        }
    }
}

impl StartupParams {
    /// The title's 13 bytes, a 0 field taking its default.
    fn from_bytes(b: &[u8; STARTUP_PARAMS_SIZE as usize]) -> StartupParams {
        let d = StartupParams::default().to_bytes();
        let f = |i: usize| if b[i] == 0 { d[i] } else { b[i] };
        StartupParams {
            flags: b[1],
            max_dgram_sockets: f(2),
            max_stream_sockets: f(3),
            receive_buffer_k: f(4),
            send_buffer_k: f(5),
            key_reg_max: f(6),
            sec_reg_max: f(7),
            qos_data_limit_div4: f(8),
            qos_probe_timeout_s: f(9),
            qos_probe_retries: f(10),
            qos_max_simultaneous_responses: f(11),
            qos_pair_wait_time_s: f(12),
        }
    }

    fn to_bytes(self) -> [u8; STARTUP_PARAMS_SIZE as usize] {
        [
            STARTUP_PARAMS_SIZE as u8,
            self.flags,
            self.max_dgram_sockets,
            self.max_stream_sockets,
            self.receive_buffer_k,
            self.send_buffer_k,
            self.key_reg_max,
            self.sec_reg_max,
            self.qos_data_limit_div4,
            self.qos_probe_timeout_s,
            self.qos_probe_retries,
            self.qos_max_simultaneous_responses,
            self.qos_pair_wait_time_s,
        ]
    }
}

/// `XNetRandom`'s generator (SplitMix64): a fixed seed under
/// `--deterministic`, the host's randomness otherwise.
#[derive(Debug)]
pub struct Random(u64);

impl Random {
    const DETERMINISTIC_SEED: u64 = 0x5845_4E41_4354_0001;

    fn new(deterministic: bool) -> Random {
        if deterministic {
            return Random(Self::DETERMINISTIC_SEED);
        }
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
        Random(h.finish())
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let word = self.next().to_be_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

/// `XNetStartup(Caller, XNetStartupParams*)`: starts the stack with the
/// title's parameters (null: the defaults). A second call changes nothing.
pub fn xnet_startup(kernel: &mut Kernel, _caller: u32, params: Option<VirtAddr>) -> u32 {
    if kernel.net.xnet_started {
        return 0;
    }
    let mut chosen = StartupParams::default();
    if let Some(p) = params {
        let mut raw = [0u8; STARTUP_PARAMS_SIZE as usize];
        if kernel.memory.read_bytes(p, &mut raw).is_err() {
            return WSAEFAULT;
        }
        if raw[0] as u32 != STARTUP_PARAMS_SIZE {
            return WSAEINVAL;
        }
        chosen = StartupParams::from_bytes(&raw);
    }
    kernel.net.params = chosen;
    kernel.net.xnet_started = true;
    0
}

/// `XNetStartupEx(Caller, XNetStartupParams*, VersionReq)`.
pub fn xnet_startup_ex(kernel: &mut Kernel, caller: u32, params: Option<VirtAddr>, _version: u32) -> u32 {
    xnet_startup(kernel, caller, params)
}

/// `XNetCleanup(Caller, Reserved)`.
pub fn xnet_cleanup(kernel: &mut Kernel, _caller: u32, _reserved: u32) -> u32 {
    if !kernel.net.xnet_started {
        return WSANOTINITIALISED;
    }
    kernel.net.xnet_started = false;
    0
}

/// `XNetRandom(Caller, Buffer, Length)`.
pub fn xnet_random(kernel: &mut Kernel, _caller: u32, buffer: Option<VirtAddr>, length: u32) -> u32 {
    let Some(buffer) = buffer else { return 0 };
    let deterministic = kernel.clock.is_deterministic();
    let random = kernel.net.random.get_or_insert_with(|| Random::new(deterministic));
    let mut bytes = vec![0u8; length as usize];
    random.fill(&mut bytes);
    match kernel.memory.write_bytes(buffer, &bytes) {
        Ok(()) => 0,
        Err(_) => WSAEFAULT,
    }
}

fn write_xnaddr(kernel: &Kernel, at: VirtAddr, enet: Option<[u8; 6]>) {
    let _ = kernel.memory.fill(at, XNADDR_SIZE, 0);
    if let Some(mac) = enet {
        let _ = kernel.memory.write_bytes(at.add(XNADDR_ENET), &mac);
    }
}

/// `XNetGetTitleXnAddr(Caller, XNADDR*)`.
pub fn xnet_get_title_xn_addr(kernel: &mut Kernel, _caller: u32, addr: Option<VirtAddr>) -> u32 {
    let (status, enet) = if kernel.net.started() { (XNADDR_ETHERNET, Some(MAC_ADDRESS)) } else { (XNADDR_NONE, None) };
    if let Some(addr) = addr {
        write_xnaddr(kernel, addr, enet);
    }
    status
}

/// `XNetGetDebugXnAddr(Caller, XNADDR*)`: a retail console has none.
pub fn xnet_get_debug_xn_addr(kernel: &mut Kernel, _caller: u32, addr: Option<VirtAddr>) -> u32 {
    if let Some(addr) = addr {
        write_xnaddr(kernel, addr, None);
    }
    XNADDR_NONE
}

/// `XNetGetEthernetLinkStatus(Caller)`: no `XNET_ETHERNET_LINK_*` bit.
pub fn xnet_get_ethernet_link_status(_kernel: &mut Kernel, _caller: u32) -> u32 {
    0
}

/// `XNetGetBroadcastVersionStatus(Caller, Reset)`: no system-link packet
/// of another version was ever seen.
pub fn xnet_get_broadcast_version_status(_kernel: &mut Kernel, _caller: u32, _reset: u32) -> u32 {
    0
}

/// `XNetXnAddrToInAddr(Caller, XNADDR*, XNKID*, IN_ADDR*)`: no security
/// association can be made without a link.
pub fn xnet_xn_addr_to_in_addr(
    kernel: &mut Kernel,
    _caller: u32,
    _addr: Option<VirtAddr>,
    _kid: Option<VirtAddr>,
    ina: Option<VirtAddr>,
) -> u32 {
    if let Some(ina) = ina {
        let _ = kernel.memory.write_u32(ina, 0);
    }
    WSAEINVAL
}

/// `XNetInAddrToXnAddr(Caller, IN_ADDR, XNADDR*, XNKID*)`: no address maps
/// to a peer.
pub fn xnet_in_addr_to_xn_addr(
    kernel: &mut Kernel,
    _caller: u32,
    _ina: u32,
    addr: Option<VirtAddr>,
    kid: Option<VirtAddr>,
) -> u32 {
    if let Some(addr) = addr {
        let _ = kernel.memory.fill(addr, XNADDR_SIZE, 0);
    }
    if let Some(kid) = kid {
        let _ = kernel.memory.fill(kid, 8, 0);
    }
    WSAEINVAL
}

/// `XNetXnAddrToMachineId(Caller, XNADDR*, ULONGLONG*)`: the machine id
/// comes from the online part of an address, which is empty offline.
pub fn xnet_xn_addr_to_machine_id(
    _kernel: &mut Kernel,
    _caller: u32,
    _addr: Option<VirtAddr>,
    _id: Option<VirtAddr>,
) -> u32 {
    WSAEINVAL
}

/// `XNetInAddrToString(Caller, IN_ADDR, char*, Size)`: dotted decimal.
pub fn xnet_in_addr_to_string(kernel: &mut Kernel, _caller: u32, ina: u32, out: Option<VirtAddr>, size: u32) -> u32 {
    let [a, b, c, d] = ina.to_be_bytes();
    let text = format!("{a}.{b}.{c}.{d}\0");
    let Some(out) = out else { return WSAEFAULT };
    if (size as usize) < text.len() {
        return WSAEMSGSIZE;
    }
    match kernel.memory.write_bytes(out, text.as_bytes()) {
        Ok(()) => 0,
        Err(_) => WSAEFAULT,
    }
}

/// One number of a dotted address: decimal, `0x` hex or leading-0 octal.
fn parse_part(part: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(part).ok()?;
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        (hex, 16)
    } else if text.len() > 1 && text.starts_with('0') {
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    if digits.is_empty() && radix != 8 {
        return None;
    }
    u32::from_str_radix(if digits.is_empty() { "0" } else { digits }, radix).ok()
}

/// `inet_addr`'s parse (the BSD forms a, a.b, a.b.c, a.b.c.d).
pub fn parse_inet_addr(text: &[u8]) -> u32 {
    if text.is_empty() {
        // The console's older inet_addr answers 0 here (xenia-canary).
        return 0;
    }
    let parts: Option<Vec<u32>> = text.split(|&b| b == b'.').map(parse_part).collect();
    let Some(parts) = parts else { return INADDR_NONE };
    let fits = |v: u32, bits: u32| bits == 32 || v < (1 << bits);
    let (head, last) = parts.split_at(parts.len() - 1);
    if parts.len() > 4 || head.iter().any(|&p| p > 0xFF) || !fits(last[0], 8 * (5 - parts.len() as u32)) {
        return INADDR_NONE;
    }
    head.iter().enumerate().fold(last[0], |acc, (i, &p)| acc | p << (24 - 8 * i))
}

/// `inet_addr(const char*)`: the address in network order (the guest's).
pub fn inet_addr(kernel: &mut Kernel, text: Option<VirtAddr>) -> u32 {
    let Some(text) = text else { return INADDR_NONE };
    read_c_string(&kernel.memory, text, 64).map_or(INADDR_NONE, |t| parse_inet_addr(&t))
}

/// `XNetGetOpt(Caller, OptionId, Buffer, Length*)`: the start-up
/// parameters in effect; other options are not known here.
pub fn xnet_get_opt(
    kernel: &mut Kernel,
    _caller: u32,
    option: u32,
    buffer: Option<VirtAddr>,
    length: Option<VirtAddr>,
) -> u32 {
    if option != OPTID_STARTUP_PARAMS {
        report_option(kernel, "XNetGetOpt", option);
        return WSAEINVAL;
    }
    let Some(length) = length else { return WSAEFAULT };
    let m = &kernel.memory;
    if m.read_u32(length).unwrap_or(0) < STARTUP_PARAMS_SIZE {
        let _ = m.write_u32(length, STARTUP_PARAMS_SIZE);
        return WSAEMSGSIZE;
    }
    let Some(buffer) = buffer else { return WSAEFAULT };
    if m.write_bytes(buffer, &kernel.net.params.to_bytes()).is_err() {
        return WSAEFAULT;
    }
    let _ = m.write_u32(length, STARTUP_PARAMS_SIZE);
    0
}

/// `XNetSetOpt(Caller, OptionId, Buffer, Length)`: the start-up parameters
/// are fixed once the stack runs; no other option is known here.
pub fn xnet_set_opt(kernel: &mut Kernel, _caller: u32, option: u32, _buffer: Option<VirtAddr>, _length: u32) -> u32 {
    if option != OPTID_STARTUP_PARAMS {
        report_option(kernel, "XNetSetOpt", option);
    }
    WSAEINVAL
}

fn report_option(kernel: &mut Kernel, export: &'static str, option: u32) {
    if kernel.net.reported_options.insert((export, option)) {
        tracing::warn!("{export}: option {option} is not implemented");
    }
}

/// `XNetGetSystemLinkPort(Caller, WORD*)`: the port in network order.
pub fn xnet_get_system_link_port(kernel: &mut Kernel, _caller: u32, port: Option<VirtAddr>) -> u32 {
    let Some(port) = port else { return WSAEFAULT };
    match kernel.memory.write_u16(port, kernel.net.system_link_port) {
        Ok(()) => 0,
        Err(_) => WSAEFAULT,
    }
}

/// `XNetSetSystemLinkPort(Caller, Port)`: network order, as the guest holds it.
pub fn xnet_set_system_link_port(kernel: &mut Kernel, _caller: u32, port: u16) -> u32 {
    kernel.net.system_link_port = port;
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn before_startup_the_title_address_is_none_and_after_it_only_ethernet() {
        let mut k = Kernel::for_tests();
        let at = scratch(&mut k, XNADDR_SIZE);
        k.memory.fill(at, XNADDR_SIZE, 0xAA).unwrap();
        assert_eq!(xnet_get_title_xn_addr(&mut k, 1, Some(at)), XNADDR_NONE);
        assert_eq!(xnet_startup(&mut k, 1, None), 0);
        assert_eq!(xnet_get_title_xn_addr(&mut k, 1, Some(at)), XNADDR_ETHERNET);
        let mut raw = [0u8; XNADDR_SIZE as usize];
        k.memory.read_bytes(at, &mut raw).unwrap();
        assert_eq!(&raw[..10], &[0; 10], "no IP, no online address or port");
        assert_eq!(&raw[10..16], &MAC_ADDRESS);
        assert_eq!(&raw[16..], &[0; 20]);
        assert_eq!(xnet_get_ethernet_link_status(&mut k, 1), 0);
        assert_eq!(xnet_get_debug_xn_addr(&mut k, 1, Some(at)), XNADDR_NONE);
        k.memory.read_bytes(at, &mut raw).unwrap();
        assert_eq!(raw, [0; XNADDR_SIZE as usize]);
    }

    #[test]
    fn startup_params_are_kept_with_defaults_for_zero_fields_and_read_back() {
        let mut k = Kernel::for_tests();
        let p = scratch(&mut k, 16);
        k.memory.write_bytes(p, &[13, 0, 4, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(xnet_startup(&mut k, 1, Some(p)), 0);
        assert_eq!(k.net.params.max_dgram_sockets, 4);
        assert_eq!(k.net.params.max_stream_sockets, 32, "default");
        let (out, len) = (scratch(&mut k, 16), scratch(&mut k, 4));
        k.memory.write_u32(len, 4).unwrap();
        assert_eq!(xnet_get_opt(&mut k, 1, OPTID_STARTUP_PARAMS, Some(out), Some(len)), WSAEMSGSIZE);
        assert_eq!(k.memory.read_u32(len).unwrap(), 13);
        assert_eq!(xnet_get_opt(&mut k, 1, OPTID_STARTUP_PARAMS, Some(out), Some(len)), 0);
        let mut raw = [0u8; 13];
        k.memory.read_bytes(out, &mut raw).unwrap();
        assert_eq!(raw[..6], [13, 0, 4, 32, 32, 16]);
        assert_eq!(xnet_get_opt(&mut k, 1, 99, Some(out), Some(len)), WSAEINVAL);
    }

    #[test]
    fn startup_refuses_params_of_another_size_and_cleanup_needs_a_startup() {
        let mut k = Kernel::for_tests();
        let p = scratch(&mut k, 16);
        k.memory.write_u8(p, 12).unwrap();
        assert_eq!(xnet_startup(&mut k, 1, Some(p)), WSAEINVAL);
        assert_eq!(xnet_cleanup(&mut k, 1, 0), WSANOTINITIALISED);
        xnet_startup(&mut k, 1, None);
        assert_eq!(xnet_cleanup(&mut k, 1, 0), 0);
    }

    #[test]
    fn xnet_random_repeats_under_a_deterministic_clock() {
        let draw = || {
            let (mut k, _) = kernel_with_thread();
            let at = scratch(&mut k, 16);
            assert_eq!(xnet_random(&mut k, 1, Some(at), 13), 0);
            let mut out = [0u8; 16];
            k.memory.read_bytes(at, &mut out).unwrap();
            out
        };
        let (a, b) = (draw(), draw());
        assert_eq!(a, b);
        assert_ne!(&a[..13], &[0; 13]);
        assert_eq!(&a[13..], &[0; 3], "only the asked-for length");
    }

    #[test]
    fn inet_addr_parses_the_bsd_forms_in_network_order() {
        assert_eq!(parse_inet_addr(b"192.168.1.2"), 0xC0A8_0102);
        assert_eq!(parse_inet_addr(b"255.255.255.255"), 0xFFFF_FFFF);
        assert_eq!(parse_inet_addr(b"10.1"), 0x0A00_0001);
        assert_eq!(parse_inet_addr(b"0x7f.1"), 0x7F00_0001);
        assert_eq!(parse_inet_addr(b"010.0.0.1"), 0x0800_0001, "leading 0 is octal");
        assert_eq!(parse_inet_addr(b""), 0);
        assert_eq!(parse_inet_addr(b"1.2.3.256"), INADDR_NONE);
        assert_eq!(parse_inet_addr(b"1.2.3.4.5"), INADDR_NONE);
        assert_eq!(parse_inet_addr(b"host"), INADDR_NONE);
        let mut k = Kernel::for_tests();
        let at = scratch(&mut k, 16);
        k.memory.write_bytes(at, b"127.0.0.1\0").unwrap();
        assert_eq!(inet_addr(&mut k, Some(at)), 0x7F00_0001);
    }

    #[test]
    fn in_addr_to_string_writes_dotted_decimal_and_needs_room_for_it() {
        let mut k = Kernel::for_tests();
        let at = scratch(&mut k, 16);
        assert_eq!(xnet_in_addr_to_string(&mut k, 1, 0xC0A8_0102, Some(at), 16), 0);
        assert_eq!(read_c_string(&k.memory, at, 16).unwrap(), b"192.168.1.2");
        assert_eq!(xnet_in_addr_to_string(&mut k, 1, 0xC0A8_0102, Some(at), 11), WSAEMSGSIZE);
    }

    #[test]
    fn no_address_converts_without_a_link_and_the_system_link_port_is_kept() {
        let mut k = Kernel::for_tests();
        let (xn, ina) = (scratch(&mut k, XNADDR_SIZE), scratch(&mut k, 4));
        k.memory.write_u32(ina, 0x1234).unwrap();
        assert_eq!(xnet_xn_addr_to_in_addr(&mut k, 1, Some(xn), None, Some(ina)), WSAEINVAL);
        assert_eq!(k.memory.read_u32(ina).unwrap(), 0);
        assert_eq!(xnet_in_addr_to_xn_addr(&mut k, 1, 0x0100_0001, Some(xn), None), WSAEINVAL);
        assert_ne!(xnet_xn_addr_to_machine_id(&mut k, 1, Some(xn), Some(ina)), 0);
        let port = scratch(&mut k, 2);
        assert_eq!(xnet_get_system_link_port(&mut k, 1, Some(port)), 0);
        assert_eq!(k.memory.read_u16(port).unwrap(), 3074);
        assert_eq!(xnet_set_system_link_port(&mut k, 1, 1001), 0);
        xnet_get_system_link_port(&mut k, 1, Some(port));
        assert_eq!(k.memory.read_u16(port).unwrap(), 1001);
    }
}
