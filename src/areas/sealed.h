/* sealed.h - sensitive values at rest and on screen, for every area that keeps them
 * (the registry, the conscripts' families, the payment files): values sealed (SM4 +
 * HMAC-SM3) and bound to their place, blind indexes with one key per field, and the
 * masks that show such values in part.
 *
 * A value is bound to its place, "column:row" (e.g. "persons.phone_enc:42"), given as
 * associated data (crypto_seal_ad): a sealed value copied to another row or column does
 * not open. Deployed data is in this form; it must not change. */
#ifndef VETS_SEALED_H
#define VETS_SEALED_H

#include "lib/crypto.h"

#include <stddef.h>
#include <stdint.h>

/* Keeps a copy of the data keys. Call once at start, before threads (again with the same
 * keys is harmless). */
void sealed_init(const struct crypto_keys *keys);

/* The blind-index key of one field, derived from the index key and the field's name
 * (e.g. "persons.id_bidx"): equal values of two fields get unrelated indexes. */
void sealed_index_key(const char *field, unsigned char key[SM3_LEN]);
/* The blind index of value under key (hex). */
void sealed_index(const unsigned char key[SM3_LEN], const char *value, char out[2 * SM3_LEN + 1]);

/* value sealed for column (e.g. "persons.phone_enc") of row_id into *blob, which the
 * caller frees; *blob NULL and *len 0 for an empty or NULL value. */
void sealed_seal(const char *column, int64_t row_id, const char *value, unsigned char **blob,
		 size_t *len);
/* The plain text of blob sealed for column of row_id into out; "" when blob is empty or
 * does not open (also when it was sealed for another row or column). The caller audits
 * the use. */
void sealed_open(const char *column, int64_t row_id, const void *blob, size_t len, char *out,
		 size_t size);
/* As sealed_open, but a value sealed by an older vets (not bound to its place,
 * crypto_seal) opens too: for the upgrade that re-seals it. 0 ("" for an empty blob), or
 * VE_CRYPTO when it opens under neither form. */
int sealed_open_either(const char *column, int64_t row_id, const void *blob, size_t len,
		       char *out, size_t size);

/* As sealed_open under the keys k instead of the kept ones (for a key rotation, which
 * opens under the old keys and seals under the new): 0 ("" for an empty blob), or
 * VE_CRYPTO when blob does not open under k for this place. */
int sealed_open_with(const struct crypto_keys *k, const char *column, int64_t row_id,
		     const void *blob, size_t len, char *out, size_t size);

/* v with all but its first keep_head and last keep_tail bytes (ASCII values: digits)
 * replaced by '*', into out (size bytes, cut to fit). */
void sealed_mask(const char *v, size_t keep_head, size_t keep_tail, char *out, size_t size);
/* A phone number as lists show it: "138****5678". */
void sealed_mask_phone(const char *v, char out[24]);
/* A bank account as lists show it: the last four digits. */
void sealed_mask_account(const char *v, char out[32]);

#endif
