//! Checked reads from byte slices.
//!
//! [`Bytes`] is a view of part of a file that remembers where in the file it
//! starts, so every failed read reports the field's name and its absolute
//! file offset. Parsers use it instead of indexing.

use super::{FormatError, Result};

/// A view of `data`, which starts at file offset `base`.
#[derive(Debug, Clone, Copy)]
pub struct Bytes<'a> {
    data: &'a [u8],
    base: u64,
}

impl<'a> Bytes<'a> {
    /// A view of a whole file.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, base: 0 }
    }

    /// A view of `data` that starts at file offset `base`.
    pub fn at(data: &'a [u8], base: u64) -> Self {
        Bytes { data, base }
    }

    /// The viewed bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Length of the view.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The file offset of `offset` within this view.
    pub fn file_offset(&self, offset: usize) -> u64 {
        self.base.saturating_add(offset as u64)
    }

    /// `len` bytes at `offset`, or an error naming `field`.
    pub fn slice(&self, offset: usize, len: usize, field: &'static str) -> Result<&'a [u8]> {
        offset.checked_add(len).and_then(|end| self.data.get(offset..end)).ok_or(FormatError::Truncated {
            field,
            offset: self.file_offset(offset),
            len: self.base.saturating_add(self.data.len() as u64),
        })
    }

    /// A sub-view of `len` bytes at `offset`.
    pub fn sub(&self, offset: usize, len: usize, field: &'static str) -> Result<Bytes<'a>> {
        Ok(Bytes { data: self.slice(offset, len, field)?, base: self.file_offset(offset) })
    }

    /// The view from `offset` to its end.
    pub fn tail(&self, offset: usize, field: &'static str) -> Result<Bytes<'a>> {
        let len = self.data.len().checked_sub(offset).ok_or(FormatError::Truncated {
            field,
            offset: self.file_offset(offset),
            len: self.base.saturating_add(self.data.len() as u64),
        })?;
        self.sub(offset, len, field)
    }

    /// A fixed-size array at `offset`.
    pub fn array<const N: usize>(&self, offset: usize, field: &'static str) -> Result<[u8; N]> {
        let s = self.slice(offset, N, field)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// A byte at `offset`.
    pub fn u8(&self, offset: usize, field: &'static str) -> Result<u8> {
        Ok(self.array::<1>(offset, field)?[0])
    }

    /// A big-endian `u16` at `offset`.
    pub fn be_u16(&self, offset: usize, field: &'static str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(offset, field)?))
    }

    /// A big-endian `u32` at `offset`.
    pub fn be_u32(&self, offset: usize, field: &'static str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(offset, field)?))
    }

    /// A little-endian `u16` at `offset`.
    pub fn le_u16(&self, offset: usize, field: &'static str) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array(offset, field)?))
    }

    /// A little-endian `u32` at `offset`.
    pub fn le_u32(&self, offset: usize, field: &'static str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array(offset, field)?))
    }

    /// A NUL-terminated (or view-terminated) ASCII string at `offset`,
    /// read from at most `max` bytes; non-UTF-8 bytes are replaced.
    pub fn c_string(&self, offset: usize, max: usize, field: &'static str) -> Result<String> {
        let avail = self.data.len().saturating_sub(offset).min(max);
        let s = self.slice(offset, avail, field)?;
        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
        Ok(String::from_utf8_lossy(&s[..end]).into_owned())
    }
}

/// Appends big-endian values to a byte vector (used by the packers).
pub(crate) trait PutBe {
    fn put_u16(&mut self, v: u16);
    fn put_u32(&mut self, v: u32);
}

impl PutBe for Vec<u8> {
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_be_bytes());
    }
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_past_end_names_field_and_absolute_offset() {
        let b = Bytes::at(&[1, 2, 3], 0x100);
        let err = b.be_u32(1, "thing").unwrap_err();
        assert_eq!(err.to_string(), "thing at offset 0x101 runs past the end of the data (0x103 bytes)");
    }

    #[test]
    fn huge_offset_does_not_overflow() {
        let b = Bytes::new(&[0; 4]);
        assert!(b.slice(usize::MAX, 2, "x").is_err());
        assert!(b.tail(5, "x").is_err());
    }

    #[test]
    fn c_string_stops_at_nul_or_end() {
        let b = Bytes::new(b"abc\0def");
        assert_eq!(b.c_string(0, 16, "s").unwrap(), "abc");
        assert_eq!(b.c_string(4, 16, "s").unwrap(), "def");
    }
}
