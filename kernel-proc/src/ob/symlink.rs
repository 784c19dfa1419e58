//! `ObCreateSymbolicLink` and `ObDeleteSymbolicLink`: DOS-device links in
//! the object namespace (`\??\name:` → a device path), the same links
//! that make `game:` and `cache:` ([`crate::io::FileSystem::links`]).
//!
//! Both take `ANSI_STRING`s. A link name may carry the `\??\` prefix of the
//! DOS-devices directory; names compare without regard to ASCII case. As in
//! NT's object manager, a name that is taken cannot be created again
//! (`STATUS_OBJECT_NAME_COLLISION`) and deleting an unknown name fails with
//! `STATUS_OBJECT_NAME_NOT_FOUND`.

use crate::io::path;
use crate::kernel::Kernel;
use crate::rtl::strings::Counted;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// Reads and checks a name; the `\??\` prefix is dropped.
fn read_name(kernel: &Kernel, at: VirtAddr) -> Result<String, NtStatus> {
    let bytes = Counted::read(&kernel.memory, at)?.bytes(&kernel.memory)?;
    path::validate(&bytes, false)?;
    let name: String = bytes.iter().map(|&b| b as char).collect();
    let name = path::strip_prefix_ignore_case(&name, "\\??\\").unwrap_or(&name);
    if name.is_empty() {
        return Err(NtStatus::OBJECT_NAME_INVALID);
    }
    Ok(name.to_owned())
}

/// `ObCreateSymbolicLink(LinkName, TargetName)`.
pub fn ob_create_symbolic_link(kernel: &mut Kernel, link: VirtAddr, target: VirtAddr) -> NtStatus {
    let result = (|| {
        let name = read_name(kernel, link)?;
        let target = read_name(kernel, target)?;
        let target = target.trim_end_matches(path::is_separator);
        if kernel.io.link_target(&name).is_some() {
            return Err(NtStatus::OBJECT_NAME_COLLISION);
        }
        tracing::debug!("symbolic link {name} -> {target}");
        kernel.io.add_link(&name, target);
        Ok(())
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `ObDeleteSymbolicLink(LinkName)`.
pub fn ob_delete_symbolic_link(kernel: &mut Kernel, link: VirtAddr) -> NtStatus {
    let name = match read_name(kernel, link) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let before = kernel.io.links.len();
    kernel.io.links.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
    if kernel.io.links.len() == before {
        NtStatus::OBJECT_NAME_NOT_FOUND
    } else {
        NtStatus::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::title_and_cache;
    use crate::ob::names::write_ansi_string;
    use crate::threading::testing::scratch;

    fn ansi(k: &mut Kernel, text: &str) -> VirtAddr {
        let at = scratch(k, 0x100);
        write_ansi_string(&k.memory, at, text);
        at
    }

    #[test]
    fn a_created_link_resolves_to_its_target_until_it_is_deleted() {
        let mut k = Kernel::for_tests();
        let (_title, _cache, fs) = title_and_cache();
        k.io = fs;
        let (link, target) = (ansi(&mut k, "\\??\\media:"), ansi(&mut k, "\\Device\\Cdrom0\\"));
        assert_eq!(ob_create_symbolic_link(&mut k, link, target), NtStatus::SUCCESS);
        assert_eq!(k.io.link_target("MEDIA:"), Some("\\Device\\Cdrom0"));
        let direct = k.io.resolve("game:\\a\\b").unwrap();
        assert_eq!(k.io.resolve("media:\\a\\b").unwrap(), direct);
        assert_eq!(ob_create_symbolic_link(&mut k, link, target), NtStatus::OBJECT_NAME_COLLISION);
        let plain = ansi(&mut k, "media:");
        assert_eq!(ob_delete_symbolic_link(&mut k, plain), NtStatus::SUCCESS);
        assert!(k.io.resolve("media:\\a").is_err());
        assert_eq!(ob_delete_symbolic_link(&mut k, plain), NtStatus::OBJECT_NAME_NOT_FOUND);
    }

    #[test]
    fn bad_names_are_refused() {
        let mut k = Kernel::for_tests();
        let (bad, target) = (ansi(&mut k, "a|b:"), ansi(&mut k, "\\Device\\Cdrom0"));
        assert_eq!(ob_create_symbolic_link(&mut k, bad, target), NtStatus::OBJECT_NAME_INVALID);
        let empty = ansi(&mut k, "\\??\\");
        assert_eq!(ob_create_symbolic_link(&mut k, empty, target), NtStatus::OBJECT_NAME_INVALID);
    }
}
