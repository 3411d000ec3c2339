/* crypto.h - the national algorithms vets needs, on OpenSSL 3.
 *
 * SM3 hashes, HMAC-SM3 MACs and blind indexes, SM4-CBC encryption
 * authenticated with HMAC-SM3 (encrypt-then-MAC, random IV), PBKDF2-HMAC-SM3
 * password hashes, a CSPRNG, and the key file that keeps the secrets outside
 * the database. All functions are thread-safe. */
#ifndef VETS_CRYPTO_H
#define VETS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SM3_LEN 32
#define SM4_KEY_LEN 16
#define SM4_BLOCK 16

/* The secrets of one installation, read from the key file, and the keys derived
 * from them (crypto_keys_derive; crypto_keyfile_load fills them). */
struct crypto_keys {
	unsigned char data_key[SM4_KEY_LEN]; /* SM4 encryption of sensitive fields */
	unsigned char mac_key[SM3_LEN];      /* HMAC-SM3 authentication of ciphertexts */
	unsigned char index_key[SM3_LEN];    /* the root of the per-field blind-index keys */
	unsigned char audit_key[SM3_LEN];    /* HMAC-SM3 chaining of the audit log */
	/* Derived: HMAC-SM3 of ciphertexts bound to associated data (crypto_seal_ad),
	 * apart from mac_key so that no tag of one kind passes for the other. */
	unsigned char seal_key[SM3_LEN];
};

/* Fills the derived keys of k from its file keys. */
void crypto_keys_derive(struct crypto_keys *k);
/* A key for one purpose: out = HMAC-SM3(key, label). Distinct labels give
 * independent keys (e.g. one blind-index key per field). */
void crypto_derive_key(const unsigned char key[SM3_LEN], const char *label,
		       unsigned char out[SM3_LEN]);

/* out = SM3(data). */
void crypto_sm3(const void *data, size_t len, unsigned char out[SM3_LEN]);
/* out = HMAC-SM3(key, data). */
void crypto_hmac_sm3(const void *key, size_t keylen, const void *data, size_t len,
		     unsigned char out[SM3_LEN]);
/* Fills buf with n bytes from the CSPRNG. Aborts if the CSPRNG fails. */
void crypto_random(void *buf, size_t n);
/* Lower-case hex of n bytes into out, which must hold 2n+1 bytes. */
void crypto_hex(const void *data, size_t n, char *out);
/* Parses exactly 2n hex digits into out. Returns 0, or -1 on bad input. */
int crypto_unhex(const char *hex, void *out, size_t n);
/* Compares n bytes in constant time: 1 when equal. */
int crypto_equal(const void *a, const void *b, size_t n);

/* Encrypts plain under the keys: out receives IV(16) || SM4-CBC(PKCS#7) || HMAC-SM3(IV||C)(32),
 * malloc'd, length in *outlen. Returns 0 (never fails on valid keys). */
int crypto_seal(const struct crypto_keys *k, const void *plain, size_t len, unsigned char **out,
		size_t *outlen);
/* Reverses crypto_seal: checks the MAC first, then decrypts into a malloc'd,
 * NUL-terminated buffer (*plainlen excludes the NUL). Returns 0, or VE_CRYPTO
 * when the input was altered, truncated or sealed under other keys; then *out is NULL. */
int crypto_open(const struct crypto_keys *k, const unsigned char *sealed, size_t len, char **out,
		size_t *plainlen);
/* crypto_seal bound to associated data ad (adlen bytes, e.g. "persons.phone_enc:42": the
 * table, column and row the value belongs to): the tag is HMAC-SM3 under seal_key over
 * adlen (4 bytes, big-endian) || ad || IV || C. ad is not stored; crypto_open_ad opens the
 * value only with the same ad, so a value copied to another row or column fails to open. */
int crypto_seal_ad(const struct crypto_keys *k, const void *ad, size_t adlen, const void *plain,
		   size_t len, unsigned char **out, size_t *outlen);
/* Reverses crypto_seal_ad for the same ad; results as crypto_open (VE_CRYPTO when the
 * value was altered, sealed under other keys or for other associated data). */
int crypto_open_ad(const struct crypto_keys *k, const void *ad, size_t adlen,
		   const unsigned char *sealed, size_t len, char **out, size_t *plainlen);
/* Blind index of a value for exact lookups: hex(HMAC-SM3(key, value)) into out[65], where
 * key is the field's own key (crypto_derive_key of index_key and the field's name), so
 * that equal values of two fields have unrelated indexes. */
void crypto_blind_index(const unsigned char key[SM3_LEN], const char *value,
			char out[2 * SM3_LEN + 1]);

/* PBKDF2-HMAC-SM3 of password with salt, iterations rounds, dklen bytes into out. */
void crypto_pbkdf2_sm3(const char *password, const void *salt, size_t saltlen, unsigned iterations,
		       unsigned char *out, size_t dklen);
/* The password hash stored for accounts:
 * "pbkdf2-sm3$<iterations>$<salt hex 32>$<hash hex 64>", written into out (>= 128 bytes). */
void crypto_password_hash(const char *password, unsigned iterations, char *out, size_t outsize);
/* 1 when password matches stored (a string made by crypto_password_hash), 0 otherwise
 * (also for a malformed stored string). Constant time in the comparison. */
int crypto_password_verify(const char *password, const char *stored);
/* The iteration count used for new password hashes (see crypto.c for why). */
unsigned crypto_password_iterations(void);

/* Creates a key file at path with fresh random keys, mode 0600, refusing to
 * overwrite an existing file (O_EXCL). Returns 0, or VE_EXISTS / VE_IO with err filled. */
int crypto_keyfile_create(const char *path, char *err, size_t errlen);
/* Reads the key file at path into k. Refuses a file readable by group or others
 * (VE_DENIED), a missing file (VE_IO) or a malformed one (VE_INVALID), with err filled. */
int crypto_keyfile_load(const char *path, struct crypto_keys *k, char *err, size_t errlen);

#endif
