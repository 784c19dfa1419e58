//! PM4 packet headers and type-3 opcodes.
//!
//! Header layouts and opcode numbers are facts from xenia
//! `src/xenia/gpu/xenos.h` (`MakePacketType0..3`, `Type3Opcode`), which
//! follow the R6xx/Adreno PM4 format. The top two bits select the type:
//!
//! | type | layout (msb → lsb) | body |
//! | --- | --- | --- |
//! | 0 | `00 cccccccccccccc o iiiiiiiiiiiiiii` | `c+1` values for registers `i…` (or `i` repeatedly when `o`) |
//! | 1 | `01 ?????????? jjjjjjjjjjj iiiiiiiiiii` | two values, for registers `i` and `j` |
//! | 2 | `10 ??????????????????????????????` | none (filler) |
//! | 3 | `11 cccccccccccccc ? ooooooo ??????? p` | `c+1` words for opcode `o`; `p`: predicated |

/// A decoded packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Header {
    /// Write `count` registers from `base` (all to `base` when `one_register`).
    Type0 { base: u32, count: u32, one_register: bool },
    /// Write two registers.
    Type1 { first: u32, second: u32 },
    /// Filler.
    Type2,
    /// Opcode with `count` body words.
    Type3 { opcode: u8, count: u32, predicated: bool },
}

impl Header {
    pub fn decode(word: u32) -> Header {
        let count = ((word >> 16) & 0x3FFF) + 1;
        match word >> 30 {
            0 => Header::Type0 { base: word & 0x7FFF, count, one_register: word & 0x8000 != 0 },
            1 => Header::Type1 { first: word & 0x7FF, second: (word >> 11) & 0x7FF },
            2 => Header::Type2,
            _ => Header::Type3 { opcode: ((word >> 8) & 0x7F) as u8, count, predicated: word & 1 != 0 },
        }
    }

    /// Body words that follow the header.
    pub fn body_len(self) -> u32 {
        match self {
            Header::Type0 { count, .. } | Header::Type3 { count, .. } => count,
            Header::Type1 { .. } => 2,
            Header::Type2 => 0,
        }
    }
}

/// A type-0 header writing `count` (1..=0x4000) registers from `base`.
pub const fn type0(base: u32, count: u32) -> u32 {
    ((count - 1) & 0x3FFF) << 16 | (base & 0x7FFF)
}

/// A type-0 header writing `count` values to register `index`.
pub const fn type0_one_register(index: u32, count: u32) -> u32 {
    type0(index, count) | 0x8000
}

/// The type-2 filler word.
pub const TYPE2: u32 = 2 << 30;

/// A type-3 header for `opcode` with `count` (1..=0x4000) body words.
pub const fn type3(opcode: u8, count: u32) -> u32 {
    3 << 30 | ((count - 1) & 0x3FFF) << 16 | (opcode as u32 & 0x7F) << 8
}

/// Type-3 opcodes (xenia `Type3Opcode`).
pub mod op {
    pub const NOP: u8 = 0x10;
    pub const REG_RMW: u8 = 0x21;
    pub const DRAW_INDX: u8 = 0x22;
    pub const VIZ_QUERY: u8 = 0x23;
    pub const WAIT_FOR_IDLE: u8 = 0x26;
    pub const IM_LOAD: u8 = 0x27;
    pub const IM_LOAD_IMMEDIATE: u8 = 0x2B;
    pub const SET_CONSTANT: u8 = 0x2D;
    pub const LOAD_ALU_CONSTANT: u8 = 0x2F;
    pub const DRAW_INDX_2: u8 = 0x36;
    pub const INDIRECT_BUFFER_PFD: u8 = 0x37;
    pub const INVALIDATE_STATE: u8 = 0x3B;
    pub const WAIT_REG_MEM: u8 = 0x3C;
    pub const MEM_WRITE: u8 = 0x3D;
    pub const REG_TO_MEM: u8 = 0x3E;
    pub const INDIRECT_BUFFER: u8 = 0x3F;
    pub const COND_WRITE: u8 = 0x45;
    pub const EVENT_WRITE: u8 = 0x46;
    pub const ME_INIT: u8 = 0x48;
    pub const SET_BIN_MASK: u8 = 0x50;
    pub const SET_BIN_SELECT: u8 = 0x51;
    pub const INTERRUPT: u8 = 0x54;
    pub const SET_CONSTANT2: u8 = 0x55;
    pub const SET_SHADER_CONSTANTS: u8 = 0x56;
    pub const EVENT_WRITE_SHD: u8 = 0x58;
    pub const EVENT_WRITE_EXT: u8 = 0x5A;
    pub const EVENT_WRITE_ZPD: u8 = 0x5B;
    pub const CONTEXT_UPDATE: u8 = 0x5E;
    pub const SET_BIN_MASK_LO: u8 = 0x60;
    pub const SET_BIN_MASK_HI: u8 = 0x61;
    pub const SET_BIN_SELECT_LO: u8 = 0x62;
    pub const SET_BIN_SELECT_HI: u8 = 0x63;
    /// Not a console opcode: the swap packet the kernel's `VdSwap` writes
    /// (xenia's `PM4_XE_SWAP` convention; Xenact's VdSwap is HLE too).
    pub const XE_SWAP: u8 = 0x64;
}

/// First body word of the swap packet: `"SWAP"` (xenia `kSwapSignature`).
pub const SWAP_SIGNATURE: u32 = u32::from_be_bytes(*b"SWAP");

/// Endian swap modes carried in the low two bits of GPU memory addresses
/// (xenia `xenos::Endian`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    None,
    Swap8In16,
    Swap8In32,
    Swap16In32,
}

impl Endian {
    pub fn from_bits(bits: u32) -> Endian {
        match bits & 3 {
            0 => Endian::None,
            1 => Endian::Swap8In16,
            2 => Endian::Swap8In32,
            _ => Endian::Swap16In32,
        }
    }

    /// Applies the swap (its own inverse).
    pub fn apply(self, value: u32) -> u32 {
        match self {
            Endian::None => value,
            Endian::Swap8In16 => ((value << 8) & 0xFF00_FF00) | ((value >> 8) & 0x00FF_00FF),
            Endian::Swap8In32 => value.swap_bytes(),
            Endian::Swap16In32 => value.rotate_left(16),
        }
    }
}

/// Comparison functions of `WAIT_REG_MEM` and `COND_WRITE` (low three bits
/// of their first word): never, <, <=, ==, !=, >=, >, always.
pub fn compare(function: u32, value: u32, mask: u32, reference: u32) -> bool {
    let v = value & mask;
    match function & 7 {
        0 => false,
        1 => v < reference,
        2 => v <= reference,
        3 => v == reference,
        4 => v != reference,
        5 => v >= reference,
        6 => v > reference,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_through_their_builders() {
        assert_eq!(Header::decode(type0(0x1C5, 3)), Header::Type0 { base: 0x1C5, count: 3, one_register: false });
        assert_eq!(
            Header::decode(type0_one_register(0x578, 2)),
            Header::Type0 { base: 0x578, count: 2, one_register: true }
        );
        assert_eq!(Header::decode(TYPE2), Header::Type2);
        assert_eq!(Header::decode(type3(op::XE_SWAP, 4)), Header::Type3 { opcode: 0x64, count: 4, predicated: false });
        assert_eq!(Header::decode(type3(op::NOP, 0x4000)).body_len(), 0x4000);
    }

    #[test]
    fn endian_modes_swap_as_the_gpu_does() {
        assert_eq!(Endian::from_bits(1).apply(0x1122_3344), 0x2211_4433);
        assert_eq!(Endian::from_bits(2).apply(0x1122_3344), 0x4433_2211);
        assert_eq!(Endian::from_bits(3).apply(0x1122_3344), 0x3344_1122);
        assert_eq!(Endian::from_bits(0).apply(0x1122_3344), 0x1122_3344);
    }

    #[test]
    fn compare_functions_cover_never_to_always() {
        assert!(!compare(0, 1, !0, 1));
        assert!(compare(1, 0, !0, 1));
        assert!(compare(3, 0x1F0, 0xF0, 0xF0));
        assert!(compare(4, 2, !0, 1));
        assert!(compare(7, 0, 0, 5));
    }
}
