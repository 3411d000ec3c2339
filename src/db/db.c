/* db.c - the store's one interface (db.h) over its backends (backend.h), and what
 * they share: the per-thread connection, the transaction idiom, the one-shot helpers. */
#include "backend.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

atomic_int db_lock_waiters;

int db_is_server_uri(const char *target)
{
	return target && (strncmp(target, "postgresql://", 13) == 0 ||
			  strncmp(target, "postgres://", 11) == 0);
}

void db_target_shown(const char *target, char *out, size_t size)
{
	const char *scheme = strstr(target, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (db_is_server_uri(target) && at && colon && colon < at)
		snprintf(out, size, "%.*s:***%s", (int)(colon - target), target, at);
	else
		snprintf(out, size, "%s", target);
	char *q = strstr(out, "password=");
	if (q && db_is_server_uri(target))
		snprintf(q, size - (size_t)(q - out), "password=***");
}

/* Walks db's tables: the count of them (-1 on error), stopping at the one named name
 * (NULL: none) with *found set. */
static int scan_tables(struct db *db, const char *name, int *found)
{
	struct db_stmt *st = db_q(db, db->ops->tables_sql, "");
	if (!st)
		return -1;
	int rc, n = 0;
	*found = 0;
	while (!*found && (rc = db_step(st)) == DB_ROW) {
		n++;
		*found = name && strcmp(db_text(st, 0), name) == 0;
	}
	db_done(st);
	return *found || rc == DB_DONE ? n : -1;
}

int db_has_table(struct db *db, const char *name)
{
	int found;
	return scan_tables(db, name, &found) < 0 ? -1 : found;
}

int db_table_count(struct db *db)
{
	int found;
	return scan_tables(db, NULL, &found);
}

int db_open(struct db **out, const char *target, char *err, size_t errlen)
{
	const struct db_ops *ops = db_is_server_uri(target) ? &db_pg_ops : &db_sqlite_ops;
	return ops->open(out, target, err, errlen);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

const char *db_backend(struct db *db)
{
	return db->ops->name;
}

int db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

/* The arguments fmt describes (db_q) as values; -1 when fmt is too long or unknown. */
static int values_of(struct db_value *v, const char *fmt, va_list ap)
{
	int n = 0;
	for (const char *f = fmt; *f; f++, n++) {
		if (n == DB_MAX_PARAMS)
			return -1;
		v[n] = (struct db_value){.type = *f};
		switch (*f) {
		case 'i':
			v[n].i = va_arg(ap, int64_t);
			break;
		case 's':
			v[n].p = va_arg(ap, const char *);
			break;
		case 'b':
			v[n].p = va_arg(ap, const void *);
			v[n].len = va_arg(ap, size_t);
			break;
		case 'n':
			break;
		default:
			return -1;
		}
	}
	return n;
}

static struct db_stmt *vq(struct db *db, const char *sql, int cached, const char *fmt, va_list ap)
{
	struct db_value v[DB_MAX_PARAMS];
	int n = values_of(v, fmt, ap);
	if (n < 0) {
		snprintf(db->errmsg, sizeof(db->errmsg), "参数过多或类型不明：%s", fmt);
		log_error("db.error", "error=%s", db->errmsg);
		return NULL;
	}
	return db->ops->query(db, sql, cached, n, v);
}

struct db_stmt *db_q(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, 1, fmt, ap);
	va_end(ap);
	return st;
}

struct db_stmt *db_q_text(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, 0, fmt, ap);
	va_end(ap);
	return st;
}

struct db_stmt *db_q_built(struct db *db, const char *sql, int n, const struct db_value *v)
{
	return db->ops->query(db, sql, 0, n, v);
}

int db_step(struct db_stmt *st)
{
	return st->db->ops->step(st);
}

int64_t db_int(struct db_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

const char *db_text(struct db_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

const void *db_blob(struct db_stmt *st, int col, size_t *len)
{
	return st->db->ops->col_blob(st, col, len);
}

int db_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->col_kind(st, col) == DB_NULL;
}

int db_column_kind(struct db_stmt *st, int col)
{
	return st->db->ops->col_kind(st, col);
}

int db_column_count(struct db_stmt *st)
{
	return st->db->ops->col_count(st);
}

void db_done(struct db_stmt *st)
{
	if (st)
		st->db->ops->done(st);
}

/* Statements run through db_run that take this long or longer are logged (0: none);
 * read from $VETS_SLOW_SQL_MS once. */
static int64_t slow_ms;
static pthread_once_t slow_once = PTHREAD_ONCE_INIT;

static void read_slow_ms(void)
{
	const char *slow = getenv("VETS_SLOW_SQL_MS");
	slow_ms = slow ? atoll(slow) : 0;
}

int db_run(struct db *db, const char *sql, const char *fmt, ...)
{
	pthread_once(&slow_once, read_slow_ms);
	int64_t start = slow_ms ? clock_usec() : 0;
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, 1, fmt, ap);
	va_end(ap);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	db_done(st);
	if (slow_ms && clock_usec() - start >= slow_ms * 1000)
		log_warn("db.slow", "ms=%lld sql=%.400s", (long long)(clock_usec() - start) / 1000, sql);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

int db_int_query(struct db *db, int64_t *out, int64_t dflt, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *st = vq(db, sql, 1, fmt, ap);
	va_end(ap);
	if (!st) {
		*out = dflt;
		return VE_DB;
	}
	int rc = db_step(st);
	*out = rc == DB_ROW && !db_is_null(st, 0) ? db_int(st, 0) : dflt;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

int db_begin(struct db *db)
{
	return db->ops->begin(db);
}

int db_begin_read(struct db *db)
{
	return db->ops->begin_read(db);
}

int db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void db_rollback(struct db *db)
{
	db->ops->rollback(db);
}

int db_in_tx(struct db *db)
{
	return db->ops->in_tx(db);
}

void db_yield(void)
{
	for (int i = 0; i < 100 && atomic_load(&db_lock_waiters) > 0; i++)
		usleep(1000);
}

void db_autocheckpoint(struct db *db, int on)
{
	db->ops->autocheckpoint(db, on);
}

void db_checkpoint(struct db *db)
{
	db->ops->checkpoint(db);
}

int64_t db_last_id(struct db *db)
{
	return db->ops->last_id(db);
}

int db_changes(struct db *db)
{
	return db->ops->changes(db);
}

const char *db_errmsg(struct db *db)
{
	return db->errmsg;
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

static char *thread_target;
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

void db_thread_init(const char *target)
{
	pthread_once(&thread_key_once, make_key);
	free(thread_target);
	thread_target = xstrdup(target);
}

struct db *db_thread(void)
{
	pthread_once(&thread_key_once, make_key);
	struct db *db = pthread_getspecific(thread_key);
	if (!db && thread_target) {
		char err[256];
		if (db_open(&db, thread_target, err, sizeof(err)) != 0) {
			log_error("db.open_failed", "error=%s", err);
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
