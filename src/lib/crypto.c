/* crypto.c - SM3, HMAC-SM3, SM4-CBC encrypt-then-MAC, PBKDF2-SM3 and the key file, on OpenSSL 3. */
#include "lib/crypto.h"

#include "lib/err.h"
#include "lib/file.h"
#include "lib/mem.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Cost of new password hashes. Measured on this server (2-core AMD EPYC,
 * OpenSSL 3.0, PKCS5_PBKDF2_HMAC with SM3, 32-byte output): 0.53 us per
 * iteration, so 120000 iterations take about 64 ms on one core. An attacker
 * holding a stolen database then pays 120000 HMAC-SM3 rounds per guess and per
 * account (salts defeat precomputation), while the two cores still verify
 * about 31 logins per second (measured with two threads hashing at once).
 * Each stored hash records its own count, so changing this affects only new
 * passwords. */
#define PASSWORD_ITERATIONS 120000u
/* The largest count accepted from a stored hash (about 5 s of work): caps the
 * cost of one verification whatever is in the database. */
#define PASSWORD_MAX_ITERATIONS 10000000u
#define PASSWORD_MAX_DIGITS 8
#define PASSWORD_SALT_LEN 16
#define PASSWORD_PREFIX "pbkdf2-sm3$"

/* OpenSSL takes int lengths: longer inputs are processed in pieces of this
 * size, a multiple of the block size. */
#define CHUNK (1u << 30)

#define KEYFILE_MAX 4096
#define KEYFILE_COMMENT                                                                            \
	"# vets key file: keep it outside the database and back it up separately; losing it "      \
	"makes encrypted data unreadable\n"

static const struct {
	const char *name;
	size_t offset;
	size_t len;
} key_fields[] = {
	{"data_key", offsetof(struct crypto_keys, data_key), SM4_KEY_LEN},
	{"mac_key", offsetof(struct crypto_keys, mac_key), SM3_LEN},
	{"index_key", offsetof(struct crypto_keys, index_key), SM3_LEN},
	{"audit_key", offsetof(struct crypto_keys, audit_key), SM3_LEN},
};
#define KEY_FIELDS (sizeof(key_fields) / sizeof(key_fields[0]))

/* Algorithms fetched once and shared read-only by all threads. */
static struct {
	EVP_MD *sm3;
	EVP_CIPHER *sm4_cbc;
	EVP_MAC *hmac;
} algs;
static pthread_once_t algs_once = PTHREAD_ONCE_INIT;

/* A failure that valid input cannot cause (missing algorithm, CSPRNG or
 * allocation failure inside OpenSSL, a caller's bug): stop. */
__attribute__((noreturn)) static void die(const char *what)
{
	fprintf(stderr, "vets: 密码运算无法继续 (crypto failure: %s)\n", what);
	ERR_print_errors_fp(stderr);
	abort();
}

static void algs_fetch(void)
{
	algs.sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
	algs.sm4_cbc = EVP_CIPHER_fetch(NULL, "SM4-CBC", NULL);
	algs.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!algs.sm3 || !algs.sm4_cbc || !algs.hmac)
		die("SM3, SM4-CBC or HMAC is not available in OpenSSL");
}

static void algs_init(void)
{
	if (pthread_once(&algs_once, algs_fetch) != 0)
		die("pthread_once");
}

/* strerror_r is the GNU variant (returning char *) under _GNU_SOURCE and the
 * POSIX one (returning int) otherwise; this works with either. */
static const char *strerror_gnu(char *r, char *buf)
{
	return r;
}

static const char *strerror_posix(int r, char *buf)
{
	return r == 0 ? buf : "未知错误";
}

#define ERRSTR(e, buf)                                                                             \
	_Generic(strerror_r((e), (buf), sizeof(buf)), char *: strerror_gnu, int: strerror_posix)(  \
		strerror_r((e), (buf), sizeof(buf)), (buf))

void crypto_sm3(const void *data, size_t len, unsigned char out[SM3_LEN])
{
	algs_init();
	if (EVP_Digest(data, len, out, NULL, algs.sm3, NULL) != 1)
		die("SM3");
}

/* Setting a key up costs more than hashing a short value (a third of an import's time
 * went there): each thread keeps its last few keyed contexts and duplicates them. */
#define HMAC_CACHE_SLOTS 8
#define HMAC_CACHE_KEY_MAX 64

struct hmac_cache {
	struct {
		unsigned char key[HMAC_CACHE_KEY_MAX];
		size_t keylen;
		EVP_MAC_CTX *ctx;
	} slot[HMAC_CACHE_SLOTS];
	unsigned next;
};

static pthread_key_t hmac_cache_key;
static pthread_once_t hmac_cache_once = PTHREAD_ONCE_INIT;

static void hmac_cache_free(void *p)
{
	struct hmac_cache *c = p;
	for (int i = 0; i < HMAC_CACHE_SLOTS; i++)
		EVP_MAC_CTX_free(c->slot[i].ctx);
	mem_wipe(c, sizeof(*c));
	free(c);
}

static void hmac_cache_init(void)
{
	pthread_key_create(&hmac_cache_key, hmac_cache_free);
}

static EVP_MAC_CTX *new_keyed(const void *key, size_t keylen)
{
	/* OpenSSL reads a NULL key as "keep the previous key": an empty key must be non-NULL. */
	static const unsigned char empty_key[1];
	char digest[] = "SM3";
	OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
				OSSL_PARAM_construct_end()};
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(algs.hmac);
	if (!ctx || EVP_MAC_init(ctx, keylen ? key : empty_key, keylen, params) != 1)
		die("HMAC-SM3");
	return ctx;
}

/* A context keyed with key, ready for update; the caller frees it. */
static EVP_MAC_CTX *keyed_ctx(const void *key, size_t keylen)
{
	if (keylen > HMAC_CACHE_KEY_MAX)
		return new_keyed(key, keylen);
	pthread_once(&hmac_cache_once, hmac_cache_init);
	struct hmac_cache *c = pthread_getspecific(hmac_cache_key);
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		pthread_setspecific(hmac_cache_key, c);
	}
	for (int i = 0; i < HMAC_CACHE_SLOTS; i++)
		if (c->slot[i].ctx && c->slot[i].keylen == keylen &&
		    crypto_equal(c->slot[i].key, key, keylen)) {
			EVP_MAC_CTX *dup = EVP_MAC_CTX_dup(c->slot[i].ctx);
			if (!dup)
				die("HMAC-SM3");
			return dup;
		}
	unsigned i = c->next++ % HMAC_CACHE_SLOTS;
	EVP_MAC_CTX_free(c->slot[i].ctx);
	c->slot[i].ctx = new_keyed(key, keylen);
	if (keylen) /* an empty key may be NULL */
		memcpy(c->slot[i].key, key, keylen);
	c->slot[i].keylen = keylen;
	EVP_MAC_CTX *dup = EVP_MAC_CTX_dup(c->slot[i].ctx);
	if (!dup)
		die("HMAC-SM3");
	return dup;
}

void crypto_hmac_sm3(const void *key, size_t keylen, const void *data, size_t len,
		     unsigned char out[SM3_LEN])
{
	size_t outlen = 0;
	algs_init();
	EVP_MAC_CTX *ctx = keyed_ctx(key, keylen);
	if (EVP_MAC_update(ctx, data, len) != 1 || EVP_MAC_final(ctx, out, &outlen, SM3_LEN) != 1 ||
	    outlen != SM3_LEN)
		die("HMAC-SM3");
	EVP_MAC_CTX_free(ctx);
}

void crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		size_t chunk = n < CHUNK ? n : CHUNK;
		if (RAND_bytes(p, (int)chunk) != 1)
			die("CSPRNG");
		p += chunk;
		n -= chunk;
	}
}

void crypto_hex(const void *data, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The value of hex digit c, or -1; without branches, as the digits are often key material. */
static int hex_value(unsigned char c)
{
	int lower = c | 0x20;
	int is_digit = (unsigned)(c - '0') < 10;
	int is_letter = (unsigned)(lower - 'a') < 6;

	return (-is_digit & (c - '0')) | (-is_letter & (lower - 'a' + 10)) |
	       ((is_digit | is_letter) - 1);
}

int crypto_unhex(const char *hex, void *out, size_t n)
{
	unsigned char *o = out;
	int bad = 0;

	if (!hex)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (hex[2 * i] == '\0' || hex[2 * i + 1] == '\0')
			goto fail;
		hi = hex_value((unsigned char)hex[2 * i]);
		lo = hex_value((unsigned char)hex[2 * i + 1]);
		bad |= hi | lo;
		o[i] = (unsigned char)(((unsigned)hi << 4) | (unsigned)lo);
	}
	if (bad < 0 || hex[2 * n] != '\0')
		goto fail;
	return 0;
fail:
	mem_wipe(out, n);
	return -1;
}

int crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* The tag of IV || C (n bytes at ivc): under mac_key when ad is NULL (crypto_seal), else
 * under seal_key over adlen || ad || IV || C. */
static void seal_tag(const struct crypto_keys *k, const void *ad, size_t adlen,
		     const unsigned char *ivc, size_t n, unsigned char out[SM3_LEN])
{
	unsigned char prefix[4];
	size_t outlen = 0;

	if (!ad) {
		crypto_hmac_sm3(k->mac_key, SM3_LEN, ivc, n, out);
		return;
	}
	if (adlen > UINT32_MAX)
		die("associated data too long");
	prefix[0] = (unsigned char)(adlen >> 24);
	prefix[1] = (unsigned char)(adlen >> 16);
	prefix[2] = (unsigned char)(adlen >> 8);
	prefix[3] = (unsigned char)adlen;
	algs_init();
	EVP_MAC_CTX *ctx = keyed_ctx(k->seal_key, SM3_LEN);
	if (EVP_MAC_update(ctx, prefix, sizeof(prefix)) != 1 ||
	    (adlen && EVP_MAC_update(ctx, ad, adlen) != 1) || EVP_MAC_update(ctx, ivc, n) != 1 ||
	    EVP_MAC_final(ctx, out, &outlen, SM3_LEN) != 1 || outlen != SM3_LEN)
		die("HMAC-SM3");
	EVP_MAC_CTX_free(ctx);
}

static int seal(const struct crypto_keys *k, const void *ad, size_t adlen, const void *plain,
		size_t len, unsigned char **out, size_t *outlen)
{
	const unsigned char *p = plain;
	unsigned char *buf, *c;
	EVP_CIPHER_CTX *ctx;
	size_t clen, done = 0, written = 0;
	int n;

	algs_init();
	if (len > SIZE_MAX / 2)
		die("plaintext too long to seal");
	clen = (len / SM4_BLOCK + 1) * SM4_BLOCK;
	buf = xmalloc(SM4_BLOCK + clen + SM3_LEN);
	c = buf + SM4_BLOCK;
	crypto_random(buf, SM4_BLOCK);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || EVP_EncryptInit_ex2(ctx, algs.sm4_cbc, k->data_key, buf, NULL) != 1)
		die("SM4-CBC");
	while (done < len) {
		size_t chunk = len - done < CHUNK ? len - done : CHUNK;
		if (EVP_EncryptUpdate(ctx, c + written, &n, p + done, (int)chunk) != 1)
			die("SM4-CBC");
		written += (size_t)n;
		done += chunk;
	}
	if (EVP_EncryptFinal_ex(ctx, c + written, &n) != 1 || written + (size_t)n != clen)
		die("SM4-CBC");
	EVP_CIPHER_CTX_free(ctx);
	seal_tag(k, ad, adlen, buf, SM4_BLOCK + clen, c + clen);
	*out = buf;
	*outlen = SM4_BLOCK + clen + SM3_LEN;
	return 0;
}

static int open_sealed(const struct crypto_keys *k, const void *ad, size_t adlen,
		       const unsigned char *sealed, size_t len, char **out, size_t *plainlen)
{
	unsigned char mac[SM3_LEN];
	unsigned char *plain = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	size_t clen = 0, done = 0, written = 0;
	int n, rc = VE_CRYPTO;

	algs_init();
	*out = NULL;
	if (plainlen)
		*plainlen = 0;
	if (!sealed || len < SM4_BLOCK + SM4_BLOCK + SM3_LEN ||
	    (len - SM4_BLOCK - SM3_LEN) % SM4_BLOCK != 0)
		goto out;
	clen = len - SM4_BLOCK - SM3_LEN;
	seal_tag(k, ad, adlen, sealed, SM4_BLOCK + clen, mac);
	if (!crypto_equal(mac, sealed + SM4_BLOCK + clen, SM3_LEN))
		goto out;

	/* With padding, decryption writes at most clen - 1 bytes in all. */
	plain = xmalloc(clen + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || EVP_DecryptInit_ex2(ctx, algs.sm4_cbc, k->data_key, sealed, NULL) != 1)
		goto out;
	while (done < clen) {
		size_t chunk = clen - done < CHUNK ? clen - done : CHUNK;
		if (EVP_DecryptUpdate(ctx, plain + written, &n, sealed + SM4_BLOCK + done,
				      (int)chunk) != 1)
			goto out;
		written += (size_t)n;
		done += chunk;
	}
	if (EVP_DecryptFinal_ex(ctx, plain + written, &n) != 1)
		goto out;
	written += (size_t)n;
	plain[written] = '\0';
	*out = (char *)plain;
	plain = NULL;
	if (plainlen)
		*plainlen = written;
	rc = 0;
out:
	if (plain) {
		mem_wipe(plain, clen + 1);
		free(plain);
	}
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int crypto_seal(const struct crypto_keys *k, const void *plain, size_t len, unsigned char **out,
		size_t *outlen)
{
	return seal(k, NULL, 0, plain, len, out, outlen);
}

int crypto_open(const struct crypto_keys *k, const unsigned char *sealed, size_t len, char **out,
		size_t *plainlen)
{
	return open_sealed(k, NULL, 0, sealed, len, out, plainlen);
}

int crypto_seal_ad(const struct crypto_keys *k, const void *ad, size_t adlen, const void *plain,
		   size_t len, unsigned char **out, size_t *outlen)
{
	static const char empty[1];
	return seal(k, ad ? ad : empty, adlen, plain, len, out, outlen);
}

int crypto_open_ad(const struct crypto_keys *k, const void *ad, size_t adlen,
		   const unsigned char *sealed, size_t len, char **out, size_t *plainlen)
{
	static const char empty[1];
	return open_sealed(k, ad ? ad : empty, adlen, sealed, len, out, plainlen);
}

void crypto_blind_index(const unsigned char key[SM3_LEN], const char *value,
			char out[2 * SM3_LEN + 1])
{
	unsigned char mac[SM3_LEN];

	crypto_hmac_sm3(key, SM3_LEN, value, strlen(value), mac);
	crypto_hex(mac, SM3_LEN, out);
}

void crypto_derive_key(const unsigned char key[SM3_LEN], const char *label,
		       unsigned char out[SM3_LEN])
{
	crypto_hmac_sm3(key, SM3_LEN, label, strlen(label), out);
}

void crypto_keys_derive(struct crypto_keys *k)
{
	crypto_derive_key(k->mac_key, "vets seal with associated data", k->seal_key);
}

void crypto_pbkdf2_sm3(const char *password, const void *salt, size_t saltlen, unsigned iterations,
		       unsigned char *out, size_t dklen)
{
	size_t pwlen = strlen(password);

	algs_init();
	if (pwlen > INT_MAX || saltlen > INT_MAX || dklen > INT_MAX || iterations < 1 ||
	    iterations > INT_MAX)
		die("PBKDF2-SM3 parameters out of range");
	if (PKCS5_PBKDF2_HMAC(password, (int)pwlen, salt, (int)saltlen, (int)iterations, algs.sm3,
			      (int)dklen, out) != 1)
		die("PBKDF2-SM3");
}

void crypto_password_hash(const char *password, unsigned iterations, char *out, size_t outsize)
{
	unsigned char salt[PASSWORD_SALT_LEN], dk[SM3_LEN];
	char salt_hex[2 * PASSWORD_SALT_LEN + 1], dk_hex[2 * SM3_LEN + 1];
	int n;

	if (iterations < 1 || iterations > PASSWORD_MAX_ITERATIONS)
		die("password hash iteration count out of range");
	crypto_random(salt, sizeof(salt));
	crypto_pbkdf2_sm3(password, salt, sizeof(salt), iterations, dk, sizeof(dk));
	crypto_hex(salt, sizeof(salt), salt_hex);
	crypto_hex(dk, sizeof(dk), dk_hex);
	n = snprintf(out, outsize, PASSWORD_PREFIX "%u$%s$%s", iterations, salt_hex, dk_hex);
	mem_wipe(dk, sizeof(dk));
	mem_wipe(dk_hex, sizeof(dk_hex));
	if (n < 0 || (size_t)n >= outsize)
		die("password hash buffer too small");
}

int crypto_password_verify(const char *password, const char *stored)
{
	unsigned char salt[PASSWORD_SALT_LEN], want[SM3_LEN], got[SM3_LEN];
	char salt_hex[2 * PASSWORD_SALT_LEN + 1];
	const char *p;
	unsigned iterations = 0;
	size_t digits;
	int ok;

	if (!password || !stored || strncmp(stored, PASSWORD_PREFIX, strlen(PASSWORD_PREFIX)) != 0)
		return 0;
	p = stored + strlen(PASSWORD_PREFIX);
	for (digits = 0; p[digits] >= '0' && p[digits] <= '9'; digits++) {
		if (digits == PASSWORD_MAX_DIGITS)
			return 0;
		iterations = iterations * 10 + (unsigned)(p[digits] - '0');
	}
	if (digits == 0 || p[0] == '0' || iterations < 1 || iterations > PASSWORD_MAX_ITERATIONS ||
	    p[digits] != '$')
		return 0;
	p += digits + 1;
	if (strlen(p) != 2 * PASSWORD_SALT_LEN + 1 + 2 * SM3_LEN || p[2 * PASSWORD_SALT_LEN] != '$')
		return 0;
	memcpy(salt_hex, p, 2 * PASSWORD_SALT_LEN);
	salt_hex[2 * PASSWORD_SALT_LEN] = '\0';
	if (crypto_unhex(salt_hex, salt, sizeof(salt)) != 0 ||
	    crypto_unhex(p + 2 * PASSWORD_SALT_LEN + 1, want, sizeof(want)) != 0)
		return 0;

	crypto_pbkdf2_sm3(password, salt, sizeof(salt), iterations, got, sizeof(got));
	ok = crypto_equal(got, want, sizeof(got));
	mem_wipe(got, sizeof(got));
	mem_wipe(want, sizeof(want));
	return ok;
}

unsigned crypto_password_iterations(void)
{
	return PASSWORD_ITERATIONS;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int crypto_keyfile_create(const char *path, char *err, size_t errlen)
{
	struct crypto_keys k;
	char text[KEYFILE_MAX], hex[2 * SM3_LEN + 1], ebuf[128];
	size_t len;
	int fd, ok, e, rc = 0;

	crypto_random(&k, sizeof(k));
	len = (size_t)snprintf(text, sizeof(text), "%s", KEYFILE_COMMENT);
	for (size_t i = 0; i < KEY_FIELDS; i++) {
		crypto_hex((unsigned char *)&k + key_fields[i].offset, key_fields[i].len, hex);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s=%s\n",
					key_fields[i].name, hex);
	}

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = err_set(err, errlen, VE_EXISTS, "密钥文件已存在，不会覆盖：%s", path);
		else
			rc = err_set(err, errlen, VE_IO, "无法创建密钥文件：%s：%s", path,
				     ERRSTR(errno, ebuf));
		goto out;
	}
	ok = write_all(fd, text, len) == 0 && fsync(fd) == 0;
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (!ok) {
		rc = err_set(err, errlen, VE_IO, "无法写入密钥文件：%s：%s", path, ERRSTR(e, ebuf));
		unlink(path);
		goto out;
	}
	/* the directory entry too, so that a crash just after creation cannot lose the keys
	 * (best effort: the file itself is synced) */
	(void)file_sync_parent(path);
out:
	mem_wipe(&k, sizeof(k));
	mem_wipe(text, sizeof(text));
	mem_wipe(hex, sizeof(hex));
	return rc;
}

/* Parses the key file's text (NUL-terminated, modified in place) into k. */
static int parse_keys(char *text, struct crypto_keys *k, const char *path, char *err, size_t errlen)
{
	unsigned seen = 0, lineno = 0;
	char *line = text;

	while (*line) {
		char *next = strchr(line, '\n'), *eq;
		size_t i;

		lineno++;
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line[0] == '\0' || line[0] == '#') {
			line = next;
			continue;
		}
		eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		for (i = 0; eq && i < KEY_FIELDS; i++)
			if (strcmp(line, key_fields[i].name) == 0)
				break;
		if (!eq || i == KEY_FIELDS)
			return err_set(err, errlen, VE_INVALID, "密钥文件第 %u 行无法识别：%s",
				       lineno, path);
		if (seen & (1u << i))
			return err_set(err, errlen, VE_INVALID, "密钥文件第 %u 行重复定义 %s：%s",
				       lineno, key_fields[i].name, path);
		if (crypto_unhex(eq + 1, (unsigned char *)k + key_fields[i].offset,
				 key_fields[i].len) != 0)
			return err_set(err, errlen, VE_INVALID,
				       "密钥文件第 %u 行的 %s 应为 %zu 位十六进制数：%s", lineno,
				       key_fields[i].name, 2 * key_fields[i].len, path);
		seen |= 1u << i;
		line = next;
	}
	for (size_t i = 0; i < KEY_FIELDS; i++)
		if (!(seen & (1u << i)))
			return err_set(err, errlen, VE_INVALID, "密钥文件缺少 %s：%s",
				       key_fields[i].name, path);
	return 0;
}

int crypto_keyfile_load(const char *path, struct crypto_keys *k, char *err, size_t errlen)
{
	struct crypto_keys keys;
	struct stat st;
	char text[KEYFILE_MAX + 1], ebuf[128];
	size_t len = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errlen, VE_IO, "无法读取密钥文件：%s：%s", path,
			       ERRSTR(errno, ebuf));
	if (fstat(fd, &st) != 0) {
		rc = err_set(err, errlen, VE_IO, "无法读取密钥文件：%s：%s", path,
			     ERRSTR(errno, ebuf));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = err_set(err, errlen, VE_INVALID, "密钥文件不是普通文件：%s", path);
		goto out;
	}
	if (st.st_mode & 077) {
		rc = err_set(err, errlen, VE_DENIED, "密钥文件权限过宽（应为 0600）：%s", path);
		goto out;
	}
	while (len < sizeof(text)) {
		ssize_t r = read(fd, text + len, sizeof(text) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = err_set(err, errlen, VE_IO, "无法读取密钥文件：%s：%s", path,
				     ERRSTR(errno, ebuf));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > KEYFILE_MAX) {
		rc = err_set(err, errlen, VE_INVALID, "密钥文件过大（不应超过 %d 字节）：%s",
			     KEYFILE_MAX, path);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		rc = err_set(err, errlen, VE_INVALID, "密钥文件含有非文本内容：%s", path);
		goto out;
	}
	text[len] = '\0';
	rc = parse_keys(text, &keys, path, err, errlen);
	if (rc == 0) {
		crypto_keys_derive(&keys);
		memcpy(k, &keys, sizeof(keys));
	}
out:
	close(fd);
	mem_wipe(text, sizeof(text));
	mem_wipe(&keys, sizeof(keys));
	return rc;
}
