//! Frame dumps: `DIR/frame-NNNNNN.png`, numbered by the session's swap
//! count so the numbering goes on across gpu-proc restarts. Each file is
//! written under a temporary name and renamed, so a reader never sees half
//! a PNG (and a gpu-proc killed mid-write leaves no torn frame).

use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The dump file of swap `count`.
pub fn frame_path(dir: &Path, count: u32) -> PathBuf {
    dir.join(format!("frame-{count:06}.png"))
}

/// Writes tight RGBA8 rows as an RGBA PNG.
pub fn write_png(path: &Path, rgba: &[u8], width: u32, height: u32) -> std::io::Result<()> {
    let partial = path.with_extension("png.partial");
    {
        let file = std::fs::File::create(&partial)?;
        let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        // Frames are mostly flat colour or re-encoded later: favour speed.
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
        writer.write_image_data(rgba).map_err(std::io::Error::other)?;
        writer.finish().map_err(std::io::Error::other)?;
    }
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dumped_frame_decodes_to_the_same_pixels() {
        let dir = std::env::temp_dir().join(format!("xenact-dump-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = frame_path(&dir, 42);
        assert!(path.ends_with("frame-000042.png"));
        let rgba: Vec<u8> = (0..3 * 2 * 4).map(|i| i as u8 * 10).collect();
        write_png(&path, &rgba, 3, 2).unwrap();
        let decoder = png::Decoder::new(std::fs::File::open(&path).unwrap());
        let mut reader = decoder.read_info().unwrap();
        let mut back = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut back).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (3, 2, png::ColorType::Rgba));
        assert_eq!(&back[..info.buffer_size()], &rgba[..]);
        assert!(!path.with_extension("png.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
