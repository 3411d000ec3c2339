/* audit.h - the append-only audit trail, chained by HMAC-SM3.
 *
 * Every login (ok or failed), logout, lockout, account or role change, every
 * write of a later area and every full view of sensitive data goes through
 * audit_write(), in the same transaction as the change it records. */
#ifndef VETS_AUDIT_H
#define VETS_AUDIT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/crypto.h"
#include "lib/str.h"

/* Who did it, from where. username may be a name that does not exist (a failed login). */
struct audit_actor {
	int64_t user_id; /* 0 when unknown */
	const char *username;
	const char *ip;
	const char *region_code; /* the actor's region, "" when unknown */
};

/* Keeps a copy of the audit key. Call once at start, before threads. */
void audit_init(const struct crypto_keys *keys);

/* A name typed at login that names no account may be a password typed into the
 * wrong box: it is kept only under a key from the key file. key receives hex
 * HMAC-SM3 of name under a key derived from the audit key (for counting failures
 * per name); mask receives "未知用户名#<first 8 hex of key>（N 个字符）", the form
 * written to the audit trail, which lets repeated attempts be told apart without
 * showing the name. */
void audit_name_key(const char *name, char key[2 * SM3_LEN + 1]);
void audit_name_mask(const char *name, char *mask, size_t size);

/* Appends one record: action like "login", "user.create", "person.view_full";
 * object like "user:12"; result "ok" or "fail"/"denied"/...; detail free text (no
 * secrets). Runs inside the caller's transaction (db_begin), or in one of its own when the
 * caller holds none. 0 or VE_DB. */
int audit_write(struct db *db, const struct audit_actor *who, const char *action,
		const char *object, const char *result, const char *detail);
/* Whether the audit key given to audit_init is this database's: 1 when the chain's head
 * verifies under it (or the trail is empty), 0 when it does not, -1 on a read error. */
int audit_key_matches(struct db *db);
/* Moves the chain to the audit key of keys (a key rotation, keyring.c): inside the
 * caller's transaction, checks the head under the current key, then keeps the new key and
 * re-MACs the head under it; every later record is chained under the new key. The caller
 * has recorded the old key in key_history first; on a failure it rolls back and calls
 * audit_init with the old keys. 0 or VE_DB. */
int audit_switch_key(struct db *db, const struct crypto_keys *keys);
/* audit_write in a transaction of its own, for events that change nothing else. */
int audit_event(struct db *db, const struct audit_actor *who, const char *action,
		const char *object, const char *result, const char *detail);

/* Checks the whole chain, each record under the audit key of its generation (the retired
 * ones from key_history, opened under the current keys), from the newest archive's anchor
 * when records were archived (audit_archive.h): *n_records counts the records in the
 * database. Returns 0 when intact, or VE_CRYPTO
 * with *bad_seq the first record found edited, removed or inserted and a
 * Chinese explanation in err; VE_DB on a read failure. */
int audit_verify(struct db *db, int64_t *n_records, int64_t *bad_seq, char *err, size_t errlen);

struct audit_filter {
	const char *actor;  /* exact username, or NULL */
	const char *action; /* prefix, e.g. "user." or "login", or NULL */
	int64_t from, to;   /* epoch seconds, inclusive from, exclusive to; 0 = open */
	int64_t page, per_page;
};
/* Newest first. *out = {"total":N,"items":[{"seq","at","actor","ip","action","object",
 * "result","detail","action_title","result_title"}]} with "at" as "YYYY-MM-DD HH:MM"
 * Asia/Shanghai and the titles in Chinese. 0 or VE_DB. */
int audit_list(struct db *db, const struct audit_filter *f, json_t **out);
/* Records that who read the trail with filter f ("audit.view"), in a transaction of
 * its own: reading the trail is itself audited. 0 or VE_DB. */
int audit_record_view(struct db *db, const struct audit_actor *who, const struct audit_filter *f);
/* The number of records, and of failed logins after since (epoch seconds), for the
 * home page. 0, or VE_DB (both 0). */
int audit_summary(struct db *db, int64_t since, int64_t *records, int64_t *login_failures);

/* ---- for the archive (audit_archive.c) ---- */

/* One record's columns as audit_log stores them (texts with their lengths). */
struct audit_record {
	int64_t seq, at, actor_id;
	int has_actor_id; /* actor_id is NULL in the table when 0 */
	struct sv actor, ip, action, object, detail, result, region_code, prev_hash;
};
/* The hash audit_log must hold for r under key (the audit key of r's generation; NULL: the
 * current one), as hex, into out: 0, or -1 (no key, or r larger than audit_write makes). */
int audit_record_hash(const struct audit_record *r, const unsigned char key[SM3_LEN],
		      char out[2 * SM3_LEN + 1]);
/* The MAC under key (NULL: the current audit key) that seals an archive file's ends:
 * records first_seq..last_seq (records of them), chained on from prev_hash and ending at
 * last_hash. */
void audit_archive_mac(const unsigned char key[SM3_LEN], int64_t first_seq, const char *prev_hash,
		       int64_t last_seq, const char *last_hash, int64_t records,
		       char out[2 * SM3_LEN + 1]);

/* ---- what the area declares (area.h) ---- */

extern const struct perm perm_audit_read;
#define PERM_AUDIT_READ (&perm_audit_read)
extern const struct area audit_area;

#endif
