#!/bin/sh
# Rebuilds the raw big-endian test images in tests/ppc/bin/ from tests/ppc/src/*.s
# with Debian's binutils-powerpc-linux-gnu (assembled as 64-bit, AltiVec + Cell
# so that lvlx/lvrx/stvlx/stvrx and dcbzl (= dcbz128) are accepted; VMX128 forms
# are .long words produced by the macros in src/vmx128.inc).
#
#   tests/ppc/build.sh           rebuild bin/*.bin and bin/*.sym
#   tests/ppc/build.sh --check   rebuild into a temporary directory and fail if
#                                the committed bin/ files differ
#
# bin/NAME.sym is the symbol table (`nm`) of the image: snippet label offsets,
# from which each case's "entry" (0x82000000 + offset) is taken.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
AS=${AS:-powerpc-linux-gnu-as}
OBJCOPY=${OBJCOPY:-powerpc-linux-gnu-objcopy}
NM=${NM:-powerpc-linux-gnu-nm}
for tool in "$AS" "$OBJCOPY" "$NM"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "missing $tool: apt-get install binutils-powerpc-linux-gnu" >&2; exit 2; }
done

CHECK=0
[ "${1:-}" = "--check" ] && CHECK=1

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT="$HERE/bin"
[ $CHECK = 1 ] && OUT="$TMP/out"
mkdir -p "$OUT"

for src in "$HERE"/src/*.s; do
  name=$(basename "$src" .s)
  "$AS" -a64 -mppc64 -maltivec -mcell -mregnames -I "$HERE/src" \
        -o "$TMP/$name.o" "$src"
  "$OBJCOPY" -O binary -j .text "$TMP/$name.o" "$OUT/$name.bin"
  "$NM" -n "$TMP/$name.o" | awk '$2 == "t" || $2 == "T" { print $1, $3 }' \
        > "$OUT/$name.sym"
done

if [ $CHECK = 1 ]; then
  status=0
  for f in "$OUT"/*; do
    b=$(basename "$f")
    if ! cmp -s "$f" "$HERE/bin/$b"; then
      echo "differs: bin/$b" >&2; status=1
    fi
  done
  for f in "$HERE"/bin/*; do
    b=$(basename "$f")
    [ -e "$OUT/$b" ] || { echo "stale: bin/$b" >&2; status=1; }
  done
  [ $status = 0 ] && echo "bin/ is up to date"
  exit $status
fi
