#!/usr/bin/env python3
"""Case generator and QEMU oracle for the PowerPC conformance corpus.

The cases live as directives in the assembly sources (src/*.s).  A directive
line `#> ...` belongs to the last snippet label above it:

    add_t:  add r3,r4,r5
            blr
    #> small r4=5 r5=7
    #> wrap  r4=0x7fffffffffffffff r5=1

Tokens of a directive (all optional, any order):
    SUFFIX            first token without '=': case name is LABEL_SUFFIX
                      (default LABEL_N, N counting from 1)
    rN=INT            GPR input (0x.. hex, decimal, negative decimal)
    fN=FLOAT          FPR input: decimal (kept as decimal in the case file),
                      0x.. bit pattern, or inf -inf qnan snan -0
    vN=W,W,W,W        vector input, four 32-bit hex words (first = lowest addr)
    vN=f:A,B,C,D      vector input, four single floats
    vN=b:HEX32        vector input, 16 bytes
    cr= xer= fpscr= vscr= ctr=   special registers
    m0xADDR=HEX       memory input (data window 0x10001000-0x1000FFFF)
    ~KEY=VALUE        QEMU is known to differ from the architecture (or from
                      Xenon) here: this value replaces QEMU's in `out`.
                      Every use is listed in README.md.
    !KEY=VALUE        expected output stated by hand (same syntaxes; also
                      !m0xADDR=HEX for memory).  In an oracle case it is
                      asserted against QEMU; in a hand case it is the result.
    -KEY              do not compare KEY (architecturally undefined result)
    @0xADDR:LEN       also compare this memory range after the run
    hand              the case is not run under QEMU: its outputs are the
                      `!` values (plus every input register unchanged).
                      Used for VMX128, Cell lvlx/lvrx/stvlx/stvrx, dcbz/dcbz128
                      (Xenon line sizes) and other Xenon-specific behaviour.

A source may say `#! hand` on a line of its own: every case after that line
is a hand case (VMX128 file).

For an oracle case the snippet is wrapped in a static big-endian ELF64 that
loads the image at 0x82000000, sets every register from the case, enters
with LR = 0xBCBCBCBC (a page at that address holds the dump code), and after
the snippet returns dumps GPRs, CR, XER, LR, CTR, FPRs, FPSCR, VRs, VSCR and
the data window to stdout.  It runs under `qemu-ppc64 -cpu power7`
(ISA 2.06: 64-bit, AltiVec, no ISA 3.0 CA32/OV32 XER bits).

The expected `out` lists: r0 and r3-r12 always, every register given in `in`,
every register the snippet changed, and cr, xer, lr, ctr, fpscr, vscr.
`mem_out` lists every 16-byte block of the data window that differs from the
initial contents plus the @ ranges and the mem_in ranges.

Usage:
    oracle.py generate [SRC...]   write NAME.jsonl beside this script
    oracle.py verify   [SRC...]   re-run QEMU and compare with NAME.jsonl
Sources default to src/*.s.  Needs python3 (stdlib), qemu-user,
binutils-powerpc-linux-gnu; run build.sh first (bin/NAME.bin, bin/NAME.sym).
"""
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOAD = 0x82000000
HARNESS = 0x81F00000
BLOCK_OFF = 0x1000            # input block inside the harness segment
STACK = 0x81FF0000            # 64 KiB stack just below the image
SAVE = 0x81FF8000             # r1 during the snippet; dump area
DUMP_PAGE = 0xBCBCB000
RETURN = 0xBCBCBCBC
WIN = 0x10001000
WIN_LEN = 0xF000
QEMU = os.environ.get("QEMU", "qemu-ppc64")
QEMU_CPU = os.environ.get("QEMU_CPU", "power7")
AS = os.environ.get("AS", "powerpc-linux-gnu-as")
OBJCOPY = os.environ.get("OBJCOPY", "powerpc-linux-gnu-objcopy")

# block layout (input and dump share it)
O_GPR, O_CR, O_XER, O_LR, O_CTR = 0, 256, 264, 272, 280
O_FPR, O_FPSCR, O_VR, O_VSCR = 288, 544, 560, 1072
BLOCK_LEN = 1088

ALWAYS_GPR = [0] + list(range(3, 13))


def harness_source():
    s = [".text", "start:",
         "li 31,0", "oris 31,31,%d" % ((HARNESS + BLOCK_OFF) >> 16),
         "ori 31,31,%d" % ((HARNESS + BLOCK_OFF) & 0xFFFF),
         "lfd 0,%d(31)" % O_FPSCR, "mtfsf 0xff,0",
         "li 3,%d" % O_VSCR, "lvx 0,31,3", "mtvscr 0"]
    for i in range(32):
        s += ["li 3,%d" % (O_VR + 16 * i), "lvx %d,31,3" % i]
    for i in range(32):
        s.append("lfd %d,%d(31)" % (i, O_FPR + 8 * i))
    s += ["lwz 3,%d(31)" % (O_CR + 4), "mtcrf 0xff,3",
          "ld 3,%d(31)" % O_XER, "mtxer 3",
          "ld 3,%d(31)" % O_CTR, "mtctr 3",
          "ld 3,%d(31)" % O_LR, "mtlr 3"]
    for i in range(31):
        if i != 1:
            s.append("ld %d,%d(31)" % (i, O_GPR + 8 * i))
    s += ["li 1,0", "oris 1,1,%d" % (SAVE >> 16), "ori 1,1,%d" % (SAVE & 0xFFFF),
          "ld 31,%d(31)" % (O_GPR + 8 * 31), "branch: .long 0x48000000"]
    s += ["dump:"]
    for i in range(32):
        s.append("std %d,%d(1)" % (i, O_GPR + 8 * i))
    s += ["mfcr 3", "stw 3,%d(1)" % (O_CR + 4),
          "mfxer 3", "std 3,%d(1)" % O_XER,
          "mflr 3", "std 3,%d(1)" % O_LR,
          "mfctr 3", "std 3,%d(1)" % O_CTR]
    for i in range(32):
        s.append("stfd %d,%d(1)" % (i, O_FPR + 8 * i))
    s += ["mffs 0", "stfd 0,%d(1)" % O_FPSCR]
    for i in range(32):
        s += ["li 3,%d" % (O_VR + 16 * i), "stvx %d,1,3" % i]
    s += ["mfvscr 0", "li 3,%d" % O_VSCR, "stvx 0,1,3",
          "li 0,4", "li 3,1", "mr 4,1", "li 5,%d" % BLOCK_LEN, "sc",
          "li 0,4", "li 3,1", "li 4,0", "oris 4,4,%d" % (WIN >> 16),
          "ori 4,4,%d" % (WIN & 0xFFFF), "li 5,0", "ori 5,5,%d" % WIN_LEN, "sc",
          "li 0,1", "li 3,0", "sc", "trap"]
    return "\n".join(s) + "\n"


_harness_cache = None


def harness():
    """Returns (entry code bytes, offset of the branch word, dump code bytes)."""
    global _harness_cache
    if _harness_cache:
        return _harness_cache
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "h.s")
        with open(src, "w") as f:
            f.write(harness_source())
        subprocess.run([AS, "-a64", "-mppc64", "-maltivec", "-o",
                        os.path.join(d, "h.o"), src], check=True)
        subprocess.run([OBJCOPY, "-O", "binary", "-j", ".text",
                        os.path.join(d, "h.o"), os.path.join(d, "h.bin")],
                       check=True)
        code = open(os.path.join(d, "h.bin"), "rb").read()
    words = [code[i:i + 4] for i in range(0, len(code), 4)]
    br = words.index(b"\x48\x00\x00\x00") * 4
    _harness_cache = (code[:br + 4], br, code[br + 4:])
    return _harness_cache


def make_elf(segments, entry):
    """segments: list of (vaddr, data, memsz, flags). ELF64 BE, ELFv2 entry."""
    segments = sorted(segments)
    n = len(segments)
    phoff = 64
    out = bytearray()
    hdr = b"\x7fELF" + bytes([2, 2, 1, 0]) + bytes(8)
    hdr += struct.pack(">HHIQQQIHHHHHH", 2, 21, 1, entry, phoff, 0, 2,
                       64, 56, n, 64, 0, 0)
    out += hdr
    out += bytes(56 * n)
    offsets = []
    for vaddr, data, memsz, flags in segments:
        off = len(out)
        off = (off + 0xFFFF) & ~0xFFFF
        off += vaddr & 0xFFFF
        out += bytes(off - len(out))
        offsets.append(off)
        out += data
    for k, (vaddr, data, memsz, flags) in enumerate(segments):
        struct.pack_into(">IIQQQQQQ", out, phoff + 56 * k, 1, flags,
                         offsets[k], vaddr, vaddr, len(data), memsz, 0x10000)
    return bytes(out)


# ---------------------------------------------------------------- values

SPECIAL_F = {"inf": 0x7FF0000000000000, "-inf": 0xFFF0000000000000,
             "qnan": 0x7FF8000000000000, "snan": 0x7FF4000000000000,
             "-0": 0x8000000000000000, "-qnan": 0xFFF8000000000000}
SPECIAL_S = {"inf": 0x7F800000, "-inf": 0xFF800000, "qnan": 0x7FC00000,
             "snan": 0x7FA00000, "-0": 0x80000000, "-qnan": 0xFFC00000}


def parse_int(s):
    v = int(s, 0)
    return v & 0xFFFFFFFFFFFFFFFF


def parse_f(s):
    """returns (bits, json text)"""
    if s in SPECIAL_F:
        b = SPECIAL_F[s]
        return b, "0x%016X" % b
    if s.lower().startswith("0x"):
        b = int(s, 16)
        return b, "0x%016X" % b
    b = struct.unpack(">Q", struct.pack(">d", float(s)))[0]
    return b, s


def single_bits(s):
    if s in SPECIAL_S:
        return SPECIAL_S[s]
    if s.lower().startswith("0x"):
        return int(s, 16)
    return struct.unpack(">I", struct.pack(">f", float(s)))[0]


def parse_v(s):
    if s.startswith("f:"):
        w = [single_bits(x) for x in s[2:].split(",")]
    elif s.startswith("b:"):
        h = s[2:]
        assert len(h) == 32, s
        w = [int(h[i:i + 8], 16) for i in range(0, 32, 8)]
    elif s.startswith("h:"):
        hs = [int(x, 16) & 0xFFFF for x in s[2:].split(",")]
        assert len(hs) == 8, s
        w = [(hs[2 * i] << 16) | hs[2 * i + 1] for i in range(4)]
    else:
        w = [int(x, 16) for x in s.split(",")]
    assert len(w) == 4, s
    return w


def fmt_v(w):
    return ["%08X" % x for x in w]


def parse_value(key, s):
    """returns (internal value, json value)"""
    if key[0] == "r" and key[1:].isdigit():
        v = parse_int(s)
        return v, "0x%016X" % v
    if key[0] == "f" and key[1:].isdigit():
        return parse_f(s)
    if key[0] == "v" and key[1:].isdigit():
        w = parse_v(s)
        return w, fmt_v(w)
    if key in ("cr", "xer", "fpscr", "vscr"):
        v = int(s, 0) & 0xFFFFFFFF
        return v, "0x%08X" % v
    if key in ("ctr", "lr"):
        v = parse_int(s)
        return v, "0x%016X" % v
    raise ValueError("unknown register " + key)


def json_of(key, v):
    if key[0] in "rf" and key[1:].isdigit() or key in ("ctr", "lr"):
        return "0x%016X" % v
    if key[0] == "v" and key[1:].isdigit():
        return fmt_v(v)
    return "0x%08X" % v


def key_order(k):
    if k[0] in "rfv" and k[1:].isdigit():
        return ("rfv".index(k[0]), int(k[1:]))
    return (3, ["cr", "xer", "lr", "ctr", "fpscr", "vscr"].index(k))


# ---------------------------------------------------------------- parsing

class Case:
    pass


def parse_source(path):
    cases = []
    label = None
    counters = {}
    all_hand = False
    for lineno, line in enumerate(open(path), 1):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_.]*):", line)
        if m:
            label = m.group(1)
            continue
        if line.startswith("#! hand"):
            all_hand = True
            continue
        if not line.startswith("#>"):
            continue
        body = line[2:].split("#")[0].split()
        c = Case()
        c.label = label
        c.where = "%s:%d" % (os.path.basename(path), lineno)
        c.inp, c.inj = {}, {}
        c.mem_in = []
        c.want, c.wantj = {}, {}
        c.want_mem = []
        c.ignore = set()
        c.extra_mem = []
        c.hand = all_hand
        c.over, c.overj = {}, {}
        suffix = None
        for i, tok in enumerate(body):
            if tok == "hand":
                c.hand = True
            elif tok.startswith("-"):
                c.ignore.add(tok[1:])
            elif tok.startswith("@"):
                a, n = tok[1:].split(":")
                c.extra_mem.append((int(a, 0), int(n, 0)))
            elif "=" in tok:
                k, v = tok.split("=", 1)
                if k.startswith("~"):
                    val, j = parse_value(k[1:], v)
                    c.over[k[1:]], c.overj[k[1:]] = val, j
                    continue
                want = k.startswith("!")
                k = k.lstrip("!")
                if k.startswith("m0x"):
                    ent = (int(k[1:], 16), bytes.fromhex(v))
                    (c.want_mem if want else c.mem_in).append(ent)
                    continue
                val, j = parse_value(k, v)
                if want:
                    c.want[k], c.wantj[k] = val, j
                else:
                    c.inp[k], c.inj[k] = val, j
            elif i == 0:
                suffix = tok
            else:
                raise SystemExit("%s: bad token %r" % (c.where, tok))
        if suffix is None:
            counters[label] = counters.get(label, 0) + 1
            suffix = str(counters[label])
        c.name = "%s_%s" % (label, suffix)
        cases.append(c)
    return cases


def read_syms(stem):
    syms = {}
    for line in open(os.path.join(HERE, "bin", stem + ".sym")):
        off, name = line.split()
        syms[name] = int(off, 16)
    return syms


# ---------------------------------------------------------------- running

def initial_state(c):
    st = {}
    for i in range(32):
        st["r%d" % i] = 0
        st["f%d" % i] = 0
        st["v%d" % i] = [0, 0, 0, 0]
    st.update(cr=0, xer=0, lr=RETURN, ctr=0, fpscr=0, vscr=0)
    st.update(c.inp)
    return st


def window_bytes(c):
    w = bytearray(WIN_LEN)
    for addr, data in c.mem_in:
        assert WIN <= addr and addr + len(data) <= WIN + WIN_LEN, c.name
        w[addr - WIN:addr - WIN + len(data)] = data
    return w


def check_fpscr(c, v):
    vx = bool(v & 0x01F80700)
    fex = bool((v >> 25) & (v >> 3) & 0x1F)
    if bool(v & 0x20000000) != vx or bool(v & 0x40000000) != fex:
        raise SystemExit("%s (%s): fpscr input %08x has inconsistent VX/FEX"
                         % (c.name, c.where, v))


def run_qemu(c, image, entry, tmpdir):
    code, br, dump = harness()
    st = initial_state(c)
    check_fpscr(c, st["fpscr"])
    for k in st:
        if k[0] == "v" and k[1:].isdigit() and int(k[1:]) > 31:
            raise SystemExit("%s: v32+ needs a hand case" % c.name)
    blk = bytearray(BLOCK_LEN)
    for i in range(32):
        struct.pack_into(">Q", blk, O_GPR + 8 * i, st["r%d" % i])
        struct.pack_into(">Q", blk, O_FPR + 8 * i, st["f%d" % i])
        struct.pack_into(">4I", blk, O_VR + 16 * i, *st["v%d" % i])
    struct.pack_into(">I", blk, O_CR + 4, st["cr"])
    struct.pack_into(">Q", blk, O_XER, st["xer"])
    struct.pack_into(">Q", blk, O_LR, st["lr"])
    struct.pack_into(">Q", blk, O_CTR, st["ctr"])
    struct.pack_into(">I", blk, O_FPSCR + 4, st["fpscr"])
    struct.pack_into(">I", blk, O_VSCR + 12, st["vscr"])
    code = bytearray(code)
    delta = entry - (HARNESS + br)
    struct.pack_into(">I", code, br, 0x48000000 | (delta & 0x03FFFFFC))
    hseg = bytes(code) + bytes(BLOCK_OFF - len(code)) + bytes(blk)
    dseg = bytes(RETURN - DUMP_PAGE) + dump
    elf = make_elf([
        (HARNESS, hseg, len(hseg), 7),
        (STACK, b"", 0x10000, 6),
        (LOAD, image, len(image), 5),
        (DUMP_PAGE, dseg, len(dseg), 5),
        (WIN, bytes(window_bytes(c)), WIN_LEN, 6),
    ], HARNESS)
    path = os.path.join(tmpdir, "case.elf")
    with open(path, "wb") as f:
        f.write(elf)
    os.chmod(path, 0o755)
    p = subprocess.run([QEMU, "-cpu", QEMU_CPU, path], capture_output=True,
                       timeout=20)
    out = p.stdout
    if len(out) != BLOCK_LEN + WIN_LEN:
        raise SystemExit("%s (%s): qemu failed rc=%d: %s" % (
            c.name, c.where, p.returncode, p.stderr.decode(errors="replace")))
    blk, win = out[:BLOCK_LEN], out[BLOCK_LEN:]
    res = {}
    for i in range(32):
        res["r%d" % i] = struct.unpack_from(">Q", blk, O_GPR + 8 * i)[0]
        res["f%d" % i] = struct.unpack_from(">Q", blk, O_FPR + 8 * i)[0]
        res["v%d" % i] = list(struct.unpack_from(">4I", blk, O_VR + 16 * i))
    res["cr"] = struct.unpack_from(">I", blk, O_CR + 4)[0]
    res["xer"] = struct.unpack_from(">Q", blk, O_XER)[0] & 0xFFFFFFFF
    res["lr"] = struct.unpack_from(">Q", blk, O_LR)[0]
    res["ctr"] = struct.unpack_from(">Q", blk, O_CTR)[0]
    res["fpscr"] = struct.unpack_from(">Q", blk, O_FPSCR)[0] & 0xFFFFFFFF
    res["vscr"] = struct.unpack_from(">I", blk, O_VSCR + 12)[0]
    return st, res, win


def mem_regions(c, before, after):
    blocks = set()
    for i in range(0, WIN_LEN, 16):
        if before[i:i + 16] != after[i:i + 16]:
            blocks.add(i)
    ranges = []
    for a, n in list(c.extra_mem) + [(a, len(d)) for a, d in c.mem_in]:
        ranges.append((a - WIN, n))
    for b in sorted(blocks):
        ranges.append((b, 16))
    ranges.sort()
    merged = []
    for a, n in ranges:
        if merged and a <= merged[-1][0] + merged[-1][1]:
            pa, pn = merged[-1]
            merged[-1] = (pa, max(pa + pn, a + n) - pa)
        else:
            merged.append((a, n))
    return [{"addr": "0x%08X" % (WIN + a), "hex": after[a:a + n].hex().upper()}
            for a, n in merged]


def build_case(c, stem, syms, tmpdir):
    if c.label not in syms:
        raise SystemExit("%s: label %s not in bin/%s.sym" % (c.where, c.label, stem))
    entry = LOAD + syms[c.label]
    image = open(os.path.join(HERE, "bin", stem + ".bin"), "rb").read()
    d = {"name": c.name, "image": "bin/%s.bin" % stem, "load": "0x%08X" % LOAD,
         "entry": "0x%08X" % entry, "in": {}}
    for k in sorted(c.inj, key=key_order):
        d["in"][k] = c.inj[k]
    if c.mem_in:
        d["mem_in"] = [{"addr": "0x%08X" % a, "hex": h.hex().upper()}
                       for a, h in c.mem_in]
    out = {}
    if c.hand:
        for k in c.inp:
            out[k] = c.inj[k]
        out.update(c.wantj)
        # unchanged special registers unless stated
        for k in ("cr", "xer", "lr", "ctr", "fpscr", "vscr"):
            if k not in out and k not in c.ignore:
                v = initial_state(c)[k]
                out[k] = json_of(k, v)
        for k in c.ignore:
            out.pop(k, None)
        d["out"] = {k: out[k] for k in sorted(out, key=key_order)}
        mo = []
        for a, h in c.mem_in:
            merged = bytearray(h)
            for wa, wh in c.want_mem:
                for j, byte in enumerate(wh):
                    if a <= wa + j < a + len(h):
                        merged[wa + j - a] = byte
            mo.append({"addr": "0x%08X" % a, "hex": bytes(merged).hex().upper()})
        for wa, wh in c.want_mem:
            if not any(a <= wa and wa + len(wh) <= a + len(h) for a, h in c.mem_in):
                mo.append({"addr": "0x%08X" % wa, "hex": wh.hex().upper()})
        if mo:
            d["mem_out"] = mo
        return d
    st, res, win = run_qemu(c, image, entry, tmpdir)
    keys = set("r%d" % i for i in ALWAYS_GPR)
    keys |= set(c.inp)
    for k in res:
        if res[k] != st[k]:
            keys.add(k)
    keys |= {"cr", "xer", "lr", "ctr", "fpscr", "vscr"}
    keys.discard("r1")
    keys -= c.ignore
    for k, v in c.want.items():
        if res[k] != v:
            raise SystemExit("%s (%s): stated %s=%s but QEMU gives %s" % (
                c.name, c.where, k, c.wantj[k], json_of(k, res[k])))
    before = window_bytes(c)
    for a, h in c.want_mem:
        got = win[a - WIN:a - WIN + len(h)]
        if got != h:
            raise SystemExit("%s (%s): stated memory %x=%s but QEMU gives %s" % (
                c.name, c.where, a, h.hex(), got.hex()))
    for k, v in c.over.items():
        if res[k] == v:
            raise SystemExit("%s (%s): override %s=%s equals QEMU's value" % (
                c.name, c.where, k, c.overj[k]))
        res[k] = v
        keys.add(k)
    d["out"] = {k: json_of(k, res[k]) for k in sorted(keys, key=key_order)}
    mo = mem_regions(c, before, win)
    if mo:
        d["mem_out"] = mo
    return d


def process(src, mode):
    stem = os.path.splitext(os.path.basename(src))[0]
    cases = parse_source(src)
    syms = read_syms(stem)
    lines = []
    names = set()
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases:
            if c.name in names:
                raise SystemExit("%s: duplicate case name %s" % (c.where, c.name))
            names.add(c.name)
            d = build_case(c, stem, syms, tmp)
            lines.append(json.dumps(d))
    target = os.path.join(HERE, stem + ".jsonl")
    text = "\n".join(lines) + "\n"
    if mode == "generate":
        with open(target, "w") as f:
            f.write(text)
        print("%s: %d cases" % (os.path.basename(target), len(lines)))
        return True
    old = open(target).read().splitlines() if os.path.exists(target) else []
    new = text.splitlines()
    ok = old == new
    if not ok:
        on = {json.loads(l)["name"]: l for l in old}
        for l in new:
            n = json.loads(l)["name"]
            if on.get(n) != l:
                print("%s: %s differs\n  committed: %s\n  oracle:    %s" % (
                    os.path.basename(target), n, on.get(n), l))
        if len(old) != len(new):
            print("%s: %d committed cases, %d from sources" % (
                os.path.basename(target), len(old), len(new)))
    print("%s: %d cases %s" % (os.path.basename(target), len(new),
                                "verified" if ok else "DIFFER"))
    return ok


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("generate", "verify"):
        print(__doc__)
        sys.exit(2)
    srcs = sys.argv[2:] or sorted(
        os.path.join(HERE, "src", f) for f in os.listdir(os.path.join(HERE, "src"))
        if f.endswith(".s"))
    ok = True
    for s in srcs:
        ok = process(s, sys.argv[1]) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
