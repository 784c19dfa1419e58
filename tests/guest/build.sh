#!/bin/sh
# Rebuilds the guest test programs and their fixtures in tests/guest/bin.
#
#   tests/guest/build.sh           rebuild bin/ (NAME.xex, files/, files.iso)
#   tests/guest/build.sh --check   rebuild into a temporary folder and fail
#                                  unless the result equals bin/ byte for byte
#   GUEST_WORK=DIR tests/guest/build.sh   keep objects and ELFs in DIR
#
# Needs Debian's gcc-powerpc-linux-gnu and binutils-powerpc-linux-gnu, and
# the xenact packer: $XENACT if set, else `cargo run -p supervisor --bin xenact`.
# Every output is reproducible: no timestamps, no host paths, no randomness.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cross=${CROSS:-powerpc-linux-gnu-}
cc="${cross}gcc"
if [ -n "${XENACT:-}" ]; then
    xenact() { "$XENACT" "$@"; }
else
    xenact() { (cd "$root" && cargo run -q -p supervisor --bin xenact -- "$@"); }
fi

check=0
[ "${1:-}" = "--check" ] && check=1
# GUEST_WORK=DIR keeps the objects and ELFs there (for objdump).
if [ -n "${GUEST_WORK:-}" ]; then
    work=$GUEST_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
if [ $check = 1 ]; then out=$work/bin; else out=$here/bin; fi
mkdir -p "$out"

# Big-endian 32-bit PowerPC, freestanding, static, not position independent.
# -mcpu=cell: the Cell PPU is the closest relative of Xenon that gcc knows.
# Titles run in 64-bit mode, where 32-bit code's carries between the halves
# of a long long (addc/adde) come out of bit 63, not bit 31: the programs
# keep 64-bit integer math in 64-bit instructions (inline asm; the assembler
# takes them with -mppc64). -mpowerpc64 would do it in C, but GCC 12
# miscompiles with it (it passes NULL for the address of a local array).
# r13 stays untouched (the console keeps its per-processor data there) and
# small-data sections are off, so no register anchors are needed.
cflags="-O2 -m32 -mbig-endian -mcpu=cell -maltivec -mabi=altivec -ffreestanding -nostdlib -fno-pic -fno-pie
  -msdata=none -G 0 -ffixed-r13 -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables
  -fno-exceptions -fno-tree-loop-distribute-patterns -ffp-contract=off -fno-math-errno -fno-ident
  -Wall -Wextra -Werror -I$here/sdk/include"

# Build from inside the tree with relative names so no host path ends up
# anywhere in the objects.
cd "$here"
$cc $cflags -c sdk/crt0.S -o "$work/crt0.o"
$cc $cflags -c sdk/runtime.c -o "$work/runtime.o"

# name  packer flags  title id
programs="
hello   -                               58450001
threads --compress                      58450002
memory  --compress=basic                58450003
files   --compress,--encrypt            58450004
compute --encrypt=devkit                58450005
demo    --compress                      58450006
deadlock -                              58450007
fault   -                               58450008
kbench  -                               58450009
tone    --compress                      5845000A
badptr  -                               5845000B
gpu_irq -                               5845000C
gpu_clear -                             5845000D
input   -                               58450010
net     -                               5845000E
kmisc   -                               5845000F
xam     -                               58450011
crypt   -                               58450012
"

echo "$programs" | while read -r name flags title; do
    [ -n "$name" ] || continue
    $cc $cflags -c "programs/$name.c" -o "$work/$name.o"
    # Partial link with libgcc so only kernel exports stay undefined.
    $cc $cflags -no-pie -Wl,-r -Wl,--build-id=none -o "$work/$name.r.o" \
        "$work/crt0.o" "$work/runtime.o" "$work/$name.o" -lgcc
    # Every undefined symbol but the linker script's own is a kernel export.
    imports=$("${cross}nm" -u "$work/$name.r.o" | awk '{print $2}' | grep -v '^__bss_' | LC_ALL=C sort)
    sh sdk/gen_imports.sh $imports > "$work/$name.imports.S"
    $cc $cflags -c "$work/$name.imports.S" -o "$work/$name.imports.o"
    "${cross}ld" -T sdk/xex.ld --build-id=none -static --no-undefined -o "$work/$name.elf" \
        "$work/$name.r.o" "$work/$name.imports.o"
    pack_flags=$(echo "$flags" | tr ',' ' ' | sed 's/^-$//')
    # shellcheck disable=SC2086
    xenact xex pack "$work/$name.elf" -o "$out/$name.xex" $pack_flags --title-id "$title"
    echo "built $name.xex"
done

# The files program as a title folder and as a disc image: default.xex and
# the data files it reads.
rm -rf "$out/files"
mkdir -p "$out/files"
cp -R data/files/. "$out/files/"
cp "$out/files.xex" "$out/files/default.xex"
xenact iso pack "$out/files" -o "$out/files.iso"
echo "built files/ and files.iso"

if [ $check = 1 ]; then
    if diff -r "$out" "$here/bin" > "$work/diff.txt"; then
        echo "guest fixtures match"
    else
        cat "$work/diff.txt"
        echo "guest fixtures differ from tests/guest/bin: run tests/guest/build.sh" >&2
        exit 1
    fi
fi
