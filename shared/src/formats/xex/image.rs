//! Decrypting and decompressing the data region into the loaded image.
//!
//! The rules follow xenia `xex_module.cc` (`ReadImage*`):
//!
//! - the session key is the file key decrypted with a master key; an
//!   encrypted file is tried with the retail key, then the devkit key;
//! - uncompressed: the data region is the image (decrypted as one CBC stream);
//! - basic: the file format info lists (stored, zero) runs; the stored parts
//!   form one CBC stream;
//! - normal: the whole data region is decrypted, then walked as a chain of
//!   blocks. Each block starts with the size and SHA-1 of the *next* block
//!   (24 bytes; the first block's are in the file format info), then holds
//!   LZX chunks framed by a big-endian u16 length, ended by a zero length.
//!   Each chunk decodes to 32 KiB of image (the last to the rest).

use super::crypto::{session_key, CbcDecryptor, KeyKind};
use super::{BlockInfo, Compression, Encryption, Xex};
use crate::formats::bytes::Bytes;
use crate::formats::{FormatError, Result};
use sha1::{Digest, Sha1};

/// Bytes of image one LZX chunk decodes to (all but the last).
pub const LZX_FRAME_SIZE: usize = 0x8000;

/// The decrypted, decompressed image of a XEX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedImage {
    /// Guest address of `data[0]`.
    pub base: u32,
    /// The image, `security.image_size` bytes.
    pub data: Vec<u8>,
    /// The master key that decrypted it, `None` for a plain file.
    pub key: Option<KeyKind>,
}

impl LoadedImage {
    /// The big-endian u32 at guest address `addr`, or an error naming `field`.
    pub fn read_u32(&self, addr: u32, field: &'static str) -> Result<u32> {
        let offset = addr
            .checked_sub(self.base)
            .ok_or_else(|| FormatError::invalid(field, addr.into(), "address is below the image base"))?;
        Bytes::at(&self.data, self.base.into()).be_u32(offset as usize, field)
    }

    /// Whether the image starts with a PE (`MZ`) header.
    pub fn has_pe_header(&self) -> bool {
        self.data.starts_with(b"MZ")
    }
}

impl Xex {
    /// Decrypts and decompresses the image from `file` (the whole XEX file
    /// these headers were parsed from).
    pub fn load_image(&self, file: &[u8]) -> Result<LoadedImage> {
        if self.is_patch() {
            return Err(FormatError::Unsupported("XEX patches (delta compression) are not loaded as titles".into()));
        }
        let region = Bytes::new(file).tail(self.data_offset as usize, "data region")?;
        match self.file_format.encryption {
            Encryption::None => Ok(LoadedImage { base: self.image_base, data: self.decode(&region, None)?, key: None }),
            Encryption::Normal => {
                let mut first_error = None;
                for kind in KeyKind::ALL {
                    let key = session_key(kind, &self.security.file_key);
                    match self.decode(&region, Some(&key)) {
                        Ok(data) if data.starts_with(b"MZ") || self.is_normal_compressed() => {
                            return Ok(LoadedImage { base: self.image_base, data, key: Some(kind) })
                        }
                        Ok(_) => {}
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                match first_error {
                    // A hash mismatch under both keys means neither fits; other
                    // errors (truncation) are reported as they are.
                    Some(e @ FormatError::Truncated { .. }) => Err(e),
                    _ => Err(FormatError::NoKeyFits),
                }
            }
        }
    }

    fn is_normal_compressed(&self) -> bool {
        matches!(self.file_format.compression, Compression::Normal { .. })
    }

    /// Decodes the data region with an optional session key.
    fn decode(&self, region: &Bytes<'_>, key: Option<&[u8; 16]>) -> Result<Vec<u8>> {
        let image_size = self.security.image_size as usize;
        match &self.file_format.compression {
            Compression::None => {
                // A plain image is stored whole (runs of zeros are what basic
                // compression is for), so short data means a truncated file.
                if region.data().len() < image_size {
                    return Err(FormatError::Truncated {
                        field: "uncompressed image data",
                        offset: region.file_offset(0),
                        len: region.data().len() as u64,
                    });
                }
                let mut data = region.data()[..image_size].to_vec();
                if let Some(key) = key {
                    check_block_multiple(region, data.len())?;
                    CbcDecryptor::new(key).decrypt(&mut data);
                }
                data.resize(image_size, 0);
                Ok(data)
            }
            Compression::Basic(blocks) => {
                let mut image = vec![0u8; image_size];
                let mut decryptor = key.map(CbcDecryptor::new);
                let (mut src, mut dst) = (0usize, 0usize);
                for block in blocks {
                    let size = block.data_size as usize;
                    let stored = region.slice(src, size, "basic block data")?;
                    let end = dst
                        .checked_add(size)
                        .and_then(|e| e.checked_add(block.zero_size as usize))
                        .filter(|&e| e <= image_size)
                        .ok_or_else(|| {
                            FormatError::invalid(
                                "basic compression blocks",
                                region.file_offset(src),
                                format!("blocks fill more than the {image_size:#x}-byte image"),
                            )
                        })?;
                    let out = &mut image[dst..dst + size];
                    out.copy_from_slice(stored);
                    if let Some(d) = decryptor.as_mut() {
                        check_block_multiple(region, size)?;
                        d.decrypt(out);
                    }
                    src += size;
                    dst = end;
                }
                Ok(image)
            }
            Compression::Normal { window_size, first_block } => {
                let mut data = region.data().to_vec();
                if let Some(key) = key {
                    let whole = data.len() & !15;
                    CbcDecryptor::new(key).decrypt(&mut data[..whole]);
                }
                decompress_normal(&Bytes::at(&data, region.file_offset(0)), *window_size, *first_block, image_size)
            }
            Compression::Delta => Err(FormatError::Unsupported("delta compression".into())),
        }
    }
}

fn check_block_multiple(region: &Bytes<'_>, len: usize) -> Result<()> {
    if len % 16 == 0 {
        Ok(())
    } else {
        Err(FormatError::invalid(
            "encrypted data",
            region.file_offset(0),
            format!("length {len:#x} is not a multiple of the 16-byte AES block"),
        ))
    }
}

fn lzx_window(window_size: u32) -> Option<lzxd::WindowSize> {
    use lzxd::WindowSize as W;
    Some(match window_size {
        0x8000 => W::KB32,
        0x1_0000 => W::KB64,
        0x2_0000 => W::KB128,
        0x4_0000 => W::KB256,
        0x8_0000 => W::KB512,
        0x10_0000 => W::MB1,
        0x20_0000 => W::MB2,
        _ => return None,
    })
}

/// Walks the block chain of a (decrypted) normal-compressed data region.
fn decompress_normal(data: &Bytes<'_>, window_size: u32, first_block: BlockInfo, image_size: usize) -> Result<Vec<u8>> {
    let window = lzx_window(window_size).ok_or_else(|| {
        FormatError::invalid("LZX window size", 0, format!("{window_size:#x} is not a supported LZX window"))
    })?;
    let mut lzx = lzxd::Lzxd::new(window);
    let mut image = Vec::with_capacity(image_size);
    let mut block_info = first_block;
    let mut at = 0usize;
    while block_info.size != 0 {
        let block = data.sub(at, block_info.size as usize, "compressed block")?;
        let digest: [u8; 20] = Sha1::digest(block.data()).into();
        if digest != block_info.sha1 {
            return Err(FormatError::invalid(
                "compressed block",
                block.file_offset(0),
                "SHA-1 does not match the hash that precedes it (wrong key or corrupt data)",
            ));
        }
        let next = BlockInfo { size: block.be_u32(0, "next block size")?, sha1: block.array(4, "next block hash")? };
        let mut chunk_at = 24;
        while chunk_at < block.len() {
            let chunk_len = usize::from(block.be_u16(chunk_at, "LZX chunk size")?);
            if chunk_len == 0 {
                break;
            }
            let chunk = block.slice(chunk_at + 2, chunk_len, "LZX chunk")?;
            let out_len = (image_size - image.len()).min(LZX_FRAME_SIZE);
            if out_len == 0 {
                return Err(FormatError::invalid(
                    "LZX chunk",
                    block.file_offset(chunk_at),
                    format!("more chunks than the {image_size:#x}-byte image needs"),
                ));
            }
            let out = lzx
                .decompress_next(chunk, out_len)
                .map_err(|e| FormatError::invalid("LZX chunk", block.file_offset(chunk_at), e.to_string()))?;
            image.extend_from_slice(out);
            chunk_at += 2 + chunk_len;
        }
        at += block.len();
        block_info = next;
    }
    // Images may end in zero pages the compressor did not store.
    image.resize(image_size, 0);
    Ok(image)
}
