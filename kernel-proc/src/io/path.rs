//! Guest path checks and normalisation.
//!
//! A guest object name is printable ASCII (xenia `IsValidPath`: no control
//! characters, nothing at or above 0x7F, none of `"+,;<=>|`, and `*`/`?` only
//! in directory patterns). Both `\` and `/` separate components; empty and
//! `.` components vanish; `..` removes the previous component and may never
//! climb above the device root; a component is at most 255 bytes and a whole
//! name at most 1024.

use crate::status::NtStatus;

/// Longest component.
pub const MAX_COMPONENT: usize = 255;
/// Longest whole name.
pub const MAX_NAME: usize = 1024;

/// Checks the characters of a guest name (`pattern`: `*` and `?` allowed).
/// A leading `\??\` (the DOS-devices directory) is not part of the check.
pub fn validate(name: &[u8], pattern: bool) -> Result<(), NtStatus> {
    let name = name.strip_prefix(b"\\??\\").unwrap_or(name);
    if name.len() > MAX_NAME {
        return Err(NtStatus::OBJECT_NAME_INVALID);
    }
    for &c in name {
        let bad = match c {
            0..=31 | 0x7F.. => true,
            b'"' | b'+' | b',' | b';' | b'<' | b'=' | b'>' | b'|' => true,
            b'*' | b'?' => !pattern,
            _ => false,
        };
        if bad {
            return Err(NtStatus::OBJECT_NAME_INVALID);
        }
    }
    Ok(())
}

/// Whether `c` separates components.
pub fn is_separator(c: char) -> bool {
    c == '\\' || c == '/'
}

/// Applies the components of `rest` to `base` (a device-relative path):
/// `.` and empty parts vanish, `..` pops and fails at the root.
pub fn join(base: &[String], rest: &str) -> Result<Vec<String>, NtStatus> {
    let mut out = base.to_vec();
    for part in rest.split(is_separator) {
        match part {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    return Err(NtStatus::OBJECT_NAME_INVALID);
                }
            }
            p if p.len() > MAX_COMPONENT => return Err(NtStatus::OBJECT_NAME_INVALID),
            p => out.push(p.to_owned()),
        }
    }
    Ok(out)
}

/// A device-relative path as the volume readers take it (`a\b\c`).
pub fn to_volume_path(components: &[String]) -> String {
    components.join("\\")
}

/// Whether `name` starts with `prefix` (ASCII case ignored); returns the rest.
pub fn strip_prefix_ignore_case<'n>(name: &'n str, prefix: &str) -> Option<&'n str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &name[prefix.len()..])
}

/// DOS wildcard match (`*` any run, `?` one character), ASCII case ignored;
/// `*.*` matches every name, dotted or not.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    if pattern == "*.*" || pattern == "*" || pattern.is_empty() {
        return true;
    }
    let p: Vec<u8> = pattern.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let n: Vec<u8> = name.bytes().map(|b| b.to_ascii_lowercase()).collect();
    // Iterative match with backtracking to the last star.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(rest: &str) -> Result<Vec<String>, NtStatus> {
        join(&[], rest)
    }

    #[test]
    fn names_with_forbidden_characters_are_invalid() {
        assert!(validate(b"game:\\data\\file.bin", false).is_ok());
        assert!(validate(b"game:\\a\0b", false).is_err());
        assert!(validate(b"game:\\a\nb", false).is_err());
        assert!(validate("game:\\caf\u{e9}".as_bytes(), false).is_err());
        assert!(validate(b"game:\\a|b", false).is_err());
        assert!(validate(b"game:\\*.bin", false).is_err());
        assert!(validate(b"*.bin", true).is_ok());
        assert!(validate(b"\\??\\game:\\x", false).is_ok());
        assert!(validate(b"game:\\??\\x", false).is_err());
        assert!(validate(&[b'a'; MAX_NAME + 1], false).is_err());
    }

    #[test]
    fn dot_dot_never_climbs_above_the_root() {
        assert_eq!(j("a\\b\\..\\c").unwrap(), ["a", "c"]);
        assert_eq!(j("\\a\\.\\\\b\\").unwrap(), ["a", "b"]);
        assert_eq!(j("..").unwrap_err(), NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(j("a\\..\\..\\etc\\passwd").unwrap_err(), NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(j("a/../../x").unwrap_err(), NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(join(&["dir".into()], "..\\..").unwrap_err(), NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(join(&["dir".into()], "..\\x").unwrap(), ["x"]);
    }

    #[test]
    fn odd_separators_are_components_boundaries_and_long_names_fail() {
        assert_eq!(j("a/b\\c//d").unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(j("/etc/passwd").unwrap(), ["etc", "passwd"]);
        let long = "x".repeat(MAX_COMPONENT + 1);
        assert_eq!(j(&long).unwrap_err(), NtStatus::OBJECT_NAME_INVALID);
        assert!(j(&"x".repeat(MAX_COMPONENT)).is_ok());
    }

    #[test]
    fn wildcards_follow_dos_rules_ignoring_case() {
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("*.*", "noext"));
        assert!(wildcard_match("*.BIN", "numbers.bin"));
        assert!(!wildcard_match("*.bin", "numbers.txt"));
        assert!(wildcard_match("n?mbers.*", "Numbers.bin"));
        assert!(wildcard_match("*_x3.rkv", "level_X3.rkv"));
        assert!(!wildcard_match("a?", "a"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(wildcard_match("readme.txt", "README.TXT"));
    }

    #[test]
    fn prefixes_match_ignoring_case() {
        assert_eq!(strip_prefix_ignore_case("GAME:\\x", "game:"), Some("\\x"));
        assert_eq!(strip_prefix_ignore_case("ga", "game:"), None);
    }
}
