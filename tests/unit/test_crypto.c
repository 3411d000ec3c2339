/* test_crypto.c - unit tests of lib/crypto: vectors, sealing, password hashes, key file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <openssl/evp.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Test values marked "independent" below were computed twice, with the
 * openssl 3.0 command line (openssl dgst -sm3 -hmac / -mac HMAC -macopt
 * hexkey:, openssl kdf ... PBKDF2) and with a separate pure-Python SM3
 * (checked against the GB/T 32905 vectors) driving Python's hmac module and
 * a hand-written PBKDF2 (RFC 8018 section 5.2); both agreed. */

#define PBKDF2_SALT "vets-salt-16byte"
/* Independent: PBKDF2-HMAC-SM3("password", PBKDF2_SALT, 1000 iterations). */
#define PBKDF2_KNOWN_40                                                                            \
	"afe4928e99393ff048eb1b62a0796a232e37ebef33adb5aab08f824a648ec150a9b4a34fd7736b2e"
#define PBKDF2_KNOWN_32 "afe4928e99393ff048eb1b62a0796a232e37ebef33adb5aab08f824a648ec150"
/* 16 bytes "vets-salt-16byte" in hex. */
#define PBKDF2_SALT_HEX "766574732d73616c742d313662797465"

#define FOX "The quick brown fox jumps over the lazy dog"
/* Independent: echo -n "$FOX" | openssl dgst -sm3 -hmac vets-test-key */
#define FOX_HMAC "b7e2886767d3c5f579f2386f57c4560d74b08b6b0a68844846efd3624a5fbfec"

static char tmpdir[64];

static void test_keys(struct crypto_keys *k, unsigned char seed)
{
	unsigned char *p = (unsigned char *)k;

	for (size_t i = 0; i < sizeof(*k); i++)
		p[i] = (unsigned char)(seed + i);
}

static void write_file(const char *path, const char *content, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void tmp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

static int setup(void **state)
{
	umask(022);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vets-test-crypto-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

/* GB/T 32905-2016 appendix A, examples 1 and 2. */
static void test_sm3_vectors(void **state)
{
	unsigned char md[SM3_LEN];
	char hex[2 * SM3_LEN + 1], abcd[65];

	crypto_sm3("abc", 3, md);
	crypto_hex(md, sizeof(md), hex);
	assert_string_equal(hex,
			    "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");

	for (int i = 0; i < 16; i++)
		memcpy(abcd + 4 * i, "abcd", 4);
	crypto_sm3(abcd, 64, md);
	crypto_hex(md, sizeof(md), hex);
	assert_string_equal(hex,
			    "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");

	/* Independent: SM3 of the empty message. */
	crypto_sm3(NULL, 0, md);
	crypto_hex(md, sizeof(md), hex);
	assert_string_equal(hex,
			    "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
}

/* GB/T 32907-2016 appendix A, examples 1 and 2: the cipher vets builds on. */
static void test_sm4_vectors(void **state)
{
	unsigned char key[SM4_KEY_LEN], block[SM4_BLOCK];
	char hex[2 * SM4_BLOCK + 1];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	assert_int_equal(crypto_unhex("0123456789abcdeffedcba9876543210", key, sizeof(key)), 0);
	memcpy(block, key, sizeof(block));
	assert_non_null(ctx);
	assert_int_equal(EVP_EncryptInit_ex2(ctx, EVP_sm4_ecb(), key, NULL, NULL), 1);
	assert_int_equal(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);

	assert_int_equal(EVP_EncryptUpdate(ctx, block, &n, block, SM4_BLOCK), 1);
	assert_int_equal(n, SM4_BLOCK);
	crypto_hex(block, sizeof(block), hex);
	assert_string_equal(hex, "681edf34d206965e86b3e94f536e4246");

	for (int i = 1; i < 1000000; i++)
		assert_int_equal(EVP_EncryptUpdate(ctx, block, &n, block, SM4_BLOCK), 1);
	crypto_hex(block, sizeof(block), hex);
	assert_string_equal(hex, "595298c7c6fd271f0402f804c33d3f66");
	EVP_CIPHER_CTX_free(ctx);
}

static void test_hmac_sm3(void **state)
{
	unsigned char mac[SM3_LEN], key[100];
	char hex[2 * SM3_LEN + 1];

	crypto_hmac_sm3("vets-test-key", 13, FOX, strlen(FOX), mac);
	crypto_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex, FOX_HMAC);

	/* Independent: a key longer than the 64-byte block is hashed first. */
	memset(key, 'K', sizeof(key));
	crypto_hmac_sm3(key, sizeof(key), "abc", 3, mac);
	crypto_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
			    "9447f3bfb253352d37753da565960d5aaf6b5707403930b3c462d3e7b514ee23");

	/* Empty key: from the pure-Python SM3 only, as the openssl command line refuses it. */
	crypto_hmac_sm3(NULL, 0, "abc", 3, mac);
	crypto_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
			    "36525058ca466791502435c910517f1a7e86613d5f35ac1f18a94def0eaac81f");
}

static void test_blind_index(void **state)
{
	struct crypto_keys k, other;
	char a[2 * SM3_LEN + 1], b[2 * SM3_LEN + 1];

	test_keys(&k, 0);
	for (unsigned char i = 0; i < SM3_LEN; i++)
		k.index_key[i] = i;
	/* Independent: HMAC-SM3 with key 00 01 .. 1f. */
	crypto_blind_index(k.index_key, "110101199003077777", a);
	assert_string_equal(a, "5f6a6c9c377b60fe4a7f7a27f146e088934b5a9c694516d76757293d261dd85d");

	crypto_blind_index(k.index_key, "110101199003077777", b);
	assert_string_equal(a, b);
	crypto_blind_index(k.index_key, "110101199003077778", b);
	assert_string_not_equal(a, b);

	other = k;
	other.index_key[0] ^= 1;
	crypto_blind_index(other.index_key, "110101199003077777", b);
	assert_string_not_equal(a, b);
}

/* Regression: ID numbers and phones shared one blind-index key, so equal values of the
 * two fields had equal indexes. Each field's key is now HMAC-SM3(index key, its name). */
static void test_blind_index_per_field(void **state)
{
	unsigned char root[SM3_LEN], id_key[SM3_LEN], phone_key[SM3_LEN], want[SM3_LEN];
	char by_id[2 * SM3_LEN + 1], by_phone[2 * SM3_LEN + 1], by_root[2 * SM3_LEN + 1];

	for (unsigned char i = 0; i < SM3_LEN; i++)
		root[i] = i;
	crypto_derive_key(root, "persons.id_bidx", id_key);
	crypto_derive_key(root, "persons.phone_bidx", phone_key);
	crypto_hmac_sm3(root, SM3_LEN, "persons.id_bidx", strlen("persons.id_bidx"), want);
	assert_memory_equal(id_key, want, SM3_LEN);
	assert_memory_not_equal(id_key, phone_key, SM3_LEN);
	crypto_blind_index(id_key, "13812345678", by_id);
	crypto_blind_index(phone_key, "13812345678", by_phone);
	crypto_blind_index(root, "13812345678", by_root);
	assert_string_not_equal(by_id, by_phone);
	assert_string_not_equal(by_id, by_root);
	assert_string_not_equal(by_phone, by_root);
}

static void test_pbkdf2(void **state)
{
	unsigned char dk[40], again[40];
	char hex[2 * sizeof(dk) + 1];
	unsigned char salt[16];

	crypto_pbkdf2_sm3("password", PBKDF2_SALT, 16, 1000, dk, 32);
	crypto_hex(dk, 32, hex);
	assert_string_equal(hex, PBKDF2_KNOWN_32);

	/* More than one SM3 block of output. */
	crypto_pbkdf2_sm3("password", PBKDF2_SALT, 16, 1000, dk, 40);
	crypto_hex(dk, 40, hex);
	assert_string_equal(hex, PBKDF2_KNOWN_40);

	/* Independent: empty password. */
	crypto_pbkdf2_sm3("", PBKDF2_SALT, 16, 1000, dk, 32);
	crypto_hex(dk, 32, hex);
	assert_string_equal(hex,
			    "2b6345c6e639347ef584c1a24c23cfb3bfbfd092632858432058409ebf32baba");

	/* Independent: UTF-8 password, binary salt 00..0f, one iteration. */
	for (unsigned char i = 0; i < sizeof(salt); i++)
		salt[i] = i;
	crypto_pbkdf2_sm3("口令Ab1!", salt, sizeof(salt), 1, dk, 32);
	crypto_hex(dk, 32, hex);
	assert_string_equal(hex,
			    "776f50af8ad204115758f9f5751539abe51855264289865894a182ddda3d650e");

	crypto_pbkdf2_sm3("口令Ab1!", salt, sizeof(salt), 1, again, 32);
	assert_memory_equal(dk, again, 32);
	crypto_pbkdf2_sm3("口令Ab1!", salt, sizeof(salt), 2, again, 32);
	assert_memory_not_equal(dk, again, 32);
	salt[15] ^= 1;
	crypto_pbkdf2_sm3("口令Ab1!", salt, sizeof(salt), 1, again, 32);
	assert_memory_not_equal(dk, again, 32);
}

static void test_hex(void **state)
{
	unsigned char all[256], back[256];
	char hex[2 * sizeof(all) + 1];

	crypto_hex("\x00\x01\xab\xff", 4, hex);
	assert_string_equal(hex, "0001abff");
	crypto_hex("", 0, hex);
	assert_string_equal(hex, "");

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	crypto_hex(all, sizeof(all), hex);
	assert_int_equal(strlen(hex), 512);
	assert_int_equal(crypto_unhex(hex, back, sizeof(back)), 0);
	assert_memory_equal(all, back, sizeof(all));
}

static void test_unhex(void **state)
{
	unsigned char out[4];
	char *heap;

	assert_int_equal(crypto_unhex("00ff7A", out, 3), 0);
	assert_memory_equal(out, "\x00\xff\x7a", 3);
	assert_int_equal(crypto_unhex("", out, 0), 0);

	assert_int_equal(crypto_unhex(NULL, out, 1), -1);
	assert_int_equal(crypto_unhex("", out, 1), -1);
	assert_int_equal(crypto_unhex("0", out, 1), -1);
	assert_int_equal(crypto_unhex("000", out, 1), -1);
	assert_int_equal(crypto_unhex("0000", out, 1), -1);
	assert_int_equal(crypto_unhex("0g", out, 1), -1);
	assert_int_equal(crypto_unhex("g0", out, 1), -1);
	assert_int_equal(crypto_unhex(" 0", out, 1), -1);
	assert_int_equal(crypto_unhex("0 ", out, 1), -1);
	assert_int_equal(crypto_unhex("-1", out, 1), -1);
	assert_int_equal(crypto_unhex("0x", out, 1), -1);
	assert_int_equal(crypto_unhex("/0", out, 1), -1);
	assert_int_equal(crypto_unhex(":0", out, 1), -1);
	assert_int_equal(crypto_unhex("@0", out, 1), -1);
	assert_int_equal(crypto_unhex("`0", out, 1), -1);
	assert_int_equal(crypto_unhex("G0", out, 1), -1);
	assert_int_equal(crypto_unhex("\xc3\xa9", out, 1), -1);

	/* A failed parse leaves no partial output behind. */
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(crypto_unhex("ffffzz00", out, 4), -1);
	assert_memory_equal(out, "\0\0\0\0", 4);

	/* Stops at the terminator: no read past a short heap string (checked under ASan). */
	heap = xstrdup("abc");
	assert_int_equal(crypto_unhex(heap, out, 2), -1);
	assert_int_equal(crypto_unhex(heap, out, 4), -1);
	free(heap);
}

static void test_equal(void **state)
{
	assert_int_equal(crypto_equal("abcdef", "abcdef", 6), 1);
	assert_int_equal(crypto_equal("abcdef", "abcdeg", 6), 0);
	assert_int_equal(crypto_equal("xbcdef", "abcdef", 6), 0);
	assert_int_equal(crypto_equal("a", "b", 0), 1);
}

static void test_random(void **state)
{
	unsigned char a[32] = {0}, b[32] = {0}, zero[32] = {0};

	crypto_random(a, sizeof(a));
	crypto_random(b, sizeof(b));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	crypto_random(a, 0);
}

/* Seals and opens len bytes of plain, checking the layout with plain EVP calls. */
static void seal_open(const struct crypto_keys *k, const unsigned char *plain, size_t len)
{
	unsigned char *sealed, mac[SM3_LEN], *check;
	size_t sealed_len, clen = (len / SM4_BLOCK + 1) * SM4_BLOCK, plain_len = 12345;
	char *opened;
	EVP_CIPHER_CTX *ctx;
	int n1 = 0, n2 = 0;

	assert_int_equal(crypto_seal(k, plain, len, &sealed, &sealed_len), 0);
	assert_int_equal(sealed_len, SM4_BLOCK + clen + SM3_LEN);

	crypto_hmac_sm3(k->mac_key, SM3_LEN, sealed, SM4_BLOCK + clen, mac);
	assert_memory_equal(mac, sealed + SM4_BLOCK + clen, SM3_LEN);
	check = xmalloc(clen);
	ctx = EVP_CIPHER_CTX_new();
	assert_non_null(ctx);
	assert_int_equal(EVP_DecryptInit_ex2(ctx, EVP_sm4_cbc(), k->data_key, sealed, NULL), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, check, &n1, sealed + SM4_BLOCK, (int)clen), 1);
	assert_int_equal(EVP_DecryptFinal_ex(ctx, check + n1, &n2), 1);
	assert_int_equal((size_t)(n1 + n2), len);
	if (len)
		assert_memory_equal(check, plain, len);
	EVP_CIPHER_CTX_free(ctx);
	free(check);

	assert_int_equal(crypto_open(k, sealed, sealed_len, &opened, &plain_len), 0);
	assert_non_null(opened);
	assert_int_equal(plain_len, len);
	if (len)
		assert_memory_equal(opened, plain, len);
	assert_int_equal(opened[len], '\0');
	free(opened);
	free(sealed);
}

static void test_seal_open(void **state)
{
	static const size_t sizes[] = {0, 1, 15, 16, 17, 31, 32, 33, 1000, 1024 * 1024};
	struct crypto_keys k;
	unsigned char *plain = xmalloc(1024 * 1024);

	test_keys(&k, 7);
	crypto_random(plain, 1024 * 1024);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		seal_open(&k, plain, sizes[i]);
	seal_open(&k, NULL, 0);
	seal_open(&k, (const unsigned char *)"身份证号 110101199003077777",
		  strlen("身份证号 110101199003077777"));
	free(plain);
}

static void test_seal_fresh_iv(void **state)
{
	struct crypto_keys k;
	unsigned char *a, *b;
	size_t alen, blen;

	test_keys(&k, 1);
	assert_int_equal(crypto_seal(&k, "same text", 9, &a, &alen), 0);
	assert_int_equal(crypto_seal(&k, "same text", 9, &b, &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_not_equal(a, b, SM4_BLOCK);
	assert_memory_not_equal(a + SM4_BLOCK, b + SM4_BLOCK, alen - SM4_BLOCK);
	free(a);
	free(b);
}

/* Opening must fail with VE_CRYPTO and a NULL result. */
static void open_fails(const struct crypto_keys *k, const unsigned char *sealed, size_t len)
{
	static char sentinel;
	char *out = &sentinel;
	size_t plain_len = 99;

	assert_int_equal(crypto_open(k, sealed, len, &out, &plain_len), VE_CRYPTO);
	assert_null(out);
	assert_int_equal(plain_len, 0);
}

static void test_open_tampered(void **state)
{
	struct crypto_keys k;
	unsigned char *sealed, *copy;
	size_t len;

	test_keys(&k, 3);
	/* 40 bytes: IV 0..15, ciphertext 16..63 (three blocks), MAC 64..95. */
	assert_int_equal(
		crypto_seal(&k, "0123456789012345678901234567890123456789", 40, &sealed, &len), 0);
	assert_int_equal(len, 96);
	copy = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			memcpy(copy, sealed, len);
			copy[i] ^= (unsigned char)(1u << bit);
			open_fails(&k, copy, len);
		}
	}
	for (size_t cut = 0; cut < len; cut++)
		open_fails(&k, sealed, cut);
	memcpy(copy, sealed, len);
	copy[len] = 0;
	open_fails(&k, copy, len + 1);
	/* Dropping a whole ciphertext block keeps the length valid. */
	memcpy(copy, sealed, 16);
	memcpy(copy + 16, sealed + 32, len - 32);
	open_fails(&k, copy, len - 16);
	open_fails(&k, NULL, 0);
	free(copy);
	free(sealed);
}

/* Opening with crypto_open_ad must fail with VE_CRYPTO and a NULL result. */
static void open_ad_fails(const struct crypto_keys *k, const char *ad, const unsigned char *sealed,
			  size_t len)
{
	static char sentinel;
	char *out = &sentinel;
	size_t plain_len = 99;

	assert_int_equal(crypto_open_ad(k, ad, strlen(ad), sealed, len, &out, &plain_len),
			 VE_CRYPTO);
	assert_null(out);
	assert_int_equal(plain_len, 0);
}

/* Regression: a sealed value moved to another row or column still opened. Bound to
 * "table.column:row", it opens only there, and never as an unbound value or vice versa. */
static void test_seal_ad_binds_place(void **state)
{
	struct crypto_keys k;
	unsigned char *sealed, *unbound, mac[SM3_LEN];
	size_t len, unbound_len, plain_len = 0;
	char *opened = NULL;
	const char *place = "persons.account_enc:42";
	unsigned char prefix[4] = {0, 0, 0, 22};

	test_keys(&k, 5);
	crypto_keys_derive(&k);
	assert_int_equal(crypto_seal_ad(&k, place, strlen(place), "6222021234567890123", 19,
					&sealed, &len),
			 0);
	assert_int_equal(len, SM4_BLOCK + 32 + SM3_LEN);
	assert_int_equal(crypto_open_ad(&k, place, strlen(place), sealed, len, &opened, &plain_len),
			 0);
	assert_string_equal(opened, "6222021234567890123");
	assert_int_equal(plain_len, 19);
	free(opened);

	/* The tag: HMAC-SM3 under the derived seal key of len(ad) || ad || IV || C. */
	unsigned char *input = xmalloc(4 + 22 + len - SM3_LEN);
	memcpy(input, prefix, 4);
	memcpy(input + 4, place, 22);
	memcpy(input + 26, sealed, len - SM3_LEN);
	crypto_hmac_sm3(k.seal_key, SM3_LEN, input, 26 + len - SM3_LEN, mac);
	assert_memory_equal(mac, sealed + len - SM3_LEN, SM3_LEN);
	free(input);

	open_ad_fails(&k, "persons.account_enc:43", sealed, len);  /* another row */
	open_ad_fails(&k, "persons.phone_enc:42", sealed, len);    /* another column */
	open_ad_fails(&k, "persons.account_enc:420", sealed, len); /* no prefix games */
	open_ad_fails(&k, "", sealed, len);
	open_fails(&k, sealed, len); /* not as an unbound value */

	assert_int_equal(crypto_seal(&k, "6222021234567890123", 19, &unbound, &unbound_len), 0);
	open_ad_fails(&k, place, unbound, unbound_len); /* nor an unbound one as bound */
	open_ad_fails(&k, "", unbound, unbound_len);

	/* The seal key is derived from the MAC key: another MAC key, another seal key. */
	struct crypto_keys other = k;
	other.mac_key[0] ^= 1;
	crypto_keys_derive(&other);
	open_ad_fails(&other, place, sealed, len);
	free(sealed);
	free(unbound);
}

static void test_open_wrong_key(void **state)
{
	struct crypto_keys k, other;
	unsigned char *sealed;
	size_t len;

	test_keys(&k, 3);
	assert_int_equal(crypto_seal(&k, "secret", 6, &sealed, &len), 0);
	test_keys(&other, 4);
	open_fails(&other, sealed, len);
	other = k;
	other.mac_key[SM3_LEN - 1] ^= 0x80;
	open_fails(&other, sealed, len);
	free(sealed);
}

/* A correct MAC over a ciphertext with bad padding: only possible with the MAC
 * key, but the decryption failure path must still hold. */
static void test_open_authentic_garbage(void **state)
{
	struct crypto_keys k;
	unsigned char sealed[SM4_BLOCK + SM4_BLOCK + SM3_LEN], block[SM4_BLOCK] = {0};
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	test_keys(&k, 9);
	crypto_random(sealed, SM4_BLOCK);
	assert_non_null(ctx);
	assert_int_equal(EVP_EncryptInit_ex2(ctx, EVP_sm4_cbc(), k.data_key, sealed, NULL), 1);
	assert_int_equal(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
	assert_int_equal(EVP_EncryptUpdate(ctx, sealed + SM4_BLOCK, &n, block, SM4_BLOCK), 1);
	assert_int_equal(n, SM4_BLOCK);
	EVP_CIPHER_CTX_free(ctx);
	crypto_hmac_sm3(k.mac_key, SM3_LEN, sealed, 2 * SM4_BLOCK, sealed + 2 * SM4_BLOCK);
	open_fails(&k, sealed, sizeof(sealed));

	/* Likewise a correctly authenticated ciphertext that is not whole blocks. */
	crypto_hmac_sm3(k.mac_key, SM3_LEN, sealed, 2 * SM4_BLOCK - 1, sealed + 2 * SM4_BLOCK - 1);
	open_fails(&k, sealed, sizeof(sealed) - 1);
}

struct thread_arg {
	unsigned char seed;
	int ok;
};

static void *thread_main(void *p)
{
	struct thread_arg *arg = p;
	struct crypto_keys k;
	unsigned char msg[100], *sealed, mac[SM3_LEN];
	char *opened, hex[2 * SM3_LEN + 1];
	size_t len, plain_len;

	test_keys(&k, arg->seed);
	memset(msg, arg->seed, sizeof(msg));
	arg->ok = 1;
	for (int i = 0; i < 200; i++) {
		crypto_seal(&k, msg, sizeof(msg), &sealed, &len);
		if (crypto_open(&k, sealed, len, &opened, &plain_len) != 0 ||
		    plain_len != sizeof(msg) || memcmp(opened, msg, sizeof(msg)) != 0)
			arg->ok = 0;
		free(opened);
		free(sealed);
		crypto_hmac_sm3("vets-test-key", 13, FOX, strlen(FOX), mac);
		crypto_hex(mac, sizeof(mac), hex);
		if (strcmp(hex, FOX_HMAC) != 0)
			arg->ok = 0;
	}
	return NULL;
}

/* Runs first, so that the one-time algorithm fetch also races. */
static void test_threads(void **state)
{
	pthread_t t[4];
	struct thread_arg args[4];

	for (int i = 0; i < 4; i++) {
		args[i].seed = (unsigned char)(i * 40);
		assert_int_equal(pthread_create(&t[i], NULL, thread_main, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(args[i].ok);
	}
}

static void test_password_hash(void **state)
{
	char a[128], b[128];
	size_t prefix = strlen("pbkdf2-sm3$1000$");

	crypto_password_hash("s3cret-口令", 1000, a, sizeof(a));
	assert_int_equal(strncmp(a, "pbkdf2-sm3$1000$", prefix), 0);
	assert_int_equal(strlen(a), prefix + 32 + 1 + 64);
	assert_int_equal(a[prefix + 32], '$');
	assert_int_equal(strspn(a + prefix, "0123456789abcdef"), 32);
	assert_int_equal(strspn(a + prefix + 33, "0123456789abcdef"), 64);

	assert_int_equal(crypto_password_verify("s3cret-口令", a), 1);
	assert_int_equal(crypto_password_verify("s3cret-口", a), 0);
	assert_int_equal(crypto_password_verify("S3cret-口令", a), 0);
	assert_int_equal(crypto_password_verify("s3cret-口令 ", a), 0);
	assert_int_equal(crypto_password_verify("", a), 0);
	assert_int_equal(crypto_password_verify(NULL, a), 0);

	/* A fresh salt each time. */
	crypto_password_hash("s3cret-口令", 1000, b, sizeof(b));
	assert_string_not_equal(a, b);
	assert_int_equal(crypto_password_verify("s3cret-口令", b), 1);

	crypto_password_hash("", 1, a, sizeof(a));
	assert_int_equal(crypto_password_verify("", a), 1);
	assert_int_equal(crypto_password_verify("x", a), 0);
}

/* The format is fixed: a stored string built by hand from the known PBKDF2 value verifies. */
static void test_password_known(void **state)
{
	const char *stored = "pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32;

	assert_int_equal(crypto_password_verify("password", stored), 1);
	assert_int_equal(crypto_password_verify("passwore", stored), 0);
	assert_int_equal(crypto_password_verify("password", "pbkdf2-sm3$1001$" PBKDF2_SALT_HEX
							    "$" PBKDF2_KNOWN_32),
			 0);
}

static void test_password_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"pbkdf2-sm3$",
		"pbkdf2-sm3",
		"pbkdf2-sm3$1000",
		"pbkdf2-sm3$1000$",
		"pbkdf2-sha256$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"PBKDF2-SM3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		" pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$0$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$01000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$+1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$-1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$ 1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000 $" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1e3$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$10000001$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$99999999$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$4294968296$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$184467440737095526161000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "0$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "00$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$66574732d73616c742d313662797465$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$z66574732d73616c742d313662797465$" PBKDF2_KNOWN_32,
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32 "0",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32 "00",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32 "$",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32 "\n",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$" PBKDF2_KNOWN_32 "$extra",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$"
		"fe4928e99393ff048eb1b62a0796a232e37ebef33adb5aab08f824a648ec150",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$"
		"xfe4928e99393ff048eb1b62a0796a232e37ebef33adb5aab08f824a648ec150",
		"pbkdf2-sm3$1000$" PBKDF2_SALT_HEX "$"
		"afe4928e99393ff048eb1b62a0796a232e37ebef33adb5aab08f824a648ec15 ",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (crypto_password_verify("password", bad[i]) != 0)
			fail_msg("accepted malformed hash #%zu: %s", i, bad[i]);
	}
	assert_int_equal(crypto_password_verify("password", NULL), 0);
}

static void test_password_default_cost(void **state)
{
	unsigned iterations = crypto_password_iterations();
	struct timespec t0, t1;
	char stored[128];
	double ms;

	assert_in_range(iterations, 100000, 1000000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	crypto_password_hash("correct horse battery staple", iterations, stored, sizeof(stored));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("password hash: %u iterations, %.1f ms\n", iterations, ms);
	assert_int_equal(crypto_password_verify("correct horse battery staple", stored), 1);
}

static void test_keyfile_create_load(void **state)
{
	char path[256], path2[256], err[512] = "", line[256];
	struct crypto_keys k, k2, zero;
	struct stat st;
	FILE *f;
	int lines = 0;

	tmp_path(path, sizeof(path), "create.key");
	assert_int_equal(crypto_keyfile_create(path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "# vets key file: keep it outside the database and back it up "
				  "separately; losing it makes encrypted data unreadable\n");
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	assert_int_equal(lines, 4);

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), 0);
	assert_memory_not_equal(k.data_key, zero.data_key, SM4_KEY_LEN);
	assert_memory_not_equal(k.mac_key, zero.mac_key, SM3_LEN);
	assert_memory_not_equal(k.index_key, zero.index_key, SM3_LEN);
	assert_memory_not_equal(k.audit_key, zero.audit_key, SM3_LEN);
	assert_int_equal(crypto_keyfile_load(path, &k2, err, sizeof(err)), 0);
	assert_memory_equal(&k, &k2, sizeof(k));
	/* The derived seal key is filled on load. */
	unsigned char seal_key[SM3_LEN];
	crypto_derive_key(k.mac_key, "vets seal with associated data", seal_key);
	assert_memory_equal(k.seal_key, seal_key, SM3_LEN);

	tmp_path(path2, sizeof(path2), "create2.key");
	assert_int_equal(crypto_keyfile_create(path2, err, sizeof(err)), 0);
	assert_int_equal(crypto_keyfile_load(path2, &k2, err, sizeof(err)), 0);
	assert_memory_not_equal(&k, &k2, sizeof(k));
}

static void test_keyfile_exists(void **state)
{
	char path[256], err[512] = "", before[512], after[512];
	FILE *f;
	size_t n1, n2;

	tmp_path(path, sizeof(path), "twice.key");
	assert_int_equal(crypto_keyfile_create(path, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n1 = fread(before, 1, sizeof(before), f);
	fclose(f);

	assert_int_equal(crypto_keyfile_create(path, err, sizeof(err)), VE_EXISTS);
	assert_non_null(strstr(err, path));
	f = fopen(path, "r");
	assert_non_null(f);
	n2 = fread(after, 1, sizeof(after), f);
	fclose(f);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);

	tmp_path(path, sizeof(path), "no-such-dir/x.key");
	assert_int_equal(crypto_keyfile_create(path, err, sizeof(err)), VE_IO);
	assert_non_null(strstr(err, "无法创建密钥文件"));
}

static void test_keyfile_permissions(void **state)
{
	static const mode_t loose[] = {0644, 0640, 0604, 0660, 0602, 0620, 0601, 0610, 0666};
	char path[256], err[512] = "", want[512];
	struct crypto_keys k, orig;

	tmp_path(path, sizeof(path), "perm.key");
	assert_int_equal(crypto_keyfile_create(path, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "密钥文件权限过宽（应为 0600）：%s", path);
	for (size_t i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		assert_int_equal(chmod(path, loose[i]), 0);
		memset(&k, 0x5a, sizeof(k));
		orig = k;
		err[0] = '\0';
		assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), VE_DENIED);
		assert_string_equal(err, want);
		assert_memory_equal(&k, &orig, sizeof(k));
	}
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), 0);
}

static void test_keyfile_missing(void **state)
{
	char path[256], err[512] = "";
	struct crypto_keys k;

	tmp_path(path, sizeof(path), "missing.key");
	assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), VE_IO);
	assert_non_null(strstr(err, "无法读取密钥文件："));
	assert_non_null(strstr(err, path));

	assert_int_equal(crypto_keyfile_load(tmpdir, &k, err, sizeof(err)), VE_INVALID);
}

#define K16 "000102030405060708090a0b0c0d0e0f"
#define K32 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void test_keyfile_handwritten(void **state)
{
	static const char text[] = "# reordered, blank line, no final newline\n"
				   "audit_key=" K32 "\n\n"
				   "index_key=" K32 "\n"
				   "mac_key=" K32 "\n"
				   "data_key=000102030405060708090A0B0C0D0E0F";
	char path[256], err[512] = "";
	struct crypto_keys k;

	tmp_path(path, sizeof(path), "hand.key");
	write_file(path, text, strlen(text), 0600);
	assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), 0);
	for (unsigned char i = 0; i < SM3_LEN; i++) {
		if (i < SM4_KEY_LEN)
			assert_int_equal(k.data_key[i], i);
		assert_int_equal(k.mac_key[i], i);
		assert_int_equal(k.index_key[i], i);
		assert_int_equal(k.audit_key[i], i);
	}
}

#define WITH_NUL "data_key=" K16 "\nmac_key=" K32 "\0\nindex_key=" K32 "\naudit_key=" K32 "\n"

static void test_keyfile_malformed(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
	} bad[] = {
		{"", 0},
		{"# only a comment\n", 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\n", 0},
		{"data_key=" K16 "\nmac_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"mac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K32 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K16 "0\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K16 "\nmac_key=" K16 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=g" K32 "\n", 0},
		{"data_key=" K16 " \nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K16 "\r\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key = " K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\n", 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32
		 "\nmac_key=" K32 "\n",
		 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32
		 "\nextra_key=" K32 "\n",
		 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=" K32 "\njunk\n",
		 0},
		{"data_key=" K16 "\nmac_key=" K32 "\nindex_key=" K32 "\naudit_key=\n", 0},
		{WITH_NUL, sizeof(WITH_NUL) - 1},
	};
	char path[256], err[512], *big;
	struct crypto_keys k;

	tmp_path(path, sizeof(path), "bad.key");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		write_file(path, bad[i].text, len, 0600);
		err[0] = '\0';
		if (crypto_keyfile_load(path, &k, err, sizeof(err)) != VE_INVALID)
			fail_msg("accepted malformed key file #%zu", i);
		assert_non_null(strstr(err, "密钥文件"));
		assert_non_null(strstr(err, path));
	}

	big = xmalloc(5000);
	memset(big, '#', 5000);
	big[4999] = '\n';
	write_file(path, big, 5000, 0600);
	assert_int_equal(crypto_keyfile_load(path, &k, err, sizeof(err)), VE_INVALID);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_sm3_vectors),
		cmocka_unit_test(test_sm4_vectors),
		cmocka_unit_test(test_hmac_sm3),
		cmocka_unit_test(test_blind_index),
		cmocka_unit_test(test_blind_index_per_field),
		cmocka_unit_test(test_pbkdf2),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_unhex),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_seal_fresh_iv),
		cmocka_unit_test(test_open_tampered),
		cmocka_unit_test(test_seal_ad_binds_place),
		cmocka_unit_test(test_open_wrong_key),
		cmocka_unit_test(test_open_authentic_garbage),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_password_known),
		cmocka_unit_test(test_password_malformed),
		cmocka_unit_test(test_password_default_cost),
		cmocka_unit_test(test_keyfile_create_load),
		cmocka_unit_test(test_keyfile_exists),
		cmocka_unit_test(test_keyfile_permissions),
		cmocka_unit_test(test_keyfile_missing),
		cmocka_unit_test(test_keyfile_handwritten),
		cmocka_unit_test(test_keyfile_malformed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
