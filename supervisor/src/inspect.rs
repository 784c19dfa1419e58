//! `xenact peek` / `xenact poke`: read and write the guest memory of a
//! running session from outside it, through its memfd.

use anyhow::Context;
use shared::memory::{GuestMemory, VirtAddr};
use std::os::fd::AsFd;

fn open(pid: u32) -> anyhow::Result<GuestMemory> {
    let fd =
        GuestMemory::open_session_file(pid).with_context(|| format!("opening the guest memory of process {pid}"))?;
    Ok(GuestMemory::map(fd.as_fd())?)
}

/// Parses `0x…` or decimal.
pub fn parse_u32(text: &str) -> anyhow::Result<u32> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.with_context(|| format!("{text:?} is not a 32-bit number"))
}

/// Prints `len` bytes at `addr` as hex, 16 per line.
pub fn peek(pid: u32, addr: u32, len: u32) -> anyhow::Result<()> {
    let memory = open(pid)?;
    let mut bytes = vec![0u8; len as usize];
    memory.read_bytes(VirtAddr(addr), &mut bytes)?;
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        println!("{:08x}: {}", addr as usize + i * 16, hex.join(" "));
    }
    Ok(())
}

/// Writes the bytes of `hex` at `addr`.
pub fn poke(pid: u32, addr: u32, hex: &str) -> anyhow::Result<()> {
    let memory = open(pid)?;
    let bytes = decode_hex(hex)?;
    memory.write_bytes(VirtAddr(addr), &bytes)?;
    Ok(())
}

fn decode_hex(hex: &str) -> anyhow::Result<Vec<u8>> {
    let hex: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    anyhow::ensure!(hex.len() % 2 == 0, "hex data has an odd number of digits");
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).context("bad hex digit")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_in_hex_and_decimal() {
        assert_eq!(parse_u32("0x7FC80000").unwrap(), 0x7FC8_0000);
        assert_eq!(parse_u32("16").unwrap(), 16);
        assert!(parse_u32("0x1_0000_0000").is_err());
    }

    #[test]
    fn hex_decodes_with_spaces() {
        assert_eq!(decode_hex("de ad be ef").unwrap(), vec![0xDE, 0xAD, 0xBE, 0xEF]);
        assert!(decode_hex("abc").is_err());
    }
}
