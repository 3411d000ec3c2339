/* audit.c - the append-only audit trail: records chained by HMAC-SM3 under a MAC'd head.
 *
 * Record n stores hash_n = HMAC-SM3(audit key, encode(n, its fields, hash_{n-1})), with
 * hash_0 = 64 '0's; audit_head stores (N, HMAC-SM3(audit key, encode("head", N, hash_N)))
 * for the newest record N. Without the key, someone with write access to the database can
 * neither edit nor insert a record (its hash would not recompute), delete one inside the
 * chain (the sequence has a gap and the next link breaks), nor delete the newest ones (the
 * head still names N, and a head naming an earlier record cannot be forged). What the
 * MACs cannot see is a wholesale rollback to an earlier copy of the database. */
#include "audit.h"
#include "audit_archive.h"
#include "sealed.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HASH_HEX (2 * SM3_LEN)
#define FIELD_MAX 200   /* bytes kept of actor, ip, action, object, result, region_code */
#define DETAIL_MAX 2000 /* bytes kept of detail */
/* Well above the encoding of any record audit_write can make: a longer one was not made here. */
#define ENCODING_MAX 8192
#define PER_PAGE_MAX 200
/* Key generations a verification can walk through: one per rotation. */
#define GENERATIONS_MAX 256
#define HISTORY_COLUMN "key_history.audit_key_enc"

static const char zero_hash[HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static unsigned char audit_key[SM3_LEN];
static struct crypto_keys current_keys; /* the retired generations' keys are sealed under them */
static int have_key;

/* One record as it is hashed. The text fields are views into a row or into caller buffers. */
struct record {
	int64_t seq, at;
	int has_actor_id; /* actor_id is NULL in the table when 0 */
	int64_t actor_id;
	struct sv actor, ip, action, object, detail, result, region_code, prev_hash;
};

/* The audit key of a retired generation and the last record chained under it. */
struct old_key {
	int64_t last_seq;
	unsigned char key[SM3_LEN];
};

/* State of a walk along the chain in audit_verify. */
struct verify {
	struct old_key old[GENERATIONS_MAX]; /* by last_seq, ascending */
	size_t n_old, next_old;       /* next_old: the first whose last_seq >= the next seq */
	int64_t count;                /* records checked so far: the next must be count + 1 */
	char last_hash[HASH_HEX + 1]; /* the hash of record count, zero_hash before the first */
	struct buf enc;               /* reused for each record's encoding */
	int64_t bad_seq;
	char *err;
	size_t errlen;
};

void audit_init(const struct crypto_keys *keys)
{
	memcpy(audit_key, keys->audit_key, SM3_LEN);
	current_keys = *keys;
	have_key = 1;
}

void audit_name_key(const char *name, char key[2 * SM3_LEN + 1])
{
	/* A key of its own, so that the audit key MACs nothing but the chain. */
	static const char label[] = "vets login name v1";
	unsigned char derived[SM3_LEN], mac[SM3_LEN];
	crypto_hmac_sm3(audit_key, SM3_LEN, label, sizeof(label) - 1, derived);
	crypto_hmac_sm3(derived, SM3_LEN, name, strlen(name), mac);
	crypto_hex(mac, SM3_LEN, key);
}

void audit_name_mask(const char *name, char *mask, size_t size)
{
	char key[2 * SM3_LEN + 1];
	audit_name_key(name, key);
	size_t n = strlen(name);
	size_t chars = utf8_valid(name, n) ? utf8_count(name, n) : n;
	snprintf(mask, size, "未知用户名#%.8s（%zu 个字符）", key, chars);
}

/* ---- canonical encoding ----
 * Each field is a type byte, then for 'i' (integer) its 8 big-endian bytes, for 's' (text)
 * its length in 8 big-endian bytes and its bytes, for 'n' (NULL) nothing more. */

static void put_u64(struct buf *b, uint64_t v)
{
	unsigned char be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (unsigned char)(v >> (56 - 8 * i));
	buf_append(b, be, sizeof(be));
}

static void put_int(struct buf *b, int64_t v)
{
	buf_putc(b, 'i');
	put_u64(b, (uint64_t)v);
}

static void put_null(struct buf *b)
{
	buf_putc(b, 'n');
}

static void put_text(struct buf *b, struct sv s)
{
	buf_putc(b, 's');
	put_u64(b, s.n);
	buf_append(b, s.p, s.n);
}

/* hex(HMAC-SM3(key, enc)) into out. -1 when enc overflowed its cap. */
static int mac_hex(const unsigned char key[SM3_LEN], const struct buf *enc, char out[HASH_HEX + 1])
{
	unsigned char mac[SM3_LEN];
	if (enc->overflow)
		return -1;
	crypto_hmac_sm3(key, SM3_LEN, enc->data, enc->len, mac);
	crypto_hex(mac, SM3_LEN, out);
	return 0;
}

/* The hash of r under key into out, using enc (reset first) as scratch. -1 when r is too
 * large to have been written by audit_write. */
static int record_hash(const struct record *r, const unsigned char key[SM3_LEN], struct buf *enc,
		       char out[HASH_HEX + 1])
{
	buf_reset(enc);
	put_text(enc, SV("vets-audit-record-v1"));
	put_int(enc, r->seq);
	put_int(enc, r->at);
	if (r->has_actor_id)
		put_int(enc, r->actor_id);
	else
		put_null(enc);
	put_text(enc, r->actor);
	put_text(enc, r->ip);
	put_text(enc, r->action);
	put_text(enc, r->object);
	put_text(enc, r->detail);
	put_text(enc, r->result);
	put_text(enc, r->region_code);
	put_text(enc, r->prev_hash);
	return mac_hex(key, enc, out);
}

/* The MAC that audit_head stores for a chain ending at record seq with hash record_hash. */
static void head_mac(int64_t seq, struct sv record_hash, char out[HASH_HEX + 1])
{
	struct buf enc;
	buf_init(&enc, ENCODING_MAX);
	put_text(&enc, SV("vets-audit-head-v1"));
	put_int(&enc, seq);
	put_text(&enc, record_hash);
	mac_hex(audit_key, &enc, out);
	buf_free(&enc);
}

/* The bytes of a text column, embedded NULs included; "" for NULL. */
static struct sv column_text(struct db_stmt *st, int col)
{
	size_t n;
	const char *p = db_blob(st, col, &n);
	return (struct sv){p ? p : "", p ? n : 0};
}

/* 1 when stored is exactly the hex hash expected. */
static int same_hash(struct sv stored, const char expected[HASH_HEX + 1])
{
	return stored.n == HASH_HEX && crypto_equal(stored.p, expected, HASH_HEX);
}

/* ---- writing ---- */

/* The length of the well-formed UTF-8 character at s (NUL-terminated), or 0 when the
 * bytes there are not one. */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
	for (size_t k = 1; k < len; k++)
		if (s[k] == '\0')
			return 0;
	return len && utf8_valid(s, len) ? len : 0;
}

/* Copies s into out[max + 1] as well-formed UTF-8 of at most max bytes, cut at a character
 * boundary, with each byte that is not part of a character replaced by '?'. NULL is "". */
static struct sv clamp_text(const char *s, char *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; s && s[i];) {
		size_t len = char_len(s + i);
		size_t take = len ? len : 1;
		if (n + take > max)
			break;
		memcpy(out + n, len ? s + i : "?", take);
		n += take;
		i += take;
	}
	out[n] = '\0';
	return (struct sv){out, n};
}

/* Buffers for the clamped copies of a record's text fields. */
struct clamped {
	char actor[FIELD_MAX + 1], ip[FIELD_MAX + 1], action[FIELD_MAX + 1];
	char object[FIELD_MAX + 1], result[FIELD_MAX + 1], region_code[FIELD_MAX + 1];
	char detail[DETAIL_MAX + 1];
};

/* What audit_head says of the chain's end under the kept key. */
enum head_state { HEAD_OK, HEAD_EMPTY, HEAD_MISSING, HEAD_MISMATCH, HEAD_UNREAD };

/* Reads audit_head and the record it names: HEAD_OK with *seq and hash (the record's) when
 * its MAC verifies under the kept key, HEAD_EMPTY for an empty trail, HEAD_MISSING when
 * records exist without a head, HEAD_MISMATCH (*seq set) when the MAC does not verify. */
static enum head_state head_read(struct db *db, int64_t *seq, char hash[HASH_HEX + 1])
{
	char expected[HASH_HEX + 1];
	int64_t any = 0;
	enum head_state state = HEAD_UNREAD;
	struct db_stmt *st = db_q(db,
				  "SELECT h.seq, h.hash, l.hash FROM audit_head h "
				  "LEFT JOIN audit_log l ON l.seq = h.seq WHERE h.id = 1",
				  "");
	if (!st)
		return HEAD_UNREAD;
	int step = db_step(st);
	*seq = 0;
	if (step == DB_DONE) {
		if (db_int_query(db, &any, 1,
				 "SELECT count(*) FROM (SELECT 1 FROM audit_log LIMIT 1) AS one",
				 "") == 0)
			state = any ? HEAD_MISSING : HEAD_EMPTY;
		memcpy(hash, zero_hash, sizeof(zero_hash));
	} else if (step == DB_ROW) {
		*seq = db_int(st, 0);
		struct sv stored = column_text(st, 1), last = column_text(st, 2);
		head_mac(*seq, last, expected);
		state = last.n == HASH_HEX && same_hash(stored, expected) ? HEAD_OK : HEAD_MISMATCH;
		if (state == HEAD_OK) {
			memcpy(hash, last.p, HASH_HEX);
			hash[HASH_HEX] = '\0';
		}
	}
	db_done(st);
	return state;
}

/* Checks that audit_head matches the newest record before the chain is extended, so that a
 * rewound or deleted head is reported by audit_verify instead of being overwritten with a
 * valid one. Returns 0 with *seq and hash set (0 and zero_hash for an empty log), or -1. */
static int chain_end(struct db *db, int64_t *seq, char hash[HASH_HEX + 1])
{
	switch (head_read(db, seq, hash)) {
	case HEAD_OK:
	case HEAD_EMPTY:
		return 0;
	case HEAD_MISSING:
		log_error("audit.head_missing", "message=%s",
			  "审计链头缺失而审计记录存在，拒绝写入");
		return -1;
	case HEAD_MISMATCH:
		log_error("audit.head_mismatch", "seq=%" PRId64 " message=%s", *seq,
			  "审计链头与该条记录不符，拒绝写入");
		return -1;
	default:
		return -1;
	}
}

static int insert_record(struct db *db, const struct record *r, const char *hash)
{
	return db_run(
		db,
		"INSERT INTO audit_log (seq, at, actor_id, actor, ip, action, object, detail, "
		"result, region_code, prev_hash, hash) "
		"VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iiisssssssss", r->seq, r->at, r->actor_id, r->actor.p, r->ip.p, r->action.p,
		r->object.p, r->detail.p, r->result.p, r->region_code.p, r->prev_hash.p, hash);
}

static int store_head(struct db *db, int64_t seq, const char *hash)
{
	char mac[HASH_HEX + 1];
	head_mac(seq, (struct sv){hash, HASH_HEX}, mac);
	return db_run(db,
		      "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
		      "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
		      "is", seq, mac);
}

/* A NULL who records an event of the system itself. */
int audit_write(struct db *db, const struct audit_actor *who, const char *action,
		const char *object, const char *result, const char *detail)
{
	static const struct audit_actor nobody = {0, "", "", ""};
	struct clamped c;
	struct record r;
	char prev[HASH_HEX + 1], hash[HASH_HEX + 1];
	struct buf enc;
	int rc = VE_DB;

	/* The chain's head is read and then moved: only under the write lock (db_begin), which
	 * a caller outside any transaction doesn't hold. */
	if (!db_in_tx(db))
		return audit_event(db, who, action, object, result, detail);
	buf_init(&enc, ENCODING_MAX);
	if (!have_key) {
		log_error("audit.no_key", "message=%s", "审计密钥未设置（audit_init 未调用）");
		goto out;
	}
	if (!who)
		who = &nobody;
	if (chain_end(db, &r.seq, prev) != 0)
		goto out;
	r.seq++;
	r.at = clock_now();
	r.actor_id = who->user_id;
	r.has_actor_id = who->user_id != 0;
	r.actor = clamp_text(who->username, c.actor, FIELD_MAX);
	r.ip = clamp_text(who->ip, c.ip, FIELD_MAX);
	r.action = clamp_text(action, c.action, FIELD_MAX);
	r.object = clamp_text(object, c.object, FIELD_MAX);
	r.detail = clamp_text(detail, c.detail, DETAIL_MAX);
	r.result = clamp_text(result, c.result, FIELD_MAX);
	r.region_code = clamp_text(who->region_code, c.region_code, FIELD_MAX);
	r.prev_hash = (struct sv){prev, HASH_HEX};
	if (record_hash(&r, audit_key, &enc, hash) != 0 || insert_record(db, &r, hash) != 0 ||
	    store_head(db, r.seq, hash) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&enc);
	return rc;
}

int audit_key_matches(struct db *db)
{
	int64_t seq;
	char hash[HASH_HEX + 1];
	enum head_state state = head_read(db, &seq, hash);
	return state == HEAD_UNREAD ? -1 : state == HEAD_OK || state == HEAD_EMPTY;
}

int audit_switch_key(struct db *db, const struct crypto_keys *keys)
{
	int64_t seq;
	char last[HASH_HEX + 1];
	if (!db_in_tx(db) || !have_key || chain_end(db, &seq, last) != 0)
		return VE_DB;
	memcpy(audit_key, keys->audit_key, SM3_LEN);
	current_keys = *keys;
	return seq ? store_head(db, seq, last) : 0;
}

int audit_event(struct db *db, const struct audit_actor *who, const char *action,
		const char *object, const char *result, const char *detail)
{
	if (db_begin(db) != 0)
		return VE_DB;
	if (audit_write(db, who, action, object, result, detail) == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return VE_DB;
}

/* ---- verifying ---- */

static const char record_columns_sql[] =
	"SELECT seq, at, actor_id, actor, ip, action, object, detail, result, region_code, "
	"prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq";

static void read_record(struct db_stmt *st, struct record *r)
{
	r->seq = db_int(st, 0);
	r->at = db_int(st, 1);
	r->has_actor_id = !db_is_null(st, 2);
	r->actor_id = db_int(st, 2);
	r->actor = column_text(st, 3);
	r->ip = column_text(st, 4);
	r->action = column_text(st, 5);
	r->object = column_text(st, 6);
	r->detail = column_text(st, 7);
	r->result = column_text(st, 8);
	r->region_code = column_text(st, 9);
	r->prev_hash = column_text(st, 10);
}

/* Records the first bad record and why. Returns VE_CRYPTO. */
static int broken(struct verify *v, int64_t seq, const char *what)
{
	v->bad_seq = seq;
	return err_set(v->err, v->errlen, VE_CRYPTO, "第 %" PRId64 " 条审计记录%s", seq, what);
}

/* Checks the record in the current row against the chain so far. 0 or VE_CRYPTO. */
static int check_record(struct db_stmt *st, struct verify *v)
{
	struct record r;
	char computed[HASH_HEX + 1];
	int64_t expected = v->count + 1;

	read_record(st, &r);
	while (v->next_old < v->n_old && v->old[v->next_old].last_seq < r.seq)
		v->next_old++;
	const unsigned char *key = v->next_old < v->n_old ? v->old[v->next_old].key : audit_key;
	if (r.seq > expected)
		return broken(v, expected, "缺失（被删除）");
	if (r.seq < expected || !same_hash(r.prev_hash, v->last_hash))
		return broken(v, r.seq, "的链接断开（记录被插入或删除）");
	if (record_hash(&r, key, &v->enc, computed) != 0 ||
	    !same_hash(column_text(st, 11), computed))
		return broken(v, r.seq, "内容被篡改");
	memcpy(v->last_hash, computed, sizeof(computed));
	v->count = r.seq;
	return 0;
}

/* Reads the audit keys of the retired generations (key_history), each opened under the
 * current keys. 0, VE_CRYPTO (one does not open: the key file is not this database's) or
 * VE_DB. */
static int load_old_keys(struct db *db, struct verify *v)
{
	int rc = 0, step;
	char hex[HASH_HEX + 1];
	struct db_stmt *st = db_q(db,
				  "SELECT generation, last_seq, audit_key_enc FROM key_history "
				  "ORDER BY last_seq, generation",
				  "");
	if (!st)
		return err_set(v->err, v->errlen, VE_DB, "读取密钥历史失败：%s", db_errmsg(db));
	while ((step = db_step(st)) == DB_ROW) {
		size_t len;
		const void *blob = db_blob(st, 2, &len);
		struct old_key *o = &v->old[v->n_old];
		if (v->n_old == GENERATIONS_MAX) {
			rc = err_set(v->err, v->errlen, VE_LIMIT, "密钥历史超过 %d 代",
				     GENERATIONS_MAX);
			goto out;
		}
		if (sealed_open_with(&current_keys, HISTORY_COLUMN, db_int(st, 0), blob, len, hex,
				     sizeof(hex)) != 0 ||
		    crypto_unhex(hex, o->key, SM3_LEN) != 0) {
			rc = err_set(
				v->err, v->errlen, VE_CRYPTO,
				"第 %lld 代的审计密钥无法用当前密钥文件解开（密钥文件与数据库不符？）",
				(long long)db_int(st, 0));
			goto out;
		}
		o->last_seq = db_int(st, 1);
		v->n_old++;
	}
	if (step != DB_DONE)
		rc = err_set(v->err, v->errlen, VE_DB, "读取密钥历史失败：%s", db_errmsg(db));
out:
	mem_wipe(hex, sizeof(hex));
	db_done(st);
	return rc;
}

/* Walks the whole log in seq order, one row in memory at a time. 0, VE_CRYPTO or VE_DB. */
static int walk_log(struct db *db, struct verify *v)
{
	int rc = 0, step;
	struct db_stmt *st = db_q(db, record_columns_sql, "i", v->count);
	if (!st)
		return err_set(v->err, v->errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
	while ((step = db_step(st)) == DB_ROW)
		if ((rc = check_record(st, v)) != 0)
			goto out;
	if (step != DB_DONE)
		rc = err_set(v->err, v->errlen, VE_DB, "读取审计日志失败：%s", db_errmsg(db));
out:
	db_done(st);
	return rc;
}

/* Checks that audit_head names the last record walked, with a MAC only the key can make. */
static int check_head(struct db *db, struct verify *v)
{
	int rc = 0;
	char expected[HASH_HEX + 1];
	struct db_stmt *st = db_q(db, "SELECT seq, hash FROM audit_head WHERE id = 1", "");
	if (!st)
		return err_set(v->err, v->errlen, VE_DB, "读取审计链头失败：%s", db_errmsg(db));
	int step = db_step(st);
	if (step == DB_DONE) {
		if (v->count > 0)
			goto tampered;
		goto out;
	}
	if (step != DB_ROW) {
		rc = err_set(v->err, v->errlen, VE_DB, "读取审计链头失败：%s", db_errmsg(db));
		goto out;
	}
	int64_t head_seq = db_int(st, 0);
	if (head_seq > v->count) {
		v->bad_seq = v->count + 1;
		rc = err_set(v->err, v->errlen, VE_CRYPTO,
			     "审计记录末尾被删除（应有 %" PRId64 " 条，现有 %" PRId64 " 条）",
			     head_seq, v->count);
		goto out;
	}
	head_mac(head_seq, (struct sv){v->last_hash, HASH_HEX}, expected);
	if (head_seq == v->count && same_hash(column_text(st, 1), expected))
		goto out;
tampered:
	v->bad_seq = v->count > 0 ? v->count : 1;
	rc = err_set(v->err, v->errlen, VE_CRYPTO, "审计链头被篡改");
out:
	db_done(st);
	return rc;
}

int audit_verify(struct db *db, int64_t *n_records, int64_t *bad_seq, char *err, size_t errlen)
{
	struct verify v = {.count = 0, .bad_seq = 0, .err = err, .errlen = errlen};
	int rc;

	*n_records = 0;
	*bad_seq = 0;
	if (!have_key)
		return err_set(err, errlen, VE_INTERNAL, "审计密钥未加载，无法校验");
	/* One read transaction, so that the walk and the head see the same snapshot even
	 * while the server keeps appending. */
	if (db_exec(db, "BEGIN") != 0)
		return err_set(err, errlen, VE_DB, "无法开始读事务：%s", db_errmsg(db));
	memcpy(v.last_hash, zero_hash, sizeof(zero_hash));
	buf_init(&v.enc, ENCODING_MAX);
	/* After an archive the chain goes on from its anchor, which the chain vouches for. */
	struct audit_anchor anchor;
	int anchored = audit_anchor_newest(db, &anchor, err, errlen);
	rc = anchored < 0 ? -anchored : 0;
	if (rc == 0)
		rc = load_old_keys(db, &v);
	if (anchored > 0) {
		v.count = anchor.last_seq;
		memcpy(v.last_hash, anchor.last_hash, sizeof(v.last_hash));
	}
	if (rc == 0)
		rc = walk_log(db, &v);
	if (rc == 0)
		rc = check_head(db, &v);
	if (rc == 0 && anchored > 0)
		rc = audit_anchor_check(db, &anchor, v.count, &v.bad_seq, err, errlen);
	buf_free(&v.enc);
	mem_wipe(v.old, sizeof(v.old));
	db_rollback(db);
	*n_records = v.count - (anchored > 0 ? anchor.last_seq : 0);
	*bad_seq = v.bad_seq;
	return rc;
}

int audit_record_hash(const struct audit_record *a, const unsigned char key[SM3_LEN],
		      char out[HASH_HEX + 1])
{
	struct record r = {a->seq,    a->at,     a->has_actor_id, a->actor_id,
			   a->actor,  a->ip,     a->action,       a->object,
			   a->detail, a->result, a->region_code,  a->prev_hash};
	struct buf enc;
	if (!have_key)
		return -1;
	buf_init(&enc, ENCODING_MAX);
	int rc = record_hash(&r, key ? key : audit_key, &enc, out);
	buf_free(&enc);
	return rc;
}

void audit_archive_mac(const unsigned char key[SM3_LEN], int64_t first_seq, const char *prev_hash,
		       int64_t last_seq, const char *last_hash, int64_t records,
		       char out[HASH_HEX + 1])
{
	struct buf enc;
	buf_init(&enc, ENCODING_MAX);
	put_text(&enc, SV("vets-audit-archive-v1"));
	put_int(&enc, first_seq);
	put_text(&enc, sv_from(prev_hash));
	put_int(&enc, last_seq);
	put_text(&enc, sv_from(last_hash));
	put_int(&enc, records);
	mac_hex(key ? key : audit_key, &enc, out);
	buf_free(&enc);
}

/* ---- listing ---- */

/* Where the filters go: a NULL value turns its condition off. */
#define LIST_WHERE                                                                                 \
	" WHERE (? IS NULL OR actor = ?)"                                                          \
	" AND (? IS NULL OR substr(action, 1, length(?)) = ?)"                                     \
	" AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?)"

static const char count_sql[] = "SELECT count(*) FROM audit_log" LIST_WHERE;
static const char page_sql[] =
	"SELECT seq, at, actor, ip, action, object, result, detail FROM audit_log" LIST_WHERE
	" ORDER BY seq DESC LIMIT ? OFFSET ?";

/* A filter given as NULL or "" is off. */
static const char *filter_text(const char *s)
{
	return s && *s ? s : NULL;
}

/* Sets key to value; text that is not UTF-8 (only an edited row has it) becomes a note. */
static void set_text(json_t *obj, const char *key, const char *value)
{
	json_t *s = json_string(value ? value : "");
	json_object_set_new(obj, key, s ? s : json_string("（编码无效）"));
}

/* Chinese names of the results, for people reading the trail (the actions' are their areas'). */
static const char *const result_titles[][2] = {
	{"ok", "成功"},
	{"fail", "失败"},
	{"locked", "已锁定"},
	{"denied", "拒绝"},
};

static const char *title_of(const char *const table[][2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return code ? code : "";
}

static json_t *row_json(struct db_stmt *st)
{
	static const char *const keys[] = {"actor", "ip", "action", "object", "result", "detail"};
	char at[17];
	json_t *item = json_object();

	clock_local_minute(db_int(st, 1), at);
	json_object_set_new(item, "seq", json_integer(db_int(st, 0)));
	json_object_set_new(item, "at", json_string(at));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		set_text(item, keys[i], db_text(st, (int)i + 2));
	set_text(item, "action_title", area_audit_title(db_text(st, 4)));
	set_text(item, "result_title",
		 title_of(result_titles, sizeof(result_titles) / sizeof(result_titles[0]),
			  db_text(st, 6)));
	return item;
}

static int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int audit_list(struct db *db, const struct audit_filter *f, json_t **out)
{
	const char *actor = filter_text(f->actor), *action = filter_text(f->action);
	int64_t per_page = clamp_i64(f->per_page, 1, PER_PAGE_MAX);
	int64_t page = clamp_i64(f->page, 1, INT64_MAX / PER_PAGE_MAX);
	int64_t total = 0;
	json_t *items = NULL;
	int rc = VE_DB, step;

	*out = NULL;
	if (db_int_query(db, &total, 0, count_sql, "sssssiiii", actor, actor, action, action,
			 action, f->from, f->from, f->to, f->to) != 0)
		return VE_DB;
	struct db_stmt *st = db_q(db, page_sql, "sssssiiiiii", actor, actor, action, action, action,
				  f->from, f->from, f->to, f->to, per_page, (page - 1) * per_page);
	if (!st)
		return VE_DB;
	items = json_array();
	while ((step = db_step(st)) == DB_ROW)
		json_array_append_new(items, row_json(st));
	if (step != DB_DONE)
		goto out;
	*out = json_object();
	json_object_set_new(*out, "total", json_integer(total));
	json_object_set_new(*out, "items", items);
	items = NULL;
	rc = 0;
out:
	json_decref(items);
	db_done(st);
	return rc;
}

/* ---- reading the trail ---- */

int audit_record_view(struct db *db, const struct audit_actor *who, const struct audit_filter *f)
{
	char detail[300];
	snprintf(detail, sizeof(detail), "查询：操作人=%s 操作=%s 第 %lld 页",
		 f->actor ? f->actor : "", f->action ? f->action : "", (long long)f->page);
	return audit_event(db, who, "audit.view", "audit_log", "ok", detail);
}

int audit_summary(struct db *db, int64_t since, int64_t *records, int64_t *login_failures)
{
	*records = *login_failures = 0;
	if (db_int_query(db, records, 0, "SELECT count(*) FROM audit_log", "") != 0 ||
	    db_int_query(db, login_failures, 0,
			 "SELECT count(*) FROM audit_log WHERE action = 'login' AND result <> 'ok' "
			 "AND at > ?",
			 "i", since) != 0)
		return VE_DB;
	return 0;
}

/* ---- the area ---- */

const struct perm perm_audit_read = {"audit.read", "查阅审计日志", ROLE_BIT(AUDITOR)};

static const struct perm *const perms[] = {
	PERM_AUDIT_READ,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"audit.view", "查阅审计日志"},
	{"access.denied", "越权访问被拒绝"},
	{"audit.archive", "归档审计记录"},
	{NULL, NULL},
};

const struct area audit_area = {
	.name = "audit",
	.perms = perms,
	.audit_titles = audit_titles,
};
