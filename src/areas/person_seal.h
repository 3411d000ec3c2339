/* person_seal.h - the registry's sealed values, for person.c and its upgrade: blind
 * indexes (one key per field) and values sealed to their column and person. The public
 * side (person_open_value, person_seal_upgrade) is in person.h. */
#ifndef VETS_PERSON_SEAL_H
#define VETS_PERSON_SEAL_H

#include "person.h"
#include "lib/crypto.h"

#include <stddef.h>
#include <stdint.h>

/* Keeps the keys and derives the per-field index keys (person_init calls it). */
void person_seal_init(const struct crypto_keys *k);

/* The blind index of an ID number / a phone number under its field's own key. */
void person_index_id(const char *number, char out[2 * SM3_LEN + 1]);
void person_index_phone(const char *phone, char out[2 * SM3_LEN + 1]);

/* value sealed for column (a PERSON_SEALED_* name) of person_id into *blob, which the
 * caller frees; *blob NULL and *len 0 for an empty value. */
void person_seal_value(const char *column, int64_t person_id, const char *value,
		       unsigned char **blob, size_t *len);

#endif
