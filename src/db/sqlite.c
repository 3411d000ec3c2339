/* sqlite.c - the SQLite backend of the store: WAL, foreign keys, busy timeout,
 * and a per-connection cache of prepared statements. */
#include "db.h"
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

struct db_stmt {
	struct db *db;
	sqlite3_stmt *stmt;
	const char *key; /* the SQL text's address, or NULL when not cached */
	int in_use;
};

struct db {
	sqlite3 *conn;
	struct db_stmt cache[CACHE_SLOTS];
	char errmsg[256];
	int waiting;        /* counted in lock_waiters: a statement waits for a lock */
	int64_t wait_start; /* when it began to wait (clock_usec) */
};

/* Connections of this process waiting for a lock: a long writer (an import) lets them in
 * between its transactions (db_yield). */
static atomic_int lock_waiters;

/* SQLite's own busy timeout sleeps up to 100 ms between tries, so a writer that
 * commits and begins again at once would rarely let a waiting one in: poll often. */
static int busy_wait(void *arg, int count)
{
	struct db *db = arg;
	if (count == 0) /* a new wait */
		db->wait_start = clock_usec();
	if (!db->waiting) {
		db->waiting = 1;
		atomic_fetch_add(&lock_waiters, 1);
	}
	if (clock_usec() - db->wait_start >= BUSY_TIMEOUT_USEC)
		return 0;
	/* Often at first; then less, so that many waiters don't starve the holder of CPU. */
	usleep(count < 10 ? 250 : count < 50 ? 1000 : 4000);
	return 1;
}

/* The statement that waited has its lock, or gave up. */
static void wait_over(struct db *db)
{
	if (db->waiting) {
		db->waiting = 0;
		atomic_fetch_sub(&lock_waiters, 1);
	}
}

/* Statements run through db_run that take this long or longer are logged (0: none);
 * set from $VETS_SLOW_SQL_MS when a connection opens. */
static int64_t slow_ms;
static pthread_once_t slow_once = PTHREAD_ONCE_INIT;

static void read_slow_ms(void)
{
	const char *slow = getenv("VETS_SLOW_SQL_MS");
	slow_ms = slow ? atoll(slow) : 0;
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

int db_open(struct db **out, const char *path, char *err, size_t errlen)
{
	pthread_once(&slow_once, read_slow_ms);
	struct db *db = xcalloc(1, sizeof(*db));
	int rc = sqlite3_open_v2(path, &db->conn,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		err_set(err, errlen, VE_DB, "无法打开数据库 %s：%s", path,
			db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		sqlite3_close(db->conn);
		free(db);
		return VE_DB;
	}
	sqlite3_busy_handler(db->conn, busy_wait, db);
	sqlite3_extended_result_codes(db->conn, 1);
	if (register_functions(db->conn) != SQLITE_OK) {
		err_set(err, errlen, VE_DB, "无法打开数据库 %s：%s", path, sqlite3_errmsg(db->conn));
		db_close(db);
		return VE_DB;
	}
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=NORMAL; PRAGMA trusted_schema=OFF; "
			"PRAGMA cache_size=-32768;") != 0) {
		err_set(err, errlen, VE_DB, "无法设置数据库 %s：%s", path, db->errmsg);
		db_close(db);
		return VE_DB;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->conn);
	free(db);
}

static void note_error(struct db *db, const char *what)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s", sqlite3_errmsg(db->conn));
	log_error("db %s: %s", what, db->errmsg);
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
	wait_over(db);
	if (rc != SQLITE_OK) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		return VE_DB;
	}
	return 0;
}

static struct db_stmt *prepare(struct db *db, const char *sql)
{
	size_t slot = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
	for (size_t probe = 0; probe < 8; probe++) {
		struct db_stmt *c = &db->cache[(slot + probe) % CACHE_SLOTS];
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
			c->db = db;
			c->key = sql;
			c->in_use = 1;
			return c;
		}
	}
	/* The neighbourhood is full or the cached copy is busy (a nested use of
	 * the same SQL): hand out an uncached statement. */
	struct db_stmt *st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->in_use = 1;
	if (sqlite3_prepare_v2(db->conn, sql, -1, &st->stmt, NULL) != SQLITE_OK) {
		note_error(db, "prepare");
		free(st);
		return NULL;
	}
	return st;
}

static int bind_args(struct db_stmt *st, const char *fmt, va_list ap)
{
	int idx = 1, rc = SQLITE_OK;
	for (const char *f = fmt; *f && rc == SQLITE_OK; f++, idx++) {
		switch (*f) {
		case 'i':
			rc = sqlite3_bind_int64(st->stmt, idx, va_arg(ap, int64_t));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st->stmt, idx);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = sqlite3_bind_blob64(st->stmt, idx, p, n, SQLITE_TRANSIENT);
			break;
		}
		case 'n':
			rc = sqlite3_bind_null(st->stmt, idx);
			break;
		default:
			return -1;
		}
	}
	return rc == SQLITE_OK ? 0 : -1;
}

static struct db_stmt *vq(struct db *db, const char *sql, const char *fmt, va_list ap)
{
	struct db_stmt *st = prepare(db, sql);
	if (!st)
		return NULL;
	if (bind_args(st, fmt, ap) < 0) {
		note_error(db, "bind");
		db_done(st);
		return NULL;
	}
	return st;
}

struct db_stmt *db_q(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, fmt, ap);
	va_end(ap);
	return st;
}

int db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->stmt);
	wait_over(st->db);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		snprintf(st->db->errmsg, sizeof(st->db->errmsg), "%s",
			 sqlite3_errmsg(st->db->conn));
		return VE_EXISTS;
	}
	note_error(st->db, "step");
	return VE_DB;
}

int64_t db_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

const char *db_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->stmt, col);
}

const void *db_blob(struct db_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->stmt, col);
	*len = (size_t)sqlite3_column_bytes(st->stmt, col);
	return p;
}

int db_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	if (st->key) {
		sqlite3_reset(st->stmt);
		sqlite3_clear_bindings(st->stmt);
		st->in_use = 0;
		return;
	}
	sqlite3_finalize(st->stmt);
	free(st);
}

int db_run(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return VE_DB;
	int64_t start = slow_ms ? clock_usec() : 0;
	int rc = db_step(st);
	db_done(st);
	if (slow_ms && clock_usec() - start >= slow_ms * 1000)
		log_warn("db slow: %lld ms: %.400s", (long long)(clock_usec() - start) / 1000, sql);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

int db_int_query(struct db *db, int64_t *out, int64_t dflt, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	*out = rc == DB_ROW && !db_is_null(st, 0) ? db_int(st, 0) : dflt;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

int db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_begin_read(struct db *db)
{
	return db_exec(db, "BEGIN");
}

void db_yield(void)
{
	for (int i = 0; i < 100 && atomic_load(&lock_waiters) > 0; i++)
		usleep(1000);
}

void db_autocheckpoint(struct db *db, int on)
{
	sqlite3_wal_autocheckpoint(db->conn, on ? 1000 : 0);
}

void db_checkpoint(struct db *db)
{
	sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		db_exec(db, "ROLLBACK");
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->conn);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->conn);
}

const char *db_errmsg(struct db *db)
{
	return db->errmsg;
}

static char *thread_path;
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;

/* Closes a thread's connection when the thread ends (the server's workers end at shutdown). */
static void close_at_exit(void *db)
{
	db_close(db);
}

static void make_key(void)
{
	pthread_key_create(&thread_key, close_at_exit);
}

void db_thread_init(const char *path)
{
	pthread_once(&thread_key_once, make_key);
	free(thread_path);
	thread_path = xstrdup(path);
}

struct db *db_thread(void)
{
	pthread_once(&thread_key_once, make_key);
	struct db *db = pthread_getspecific(thread_key);
	if (!db && thread_path) {
		char err[256];
		if (db_open(&db, thread_path, err, sizeof(err)) != 0) {
			log_error("%s", err);
			return NULL;
		}
		pthread_setspecific(thread_key, db);
	}
	return db;
}

void db_thread_close(void)
{
	pthread_once(&thread_key_once, make_key);
	db_close(pthread_getspecific(thread_key));
	pthread_setspecific(thread_key, NULL);
}

int db_tx_begin(struct db *db, int in_tx)
{
	return in_tx || db_begin(db) == 0 ? 0 : VE_DB;
}

int db_tx_end(struct db *db, int in_tx, int rc)
{
	if (in_tx)
		return rc;
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return rc ? rc : VE_DB;
}

int db_ping(struct db *db)
{
	int64_t one = 0;
	return db && db_int_query(db, &one, 0, "SELECT 1", "") == 0 && one == 1 ? 0 : VE_DB;
}
