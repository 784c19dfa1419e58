/* files: open, read, seek, query and list files on the title's own disc or
 * folder (mounted as game:), and a path that tries to leave it fails. The
 * expected contents are those of tests/guest/data/files (see build.sh). */
#include "xenact.h"

static NTSTATUS open_path(HANDLE *h, const char *path, u32 options) {
    ANSI_STRING name;
    OBJECT_ATTRIBUTES attributes = {0, &name, 0};
    IO_STATUS_BLOCK io;
    ansi_string(&name, path);
    u32 access = (options & FILE_DIRECTORY_FILE) ? FILE_LIST_DIRECTORY : GENERIC_READ;
    return NtOpenFile(h, access | SYNCHRONIZE, &attributes, &io, FILE_SHARE_READ,
                      options | FILE_SYNCHRONOUS_IO_NONALERT);
}

static NTSTATUS read_at(HANDLE h, void *buf, u32 len, LARGE_INTEGER *offset, u32 *got) {
    IO_STATUS_BLOCK io = {0, 0};
    NTSTATUS s = NtReadFile(h, 0, NULL, NULL, &io, buf, len, offset);
    *got = io.information;
    return s;
}

static void read_files(void) {
    HANDLE h;
    u8 buf[64];
    u32 got;
    xt_check_eq("open default.xex", open_path(&h, "game:\\default.xex", FILE_NON_DIRECTORY_FILE), STATUS_SUCCESS);
    LARGE_INTEGER zero = 0;
    xt_check("read XEX magic", read_at(h, buf, 4, &zero, &got) == STATUS_SUCCESS && got == 4 &&
                                   memcmp(buf, "XEX2", 4) == 0);
    NtClose(h);

    if (!xt_check_eq("open numbers.bin", open_path(&h, "game:\\data\\numbers.bin", FILE_NON_DIRECTORY_FILE),
                     STATUS_SUCCESS))
        return;
    FILE_NETWORK_OPEN_INFORMATION info;
    IO_STATUS_BLOCK io;
    memset(&info, 0, sizeof info);
    NTSTATUS s = NtQueryInformationFile(h, &io, &info, sizeof info, FileNetworkOpenInformation);
    xt_check("query size", s == STATUS_SUCCESS && info.end_of_file == 256);

    LARGE_INTEGER at = 100;
    s = read_at(h, buf, 16, &at, &got);
    int match = s == STATUS_SUCCESS && got == 16;
    for (u32 i = 0; i < 16 && match; i++) match = buf[i] == 100 + i;
    xt_check("read at offset", match);

    LARGE_INTEGER position = 200;
    s = NtSetInformationFile(h, &io, &position, sizeof position, FilePositionInformation);
    xt_check_eq("seek", s, STATUS_SUCCESS);
    s = read_at(h, buf, 8, NULL, &got);
    match = s == STATUS_SUCCESS && got == 8;
    for (u32 i = 0; i < 8 && match; i++) match = buf[i] == 200 + i;
    xt_check("read at current position", match);
    position = 0;
    NtQueryInformationFile(h, &io, &position, sizeof position, FilePositionInformation);
    xt_check_eq("position after read", (u32)position, 208);

    at = 256;
    xt_check_eq("read past end", read_at(h, buf, 8, &at, &got), STATUS_END_OF_FILE);
    NtClose(h);

    xt_check_eq("open ignoring case", open_path(&h, "game:\\DATA\\README.TXT", FILE_NON_DIRECTORY_FILE),
                STATUS_SUCCESS);
    memset(buf, 0, sizeof buf);
    s = read_at(h, buf, sizeof buf - 1, &zero, &got);
    xt_check("read text", NT_SUCCESS(s) && strcmp((char *)buf, "Xenact test disc\n") == 0);
    NtClose(h);
}

static void list_directory(void) {
    HANDLE dir;
    if (!xt_check_eq("open directory", open_path(&dir, "game:\\data", FILE_DIRECTORY_FILE), STATUS_SUCCESS)) return;
    static char names[8][32];
    int count = 0;
    u32 attrs[8];
    static u8 buf[1024] __attribute__((aligned(8)));
    for (int restart = 1;; restart = 0) {
        IO_STATUS_BLOCK io;
        NTSTATUS s = NtQueryDirectoryFile(dir, 0, NULL, NULL, &io, buf, sizeof buf, NULL, restart);
        if (s == STATUS_NO_MORE_FILES || !NT_SUCCESS(s) || count == 8) break;
        u32 off = 0;
        for (;;) {
            FILE_DIRECTORY_INFORMATION *e = (FILE_DIRECTORY_INFORMATION *)(buf + off);
            if (count < 8) {
                u32 n = e->file_name_length < 31 ? e->file_name_length : 31;
                memcpy(names[count], e->file_name, n);
                names[count][n] = 0;
                attrs[count] = e->attributes;
                count++;
            }
            if (!e->next_entry_offset) break;
            off += e->next_entry_offset;
        }
    }
    NtClose(dir);
    /* Print sorted so the output does not depend on the listing order. */
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char t[32];
                u32 a = attrs[i];
                memcpy(t, names[i], 32);
                memcpy(names[i], names[j], 32);
                memcpy(names[j], t, 32);
                attrs[i] = attrs[j];
                attrs[j] = a;
            }
    for (int i = 0; i < count; i++)
        printf("files: entry %s%s\n", names[i], (attrs[i] & FILE_ATTRIBUTE_DIRECTORY) ? "\\" : "");
    xt_check_eq("list directory", count, 3);
}

static void refusals(void) {
    HANDLE h;
    xt_check("missing file fails", !NT_SUCCESS(open_path(&h, "game:\\data\\missing.bin", 0)));
    NTSTATUS s = open_path(&h, "game:\\..\\..\\etc\\passwd", 0);
    if (NT_SUCCESS(s)) NtClose(h);
    xt_check("path escaping the mount fails", !NT_SUCCESS(s));
}

int main(void) {
    xt_program = "files";
    read_files();
    list_directory();
    refusals();
    return xt_finish();
}
