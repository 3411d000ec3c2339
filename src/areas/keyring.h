/* keyring.h - which key file a database belongs to, the audit keys of its earlier key
 * generations, and the rotation of the data, MAC, blind-index and audit keys.
 *
 * A database records the fingerprint of its key file and the generation of that key
 * (settings "key.fingerprint", "key.generation"); every command that opens the store
 * checks the file against it (keyring_check), so a wrong key file, or the key file a
 * rotation retired, is refused before anything is read or written.
 *
 * Rotation (keyring_rotate) re-seals every sealed value and recomputes every blind
 * index in batches, each batch one transaction that also moves the rotation's cursor:
 * killed at any point, the database holds each row under exactly one of the two keys,
 * the cursor says which, and the next run goes on from there. The audit trail is never
 * rewritten: the records before the rotation stay chained under the old audit key,
 * which is kept in key_history sealed under the newest key (audit_verify reads it). */
#ifndef VETS_KEYRING_H
#define VETS_KEYRING_H

#include "db/db.h"
#include "lib/crypto.h"

#include <stddef.h>
#include <stdint.h>

#define KEYRING_FINGERPRINT_HEX 16

/* The fingerprint of the four file keys: 16 hex digits of an HMAC-SM3 under each key
 * of a fixed label. Says which key file it is without saying anything of the keys. */
void keyring_fingerprint(const struct crypto_keys *k, char out[KEYRING_FINGERPRINT_HEX + 1]);

/* Checks that k is this database's key file: 0 (recording its fingerprint when the
 * database has none yet, as one written before fingerprints were kept), or VE_CRYPTO
 * with a Chinese err naming both fingerprints and generations when it is another
 * file's (also the file a rotation retired), or VE_BUSY when a rotation was started
 * and not finished (err says to run vets key rotate again). VE_DB on a read error. */
int keyring_check(struct db *db, const struct crypto_keys *k, char *err, size_t errlen);

/* The generation (1 for the key file made by vets init) and fingerprint the database
 * records, into *generation and fp ("" when none is recorded). 0 or VE_DB. */
int keyring_recorded(struct db *db, int64_t *generation, char fp[KEYRING_FINGERPRINT_HEX + 1]);

#endif
