/* sqlite.c - the SQLite backend of the store: WAL, foreign keys, busy timeout,
 * and a per-connection cache of prepared statements. */
#include "backend.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_SLOTS 512
/* How long a statement waits for a lock another connection holds. */
#define BUSY_TIMEOUT_USEC (10 * 1000 * 1000)

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
	const char *key; /* the SQL text's address, or NULL when not cached */
	int in_use;
};

struct sq_db {
	struct db base;
	sqlite3 *conn;
	struct sq_stmt cache[CACHE_SLOTS];
	int waiting;        /* counted in lock_waiters: a statement waits for a lock */
	int64_t wait_start; /* when it began to wait (clock_usec) */
};

#define SQ(db) ((struct sq_db *)(db))
#define SQS(st) ((struct sq_stmt *)(st))

/* SQLite's own busy timeout sleeps up to 100 ms between tries, so a writer that
 * commits and begins again at once would rarely let a waiting one in: poll often. */
static int busy_wait(void *arg, int count)
{
	struct sq_db *db = arg;
	if (count == 0) /* a new wait */
		db->wait_start = clock_usec();
	if (!db->waiting) {
		db->waiting = 1;
		atomic_fetch_add(&db_lock_waiters, 1);
	}
	if (clock_usec() - db->wait_start >= BUSY_TIMEOUT_USEC)
		return 0;
	/* Often at first; then less, so that many waiters don't starve the holder of CPU. */
	usleep(count < 10 ? 250 : count < 50 ? 1000 : 4000);
	return 1;
}

/* The statement that waited has its lock, or gave up. */
static void wait_over(struct sq_db *db)
{
	if (db->waiting) {
		db->waiting = 0;
		atomic_fetch_sub(&db_lock_waiters, 1);
	}
}

/* The functions of the common dialect that SQLite lacks (db.h): greatest and least
 * ignore NULLs as PostgreSQL's do; month_add and day_add step 'YYYY-MM' months and
 * 'YYYY-MM-DD' days, NULL for NULL or a malformed value. */
static void extreme(sqlite3_context *ctx, int argc, sqlite3_value **argv, int sign)
{
	sqlite3_value *best = NULL;
	for (int i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			continue;
		if (!best)
			best = argv[i];
		else if (sqlite3_value_numeric_type(argv[i]) != SQLITE_TEXT &&
			 sqlite3_value_numeric_type(best) != SQLITE_TEXT) {
			double a = sqlite3_value_double(argv[i]), b = sqlite3_value_double(best);
			if ((a > b && sign > 0) || (a < b && sign < 0))
				best = argv[i];
		} else {
			const char *a = (const char *)sqlite3_value_text(argv[i]);
			const char *b = (const char *)sqlite3_value_text(best);
			int c = strcmp(a ? a : "", b ? b : "");
			if ((c > 0 && sign > 0) || (c < 0 && sign < 0))
				best = argv[i];
		}
	}
	if (best)
		sqlite3_result_value(ctx, best);
	else
		sqlite3_result_null(ctx);
}

static void fn_greatest(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	extreme(ctx, argc, argv, 1);
}

static void fn_least(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	extreme(ctx, argc, argv, -1);
}

static void fn_month_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *m = (const char *)sqlite3_value_text(argv[0]);
	int y, mo;
	char tail;
	if (!m || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
	    sscanf(m, "%4d-%2d%c", &y, &mo, &tail) != 2 || strlen(m) != 7 || mo < 1 || mo > 12) {
		sqlite3_result_null(ctx);
		return;
	}
	int64_t k = (int64_t)y * 12 + (mo - 1) + sqlite3_value_int64(argv[1]);
	if (k < 0 || k >= 10000 * 12) {
		sqlite3_result_null(ctx);
		return;
	}
	char out[8];
	snprintf(out, sizeof(out), "%04d-%02d", (int)(k / 12), (int)(k % 12) + 1);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static void fn_day_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *d = (const char *)sqlite3_value_text(argv[0]);
	int64_t t;
	if (!d || sqlite3_value_type(argv[1]) == SQLITE_NULL || strlen(d) != 10 ||
	    clock_parse_date(d, &t) != 0) {
		sqlite3_result_null(ctx);
		return;
	}
	char out[11];
	if (clock_date_text(t + sqlite3_value_int64(argv[1]) * 86400, out) != 0) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static int register_functions(sqlite3 *conn)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	return sqlite3_create_function(conn, "greatest", -1, flags, NULL, fn_greatest, NULL, NULL) |
	       sqlite3_create_function(conn, "least", -1, flags, NULL, fn_least, NULL, NULL) |
	       sqlite3_create_function(conn, "month_add", 2, flags, NULL, fn_month_add, NULL, NULL) |
	       sqlite3_create_function(conn, "day_add", 2, flags, NULL, fn_day_add, NULL, NULL);
}

static void sq_close(struct db *base)
{
	struct sq_db *db = SQ(base);
	for (int i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->conn);
	free(db);
}

static void note_error(struct sq_db *db, const char *what)
{
	snprintf(db->base.errmsg, sizeof(db->base.errmsg), "%s", sqlite3_errmsg(db->conn));
	log_error("db.error", "op=%s error=%s", what, db->base.errmsg);
}

static int sq_exec(struct db *base, const char *sql)
{
	struct sq_db *db = SQ(base);
	char *msg = NULL;
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
	wait_over(db);
	if (rc != SQLITE_OK) {
		snprintf(base->errmsg, sizeof(base->errmsg), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		return VE_DB;
	}
	return 0;
}

/* Opens path with flags, then runs setup (the pragmas). */
static int open_with(struct db **out, const char *path, int flags, const char *setup, char *err,
		     size_t errlen)
{
	struct sq_db *db = xcalloc(1, sizeof(*db));
	db->base.ops = &db_sqlite_ops;
	int rc = sqlite3_open_v2(path, &db->conn, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(err, errlen, VE_DB, "无法打开数据库 %s：%s", path,
			db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		sqlite3_close(db->conn);
		free(db);
		return VE_DB;
	}
	sqlite3_busy_handler(db->conn, busy_wait, db);
	sqlite3_extended_result_codes(db->conn, 1);
	if (register_functions(db->conn) != SQLITE_OK ||
	    sq_exec(&db->base, setup) != 0) {
		err_set(err, errlen, VE_DB, "无法打开数据库 %s：%s", path,
			*db->base.errmsg ? db->base.errmsg : sqlite3_errmsg(db->conn));
		sq_close(&db->base);
		return VE_DB;
	}
	*out = &db->base;
	return 0;
}

static int sq_open(struct db **out, const char *path, char *err, size_t errlen)
{
	return open_with(out, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			 "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			 "PRAGMA synchronous=NORMAL; PRAGMA trusted_schema=OFF; "
			 "PRAGMA cache_size=-32768;",
			 err, errlen);
}

/* A backup read as it is: no journal mode set (that would write its header), no file made. */
int db_open_readonly(struct db **out, const char *path, char *err, size_t errlen)
{
	return open_with(out, path, SQLITE_OPEN_READONLY,
			 "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; PRAGMA query_only=ON;",
			 err, errlen);
}

static struct sq_stmt *prepare(struct sq_db *db, const char *sql, int cached)
{
	size_t slot = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
	for (size_t probe = 0; cached && probe < 8; probe++) {
		struct sq_stmt *c = &db->cache[(slot + probe) % CACHE_SLOTS];
		if (c->key == sql && !c->in_use) {
			c->in_use = 1;
			return c;
		}
		if (!c->key) {
			if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
					       &c->stmt, NULL) != SQLITE_OK) {
				note_error(db, "prepare");
				return NULL;
			}
			c->base.db = &db->base;
			c->key = sql;
			c->in_use = 1;
			return c;
		}
	}
	/* The neighbourhood is full or the cached copy is busy (a nested use of
	 * the same SQL): hand out an uncached statement. */
	struct sq_stmt *st = xcalloc(1, sizeof(*st));
	st->base.db = &db->base;
	st->in_use = 1;
	if (sqlite3_prepare_v2(db->conn, sql, -1, &st->stmt, NULL) != SQLITE_OK) {
		note_error(db, "prepare");
		free(st);
		return NULL;
	}
	return st;
}

static int bind_args(struct sq_stmt *st, int n, const struct db_value *v)
{
	int rc = SQLITE_OK;
	for (int i = 0; i < n && rc == SQLITE_OK; i++) {
		int idx = i + 1;
		switch (v[i].type) {
		case 'i':
			rc = sqlite3_bind_int64(st->stmt, idx, v[i].i);
			break;
		case 's':
		case 't':
			rc = v[i].p ? sqlite3_bind_text(st->stmt, idx, v[i].p, -1, SQLITE_TRANSIENT)
				    : sqlite3_bind_null(st->stmt, idx);
			break;
		case 'b':
			rc = sqlite3_bind_blob64(st->stmt, idx, v[i].p, v[i].len, SQLITE_TRANSIENT);
			break;
		default:
			rc = sqlite3_bind_null(st->stmt, idx);
		}
	}
	return rc == SQLITE_OK ? 0 : -1;
}

static void sq_done(struct db_stmt *base)
{
	struct sq_stmt *st = SQS(base);
	if (st->key) {
		sqlite3_reset(st->stmt);
		sqlite3_clear_bindings(st->stmt);
		st->in_use = 0;
		return;
	}
	sqlite3_finalize(st->stmt);
	free(st);
}

static struct db_stmt *sq_query(struct db *base, const char *sql, int cached, int n,
				const struct db_value *v)
{
	struct sq_stmt *st = prepare(SQ(base), sql, cached);
	if (!st)
		return NULL;
	if (bind_args(st, n, v) < 0) {
		note_error(SQ(base), "bind");
		sq_done(&st->base);
		return NULL;
	}
	return &st->base;
}

static int sq_step(struct db_stmt *base)
{
	struct sq_stmt *st = SQS(base);
	struct sq_db *db = SQ(base->db);
	int rc = sqlite3_step(st->stmt);
	wait_over(db);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		snprintf(db->base.errmsg, sizeof(db->base.errmsg), "%s", sqlite3_errmsg(db->conn));
		return VE_EXISTS;
	}
	note_error(db, "step");
	return VE_DB;
}

static int64_t sq_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(SQS(st)->stmt, col);
}

static const char *sq_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(SQS(st)->stmt, col);
}

static const void *sq_blob(struct db_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(SQS(st)->stmt, col);
	*len = (size_t)sqlite3_column_bytes(SQS(st)->stmt, col);
	return p;
}

static int sq_kind(struct db_stmt *st, int col)
{
	switch (sqlite3_column_type(SQS(st)->stmt, col)) {
	case SQLITE_NULL:
		return DB_NULL;
	case SQLITE_INTEGER:
		return DB_INT;
	case SQLITE_BLOB:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int sq_count(struct db_stmt *st)
{
	return sqlite3_column_count(SQS(st)->stmt);
}

static int sq_begin(struct db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

static int sq_begin_read(struct db *db)
{
	return sq_exec(db, "BEGIN");
}

static int sq_commit(struct db *db)
{
	return sq_exec(db, "COMMIT");
}

static int sq_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(SQ(db)->conn);
}

static void sq_rollback(struct db *db)
{
	if (sq_in_tx(db))
		sq_exec(db, "ROLLBACK");
}

static void sq_autocheckpoint(struct db *db, int on)
{
	sqlite3_wal_autocheckpoint(SQ(db)->conn, on ? 1000 : 0);
}

static void sq_checkpoint(struct db *db)
{
	sqlite3_wal_checkpoint_v2(SQ(db)->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static int64_t sq_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(SQ(db)->conn);
}

static int sq_changes(struct db *db)
{
	return sqlite3_changes(SQ(db)->conn);
}

static int sq_bulk(struct db *db, int on)
{
	return sq_exec(db, on ? "PRAGMA journal_mode=DELETE; PRAGMA cache_size=-524288"
			      : "PRAGMA journal_mode=WAL; PRAGMA cache_size=-32768");
}

static char *sq_migration_sql(const char *sql)
{
	return xstrdup(sql);
}

static int sq_copied(struct db *db, const char *table)
{
	return 0;
}

int db_sqlite_vacuum_into(struct db *base, const char *path, char *msg, size_t msglen)
{
	struct sq_db *db = SQ(base);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->conn, "VACUUM INTO ?", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE)
		rc = SQLITE_OK;
	wait_over(db);
	if (rc != SQLITE_OK) {
		snprintf(msg, msglen, "%s", sqlite3_errmsg(db->conn));
		rc = sqlite3_extended_errcode(db->conn);
	}
	sqlite3_finalize(st);
	return rc;
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.query = sq_query,
	.step = sq_step,
	.col_int = sq_int,
	.col_text = sq_text,
	.col_blob = sq_blob,
	.col_kind = sq_kind,
	.col_count = sq_count,
	.done = sq_done,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_tx = sq_in_tx,
	.last_id = sq_last_id,
	.changes = sq_changes,
	.autocheckpoint = sq_autocheckpoint,
	.checkpoint = sq_checkpoint,
	.bulk = sq_bulk,
	.migration_sql = sq_migration_sql,
	.migration_suffix = ".sqlite.sql",
	.tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' "
		      "AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
	.copied = sq_copied,
};
