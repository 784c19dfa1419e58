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
#
# The program calls a function import through NAME, an adapter in .text
# that calls the thunk (__thunk_NAME) from a frame laid out as Xenon titles
# lay theirs: GCC's 32-bit ABI passes arguments 9 to 12 at 8(r1) in 4-byte
# slots, the console's at 0x54(r1) in 8-byte slots, where the kernel reads
# them. The adapter copies those four words (whatever the export's arity).
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
__thunk_$sym:
        .long   0, 0, 0x7d6903a6, 0x4e800420    # record, 0, mtctr r11, bctr
        .text
        .balign 4
        .globl  $sym
        .type   $sym,@function
$sym:
        stwu    1, -0x80(1)
        mflr    0
        stw     0, 0x84(1)
        li      0, 0
        lwz     11, 0x88(1)     # argument 9
        stw     0, 0x54(1)
        stw     11, 0x58(1)
        lwz     11, 0x8c(1)     # argument 10
        stw     0, 0x5c(1)
        stw     11, 0x60(1)
        lwz     11, 0x90(1)     # argument 11
        stw     0, 0x64(1)
        stw     11, 0x68(1)
        lwz     11, 0x94(1)     # argument 12
        stw     0, 0x6c(1)
        stw     11, 0x70(1)
        bl      __thunk_$sym
        lwz     0, 0x84(1)
        mtlr    0
        addi    1, 1, 0x80
        blr
        .size   $sym, .-$sym
        .section .xex.imports,"",@progbits
        .long   __imp_$sym, __thunk_$sym
        .asciz  "$sym"
        .balign 4, 0
STUB
        ;;
    esac
done
