/* db.h - the store: one interface over SQLite and PostgreSQL.
 *
 * SQL is written once, with '?' placeholders, in the dialect both backends
 * understand (docs/ARCHITECTURE.md "SQL for both backends"); a backend rewrites
 * only the placeholders. Where one of them lacks a function, the backend provides it:
 * greatest(...) and least(...) ignoring NULLs, month_add('YYYY-MM', n),
 * day_add('YYYY-MM-DD', n) (NULL for NULL or a malformed value), instr(a, b),
 * group_concat(x, sep). Every value is bound, never
 * spliced into the text. A struct db is one connection and is used by one
 * thread at a time; the server keeps one per worker thread (db_thread()).
 *
 * Statements are cached per connection, keyed by the address of the SQL text:
 * pass string literals. A statement handed out by db_q() is returned to the
 * cache by db_done(). */
#ifndef VETS_DB_H
#define VETS_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum { DB_ROW = 100, DB_DONE = 101 };
/* What a column of the current row holds (db_column_kind). */
enum { DB_NULL = 0, DB_INT = 1, DB_TEXT = 2, DB_BLOB = 3 };

/* 1 when target names a database server (postgresql://… or postgres://…), 0 for a file. */
int db_is_server_uri(const char *target);
/* Opens the database target names: a SQLite file (created if needed) or a
 * PostgreSQL database by URI (which must exist). Returns 0 and *out, or VE_DB with
 * err filled in one line. */
int db_open(struct db **out, const char *target, char *err, size_t errlen);
void db_close(struct db *db);
/* "sqlite" or "postgresql". */
const char *db_backend(struct db *db);
/* target as it may be shown: a URI's password replaced by "***". */
void db_target_shown(const char *target, char *out, size_t size);
/* 1 when the database has a table of that name, 0 when not, -1 on error. */
int db_has_table(struct db *db, const char *name);
/* The number of tables the database holds (-1 on error): 0 for an empty one. */
int db_table_count(struct db *db);

/* The connection of the calling thread to the database set by db_thread_init(),
 * opened on first use. NULL (logged) when it cannot be opened. */
struct db *db_thread(void);
/* Sets the path that db_thread() connections open. Call once before threads start. */
void db_thread_init(const char *path);
/* Closes the calling thread's connection, if any. */
void db_thread_close(void);

/* Runs SQL text with no parameters (DDL, several statements). Returns 0 or VE_DB. */
int db_exec(struct db *db, const char *sql);

/* Prepares sql (cached) and binds the arguments described by fmt, one letter
 * each: 'i' int64_t, 's' const char * (NULL binds NULL), 'b' const void *, size_t
 * (a blob), 'n' NULL. Returns the statement, or NULL (error logged, and kept for
 * db_errmsg) when the SQL is bad or a bind fails. */
struct db_stmt *db_q(struct db *db, const char *sql, const char *fmt, ...);
/* As db_q for a text built at run time (from the program's own pieces, never from input):
 * prepared uncached, since the cache knows a text by its address. */
struct db_stmt *db_q_text(struct db *db, const char *sql, const char *fmt, ...);
/* DB_ROW, DB_DONE, or VE_DB (also VE_EXISTS for a unique/primary key violation). */
int db_step(struct db_stmt *st);
int64_t db_int(struct db_stmt *st, int col);
/* The text of col, or NULL when it is NULL; valid until the next step or db_done. */
const char *db_text(struct db_stmt *st, int col);
const void *db_blob(struct db_stmt *st, int col, size_t *len);
int db_is_null(struct db_stmt *st, int col);
/* The number of columns of the result, and what col of the current row holds (DB_NULL,
 * DB_INT, DB_TEXT or DB_BLOB); for copying rows whose shape the caller doesn't know. */
int db_column_count(struct db_stmt *st);
int db_column_kind(struct db_stmt *st, int col);
/* Returns the statement to the cache (or finalizes it). NULL is a no-op. */
void db_done(struct db_stmt *st);

/* Runs a statement that returns no rows and finishes it. 0, VE_EXISTS or VE_DB. */
int db_run(struct db *db, const char *sql, const char *fmt, ...);
/* Runs a query and returns the first column of its first row as an integer in
 * *out (dflt when there is no row). 0 or VE_DB. */
int db_int_query(struct db *db, int64_t *out, int64_t dflt, const char *sql, const char *fmt, ...);

/* Transactions. db_begin takes the store's one write lock at once so that two
 * writers never deadlock upgrading and a read-then-write (the audit chain's head, a
 * batch's next number, a check before an insert) sees no other writer in between:
 * SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock that
 * every db_begin takes. Nested calls are not supported. */
int db_begin(struct db *db);
/* A read transaction (a deferred BEGIN that only reads): the reads see one snapshot
 * and take no lock that stops a writer. End it with db_rollback (or db_commit). */
int db_begin_read(struct db *db);
/* Waits (up to 100 ms) while another connection of this process waits for a lock, so
 * that a long job that commits in slices lets logins and edits in between. Call it
 * between two transactions, never inside one. */
void db_yield(void);
/* A connection that commits many small transactions in a row copies the write-ahead
 * log into the database itself, now and then, instead of after every commit: turns the
 * copy after a commit off (0) or back on (1, the default), and copies what it can
 * without waiting for readers (db_checkpoint). */
void db_autocheckpoint(struct db *db, int on);
void db_checkpoint(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* 1 while db holds an open transaction. */
int db_in_tx(struct db *db);
/* The one way an area writes: a transaction of its own unless the caller holds one.
 * db_tx_begin begins it (0, or VE_DB); db_tx_end commits when rc is 0 and rolls back
 * otherwise, returning rc, or VE_DB when the commit fails. With in_tx both leave the
 * caller's transaction alone, so the caller commits or rolls back the whole.
 *
 *	if (db_tx_begin(db, in_tx))
 *		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
 *	int rc = work(db, ...);
 *	int ended = db_tx_end(db, in_tx, rc);
 *	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
 *
 * An area function that another area calls inside its own transaction takes the flag
 * as a plain parameter, int in_tx (1: the caller holds a transaction), and passes it on
 * to both calls unchanged (entitlement_confirm, verification_sweep); one that only ever
 * writes for the caller says "in the caller's transaction" in its contract and takes
 * no flag. Raw db_begin/db_commit/db_rollback are for db/, the read snapshot
 * (db_begin_read) and jobs that commit in slices between db_yield() calls. */
int db_tx_begin(struct db *db, int in_tx);
int db_tx_end(struct db *db, int in_tx, int rc);

int64_t db_last_id(struct db *db);
int db_changes(struct db *db);
const char *db_errmsg(struct db *db);

/* Creates or upgrades the schema from the embedded migrations; idempotent.
 * Each migration runs in its own transaction and is recorded in
 * schema_migrations. Returns 0 or VE_DB with err filled. */
int db_migrate(struct db *db, char *err, size_t errlen);
/* The newest migration applied into *version: 0 when none, VE_DB (version 0) when
 * the store has no migrations table (vets init never ran on it). */
int db_schema_version(struct db *db, int64_t *version);

/* 0 when the store answers a query, VE_DB when it does not (db NULL too). */
int db_ping(struct db *db);

/* Copies every row of src into dst, a store migrated to the same schema version that
 * holds nothing but what its migrations seeded (VE_INVALID otherwise): tables in creation order, each in one transaction, the keys as
 * they are; tables kept by triggers (name grams, counts) are rebuilt by dst's own
 * triggers. Then compares the row count of every table. progress (may be NULL) is
 * told each table and its rows. Returns 0, or VE_DB / VE_INVALID with err filled. dst's
 * statement cache then names texts db_copy has freed: close dst after. */
int db_copy(struct db *src, struct db *dst, void (*progress)(const char *table, int64_t rows),
	    char *err, size_t errlen);

/* ---- backups (db/backup.c; areas/backup.h uses them) ---- */

/* Every table of db (creation order) with its row count, in the caller's read transaction
 * if any: each is called once per table and stops the walk by returning non-zero. 0, the
 * callback's value, or VE_DB. */
int db_table_rows(struct db *db, int (*each)(void *ctx, const char *table, int64_t rows),
		  void *ctx);
/* SQLite: writes the database as one read transaction sees it into path, a file that does
 * not exist yet (VACUUM INTO), in rollback-journal mode (so that it is read without a -wal
 * beside it) and synced to disk. 0, or VE_IO (the disk full, a write refused) / VE_DB with
 * err filled; a half-written path is the caller's to remove. */
int db_sqlite_backup(struct db *db, const char *path, char *err, size_t errlen);
/* Opens a SQLite file read-only: nothing is written to it or beside it. 0, or VE_DB. */
int db_open_readonly(struct db **out, const char *path, char *err, size_t errlen);
/* SQLite's integrity check and foreign-key check; on PostgreSQL 0 (the server keeps its
 * pages checked). 0, VE_CRYPTO with the first problem in err, or VE_DB. */
int db_integrity(struct db *db, char *err, size_t errlen);
/* SQLite: copies the database file from over the database file to in one transaction of
 * to's (the backup API): whatever to held, its write-ahead log included, is replaced as a
 * whole or not at all. to is created when missing. 0, or VE_IO / VE_DB with err filled. */
int db_sqlite_restore(const char *from, const char *to, char *err, size_t errlen);
/* PostgreSQL: begins a read-only REPEATABLE READ transaction on db and exports its snapshot
 * (pg_export_snapshot) into id, for pg_dump --snapshot; it stays usable while db's
 * transaction is open (end it with db_rollback). 0 or VE_DB. */
int db_snapshot_export(struct db *db, char *id, size_t size);
/* PostgreSQL tools, run as child processes: pg_dump --format=custom of target into path
 * (a new file) as snapshot sees it; pg_restore --list of an archive (is it one, whole);
 * pg_restore --no-owner --single-transaction into target (clean: --clean --if-exists
 * first). 0, or VE_IO with the tool's first line of error in err. */
int db_pg_dump(const char *target, const char *snapshot, const char *path, char *err,
	       size_t errlen);
int db_pg_archive_check(const char *path, char *err, size_t errlen);
int db_pg_restore(const char *target, const char *path, int clean, char *err, size_t errlen);

#endif
