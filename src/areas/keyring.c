#define _GNU_SOURCE /* renameat2 */
/* keyring.c - a database's key file, its generations, and the rotation of its keys.
 *
 * State, in settings: "key.generation" and "key.fingerprint" name the key file the
 * database is under; while a rotation runs, "key.rotating" holds the generation being
 * made ("" when none), "key.next_fingerprint" the new file's fingerprint, and
 * "key.rotate_step"/"key.rotate_after" the cursor: the table in work (an index of
 * rekeyed[]) and the last row key done in it. Every batch moves the cursor in the
 * transaction that re-seals its rows, so a kill leaves each row under exactly one key and
 * the cursor says which.
 *
 * Files: the new keys are written to PATH.new before the database names them; the
 * rotation ends by keeping the old file as PATH.N (N its generation: a hard link) and
 * renaming PATH.new over PATH. Each step is found again from what the database and the
 * files say, so a run killed anywhere is finished by the next. */
#include "keyring.h"
#include "audit.h"
#include "person.h"
#include "person_seal.h"
#include "sealed.h"
#include "settings.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GENERATION "key.generation"
#define FINGERPRINT "key.fingerprint"
#define ROTATING "key.rotating"
#define NEXT_FINGERPRINT "key.next_fingerprint"
#define STEP "key.rotate_step"
#define AFTER "key.rotate_after"
#define HISTORY_COLUMN "key_history.audit_key_enc"
#define PLAIN_MAX 1024 /* bytes of the longest sealed value (an address) with room to spare */

void keyring_fingerprint(const struct crypto_keys *k, char out[KEYRING_FINGERPRINT_HEX + 1])
{
	static const char label[] = "vets key fingerprint v1";
	unsigned char macs[4][SM3_LEN], digest[SM3_LEN];
	crypto_hmac_sm3(k->data_key, SM4_KEY_LEN, label, sizeof(label) - 1, macs[0]);
	crypto_hmac_sm3(k->mac_key, SM3_LEN, label, sizeof(label) - 1, macs[1]);
	crypto_hmac_sm3(k->index_key, SM3_LEN, label, sizeof(label) - 1, macs[2]);
	crypto_hmac_sm3(k->audit_key, SM3_LEN, label, sizeof(label) - 1, macs[3]);
	crypto_sm3(macs, sizeof(macs), digest);
	crypto_hex(digest, KEYRING_FINGERPRINT_HEX / 2, out);
}

/* A setting as an integer: 0 when unset or empty. 0 or VE_DB. */
static int setting_int(struct db *db, const char *key, int64_t *out)
{
	char v[32];
	*out = 0;
	int rc = settings_get(db, key, v, sizeof(v));
	if (rc == VE_NOTFOUND || (rc == 0 && !v[0]))
		return 0;
	if (rc)
		return VE_DB;
	return str_to_i64(v, strlen(v), 0, INT64_MAX, out) == 0 ? 0 : VE_DB;
}

static int set_int(struct db *db, const char *key, int64_t v)
{
	char text[32];
	snprintf(text, sizeof(text), "%" PRId64, v);
	return settings_set(db, key, text, 0, 1);
}

int keyring_recorded(struct db *db, int64_t *generation, char fp[KEYRING_FINGERPRINT_HEX + 1])
{
	int rc = settings_get(db, FINGERPRINT, fp, KEYRING_FINGERPRINT_HEX + 1);
	if (rc == VE_NOTFOUND)
		fp[0] = '\0';
	else if (rc)
		return VE_DB;
	return setting_int(db, GENERATION, generation);
}

/* The retired generation whose key file has fingerprint fp: its number, 0 when none. */
static int64_t retired_generation(struct db *db, const char *fp)
{
	int64_t g = 0;
	db_int_query(db, &g, 0, "SELECT generation FROM key_history WHERE fingerprint = ?", "s",
		     fp);
	return g;
}

int keyring_check(struct db *db, const struct crypto_keys *k, char *err, size_t errlen)
{
	char fp[KEYRING_FINGERPRINT_HEX + 1], recorded[KEYRING_FINGERPRINT_HEX + 1];
	int64_t generation = 0, rotating = 0;
	if (setting_int(db, ROTATING, &rotating) != 0 ||
	    keyring_recorded(db, &generation, recorded) != 0)
		return err_set(err, errlen, VE_DB, "读取密钥信息失败：%s", db_errmsg(db));
	if (rotating)
		return err_set(err, errlen, VE_CONFLICT,
			       "密钥轮换尚未完成（正在生成第 %" PRId64 " 代密钥）：请再次运行 vets "
			       "key rotate 完成它，完成前数据库不能使用",
			       rotating);
	keyring_fingerprint(k, fp);
	if (!recorded[0]) {
		/* A database from before fingerprints were kept: its key file is the first, once
		 * its audit key is seen to be the one the trail is chained under. */
		int matches = audit_key_matches(db);
		if (matches < 0)
			return err_set(err, errlen, VE_DB, "读取审计链头失败：%s", db_errmsg(db));
		if (!matches)
			return err_set(
				err, errlen, VE_CRYPTO,
				"密钥文件与数据库不符：审计链无法用该密钥文件（指纹 %s）校验", fp);
		if (db_tx_begin(db, 0) != 0)
			return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
		int rc = settings_set(db, FINGERPRINT, fp, 0, 1);
		if (!rc)
			rc = db_int_query(
				db, &generation, 0,
				"SELECT coalesce(max(generation), 0) + 1 FROM key_history", "");
		if (!rc)
			rc = set_int(db, GENERATION, generation);
		if (db_tx_end(db, 0, rc) != 0)
			return err_set(err, errlen, VE_DB, "记录密钥指纹失败：%s", db_errmsg(db));
		return 0;
	}
	if (strcmp(fp, recorded) == 0)
		return 0;
	int64_t retired = retired_generation(db, fp);
	if (retired)
		return err_set(
			err, errlen, VE_CRYPTO,
			"这是第 %" PRId64 " 代密钥文件（指纹 %s），已在密钥轮换中停用，不能再"
			"打开数据库：请使用当前的第 %" PRId64 " 代密钥文件（指纹 %s；轮换刚被"
			"中断时它在密钥文件路径加 .new 处，再次运行 vets key rotate 即换上）",
			retired, fp, generation, recorded);
	return err_set(err, errlen, VE_CRYPTO,
		       "密钥文件与数据库不符：文件指纹 %s，数据库需要第 %" PRId64
		       " 代密钥文件（指纹 "
		       "%s）",
		       fp, generation, recorded);
}

/* ---- what a rotation re-keys ---- */

enum part { WHOLE, LAST4, FIRST6, CHAINED };

/* A sealed column: its place (the column name its values are bound to, which may be
 * another table's: a person's old bank account is bound as persons.account_enc). */
struct rekeyed_value {
	const char *place;
};

/* A blind index, recomputed from the plain text of sealed value `source` (the whole of it,
 * or its last four or first six characters), or, for a value whose plain text is not kept
 * (CHAINED), as the index of its old value under the new key: equal old values stay
 * equal, and the old key can no longer test a guess against it. Only a row that has an
 * index gets one. */
struct rekeyed_index {
	const char *field;
	int source;
	enum part part;
};

/* A table: select takes (after, limit) and gives the row key (ascending, unique), the row
 * its values are bound to, the sealed values, then the indexes, in declaration order;
 * update stores one row: the sealed values, the indexes ("" keeps the old one), the key. */
struct rekeyed_table {
	const char *name, *select, *update;
	struct rekeyed_value values[3];
	struct rekeyed_index indexes[4];
};

/* An index column set by update: "" (a row without that index) keeps what it has. */
#define NEW_INDEX(col) col " = coalesce(nullif(?, ''), " col ")"

static const struct rekeyed_table rekeyed[] = {
	{"persons",
	 "SELECT id, id, id_enc, phone_enc, account_enc, id_bidx, phone_bidx, id_last4_bidx, "
	 "id_first6_bidx FROM persons WHERE id > ? ORDER BY id LIMIT ?",
	 "UPDATE persons SET id_enc = ?, phone_enc = ?, account_enc = ?, " NEW_INDEX("id_bidx") ", " NEW_INDEX(
		 "phone_bidx") ", " NEW_INDEX("id_last4_bidx") ", " NEW_INDEX("id_first6_bidx") " WHERE id = ?",
	 {{PERSON_SEALED_ID}, {PERSON_SEALED_PHONE}, {PERSON_SEALED_ACCOUNT}},
	 {{"persons.id_bidx", 0, WHOLE},
	  {"persons.phone_bidx", 1, WHOLE},
	  {"persons.id_last4_bidx", 0, LAST4},
	  {"persons.id_first6_bidx", 0, FIRST6}}},
	{"person_identities",
	 "SELECT id, person_id, disability_enc FROM person_identities WHERE id > ? AND "
	 "disability_enc IS NOT NULL ORDER BY id LIMIT ?",
	 "UPDATE person_identities SET disability_enc = ? WHERE id = ?",
	 {{PERSON_SEALED_DISABILITY}},
	 {{0}}},
	{"person_history",
	 "SELECT id, person_id, old_enc FROM person_history WHERE id > ? AND old_enc IS NOT NULL "
	 "ORDER BY id LIMIT ?",
	 "UPDATE person_history SET old_enc = ? WHERE id = ?",
	 {{PERSON_SEALED_ACCOUNT}},
	 {{0}}},
	{"conscripts",
	 "SELECT person_id, person_id, family_phone_enc FROM conscripts WHERE person_id > ? AND "
	 "family_phone_enc IS NOT NULL ORDER BY person_id LIMIT ?",
	 "UPDATE conscripts SET family_phone_enc = ? WHERE person_id = ?",
	 {{"conscripts.family_phone_enc"}},
	 {{0}}},
	{"sms_outbox",
	 "SELECT id, id, phone_enc FROM sms_outbox WHERE id > ? AND phone_enc IS NOT NULL ORDER "
	 "BY id LIMIT ?",
	 "UPDATE sms_outbox SET phone_enc = ? WHERE id = ?",
	 {{"sms_outbox.phone_enc"}},
	 {{0}}},
	{"applications",
	 "SELECT id, id, id_enc, phone_enc, id_bidx FROM applications WHERE id > ? ORDER BY id "
	 "LIMIT ?",
	 "UPDATE applications SET id_enc = ?, phone_enc = ?, " NEW_INDEX("id_bidx") " WHERE id = ?",
	 {{"applications.id_enc"}, {"applications.phone_enc"}},
	 {{"applications.id_bidx", 0, WHOLE}}},
	{"petitions",
	 "SELECT id, id, id_enc, phone_enc, address_enc, id_bidx FROM petitions WHERE id > ? "
	 "ORDER BY id LIMIT ?",
	 "UPDATE petitions SET id_enc = ?, phone_enc = ?, address_enc = ?, " NEW_INDEX(
		 "id_bidx") " WHERE id = ?",
	 {{"petitions.id_enc"}, {"petitions.phone_enc"}, {"petitions.address_enc"}},
	 {{"petitions.id_bidx", 0, WHOLE}}},
	{"discredits",
	 "SELECT id, id, id_enc, id_bidx FROM discredits WHERE id > ? ORDER BY id LIMIT ?",
	 "UPDATE discredits SET id_enc = ?, " NEW_INDEX("id_bidx") " WHERE id = ?",
	 {{"discredits.id_enc"}},
	 {{"discredits.id_bidx", 0, WHOLE}}},
	{"consultation_comments",
	 "SELECT id, id, client_hash FROM consultation_comments WHERE id > ? ORDER BY id LIMIT ?",
	 "UPDATE consultation_comments SET " NEW_INDEX("client_hash") " WHERE id = ?",
	 {{0}},
	 {{"consultation_comments.client_hash", -1, CHAINED}}},
};
#define N_REKEYED (sizeof(rekeyed) / sizeof(rekeyed[0]))

static size_t n_values(const struct rekeyed_table *t)
{
	size_t n = 0;
	while (n < 3 && t->values[n].place)
		n++;
	return n;
}

static size_t n_indexes(const struct rekeyed_table *t)
{
	size_t n = 0;
	while (n < 4 && t->indexes[n].field)
		n++;
	return n;
}

/* One row of a batch, read before any of it is written (a statement is not kept open
 * across writes: PostgreSQL's connection runs one at a time). */
struct batch_row {
	int64_t key, row;
	unsigned char *blob[3];
	size_t len[3];
	char index[4][2 * SM3_LEN + 1];
};

struct rotation {
	struct db *db;
	int scope_hits; /* person_scope_hits has rows to follow the registry's new indexes */
	const struct crypto_keys *old;
	struct crypto_keys *new; /* filled by begin or resume */
	struct keyring_rotation *out;
	char *err;
	size_t errlen;
};

static void rows_free(struct batch_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < 3; j++)
			free(rows[i].blob[j]);
	free(rows);
}

/* Reads up to limit rows of t after key `after` into *rows. 0 or VE_DB. */
static int read_batch(struct rotation *r, const struct rekeyed_table *t, int64_t after,
		      int64_t limit, struct batch_row **rows, size_t *n)
{
	size_t nv = n_values(t), ni = n_indexes(t);
	int step;
	*n = 0;
	*rows = calloc((size_t)limit, sizeof(**rows));
	if (!*rows)
		return VE_INTERNAL;
	struct db_stmt *st = db_q(r->db, t->select, "ii", after, limit);
	if (!st)
		return err_set(r->err, r->errlen, VE_DB, "读取 %s 失败：%s", t->name,
			       db_errmsg(r->db));
	while ((step = db_step(st)) == DB_ROW) {
		struct batch_row *b = &(*rows)[(*n)++];
		b->key = db_int(st, 0);
		b->row = db_int(st, 1);
		for (size_t j = 0; j < nv; j++) {
			size_t len;
			const void *p = db_blob(st, (int)(2 + j), &len);
			if (p && len) {
				b->blob[j] = malloc(len);
				if (!b->blob[j]) {
					db_done(st);
					return VE_INTERNAL;
				}
				memcpy(b->blob[j], p, len);
				b->len[j] = len;
			}
		}
		for (size_t j = 0; j < ni; j++) {
			const char *v = db_text(st, (int)(2 + nv + j));
			str_copy(b->index[j], v ? v : "", sizeof(b->index[j]));
		}
	}
	db_done(st);
	if (step != DB_DONE)
		return err_set(r->err, r->errlen, VE_DB, "读取 %s 失败：%s", t->name,
			       db_errmsg(r->db));
	return 0;
}

/* The new index of one row's field. */
static void new_index(const struct rekeyed_index *x, const char plain[][PLAIN_MAX], const char *old,
		      char out[2 * SM3_LEN + 1])
{
	unsigned char key[SM3_LEN];
	char part[8];
	const char *v = x->part == CHAINED ? old : plain[x->source];
	size_t n = strlen(v);
	if (x->part == LAST4 || x->part == FIRST6) {
		snprintf(part, sizeof(part), "%.*s", x->part == LAST4 ? 4 : 6,
			 x->part == LAST4 && n >= 4 ? v + n - 4 : v);
		v = part;
	}
	sealed_index_key(x->field, key);
	sealed_index(key, v, out);
	mem_wipe(key, sizeof(key));
	mem_wipe(part, sizeof(part));
}

/* Stores one row's new values and indexes with t's update (the shapes of rekeyed[]). */
static int store_row(struct db *db, const struct rekeyed_table *t, unsigned char *const v[3],
		     const size_t n[3], char x[4][2 * SM3_LEN + 1], int64_t key)
{
	const void *b0 = v[0], *b1 = v[1], *b2 = v[2];
	switch (n_values(t) * 10 + n_indexes(t)) {
	case 34:
		return db_run(db, t->update, "bbbssssi", b0, n[0], b1, n[1], b2, n[2], x[0], x[1],
			      x[2], x[3], key);
	case 31:
		return db_run(db, t->update, "bbbsi", b0, n[0], b1, n[1], b2, n[2], x[0], key);
	case 21:
		return db_run(db, t->update, "bbsi", b0, n[0], b1, n[1], x[0], key);
	case 11:
		return db_run(db, t->update, "bsi", b0, n[0], x[0], key);
	case 10:
		return db_run(db, t->update, "bi", b0, n[0], key);
	case 1:
		return db_run(db, t->update, "si", x[0], key);
	}
	return VE_INTERNAL;
}

/* Re-seals and re-indexes one row (the kept keys are already the new ones). */
static int rekey_row(struct rotation *r, const struct rekeyed_table *t, const struct batch_row *b)
{
	size_t nv = n_values(t), ni = n_indexes(t);
	char plain[3][PLAIN_MAX] = {{0}}, fresh[4][2 * SM3_LEN + 1] = {{0}};
	unsigned char *sealed[3] = {NULL, NULL, NULL};
	size_t len[3] = {0, 0, 0};
	int rc = 0;
	for (size_t j = 0; j < nv; j++) {
		if (!b->blob[j])
			continue;
		if (sealed_open_with(r->old, t->values[j].place, b->row, b->blob[j], b->len[j],
				     plain[j], PLAIN_MAX) != 0) {
			rc = err_set(r->err, r->errlen, VE_CRYPTO,
				     "%s 第 %" PRId64
				     " 行的 %s 无法用旧密钥解开：数据库与密钥文件不符，"
				     "已停止（已完成的批次保留，可查明原因后再次运行）",
				     t->name, b->key, t->values[j].place);
			goto out;
		}
		sealed_seal(t->values[j].place, b->row, plain[j], &sealed[j], &len[j]);
		r->out->values++;
	}
	for (size_t j = 0; j < ni; j++)
		if (b->index[j][0]) {
			new_index(&t->indexes[j], (const char(*)[PLAIN_MAX])plain, b->index[j],
				  fresh[j]);
			r->out->indexes++;
		}
	rc = store_row(r->db, t, sealed, len, fresh, b->key);
	/* The registry's searches beyond one's own street, counted per ID number. */
	if (!rc && t == &rekeyed[0] && r->scope_hits && b->index[0][0])
		rc = db_run(r->db, "UPDATE person_scope_hits SET id_bidx = ? WHERE id_bidx = ?",
			    "ss", fresh[0], b->index[0]);
out:
	for (size_t j = 0; j < 3; j++)
		free(sealed[j]);
	mem_wipe(plain, sizeof(plain));
	return rc;
}

/* One batch of table `step` after `after`, with the cursor moved, in one transaction:
 * *count rows, the last *next; *done is set when the table has no more rows. */
static int rekey_batch(struct rotation *r, int64_t step, int64_t after, int64_t limit,
		       int64_t *next, size_t *count, int *done)
{
	const struct rekeyed_table *t = &rekeyed[step];
	struct batch_row *rows = NULL;
	size_t n = 0;
	if (db_tx_begin(r->db, 0) != 0)
		return err_set(r->err, r->errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = read_batch(r, t, after, limit, &rows, &n);
	for (size_t i = 0; i < n && !rc; i++)
		rc = rekey_row(r, t, &rows[i]);
	*done = n < (size_t)limit;
	*count = n;
	*next = n ? rows[n - 1].key : after;
	if (!rc)
		rc = *done ? set_int(r->db, STEP, step + 1) : 0;
	if (!rc)
		rc = set_int(r->db, AFTER, *done ? 0 : *next);
	rows_free(rows, n);
	if (db_tx_end(r->db, 0, rc) != 0 && !r->err[0])
		err_set(r->err, r->errlen, VE_DB, "写入 %s 失败：%s", t->name, db_errmsg(r->db));
	return rc ? rc : (r->err[0] ? VE_DB : 0);
}

/* ---- starting and finishing ---- */

static const struct audit_actor rotator = {0, "system", "cli", ""};

/* Re-seals the audit keys of earlier generations under the new keys (the kept keys are
 * the new ones). 0 or an error. */
static int reseal_history(struct rotation *r)
{
	int64_t gens[256];
	unsigned char *blobs[256] = {0};
	size_t lens[256], n = 0;
	int rc = 0, step;
	struct db_stmt *st = db_q(
		r->db, "SELECT generation, audit_key_enc FROM key_history ORDER BY generation", "");
	if (!st)
		return VE_DB;
	while ((step = db_step(st)) == DB_ROW && n < 256) {
		size_t len;
		const void *p = db_blob(st, 1, &len);
		gens[n] = db_int(st, 0);
		blobs[n] = malloc(len ? len : 1);
		if (!blobs[n])
			break;
		memcpy(blobs[n], p, len);
		lens[n++] = len;
	}
	db_done(st);
	if (step != DB_DONE)
		rc = err_set(r->err, r->errlen, VE_DB, "读取密钥历史失败");
	for (size_t i = 0; i < n && !rc; i++) {
		char hex[2 * SM3_LEN + 1];
		unsigned char *sealed;
		size_t len;
		if (sealed_open_with(r->old, HISTORY_COLUMN, gens[i], blobs[i], lens[i], hex,
				     sizeof(hex)) != 0) {
			rc = err_set(r->err, r->errlen, VE_CRYPTO,
				     "第 %" PRId64 " 代审计密钥无法用旧密钥解开", gens[i]);
			break;
		}
		sealed_seal(HISTORY_COLUMN, gens[i], hex, &sealed, &len);
		mem_wipe(hex, sizeof(hex));
		rc = db_run(r->db, "UPDATE key_history SET audit_key_enc = ? WHERE generation = ?",
			    "bi", (const void *)sealed, len, gens[i]);
		free(sealed);
	}
	for (size_t i = 0; i < n; i++)
		free(blobs[i]);
	return rc;
}

/* Failed logins of names that are no account, counted under a key from the audit key:
 * chained to the new key (the counts of a name typed before the rotation start again). */
static int rekey_login_names(struct rotation *r)
{
	struct name {
		char key[2 * SM3_LEN + 1];
	} *names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, step;
	struct db_stmt *st = db_q(r->db, "SELECT name_key FROM login_names ORDER BY name_key", "");
	if (!st)
		return VE_DB;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct name *more =
				realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
			if (!more) {
				rc = VE_INTERNAL;
				break;
			}
			names = more;
		}
		str_copy(names[n++].key, db_text(st, 0), sizeof(names->key));
	}
	db_done(st);
	if (!rc && step != DB_DONE)
		rc = VE_DB;
	for (size_t i = 0; i < n && !rc; i++) {
		char fresh[2 * SM3_LEN + 1];
		audit_name_key(names[i].key, fresh);
		rc = db_run(r->db, "UPDATE login_names SET name_key = ? WHERE name_key = ?", "ss",
			    fresh, names[i].key);
	}
	free(names);
	return rc;
}

/* Sets the kept keys of every module (sealed values, indexes, the audit chain). */
static void keep_keys(const struct crypto_keys *k)
{
	person_init(k);
	audit_init(k);
}

/* The first transaction: records the start (audited under the old audit key), keeps the
 * old audit key in key_history sealed under the new keys, moves the chain to the new audit
 * key and sets the cursor. On a failure nothing of it stays and the old keys are kept. */
static int start(struct rotation *r, int64_t generation, const char *old_fp, const char *new_fp)
{
	char detail[200], hex[2 * SM3_LEN + 1];
	unsigned char *sealed = NULL;
	size_t len = 0;
	int64_t last_seq = 0;
	if (db_tx_begin(r->db, 0) != 0)
		return err_set(r->err, r->errlen, VE_DB, "数据库忙，请稍后再试");
	snprintf(detail, sizeof(detail),
		 "开始轮换密钥：第 %" PRId64 " 代（指纹 %s）→ 第 %" PRId64 " 代（指纹 %s）",
		 generation, old_fp, generation + 1, new_fp);
	int rc = audit_write(r->db, &rotator, "key.rotate", "key", "started", detail);
	if (!rc)
		rc = db_int_query(r->db, &last_seq, 0,
				  "SELECT coalesce(max(seq), 0) FROM audit_log", "");
	keep_keys(r->new);
	audit_init(r->old); /* the chain moves below, once the old key is kept */
	if (!rc)
		rc = reseal_history(r);
	crypto_hex(r->old->audit_key, SM3_LEN, hex);
	sealed_seal(HISTORY_COLUMN, generation, hex, &sealed, &len);
	mem_wipe(hex, sizeof(hex));
	if (!rc)
		rc = db_run(r->db,
			    "INSERT INTO key_history (generation, fingerprint, audit_key_enc, "
			    "last_seq, retired_at) VALUES (?, ?, ?, ?, ?)",
			    "isbii", generation, old_fp, (const void *)sealed, len, last_seq,
			    clock_now());
	free(sealed);
	if (!rc)
		rc = audit_switch_key(r->db, r->new);
	if (!rc)
		rc = rekey_login_names(r);
	if (!rc)
		rc = set_int(r->db, ROTATING, generation + 1);
	if (!rc)
		rc = settings_set(r->db, NEXT_FINGERPRINT, new_fp, 0, 1);
	if (!rc)
		rc = set_int(r->db, STEP, 0);
	if (!rc)
		rc = set_int(r->db, AFTER, 0);
	if (db_tx_end(r->db, 0, rc) != 0) {
		keep_keys(r->old);
		return r->err[0] ? rc
				 : err_set(r->err, r->errlen, rc ? rc : VE_DB, "开始轮换失败：%s",
					   db_errmsg(r->db));
	}
	return 0;
}

/* The last transaction: the database names the new key file; audited under it. */
static int finish(struct rotation *r, int64_t generation, const char *new_fp)
{
	char detail[200];
	if (db_tx_begin(r->db, 0) != 0)
		return err_set(r->err, r->errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = set_int(r->db, GENERATION, generation);
	if (!rc)
		rc = settings_set(r->db, FINGERPRINT, new_fp, 0, 1);
	if (!rc)
		rc = settings_set(r->db, ROTATING, "", 0, 1);
	if (!rc)
		rc = settings_set(r->db, NEXT_FINGERPRINT, "", 0, 1);
	snprintf(detail, sizeof(detail),
		 "密钥轮换完成：现为第 %" PRId64 " 代（指纹 %s）；本次重新加密 %" PRId64
		 " 个值、重算 %" PRId64 " 个索引",
		 generation, new_fp, r->out->values, r->out->indexes);
	if (!rc)
		rc = audit_write(r->db, &rotator, "key.rotate", "key", "ok", detail);
	if (db_tx_end(r->db, 0, rc) != 0)
		return err_set(r->err, r->errlen, VE_DB, "结束轮换失败：%s", db_errmsg(r->db));
	return 0;
}

/* ---- the files ---- */

/* The bytes of a key file (at most 4 KiB) into buf: their count, or -1. */
static ssize_t read_key_file(const char *path, char buf[4097])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, 4096);
	close(fd);
	return n;
}

/* 1 when the files at a and b hold the same bytes. */
static int same_file_bytes(const char *a, const char *b)
{
	char x[4097], y[4097];
	ssize_t n = read_key_file(a, x), m = read_key_file(b, y);
	return n >= 0 && n == m && memcmp(x, y, (size_t)n) == 0;
}

/* Gives path the owner of like when run as root (a rotation run as root must leave a key
 * file the service's account can read). 0, or -1. */
static int same_owner(const char *path, const char *like)
{
	struct stat st;
	if (geteuid() != 0)
		return 0;
	return stat(like, &st) == 0 && chown(path, st.st_uid, st.st_gid) == 0 ? 0 : -1;
}

/* A copy of the key file path kept as retired, never replacing another file: written to
 * retired.tmp, synced, then renamed only where nothing is. An existing retired that holds
 * the same bytes is this copy from a run that was killed. 0, VE_EXISTS (another file is
 * there) or VE_IO. */
static int keep_copy(const char *path, const char *retired)
{
	char bytes[4097], tmp[1200];
	if (access(retired, F_OK) == 0)
		return same_file_bytes(path, retired) ? 0 : VE_EXISTS;
	ssize_t n = read_key_file(path, bytes);
	snprintf(tmp, sizeof(tmp), "%s.tmp", retired);
	int fd = n < 0 ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return VE_IO;
	int ok = write(fd, bytes, (size_t)n) == n && fsync(fd) == 0;
	ok = close(fd) == 0 && ok && same_owner(tmp, path) == 0;
	if (ok && renameat2(AT_FDCWD, tmp, AT_FDCWD, retired, RENAME_NOREPLACE) != 0)
		ok = errno == EINVAL && access(retired, F_OK) != 0 && rename(tmp, retired) == 0;
	if (!ok) {
		unlink(tmp);
		return access(retired, F_OK) == 0 ? VE_EXISTS : VE_IO;
	}
	return file_sync_parent(retired) == 0 ? 0 : VE_IO;
}

/* The refusal of a retired path another file holds. */
static int retired_taken(struct rotation *r, const char *retired)
{
	return err_set(r->err, r->errlen, VE_EXISTS,
		       "%s 已存在，且不是当前的密钥文件：请先把它移走（它可能是恢复旧备份所需的密钥"
		       "文件），再运行 vets key rotate",
		       retired);
}

/* Keeps the old key file as path.N and puts the new one (path.new) at path. Each step can
 * be repeated: a kill between them is finished by the next run. */
static int swap_files(struct rotation *r, const char *path, const char *new_path,
		      int64_t old_generation)
{
	snprintf(r->out->retired, sizeof(r->out->retired), "%s.%" PRId64, path, old_generation);
	int rc = keep_copy(path, r->out->retired);
	if (rc == VE_EXISTS)
		return retired_taken(r, r->out->retired);
	if (rc)
		return err_set(r->err, r->errlen, VE_IO, "无法保留旧密钥文件为 %s：%s",
			       r->out->retired, strerror(errno));
	if (rename(new_path, path) != 0 || file_sync_parent(path) != 0)
		return err_set(r->err, r->errlen, VE_IO, "无法换上新密钥文件 %s：%s", path,
			       strerror(errno));
	return 0;
}

int keyring_hold(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* loading it says why */
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		close(fd);
		return err_set(err, errlen, VE_CONFLICT,
			       "密钥文件 %s 正在轮换中（vets key rotate）：请等它完成后再试", path);
	}
	return 0; /* kept open, and so locked, until the process exits */
}

/* ---- the rotation ---- */

/* Loads a key file, "" err when it does not exist (*exists 0). */
static int load_keys(const char *path, struct crypto_keys *k, int *exists, char *err, size_t errlen)
{
	*exists = access(path, F_OK) == 0;
	if (!*exists)
		return 0;
	return crypto_keyfile_load(path, k, err, errlen);
}

/* The batches, from the cursor on, to the end of the last table. */
static int rekey_all(struct rotation *r, int64_t batch,
		     void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx)
{
	int64_t step = 0, after = 0;
	int64_t hits = 0;
	if (setting_int(r->db, STEP, &step) != 0 || setting_int(r->db, AFTER, &after) != 0 ||
	    db_int_query(r->db, &hits, 0,
			 "SELECT count(*) FROM (SELECT 1 FROM person_scope_hits LIMIT 1) AS one",
			 "") != 0)
		return err_set(r->err, r->errlen, VE_DB, "读取轮换进度失败");
	r->scope_hits = hits > 0;
	int64_t rows = 0;
	while (step < (int64_t)N_REKEYED) {
		int done = 0;
		int64_t next = after;
		size_t count = 0;
		int rc = rekey_batch(r, step, after, batch, &next, &count, &done);
		if (rc)
			return rc;
		rows += (int64_t)count;
		if (progress)
			progress(ctx, rekeyed[step].name, rows);
		after = done ? 0 : next;
		if (done) {
			step++;
			rows = 0;
		}
	}
	return 0;
}

/* Opens every sealed value under the old keys, writing nothing: a value that does not
 * open stops the rotation before it starts (half-way it could neither finish nor go back). */
static int check_all(struct rotation *r)
{
	for (size_t step = 0; step < N_REKEYED; step++) {
		const struct rekeyed_table *t = &rekeyed[step];
		int64_t after = 0;
		size_t n = 0, nv = n_values(t);
		do {
			struct batch_row *rows = NULL;
			int rc = read_batch(r, t, after, 1000, &rows, &n);
			for (size_t i = 0; i < n && !rc; i++)
				for (size_t j = 0; j < nv && !rc; j++) {
					char plain[PLAIN_MAX];
					if (rows[i].blob[j] &&
					    sealed_open_with(r->old, t->values[j].place,
							     rows[i].row, rows[i].blob[j],
							     rows[i].len[j], plain,
							     sizeof(plain)) != 0)
						rc = err_set(
							r->err, r->errlen, VE_CRYPTO,
							"%s 第 %" PRId64
							" 行的 %s 无法用当前密钥解开："
							"轮换没有开始，数据库未改动；请先重新录入该值再轮换",
							t->name, rows[i].key, t->values[j].place);
					mem_wipe(plain, sizeof(plain));
				}
			after = n ? rows[n - 1].key : after;
			rows_free(rows, n);
			if (rc)
				return rc;
		} while (n == 1000);
	}
	return 0;
}

/* A fresh rotation: the old keys must be this database's and open every value, path.N
 * must be free; then path.new is made (again: a file the database never named sealed
 * nothing, even when a kill cut it short) and the start committed. */
static int begin(struct rotation *r, const char *path, const char *new_path, int64_t *generation,
		 char new_fp[KEYRING_FINGERPRINT_HEX + 1])
{
	char recorded[KEYRING_FINGERPRINT_HEX + 1], old_fp[KEYRING_FINGERPRINT_HEX + 1],
		retired[1200];
	int rc = keyring_check(r->db, r->old, r->err, r->errlen);
	if (rc)
		return rc;
	if (keyring_recorded(r->db, generation, recorded) != 0)
		return err_set(r->err, r->errlen, VE_DB, "读取密钥信息失败");
	snprintf(retired, sizeof(retired), "%s.%" PRId64, path, *generation);
	if (access(retired, F_OK) == 0 && !same_file_bytes(path, retired))
		return retired_taken(r, retired);
	keep_keys(r->old);
	if ((rc = check_all(r)) != 0)
		return rc;
	if (unlink(new_path) != 0 && errno != ENOENT)
		return err_set(r->err, r->errlen, VE_IO, "无法删除未用过的新密钥文件 %s：%s",
			       new_path, strerror(errno));
	if ((rc = crypto_keyfile_create(new_path, r->err, r->errlen)) != 0 ||
	    (rc = crypto_keyfile_load(new_path, r->new, r->err, r->errlen)) != 0)
		return rc;
	if (same_owner(new_path, path) != 0 || file_sync_parent(new_path) != 0)
		return err_set(r->err, r->errlen, VE_IO, "无法写入 %s：%s", new_path,
			       strerror(errno));
	keyring_fingerprint(r->old, old_fp);
	keyring_fingerprint(r->new, new_fp);
	return start(r, *generation, old_fp, new_fp);
}

/* A rotation the database records: the files must be the two it names. */
static int resume(struct rotation *r, const char *path, const char *new_path, const char *recorded,
		  char new_fp[KEYRING_FINGERPRINT_HEX + 1])
{
	char old_fp[KEYRING_FINGERPRINT_HEX + 1], next_fp[KEYRING_FINGERPRINT_HEX + 1];
	int have_new = 0;
	int rc = load_keys(new_path, r->new, &have_new, r->err, r->errlen);
	if (rc)
		return rc;
	if (!have_new)
		return err_set(r->err, r->errlen, VE_IO,
			       "密钥轮换已开始，但新密钥文件 %s 不见了：没有它无法完成轮换，请把它"
			       "找回原处后再运行",
			       new_path);
	if (settings_get(r->db, NEXT_FINGERPRINT, next_fp, sizeof(next_fp)) != 0)
		next_fp[0] = '\0';
	keyring_fingerprint(r->old, old_fp);
	keyring_fingerprint(r->new, new_fp);
	if (strcmp(new_fp, next_fp) != 0 || strcmp(old_fp, recorded) != 0)
		return err_set(r->err, r->errlen, VE_CRYPTO,
			       "密钥文件与正在进行的轮换不符（%s 应为指纹 %s，%s 应为指纹 %s）",
			       path, recorded, new_path, next_fp);
	keep_keys(r->new);
	r->out->resumed = 1;
	return 0;
}

/* 1 when path.new holds the key the database already names: a run killed after the
 * database was finished, before the files were swapped. */
static int finished_unswapped(const char *new_path, const char *recorded, struct crypto_keys *new)
{
	char fp[KEYRING_FINGERPRINT_HEX + 1], ignored[256];
	int have = 0;
	if (load_keys(new_path, new, &have, ignored, sizeof(ignored)) != 0 || !have)
		return 0;
	keyring_fingerprint(new, fp);
	return strcmp(fp, recorded) == 0;
}

int keyring_rotate(struct db *db, const char *path, int64_t batch,
		   void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx,
		   struct keyring_rotation *out, char *err, size_t errlen)
{
	struct crypto_keys old, new;
	char new_path[1100], new_fp[KEYRING_FINGERPRINT_HEX + 1],
		recorded[KEYRING_FINGERPRINT_HEX + 1];
	int64_t generation = 0, rotating = 0;
	int have_old = 0, rc;
	struct rotation r = {
		.db = db, .old = &old, .new = &new, .out = out, .err = err, .errlen = errlen};
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	snprintf(new_path, sizeof(new_path), "%s.new", path);

	int lock = open(path, O_RDONLY | O_CLOEXEC);
	if (lock < 0)
		return err_set(err, errlen, VE_IO, "无法打开密钥文件 %s：%s", path,
			       strerror(errno));
	if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
		close(lock);
		return err_set(
			err, errlen, VE_CONFLICT,
			"有 vets 进程（如 vets serve）正在使用密钥文件 %s：请先停止它，再轮换密钥",
			path);
	}
	if ((rc = load_keys(path, &old, &have_old, err, errlen)) != 0)
		goto out;
	if (keyring_recorded(db, &generation, recorded) != 0 ||
	    setting_int(db, ROTATING, &rotating) != 0) {
		rc = err_set(err, errlen, VE_DB, "读取密钥信息失败：%s", db_errmsg(db));
		goto out;
	}
	if (!rotating && finished_unswapped(new_path, recorded, &new)) {
		out->resumed = 1;
		out->generation = generation;
		str_copy(out->fingerprint, recorded, sizeof(out->fingerprint));
		keep_keys(&new);
		rc = swap_files(&r, path, new_path, generation - 1);
		goto out;
	}
	rc = rotating ? resume(&r, path, new_path, recorded, new_fp)
		      : begin(&r, path, new_path, &generation, new_fp);
	if (rc)
		goto out;
	rotating = rotating ? rotating : generation + 1;
	out->generation = rotating;
	str_copy(out->fingerprint, new_fp, sizeof(out->fingerprint));
	if ((rc = rekey_all(&r, batch, progress, ctx)) != 0 ||
	    (rc = finish(&r, rotating, new_fp)) != 0)
		goto out;
	rc = swap_files(&r, path, new_path, rotating - 1);
out:
	mem_wipe(&old, sizeof(old));
	mem_wipe(&new, sizeof(new));
	close(lock);
	return rc;
}
