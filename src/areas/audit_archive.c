/* audit_archive.c - moving audit records older than the retention to a verifiable file. */
#include "audit_archive.h"
#include "areas/audit.h"
#include "areas/policy.h"
#include "areas/sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_HEX (2 * SM3_LEN)
#define LINE_MAX_BYTES (64 * 1024) /* far above a record audit_write makes */
#define FORMAT_VERSION 1

#define GENERATIONS_MAX 256

static const char zero_hash[HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The audit keys of the retired generations (key_history, as audit_verify reads them): a
 * record seq is under the first whose last_seq >= seq, else under the current key. */
struct keyset {
	size_t n;
	struct {
		int64_t last_seq;
		unsigned char key[SM3_LEN];
	} old[GENERATIONS_MAX];
};

/* The key of record seq; NULL for the current one. */
static const unsigned char *key_for(const struct keyset *ks, int64_t seq)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->old[i].last_seq >= seq)
			return ks->old[i].key;
	return NULL;
}

/* Reads db's key history, each key opened under keys; with db NULL, none (the current key
 * alone). 0, VE_CRYPTO or VE_DB with err. */
static int keyset_load(struct db *db, const struct crypto_keys *keys, struct keyset *ks, char *err,
		       size_t errlen)
{
	char hex[HASH_HEX + 1];
	int rc = 0, step;
	ks->n = 0;
	if (!db)
		return 0;
	struct db_stmt *st = db_q(db,
				  "SELECT generation, last_seq, audit_key_enc FROM key_history "
				  "ORDER BY last_seq, generation",
				  "");
	if (!st)
		return err_set(err, errlen, VE_DB, "读取密钥历史失败：%s", db_errmsg(db));
	while ((step = db_step(st)) == DB_ROW) {
		size_t len;
		const void *blob = db_blob(st, 2, &len);
		if (ks->n == GENERATIONS_MAX) {
			rc = err_set(err, errlen, VE_LIMIT, "密钥历史超过 %d 代", GENERATIONS_MAX);
			break;
		}
		if (sealed_open_with(keys, "key_history.audit_key_enc", db_int(st, 0), blob, len, hex,
				     sizeof(hex)) != 0 ||
		    crypto_unhex(hex, ks->old[ks->n].key, SM3_LEN) != 0) {
			rc = err_set(err, errlen, VE_CRYPTO,
				     "第 %lld 代的审计密钥无法用当前密钥文件解开（密钥文件与数据库不符？）",
				     (long long)db_int(st, 0));
			break;
		}
		ks->old[ks->n++].last_seq = db_int(st, 1);
	}
	if (rc == 0 && step != DB_DONE)
		rc = err_set(err, errlen, VE_DB, "读取密钥历史失败：%s", db_errmsg(db));
	mem_wipe(hex, sizeof(hex));
	db_done(st);
	return rc;
}

/* ---- the anchors ---- */

int audit_anchor_newest(struct db *db, struct audit_anchor *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	int64_t n = 0, sum = 0, first = 0, orphans = 0, newest = 0;
	if (db_int_query(db, &n, 0, "SELECT count(*) FROM audit_archives", "") != 0 ||
	    db_int_query(db, &sum, 0, "SELECT coalesce(sum(records), 0) FROM audit_archives", "") ||
	    db_int_query(db, &first, 0, "SELECT coalesce(min(first_seq), 0) FROM audit_archives",
			 "") ||
	    db_int_query(db, &newest, 0, "SELECT coalesce(max(last_seq), 0) FROM audit_archives",
			 "") ||
	    db_int_query(db, &orphans, 0,
			 "SELECT count(*) FROM audit_archives a WHERE a.first_seq > 1 AND NOT "
			 "EXISTS (SELECT 1 FROM audit_archives b WHERE b.last_seq = a.first_seq - 1)",
			 ""))
		return -err_set(err, errlen, VE_DB, "读取审计归档记录失败：%s", db_errmsg(db));
	if (n == 0)
		return 0;
	/* One after the other from record 1, no gap, no overlap. */
	if (first != 1 || orphans != 0 || sum != newest)
		return -err_set(err, errlen, VE_CRYPTO,
				"审计归档记录不连续（归档表被改动）：应自第 1 条起首尾相接");
	struct db_stmt *st = db_q(db,
				  "SELECT id, first_seq, last_seq, records, record_seq, at, last_hash, "
				  "file_sm3, file_name, actor FROM audit_archives "
				  "ORDER BY last_seq DESC LIMIT 1",
				  "");
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return -err_set(err, errlen, VE_DB, "读取审计归档记录失败：%s", db_errmsg(db));
	}
	a->id = db_int(st, 0);
	a->first_seq = db_int(st, 1);
	a->last_seq = db_int(st, 2);
	a->records = db_int(st, 3);
	a->record_seq = db_int(st, 4);
	a->at = db_int(st, 5);
	str_copy(a->last_hash, db_text(st, 6) ? db_text(st, 6) : "", sizeof(a->last_hash));
	str_copy(a->file_sm3, db_text(st, 7) ? db_text(st, 7) : "", sizeof(a->file_sm3));
	str_copy(a->file_name, db_text(st, 8) ? db_text(st, 8) : "", sizeof(a->file_name));
	str_copy(a->actor, db_text(st, 9) ? db_text(st, 9) : "", sizeof(a->actor));
	db_done(st);
	return 1;
}

void audit_anchor_detail(const struct audit_anchor *a, char *out, size_t size)
{
	snprintf(out, size,
		 "第 %" PRId64 "–%" PRId64 " 条审计记录（%" PRId64 " 条）归档至 %s，文件 SM3 %s，"
		 "第 %" PRId64 " 条的哈希 %s，归档 #%" PRId64,
		 a->first_seq, a->last_seq, a->records, a->file_name, a->file_sm3, a->last_seq,
		 a->last_hash, a->id);
}

int audit_anchor_check(struct db *db, const struct audit_anchor *a, int64_t last_walked,
		       int64_t *bad_seq, char *err, size_t errlen)
{
	char want[2200];
	if (a->record_seq <= a->last_seq || a->record_seq > last_walked) {
		*bad_seq = a->last_seq + 1;
		return err_set(err, errlen, VE_CRYPTO,
			       "归档 #%" PRId64 " 没有对应的审计记录（归档表被改动）", a->id);
	}
	audit_anchor_detail(a, want, sizeof(want));
	struct db_stmt *st = db_q(db, "SELECT action, detail, actor FROM audit_log WHERE seq = ?",
				  "i", a->record_seq);
	if (!st)
		return err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	int step = db_step(st), rc = 0;
	if (step != DB_ROW && step != DB_DONE)
		rc = err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	else if (step == DB_DONE || !db_text(st, 0) || strcmp(db_text(st, 0), "audit.archive") != 0 ||
		 !db_text(st, 1) || strcmp(db_text(st, 1), want) != 0 || !db_text(st, 2) ||
		 strcmp(db_text(st, 2), a->actor) != 0) {
		*bad_seq = a->record_seq;
		rc = err_set(err, errlen, VE_CRYPTO,
			     "归档 #%" PRId64 " 与第 %" PRId64 " 条审计记录所载不符（归档表被改动）",
			     a->id, a->record_seq);
	}
	db_done(st);
	return rc;
}

/* ---- the retention ---- */

/* Midnight (Asia/Shanghai) of the day months months before now's day: a record before it is
 * older than the retention. The 31st of a month without one is the month's last day. */
static int64_t cutoff_of(int64_t now, int months)
{
	char day[11], text[40];
	int64_t t = now;
	if (clock_date_text(now, day) != 0)
		return 0;
	int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
	int total = y * 12 + (m - 1) - months;
	y = total / 12;
	m = total % 12 + 1;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d < last ? d : last);
	if (clock_parse_date(text, &t) != 0)
		return 0;
	return t;
}

/* ---- the file ---- */

static void hex_copy(char out[HASH_HEX + 1], const char *in)
{
	str_copy(out, in ? in : "", HASH_HEX + 1);
}

/* Writes one JSON value and a newline. 0, or -1. */
static int put_line(FILE *f, json_t *j)
{
	int rc = j && json_dumpf(j, f, JSON_COMPACT) == 0 &&
			 fputc('\n', f) != EOF
		 ? 0
		 : -1;
	json_decref(j);
	return rc;
}

/* A text column as JSON: its exact bytes, or NULL when they are not UTF-8 (audit_write never
 * stores such a record; the chain was verified before). */
static json_t *text_json(struct db_stmt *st, int col)
{
	size_t n = 0;
	const char *p = db_blob(st, col, &n);
	return json_stringn(p ? p : "", p ? n : 0);
}

static struct sv col_sv(struct db_stmt *st, int col)
{
	size_t n = 0;
	const char *p = db_blob(st, col, &n);
	return (struct sv){p ? p : "", p ? n : 0};
}

/* Writes records first..last (the chain on from prev_hash) with the header and the trailer
 * to f. The records are checked again as they are written. 0, or an error. */
static int write_records(struct db *db, const struct keyset *ks, FILE *f, int64_t first,
			 int64_t last, const char *prev_hash, int64_t cutoff, int months,
			 struct audit_archive_info *out, char *err, size_t errlen)
{
	static const char *const names[] = {"actor",  "ip",     "action",      "object",
					    "detail", "result", "region_code", "prev_hash",
					    "hash"};
	char running[HASH_HEX + 1], computed[HASH_HEX + 1], mac[HASH_HEX + 1];
	int64_t expected = first, step_rc = DB_DONE;
	hex_copy(running, prev_hash);
	json_t *header = json_pack("{s:i,s:I,s:I,s:I,s:s,s:I,s:I,s:i}", "vets_audit_archive",
				   FORMAT_VERSION, "first_seq", (json_int_t)first, "last_seq",
				   (json_int_t)last, "records", (json_int_t)(last - first + 1),
				   "prev_hash", prev_hash, "created_at", (json_int_t)clock_now(),
				   "cutoff", (json_int_t)cutoff, "retention_months", months);
	if (put_line(f, header) != 0)
		return err_set(err, errlen, VE_IO, "写入归档文件失败：%s", strerror(errno));
	if (db_begin_read(db) != 0)
		return err_set(err, errlen, VE_DB, "无法开始读事务：%s", db_errmsg(db));
	struct db_stmt *st = db_q(db,
				  "SELECT seq, at, actor_id, actor, ip, action, object, detail, result, "
				  "region_code, prev_hash, hash FROM audit_log "
				  "WHERE seq BETWEEN ? AND ? ORDER BY seq",
				  "ii", first, last);
	int rc = st ? 0 : err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	while (rc == 0 && (step_rc = db_step(st)) == DB_ROW) {
		struct audit_record r = {
			.seq = db_int(st, 0),
			.at = db_int(st, 1),
			.actor_id = db_int(st, 2),
			.has_actor_id = !db_is_null(st, 2),
			.actor = col_sv(st, 3),
			.ip = col_sv(st, 4),
			.action = col_sv(st, 5),
			.object = col_sv(st, 6),
			.detail = col_sv(st, 7),
			.result = col_sv(st, 8),
			.region_code = col_sv(st, 9),
			.prev_hash = col_sv(st, 10),
		};
		struct sv stored = col_sv(st, 11);
		if (r.seq != expected || r.prev_hash.n != HASH_HEX ||
		    memcmp(r.prev_hash.p, running, HASH_HEX) != 0 ||
		    audit_record_hash(&r, key_for(ks, r.seq), computed) != 0 || stored.n != HASH_HEX ||
		    memcmp(stored.p, computed, HASH_HEX) != 0) {
			rc = err_set(err, errlen, VE_CRYPTO,
				     "第 %" PRId64 " 条审计记录校验未通过，未归档", expected);
			break;
		}
		json_t *line = json_object();
		json_object_set_new(line, "seq", json_integer(r.seq));
		json_object_set_new(line, "at", json_integer(r.at));
		json_object_set_new(line, "actor_id",
				    r.has_actor_id ? json_integer(r.actor_id) : json_null());
		int ok = 1;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			json_t *v = text_json(st, (int)i + 3);
			ok = ok && v;
			if (v)
				json_object_set_new(line, names[i], v);
		}
		if (!ok) {
			json_decref(line);
			rc = err_set(err, errlen, VE_INVALID,
				     "第 %" PRId64 " 条审计记录含有无效的 UTF-8 文本", r.seq);
			break;
		}
		if (put_line(f, line) != 0) {
			rc = err_set(err, errlen, VE_IO, "写入归档文件失败：%s", strerror(errno));
			break;
		}
		memcpy(running, computed, sizeof(running));
		expected++;
	}
	if (rc == 0 && step_rc != DB_DONE)
		rc = err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	if (rc == 0 && expected != last + 1)
		rc = err_set(err, errlen, VE_CRYPTO, "第 %" PRId64 " 条审计记录缺失，未归档",
			     expected);
	db_done(st);
	db_rollback(db);
	if (rc)
		return rc;
	audit_archive_mac(key_for(ks, last), first, prev_hash, last, running, last - first + 1, mac);
	json_t *trailer = json_pack("{s:b,s:I,s:s,s:I,s:s}", "end", 1, "last_seq", (json_int_t)last,
				    "last_hash", running, "records", (json_int_t)(last - first + 1),
				    "mac", mac);
	if (put_line(f, trailer) != 0)
		return err_set(err, errlen, VE_IO, "写入归档文件失败：%s", strerror(errno));
	out->first_seq = first;
	out->last_seq = last;
	out->records = last - first + 1;
	hex_copy(out->prev_hash, prev_hash);
	hex_copy(out->last_hash, running);
	return 0;
}

/* ---- reading a file back ---- */

static int get_int(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/* The text of key in o as a view (valid while o lives), or -1 when it is not a string. */
static int get_text(json_t *o, const char *key, struct sv *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return -1;
	*out = (struct sv){json_string_value(v), json_string_length(v)};
	return 0;
}

static int get_hash(json_t *o, const char *key, char out[HASH_HEX + 1])
{
	struct sv s;
	if (get_text(o, key, &s) != 0 || s.n != HASH_HEX)
		return -1;
	memcpy(out, s.p, HASH_HEX);
	out[HASH_HEX] = '\0';
	return 0;
}

/* Checks one record line against the chain so far; moves it on. 0 or VE_CRYPTO. */
static int check_line(json_t *o, const struct keyset *ks, int64_t expected,
		      char running[HASH_HEX + 1], int64_t lineno, char *err, size_t errlen)
{
	struct audit_record r = {0};
	json_t *actor_id = json_object_get(o, "actor_id");
	char computed[HASH_HEX + 1];
	struct sv stored;
	if (get_int(o, "seq", &r.seq) || get_int(o, "at", &r.at) || !actor_id ||
	    (!json_is_null(actor_id) && !json_is_integer(actor_id)) ||
	    get_text(o, "actor", &r.actor) || get_text(o, "ip", &r.ip) ||
	    get_text(o, "action", &r.action) || get_text(o, "object", &r.object) ||
	    get_text(o, "detail", &r.detail) || get_text(o, "result", &r.result) ||
	    get_text(o, "region_code", &r.region_code) || get_text(o, "prev_hash", &r.prev_hash) ||
	    get_text(o, "hash", &stored))
		return err_set(err, errlen, VE_CRYPTO, "归档文件第 %" PRId64 " 行不是完整的审计记录",
			       lineno);
	r.has_actor_id = json_is_integer(actor_id);
	r.actor_id = r.has_actor_id ? json_integer_value(actor_id) : 0;
	if (r.seq != expected)
		return err_set(err, errlen, VE_CRYPTO,
			       "归档文件第 %" PRId64 " 行应为第 %" PRId64 " 条记录，实为第 %" PRId64
			       " 条（记录被删除或插入）",
			       lineno, expected, r.seq);
	if (r.prev_hash.n != HASH_HEX || memcmp(r.prev_hash.p, running, HASH_HEX) != 0)
		return err_set(err, errlen, VE_CRYPTO,
			       "归档文件中第 %" PRId64 " 条记录的链接断开", r.seq);
	if (audit_record_hash(&r, key_for(ks, r.seq), computed) != 0 || stored.n != HASH_HEX ||
	    memcmp(stored.p, computed, HASH_HEX) != 0)
		return err_set(err, errlen, VE_CRYPTO,
			       "归档文件中第 %" PRId64
			       " 条记录内容被篡改（或密钥不对：密钥轮换前的记录须与数据库的密钥历史一起校验）",
			       r.seq);
	memcpy(running, computed, HASH_HEX + 1);
	return 0;
}

/* Verifies the archive read from f (path names it in messages) with the keys already read:
 * the whole of audit_archive_verify_file but the anchor. Leaves f open. */
static int verify_stream(FILE *f, const char *path, const struct keyset *ks,
			 struct audit_archive_info *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_MD *sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
	if (!md || !sm3 || EVP_DigestInit_ex(md, sm3, NULL) != 1) {
		EVP_MD_CTX_free(md);
		EVP_MD_free(sm3);
		return err_set(err, errlen, VE_INTERNAL, "SM3 不可用");
	}
	char *line = NULL, running[HASH_HEX + 1] = "", mac[HASH_HEX + 1], stored_mac[HASH_HEX + 1];
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0, expected = 0, version = 0;
	int rc = 0, ended = 0;
	json_t *o = NULL;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		EVP_DigestUpdate(md, line, (size_t)n);
		json_decref(o);
		o = NULL;
		if (n > LINE_MAX_BYTES || n == 0 || line[n - 1] != '\n' || ended) {
			rc = err_set(err, errlen, VE_CRYPTO,
				     ended ? "归档文件在结尾行之后还有内容（文件被改动）"
					   : "归档文件第 %" PRId64 " 行不完整或过长（文件被截断或改动）",
				     lineno);
			break;
		}
		json_error_t jerr;
		o = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
		if (!json_is_object(o)) {
			rc = err_set(err, errlen, VE_CRYPTO, "归档文件第 %" PRId64 " 行不是 JSON 对象",
				     lineno);
			break;
		}
		if (lineno == 1) {
			if (get_int(o, "vets_audit_archive", &version) || version != FORMAT_VERSION ||
			    get_int(o, "first_seq", &out->first_seq) ||
			    get_int(o, "last_seq", &out->last_seq) ||
			    get_int(o, "records", &out->records) ||
			    get_hash(o, "prev_hash", out->prev_hash) || out->first_seq < 1 ||
			    out->last_seq < out->first_seq || out->last_seq == INT64_MAX ||
			    out->records != out->last_seq - out->first_seq + 1) {
				rc = err_set(err, errlen, VE_CRYPTO,
					     "%s 不是 vets 的审计归档文件（首行不符）", path);
				break;
			}
			int64_t v = 0;
			if (get_int(o, "created_at", &out->created_at) == 0 &&
			    get_int(o, "cutoff", &out->cutoff) == 0 &&
			    get_int(o, "retention_months", &v) == 0)
				out->retention_months = (int)v;
			memcpy(running, out->prev_hash, sizeof(running));
			expected = out->first_seq;
			continue;
		}
		if (json_is_true(json_object_get(o, "end"))) {
			int64_t last = 0, records = 0;
			if (get_int(o, "last_seq", &last) || get_int(o, "records", &records) ||
			    get_hash(o, "last_hash", out->last_hash) ||
			    get_hash(o, "mac", stored_mac)) {
				rc = err_set(err, errlen, VE_CRYPTO, "归档文件的结尾行不完整");
				break;
			}
			if (last != out->last_seq || records != out->records ||
			    expected != out->last_seq + 1) {
				rc = err_set(err, errlen, VE_CRYPTO,
					     "归档文件应有第 %" PRId64 "–%" PRId64
					     " 条记录，实有 %" PRId64 " 条（记录被删除）",
					     out->first_seq, out->last_seq, expected - out->first_seq);
				break;
			}
			if (strcmp(out->last_hash, running) != 0) {
				rc = err_set(err, errlen, VE_CRYPTO,
					     "归档文件结尾所载末条哈希与记录不符（文件被改动）");
				break;
			}
			audit_archive_mac(key_for(ks, out->last_seq), out->first_seq, out->prev_hash,
					  out->last_seq, running, out->records, mac);
			if (!crypto_equal(mac, stored_mac, HASH_HEX)) {
				rc = err_set(err, errlen, VE_CRYPTO,
					     "归档文件的首尾校验码不符（文件被改动，或密钥文件不对）");
				break;
			}
			ended = 1;
			continue;
		}
		if (expected > out->last_seq) {
			rc = err_set(err, errlen, VE_CRYPTO,
				     "归档文件中的记录多于首行所载（第 %" PRId64 " 行）", lineno);
			break;
		}
		if ((rc = check_line(o, ks, expected, running, lineno, err, errlen)) != 0)
			break;
		expected++;
	}
	json_decref(o);
	if (rc == 0 && ferror(f))
		rc = err_set(err, errlen, VE_IO, "读取归档文件 %s 失败：%s", path, strerror(errno));
	if (rc == 0 && lineno == 0)
		rc = err_set(err, errlen, VE_CRYPTO, "%s 是空文件，不是审计归档文件", path);
	if (rc == 0 && !ended)
		rc = err_set(err, errlen, VE_CRYPTO, "归档文件没有结尾行（文件被截断）");
	free(line);
	unsigned char digest[SM3_LEN];
	unsigned int dlen = 0;
	EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	EVP_MD_free(sm3);
	crypto_hex(digest, SM3_LEN, out->file_sm3);
	return rc;
}

/* audit_archive_verify_file with the keys already read. */
static int verify_file(const char *path, struct db *db, const struct keyset *ks,
		       struct audit_archive_info *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, errlen, VE_IO, "无法读取归档文件 %s：%s", path, strerror(errno));
	int rc = verify_stream(f, path, ks, out, err, errlen);
	fclose(f);
	if (rc || !db)
		return rc;
	int64_t found = 0;
	if (db_int_query(db, &found, 0,
			 "SELECT count(*) FROM audit_archives WHERE first_seq = ? AND last_seq = ? "
			 "AND file_sm3 = ? AND last_hash = ?",
			 "iiss", out->first_seq, out->last_seq, out->file_sm3, out->last_hash) != 0)
		return err_set(err, errlen, VE_DB, "读取审计归档记录失败：%s", db_errmsg(db));
	out->in_database = found > 0;
	return 0;
}

int audit_archive_verify_file(const char *path, struct db *db, const struct crypto_keys *keys,
			      struct audit_archive_info *out, char *err, size_t errlen)
{
	struct keyset ks;
	memset(out, 0, sizeof(*out));
	int rc = keyset_load(db, keys, &ks, err, errlen);
	if (rc == 0)
		rc = verify_file(path, db, &ks, out, err, errlen);
	mem_wipe(&ks, sizeof(ks));
	return rc;
}

int audit_archive_verify_bytes(const void *data, size_t len, const char *name,
			       struct audit_archive_info *out, char *err, size_t errlen)
{
	static const char nothing[1];
	struct keyset ks = {0};
	memset(out, 0, sizeof(*out));
	/* fmemopen wants a buffer of at least one byte: an empty one is read as empty. */
	FILE *f = fmemopen((void *)(uintptr_t)(len ? data : nothing), len ? len : 1, "rb");
	if (!f)
		return err_set(err, errlen, VE_IO, "无法读取归档 %s：%s", name, strerror(errno));
	if (!len)
		fseek(f, 0, SEEK_END);
	int rc = verify_stream(f, name, &ks, out, err, errlen);
	fclose(f);
	return rc;
}

/* ---- archiving ---- */

/* Checks path and makes its absolute form (for the anchor) into full, the directory into dir. */
static int target_of(const char *path, char full[AUDIT_ARCHIVE_PATH_MAX + 1],
		     char dir[PATH_MAX], char *err, size_t errlen)
{
	size_t n = path ? strlen(path) : 0;
	if (n == 0 || n > AUDIT_ARCHIVE_PATH_MAX - 64)
		return err_set(err, errlen, VE_INVALID, "归档文件路径为空或过长");
	if (!utf8_valid(path, n) || !str_is_printable(path, n, 0))
		return err_set(err, errlen, VE_INVALID, "归档文件路径含有控制字符或无效编码");
	struct stat st;
	if (lstat(path, &st) == 0)
		return err_set(err, errlen, VE_EXISTS, "文件已存在：%s（归档不覆盖已有文件）", path);
	char a[PATH_MAX], b[PATH_MAX];
	str_copy(a, path, sizeof(a));
	str_copy(b, path, sizeof(b));
	const char *base = basename(b);
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || path[n - 1] == '/')
		return err_set(err, errlen, VE_INVALID, "归档文件路径应指向一个文件：%s", path);
	if (!realpath(dirname(a), dir))
		return err_set(err, errlen, VE_IO, "归档文件所在目录不存在或无法访问：%s",
			       strerror(errno));
	if (strlen(dir) + 1 + strlen(base) > AUDIT_ARCHIVE_PATH_MAX - 32)
		return err_set(err, errlen, VE_INVALID, "归档文件路径过长");
	size_t dn = strcmp(dir, "/") == 0 ? 0 : strlen(dir), bn = strlen(base);
	memcpy(full, dir, dn);
	full[dn] = '/';
	memcpy(full + dn + 1, base, bn + 1);
	if (!utf8_valid(full, strlen(full)) || !str_is_printable(full, strlen(full), 0))
		return err_set(err, errlen, VE_INVALID, "归档文件路径含有控制字符或无效编码");
	return 0;
}

/* In one transaction: the audit.archive record, the anchor, the records deleted. */
static int commit_archive(struct db *db, const struct principal *by, const char *full,
			  const struct audit_archive_info *info, int64_t prev_last, char *err,
			  size_t errlen)
{
	struct audit_anchor a = {0};
	char detail[2200];
	int64_t newest = 0, count = 0, id = 0, head = 0;
	if (db_tx_begin(db, 0) != 0)
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = 0;
	if (db_int_query(db, &newest, 0, "SELECT coalesce(max(last_seq), 0) FROM audit_archives",
			 "") ||
	    db_int_query(db, &count, 0, "SELECT count(*) FROM audit_log WHERE seq BETWEEN ? AND ?",
			 "ii", info->first_seq, info->last_seq) ||
	    db_int_query(db, &id, 0, "SELECT coalesce(max(id), 0) + 1 FROM audit_archives", ""))
		rc = err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	else if (newest != prev_last)
		rc = err_set(err, errlen, VE_CONFLICT, "另一次归档刚刚完成，请重新运行");
	else if (count != info->records)
		rc = err_set(err, errlen, VE_CONFLICT, "审计记录数与归档文件不符，未删除任何记录");
	if (rc == 0) {
		struct db_stmt *st = db_q(db, "SELECT hash FROM audit_log WHERE seq = ?", "i",
					  info->last_seq);
		if (!st || db_step(st) != DB_ROW || !db_text(st, 0) ||
		    strcmp(db_text(st, 0), info->last_hash) != 0)
			rc = err_set(err, errlen, VE_CONFLICT,
				     "第 %" PRId64 " 条审计记录与归档文件不符，未删除任何记录",
				     info->last_seq);
		db_done(st);
	}
	if (rc == 0) {
		a.id = id;
		a.first_seq = info->first_seq;
		a.last_seq = info->last_seq;
		a.records = info->records;
		hex_copy(a.last_hash, info->last_hash);
		hex_copy(a.file_sm3, info->file_sm3);
		str_copy(a.file_name, full, sizeof(a.file_name));
		str_copy(a.actor, by->username, sizeof(a.actor));
		audit_anchor_detail(&a, detail, sizeof(detail));
		struct audit_actor who = account_actor(by);
		if (audit_write(db, &who, "audit.archive", "audit_log", "ok", detail) != 0 ||
		    db_int_query(db, &head, 0, "SELECT seq FROM audit_head WHERE id = 1", "") != 0 ||
		    db_int_query(db, &a.at, 0, "SELECT at FROM audit_log WHERE seq = ?", "i",
				 head) != 0)
			rc = err_set(err, errlen, VE_DB, "写入审计记录失败");
	}
	if (rc == 0 &&
	    db_run(db,
		   "INSERT INTO audit_archives (id, first_seq, last_seq, last_hash, records, "
		   "file_name, file_sm3, record_seq, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "iiisissiis", a.id, a.first_seq, a.last_seq, a.last_hash, a.records, a.file_name,
		   a.file_sm3, head, a.at, a.actor) != 0)
		rc = err_set(err, errlen, VE_DB, "写入归档记录失败：%s", db_errmsg(db));
	if (rc == 0 && db_run(db, "DELETE FROM audit_log WHERE seq BETWEEN ? AND ?", "ii",
			      a.first_seq, a.last_seq) != 0)
		rc = err_set(err, errlen, VE_DB, "删除已归档的审计记录失败：%s", db_errmsg(db));
	if (rc == 0 && db_changes(db) != a.records)
		rc = err_set(err, errlen, VE_CONFLICT, "删除的审计记录数与归档文件不符，已撤销");
	int ended = db_tx_end(db, 0, rc);
	if (ended && !rc)
		rc = err_set(err, errlen, VE_DB, "提交失败：%s", db_errmsg(db));
	return rc ? rc : ended;
}

static int archive_run(struct db *db, const struct keyset *ks, const struct principal *by,
		       const char *path, struct audit_archive_info *out, char *err, size_t errlen)
{
	char full[AUDIT_ARCHIVE_PATH_MAX + 1], dir[PATH_MAX], tmp[AUDIT_ARCHIVE_PATH_MAX + 64];
	char why[512] = "";
	memset(out, 0, sizeof(*out));
	int rc = target_of(path, full, dir, err, errlen);
	if (rc)
		return rc;
	struct policy pol;
	policy_load(db, &pol);
	out->retention_months = pol.audit_months;
	out->cutoff = cutoff_of(clock_now(), pol.audit_months);
	if (out->cutoff <= 0)
		return err_set(err, errlen, VE_INTERNAL, "无法计算保留期的起点");
	/* Never archive a chain that does not verify: the file would vouch for a forgery. */
	int64_t n = 0, bad = 0;
	rc = audit_verify(db, &n, &bad, why, sizeof(why));
	if (rc)
		return err_set(err, errlen, rc == VE_CRYPTO ? VE_CRYPTO : VE_DB,
			       "审计日志校验未通过，未归档：%s", why);
	struct audit_anchor prev;
	int anchored = audit_anchor_newest(db, &prev, err, errlen);
	if (anchored < 0)
		return -anchored;
	int64_t first = anchored ? prev.last_seq + 1 : 1, young = 0, newest = 0;
	if (db_int_query(db, &young, 0,
			 "SELECT coalesce(min(seq), 0) FROM audit_log WHERE seq >= ? AND at >= ?", "ii",
			 first, out->cutoff) ||
	    db_int_query(db, &newest, 0, "SELECT coalesce(max(seq), 0) FROM audit_log", ""))
		return err_set(err, errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	/* The oldest records, up to the first one inside the retention (seq order, not time:
	 * a clock set back never lets a younger record go). */
	int64_t last = young ? young - 1 : newest;
	if (last < first)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", full);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return err_set(err, errlen, VE_IO, "无法在 %s 中创建文件：%s", dir, strerror(errno));
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		return err_set(err, errlen, VE_IO, "无法写入归档文件：%s", strerror(errno));
	}
	rc = write_records(db, ks, f, first, last, anchored ? prev.last_hash : zero_hash, out->cutoff,
			   pol.audit_months, out, err, errlen);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = err_set(err, errlen, VE_IO, "写入归档文件失败：%s", strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(err, errlen, VE_IO, "写入归档文件失败：%s", strerror(errno));
	if (rc == 0 && link(tmp, full) != 0)
		rc = errno == EEXIST
			     ? err_set(err, errlen, VE_EXISTS, "文件已存在：%s（归档不覆盖已有文件）", path)
			     : err_set(err, errlen, VE_IO, "无法写入归档文件：%s", strerror(errno));
	unlink(tmp);
	if (rc)
		return rc;
	file_sync_parent(full);
	/* Read back from the disk and checked before anything leaves the database. */
	struct audit_archive_info back;
	rc = verify_file(full, NULL, ks, &back, why, sizeof(why));
	if (rc == 0 && (back.first_seq != out->first_seq || back.last_seq != out->last_seq ||
			strcmp(back.last_hash, out->last_hash) != 0))
		rc = err_set(why, sizeof(why), VE_CRYPTO, "内容与数据库不一致");
	if (rc)
		rc = err_set(err, errlen, VE_IO, "归档文件写入后读回校验未通过，未删除任何记录：%s",
			     why);
	else
		rc = commit_archive(db, by, full, &back, anchored ? prev.last_seq : 0, err, errlen);
	if (rc) {
		unlink(full);
		file_sync_parent(full);
		return rc;
	}
	hex_copy(out->file_sm3, back.file_sm3);
	out->created_at = back.created_at;
	return 0;
}

int audit_archive_run(struct db *db, const struct crypto_keys *keys, const struct principal *by,
		      const char *path, struct audit_archive_info *out, char *err, size_t errlen)
{
	struct keyset ks;
	memset(out, 0, sizeof(*out));
	int rc = keyset_load(db, keys, &ks, err, errlen);
	if (rc == 0)
		rc = archive_run(db, &ks, by, path, out, err, errlen);
	mem_wipe(&ks, sizeof(ks));
	return rc;
}
