/* person_seal.c - the registry's blind-index keys (one per field) and the upgrade of a
 * store written before seals were bound (the sealing itself is sealed.c's). */
#include "areas/settings.h"
#include "person_seal.h"
#include "sealed.h"
#include "account.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One blind-index key per field: equal values of two fields get unrelated indexes, and
 * a search of one field cannot match the other. */
static unsigned char id_index_key[SM3_LEN], phone_index_key[SM3_LEN];
static unsigned char last4_index_key[SM3_LEN], first6_index_key[SM3_LEN];

void person_seal_init(const struct crypto_keys *k)
{
	sealed_init(k);
	sealed_index_key("persons.id_bidx", id_index_key);
	sealed_index_key("persons.phone_bidx", phone_index_key);
	sealed_index_key("persons.id_last4_bidx", last4_index_key);
	sealed_index_key("persons.id_first6_bidx", first6_index_key);
}

void person_index_id(const char *number, char out[2 * SM3_LEN + 1])
{
	sealed_index(id_index_key, number, out);
}

void person_index_phone(const char *phone, char out[2 * SM3_LEN + 1])
{
	sealed_index(phone_index_key, phone, out);
}

void person_index_last4(const char *last4, char out[2 * SM3_LEN + 1])
{
	sealed_index(last4_index_key, last4, out);
}

void person_index_first6(const char *first6, char out[2 * SM3_LEN + 1])
{
	sealed_index(first6_index_key, first6, out);
}

void person_index_id_parts(const char *number, char last4[2 * SM3_LEN + 1],
			   char first6[2 * SM3_LEN + 1])
{
	char part[7];
	size_t n = strlen(number);
	snprintf(part, sizeof(part), "%s", n >= 4 ? number + n - 4 : number);
	person_index_last4(part, last4);
	snprintf(part, sizeof(part), "%.6s", number);
	person_index_first6(part, first6);
	mem_wipe(part, sizeof(part));
}

/* A new person's id is known only once the row is inserted: person.c's write_person
 * inserts the row first and seals into it after (sealed_seal binds each value to its
 * column and the person's id). Disability data is bound to the person's id, not to its
 * identity row, which write_identities rewrites. */

/* ---- the store of an older vets ---- */

/* settings row that says the registry is in the current form: one blind-index key per
 * field, every sealed value bound to its place. */
#define SEAL_MARK "registry.seal"
#define SEAL_FORM "2"
/* settings row that says every person has the blind indexes of the parts of the ID
 * number (migration 0015). */
#define PARTS_MARK "registry.id_parts"
#define PARTS_FORM "1"
/* People re-sealed per read of the upgrade. */
#define UPGRADE_CHUNK 256

int person_seal_upgrade_pending(struct db *db)
{
	int is = 0;
	if (settings_is(db, SEAL_MARK, SEAL_FORM, &is) != 0)
		return -1;
	return !is;
}

/* A value of column of person_id, sealed in the current form or the older one, into out;
 * 0, or VE_CRYPTO when it opens under neither. */
static int open_either(struct db_stmt *st, int col, const char *column, int64_t person_id,
		       char *out, size_t size)
{
	size_t len;
	const void *blob = db_blob(st, col, &len);
	return sealed_open_either(column, person_id, blob, len, out, size);
}

/* The plain values of one person, as the upgrade reads them. */
struct plain_row {
	int64_t id, person_id;
	char number[32], phone[24], account[32], disability[32];
};

/* Writes person p's values back sealed in the current form, with per-field indexes. */
static int reseal_person(struct db *db, const struct plain_row *p)
{
	char id_bidx[2 * SM3_LEN + 1], phone_bidx[2 * SM3_LEN + 1];
	char last4[2 * SM3_LEN + 1], first6[2 * SM3_LEN + 1];
	unsigned char *id_enc, *phone_enc, *account_enc;
	size_t id_len, phone_len, account_len;
	person_index_id(p->number, id_bidx);
	person_index_phone(p->phone, phone_bidx);
	person_index_id_parts(p->number, last4, first6);
	sealed_seal(PERSON_SEALED_ID, p->id, p->number, &id_enc, &id_len);
	sealed_seal(PERSON_SEALED_PHONE, p->id, p->phone, &phone_enc, &phone_len);
	sealed_seal(PERSON_SEALED_ACCOUNT, p->id, p->account, &account_enc, &account_len);
	int rc = db_run(db,
			"UPDATE persons SET id_enc = ?, id_bidx = ?, id_last4_bidx = ?, "
			"id_first6_bidx = ?, phone_enc = ?, phone_bidx = nullif(?, ''), "
			"account_enc = ? WHERE id = ?",
			"bsssbsbi", (const void *)id_enc, id_len, id_bidx, last4, first6,
			(const void *)phone_enc, phone_len, p->phone[0] ? phone_bidx : "",
			(const void *)account_enc, account_len, p->id);
	free(id_enc);
	free(phone_enc);
	free(account_enc);
	return rc;
}

/* Reads up to UPGRADE_CHUNK people after id *after into rows (*n of them). */
static int read_people(struct db *db, int64_t *after, struct plain_row *rows, int *n, char *err,
		       size_t errlen)
{
	struct db_stmt *st = db_q(db,
				  "SELECT id, id_enc, phone_enc, account_enc FROM persons WHERE id "
				  "> ? ORDER BY id LIMIT ?",
				  "ii", *after, (int64_t)UPGRADE_CHUNK);
	int rc = st ? 0 : VE_DB;
	*n = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		struct plain_row *p = &rows[(*n)++];
		p->id = *after = db_int(st, 0);
		if (open_either(st, 1, PERSON_SEALED_ID, p->id, p->number, sizeof(p->number)) ||
		    !p->number[0] ||
		    open_either(st, 2, PERSON_SEALED_PHONE, p->id, p->phone, sizeof(p->phone)) ||
		    open_either(st, 3, PERSON_SEALED_ACCOUNT, p->id, p->account,
				sizeof(p->account)))
			rc = err_set(err, errlen, VE_CRYPTO,
				     "人员 %lld 的加密数据无法解密（密钥文件与数据库不符？）",
				     (long long)p->id);
	}
	db_done(st);
	return rc;
}

/* Reads up to UPGRADE_CHUNK sealed disability records after identity row *after. */
static int read_disabilities(struct db *db, int64_t *after, struct plain_row *rows, int *n,
			     char *err, size_t errlen)
{
	struct db_stmt *st = db_q(db,
				  "SELECT id, person_id, disability_enc FROM person_identities "
				  "WHERE id > ? AND disability_enc IS NOT NULL ORDER BY id LIMIT ?",
				  "ii", *after, (int64_t)UPGRADE_CHUNK);
	int rc = st ? 0 : VE_DB;
	*n = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		struct plain_row *p = &rows[(*n)++];
		p->id = *after = db_int(st, 0);
		p->person_id = db_int(st, 1);
		if (open_either(st, 2, PERSON_SEALED_DISABILITY, p->person_id, p->disability,
				sizeof(p->disability)))
			rc = err_set(err, errlen, VE_CRYPTO,
				     "人员 %lld 的残疾信息无法解密（密钥文件与数据库不符？）",
				     (long long)p->person_id);
	}
	db_done(st);
	return rc;
}

static int reseal_disability(struct db *db, const struct plain_row *p)
{
	unsigned char *enc;
	size_t len;
	sealed_seal(PERSON_SEALED_DISABILITY, p->person_id, p->disability, &enc, &len);
	int rc = db_run(db, "UPDATE person_identities SET disability_enc = ? WHERE id = ?", "bi",
			(const void *)enc, len, p->id);
	free(enc);
	return rc;
}

/* Reads up to UPGRADE_CHUNK rows after *after into rows (*n of them): read_people or
 * read_disabilities. */
typedef int chunk_reader(struct db *db, int64_t *after, struct plain_row *rows, int *n, char *err,
			 size_t errlen);
/* Writes one row back: reseal_person, reseal_disability or index_parts. */
typedef int row_writer(struct db *db, const struct plain_row *p);

/* Every row read chunk by chunk and written back, the plain values wiped after each
 * chunk; *n_rows grows by the rows written. */
static int rewrite_all(struct db *db, chunk_reader *read_chunk, row_writer *write_row,
		       struct plain_row *rows, long *n_rows, char *err, size_t errlen)
{
	int64_t after = 0;
	int n = 0, rc;
	do {
		rc = read_chunk(db, &after, rows, &n, err, errlen);
		for (int i = 0; rc == 0 && i < n; i++)
			rc = write_row(db, &rows[i]);
		*n_rows += rc == 0 ? n : 0;
		mem_wipe(rows, UPGRADE_CHUNK * sizeof(*rows));
	} while (rc == 0 && n == UPGRADE_CHUNK);
	return rc;
}

/* Every person, then every disability record, re-sealed; *n_rows people. */
static int reseal_all(struct db *db, struct plain_row *rows, long *n_rows, char *err, size_t errlen)
{
	long disabilities = 0;
	int rc = rewrite_all(db, read_people, reseal_person, rows, n_rows, err, errlen);
	return rc ? rc
		  : rewrite_all(db, read_disabilities, reseal_disability, rows, &disabilities, err,
				errlen);
}

/* One upgrade of an older store, done once in one transaction. */
struct store_upgrade {
	int (*pending)(struct db *db); /* 1 while to be done, 0 done, -1 a database error */
	/* the work: every row rewritten, *n_rows people */
	int (*rewrite)(struct db *db, struct plain_row *rows, long *n_rows, char *err,
		       size_t errlen);
	int (*mark_done)(struct db *db); /* the settings rows that say it is done */
	const char *done;                /* what the audit says was done to each person */
};

/* Runs upgrade u unless another process has done it meanwhile; *n_rows people. 0, VE_CRYPTO
 * when a value opens under neither form, or VE_DB with nothing changed. */
static int run_upgrade(struct db *db, const struct store_upgrade *u, long *n_rows, char *err,
		       size_t errlen)
{
	struct plain_row *rows = xcalloc(UPGRADE_CHUNK, sizeof(*rows));
	struct principal cli;
	char detail[160];
	*n_rows = 0;
	if (db_tx_begin(db, 0) != 0) {
		free(rows);
		return err_set(err, errlen, VE_DB, "无法开始升级人员数据");
	}
	int pending = u->pending(db);
	int rc = pending < 0 ? VE_DB : pending ? u->rewrite(db, rows, n_rows, err, errlen) : 0;
	if (rc == 0 && pending)
		rc = u->mark_done(db);
	if (rc == 0 && *n_rows) {
		account_cli_principal(&cli);
		snprintf(detail, sizeof(detail), "人员数据升级：%ld 人的%s", *n_rows, u->done);
		rc = account_audit(db, &cli, "person.seal_upgrade", "person", 0, detail);
	}
	free(rows);
	rc = db_tx_end(db, 0, rc);
	if (rc == 0)
		return 0;
	*n_rows = 0;
	if (rc == VE_CRYPTO)
		return rc;
	return err_set(err, errlen, VE_DB, "升级人员数据失败，未做任何修改");
}

/* The store is in the current form, and its people have the parts of their ID indexed. */
static int mark_sealed(struct db *db)
{
	int rc = settings_set(db, SEAL_MARK, SEAL_FORM, 0, 1);
	/* the parts were indexed with the rest */
	return rc ? rc : settings_set(db, PARTS_MARK, PARTS_FORM, 0, 1);
}

int person_seal_upgrade(struct db *db, long *n_rows, char *err, size_t errlen)
{
	static const struct store_upgrade seal = {person_seal_upgrade_pending, reseal_all,
						  mark_sealed,
						  "盲索引按字段重建、加密数据绑定到所在行列"};
	return run_upgrade(db, &seal, n_rows, err, errlen);
}

/* ---- the parts of the ID number, for a store written before they were indexed ---- */

int person_id_parts_pending(struct db *db)
{
	int is = 0;
	if (settings_is(db, PARTS_MARK, PARTS_FORM, &is) != 0)
		return -1;
	return !is;
}

static int index_parts(struct db *db, const struct plain_row *p)
{
	char last4[2 * SM3_LEN + 1], first6[2 * SM3_LEN + 1];
	person_index_id_parts(p->number, last4, first6);
	return db_run(db, "UPDATE persons SET id_last4_bidx = ?, id_first6_bidx = ? WHERE id = ?",
		      "ssi", last4, first6, p->id);
}

/* Every person's parts indexed; *n_rows people. */
static int index_all_parts(struct db *db, struct plain_row *rows, long *n_rows, char *err,
			   size_t errlen)
{
	return rewrite_all(db, read_people, index_parts, rows, n_rows, err, errlen);
}

static int mark_parts_indexed(struct db *db)
{
	return settings_set(db, PARTS_MARK, PARTS_FORM, 0, 1);
}

int person_id_parts_upgrade(struct db *db, long *n_rows, char *err, size_t errlen)
{
	static const struct store_upgrade parts = {person_id_parts_pending, index_all_parts,
						   mark_parts_indexed,
						   "身份证号前六位、后四位建立盲索引"};
	return run_upgrade(db, &parts, n_rows, err, errlen);
}
