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
 * file's (also the file a rotation retired), or VE_CONFLICT when a rotation was started
 * and not finished (err says to run vets key rotate again). VE_DB on a read error. */
int keyring_check(struct db *db, const struct crypto_keys *k, char *err, size_t errlen);

/* The generation (1 for the key file made by vets init) and fingerprint the database
 * records, into *generation and fp ("" when none is recorded). 0 or VE_DB. */
int keyring_recorded(struct db *db, int64_t *generation, char fp[KEYRING_FINGERPRINT_HEX + 1]);

/* Marks the key file at path as in use by this process until it exits (a shared lock on
 * it), so that a rotation does not start under a running server or command: 0, or
 * VE_CONFLICT with err when a rotation holds it now. */
int keyring_hold(const char *path, char *err, size_t errlen);

/* What a rotation did. */
struct keyring_rotation {
	int64_t generation;                            /* the new key's */
	char fingerprint[KEYRING_FINGERPRINT_HEX + 1]; /* the new key file's */
	char retired[1100];                            /* where the old key file is kept */
	int resumed;                                   /* 1: an earlier run was finished */
	int64_t values, indexes;                       /* re-sealed and recomputed by this run */
};

/* Rotates the keys of db, whose key file is at path: writes new keys to path.new, re-seals
 * every sealed value and recomputes every blind index under them in batches of batch rows
 * (progress(ctx, table, rows done) after each), moves the audit chain to the new audit key
 * (the old one kept in key_history), then keeps the old file as path.N and puts the new
 * one at path. A run that was killed is finished from where it stopped. Needs no other
 * process using the key file (keyring_hold). 0 with *out filled, or an error with a
 * Chinese err: VE_CONFLICT (in use), VE_CRYPTO (the key file is not this database's, or a
 * value does not open), VE_IO (a file), VE_DB. Whatever was committed stays consistent. */
int keyring_rotate(struct db *db, const char *path, int64_t batch,
		   void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx,
		   struct keyring_rotation *out, char *err, size_t errlen);

#endif
