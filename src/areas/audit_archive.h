/* audit_archive.h - audit records older than the retention moved to a file, never lost.
 *
 * The security policy's audit_months (policy.h, at least 6) says how long records stay in
 * the database. audit_archive_run writes every record older than that — the oldest ones,
 * seq first..last, chained on from the previous archive — to a file of JSON lines: a header
 * {"vets_audit_archive":1, first_seq, last_seq, records, prev_hash, created_at, cutoff,
 * retention_months}, one line per record with every column and its hash, and a trailer
 * {"end":true, last_seq, last_hash, records, mac} whose MAC (audit key) seals both ends.
 * Each record and the trailer's MAC are under the audit key of their generation (keyring.h:
 * the key history), as audit_verify checks them. The file is written under a temporary name, synced, linked into place, read back and
 * verified; only then, in one transaction, an anchor row (audit_archives) is added, the
 * records are deleted (the trigger lets only covered records go) and the archive is
 * audited as audit.archive with a detail that repeats the anchor, so that the chain vouches
 * for it. audit_verify then walks from the newest anchor on. */
#ifndef VETS_AUDIT_ARCHIVE_H
#define VETS_AUDIT_ARCHIVE_H

#include "areas/account.h"
#include "db/db.h"
#include "lib/crypto.h"

#include <stddef.h>
#include <stdint.h>

#define AUDIT_ARCHIVE_PATH_MAX 1024

/* One archive as audit_archives keeps it. */
struct audit_anchor {
	int64_t id, first_seq, last_seq, records, record_seq, at;
	char last_hash[2 * SM3_LEN + 1];
	char file_sm3[2 * SM3_LEN + 1];
	char file_name[AUDIT_ARCHIVE_PATH_MAX + 1];
	char actor[64];
};

/* The newest archive into *a: 1, or 0 when nothing was archived (a zeroed), or -1 with err
 * (VE_DB) on a read error or when the archives do not follow one another from record 1. */
int audit_anchor_newest(struct db *db, struct audit_anchor *a, char *err, size_t errlen);
/* Checks, after audit_verify walked the records up to seq last_walked, that the newest
 * anchor a is the one the chain recorded: its audit.archive record (a->record_seq, in the
 * walked part) says exactly a's values. 0, or VE_CRYPTO with *bad_seq and err, or VE_DB. */
int audit_anchor_check(struct db *db, const struct audit_anchor *a, int64_t last_walked,
		       int64_t *bad_seq, char *err, size_t errlen);
/* The detail of a's audit.archive record into out. */
void audit_anchor_detail(const struct audit_anchor *a, char *out, size_t size);

/* What an archive holds (written, or read back from its file). */
struct audit_archive_info {
	int64_t first_seq, last_seq, records, created_at, cutoff;
	int retention_months;
	char prev_hash[2 * SM3_LEN + 1], last_hash[2 * SM3_LEN + 1];
	char file_sm3[2 * SM3_LEN + 1];
	int in_database; /* verify: 1 when the database has the anchor of this file, same SM3 */
};

/* Archives every record older than the policy's retention to path (which must not exist),
 * as by: *out says what (records 0: nothing old enough, no file written). 0; VE_INVALID
 * (the path), VE_EXISTS (the file exists), VE_CRYPTO (the chain does not verify: nothing
 * archived), VE_CONFLICT (another archive ran meanwhile), VE_IO or VE_DB, with a Chinese err;
 * after an error the database is as it was and no file is left at path. */
int audit_archive_run(struct db *db, const struct crypto_keys *keys, const struct principal *by,
		      const char *path, struct audit_archive_info *out, char *err, size_t errlen);
/* Verifies the archive file at path with the audit keys: every record's hash and link, the
 * sequence with no gap, both ends under the trailer's MAC, nothing after it. Each record is
 * checked under the audit key of its generation: the current one (audit_init), or with db
 * (may be NULL) the retired ones of its key history, opened under keys; with db it also
 * looks for the file's anchor. 0 with *out; VE_CRYPTO (altered, truncated, not an archive,
 * or records of a retired generation without db) or VE_IO with a Chinese err. */
int audit_archive_verify_file(const char *path, struct db *db, const struct crypto_keys *keys,
			      struct audit_archive_info *out, char *err, size_t errlen);
/* audit_archive_verify_file without a database, on an archive's len bytes in memory (name
 * only names it in messages): every record checked under the current audit key
 * (audit_init), none under a retired one. 0 with *out (file_sm3: the SM3 of the bytes), or
 * VE_CRYPTO (altered, truncated, not an archive, or records of a retired generation) or
 * VE_IO with a Chinese err. */
int audit_archive_verify_bytes(const void *data, size_t len, const char *name,
			       struct audit_archive_info *out, char *err, size_t errlen);

#endif
