#!/bin/sh
# Rebuilds the benchmark images from their sources (Debian's
# binutils-powerpc-linux-gnu): cpu-proc/src/ppc/bench/build.sh
set -eu
cd "$(dirname "$0")"
for s in integer memcpy fp vmx; do
  powerpc-linux-gnu-as -a64 -mppc64 -maltivec -mregnames -o "/tmp/xenact-bench-$s.o" "$s.s"
  powerpc-linux-gnu-objcopy -O binary -j .text "/tmp/xenact-bench-$s.o" "$s.bin"
  rm -f "/tmp/xenact-bench-$s.o"
done
