/* person_seal.h - the registry's blind indexes (one key per field), for person.c and its
 * upgrade. Values are sealed to their column and person through sealed.h with the
 * PERSON_SEALED_* column names; the upgrade (person_seal_upgrade) is in person.h. */
#ifndef VETS_PERSON_SEAL_H
#define VETS_PERSON_SEAL_H

#include "person.h"
#include "lib/crypto.h"

/* Keeps the keys (sealed_init) and derives the per-field index keys (person_init calls it). */
void person_seal_init(const struct crypto_keys *k);

/* The blind index of an ID number / a phone number under its field's own key. */
void person_index_id(const char *number, char out[2 * SM3_LEN + 1]);
void person_index_phone(const char *phone, char out[2 * SM3_LEN + 1]);
/* The blind indexes of the parts of an ID number that counter staff type: its last four
 * characters ("123X") and its first six digits (the region code), each under its own key.
 * person_index_id_parts indexes both parts of a whole number. */
void person_index_last4(const char *last4, char out[2 * SM3_LEN + 1]);
void person_index_first6(const char *first6, char out[2 * SM3_LEN + 1]);
void person_index_id_parts(const char *number, char last4[2 * SM3_LEN + 1],
			   char first6[2 * SM3_LEN + 1]);

#endif
