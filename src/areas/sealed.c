/* sealed.c - sealed values bound to their place, blind indexes and masks. */
#include "sealed.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct crypto_keys keys;

void sealed_init(const struct crypto_keys *k)
{
	keys = *k;
}

void sealed_index_key(const char *field, unsigned char key[SM3_LEN])
{
	crypto_derive_key(keys.index_key, field, key);
}

void sealed_index(const unsigned char key[SM3_LEN], const char *value, char out[2 * SM3_LEN + 1])
{
	crypto_blind_index(key, value, out);
}

/* The associated data of a value of column in row_id: "column:row_id"; its length, 0
 * when it does not fit (no column name is that long). */
static size_t place_of(const char *column, int64_t row_id, char out[80])
{
	int n = snprintf(out, 80, "%s:%lld", column, (long long)row_id);
	return n > 0 && n < 80 ? (size_t)n : 0;
}

void sealed_seal(const char *column, int64_t row_id, const char *value, unsigned char **blob,
		 size_t *len)
{
	char place[80];
	*blob = NULL;
	*len = 0;
	if (!value || !*value)
		return;
	size_t n = place_of(column, row_id, place);
	crypto_seal_ad(&keys, place, n, value, strlen(value), blob, len);
}

/* Opens blob under the keys k in the bound form, or also the older unbound one when older
 * is set. */
static int open_as(const struct crypto_keys *k, const char *column, int64_t row_id,
		   const void *blob, size_t len, int older, char *out, size_t size)
{
	char *plain = NULL, place[80];
	size_t n = place_of(column, row_id, place);
	out[0] = '\0';
	if (!blob || !len)
		return 0;
	if (crypto_open_ad(k, place, n, blob, len, &plain, NULL) != 0 &&
	    (!older || crypto_open(k, blob, len, &plain, NULL) != 0))
		return VE_CRYPTO;
	str_copy(out, plain, size);
	mem_wipe(plain, strlen(plain));
	free(plain);
	return 0;
}

void sealed_open(const char *column, int64_t row_id, const void *blob, size_t len, char *out,
		 size_t size)
{
	open_as(&keys, column, row_id, blob, len, 0, out, size);
}

int sealed_open_with(const struct crypto_keys *k, const char *column, int64_t row_id,
		     const void *blob, size_t len, char *out, size_t size)
{
	return open_as(k, column, row_id, blob, len, 0, out, size);
}

int sealed_open_either(const char *column, int64_t row_id, const void *blob, size_t len, char *out,
		       size_t size)
{
	return open_as(&keys, column, row_id, blob, len, 1, out, size);
}

void sealed_mask(const char *v, size_t keep_head, size_t keep_tail, char *out, size_t size)
{
	size_t n = strlen(v), k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		out[k++] = i < keep_head || i + keep_tail >= n ? v[i] : '*';
	out[k] = '\0';
}

void sealed_mask_phone(const char *v, char out[24])
{
	sealed_mask(v, 3, 4, out, 24);
}

void sealed_mask_account(const char *v, char out[32])
{
	sealed_mask(v, 0, 4, out, 32);
}
