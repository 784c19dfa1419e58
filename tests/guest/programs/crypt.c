/* crypt: the XeCrypt and XeKeys exports against published known answers
 * (FIPS 180, RFC 1321, RFC 2202, FIPS 197, SP 800-38A, FIPS 81, SP 800-67,
 * RFC 6229) and against each other. */
#include "xenact.h"

/* Bytes from a hex string (spaces skipped); returns the count. */
static u32 unhex(u8 *out, const char *hex) {
    u32 n = 0;
    int high = -1;
    for (; *hex; hex++) {
        char c = *hex;
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out[n++] = (u8)(high << 4 | v);
            high = -1;
        }
    }
    return n;
}

static int check_hex(const char *name, const void *got, const char *want_hex) {
    u8 want[64];
    u32 n = unhex(want, want_hex);
    int ok = memcmp(got, want, n) == 0;
    if (!ok) {
        const u8 *g = got;
        printf("crypt: %s: got", name);
        for (u32 i = 0; i < n; i++) printf(" %02x", g[i]);
        printf("\n");
    }
    return xt_check(name, ok);
}

static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char jefe_data[] = "what do ya want for nothing?";

static void hashes(void) {
    static XECRYPT_SHA256_STATE sha256;
    static XECRYPT_SHA_STATE sha;
    u8 out[32];

    XeCryptSha256("a", 1, "bc", 2, NULL, 0, out, 32);
    check_hex("sha256 one-shot abc", out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    XeCryptSha256Init(&sha256);
    XeCryptSha256Update(&sha256, two_blocks, 20);
    XeCryptSha256Update(&sha256, two_blocks + 20, 36);
    XeCryptSha256Final(&sha256, out, 32);
    check_hex("sha256 incremental", out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    XeCryptShaInit(&sha);
    XeCryptShaUpdate(&sha, "abc", 3);
    XeCryptShaFinal(&sha, NULL, 0);
    check_hex("sha final leaves digest in state", sha.b + 4, "a9993e364706816aba3e25717850c26c9cd0d89d");

    XeCryptMd5("message ", 8, "digest", 6, NULL, 0, out, 16);
    check_hex("md5 message digest", out, "f96b697d7cb7938d525a2f31aaf161d0");
}

static void macs(void) {
    static XECRYPT_HMACSHA_STATE hmac;
    u8 key[20], out[20];

    XeCryptHmacSha("Jefe", 4, jefe_data, 10, jefe_data + 10, 18, NULL, 0, out, 20);
    check_hex("hmac-sha rfc 2202 case 2", out, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");

    memset(key, 0x0B, 20);
    XeCryptHmacShaInit(&hmac, key, 20);
    XeCryptHmacShaUpdate(&hmac, "Hi ", 3);
    XeCryptHmacShaUpdate(&hmac, "There", 5);
    XeCryptHmacShaFinal(&hmac, out, 20);
    check_hex("hmac-sha incremental rfc 2202 case 1", out, "b617318655057264e28bc0b6fb378c8ef146be00");

    u8 expected[20];
    unhex(expected, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    u32 good = XeCryptHmacShaVerify("Jefe", 4, jefe_data, 28, NULL, 0, NULL, 0, expected, 20);
    expected[19] ^= 1;
    u32 bad = XeCryptHmacShaVerify("Jefe", 4, jefe_data, 28, NULL, 0, NULL, 0, expected, 20);
    xt_check("hmac-sha verify", good == 1 && bad == 0);

    XeCryptHmacMd5("Jefe", 4, jefe_data, 28, NULL, 0, NULL, 0, out, 16);
    check_hex("hmac-md5 rfc 2202 case 2", out, "750c783e6ab0b503eaa86e310a5db738");
}

static void ciphers(void) {
    static XECRYPT_AES_STATE aes;
    static XECRYPT_DES_STATE des;
    static XECRYPT_DES3_STATE des3;
    static XECRYPT_RC4_STATE rc4;
    u8 key[24], data[32], out[32], feed[16];

    unhex(key, "000102030405060708090a0b0c0d0e0f");
    unhex(data, "00112233445566778899aabbccddeeff");
    XeCryptAesKey(&aes, key);
    XeCryptAesEcb(&aes, data, out, 1);
    check_hex("aes ecb fips 197", out, "69c4e0d86a7b0430d8cdb78070b4c55a");

    unhex(key, "2b7e151628aed2a6abf7158809cf4f3c");
    unhex(data, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
    unhex(feed, "000102030405060708090a0b0c0d0e0f");
    XeCryptAesKey(&aes, key);
    check_hex("aes key schedule round 1", aes.b + 16, "a0fafe1788542cb123a339392a6c7605");
    XeCryptAesCbc(&aes, data, 32, data, feed, 1);
    check_hex("aes cbc sp 800-38a", data, "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
    check_hex("aes cbc feed is last block", feed, "5086cb9b507219ee95db113a917678b2");
    unhex(feed, "000102030405060708090a0b0c0d0e0f");
    XeCryptAesCbc(&aes, data, 32, data, feed, 0);
    check_hex("aes cbc decrypts in place", data, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");

    unhex(data, "00 01 fe 13 02");
    XeCryptDesParity(data, 5, out);
    check_hex("des parity", out, "01 01 fe 13 02");

    unhex(key, "0123456789abcdef");
    unhex(data, "4e6f772069732074 68652074696d6520 666f7220616c6c20");
    XeCryptDesKey(&des, key);
    XeCryptDesEcb(&des, data, out, 1);
    check_hex("des ecb fips 81", out, "3fa40e8a984d4815");
    unhex(feed, "1234567890abcdef");
    XeCryptDesCbc(&des, data, 24, out, feed, 1);
    check_hex("des cbc fips 81", out, "e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6");

    unhex(key, "0123456789abcdef 23456789abcdef01 456789abcdef0123");
    XeCryptDes3Key(&des3, key);
    XeCryptDes3Ecb(&des3, "The qufc", out, 1);
    check_hex("des3 ecb sp 800-67", out, "a826fd8ce53b855f");
    XeCryptDes3Ecb(&des3, out, out, 0);
    xt_check("des3 ecb decrypts", memcmp(out, "The qufc", 8) == 0);
    unhex(key, "0123456789abcdef 0123456789abcdef 0123456789abcdef");
    XeCryptDes3Key(&des3, key);
    unhex(feed, "1234567890abcdef");
    XeCryptDes3Cbc(&des3, data, 24, out, feed, 1);
    check_hex("des3 cbc with one key is des", out, "e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6");

    memcpy(data, "Plaintext", 9);
    XeCryptRc4("Key", 3, data, 9);
    check_hex("rc4 one-shot", data, "bbf316e8d940af0ad3");
    unhex(key, "0102030405");
    memset(data, 0, 16);
    XeCryptRc4Key(&rc4, key, 5);
    XeCryptRc4Ecb(&rc4, data, 5);
    XeCryptRc4Ecb(&rc4, data + 5, 11);
    check_hex("rc4 stream rfc 6229", data, "b2396305f03dc027ccc3524a0a1118a8");
}

static void bignums(void) {
    static u64 rsa_key[2 + 2];
    static u64 in[2], out[2];
    XECRYPT_RSA *rsa = (XECRYPT_RSA *)rsa_key;
    u8 hash[20], sig[128];

    unhex((u8 *)in, "0001020304050607 08090a0b0c0d0e0f");
    XeCryptBnQw_SwapDwQwLeBe(in, out, 2);
    check_hex("bn swap qw le be", out, "0706050403020100 0f0e0d0c0b0a0908");

    /* n = 2^127 + 1 (least significant QWORD first), e = 3:
       (2^64)^3 mod n = 2^127 + 1 - 2^65. */
    rsa->cqw = 2;
    rsa->public_exponent = 3;
    unhex((u8 *)&rsa_key[2], "0000000000000001 8000000000000000");
    unhex((u8 *)in, "0000000000000000 0000000000000001");
    u32 ok = XeCryptBnQwNeRsaPubCrypt(in, out, rsa);
    xt_check("rsa pub crypt returns true", ok == 1);
    check_hex("rsa pub crypt", out, "0000000000000001 7ffffffffffffffe");

    for (int i = 0; i < 20; i++) hash[i] = (u8)(i + 1);
    XeCryptBnDwLePkcs1Format(hash, 0, sig, 128);
    check_hex("pkcs1 format", sig + 20, "140400051a02030e2b05060930213000ffff");
    u32 good = XeCryptBnDwLePkcs1Verify(hash, sig, 128);
    hash[0] ^= 1;
    u32 bad = XeCryptBnDwLePkcs1Verify(hash, sig, 128);
    xt_check("pkcs1 verify", good == 1 && bad == 0);
}

static void keys_and_random(void) {
    u8 key[16], obscured[16], out[32], want[32], feed[16], a[16], b[16];
    static const u8 roamable[16] = {0xE1, 0xBC, 0x15, 0x9C, 0x73, 0xB1, 0xEA, 0xE9,
                                    0xAB, 0x31, 0x70, 0xF3, 0xAD, 0x47, 0xEB, 0xF3};

    NTSTATUS st = XeKeysHmacSha(0x19, "profile", 7, NULL, 0, NULL, 0, out, 20);
    XeCryptHmacSha(roamable, 16, "profile", 7, NULL, 0, NULL, 0, want, 20);
    xt_check("xekeys hmac sha key 0x19", st == STATUS_SUCCESS && memcmp(out, want, 20) == 0);
    st = XeKeysHmacSha(0x02, "profile", 7, NULL, 0, NULL, 0, out, 20);
    xt_check_eq("xekeys hmac sha unknown key fails", (u32)st, (u32)STATUS_UNSUCCESSFUL);

    unhex(key, "2b7e151628aed2a6abf7158809cf4f3c");
    unhex(out, "6bc1bee22e409f96e93d7e117393172a");
    unhex(feed, "000102030405060708090a0b0c0d0e0f");
    st = XeKeysObscureKey(key, obscured);
    xt_check("xekeys obscure key", st == STATUS_SUCCESS && memcmp(obscured, key, 16) != 0);
    st = XeKeysAesCbcUsingKey(obscured, out, 16, out, feed, 1);
    xt_check("xekeys aes cbc using key", st == STATUS_SUCCESS);
    check_hex("xekeys aes cbc using key answer", out, "7649abac8119b246cee98e9b12e9197d");
    st = XeKeysHmacShaUsingKey(obscured, "profile", 7, NULL, 0, NULL, 0, out, 20);
    XeCryptHmacSha(key, 16, "profile", 7, NULL, 0, NULL, 0, want, 20);
    xt_check("xekeys hmac sha using key", st == STATUS_SUCCESS && memcmp(out, want, 20) == 0);

    memset(a, 0, 16);
    memset(b, 0, 16);
    XeCryptRandom(a, 16);
    XeCryptRandom(b, 16);
    static const u8 zero[16];
    xt_check("random fills and differs", memcmp(a, zero, 16) != 0 && memcmp(a, b, 16) != 0);
}

int main(void) {
    xt_program = "crypt";
    hashes();
    macs();
    ciphers();
    bignums();
    keys_and_random();
    return xt_finish();
}
