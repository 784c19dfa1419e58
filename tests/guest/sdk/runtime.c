/* The freestanding C runtime of Xenact guest programs. */
#include "xenact.h"

void *memcpy(void *dst, const void *src, size_t n) {
    u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (u8)*a - (u8)*b;
}

void ansi_string(ANSI_STRING *s, const char *text) {
    s->length = (u16)strlen(text);
    s->maximum_length = s->length + 1;
    s->buffer = text;
}

/* Built word by word, without 64-bit arithmetic: this code is compiled for
   the 32-bit ABI but runs in 64-bit mode, as titles do, where the carry
   between the halves of a long long (addc/adde, subfic/subfze) is not what
   32-bit code expects. Valid up to 429496 ms. */
LARGE_INTEGER timeout_ms(u32 ms) {
    u32 ticks = ms * 10000u;
    union { LARGE_INTEGER v; u32 w[2]; } t;
    t.w[0] = ticks ? 0xFFFFFFFFu : 0; /* big-endian: high word first */
    t.w[1] = 0u - ticks;
    return t.v;
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c) {
    if (o->len + 1 < o->size) o->buf[o->len] = c;
    o->len++;
}

static void put_number(struct out *o, u64 v, int base, int upper, int negative, int width, char pad, int left) {
    char digits[24];
    int n = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[n++] = set[v % (u64)base];
        v /= (u64)base;
    } while (v);
    int len = n + negative;
    if (negative && pad == '0') put(o, '-');
    if (!left)
        for (; width > len; width--) put(o, pad);
    if (negative && pad != '0') put(o, '-');
    while (n) put(o, digits[--n]);
    if (left)
        for (; width > len; width--) put(o, ' ');
}

/* printf formatting: %d %i %u %x %X %p %s %c %%, flags '-' and '0', a
 * width, and the length modifiers l and ll. */
int vsnprintf(char *buf, size_t size, const char *f, __builtin_va_list ap) {
    struct out o = {buf, size, 0};
    for (; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        int left = 0, width = 0, longs = 0;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '0') pad = '0';
            else break;
        }
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        while (*f == 'l') longs++, f++;
        switch (*f) {
        case 'd':
        case 'i': {
            s64 v = longs >= 2 ? __builtin_va_arg(ap, s64) : __builtin_va_arg(ap, s32);
            put_number(&o, v < 0 ? (u64)-v : (u64)v, 10, 0, v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = longs >= 2 ? __builtin_va_arg(ap, u64) : __builtin_va_arg(ap, u32);
            put_number(&o, v, *f == 'u' ? 10 : 16, *f == 'X', 0, width, pad, left);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (u32)__builtin_va_arg(ap, void *), 16, 0, 0, 8, '0', 0);
            break;
        case 's': {
            const char *s = __builtin_va_arg(ap, const char *);
            if (!s) s = "(null)";
            int len = (int)strlen(s);
            if (!left)
                for (; width > len; width--) put(&o, ' ');
            while (*s) put(&o, *s++);
            if (left)
                for (; width > len; width--) put(&o, ' ');
            break;
        }
        case 'c':
            put(&o, (char)__builtin_va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case 0:
            f--;
            break;
        default:
            put(&o, '%');
            put(&o, *f);
        }
    }
    if (o.size) o.buf[o.len < o.size ? o.len : o.size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *format, ...) {
    __builtin_va_list ap;
    __builtin_va_start(ap, format);
    int n = vsnprintf(buf, size, format, ap);
    __builtin_va_end(ap);
    return n;
}

/* Formats in the guest and hands DbgPrint a plain "%s", so the kernel's
 * DbgPrint only needs the simplest conversion. */
int printf(const char *format, ...) {
    char buf[512];
    __builtin_va_list ap;
    __builtin_va_start(ap, format);
    int n = vsnprintf(buf, sizeof buf, format, ap);
    __builtin_va_end(ap);
    DbgPrint("%s", buf);
    return n;
}

void xenact_exit(int code) {
    ExTerminateThread(code);
    /* Not reached when the kernel ends the title with its main thread. */
    XamLoaderTerminateTitle();
    for (;;) {
    }
}

const char *xt_program = "test";
static int xt_pass, xt_fail;

int xt_check(const char *name, int ok) {
    if (ok) {
        xt_pass++;
        printf("%s: %s ok\n", xt_program, name);
    } else {
        xt_fail++;
        printf("%s: %s FAIL\n", xt_program, name);
    }
    return ok;
}

int xt_check_eq(const char *name, u32 got, u32 want) {
    if (got == want) return xt_check(name, 1);
    xt_fail++;
    printf("%s: %s FAIL (got 0x%08x, want 0x%08x)\n", xt_program, name, got, want);
    return 0;
}

int xt_finish(void) {
    printf("RESULT pass=%d fail=%d\n", xt_pass, xt_fail);
    return xt_fail;
}
