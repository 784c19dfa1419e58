#!/bin/sh
# Writes the import stubs (assembly) for the kernel exports a program uses.
#
# usage: gen_imports.sh SYMBOL... > imports.S
#
# SYMBOL is an undefined symbol of the program. `__imp_NAME` is a variable
# import (the program reads the pointer the loader stores there); any other
# NAME is a function import: NAME becomes a 16-byte thunk in .xex.thunks and
# __imp_NAME its 4-byte record in .xex.iat. Each import also gets an entry in
# the non-loaded section .xex.imports: record address, thunk address (0 for a
# variable) and the NUL-terminated name padded to 4 bytes. The XEX packer
# resolves the names against the kernel's export table, writes the record
# words, and lists the addresses in the XEX import libraries; the loader
# rewrites each thunk so calling it traps into the emulator.
set -eu
echo '        .section .note.GNU-stack,"",@progbits'
for sym in "$@"; do
    case "$sym" in
    __imp_*)
        name=${sym#__imp_}
        cat <<STUB
        .section .xex.iat,"aw",@progbits
        .balign 4
        .globl  __imp_$name
__imp_$name:
        .long   0
        .section .xex.imports,"",@progbits
        .long   __imp_$name, 0
        .asciz  "$name"
        .balign 4, 0
STUB
        ;;
    *)
        cat <<STUB
        .section .xex.iat,"aw",@progbits
        .balign 4
__imp_$sym:
        .long   0
        .section .xex.thunks,"ax",@progbits
        .balign 16
        .globl  $sym
        .type   $sym,@function
$sym:
        .long   0, 0, 0x7d6903a6, 0x4e800420    # record, 0, mtctr r11, bctr
        .size   $sym,16
        .section .xex.imports,"",@progbits
        .long   __imp_$sym, $sym
        .asciz  "$sym"
        .balign 4, 0
STUB
        ;;
    esac
done
