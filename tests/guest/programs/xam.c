/* xam: the XAM services a title uses at boot. A local profile is signed in
 * in slot 0; a title-specific profile setting is written and read back; a
 * save is created in the content root save:, written, closed, reopened and
 * read back; a message box is answered through its overlapped. Run twice
 * with the same --cache-dir, the second run finds the first run's setting
 * and save (it says so on the "previous run" lines). */
#include "xenact.h"

static const char profile_value[] = "xenact-profile";
static const char save_value[] = "xenact-save";
static u8 settings_buffer[2048];

static HANDLE new_event(void) {
    HANDLE h = 0;
    NtCreateEvent(&h, NULL, 0, 0);
    return h;
}

/* Prepares an overlapped with its own event. */
static void overlapped_init(XOVERLAPPED *ov) {
    memset(ov, 0, sizeof *ov);
    ov->event = new_event();
}

/* Waits for an overlapped request and says whether it succeeded. */
static int completed(XOVERLAPPED *ov) {
    LARGE_INTEGER t = timeout_ms(5000);
    int ok = NtWaitForSingleObjectEx(ov->event, 1, 0, &t) == STATUS_SUCCESS && ov->result == 0;
    NtClose(ov->event);
    return ok;
}

static void sign_in(void) {
    xt_check_eq("slot 0 signed in locally", XamUserGetSigninState(0), 1);
    xt_check_eq("slot 1 empty", XamUserGetSigninState(1), 0);
    u64 xuid = 0;
    xt_check_eq("offline xuid", XamUserGetXUID(0, 1, &xuid), 0);
    xt_check_eq("xuid is offline", (u32)(xuid >> 32) >> 16, 0xE000);
    char name[16];
    xt_check("gamertag", XamUserGetName(0, name, sizeof name) == 0 && strcmp(name, "Xenact") == 0);
}

/* Reads TITLE_SPECIFIC1: its record, or NULL. */
static XUSER_PROFILE_SETTING *read_title_setting(void) {
    u32 ids[1] = {XPROFILE_TITLE_SPECIFIC1};
    u32 size = sizeof settings_buffer;
    if (XamUserReadProfileSettings(0, 0, 0, NULL, 1, ids, &size, settings_buffer, NULL) != 0) return NULL;
    return (XUSER_PROFILE_SETTING *)(settings_buffer + 8);
}

static void profile(void) {
    u32 ids[2] = {XPROFILE_GAMERCARD_ZONE, XPROFILE_TITLE_SPECIFIC1};
    u32 size = 0;
    xt_check_eq("profile size query", XamUserReadProfileSettings(0, 0, 0, NULL, 2, ids, &size, NULL, NULL),
                ERROR_INSUFFICIENT_BUFFER);
    xt_check_eq("profile size needed", size, 8 + 2 * 40 + 1000);

    XUSER_PROFILE_SETTING *before = read_title_setting();
    if (before && before->source == 2 && before->value_size < 64) {
        char text[64];
        memcpy(text, (void *)before->value_ptr, before->value_size);
        text[before->value_size] = 0;
        printf("xam: previous run's profile setting: %s\n", text);
    } else {
        printf("xam: no profile setting from a previous run\n");
    }

    XUSER_PROFILE_SETTING setting;
    memset(&setting, 0, sizeof setting);
    setting.setting_id = XPROFILE_TITLE_SPECIFIC1;
    setting.data_type = 6; /* binary */
    setting.value_size = sizeof profile_value - 1;
    setting.value_ptr = (u32)profile_value;
    XOVERLAPPED ov;
    overlapped_init(&ov);
    xt_check_eq("profile write pending", XamUserWriteProfileSettings(0, 0, 1, &setting, &ov), ERROR_IO_PENDING);
    xt_check("profile write completed", completed(&ov));

    XUSER_PROFILE_SETTING *after = read_title_setting();
    xt_check("profile setting reads back",
             after && after->source == 2 && after->value_size == sizeof profile_value - 1 &&
                 memcmp((void *)after->value_ptr, profile_value, after->value_size) == 0);
}

static NTSTATUS open_save_file(HANDLE *h, u32 access, u32 disposition) {
    ANSI_STRING name;
    OBJECT_ATTRIBUTES attributes = {0, &name, 0};
    IO_STATUS_BLOCK io;
    ansi_string(&name, "save:\\progress.dat");
    return NtCreateFile(h, access | SYNCHRONIZE, &attributes, &io, NULL, 0, FILE_SHARE_READ, disposition,
                        FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
}

/* Reads the save file into `out` (NUL-terminated): its length, or -1. */
static int read_save_file(char *out, u32 room) {
    HANDLE h;
    if (open_save_file(&h, GENERIC_READ, FILE_OPEN) != STATUS_SUCCESS) return -1;
    IO_STATUS_BLOCK io = {0, 0};
    LARGE_INTEGER zero = 0;
    NTSTATUS s = NtReadFile(h, 0, NULL, NULL, &io, out, room - 1, &zero);
    NtClose(h);
    if (s != STATUS_SUCCESS) return -1;
    out[io.information] = 0;
    return (int)io.information;
}

static void content(void) {
    XCONTENT_DATA data;
    memset(&data, 0, sizeof data);
    data.device_id = XCONTENTDEVICE_HDD;
    data.content_type = XCONTENTTYPE_SAVEDGAME;
    const u16 display[] = u"Xenact save";
    memcpy(data.display_name, display, sizeof display);
    memcpy(data.file_name, "slot0", 6);

    u32 disposition = 0;
    XOVERLAPPED ov;
    overlapped_init(&ov);
    xt_check_eq("content create pending",
                XamContentCreate(0, "save", &data, XCONTENT_OPENALWAYS, &disposition, NULL, &ov), ERROR_IO_PENDING);
    u32 length = ov.length;
    xt_check("content create completed", completed(&ov));
    xt_check("content disposition", (disposition == XCONTENT_CREATED || disposition == XCONTENT_OPENED) &&
                                        length == disposition);
    char text[64];
    if (disposition == XCONTENT_OPENED && read_save_file(text, sizeof text) >= 0) {
        printf("xam: previous run's save: %s\n", text);
    } else {
        printf("xam: no save from a previous run\n");
    }

    HANDLE h;
    int written = 0;
    if (open_save_file(&h, GENERIC_WRITE, FILE_OVERWRITE_IF) == STATUS_SUCCESS) {
        IO_STATUS_BLOCK io = {0, 0};
        written = NtWriteFile(h, 0, NULL, NULL, &io, save_value, sizeof save_value - 1, NULL) == STATUS_SUCCESS &&
                  io.information == sizeof save_value - 1;
        NtClose(h);
    }
    xt_check("save file written", written);
    xt_check_eq("content close", XamContentClose("save", NULL), 0);
    xt_check("closed root is gone", read_save_file(text, sizeof text) < 0);

    disposition = 0;
    xt_check_eq("content reopen", XamContentCreate(0, "save", &data, XCONTENT_OPENEXISTING, &disposition, NULL, NULL),
                0);
    xt_check_eq("content reopened existing", disposition, XCONTENT_OPENED);
    xt_check("save file reads back",
             read_save_file(text, sizeof text) == (int)(sizeof save_value - 1) && strcmp(text, save_value) == 0);
    xt_check_eq("content close again", XamContentClose("save", NULL), 0);
}

static void message_box(void) {
    static const u16 title[] = u"Xenact";
    static const u16 text[] = u"Continue?";
    static const u16 yes[] = u"Yes";
    static const u16 no[] = u"No";
    const u16 *buttons[2] = {yes, no};
    u32 result = 99;
    XOVERLAPPED ov;
    overlapped_init(&ov);
    xt_check_eq("message box pending", XamShowMessageBoxUI(0, title, text, 2, buttons, 1, 0, &result, &ov),
                ERROR_IO_PENDING);
    xt_check("message box completed", completed(&ov));
    xt_check_eq("message box answered with the focused button", result, 1);
}

int main(void) {
    xt_program = "xam";
    sign_in();
    profile();
    content();
    message_box();
    return xt_finish();
}
