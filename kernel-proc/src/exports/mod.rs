//! The declarative export table of the kernel modules a title imports from.
//!
//! One row per export of `xboxkrnl.exe` and `xam.xex`: the module, the
//! ordinal a title's import records name, the export's name, and whether it is
//! a function (a thunk the loader binds to a kernel call) or a variable (a
//! record the loader points at guest memory the kernel fills).
//!
//! - [`table`]: the rows themselves, sorted by module and ordinal.
//!
//! Later issues add the handler and implementation status as further fields
//! of [`Export`]; the lookups here stay as they are.

use std::collections::HashMap;
use std::sync::OnceLock;

mod table;

pub use table::EXPORTS;

/// A kernel module that exports by ordinal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `xboxkrnl.exe`, the NT-style kernel.
    Xboxkrnl,
    /// `xam.xex`, the system application layer (networking, UI, content).
    Xam,
}

impl Module {
    /// Every module, in table order.
    pub const ALL: [Module; 2] = [Module::Xboxkrnl, Module::Xam];

    /// The library name as it appears in a title's import table.
    pub const fn library_name(self) -> &'static str {
        match self {
            Module::Xboxkrnl => "xboxkrnl.exe",
            Module::Xam => "xam.xex",
        }
    }

    /// The module an import library name refers to, ignoring ASCII case.
    pub fn from_library_name(name: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.library_name().eq_ignore_ascii_case(name))
    }
}

/// Whether an export is code or data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportKind {
    /// A function: titles call it through a thunk.
    Function,
    /// A variable: titles read a pointer the loader stores in the record.
    Variable,
}

/// How far an export is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No handler: a call is reported once by name and returns
    /// `STATUS_NOT_IMPLEMENTED`; a variable is a zeroed block.
    Unimplemented,
    /// Implemented as the console behaves, as far as Xenact knows.
    Implemented,
    /// Implemented with a documented gap (the note says which).
    Partial(&'static str),
}

/// One row of the export table.
#[derive(Debug, Clone, Copy)]
pub struct Export {
    /// The module that exports it.
    pub module: Module,
    /// Its ordinal within that module.
    pub ordinal: u16,
    /// Its name.
    pub name: &'static str,
    /// Function or variable.
    pub kind: ExportKind,
    /// The kernel function that serves a call (functions only).
    pub handler: Option<crate::dispatch::Handler>,
    pub status: Status,
}

/// Builds one row; the table is written as calls to this so that adding a
/// column touches one function and one generator, not every reader.
pub(crate) const fn row(module: Module, ordinal: u16, name: &'static str, kind: ExportKind) -> Export {
    Export { module, ordinal, name, kind, handler: None, status: Status::Unimplemented }
}

impl Export {
    /// The row with its handler: `row(…).with(handler!(ob::nt_close))`.
    pub(crate) const fn with(self, handler: crate::dispatch::Handler) -> Export {
        Export { handler: Some(handler), status: Status::Implemented, ..self }
    }

    /// The row with a handler that has a documented gap.
    pub(crate) const fn partial(self, handler: crate::dispatch::Handler, note: &'static str) -> Export {
        Export { handler: Some(handler), status: Status::Partial(note), ..self }
    }

    /// A variable export the kernel fills ([`crate::variables`]).
    pub(crate) const fn filled(self) -> Export {
        Export { status: Status::Implemented, ..self }
    }
}

/// The export `module` has at `ordinal`, if the table knows it.
pub fn by_ordinal(module: Module, ordinal: u16) -> Option<&'static Export> {
    index_of(module, ordinal).map(|i| &EXPORTS[i])
}

/// The row index of `ordinal` of `module` (the id a thunk traps with).
pub fn index_of(module: Module, ordinal: u16) -> Option<usize> {
    EXPORTS.binary_search_by(|e| (e.module, e.ordinal).cmp(&(module, ordinal))).ok()
}

/// The row index of `name` in `module` (exact case).
pub fn index_of_name(module: Module, name: &str) -> Option<usize> {
    static INDEX: OnceLock<HashMap<(Module, &'static str), usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| EXPORTS.iter().enumerate().map(|(i, e)| ((e.module, e.name), i)).collect());
    index.get(&(module, name)).copied()
}

/// The export of `module` called `name` (exact case), if the table knows it.
pub fn by_name(module: Module, name: &str) -> Option<&'static Export> {
    index_of_name(module, name).map(|i| &EXPORTS[i])
}

/// The export called `name` in any module, searching `xboxkrnl.exe` first.
pub fn find_by_name(name: &str) -> Option<&'static Export> {
    Module::ALL.into_iter().find_map(|m| by_name(m, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique_by_module_and_ordinal() {
        for pair in EXPORTS.windows(2) {
            assert!(
                (pair[0].module, pair[0].ordinal) < (pair[1].module, pair[1].ordinal),
                "{:?} then {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn dbg_print_is_xboxkrnl_ordinal_3() {
        let e = by_ordinal(Module::Xboxkrnl, 3).expect("known ordinal");
        assert_eq!(e.name, "DbgPrint");
        assert_eq!(e.kind, ExportKind::Function);
        assert!(std::ptr::eq(by_name(Module::Xboxkrnl, "DbgPrint").unwrap(), e));
    }

    #[test]
    fn variables_are_marked_as_variables() {
        let e = by_name(Module::Xboxkrnl, "XboxHardwareInfo").expect("known name");
        assert_eq!(e.kind, ExportKind::Variable);
    }

    #[test]
    fn unknown_ordinal_and_name_give_none() {
        assert!(by_ordinal(Module::Xam, 0xFFFF).is_none());
        assert!(find_by_name("NoSuchExport").is_none());
    }

    #[test]
    fn library_names_match_ignoring_case() {
        assert_eq!(Module::from_library_name("XBOXKRNL.EXE"), Some(Module::Xboxkrnl));
        assert_eq!(Module::from_library_name("xam.xex"), Some(Module::Xam));
        assert_eq!(Module::from_library_name("xbdm.xex"), None);
    }
}
