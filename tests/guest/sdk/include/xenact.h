/* The Xenact guest SDK: types, the kernel exports guest programs use, and
 * the small C runtime (printf through DbgPrint, memory and string helpers).
 *
 * Kernel exports are declared here by name; the build links a thunk for
 * each one a program uses (gen_imports.sh) and the XEX packer resolves the
 * names to ordinals. Signatures, structure layouts and constants are facts
 * from xenia (xboxkrnl_*.cc, xbox.h, xfile.h, info/file.h). All structures
 * are big-endian, as the guest is. */
#ifndef XENACT_H
#define XENACT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;
typedef unsigned int size_t;
typedef u32 HANDLE;
typedef s32 NTSTATUS;
typedef s64 LARGE_INTEGER;

#define NULL ((void *)0)

/* Status codes (xenia xbox.h). */
#define STATUS_SUCCESS 0x00000000
#define STATUS_WAIT_0 0x00000000
#define STATUS_ABANDONED_WAIT_0 0x00000080
#define STATUS_TIMEOUT 0x00000102
#define STATUS_NO_MORE_FILES ((NTSTATUS)0x80000006)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define STATUS_END_OF_FILE ((NTSTATUS)0xC0000011)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034)
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225)
#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)

/* Memory (xenia xbox.h X_MEM_*, X_PAGE_*). */
#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_LARGE_PAGES 0x20000000
#define MEM_16MB_PAGES 0x80000000
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04

/* Events: type 0 is manual reset (notification), 1 auto reset. */
#define NOTIFICATION_EVENT 0
#define SYNCHRONIZATION_EVENT 1
#define WAIT_ALL 0
#define WAIT_ANY 1
#define KERNEL_MODE 0
#define USER_MODE 1

/* Files. */
#define FILE_READ_DATA 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_LIST_DIRECTORY 0x0001
#define SYNCHRONIZE 0x00100000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000
#define FILE_OPEN 1
#define FILE_OVERWRITE_IF 5
#define FILE_SHARE_READ 0x01
#define FILE_DIRECTORY_FILE 0x01
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define FilePositionInformation 14
#define FileNetworkOpenInformation 34
#define FILE_ATTRIBUTE_DIRECTORY 0x10

typedef struct {
    u16 length;
    u16 maximum_length;
    const char *buffer;
} ANSI_STRING; /* 8 bytes */

typedef struct {
    HANDLE root_directory;
    ANSI_STRING *object_name;
    u32 attributes;
} OBJECT_ATTRIBUTES; /* 12 bytes; attributes at 0x8 */

typedef struct {
    NTSTATUS status;
    u32 information;
} IO_STATUS_BLOCK;

typedef struct {
    u32 base_address;
    u32 allocation_base;
    u32 allocation_protect;
    u32 region_size;
    u32 state;
    u32 protect;
    u32 type;
} MEMORY_BASIC_INFORMATION;

typedef struct {
    u8 header[16];
    s32 lock_count;
    s32 recursion_count;
    u32 owning_thread;
} RTL_CRITICAL_SECTION; /* 28 bytes */

typedef struct {
    s32 lock_count;
    u32 writers_waiting_count;
    u32 readers_waiting_count;
    u32 readers_entry_count;
    u8 writer_event[16];
    u8 reader_semaphore[20];
    u32 spin_lock;
} ERWLOCK; /* 56 bytes */

/* A resource section XexGetModuleSection finds: the packer copies the
 * entries of .xex.resources into the XEX resource info header
 * (DECLARE_XEX_RESOURCE(ident, "name", object) declares one). */
typedef struct {
    char name[8];
    const void *address;
    u32 size;
} XEX_RESOURCE; /* 16 bytes */
#define DECLARE_XEX_RESOURCE(ident, name_text, object)                                                  \
    static const XEX_RESOURCE ident __attribute__((section(".xex.resources"), used, aligned(4))) = \
        {name_text, &(object), sizeof(object)}

typedef struct {
    u64 creation_time;
    u64 last_access_time;
    u64 last_write_time;
    u64 change_time;
    u64 allocation_size;
    u64 end_of_file;
    u32 attributes;
    u32 pad;
} FILE_NETWORK_OPEN_INFORMATION; /* 56 bytes */

typedef struct {
    u32 next_entry_offset;
    u32 file_index;
    u64 creation_time;
    u64 last_access_time;
    u64 last_write_time;
    u64 change_time;
    u64 end_of_file;
    u64 allocation_size;
    u32 attributes;
    u32 file_name_length;
    char file_name[1];
} FILE_DIRECTORY_INFORMATION; /* name at 0x40 */

typedef struct {
    u32 flags;
    u8 number_of_processors;
    u8 pcie_bridge_revision;
    u8 reserved[6];
    u16 bldr_magic;
    u16 bldr_flags;
} XBOX_HARDWARE_INFO;

typedef u32 (*THREAD_START)(void *context);

/* xboxkrnl.exe */
u32 DbgPrint(const char *format, ...);
NTSTATUS ExCreateThread(HANDLE *handle, u32 stack_size, u32 *thread_id, u32 xapi_startup,
                        THREAD_START start, void *context, u32 creation_flags);
void ExTerminateThread(NTSTATUS exit_status);
NTSTATUS NtClose(HANDLE handle);
NTSTATUS NtCreateEvent(HANDLE *handle, OBJECT_ATTRIBUTES *attributes, u32 event_type, u32 initial_state);
NTSTATUS NtSetEvent(HANDLE handle, s32 *previous_state);
NTSTATUS NtClearEvent(HANDLE handle);
NTSTATUS NtWaitForSingleObjectEx(HANDLE handle, u32 wait_mode, u32 alertable, LARGE_INTEGER *timeout);
NTSTATUS NtWaitForMultipleObjectsEx(u32 count, HANDLE *handles, u32 wait_type, u32 wait_mode, u32 alertable,
                                    LARGE_INTEGER *timeout);
NTSTATUS NtCreateSemaphore(HANDLE *handle, OBJECT_ATTRIBUTES *attributes, s32 initial, s32 maximum);
NTSTATUS NtReleaseSemaphore(HANDLE handle, s32 release_count, s32 *previous_count);
NTSTATUS NtCreateMutant(HANDLE *handle, OBJECT_ATTRIBUTES *attributes, u32 initial_owner);
NTSTATUS NtReleaseMutant(HANDLE handle, s32 *previous_count);
void RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *cs);
void RtlEnterCriticalSection(RTL_CRITICAL_SECTION *cs);
void RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *cs);
NTSTATUS ObReferenceObjectByHandle(HANDLE handle, void *object_type, void **object);
void ObDereferenceObject(void *object);
u32 KeTlsAlloc(void);
u32 KeGetCurrentProcessType(void);
u32 KeTlsFree(u32 index);
void *KeTlsGetValue(u32 index);
u32 KeTlsSetValue(u32 index, void *value);
NTSTATUS KeDelayExecutionThread(u32 wait_mode, u32 alertable, LARGE_INTEGER *interval);
NTSTATUS NtAllocateVirtualMemory(void **base, u32 *size, u32 allocation_type, u32 protect, u32 debug_memory);
NTSTATUS NtFreeVirtualMemory(void **base, u32 *size, u32 free_type, u32 debug_memory);
NTSTATUS NtQueryVirtualMemory(void *base, MEMORY_BASIC_INFORMATION *info);
NTSTATUS NtProtectVirtualMemory(void **base, u32 *size, u32 protect, u32 *old_protect, u32 debug_memory);
void *MmAllocatePhysicalMemoryEx(u32 flags, u32 size, u32 protect, u32 min_address, u32 max_address,
                                 u32 alignment);
void MmFreePhysicalMemory(u32 type, void *base);
u32 MmQueryAddressProtect(void *address);
u32 MmGetPhysicalAddress(void *address);
NTSTATUS NtOpenFile(HANDLE *handle, u32 desired_access, OBJECT_ATTRIBUTES *attributes, IO_STATUS_BLOCK *io_status,
                    u32 share_access, u32 open_options);
NTSTATUS NtReadFile(HANDLE file, HANDLE event, void *apc_routine, void *apc_context, IO_STATUS_BLOCK *io_status,
                    void *buffer, u32 length, LARGE_INTEGER *byte_offset);
NTSTATUS NtCreateFile(HANDLE *handle, u32 desired_access, OBJECT_ATTRIBUTES *attributes, IO_STATUS_BLOCK *io_status,
                      LARGE_INTEGER *allocation_size, u32 file_attributes, u32 share_access, u32 disposition,
                      u32 options);
NTSTATUS NtWriteFile(HANDLE file, HANDLE event, void *apc_routine, void *apc_context, IO_STATUS_BLOCK *io_status,
                     const void *buffer, u32 length, LARGE_INTEGER *byte_offset);
NTSTATUS NtQueryInformationFile(HANDLE file, IO_STATUS_BLOCK *io_status, void *info, u32 length, u32 info_class);
NTSTATUS NtSetInformationFile(HANDLE file, IO_STATUS_BLOCK *io_status, void *info, u32 length, u32 info_class);
NTSTATUS NtQueryDirectoryFile(HANDLE file, HANDLE event, void *apc_routine, void *apc_context,
                              IO_STATUS_BLOCK *io_status, void *info, u32 length, ANSI_STRING *pattern,
                              u32 restart_scan);
void ExInitializeReadWriteLock(ERWLOCK *lock);
void ExAcquireReadWriteLockExclusive(ERWLOCK *lock);
void ExAcquireReadWriteLockShared(ERWLOCK *lock);
u32 ExTryToAcquireReadWriteLockExclusive(ERWLOCK *lock);
u32 ExTryToAcquireReadWriteLockShared(ERWLOCK *lock);
void ExReleaseReadWriteLock(ERWLOCK *lock);
NTSTATUS NtCreateIoCompletion(HANDLE *handle, u32 desired_access, OBJECT_ATTRIBUTES *attributes, u32 concurrent_threads);
NTSTATUS NtSetIoCompletion(HANDLE handle, u32 key, u32 apc_context, NTSTATUS status, u32 information);
NTSTATUS NtRemoveIoCompletion(HANDLE handle, u32 *key, u32 *apc_context, IO_STATUS_BLOCK *io_status,
                              LARGE_INTEGER *timeout);
NTSTATUS NtQueryIoCompletion(HANDLE handle, u32 info_class, void *info, u32 length, u32 *return_length);
u32 RtlComputeCrc32(u32 seed, const void *buffer, u32 length);
void *RtlImageNtHeader(void *base);
NTSTATUS XexGetModuleHandle(const char *name, void **module);
NTSTATUS XexGetModuleSection(void *module, const char *name, const void **data, u32 *size);

/* XeCrypt (layouts: SDK xecrypt.h). States are opaque byte blocks here. */
typedef struct { u8 b[0x58]; } XECRYPT_SHA_STATE;
typedef struct { u8 b[0x64]; } XECRYPT_SHA256_STATE;
typedef struct { u8 b[0x54]; } XECRYPT_MD5_STATE;
typedef struct { u8 b[0xB0]; } XECRYPT_HMACSHA_STATE;
typedef struct { u8 b[0x160]; } XECRYPT_AES_STATE;
typedef struct { u8 b[0x80]; } XECRYPT_DES_STATE;
typedef struct { u8 b[0x180]; } XECRYPT_DES3_STATE;
typedef struct { u8 b[0x102]; } XECRYPT_RC4_STATE;
typedef struct {
    u32 cqw;
    u32 public_exponent;
    u64 reserved;
} XECRYPT_RSA;
void XeCryptShaInit(XECRYPT_SHA_STATE *state);
void XeCryptShaUpdate(XECRYPT_SHA_STATE *state, const void *input, u32 size);
void XeCryptShaFinal(XECRYPT_SHA_STATE *state, void *out, u32 out_size);
void XeCryptSha256Init(XECRYPT_SHA256_STATE *state);
void XeCryptSha256Update(XECRYPT_SHA256_STATE *state, const void *input, u32 size);
void XeCryptSha256Final(XECRYPT_SHA256_STATE *state, void *out, u32 out_size);
void XeCryptSha256(const void *in1, u32 size1, const void *in2, u32 size2, const void *in3, u32 size3, void *out,
                   u32 out_size);
void XeCryptMd5(const void *in1, u32 size1, const void *in2, u32 size2, const void *in3, u32 size3, void *out,
                u32 out_size);
void XeCryptHmacSha(const void *key, u32 key_size, const void *in1, u32 size1, const void *in2, u32 size2,
                    const void *in3, u32 size3, void *out, u32 out_size);
void XeCryptHmacShaInit(XECRYPT_HMACSHA_STATE *state, const void *key, u32 key_size);
void XeCryptHmacShaUpdate(XECRYPT_HMACSHA_STATE *state, const void *input, u32 size);
void XeCryptHmacShaFinal(XECRYPT_HMACSHA_STATE *state, void *out, u32 out_size);
u32 XeCryptHmacShaVerify(const void *key, u32 key_size, const void *in1, u32 size1, const void *in2, u32 size2,
                         const void *in3, u32 size3, const void *expected, u32 expected_size);
void XeCryptHmacMd5(const void *key, u32 key_size, const void *in1, u32 size1, const void *in2, u32 size2,
                    const void *in3, u32 size3, void *out, u32 out_size);
void XeCryptAesKey(XECRYPT_AES_STATE *state, const void *key);
void XeCryptAesEcb(const XECRYPT_AES_STATE *state, const void *input, void *out, u32 encrypt);
void XeCryptAesCbc(const XECRYPT_AES_STATE *state, const void *input, u32 size, void *out, void *feed, u32 encrypt);
void XeCryptDesParity(const void *input, u32 size, void *out);
void XeCryptDesKey(XECRYPT_DES_STATE *state, const void *key);
void XeCryptDesEcb(const XECRYPT_DES_STATE *state, const void *input, void *out, u32 encrypt);
void XeCryptDesCbc(const XECRYPT_DES_STATE *state, const void *input, u32 size, void *out, void *feed, u32 encrypt);
void XeCryptDes3Key(XECRYPT_DES3_STATE *state, const void *key);
void XeCryptDes3Ecb(const XECRYPT_DES3_STATE *state, const void *input, void *out, u32 encrypt);
void XeCryptDes3Cbc(const XECRYPT_DES3_STATE *state, const void *input, u32 size, void *out, void *feed, u32 encrypt);
void XeCryptRc4Key(XECRYPT_RC4_STATE *state, const void *key, u32 key_size);
void XeCryptRc4Ecb(XECRYPT_RC4_STATE *state, void *data, u32 size);
void XeCryptRc4(const void *key, u32 key_size, void *data, u32 size);
void XeCryptRandom(void *buffer, u32 size);
void XeCryptBnQw_SwapDwQwLeBe(const u64 *input, u64 *out, u32 digits);
u32 XeCryptBnQwNeRsaPubCrypt(const u64 *input, u64 *out, const XECRYPT_RSA *rsa);
void XeCryptBnDwLePkcs1Format(const void *hash, u32 type, void *sig, u32 sig_size);
u32 XeCryptBnDwLePkcs1Verify(const void *hash, const void *sig, u32 sig_size);
NTSTATUS XeKeysHmacSha(u32 key_num, const void *in1, u32 size1, const void *in2, u32 size2, const void *in3,
                       u32 size3, void *out, u32 out_size);
NTSTATUS XeKeysObscureKey(const void *key, void *obscured);
NTSTATUS XeKeysAesCbcUsingKey(const void *obscured_key, const void *input, u32 size, void *out, void *feed,
                              u32 encrypt);
NTSTATUS XeKeysHmacShaUsingKey(const void *obscured_key, const void *in1, u32 size1, const void *in2, u32 size2,
                               const void *in3, u32 size3, void *out, u32 out_size);
/* A variable export: the loader stores its address in the record. */
extern XBOX_HARDWARE_INFO *__imp_XboxHardwareInfo;
#define XboxHardwareInfo (*__imp_XboxHardwareInfo)

/* xam.xex */
void XamLoaderTerminateTitle(void);

/* Networking (xam.xex NetDll_*; signatures and layouts from xenia
 * xam_net.cc). Most take the caller type first: XNCALLER_TITLE. */
#define XNCALLER_TITLE 1
typedef u32 SOCKET;
#define INVALID_SOCKET ((SOCKET)~0u)
#define SOCKET_ERROR (-1)
#define AF_INET 2
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define IPPROTO_UDP 17
#define SOL_SOCKET 0xFFFF
#define SO_BROADCAST 0x0020
#define FIONBIO 0x8004667E
#define INADDR_ANY 0x00000000
#define INADDR_BROADCAST 0xFFFFFFFF
#define WSAEWOULDBLOCK 10035
#define WSAENOTSOCK 10038
#define WSAENETDOWN 10050
#define XNET_GET_XNADDR_NONE 0x0001
#define XNET_GET_XNADDR_ETHERNET 0x0002

typedef struct {
    u16 version; /* low byte major, high byte minor */
    u16 high_version;
    char description[257];
    char system_status[129];
    u16 max_sockets;
    u16 max_udp_datagram;
    u32 vendor_info;
} WSADATA; /* 0x190 bytes */

typedef struct {
    u8 size; /* 13 */
    u8 flags;
    u8 max_dgram_sockets;
    u8 max_stream_sockets;
    u8 receive_buffer_k;
    u8 send_buffer_k;
    u8 key_reg_max;
    u8 sec_reg_max;
    u8 qos_data_limit_div4;
    u8 qos_probe_timeout_s;
    u8 qos_probe_retries;
    u8 qos_max_responses;
    u8 qos_pair_wait_s;
} XNET_STARTUP_PARAMS;

typedef struct {
    u32 ina;
    u32 ina_online;
    u16 port_online;
    u8 enet[6];
    u8 online[20];
} XNADDR; /* 0x24 bytes */

typedef struct {
    u16 family;
    u16 port;
    u32 addr;
    u8 zero[8];
} SOCKADDR_IN; /* 16 bytes */

typedef struct {
    u32 count;
    SOCKET sockets[64];
} FD_SET;

typedef struct {
    s32 tv_sec;
    s32 tv_usec;
} TIMEVAL;

s32 NetDll_XNetStartup(u32 caller, const XNET_STARTUP_PARAMS *params);
s32 NetDll_XNetCleanup(u32 caller, void *reserved);
u32 NetDll_XNetGetTitleXnAddr(u32 caller, XNADDR *addr);
u32 NetDll_XNetGetEthernetLinkStatus(u32 caller);
s32 NetDll_WSAStartup(u32 caller, u16 version, WSADATA *data);
s32 NetDll_WSACleanup(u32 caller);
u32 NetDll_WSAGetLastError(void);
SOCKET NetDll_socket(u32 caller, u32 family, u32 type, u32 protocol);
s32 NetDll_closesocket(u32 caller, SOCKET s);
s32 NetDll_setsockopt(u32 caller, SOCKET s, u32 level, u32 name, const void *value, u32 length);
s32 NetDll_ioctlsocket(u32 caller, SOCKET s, u32 command, u32 *argument);
s32 NetDll_bind(u32 caller, SOCKET s, const SOCKADDR_IN *name, u32 length);
s32 NetDll_recvfrom(u32 caller, SOCKET s, void *buffer, u32 length, u32 flags, SOCKADDR_IN *from, u32 *from_length);
s32 NetDll_sendto(u32 caller, SOCKET s, const void *buffer, u32 length, u32 flags, const SOCKADDR_IN *to,
                  u32 to_length);
s32 NetDll_select(u32 caller, u32 nfds, FD_SET *read, FD_SET *write, FD_SET *except, const TIMEVAL *timeout);

/* An asynchronous XAM request's completion record (28 bytes). */
typedef struct {
    u32 result;
    u32 length;
    u32 context;
    HANDLE event;
    u32 completion_routine;
    u32 completion_context;
    u32 extended_error;
} XOVERLAPPED;

/* XCONTENT_DATA (0x134 bytes). */
typedef struct {
    u32 device_id;
    u32 content_type;
    u16 display_name[128];
    char file_name[42];
    u8 padding[2];
} XCONTENT_DATA;

/* XUSER_PROFILE_SETTING (40 bytes): the value starts 8 bytes into `data`. */
typedef struct {
    u32 source;
    u32 unused;
    u32 user_index;
    u32 unused2;
    u32 setting_id;
    u32 unused3;
    u8 data_type;
    u8 pad[7];
    u32 value_size; /* binary and string values: size, then pointer */
    u32 value_ptr;
} XUSER_PROFILE_SETTING;

#define ERROR_IO_PENDING 0x3E5
#define ERROR_INSUFFICIENT_BUFFER 0x7A
#define XPROFILE_TITLE_SPECIFIC1 0x63E83FFF
#define XPROFILE_GAMERCARD_ZONE 0x10040004
#define XCONTENTTYPE_SAVEDGAME 1
#define XCONTENTDEVICE_HDD 1
#define XCONTENT_OPENALWAYS 4
#define XCONTENT_OPENEXISTING 3
#define XCONTENT_CREATED 1
#define XCONTENT_OPENED 2

u32 XamUserGetSigninState(u32 user_index);
u32 XamUserGetXUID(u32 user_index, u32 type_mask, u64 *xuid);
u32 XamUserGetName(u32 user_index, char *buffer, u32 length);
u32 XamUserReadProfileSettings(u32 title_id, u32 user_index, u32 xuid_count, const u64 *xuids, u32 setting_count,
                               const u32 *setting_ids, u32 *buffer_size, void *buffer, XOVERLAPPED *overlapped);
u32 XamUserWriteProfileSettings(u32 title_id, u32 user_index, u32 setting_count,
                                const XUSER_PROFILE_SETTING *settings, XOVERLAPPED *overlapped);
u32 XamContentCreate(u32 user_index, const char *root_name, const XCONTENT_DATA *data, u32 flags, u32 *disposition,
                     u32 *license_mask, XOVERLAPPED *overlapped);
u32 XamContentClose(const char *root_name, XOVERLAPPED *overlapped);
u32 XamShowMessageBoxUI(u32 user_index, const u16 *title, const u16 *text, u32 button_count, const u16 **buttons,
                        u32 focus_button, u32 flags, u32 *result, XOVERLAPPED *overlapped);

/* The runtime (runtime.c). */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int vsnprintf(char *buf, size_t size, const char *format, __builtin_va_list args);
int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
void ansi_string(ANSI_STRING *s, const char *text);
/* Ends the title: the main thread terminates with `code` as its exit status. */
void xenact_exit(int code) __attribute__((noreturn));
/* A relative timeout of `ms` milliseconds (negative 100 ns units). */
LARGE_INTEGER timeout_ms(u32 ms);

/* Test reporting: each check prints "PROGRAM: NAME ok" or
 * "PROGRAM: NAME FAIL (...)"; xt_finish prints "RESULT pass=N fail=M" and
 * returns the number of failures (the program's exit code). */
extern const char *xt_program;
int xt_check(const char *name, int ok);
int xt_check_eq(const char *name, u32 got, u32 want);
int xt_finish(void);

#endif
