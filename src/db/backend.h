/* backend.h - what a store backend implements behind db.h (inside src/db only).
 *
 * Each backend's connection begins with a struct db and its statements with a
 * struct db_stmt; db.c calls through the ops. The backend is chosen by the
 * target: a postgresql:// or postgres:// URI is PostgreSQL, anything else a
 * SQLite file path. */
#ifndef VETS_DB_BACKEND_H
#define VETS_DB_BACKEND_H

#include "db.h"

#include <stdarg.h>
#include <stdatomic.h>

/* A bound value: type is a letter of db_q's fmt ('i', 's', 'b', 'n'), or 't' for text
 * whose type the server infers from where it goes (copying rows). A NULL p of 's' or
 * 't' is NULL. */
struct db_value {
	char type;
	int64_t i;
	const void *p;
	size_t len;
};

#define DB_MAX_PARAMS 64

struct db_ops {
	const char *name; /* "sqlite" or "postgresql" */
	int (*open)(struct db **out, const char *target, char *err, size_t errlen);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	/* Prepares (cached by the SQL text's address when cached), binds the n values and,
	 * for backends that run at once, runs; errors of running surface at the first step. */
	struct db_stmt *(*query)(struct db *db, const char *sql, int cached, int n,
				 const struct db_value *v);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *len);
	int (*col_kind)(struct db_stmt *st, int col);
	int (*col_count)(struct db_stmt *st);
	void (*done)(struct db_stmt *st);
	int (*begin)(struct db *db);
	int (*begin_read)(struct db *db);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*in_tx)(struct db *db);
	int64_t (*last_id)(struct db *db);
	int (*changes)(struct db *db);
	void (*autocheckpoint)(struct db *db, int on);
	void (*checkpoint)(struct db *db);
	/* Before (on 1) and after (0) one transaction that writes a whole database: SQLite
	 * journals it with a rollback journal and a cache of up to 512 MiB, since a page
	 * spilled from a cache too small for the transaction is written again each time
	 * (and again into a write-ahead log). */
	int (*bulk)(struct db *db, int on);
	/* The migration's text as this backend runs it (a fresh string). */
	char *(*migration_sql)(const char *sql);
	/* The suffix of migration files for this backend only: ".sqlite.sql", ".pg.sql". */
	const char *migration_suffix;
	/* The user tables in creation order, as one "SELECT name" query. */
	const char *tables_sql;
	/* Called after rows with explicit keys were copied into table (sequences). */
	int (*copied)(struct db *db, const char *table);
};

struct db {
	const struct db_ops *ops;
	char errmsg[256];
};

struct db_stmt {
	struct db *db;
};

/* A statement whose text was built at run time (from table names, never from input):
 * prepared uncached, since its text's address means nothing after it is freed. */
struct db_stmt *db_q_built(struct db *db, const char *sql, int n, const struct db_value *v);

/* SQLite: VACUUM INTO path on db's own connection (its functions registered, as an index
 * or trigger may need them), logging nothing: SQLITE_OK, or the extended error code with
 * SQLite's message in msg. */
int db_sqlite_vacuum_into(struct db *db, const char *path, char *msg, size_t msglen);

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* Connections of this process waiting for a lock (counted by the SQLite backend): a long
 * writer lets them in between its transactions (db_yield). */
extern atomic_int db_lock_waiters;

#endif
